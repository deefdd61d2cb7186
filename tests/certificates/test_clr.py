"""The cycle's CLR 2.0 credential: its shape (ClrCredential, ClrSubject, the certificates as
enveloped VC-JWTs, their achievements), its VC-JWT signature and each nested certificate's checked
by an independent verifier (jwcrypto, not PyJWT which signs) against the JWKS the site publishes,
tampering and forgery refused, what is left out (external activities; revoked, replaced or
unsigned certificates), and no queries to build once the standing is loaded."""

import json
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from jwcrypto import jwk
from jwcrypto import jwt as jose_jwt
from jwcrypto.common import JWException

from certificates.cpd.clr import (
    CLR_CONTEXT,
    ClrUnavailableError,
    build_clr,
    bundled_certificates,
    clr_filename,
    sign_clr,
)
from certificates.credentials import keys
from certificates.credentials.openbadges import (
    OB_CONTEXT,
    VC_CONTEXT,
    build_credential,
    issuer_id,
    issuer_profile,
    sign_credential,
)
from certificates.models import CertificateStatus
from tests.certificates.jose import (
    b64url_decode,
    b64url_encode,
    independently_verified_claims,
    published_keyset,
    segments,
)
from tests.certificates.test_transcript import (
    certificate_entry,
    external_entry,
    hours_result,
    make_learner,
    make_rule_set,
    make_standing,
)
from tests.courses.factories import CourseFactory

pytestmark = pytest.mark.django_db

ISSUED = datetime(2026, 6, 30, 9, 15, 42, tzinfo=UTC)
DATA_URL_PREFIX = "data:application/vc+jwt,"


def nested_tokens(claims):
    """The compact JWS of each enveloped credential (VC 2.0 §4.13.1 data: URLs)."""
    tokens = []
    for item in claims["credentialSubject"]["verifiableCredential"]:
        assert item["type"] == "EnvelopedVerifiableCredential"
        assert item["@context"] == VC_CONTEXT
        assert item["id"].startswith(DATA_URL_PREFIX)
        tokens.append(item["id"].removeprefix(DATA_URL_PREFIX))
    return tokens


@pytest.fixture
def cycle():
    """Two certificates (one course completed twice), one external activity, one revoked, one
    replaced and one unsigned certificate, and a 2025 certificate outside the cycle."""
    learner = make_learner()
    rule_set = make_rule_set()
    course = CourseFactory()
    first = certificate_entry(
        learner, title="Protecția copilului", day=date(2026, 2, 10), hours="4", course=course
    )
    external_entry(learner, title="Supervizare de grup", day=date(2026, 3, 5), hours="2.5")
    second = certificate_entry(
        learner, title="Violența domestică", day=date(2026, 4, 20), hours="6"
    )
    again = certificate_entry(
        learner, title="Protecția copilului", day=date(2026, 9, 1), hours="4", course=course
    )
    revoked = certificate_entry(
        learner, title="Revocat", day=date(2026, 5, 1), hours="1",
        status=CertificateStatus.REVOKED,
    )  # fmt: skip
    replaced = certificate_entry(
        learner, title="Înlocuit", day=date(2026, 5, 2), hours="1",
        status=CertificateStatus.REPLACED,
    )  # fmt: skip
    unsigned = certificate_entry(
        learner, title="Nesemnat", day=date(2026, 5, 3), hours="1", signed=False
    )
    certificate_entry(learner, title="Anul trecut", day=date(2025, 10, 1), hours="3")
    standing = make_standing(
        learner, rule_set, results=[hours_result(rule_set, required="20", achieved="19.5")]
    )
    bundled = [first.certificate, second.certificate, again.certificate]
    left_out = [revoked.certificate, replaced.certificate, unsigned.certificate]
    return learner, standing, bundled, left_out


# --- shape --------------------------------------------------------------------------------------


def test_clr_is_a_clr_2_credential_bundling_the_cycles_certificates(cycle):
    learner, standing, bundled, _ = cycle
    clr = build_clr(standing, learner=learner, language="en", issued_at=ISSUED)

    # CLR 2.0 ClrCredential: contexts in order, types, name, issuer, validFrom.
    assert clr["@context"] == [VC_CONTEXT, CLR_CONTEXT, OB_CONTEXT]
    assert CLR_CONTEXT == "https://purl.imsglobal.org/spec/clr/v2p0/context-2.0.1.json"
    assert set(clr["type"]) == {"VerifiableCredential", "ClrCredential"}
    assert clr["id"].startswith("urn:uuid:")
    assert clr["issuer"] == issuer_profile()
    assert clr["validFrom"] == "2026-06-30T09:15:42Z"
    assert clr["partial"] is True
    assert "Formare profesională continuă" in clr["name"]
    assert "3 certificates" in clr["description"]
    assert "not in this record" in clr["description"]

    # ClrSubject: the learner's urn:uuid, as in every certificate, and their name.
    subject = clr["credentialSubject"]
    assert subject["type"] == ["ClrSubject"]
    assert subject["id"] == learner.public_id.urn
    assert subject["identifier"] == [
        {"type": "IdentityObject", "identityType": "name", "hashed": False,
         "identityHash": "Ștefan Țurcanu"},
    ]  # fmt: skip

    # The certificates, oldest first, each exactly as it was signed and stored.
    assert nested_tokens(clr) == [certificate.credential for certificate in bundled]
    # Their achievements, each once: the course completed twice is one achievement.
    names = [achievement["name"] for achievement in subject["achievement"]]
    assert names == ["Protecția copilului", "Violența domestică"]
    assert all(a["type"] == ["Achievement"] for a in subject["achievement"])
    assert "association" not in subject

    # Never an e-mail address, never an external activity or a certificate left out.
    text = json.dumps(clr, ensure_ascii=False)
    assert learner.email not in text
    assert "@example" not in text
    for title in ("Supervizare de grup", "Revocat", "Înlocuit", "Nesemnat", "Anul trecut"):
        assert title not in text


def test_revoked_replaced_and_unsigned_certificates_are_not_bundled(cycle):
    _, standing, bundled, left_out = cycle
    assert bundled_certificates(standing) == bundled
    assert not set(bundled_certificates(standing)) & set(left_out)


def test_a_cycle_without_a_signed_certificate_has_no_clr():
    learner = make_learner()
    rule_set = make_rule_set()
    external_entry(learner, title="Atelier", day=date(2026, 2, 1), hours="3")
    certificate_entry(learner, title="Revocat", day=date(2026, 3, 1), hours="1",
                      status=CertificateStatus.REVOKED)  # fmt: skip
    standing = make_standing(learner, rule_set)
    with pytest.raises(ClrUnavailableError):
        build_clr(standing, learner=learner)
    with pytest.raises(ClrUnavailableError):
        sign_clr(standing, learner=learner)


def test_name_and_description_follow_the_language(cycle):
    learner, standing, _, _ = cycle
    romanian = build_clr(standing, learner=learner, language="ro")
    assert "1 ian 2026" in romanian["name"]
    english = build_clr(standing, learner=learner, language="en")
    assert "1 Jan 2026" in english["name"]
    learner.preferred_language = "ro"
    assert "1 ian 2026" in build_clr(standing, learner=learner)["name"]


def test_clr_filename_is_ascii_and_names_the_cycle(cycle):
    _, standing, _, _ = cycle
    assert clr_filename(standing) == (f"cpd-record-{standing.rule_set.slug}-20260101-20261231.jwt")


# --- signature ----------------------------------------------------------------------------------


def test_independent_verifier_accepts_the_clr_and_each_certificate_in_it(cycle, client):
    learner, standing, bundled, _ = cycle
    token = sign_clr(standing, learner=learner, language="en")
    keyset = published_keyset(client)

    header, _, _ = segments(token)
    assert header == {"alg": "RS256", "kid": keys.key_url(keys.active_key().kid), "typ": "JWT"}
    claims = independently_verified_claims(token, keyset)

    # CLR 2.0 §8.2 (OB 3.0 §8.2.4): the JWT claims mirror the credential.
    assert set(claims["type"]) == {"VerifiableCredential", "ClrCredential"}
    assert claims["iss"] == issuer_id() == claims["issuer"]["id"]
    assert claims["jti"] == claims["id"]
    assert claims["sub"] == learner.public_id.urn == claims["credentialSubject"]["id"]
    valid_from = int(datetime.fromisoformat(claims["validFrom"]).timestamp())
    assert claims["nbf"] == claims["iat"] == valid_from
    assert abs(valid_from - datetime.now(UTC).timestamp()) < 120
    assert "exp" not in claims
    assert "vc" not in claims  # the credential is the payload itself (VC-JOSE-COSE §3.1.1)

    # Each nested certificate verifies on its own, with the same published keys.
    tokens = nested_tokens(claims)
    assert len(tokens) == len(bundled)
    for nested, certificate in zip(tokens, bundled, strict=True):
        assert nested == certificate.credential
        inner = independently_verified_claims(nested, keyset)
        assert inner["jti"] == certificate.public_id.urn
        assert "OpenBadgeCredential" in inner["type"]
        assert inner["sub"] == claims["sub"]  # one learner, the same identifier


def test_clr_with_a_changed_claim_fails_verification(cycle, client):
    learner, standing, _, _ = cycle
    token = sign_clr(standing, learner=learner)
    keyset = published_keyset(client)
    header, payload, signature = token.split(".")
    claims = json.loads(b64url_decode(payload))

    someone_else = dict(claims, sub="urn:uuid:00000000-0000-0000-0000-000000000000")
    dropped = json.loads(json.dumps(claims))
    dropped["credentialSubject"]["verifiableCredential"].pop()
    for changed in (someone_else, dropped):
        body = b64url_encode(json.dumps(changed).encode())
        with pytest.raises(JWException):
            independently_verified_claims(f"{header}.{body}.{signature}", keyset)

    flipped = signature[:-2] + ("A" if signature[-2] != "A" else "B") + signature[-1]
    with pytest.raises(JWException):
        independently_verified_claims(f"{header}.{payload}.{flipped}", keyset)


def test_clr_signed_by_an_unpublished_key_fails_verification(cycle, client):
    learner, standing, _, _ = cycle
    header, claims, _ = segments(sign_clr(standing, learner=learner))
    fresh = jwk.JWK.generate(kty="RSA", size=2048)
    forged = jose_jwt.JWT(header=header, claims=claims)  # the same kid and alg, another key
    forged.make_signed_token(fresh)
    with pytest.raises(JWException):
        independently_verified_claims(forged.serialize(), published_keyset(client))


def test_clr_signed_before_a_key_rotation_still_verifies(cycle, client):
    learner, standing, _, _ = cycle
    token = sign_clr(standing, learner=learner)
    keys.rotate_signing_key()
    claims = independently_verified_claims(token, published_keyset(client))
    assert claims["sub"] == learner.public_id.urn


def test_clr_bundles_a_certificate_signed_with_ed25519_before_the_switch(client):
    """A certificate signed by the site's Ed25519 key before the switch goes in as it was signed;
    the CLR itself is RS256, and both verify with the published keys."""
    learner = make_learner()
    rule_set = make_rule_set()
    old = certificate_entry(learner, title="Vechi", day=date(2026, 2, 1), hours="3", signed=False)
    legacy = keys._create_key(keys.EDDSA)  # as the site made its keys before the switch
    old.certificate.credential = sign_credential(build_credential(old.certificate), legacy)
    old.certificate.save(update_fields=["credential"])
    certificate_entry(learner, title="Nou", day=date(2026, 3, 1), hours="2")  # RS256 from here

    token = sign_clr(make_standing(learner, rule_set), learner=learner, language="en")
    keyset = published_keyset(client)
    assert segments(token)[0]["alg"] == "RS256"
    first, second = nested_tokens(independently_verified_claims(token, keyset))
    assert first == old.certificate.credential
    assert segments(first)[0] == {"alg": "EdDSA", "kid": keys.key_url(legacy.kid), "typ": "JWT"}
    assert segments(second)[0]["alg"] == "RS256"
    assert independently_verified_claims(first, keyset, algs=["EdDSA"])["sub"] == (
        learner.public_id.urn
    )
    assert independently_verified_claims(second, keyset)["sub"] == learner.public_id.urn

    response = client.post(reverse("verify-start"), {"credential": token})
    assert "The signature is valid" in response.content.decode()
    assert [(title, ok) for title, _message, ok, _state in response.context["nested"]] == [
        ("Vechi", True),
        ("Nou", True),
    ]


# --- purity -------------------------------------------------------------------------------------


def test_building_makes_no_query_and_signing_one(cycle, django_assert_num_queries):
    learner, standing, _, _ = cycle
    keys.active_key()  # exists already: the certificates were signed with it
    with django_assert_num_queries(0):
        build_clr(standing, learner=learner, language="en")
        clr_filename(standing)
    with django_assert_num_queries(1):  # the active key
        sign_clr(standing, learner=learner, language="en")


def test_points_and_hours_do_not_change_what_is_bundled():
    """The CLR bundles credentials; a body counting points bundles the same ones."""
    learner = make_learner()
    rule_set = make_rule_set(unit="points", points_per_hour=Decimal(2))
    entry = certificate_entry(learner, title="Curs", day=date(2026, 2, 1), hours="3")
    clr = build_clr(make_standing(learner, rule_set), learner=learner)
    assert nested_tokens(clr) == [entry.certificate.credential]


# --- the public verification page --------------------------------------------------------------


def test_the_verify_page_checks_a_clr_and_each_certificate_in_it(cycle, client):
    learner, standing, bundled, _ = cycle
    token = sign_clr(standing, learner=learner)
    bundled[1].status = CertificateStatus.REVOKED  # revoked after the CLR was made
    bundled[1].revoked_at = bundled[1].issued_at
    bundled[1].save(update_fields=["status", "revoked_at"])
    response = client.post(reverse("verify-start"), {"credential": token})
    html = response.content.decode()
    assert "The signature is valid" in html
    assert "It bundles 3 certificates, each checked on its own" in html
    rows = response.context["nested"]
    assert [(title, ok) for title, _message, ok, _state in rows] == [
        ("Protecția copilului", True),
        ("Violența domestică", False),
        ("Protecția copilului", True),
    ]
    assert [state.label for *_rest, state in rows] == ["Valid", "Revoked", "Valid"]


def test_the_verify_page_refuses_a_changed_clr(cycle, client):
    learner, standing, _, _ = cycle
    header, payload, signature = sign_clr(standing, learner=learner).split(".")
    claims = json.loads(b64url_decode(payload))
    claims["credentialSubject"]["verifiableCredential"].pop()
    forged = f"{header}.{b64url_encode(json.dumps(claims).encode())}.{signature}"
    response = client.post(reverse("verify-start"), {"credential": forged})
    assert "The signature is valid" not in response.content.decode()
    assert response.context["nested"] == []
