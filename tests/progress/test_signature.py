"""Signed statements: xAPI 1.0.3 Data §2.6, and xAPI 2.0 as the ADL conformance suite tests it.

The suite (test/v2_0/E.Data2.6-SignedStatements.js, helper.signStatement) signs a statement that
has no attachments with an alg-only header, then adds the signature attachment; the tests here
also sign with an x5c chain, as Data §2.6.s4.b5-b6 recommend.
"""

import base64
import copy
import hashlib
import secrets
from datetime import UTC, datetime, timedelta
from typing import Any

import jwt
import orjson
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import NameOID

from progress.xapi.signature import (
    SIGNATURE_USAGE_TYPE,
    SignatureError,
    find_signature,
    verify_signed_statement,
)

STATEMENT_ID = "5c3a0c9a-4c3e-4d55-9a53-6a2b4c0c8f11"
REGISTRATION = "8f6f1b5e-0d2a-4b7c-9e3d-2a1c4b5d6e7f"


def _certificate(key: Any, name: str) -> x509.Certificate:
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = datetime.now(UTC)
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=30))
        .sign(key, hashes.SHA256())
    )


def _x5c(certificate: x509.Certificate) -> str:
    return base64.b64encode(certificate.public_bytes(serialization.Encoding.DER)).decode()


@pytest.fixture(scope="module")
def key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.fixture(scope="module")
def x5c(key) -> list[str]:
    """A self-signed certificate for ``key``, as the JWS header's x5c (RFC 7515 §4.1.6)."""
    return [_x5c(_certificate(key, "Practica test signer"))]


def statement() -> dict[str, Any]:
    return {
        "id": STATEMENT_ID,
        "actor": {"objectType": "Agent", "name": "Ada", "mbox": "mailto:ada@example.com"},
        "verb": {
            "id": "http://adlnet.gov/expapi/verbs/completed",
            "display": {"en-US": "completed"},
        },
        "object": {
            "objectType": "Activity",
            "id": "https://practica.example/units/1",
            "definition": {"name": {"en-GB": "Unit 1"}},
        },
        "result": {"completion": True, "duration": "PT1H2M3.45S", "score": {"scaled": 1}},
        "context": {
            "registration": REGISTRATION,
            "contextActivities": {"parent": [{"id": "https://practica.example/courses/1"}]},
        },
        "timestamp": "2025-03-01T12:00:00.000Z",
    }


def sign(
    payload: Any, key: Any, *, algorithm: str = "RS256", x5c: list[str] | None = None
) -> bytes:
    """A compact JWS of ``payload`` (a dict, or the exact payload bytes)."""
    headers = {"x5c": x5c} if x5c is not None else None
    if isinstance(payload, bytes):
        return jwt.PyJWS().encode(payload, key, algorithm=algorithm, headers=headers).encode()
    return jwt.encode(payload, key, algorithm=algorithm, headers=headers).encode()


def attach(received: dict[str, Any], jws: bytes, **overrides: Any) -> dict[str, Any]:
    """The statement as sent: ``received`` plus the signature attachment (Data §2.6.s4.b1)."""
    signature = {
        "usageType": SIGNATURE_USAGE_TYPE,
        "display": {"en-US": "Signature"},
        "contentType": "application/octet-stream",
        "length": len(jws),
        "sha2": hashlib.sha256(jws).hexdigest(),
        **overrides,
    }
    return {**received, "attachments": [*received.get("attachments", []), signature]}


def signed(key: Any, x5c: list[str] | None, **options: Any) -> tuple[dict[str, Any], bytes]:
    jws = sign(statement(), key, x5c=x5c, **options)
    return attach(statement(), jws), jws


def b64url(data: bytes) -> bytes:
    return base64.urlsafe_b64encode(data).rstrip(b"=")


# --- Valid signatures ---------------------------------------------------------------------


@pytest.mark.parametrize("algorithm", ["RS256", "RS384", "RS512"])
def test_rsa_signature_with_x5c_is_accepted(key, x5c, algorithm):
    # Data §2.6.s4.b4: RS256, RS384 and RS512; §2.6.s5.b3.b3: verified with the x5c certificate.
    received, jws = signed(key, x5c, algorithm=algorithm)
    verify_signed_statement(received, jws)


@pytest.mark.parametrize("algorithm", ["RS256", "RS384", "RS512"])
def test_signature_without_x5c_is_accepted_unverified(key, algorithm):
    # The suite's helper.signStatement sends only {"alg": ...}: nothing to verify against.
    received, jws = signed(key, None, algorithm=algorithm)
    verify_signed_statement(received, jws)


def test_surrounding_whitespace_around_the_jws_is_tolerated(key, x5c):
    received, jws = signed(key, x5c)
    verify_signed_statement(received, jws + b"\r\n")


def test_verification_leaves_the_statement_untouched(key, x5c):
    received, jws = signed(key, x5c)
    before = copy.deepcopy(received)
    verify_signed_statement(received, jws)
    assert received == before


# --- Algorithms (Data §2.6.s4.b4; suite XAPI-00117) ----------------------------------------


def test_hs256_is_refused(key):
    # The suite signs with HS256 and expects 400.
    jws = sign(statement(), secrets.token_bytes(64), algorithm="HS256")
    with pytest.raises(SignatureError, match="must use RS256, RS384 or RS512"):
        verify_signed_statement(attach(statement(), jws), jws)


def test_unsigned_none_algorithm_is_refused():
    jws = sign(statement(), None, algorithm="none")
    with pytest.raises(SignatureError, match="algorithm is 'none'"):
        verify_signed_statement(attach(statement(), jws), jws)


def test_rsa_pss_is_refused(key, x5c):
    jws = sign(statement(), key, algorithm="PS256", x5c=x5c)
    with pytest.raises(SignatureError, match="algorithm is 'PS256'"):
        verify_signed_statement(attach(statement(), jws), jws)


@pytest.mark.parametrize(
    ("header", "shown"),
    [
        (b'{"typ":"JWT"}', "None"),
        (b'{"alg":["RS256"]}', r"\['RS256'\]"),
        (b'{"alg":"rs256"}', "'rs256'"),
    ],
)
def test_header_without_a_valid_alg_is_refused(header, shown):
    payload = b64url(orjson.dumps(statement()))
    jws = b64url(header) + b"." + payload + b"." + b64url(b"signature")
    with pytest.raises(SignatureError, match=f"algorithm is {shown};"):
        verify_signed_statement(attach(statement(), jws), jws)


def test_deeply_nested_statement_is_refused_cleanly(key):
    deep: Any = "leaf"
    for _ in range(400):  # 800 JSON levels: within orjson's limit, beyond Python's stack
        deep = {"objectType": "Group", "member": [deep]}
    payload = {**statement(), "actor": deep}
    jws = sign(payload, key)
    with pytest.raises(SignatureError, match="too deeply nested to compare"):
        verify_signed_statement(attach(payload, jws), jws)


# --- Signature verification against x5c (Data §2.6.s5.b3.b3) -------------------------------


def test_tampered_signature_is_refused(key, x5c):
    _, jws = signed(key, x5c)
    head, payload, signature = jws.split(b".")
    raw = bytearray(base64.urlsafe_b64decode(signature + b"=" * (-len(signature) % 4)))
    raw[10] ^= 0x01
    tampered = b".".join([head, payload, b64url(bytes(raw))])
    with pytest.raises(SignatureError, match="does not verify with the public key"):
        verify_signed_statement(attach(statement(), tampered), tampered)


def test_payload_swapped_under_the_signature_is_refused(key, x5c):
    _, jws = signed(key, x5c)
    head, _, signature = jws.split(b".")
    other = {**statement(), "verb": {"id": "http://adlnet.gov/expapi/verbs/failed"}}
    forged = b".".join([head, b64url(orjson.dumps(other)), signature])
    with pytest.raises(SignatureError, match="does not verify"):
        verify_signed_statement(attach(other, forged), forged)


def test_signature_by_another_key_than_the_certificate_is_refused(x5c):
    impostor = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    jws = sign(statement(), impostor, x5c=x5c)
    with pytest.raises(SignatureError, match="does not verify"):
        verify_signed_statement(attach(statement(), jws), jws)


@pytest.mark.parametrize(
    ("x5c_value", "message"),
    [
        ("MIIB", "non-empty array"),
        ([], "non-empty array"),
        ([42], "non-empty array"),
        (["not base64!"], "not a base64 DER X.509 certificate"),
        ([base64.b64encode(b"not a certificate").decode()], "not a base64 DER X.509"),
    ],
)
def test_malformed_x5c_is_refused(key, x5c_value, message):
    jws = sign(statement(), key, x5c=x5c_value)
    with pytest.raises(SignatureError, match=message):
        verify_signed_statement(attach(statement(), jws), jws)


def test_x5c_certificate_without_an_rsa_key_is_refused(key):
    ec_key = ec.generate_private_key(ec.SECP256R1())
    jws = sign(statement(), key, x5c=[_x5c(_certificate(ec_key, "EC signer"))])
    with pytest.raises(SignatureError, match="does not hold an RSA key"):
        verify_signed_statement(attach(statement(), jws), jws)


# --- Malformed JWS (Data §2.6.s5.b1, s5.b3.b1; suite XAPI-00115, XAPI-00116) ---------------


@pytest.mark.parametrize(
    ("jws", "message"),
    [
        (b"", "not a JWS in compact serialization"),
        (b"only.two", "not a JWS in compact serialization"),
        (b"a.b.c.d", "not a JWS in compact serialization"),
        (b"!!!.???.***", "not a valid JWS"),
        (b64url(b"[1, 2]") + b".e30.c2ln", "not a valid JWS"),
        (b'{"payload": "e30", "signatures": []}', "JWS JSON serialization"),
    ],
)
def test_malformed_jws_is_refused(jws, message):
    with pytest.raises(SignatureError, match=message):
        verify_signed_statement(attach(statement(), jws), jws)


def test_payload_that_is_not_json_is_refused(key):
    # The suite's breakJson: JSON.stringify(statement).replace('"', "'").
    broken = orjson.dumps(statement()).replace(b'"', b"'", 1)
    jws = sign(broken, key)
    with pytest.raises(SignatureError, match="not a valid JSON serialization"):
        verify_signed_statement(attach(statement(), jws), jws)


def test_payload_that_is_not_an_object_is_refused(key):
    jws = sign(b'["a", "statement", "list"]', key)
    with pytest.raises(SignatureError, match=r"must be a statement, i\.e\. a JSON object"):
        verify_signed_statement(attach(statement(), jws), jws)


def test_critical_header_extensions_are_refused(key):
    header = b64url(b'{"alg":"RS256","crit":["exp"],"exp":1}')
    jws = header + b"." + b64url(orjson.dumps(statement())) + b"." + b64url(b"sig")
    with pytest.raises(SignatureError, match=r"critical|not a valid JWS"):
        verify_signed_statement(attach(statement(), jws), jws)


# --- The signature attachment (Data §2.6.s4.b1; suite XAPI-00115) --------------------------


def test_signature_attachment_must_be_octet_stream(key, x5c):
    # The suite's "bad content type": contentType text/plain; charset=ascii answers 400.
    jws = sign(statement(), key, x5c=x5c)
    received = attach(statement(), jws, contentType="text/plain; charset=ascii")
    with pytest.raises(SignatureError, match="contentType is 'text/plain; charset=ascii'"):
        verify_signed_statement(received, jws)


def test_octet_stream_is_compared_without_case_or_parameters(key, x5c):
    jws = sign(statement(), key, x5c=x5c)
    verify_signed_statement(attach(statement(), jws, contentType="Application/Octet-Stream"), jws)


def test_statement_without_signature_attachment_is_refused(key):
    jws = sign(statement(), key)
    with pytest.raises(SignatureError, match="no attachment with usageType"):
        verify_signed_statement(statement(), jws)


def test_two_signature_attachments_are_refused(key):
    jws = sign(statement(), key)
    twice = attach(attach(statement(), jws), jws)
    with pytest.raises(SignatureError, match="only one signature attachment"):
        verify_signed_statement(twice, jws)


def test_find_signature():
    jws = b"x.y.z"
    received = attach({**statement(), "attachments": [{"usageType": "http://e.x/a"}]}, jws)
    assert find_signature(received) == received["attachments"][1]
    assert find_signature(statement()) is None
    assert find_signature({**statement(), "attachments": [{"usageType": "http://e.x/a"}]}) is None
    assert find_signature({**statement(), "attachments": "not a list"}) is None


# --- Payload versus statement (Data §2.6.s5.b3.b2, §2.3.1 Statement Comparison) ------------


def _check(key, x5c, payload: dict[str, Any], received: dict[str, Any]) -> None:
    jws = sign(payload, key, x5c=x5c)
    verify_signed_statement(attach(received, jws), jws)


def test_payload_differing_from_the_statement_is_refused(key, x5c):
    received = statement()
    received["object"]["id"] = "https://practica.example/units/2"
    with pytest.raises(SignatureError, match=r"differ at object\.id"):
        _check(key, x5c, statement(), received)


def test_statement_with_more_than_the_payload_is_refused(key, x5c):
    received = {**statement(), "context": {**statement()["context"], "language": "en-GB"}}
    with pytest.raises(SignatureError, match=r"differ at context\.language"):
        _check(key, x5c, statement(), received)


def test_payload_with_more_than_the_statement_is_refused(key, x5c):
    payload = statement()
    del payload["result"]["score"]
    with pytest.raises(SignatureError, match=r"differ at result\.score"):
        _check(key, x5c, statement(), payload)


def test_attachment_missing_from_the_payload_is_refused(key, x5c):
    # Only the signature attachment postdates the payload (Data §2.6.s4.b3).
    other = {
        "usageType": "http://practica.example/usage/essay",
        "display": {"en-US": "Essay"},
        "contentType": "text/plain",
        "length": 5,
        "sha2": hashlib.sha256(b"essay").hexdigest(),
    }
    with pytest.raises(SignatureError, match="differ at attachments"):
        _check(key, x5c, statement(), {**statement(), "attachments": [other]})


def test_attachments_signed_with_the_statement_are_accepted(key, x5c):
    other = {
        "usageType": "http://practica.example/usage/essay",
        "display": {"en-US": "Essay"},
        "contentType": "text/plain",
        "length": 5,
        "sha2": hashlib.sha256(b"essay").hexdigest(),
    }
    payload = {**statement(), "attachments": [other]}
    received = {**statement(), "attachments": [{**other, "display": {"EN-us": "Essay"}}]}
    _check(key, x5c, payload, received)


@pytest.mark.parametrize(
    ("path", "payload_value", "received_value"),
    [
        # Data §2.3.1.b8 and xAPI 2.0: durations differ beyond hundredths of a second only.
        (("result", "duration"), "PT1H2M3.45S", "PT1H2M3.4567S"),
        # Data §2.3.1.b4: the timestamp's serialization is not part of the statement.
        (("timestamp",), "2025-03-01T12:00:00.000Z", "2025-03-01T13:00:00+01:00"),
        # Data §2.3.1.b2: activity definitions are not part of the statement.
        (("object", "definition"), {"name": {"en-GB": "Unit 1"}}, {"name": {"en-GB": "Unit I"}}),
        # Data §2.3.1.b3: the verb's display is not part of the statement.
        (("verb", "display"), {"en-US": "completed"}, {"en-GB": "finished"}),
        # Data §2.3.1.b7: UUIDs and e-mail domains are case-insensitive.
        (("context", "registration"), REGISTRATION, REGISTRATION.upper()),
        (("actor", "mbox"), "mailto:ada@example.com", "mailto:ada@EXAMPLE.com"),
        (("id",), STATEMENT_ID, STATEMENT_ID.upper()),
        # A number is a number: 1 and 1.0 are the same.
        (("result", "score", "scaled"), 1, 1.0),
    ],
)
def test_differences_the_spec_allows_are_accepted(key, x5c, path, payload_value, received_value):
    payload, received = statement(), statement()
    for root, value in ((payload, payload_value), (received, received_value)):
        target = root
        for step in path[:-1]:
            target = target[step]
        target[path[-1]] = value
    _check(key, x5c, payload, received)


def test_properties_the_lrs_sets_are_ignored(key, x5c):
    # Data §2.3.1.b1: id, authority, stored, timestamp and version are the LRS's to assign.
    payload = statement()
    del payload["id"], payload["timestamp"]
    received = {
        **statement(),
        "authority": {"objectType": "Agent", "mbox": "mailto:lrs@practica.example"},
        "stored": "2025-03-01T12:00:01.000Z",
        "version": "1.0.3",
    }
    _check(key, x5c, payload, received)


def test_authority_and_version_in_the_payload_are_ignored(key, x5c):
    payload = {
        **statement(),
        "authority": {"objectType": "Agent", "mbox": "mailto:someone@example.com"},
        "version": "1.0.0",
    }
    _check(key, x5c, payload, statement())


def test_signed_id_must_be_kept(key, x5c):
    received = statement()
    del received["id"]
    with pytest.raises(SignatureError, match="differ at id"):
        _check(key, x5c, statement(), received)


def test_signed_id_must_match(key, x5c):
    received = {**statement(), "id": "0e5f7b3a-9d1c-4e2b-8a7f-6c5d4e3b2a19"}
    with pytest.raises(SignatureError, match="differ at id"):
        _check(key, x5c, statement(), received)


def test_signed_timestamp_must_be_the_same_instant(key, x5c):
    received = {**statement(), "timestamp": "2025-03-01T12:00:00.000+01:00"}
    with pytest.raises(SignatureError, match="differ at timestamp"):
        _check(key, x5c, statement(), received)


def test_duration_differing_in_hundredths_is_refused(key, x5c):
    received = statement()
    received["result"]["duration"] = "PT1H2M3.46S"
    with pytest.raises(SignatureError, match=r"differ at result\.duration"):
        _check(key, x5c, statement(), received)


def test_boolean_is_not_a_number(key, x5c):
    received = statement()
    received["result"]["completion"] = 1
    with pytest.raises(SignatureError, match=r"differ at result\.completion"):
        _check(key, x5c, statement(), received)


def test_group_members_in_another_order_are_accepted(key, x5c):
    # Data §2.3.1.b5: a Group's members are not an ordered list.
    members = [
        {"mbox": "mailto:ada@example.com"},
        {"objectType": "Agent", "account": {"homePage": "https://e.x", "name": "bo"}},
    ]
    group = {"objectType": "Group", "name": "Team", "member": members}
    payload = {**statement(), "actor": group}
    received = {**statement(), "actor": {**group, "member": members[::-1]}}
    _check(key, x5c, payload, received)


def test_defaults_and_single_context_activity_are_accepted(key, x5c):
    # Logical equivalence (Data §2.6.s5.b3.b2): objectType defaults; one context activity is an
    # array of one as the LRS returns it (Data §2.4.6.2).
    payload = statement()
    payload["actor"].pop("objectType")
    payload["object"].pop("objectType")
    payload["context"]["contextActivities"]["parent"] = {"id": "https://practica.example/courses/1"}
    _check(key, x5c, payload, statement())


def test_substatement_is_compared_with_the_same_rules(key, x5c):
    sub = {
        "objectType": "SubStatement",
        "actor": {"mbox": "mailto:bo@example.com"},
        "verb": {"id": "http://adlnet.gov/expapi/verbs/attempted", "display": {"en-US": "a"}},
        "object": {"id": "https://practica.example/units/3", "definition": {"type": "x:y"}},
        "result": {"duration": "PT5.001S"},
    }
    payload = {**statement(), "object": sub}
    received = {
        **statement(),
        "object": {
            **sub,
            "verb": {"id": "http://adlnet.gov/expapi/verbs/attempted"},
            "object": {"id": "https://practica.example/units/3"},
            "result": {"duration": "PT5S"},
        },
    }
    _check(key, x5c, payload, received)
    received["object"]["object"]["id"] = "https://practica.example/units/4"
    with pytest.raises(SignatureError, match=r"differ at object\.object\.id"):
        _check(key, x5c, payload, received)


def test_jwt_claims_some_libraries_add_are_ignored(key, x5c):
    payload = {**statement(), "iat": 1740830400}
    _check(key, x5c, payload, statement())
