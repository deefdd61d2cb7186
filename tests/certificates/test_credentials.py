"""Open Badges 3.0 credentials of certificates: their shape, their VC-JWT signature (RS256, OB 3.0
§8.2.3) checked by an independent verifier (jwcrypto, not PyJWT which signs) with the keys the
site publishes, tampering, forgery, algorithm confusion, key rotation, credentials signed with
Ed25519 before the switch to RS256, and the revocation list."""

import gzip
import itertools
import json
import uuid
from datetime import date, timedelta
from decimal import Decimal

import jwt as pyjwt
import pytest
from cryptography.hazmat.primitives import serialization
from django.urls import include, path, reverse
from django.utils import timezone
from jwcrypto import jwk
from jwcrypto import jwt as jose_jwt
from jwcrypto.common import JWException

from certificates.credentials import keys
from certificates.credentials import openbadges as credentials
from certificates.credentials.credential_check import Reason, verify_credential
from certificates.credentials.services import (
    issue_certificate,
    reissue_certificate,
    revoke_certificate,
)
from certificates.models import Accreditation, Certificate, CertificateStatus
from lms import urls as lms_urls
from progress.models import CompletionRecord
from tests.certificates.factories import (
    AccreditationFactory,
    AccreditingBodyFactory,
    IssuanceRuleFactory,
    make_record,
)
from tests.certificates.jose import (
    b64url_decode,
    b64url_encode,
    independently_verified_claims,
    published_keyset,
    segments,
)
from tests.courses.factories import CourseFactory
from tests.lms.factories import UserFactory

# The lead includes certificates.urls_credentials at the site root; until then these tests do.
urlpatterns = [path("", include("certificates.credentials.urls")), *lms_urls.urlpatterns]

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]

_numbers = itertools.count(1)
COMPETENCE_ID = "74f5bb7d-d7cc-11e8-824f-0242ac160002"


def make_certificate(*, learner=None, status_index=None, snapshot=None, **fields):
    """A certificate row as issuance would leave it (the credential not yet signed)."""
    n = next(_numbers)
    learner = learner or UserFactory(display_name="Ana Popescu")
    course = CourseFactory()
    body = AccreditingBodyFactory(name="Colegiul Psihologilor", cpd_unit="points")
    accreditation = Accreditation.objects.create(
        body=body, course=course, reference=f"CPR-{n}", cpd_value=Decimal("4.50"),
        valid_from=date(2024, 1, 1),
    )  # fmt: skip
    record = CompletionRecord.objects.create(
        learner=learner, course=course, registration=uuid.uuid4(),
        completed_at=timezone.now() - timedelta(days=2), evidence=[],
    )  # fmt: skip
    issued_at = timezone.now() - timedelta(days=1)
    default_snapshot = {  # the shape certificates/issuance.py writes
        "version": 1,
        "language": "en",
        "recipient": {"name": learner.display_name, "public_id": str(learner.public_id)},
        "record": {"public_id": str(record.public_id)},
        "achievement": {
            "kind": "course",
            "title": "Trauma-informed practice",
            "public_id": str(course.public_id),
            "activity_iri": course.activity_iri,
        },
        "body": {"name": body.name, "public_id": str(body.public_id), "country": "RO",
                 "cpd_unit": "points"},
        "accreditation": {
            "reference": accreditation.reference,
            "public_id": str(accreditation.public_id),
        },
        "cpd": {"value": "4.50", "unit": "points"},
        "learning_outcomes": ["Recognise signs of trauma", "Plan a safe first interview"],
        "competences": [
            {
                "code": "2.1",
                "statement": "Assesses risk to the child",
                "framework": "Child protection competences (RO)",
                "identifier": COMPETENCE_ID,
                "uri": f"https://case.example.org/uri/{COMPETENCE_ID}",
                "level": 3,
                "level_name": "Skilled",
                "relation": "develops",
            }
        ],
        "completed_on": "2025-03-01",
        "serial": f"PR-2025-{n:05d}",
        "verification_url": f"http://testserver/verify/code{n}",
        "issued_on": issued_at.date().isoformat(),
    }  # fmt: skip
    values = {
        "serial": f"PR-2025-{n:05d}",
        "verification_code": f"CODE{n:08d}",
        "record": record,
        "learner": learner,
        "accreditation": accreditation,
        "issued_at": issued_at,
        "expires_at": issued_at + timedelta(days=3 * 365),
        "language": "en",
        "snapshot": default_snapshot if snapshot is None else snapshot,
        "status_index": n * 17 if status_index is None else status_index,
    }
    return Certificate.objects.create(**(values | fields))


def issue(certificate):
    """What issuance does with the credential: sign once, store."""
    certificate.credential = credentials.sign_certificate_credential(certificate)
    certificate.save(update_fields=["credential"])
    return certificate.credential


def forge(claims, *, kid, alg="RS256"):
    """The same claims, signed (by jwcrypto) with a fresh key that nobody published: RSA 2048
    for RS256, Ed25519 for EdDSA."""
    if alg == "RS256":
        fresh = jwk.JWK.generate(kty="RSA", size=2048)
    else:
        fresh = jwk.JWK.generate(kty="OKP", crv="Ed25519")
    token = jose_jwt.JWT(header={"alg": alg, "kid": kid, "typ": "JWT"}, claims=claims)
    token.make_signed_token(fresh)
    return token.serialize()


def legacy_ed25519_key():
    """An Ed25519 key as the site made them before the switch to RS256, still active."""
    return keys._create_key(keys.EDDSA)


def sign_with(certificate, key):
    """Sign and store the certificate's credential with the given key, as issuance did."""
    certificate.credential = credentials.sign_credential(
        credentials.build_credential(certificate), key
    )
    certificate.save(update_fields=["credential"])
    return certificate.credential


# --- the credential -----------------------------------------------------------------------------


def test_credential_is_an_open_badges_3_achievement_credential(settings):
    certificate = make_certificate(status_index=4242)
    credential = credentials.build_credential(certificate)

    assert credential["@context"] == [
        "https://www.w3.org/ns/credentials/v2",
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
    ]
    assert credential["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert credential["id"] == f"urn:uuid:{certificate.public_id}"
    assert credential["name"] == "Trauma-informed practice"
    assert credential["issuer"] == {
        "id": "http://testserver/credentials/issuer",
        "type": ["Profile"],
        "name": "Practica",
        "url": "http://testserver/",
    }
    assert credential["validFrom"] == certificate.issued_at.strftime("%Y-%m-%dT%H:%M:%SZ")
    assert credential["validUntil"] == certificate.expires_at.strftime("%Y-%m-%dT%H:%M:%SZ")

    subject = credential["credentialSubject"]
    assert subject["id"] == f"urn:uuid:{certificate.learner.public_id}"
    assert subject["type"] == ["AchievementSubject"]
    assert subject["creditsEarned"] == 4.5
    assert subject["identifier"] == [
        {"type": "IdentityObject", "identityType": "name", "hashed": False,
         "identityHash": "Ana Popescu"},
    ]  # fmt: skip

    achievement = subject["achievement"]
    assert achievement["id"] == f"urn:uuid:{certificate.accreditation.public_id}"
    assert achievement["type"] == ["Achievement"]
    assert achievement["name"] == "Trauma-informed practice"
    assert achievement["description"] == "Certificate of completion of “Trauma-informed practice”."
    assert achievement["creditsAvailable"] == 4.5
    assert achievement["humanCode"] == certificate.accreditation.reference
    narrative = achievement["criteria"]["narrative"]
    assert "Completed the course “Trauma-informed practice” on 1 Mar 2025." in narrative
    assert (
        f"Accredited by Colegiul Psihologilor (reference {certificate.accreditation.reference}) "
        "for 4.5 CPD points." in narrative
    )
    assert "- Recognise signs of trauma\n- Plan a safe first interview" in narrative
    assert achievement["alignment"] == [
        {
            "type": ["Alignment"],
            "targetType": "CFItem",
            "targetName": "Assesses risk to the child",
            "targetUrl": f"https://case.example.org/uri/{COMPETENCE_ID}",
            "targetCode": COMPETENCE_ID,
            "targetFramework": "Child protection competences (RO)",
            "targetDescription": "Code 2.1, level Skilled",
        }
    ]

    assert credential["credentialStatus"] == {
        "id": "http://testserver/credentials/status/1#4242",
        "type": "BitstringStatusListEntry",
        "statusPurpose": "revocation",
        "statusListIndex": "4242",
        "statusListCredential": "http://testserver/credentials/status/1",
    }
    assert certificate.learner.email not in json.dumps(credential)


def test_flat_snapshot_keys_are_read_too():
    learner = UserFactory()
    snapshot = {
        "title": "Interviewing children",
        "description": "Forensic interviews, step by step.",
        "recipient_name": "Ion Ionescu",
        "learner_public_id": str(learner.public_id),
        "body": {"name": "Colegiul Psihologilor", "country": "RO", "cpd_unit": "hours"},
        "accreditation_reference": "CPR-99",
        "cpd_value": "12.00",
        "cpd_unit": "hours",
        "learning_outcomes": {"en": "Plan the interview\nClose the interview"},
        "competences": [{"statement": "Interviews", "identifier": COMPETENCE_ID, "level": "3"}],
        "achievement_id": "https://learn.example.org/courses/interviewing",
    }
    credential = credentials.build_credential(make_certificate(learner=learner, snapshot=snapshot))
    subject = credential["credentialSubject"]
    achievement = subject["achievement"]
    assert credential["description"] == achievement["description"] == snapshot["description"]
    assert subject["id"] == learner.public_id.urn
    assert subject["identifier"][0]["identityHash"] == "Ion Ionescu"
    assert subject["creditsEarned"] == achievement["creditsAvailable"] == 12.0
    assert achievement["id"] == "https://learn.example.org/courses/interviewing"
    assert achievement["humanCode"] == "CPR-99"
    assert "for 12 CPD hours." in achievement["criteria"]["narrative"]
    assert "- Plan the interview\n- Close the interview" in achievement["criteria"]["narrative"]
    assert achievement["alignment"][0]["targetDescription"] == "level 3"


def test_credential_in_romanian_has_its_criteria_in_romanian():
    certificate = make_certificate(language="ro")
    credential = credentials.build_credential(certificate)
    assert credential["credentialSubject"]["achievement"]["inLanguage"] == "ro"


def test_credential_without_expiry_has_no_valid_until_nor_exp():
    certificate = make_certificate(expires_at=None)
    assert "validUntil" not in credentials.build_credential(certificate)
    _, payload, _ = segments(issue(certificate))
    assert "exp" not in payload
    assert "validUntil" not in payload


def test_sparse_snapshot_still_makes_a_credential():
    certificate = make_certificate(snapshot={})
    credential = credentials.build_credential(certificate)
    achievement = credential["credentialSubject"]["achievement"]
    assert achievement["name"] == certificate.serial
    assert achievement["criteria"]["narrative"]
    assert "alignment" not in achievement
    assert "creditsAvailable" not in achievement
    assert "identifier" not in credential["credentialSubject"]
    assert credential["credentialSubject"]["id"] == certificate.learner.public_id.urn
    assert verify_credential(issue(certificate)).ok


def test_competence_without_uri_aligns_by_its_case_identifier_urn():
    snapshot = {"competences": [{"statement": "Listens", "identifier": COMPETENCE_ID}, "junk"]}
    certificate = make_certificate(snapshot=snapshot)
    [alignment] = credentials.build_credential(certificate)["credentialSubject"]["achievement"][
        "alignment"
    ]
    assert alignment["targetUrl"] == f"urn:uuid:{COMPETENCE_ID}"
    assert alignment["targetCode"] == COMPETENCE_ID


# --- the VC-JWT ---------------------------------------------------------------------------------


def test_jwt_follows_the_open_badges_jwt_proof_format():
    certificate = make_certificate()
    token = issue(certificate)
    header, payload, _ = segments(token)
    key = keys.active_key()
    assert header == {"alg": "RS256", "kid": f"http://testserver/credentials/keys/{key.kid}",
                      "typ": "JWT"}  # fmt: skip
    assert key.algorithm == "RS256"  # OB 3.0 §8.2.3: RS256 as a minimum
    credential = credentials.build_credential(certificate)
    assert {k: v for k, v in payload.items() if k not in {"iss", "jti", "sub", "nbf", "exp"}} == (
        credential
    )
    assert payload["iss"] == credential["issuer"]["id"]
    assert payload["jti"] == credential["id"]
    assert payload["sub"] == credential["credentialSubject"]["id"]
    assert payload["nbf"] == int(certificate.issued_at.replace(microsecond=0).timestamp())
    assert payload["exp"] == int(certificate.expires_at.replace(microsecond=0).timestamp())
    assert "vc" not in payload


def test_independent_verifier_accepts_the_credential_with_the_published_jwks(client):
    certificate = make_certificate()
    token = issue(certificate)
    claims = independently_verified_claims(token, published_keyset(client))
    assert claims["id"] == f"urn:uuid:{certificate.public_id}"
    assert claims["credentialSubject"]["achievement"]["creditsAvailable"] == 4.5


def test_key_id_dereferences_to_the_jwk_that_verifies(client):
    token = issue(make_certificate())
    header, _, _ = segments(token)
    response = client.get(header["kid"].removeprefix("http://testserver"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/jwk+json")
    key = jwk.JWK.from_json(response.content)
    assert not key.has_private
    assert (key["kty"], key["alg"], key["use"]) == ("RSA", "RS256", "sig")
    assert json.loads(jose_jwt.JWT(jwt=token, key=key, algs=["RS256"]).claims)["jti"]


def test_verify_credential_accepts_a_genuine_credential():
    certificate = make_certificate()
    result = verify_credential(issue(certificate) + "\n")
    assert result.ok, result.reason
    assert result.reason == Reason.VALID
    assert result.claims["jti"] == f"urn:uuid:{certificate.public_id}"
    assert result.kid == keys.key_url(keys.active_key().kid)


# --- tampering and forgery ----------------------------------------------------------------------


def test_changed_claim_with_the_original_signature_is_altered(client):
    token = issue(make_certificate())
    header, payload, signature = token.split(".")
    claims = json.loads(b64url_decode(payload))
    claims["credentialSubject"]["creditsEarned"] = 40.0
    tampered = f"{header}.{b64url_encode(json.dumps(claims).encode())}.{signature}"

    result = verify_credential(tampered)
    assert (result.ok, result.reason, result.claims) == (False, Reason.ALTERED, None)
    with pytest.raises(JWException):
        independently_verified_claims(tampered, published_keyset(client))


def test_changed_header_with_the_original_signature_is_altered():
    token = issue(make_certificate())
    header, payload, signature = token.split(".")
    # Still a header we accept (the bare kid names the same key), but not the one signed.
    new_header = json.loads(b64url_decode(header)) | {"kid": keys.active_key().kid}
    tampered = f"{b64url_encode(json.dumps(new_header).encode())}.{payload}.{signature}"
    assert verify_credential(tampered).reason == Reason.ALTERED


@pytest.mark.parametrize("same_kid", [True, False], ids=["published kid", "unknown kid"])
def test_credential_signed_by_an_unpublished_key_is_forged(client, same_kid):
    certificate = make_certificate()
    token = issue(certificate)
    header, claims, _ = segments(token)
    kid = header["kid"] if same_kid else "http://testserver/credentials/keys/attacker"
    forged = forge(claims, kid=kid)

    result = verify_credential(forged)
    assert (result.ok, result.reason, result.claims, result.kid) == (
        False, Reason.FORGED, None, kid,
    )  # fmt: skip
    with pytest.raises(JWException):
        independently_verified_claims(forged, published_keyset(client))


def test_credential_for_a_certificate_never_issued_is_forged():
    certificate = make_certificate()
    header, claims, _ = segments(issue(certificate))
    claims["id"] = claims["jti"] = uuid.uuid4().urn
    assert verify_credential(forge(claims, kid=header["kid"])).reason == Reason.FORGED


def test_unsigned_and_symmetric_algorithms_are_refused(client):
    header, claims, _ = segments(issue(make_certificate()))
    body = b64url_encode(json.dumps(claims).encode())
    for unsigned_header in (
        {"alg": "none", "typ": "JWT"},
        {"alg": "none", "kid": header["kid"]},
        {"alg": ["RS256"], "kid": header["kid"]},  # not even a string
        {"kid": header["kid"]},
    ):
        unsigned = b64url_encode(json.dumps(unsigned_header).encode()) + f".{body}."
        assert verify_credential(unsigned).reason == Reason.UNSUPPORTED_ALGORITHM

    # HMAC keyed with the public key (the classic algorithm confusion attack): its PEM, as a
    # verifier that lets the header pick the algorithm would use it, and its modulus.
    key = keys.active_key()
    pem = keys.public_key_of(key).public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    keyset = published_keyset(client)
    for secret in (b64url_encode(pem), key.public_jwk["n"]):
        confused = jose_jwt.JWT(header={"alg": "HS256", "kid": header["kid"]}, claims=claims)
        confused.make_signed_token(jwk.JWK(kty="oct", k=secret))
        token = confused.serialize()
        assert verify_credential(token).reason == Reason.UNSUPPORTED_ALGORITHM
        with pytest.raises(JWException):
            independently_verified_claims(token, keyset, algs=["RS256", "HS256"])


def test_only_the_keys_own_algorithm_verifies():
    """RS384, RS512 or PS256 with the site's very RSA key: sound signatures, but not the key's
    algorithm, so refused (RFC 8725 §3.1: one key, one algorithm)."""
    key = keys.active_key()
    _, claims, _ = segments(issue(make_certificate()))
    for alg in ("RS384", "RS512", "PS256"):
        token = pyjwt.encode(
            claims, keys.private_key_of(key), algorithm=alg,
            headers={"kid": keys.key_url(key.kid), "typ": "JWT"},
        )  # fmt: skip
        assert verify_credential(token).reason == Reason.UNSUPPORTED_ALGORITHM


def test_a_header_algorithm_other_than_the_named_keys_is_refused():
    """The key decides the algorithm: EdDSA naming our RSA key, or RS256 naming our Ed25519 key,
    is a signature the key never made (altered if it is ours with the header changed)."""
    legacy = legacy_ed25519_key()
    old_token = sign_with(make_certificate(), legacy)
    new_token = issue(make_certificate())  # the first RS256 signature: the RSA key is made
    rsa_key = keys.active_key()
    assert (legacy.algorithm, rsa_key.algorithm) == ("EdDSA", "RS256")

    # Forgeries: a fresh Ed25519 key signs EdDSA naming the RSA key, and a fresh RSA key signs
    # RS256 naming the Ed25519 key.
    _, new_claims, _ = segments(new_token)
    _, old_claims, _ = segments(old_token)
    for claims, kid, alg in (
        (new_claims, keys.key_url(rsa_key.kid), "EdDSA"),
        (old_claims, keys.key_url(legacy.kid), "RS256"),
    ):
        result = verify_credential(forge(claims, kid=kid, alg=alg))
        assert (result.ok, result.reason, result.claims) == (False, Reason.FORGED, None)

    # Our own tokens with the header's alg swapped: altered.
    for token, alg in ((new_token, "EdDSA"), (old_token, "RS256")):
        header, payload, signature = token.split(".")
        swapped = json.loads(b64url_decode(header)) | {"alg": alg}
        tampered = f"{b64url_encode(json.dumps(swapped).encode())}.{payload}.{signature}"
        result = verify_credential(tampered)
        assert (result.ok, result.reason, result.claims) == (False, Reason.ALTERED, None)
    assert verify_credential(new_token).ok
    assert verify_credential(old_token).ok


def test_jose_headers_beyond_alg_kid_typ_are_refused():
    """OB 3.0 §8.2.3 allows no other header; a ``jku`` would point verifiers at other keys."""
    key = keys.active_key()
    _, claims, _ = segments(issue(make_certificate()))
    token = pyjwt.encode(
        claims, keys.private_key_of(key), algorithm="RS256",
        headers={"kid": keys.key_url(key.kid), "jku": "https://attacker.example/jwks.json"},
    )  # fmt: skip
    result = verify_credential(token)
    assert (result.ok, result.reason) == (False, Reason.NOT_A_CREDENTIAL)


def test_signed_payload_that_is_not_a_credential_is_refused():
    key = keys.active_key()
    token = credentials.sign_credential(
        {
            "@context": [credentials.VC_CONTEXT],
            "id": "urn:uuid:00000000-0000-0000-0000-000000000000",
            "type": ["VerifiableCredential", "SomethingElse"],
            "issuer": credentials.issuer_profile(),
            "validFrom": "2025-01-01T00:00:00Z",
            "credentialSubject": {"id": "urn:example:x"},
        },
        key,
    )
    assert verify_credential(token).reason == Reason.NOT_A_CREDENTIAL


@pytest.mark.parametrize("text", ["", "hello", "a.b.c", "eyJ.eyJ.x", "...."])
def test_garbage_is_not_a_credential(text):
    result = verify_credential(text)
    assert (result.ok, result.reason, result.claims) == (False, Reason.NOT_A_CREDENTIAL, None)


def test_json_credential_is_refused_as_not_a_jwt():
    certificate = make_certificate()
    document = json.dumps(credentials.build_credential(certificate))
    assert verify_credential(document).reason == Reason.NOT_A_JWT


def test_expired_credential_says_so_and_still_shows_its_claims():
    issued = timezone.now() - timedelta(days=800)
    certificate = make_certificate(issued_at=issued, expires_at=issued + timedelta(days=365))
    result = verify_credential(issue(certificate))
    assert (result.ok, result.reason) == (False, Reason.EXPIRED)
    assert result.claims["jti"] == certificate.public_id.urn


# --- key rotation -------------------------------------------------------------------------------


def test_credential_signed_before_rotation_still_verifies(client):
    before = issue(make_certificate())
    old_kid = segments(before)[0]["kid"]
    keys.rotate_signing_key()
    after = issue(make_certificate())
    new_kid = segments(after)[0]["kid"]

    assert new_kid != old_kid
    assert new_kid == keys.key_url(keys.active_key().kid)
    keyset = published_keyset(client)
    assert {k["kid"] for k in keyset.export(as_dict=True, private_keys=False)["keys"]} == {
        old_kid, new_kid,
    }  # fmt: skip
    for token in (before, after):
        assert independently_verified_claims(token, keyset)["iss"] == credentials.issuer_id()
        assert verify_credential(token).ok


def test_credential_signed_with_ed25519_before_the_switch_still_verifies(client):
    """A site upgraded with an Ed25519 key: what it signed stays verifiable (by us and by any
    JOSE library, with the published JWKS), and the next signature is RS256."""
    legacy = legacy_ed25519_key()
    old_certificate = make_certificate()
    before = sign_with(old_certificate, legacy)
    assert segments(before)[0] == {"alg": "EdDSA", "kid": keys.key_url(legacy.kid), "typ": "JWT"}

    after = issue(make_certificate())
    header, _, _ = segments(after)
    rsa_key = keys.active_key()
    assert header == {"alg": "RS256", "kid": keys.key_url(rsa_key.kid), "typ": "JWT"}
    legacy.refresh_from_db()
    assert legacy.retired_at is not None

    keyset = published_keyset(client)
    assert {k["kid"]: k["alg"] for k in keyset} == {
        keys.key_url(legacy.kid): "EdDSA", keys.key_url(rsa_key.kid): "RS256",
    }  # fmt: skip
    assert independently_verified_claims(before, keyset, algs=["EdDSA"])["jti"] == (
        old_certificate.public_id.urn
    )
    assert independently_verified_claims(after, keyset)["iss"] == credentials.issuer_id()
    with pytest.raises(JWException):  # an RS256-only verifier does not take the old one
        independently_verified_claims(before, keyset)
    for token in (before, after):
        result = verify_credential(token)
        assert (result.ok, result.reason) == (True, Reason.VALID)

    # Revoking the old certificate shows in the (RS256) status list and in its verification.
    revoke_certificate(certificate=old_certificate, reason="Issued in error",
                       by=UserFactory(is_staff=True))  # fmt: skip
    assert verify_credential(before).reason == Reason.REVOKED
    status = independently_verified_claims(fetch_status_list(client).content.decode(), keyset)
    bits = decode_status_list_independently(status["credentialSubject"]["encodedList"])
    assert credentials.status_bit(bits, old_certificate.status_index)


# --- revocation ---------------------------------------------------------------------------------


def decode_status_list_independently(encoded_list):
    """BSL §3.4 by hand: multibase "u" -> base64url -> gunzip."""
    assert encoded_list.startswith("u")
    return gzip.decompress(b64url_decode(encoded_list[1:]))


def fetch_status_list(client):
    response = client.get("/credentials/status/1")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vc+jwt"
    return response


def test_revoked_certificate_has_its_bit_set_in_the_status_list_and_no_other(client):
    revoked = make_certificate(status_index=7)
    kept = make_certificate(status_index=8)
    make_certificate(status_index=131_071)
    issue(revoked)
    issue(kept)
    revoked.status = CertificateStatus.REVOKED
    revoked.revoked_at = timezone.now()
    revoked.save(update_fields=["status", "revoked_at"])

    token = fetch_status_list(client).content.decode()
    claims = independently_verified_claims(token, published_keyset(client))
    bits = decode_status_list_independently(claims["credentialSubject"]["encodedList"])
    assert len(bits) * 8 == 131_072
    assert bits[0] == 0b0000_0001  # index 7 is the right-most bit of the first byte
    assert bits[1] == 0  # index 8 (valid) is clear
    assert sum(bin(byte).count("1") for byte in bits) == 1

    result = verify_credential(revoked.credential)
    assert (result.ok, result.reason) == (False, Reason.REVOKED)
    assert result.claims["credentialStatus"]["statusListIndex"] == "7"
    assert verify_credential(kept.credential).ok


def test_replaced_certificate_is_cancelled_too():
    replaced = make_certificate(status_index=0, status=CertificateStatus.REPLACED)
    bits = credentials.decode_status_list(
        verify_credential(credentials.status_list_credential()).claims["credentialSubject"][
            "encodedList"
        ]
    )
    assert credentials.status_bit(bits, 0)
    assert bits[0] == 0b1000_0000  # index 0 is the left-most bit
    assert verify_credential(issue(replaced)).reason == Reason.REVOKED


def test_status_list_is_a_bitstring_status_list_credential(client):
    response = fetch_status_list(client)
    assert response["Cache-Control"] == "public, max-age=300"
    assert response["Access-Control-Allow-Origin"] == "*"
    token = response.content.decode()
    header, _, _ = segments(token)
    assert header["alg"] == "RS256"
    result = verify_credential(token)
    assert result.ok, result.reason
    claims = result.claims
    assert claims["@context"] == ["https://www.w3.org/ns/credentials/v2"]
    assert claims["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
    assert claims["id"] == claims["jti"] == "http://testserver/credentials/status/1"
    subject = claims["credentialSubject"]
    assert subject["id"] == "http://testserver/credentials/status/1#list"
    assert subject["type"] == "BitstringStatusList"
    assert subject["statusPurpose"] == "revocation"
    assert subject["ttl"] == 300_000
    assert not any(decode_status_list_independently(subject["encodedList"]))


def test_status_list_grows_to_cover_the_largest_index():
    make_certificate(status_index=200_000, status=CertificateStatus.REVOKED)
    claims = verify_credential(credentials.status_list_credential()).claims
    bits = credentials.decode_status_list(claims["credentialSubject"]["encodedList"])
    assert len(bits) * 8 >= 200_001
    assert credentials.status_bit(bits, 200_000)
    assert not credentials.status_bit(bits, 199_999)


def test_status_list_takes_a_fixed_number_of_queries(client, django_assert_num_queries):
    for index in range(5):
        make_certificate(status_index=index, status=CertificateStatus.REVOKED)
    keys.active_key()
    with django_assert_num_queries(3):  # active key, largest index, cancelled indexes
        fetch_status_list(client)


def test_status_list_encoding_round_trips():
    encoded = credentials.encode_status_list([0, 9, 131_071])
    bits = credentials.decode_status_list(encoded)
    assert len(bits) == 16_384
    assert [i for i in range(131_072) if credentials.status_bit(bits, i)] == [0, 9, 131_071]
    with pytest.raises(IndexError):
        credentials.status_bit(bits, 131_072)
    with pytest.raises(ValueError, match="multibase"):
        credentials.decode_status_list("z" + encoded[1:])


# --- with the issuance service -----------------------------------------------------------------


def test_issued_revoked_and_reissued_certificates_as_a_verifier_sees_them(client):
    """End to end through certificates.issuance: issue signs and stores the credential; a
    revocation and a reissue show in the published status list."""
    accreditation = AccreditationFactory()
    rule = IssuanceRuleFactory(course=accreditation.course, accreditation=accreditation)
    staff = UserFactory(is_staff=True)
    first, second = (
        issue_certificate(record=make_record(course=accreditation.course), rule=rule)
        for _ in range(2)
    )
    keyset = published_keyset(client)
    for certificate in (first, second):
        claims = independently_verified_claims(certificate.credential, keyset)
        assert claims["jti"] == certificate.public_id.urn
        assert claims["credentialSubject"]["achievement"]["humanCode"] == accreditation.reference
        assert claims["credentialSubject"]["creditsEarned"] == 4.0

    revoke_certificate(certificate=first, reason="Issued in error", by=staff)
    replacement = reissue_certificate(certificate=second, by=staff)

    status = independently_verified_claims(fetch_status_list(client).content.decode(), keyset)
    bits = decode_status_list_independently(status["credentialSubject"]["encodedList"])
    assert credentials.status_bit(bits, first.status_index)
    assert credentials.status_bit(bits, second.status_index)
    assert not credentials.status_bit(bits, replacement.status_index)
    assert verify_credential(first.credential).reason == Reason.REVOKED
    assert verify_credential(second.credential).reason == Reason.REVOKED
    assert verify_credential(replacement.credential).ok


# --- public endpoints ---------------------------------------------------------------------------


def test_url_names_serve_the_paths_written_into_credentials():
    key = keys.active_key()
    assert reverse("credential-jwks") == "/.well-known/jwks.json"
    assert "http://testserver" + reverse("credential-key", args=[key.kid]) == keys.key_url(key.kid)
    assert "http://testserver" + reverse("credential-issuer") == credentials.issuer_id()
    assert "http://testserver" + reverse("credential-status-list") == credentials.status_list_url()


def test_jwks_endpoint_is_public_cacheable_and_one_query(client, django_assert_num_queries):
    keys.active_key()
    keys.rotate_signing_key()
    with django_assert_num_queries(1):
        response = client.get(reverse("credential-jwks"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/jwk-set+json; charset=utf-8"
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "max-age=600" in response["Cache-Control"]
    published = response.json()["keys"]
    assert len(published) == 2
    assert all(set(entry) == {"kid", "kty", "n", "e", "alg", "use"} for entry in published)
    for member in ("d", "p", "q", "dp", "dq", "qi"):  # RFC 7518 §6.3.2: private members
        assert f'"{member}"'.encode() not in response.content


def test_unknown_key_url_is_404(client):
    assert client.get(reverse("credential-key", args=["nope"])).status_code == 404


def test_issuer_profile_is_served_at_its_id(client):
    response = client.get(reverse("credential-issuer"))
    assert response.status_code == 200
    profile = response.json()
    assert profile["id"] == credentials.issuer_id()
    assert profile["type"] == ["Profile"]
    assert profile["url"] == "http://testserver/"
    metadata = client.get(reverse("credential-issuer-metadata")).json()
    assert metadata == {
        "issuer": credentials.issuer_id(),
        "jwks_uri": "http://testserver/.well-known/jwks.json",
    }


def test_public_endpoints_refuse_writes(client):
    assert client.post(reverse("credential-jwks")).status_code == 405
    assert client.post(reverse("credential-status-list")).status_code == 405


def test_learner_downloads_their_credential(client, django_assert_num_queries):
    certificate = make_certificate()
    token = issue(certificate)
    client.force_login(certificate.learner)
    url = reverse("credential-download", args=[certificate.public_id])
    with django_assert_num_queries(3):  # session, user, certificate
        response = client.get(url)
    assert response.status_code == 200
    assert response.content.decode() == token
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="{certificate.serial}.jwt"'
    assert "no-store" in response["Cache-Control"]


def test_someone_elses_credential_is_404(client):
    certificate = make_certificate()
    issue(certificate)
    client.force_login(UserFactory())
    url = reverse("credential-download", args=[certificate.public_id])
    assert client.get(url).status_code == 404


def test_credential_download_needs_a_login(client):
    certificate = make_certificate()
    issue(certificate)
    response = client.get(reverse("credential-download", args=[certificate.public_id]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_credential_not_yet_signed_is_404(client):
    certificate = make_certificate()
    client.force_login(certificate.learner)
    url = reverse("credential-download", args=[certificate.public_id])
    assert client.get(url).status_code == 404


@pytest.mark.parametrize(
    ("language", "value", "expected"),
    [
        ("en", "1.00", "Worth 1 CPD hour."),
        ("en", "2", "Worth 2 CPD hours."),
        ("ro", "1", "Valorează 1 oră DPC."),
        ("ro", "20", "Valorează 20 de ore DPC."),
    ],
)
def test_the_narrative_s_cpd_amount_agrees_with_its_number(language, value, expected):
    """Issue 19: "Worth 1 CPD hours." and, in Romanian, "1 ore DPC"."""
    snapshot = {
        "title": "Interviewing",
        "language": language,
        "cpd_value": value,
        "cpd_unit": "hours",
        "completed_on": "2025-03-01",
    }
    certificate = make_certificate(snapshot=snapshot, language=language)
    narrative = credentials.build_credential(certificate)["credentialSubject"]["achievement"][
        "criteria"
    ]["narrative"]
    assert expected in narrative
