"""Public verification by code: each outcome on the page and in the JSON API, only what the
certificate shows, and the rate limit."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from certificates.credentials.verification import VerificationThrottle, as_serial, verify
from certificates.models import CertificateStatus
from lms.api import format_date
from tests.certificates.stored import stored_certificate

pytestmark = pytest.mark.django_db


def test_a_valid_certificate(client):
    certificate = stored_certificate()
    page = client.get(reverse("verify", args=[certificate.verification_code]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Valid" in html
    assert "Ștefan Țurcanu" in html
    assert "CNASR-17" in html
    assert certificate.learner.email not in html  # only what the certificate shows
    answer = client.get(reverse("api-verify", args=[certificate.verification_code])).json()
    assert answer["status"] == "valid"
    assert answer["serial"] == certificate.serial
    assert answer["recipient"] == "Ștefan Țurcanu"
    assert "email" not in str(answer)


def test_a_revoked_certificate_says_since_when(client):
    revoked_at = timezone.now() - timedelta(days=3)
    certificate = stored_certificate(
        status=CertificateStatus.REVOKED, revoked_at=revoked_at, revocation_reason="fraud"
    )
    answer = client.get(reverse("api-verify", args=[certificate.verification_code])).json()
    assert answer["status"] == "revoked"
    assert answer["since"] == revoked_at.isoformat()
    html = client.get(reverse("verify", args=[certificate.verification_code])).content.decode()
    assert "Revoked" in html
    assert "fraud" not in html  # the reason stays between the learner and the issuer


def test_an_expired_certificate(client):
    certificate = stored_certificate(expires_at=timezone.now() - timedelta(days=1))
    answer = client.get(reverse("api-verify", args=[certificate.verification_code])).json()
    assert answer["status"] == "expired"


def test_a_replaced_certificate_points_to_its_correction(client):
    new = stored_certificate()
    old = stored_certificate(status=CertificateStatus.REPLACED, replaced_by=new)
    answer = client.get(reverse("api-verify", args=[old.verification_code])).json()
    assert (answer["status"], answer["replaced_by"]) == ("replaced", new.verification_code)
    html = client.get(reverse("verify", args=[old.verification_code])).content.decode()
    assert reverse("verify", args=[new.verification_code]) in html


def test_an_unknown_code_is_a_404(client):
    assert client.get(reverse("verify", args=["no-such-code-at-all"])).status_code == 404
    assert client.get(reverse("api-verify", args=["no-such-code-at-all"])).status_code == 404


def test_verification_is_rate_limited_per_address(client, monkeypatch):
    monkeypatch.setattr(VerificationThrottle, "THROTTLE_RATES", {"verification": "3/minute"})
    certificate = stored_certificate()
    url = reverse("verify", args=[certificate.verification_code])
    api = reverse("api-verify", args=[certificate.verification_code])
    assert [client.get(u).status_code for u in (url, api, url)] == [200, 200, 200]
    assert client.get(url).status_code == 429
    assert client.get(api).status_code == 429
    other = client.get(url, REMOTE_ADDR="192.0.2.7")
    assert other.status_code == 200


def test_a_made_up_forwarded_for_does_not_dodge_the_limit(client, monkeypatch, settings):
    """Without proxies in front (PROXY_COUNT=0), X-Forwarded-For is the client's own claim."""
    monkeypatch.setattr(VerificationThrottle, "THROTTLE_RATES", {"verification": "2/minute"})
    url = reverse("verify", args=[stored_certificate().verification_code])
    statuses = [
        client.get(url, HTTP_X_FORWARDED_FOR=f"198.51.100.{n}").status_code for n in range(4)
    ]
    assert statuses == [200, 200, 429, 429]


def test_behind_one_proxy_the_address_it_reports_counts(client, monkeypatch, settings):
    from rest_framework.settings import api_settings

    monkeypatch.setattr(VerificationThrottle, "THROTTLE_RATES", {"verification": "1/minute"})
    monkeypatch.setattr(api_settings, "NUM_PROXIES", 1)
    url = reverse("verify", args=[stored_certificate().verification_code])
    # The proxy appends the address it saw; what the client put before it is not believed.
    first = client.get(url, HTTP_X_FORWARDED_FOR="203.0.113.9, 198.51.100.1")
    second = client.get(url, HTTP_X_FORWARDED_FOR="203.0.113.10, 198.51.100.1")
    other = client.get(url, HTTP_X_FORWARDED_FOR="203.0.113.9, 198.51.100.2")
    assert [first.status_code, second.status_code, other.status_code] == [200, 429, 200]


def test_the_code_form_leads_to_the_certificate(client):
    certificate = stored_certificate()
    response = client.get(reverse("verify-start"), {"code": certificate.verification_code})
    assert response["Location"] == reverse("verify", args=[certificate.verification_code])


def _signed(**changes):
    from certificates.credentials.openbadges import sign_certificate_credential

    certificate = stored_certificate(**changes)
    certificate.credential = sign_certificate_credential(certificate)
    certificate.save(update_fields=["credential"])
    return certificate


def _upload(client, text):
    return client.post(reverse("verify-start"), {"credential": text}).content.decode()


@pytest.mark.smoke
def test_an_uploaded_credential_is_verified_and_its_certificate_state_shown(client):
    certificate = _signed()
    html = _upload(client, certificate.credential)
    assert "The signature is valid" in html
    assert "state today: Valid." in html
    assert reverse("verify", args=[certificate.verification_code]) in html


def test_an_altered_credential_is_named_altered(client):
    import base64
    import json

    certificate = _signed()
    header, payload, signature = certificate.credential.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["credentialSubject"]["achievement"]["creditsAvailable"] = 40
    forged_payload = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    html = _upload(client, f"{header}.{forged_payload}.{signature}")
    assert "it has been altered" in html


@pytest.mark.parametrize("algorithm", ["RS256", "EdDSA"])
def test_a_credential_signed_elsewhere_is_named_forged(client, algorithm):
    """Signed by a key nobody published, naming the site's (RSA) key: with RS256, or with EdDSA,
    which that key does not sign with (the key decides the algorithm)."""
    import jwt
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    certificate = _signed()
    claims = jwt.decode(certificate.credential, options={"verify_signature": False})
    header = jwt.get_unverified_header(certificate.credential)
    assert header["alg"] == "RS256"
    other_key = (
        rsa.generate_private_key(public_exponent=65537, key_size=2048)
        if algorithm == "RS256"
        else Ed25519PrivateKey.generate()
    )
    forged = jwt.encode(claims, other_key, algorithm=algorithm, headers={"kid": header["kid"]})
    assert "it is forged" in _upload(client, forged)


def test_a_credential_signed_with_ed25519_before_the_switch_still_verifies(client):
    """Signed by an Ed25519 key the site had before it moved to RS256: still valid here."""
    import jwt

    from certificates.credentials import keys
    from certificates.credentials.openbadges import build_credential, sign_credential

    legacy = keys._create_key(keys.EDDSA)  # as the site made its keys before the switch
    certificate = stored_certificate()
    certificate.credential = sign_credential(build_credential(certificate), legacy)
    certificate.save(update_fields=["credential"])
    assert jwt.get_unverified_header(certificate.credential)["alg"] == "EdDSA"
    assert jwt.get_unverified_header(_signed().credential)["alg"] == "RS256"  # the switch

    html = _upload(client, certificate.credential)
    assert "The signature is valid" in html
    assert "state today: Valid." in html
    assert reverse("verify", args=[certificate.verification_code]) in html


def test_a_revoked_certificates_credential_says_revoked(client):
    certificate = _signed()
    certificate.status = "revoked"
    certificate.revoked_at = timezone.now()
    certificate.save()
    html = _upload(client, certificate.credential)
    assert "has been revoked" in html


def test_json_and_garbage_are_refused_with_a_reason(client):
    assert "not a signed credential of this site" in _upload(client, '{"type": "x"}')
    assert "This is not a credential." in _upload(client, "not a token at all")
    response = client.post(reverse("verify-start"), {"credential": ""})
    assert response.status_code == 400


# --- by serial number --------------------------------------------------------------------------

SERIAL = "PRA-2026-7KQ4-M2XD"
CODE = "22wfbqa3pv65guta2ctaqrqt2nnaqq2t"


def _printed(**changes):
    """A certificate with a serial and a code as issuance makes them."""
    return stored_certificate(serial=SERIAL, verification_code=CODE, **changes)


@pytest.mark.parametrize(
    "typed",
    [SERIAL, "pra-2026-7kq4-m2xd", "PRA20267KQ4M2XD", " pra 2026 7kq4 m2xd ",
     "PRA\u20132026\u20137KQ4\u2013M2XD", "pra2026-7kq4-m2xd", "PRA 2026 7KQ4M2XD"],
)  # fmt: skip
def test_a_serial_is_accepted_however_it_is_typed(client, typed):
    _printed()
    response = client.get(reverse("verify-start"), {"code": typed})
    assert response.status_code == 302
    assert response["Location"] == reverse("verify", args=[SERIAL])
    page = client.get(reverse("verify", args=[typed.strip()]))
    assert page.status_code == 200
    assert SERIAL in page.content.decode()


def test_crockford_look_alikes_in_a_serial_are_read_as_digits(client):
    stored_certificate(serial="PRA-2026-1K04-M2XD", verification_code=CODE)
    response = client.get(reverse("verify-start"), {"code": "pra-2026-lkO4-m2xd"})
    assert response["Location"] == reverse("verify", args=["PRA-2026-1K04-M2XD"])


def test_a_code_is_accepted_in_capitals_in_groups_of_four(client):
    _printed()
    grouped = "22WF-BQA3-PV65-GUTA 2CTA-QRQT-2NNA-QQ2T"
    response = client.get(reverse("verify-start"), {"code": grouped})
    assert response["Location"] == reverse("verify", args=[CODE])
    html = client.get(reverse("verify", args=[grouped])).content.decode()
    assert "Ștefan Țurcanu" in html
    assert "22WF-BQA3-PV65-GUTA-2CTA-QRQT-2NNA-QQ2T" in html  # as printed on the certificate


def test_a_serial_alone_shows_the_state_and_issue_date_and_no_personal_data(client):
    certificate = _printed()
    page = client.get(reverse("verify", args=[SERIAL]))
    html = page.content.decode()
    assert page.status_code == 200
    assert 'role="status"' in html
    assert "Valid" in html
    assert SERIAL in html
    assert format_date(certificate.issued_at) in html  # "8 Dec 2026"
    for private in ("Ștefan Țurcanu", "Protecția copilului", "CNASR-17", "Colegiul", CODE,
                    CODE.upper()[:4], certificate.learner.email):  # fmt: skip
        assert private not in html
    answer = client.get(reverse("api-verify", args=[SERIAL])).json()
    assert answer == {
        "status": "valid",
        "status_text": "Valid",
        "since": None,
        "serial": SERIAL,
        "issued_on": "2026-11-21",
        "details": False,
    }


def test_a_serial_with_its_code_shows_everything(client):
    _printed()
    response = client.get(
        reverse("verify-start"), {"code": "pra 2026 7kq4 m2xd", "verification_code": CODE.upper()}
    )
    assert response.status_code == 302
    html = client.get(response["Location"]).content.decode()
    for shown in ("Valid", "Ștefan Țurcanu", "Protecția copilului", "CNASR-17", SERIAL):
        assert shown in html
    answer = client.get(reverse("api-verify", args=[SERIAL]), {"code": CODE}).json()
    assert (answer["recipient"], answer["details"]) == ("Ștefan Țurcanu", True)


def test_a_serial_with_another_certificates_code_shows_nothing_more(client):
    _printed()
    other = stored_certificate()
    html = client.get(
        reverse("verify", args=[SERIAL]), {"code": other.verification_code}
    ).content.decode()
    assert "is not this certificate" in html
    assert 'aria-invalid="true"' in html
    assert "Ștefan Țurcanu" not in html
    answer = client.get(
        reverse("api-verify", args=[SERIAL]), {"code": other.verification_code}
    ).json()
    assert answer["details"] is False
    assert "recipient" not in answer


@pytest.mark.parametrize(
    ("changes", "heading"),
    [
        ({}, "Valid"),
        ({"status": CertificateStatus.REVOKED, "revoked_at": timezone.now() - timedelta(days=3)},
         "Revoked on "),
        ({"expires_at": timezone.now() - timedelta(days=1)}, "Expired on "),
    ],
)  # fmt: skip
def test_the_status_panel_says_the_state_in_words(client, changes, heading):
    _printed(**changes)
    for url in (reverse("verify", args=[SERIAL]), reverse("verify", args=[CODE])):
        html = client.get(url).content.decode()
        panel = html[
            html.index('class="status-panel') : html.index("</div>", html.index("status-panel"))
        ]
        assert 'role="status"' in panel
        assert "Certificate status" in panel  # the box's text label
        assert f'<h2 id="status-heading">{heading}' in panel
    answer = client.get(reverse("api-verify", args=[SERIAL])).json()
    assert answer["status_text"].startswith(heading)


def test_a_replaced_certificate_by_serial_does_not_lead_to_its_correction(client):
    new = stored_certificate()
    _printed(status=CertificateStatus.REPLACED, replaced_by=new)
    html = client.get(reverse("verify", args=[SERIAL])).content.decode()
    assert "Replaced by a newer certificate" in html
    assert new.verification_code not in html  # the correction's code would show it all
    answer = client.get(reverse("api-verify", args=[SERIAL])).json()
    assert (answer["status"], answer["status_text"]) == (
        "replaced",
        "Replaced by a newer certificate",
    )
    assert "replaced_by" not in answer
    with_code = client.get(reverse("verify", args=[SERIAL]), {"code": CODE}).content.decode()
    assert reverse("verify", args=[new.verification_code]) in with_code


@pytest.mark.parametrize("typed", ["PRA-2026-ZZZZ-ZZZZ", "a" * 32, "PRA-2026-000999"])
def test_an_unknown_serial_or_code_says_so(client, typed):
    _printed()
    page = client.get(reverse("verify", args=[typed]))
    assert page.status_code == 404
    assert "No certificate has this serial number or verification code." in page.content.decode()
    assert client.get(reverse("api-verify", args=[typed])).status_code == 404


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"code": "<script>"}, 'id="code-error"'),
        ({"code": "PRA-2026-7KQ4-M2XD", "verification_code": "not/a code!"},
         'id="verification-code-error"'),
        ({"verification_code": CODE}, 'id="code-error"'),
    ],
)  # fmt: skip
def test_bad_input_is_a_form_error_not_a_crash(client, query, field):
    response = client.get(reverse("verify-start"), query)
    assert response.status_code == 400
    assert field in response.content.decode()


def test_serial_look_ups_share_the_rate_limit(client, monkeypatch):
    monkeypatch.setattr(VerificationThrottle, "THROTTLE_RATES", {"verification": "3/minute"})
    _printed()
    serial_page = reverse("verify", args=[SERIAL])
    serial_api = reverse("api-verify", args=[SERIAL])
    code_page = reverse("verify", args=[CODE])
    assert [client.get(u).status_code for u in (serial_page, serial_api, code_page)] == [200] * 3
    assert client.get(serial_page).status_code == 429
    assert client.get(serial_api).status_code == 429
    assert client.get(reverse("verify", args=["PRA-2026-ZZZZ-ZZZZ"])).status_code == 429
    assert client.get(serial_page, REMOTE_ADDR="192.0.2.7").status_code == 200


def test_a_look_up_is_one_query(client, django_assert_num_queries):
    _printed()
    with django_assert_num_queries(1):
        verify("pra 2026 7kq4 m2xd", code=CODE)


def test_serials_are_random_not_counted(db):
    """Issue 17: a serial is the year and 40 random bits, so it tells nothing of how many were
    issued; two in a row share no sequence."""
    from certificates.credentials.services import SERIAL_ALPHABET, _random_serial

    serials = [_random_serial(2026) for _ in range(50)]
    assert len(set(serials)) == 50
    for serial in serials:
        prefix, year, first, second = serial.split("-")
        assert (prefix, year) == ("PRA", "2026")
        assert set(first + second) <= set(SERIAL_ALPHABET)
        assert as_serial(serial.lower().replace("-", "")) == serial


def test_anyone_finds_verify_a_certificate_in_the_header(client, django_user_model):
    html = client.get(reverse("home")).content.decode()
    nav = html[html.index('class="main-nav"') : html.index("</nav>")]
    assert f'href="{reverse("verify-start")}"' in nav
    assert "Verify a certificate" in nav
