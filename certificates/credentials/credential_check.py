"""Checking a credential someone presents (OB 3.0 §8.2.6 and §9.1, VC 2.0 validity, the
Bitstring Status List): its signature with the key its ``kid`` names and that key's own algorithm
only (RFC 8725 §3.1), its shape, that it matches the certificate it names, its dates and its
status bit; a CLR 2.0 record's nested credentials each on their own. The credentials themselves
are built and signed in openbadges.py, whose module docstring gives the specifications."""

import base64
import binascii
import json
import re
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

import jwt
from django.utils import timezone
from jwt.api_jws import PyJWS

from certificates.credentials.keys import (
    ALGORITHMS,
    public_key_of,
    verification_keys,
)
from certificates.credentials.models import Certificate
from certificates.credentials.openbadges import (
    CANCELLED_STATUSES,
    CLR_TYPE,
    ENVELOPED_PREFIX,
    OB_TYPES,
    STATUS_LIST_TYPE,
    VC_CONTEXT,
    registered_claims,
    status_list_url,
)
from lms.api import InvalidInput

# OB 3.0 AchievementCredential: the second context is any 3.0.x OB context.
_OB_CONTEXT_PATTERN = re.compile(
    r"^https://purl\.imsglobal\.org/spec/ob/v3p0/context(-3\.\d\.\d)*\.json$"
)
_CLR_CONTEXT_PATTERN = re.compile(
    r"^https://purl\.imsglobal\.org/spec/clr/v2p0/context(-2\.\d\.\d)*\.json$"
)
_ALLOWED_HEADERS = frozenset({"alg", "kid", "typ"})  # OB 3.0 §8.2.3
_CLOCK_SKEW = timedelta(seconds=60)


class Reason(StrEnum):
    VALID = "valid"
    NOT_A_CREDENTIAL = "not a credential"
    NOT_A_JWT = "not a VC-JWT: only credentials secured as a compact JWS are verified"
    UNSUPPORTED_ALGORITHM = "unsupported algorithm"
    FORGED = "signed by an unknown key (forged)"
    ALTERED = "signature does not match (altered)"
    NOT_YET_VALID = "not yet valid"
    EXPIRED = "expired"
    REVOKED = "revoked"


@dataclass(frozen=True)
class Verification:
    """What ``verify_credential`` found. ``claims`` is set only once the signature holds (so an
    expired or revoked credential still shows what it says); ``kid`` is the header's, if any."""

    ok: bool
    reason: str
    claims: dict[str, Any] | None
    kid: str


def unverified_claims(token: str) -> dict[str, Any]:
    """The payload of a compact JWS, read without checking its signature ({} if unreadable)."""
    try:
        segment = token.split(".")[1]
        claims = json.loads(base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4)))
    except (IndexError, ValueError, binascii.Error):
        return {}
    return claims if isinstance(claims, dict) else {}


def _altered_or_forged(token: str) -> Reason:
    """A token naming one of our keys whose signature fails. It is *altered* if its signature is
    the one we made for the certificate it names (the content changed after signing); *forged*
    if it names a certificate we never issued, or carries a signature we never made for it."""
    jti = unverified_claims(token).get("jti")
    if jti == status_list_url():
        return Reason.ALTERED
    try:
        public_id = uuid.UUID(str(jti))
    except ValueError:
        return Reason.FORGED
    stored = (
        Certificate.objects.filter(public_id=public_id).values_list("credential", flat=True).first()
    )
    if stored is None:
        return Reason.FORGED
    if not stored or stored.rsplit(".", 1)[-1] == token.rsplit(".", 1)[-1]:
        return Reason.ALTERED
    return Reason.FORGED


def _parse_time(value: Any) -> datetime | None:
    try:
        moment = datetime.fromisoformat(str(value))
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else None


def _has_credential_shape(claims: dict[str, Any]) -> bool:
    """VC 2.0 §4.3 / §4.4 contexts and types; OB 3.0 AchievementCredential's context pair."""
    context, types = claims.get("@context"), claims.get("type")
    if not (isinstance(context, list) and context and context[0] == VC_CONTEXT):
        return False
    if not (isinstance(types, list) and "VerifiableCredential" in types):
        return False
    if OB_TYPES & set(types):
        return len(context) >= 2 and bool(_OB_CONTEXT_PATTERN.match(str(context[1])))
    if CLR_TYPE in types:
        return len(context) >= 2 and bool(_CLR_CONTEXT_PATTERN.match(str(context[1])))
    return STATUS_LIST_TYPE in types


def _claims_match(claims: dict[str, Any]) -> bool:
    """OB 3.0 §8.2.6: ``iss``, ``sub``, ``nbf``, ``jti`` (and ``exp``) equal what they mirror."""
    if not claims.get("issuer") or not isinstance(claims.get("credentialSubject"), dict):
        return False
    if any(
        name in claims and _parse_time(claims[name]) is None for name in ("validFrom", "validUntil")
    ):
        return False
    try:
        expected = registered_claims(claims)
    except (KeyError, TypeError, ValueError):
        return False
    return all(claims.get(name) == value for name, value in expected.items())


def _revoked(claims: dict[str, Any]) -> bool:
    """BSL §3.2 for our own list, read at the source: is the entry's index cancelled now?"""
    entries = claims.get("credentialStatus") or []
    for entry in entries if isinstance(entries, list) else [entries]:
        if not isinstance(entry, dict) or entry.get("statusListCredential") != status_list_url():
            continue
        if entry.get("statusPurpose") != "revocation":
            continue
        try:
            index = int(entry["statusListIndex"])
        except (KeyError, ValueError, TypeError):
            return True  # a malformed entry of our list: do not vouch for it
        if Certificate.objects.filter(status_index=index, status__in=CANCELLED_STATUSES).exists():
            return True
    return False


class _RefusedError(InvalidInput):
    """Verification stops here; ``reason`` is what the verification answers."""

    def __init__(self, reason: Reason) -> None:
        super().__init__(str(reason), code=reason.name.lower())
        self.reason = reason


def _verified_claims(token: str, header: dict[str, Any], kid: str) -> dict[str, Any]:
    """The payload of a compact JWS this site signed, once header, signature and shape hold."""
    algorithm = header.get("alg")
    if not isinstance(algorithm, str) or algorithm not in ALGORITHMS:
        raise _RefusedError(Reason.UNSUPPORTED_ALGORITHM)  # never "none", never HMAC
    if not set(header) <= _ALLOWED_HEADERS or header.get("typ", "JWT") != "JWT":
        raise _RefusedError(Reason.NOT_A_CREDENTIAL)
    key = verification_keys().get(kid)
    if key is None:
        raise _RefusedError(Reason.FORGED)
    if algorithm != key.algorithm:
        # The key decides the algorithm (no algorithm confusion): an EdDSA header naming an RSA
        # key, or RS256 naming an Ed25519 key, is a signature this key never made.
        raise _RefusedError(_altered_or_forged(token))
    try:
        decoded = PyJWS().decode_complete(token, public_key_of(key), algorithms=[key.algorithm])
    except jwt.InvalidSignatureError as exc:
        raise _RefusedError(_altered_or_forged(token)) from exc
    except jwt.InvalidTokenError as exc:
        raise _RefusedError(Reason.NOT_A_CREDENTIAL) from exc
    try:
        claims = json.loads(decoded["payload"])
    except ValueError as exc:
        raise _RefusedError(Reason.NOT_A_CREDENTIAL) from exc
    if not (isinstance(claims, dict) and _has_credential_shape(claims) and _claims_match(claims)):
        raise _RefusedError(Reason.NOT_A_CREDENTIAL)
    return claims


def verify_credential(token_or_json: str) -> Verification:
    """Verify a credential of this site (OB 3.0 §9.1 steps 1, 2 and 4): the compact JWS
    structure and header, the signature with the published key (active or retired) its ``kid``
    names and that key's own algorithm (RS256, or EdDSA for keys made before the switch), the
    credential's shape and claims, its validity period and its revocation.

    Only the VC-JWT form is accepted: this site makes no embedded (Data Integrity) proofs, so a
    JSON credential is refused as ``Reason.NOT_A_JWT``."""
    text = token_or_json.strip()
    if text.startswith("{"):
        return Verification(False, Reason.NOT_A_JWT, None, "")
    try:
        header = jwt.get_unverified_header(text)
    except jwt.InvalidTokenError:
        return Verification(False, Reason.NOT_A_CREDENTIAL, None, "")
    kid = header["kid"] if isinstance(header.get("kid"), str) else ""
    try:
        claims = _verified_claims(text, header, kid)
    except _RefusedError as refusal:
        return Verification(False, refusal.reason, None, kid)
    ok, reason = _validity(claims)
    return Verification(ok, reason, claims, kid)


def nested_credentials(claims: dict[str, Any]) -> list[str]:
    """The compact JWSs a verified CLR bundles (CLR 2.0 ``ClrSubject.verifiableCredential``,
    each an enveloped credential, VC 2.0 §4.13.1); empty for any other credential."""
    if CLR_TYPE not in (claims.get("type") or []):
        return []
    subject = claims.get("credentialSubject") or {}
    found = subject.get("verifiableCredential") if isinstance(subject, dict) else None
    return [
        str(item["id"]).removeprefix(ENVELOPED_PREFIX)
        for item in (found if isinstance(found, list) else [])
        if isinstance(item, dict) and str(item.get("id", "")).startswith(ENVELOPED_PREFIX)
    ]


def _validity(claims: dict[str, Any]) -> tuple[bool, Reason]:
    now = timezone.now()
    valid_from = _parse_time(claims["validFrom"])
    valid_until = _parse_time(claims.get("validUntil")) if "validUntil" in claims else None
    if valid_from is not None and valid_from > now + _CLOCK_SKEW:
        return False, Reason.NOT_YET_VALID
    if valid_until is not None and valid_until < now - _CLOCK_SKEW:
        return False, Reason.EXPIRED
    if _revoked(claims):
        return False, Reason.REVOKED
    return True, Reason.VALID
