"""Signed statements (xAPI 1.0.3 Data §2.6; xAPI 2.0 as encoded in the ADL conformance suite).

A signed statement carries a JWS (RFC 7515, compact serialization) as an attachment with the
usageType SIGNATURE_USAGE_TYPE. Its payload is the statement as it was before the signature
attachment was added; the LRS checks that it is logically equivalent to the statement received
(§2.6.s5.b3.b2), ignoring the differences the immutability exceptions allow (§2.3.1.s9), and,
when the JWS header has an X.509 chain (x5c), that the signature verifies with the first
certificate's key (§2.6.s5.b3.b3) — a check for mistakes, not trust: the chain is not validated.
"""

import base64
import binascii
import json
import re
from datetime import UTC, datetime
from typing import Any

import jwt
import orjson
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPublicKey

from lms.api import InvalidInput

SIGNATURE_USAGE_TYPE = "http://adlnet.gov/expapi/attachments/signature"
SIGNATURE_CONTENT_TYPE = "application/octet-stream"  # Data §2.6.s4.b1
ALGORITHMS = frozenset({"RS256", "RS384", "RS512"})  # Data §2.6.s4.b4

# Data §2.3.1.b1: properties the LRS sets. Authority, stored and version are never compared;
# id and timestamp only when the signed statement has them (if it has, the LRS keeps them).
_ALWAYS_IGNORED = ("authority", "stored", "version")
_IGNORED_UNLESS_SIGNED = ("id", "timestamp")
# Registered JWT claims (RFC 7519 §4.1) some JWS libraries add to any payload; no statement
# property has these names, so they are dropped from the payload unless the statement has them.
_JWT_CLAIMS = ("iss", "sub", "aud", "exp", "nbf", "iat", "jti")
_CONTEXT_ACTIVITY_KINDS = ("parent", "grouping", "category", "other")
_SECONDS = re.compile(r"(\d+)[.,](\d+)S$")


class SignatureError(InvalidInput, ValueError):
    """The statement's signature is malformed or does not match; the message says why."""


def find_signature(statement: dict[str, Any]) -> dict[str, Any] | None:
    """The signature attachment object of a statement (the first, if several), if any."""
    attachments = statement.get("attachments")
    if not isinstance(attachments, list):
        return None
    for attachment in attachments:
        if isinstance(attachment, dict) and attachment.get("usageType") == SIGNATURE_USAGE_TYPE:
            return attachment
    return None


def verify_signed_statement(statement: dict[str, Any], jws: bytes) -> None:
    """Check a signed statement against its JWS (the signature attachment's content).

    Raises SignatureError, fit for a 400 body (Data §2.6.s5.b1, .b2), when:

    - the statement has no signature attachment, or more than one, or the signature attachment's
      contentType is not application/octet-stream (§2.6.s4.b1; the suite's XAPI-00115);
    - the JWS is not a compact serialization (§2.6.s4.b2: the JSON serialization is
      discouraged and not supported here) or cannot be decoded (§2.6.s5.b3.b1);
    - its header's alg is not RS256, RS384 or RS512 (§2.6.s4.b4; XAPI-00117), or it lists
      critical extensions (RFC 7515 §4.1.11: none is understood here);
    - the header has x5c and the signature does not verify with the first certificate's RSA
      public key (§2.6.s5.b3.b3);
    - the payload is not a JSON object (§2.6.s4.b3; XAPI-00116) or is not logically equivalent
      to the statement (§2.6.s5.b3.b2, compared as described in ``_comparable``).
    """
    signature = _the_signature(statement)
    token = _compact(jws)
    try:
        decoded = jwt.PyJWS().decode_complete(token, options={"verify_signature": False})
    except jwt.PyJWTError as exc:
        raise SignatureError(f"The statement's signature is not a valid JWS: {exc}.") from exc
    header: dict[str, Any] = decoded["header"]

    algorithm = header.get("alg")
    if not isinstance(algorithm, str) or algorithm not in ALGORITHMS:
        raise SignatureError(
            f"The JWS algorithm is {algorithm!r}; a statement signature must use RS256, RS384 "
            "or RS512 (xAPI Data 2.6)."
        )
    if "crit" in header:
        raise SignatureError("The JWS header lists critical extensions, which are not supported.")
    if "x5c" in header:
        _verify_with_certificate(token, decoded["signature"], algorithm, header["x5c"])

    try:
        payload = orjson.loads(decoded["payload"])
    except orjson.JSONDecodeError as exc:
        raise SignatureError(
            "The JWS payload is not a valid JSON serialization of the statement (xAPI Data 2.6)."
        ) from exc
    if not isinstance(payload, dict):
        raise SignatureError("The JWS payload must be a statement, i.e. a JSON object.")
    _compare(payload, statement, signature)


# --- Checks -------------------------------------------------------------------------------


def _the_signature(statement: dict[str, Any]) -> dict[str, Any]:
    attachments = statement.get("attachments")
    signatures = [
        attachment
        for attachment in (attachments if isinstance(attachments, list) else [])
        if isinstance(attachment, dict) and attachment.get("usageType") == SIGNATURE_USAGE_TYPE
    ]
    if not signatures:
        raise SignatureError(
            f"The statement has no attachment with usageType {SIGNATURE_USAGE_TYPE}."
        )
    if len(signatures) > 1:
        raise SignatureError("A statement can carry only one signature attachment.")
    signature = signatures[0]
    content_type = signature.get("contentType")
    media_type = content_type.split(";")[0].strip().lower() if isinstance(content_type, str) else ""
    if media_type != SIGNATURE_CONTENT_TYPE:
        raise SignatureError(
            f"The signature attachment's contentType is {content_type!r}; it must be "
            f"{SIGNATURE_CONTENT_TYPE} (xAPI Data 2.6)."
        )
    return signature


def _compact(jws: bytes) -> bytes:
    token = jws.strip()
    if token.startswith(b"{"):
        raise SignatureError(
            "The statement's signature uses the JWS JSON serialization; only the compact "
            "serialization is supported (xAPI Data 2.6)."
        )
    if token.count(b".") != 2:
        raise SignatureError(
            "The statement's signature is not a JWS in compact serialization "
            "(header.payload.signature)."
        )
    return token


def _verify_with_certificate(token: bytes, signature: bytes, algorithm: str, x5c: Any) -> None:
    """Data §2.6.s5.b3.b3: verify against the first certificate of x5c (RFC 7515 §4.1.6)."""
    if not isinstance(x5c, list) or not x5c or not isinstance(x5c[0], str):
        raise SignatureError("The JWS x5c header must be a non-empty array of certificates.")
    try:
        certificate = x509.load_der_x509_certificate(base64.b64decode(x5c[0], validate=True))
    except (binascii.Error, ValueError) as exc:
        raise SignatureError(
            "The first x5c certificate of the JWS is not a base64 DER X.509 certificate."
        ) from exc
    key = certificate.public_key()
    if not isinstance(key, RSAPublicKey):
        raise SignatureError("The first x5c certificate of the JWS does not hold an RSA key.")
    signing_input = token.rsplit(b".", 1)[0]
    # The algorithm object checks the signature without PyJWS's key-length policy: the check is
    # for mistakes, not trust (Data §2.6 note), and the spec's own example key is 1024 bits.
    if not jwt.get_algorithm_by_name(algorithm).verify(signing_input, key, signature):
        raise SignatureError(
            "The JWS signature does not verify with the public key of its x5c certificate "
            "(xAPI Data 2.6)."
        )


def _compare(payload: dict[str, Any], statement: dict[str, Any], signature: Any) -> None:
    try:
        where = _where_different(payload, statement, signature)
    except RecursionError as exc:
        raise SignatureError("The statement is too deeply nested to compare.") from exc
    if where is not None:
        raise SignatureError(
            "The JWS payload does not match the statement (xAPI Data 2.6): they differ at "
            f"{where or 'the top level'}."
        )


def _where_different(
    payload: dict[str, Any], statement: dict[str, Any], signature: Any
) -> str | None:
    original = _comparable(payload, signature=None)
    received = _comparable(statement, signature=signature)
    for claim in _JWT_CLAIMS:
        if claim not in received:
            original.pop(claim, None)
    for key in _IGNORED_UNLESS_SIGNED:
        if key not in original:
            received.pop(key, None)
    return _difference(original, received, "")


# --- Logical equivalence (Data §2.3.1) ----------------------------------------------------


def _comparable(statement: dict[str, Any], *, signature: Any) -> dict[str, Any]:
    """A copy of a statement reduced to what Statement Comparison compares (Data §2.3.1.s9).

    Ignored, as differences the immutability exceptions could cause (§2.3.1.b1-b7):
    authority, stored and version (set by the LRS); activity definitions; verb displays; the
    serialization of timestamps (compared as instants, UTC when no offset); the order of group
    members; the case of e-mail domains, UUIDs, hashes, media types and language tags; a
    missing objectType where the default applies; a single context activity versus a list of
    one. The signature attachment is removed (the payload predates it) and an attachments
    array left empty counts as absent. Result durations are compared to 0.01 s (xAPI 2.0,
    suite test 4.2.7 "Duration").
    """
    shaped = _statement(statement)
    for key in _ALWAYS_IGNORED:
        shaped.pop(key, None)
    if "id" in shaped:
        shaped["id"] = _lower(shaped["id"])
    attachments = statement.get("attachments")
    if isinstance(attachments, list):
        kept = [_attachment(a) for a in attachments if a is not signature]
        if kept:
            shaped["attachments"] = kept
        else:
            shaped.pop("attachments", None)
    return shaped


def _statement(statement: dict[str, Any]) -> dict[str, Any]:
    """The comparable form of the parts a Statement shares with a SubStatement."""
    shaped = dict(statement)
    if "actor" in shaped:
        shaped["actor"] = _agent(shaped["actor"])
    if isinstance(verb := shaped.get("verb"), dict):
        shaped["verb"] = {k: v for k, v in verb.items() if k != "display"}
    if "object" in shaped:
        shaped["object"] = _object(shaped["object"])
    if isinstance(result := shaped.get("result"), dict) and "duration" in result:
        shaped["result"] = {**result, "duration": _duration(result["duration"])}
    if isinstance(context := shaped.get("context"), dict):
        shaped["context"] = _context(context)
    if "timestamp" in shaped:
        shaped["timestamp"] = _instant(shaped["timestamp"])
    if isinstance(attachments := shaped.get("attachments"), list):
        shaped["attachments"] = [_attachment(a) for a in attachments]
    return shaped


def _agent(agent: Any) -> Any:
    if not isinstance(agent, dict):
        return agent
    shaped = dict(agent)
    shaped.setdefault("objectType", "Agent")
    if isinstance(mbox := shaped.get("mbox"), str):
        scheme, _, address = mbox.partition(":")
        local, at, domain = address.rpartition("@")
        shaped["mbox"] = f"{scheme.lower()}:{local}{at}{domain.lower()}"
    if "mbox_sha1sum" in shaped:
        shaped["mbox_sha1sum"] = _lower(shaped["mbox_sha1sum"])
    if isinstance(members := shaped.get("member"), list):
        shaped["member"] = sorted((_agent(m) for m in members), key=_sort_key)
    return shaped


def _activity(activity: Any) -> Any:
    if not isinstance(activity, dict):
        return activity
    shaped = {k: v for k, v in activity.items() if k != "definition"}
    shaped.setdefault("objectType", "Activity")
    return shaped


def _object(obj: Any) -> Any:
    if not isinstance(obj, dict):
        return obj
    object_type = obj.get("objectType", "Activity")
    if object_type == "Activity":
        return _activity(obj)
    if object_type in ("Agent", "Group"):
        return _agent(obj)
    if object_type == "SubStatement":
        return _statement(obj)
    if object_type == "StatementRef":
        return {**obj, "id": _lower(obj.get("id"))}
    return obj


def _context(context: dict[str, Any]) -> dict[str, Any]:
    shaped = dict(context)
    if "registration" in shaped:
        shaped["registration"] = _lower(shaped["registration"])
    for key in ("instructor", "team"):
        if key in shaped:
            shaped[key] = _agent(shaped[key])
    if isinstance(activities := shaped.get("contextActivities"), dict):
        shaped["contextActivities"] = {
            kind: [_activity(a) for a in (value if isinstance(value, list) else [value])]
            if kind in _CONTEXT_ACTIVITY_KINDS
            else value
            for kind, value in activities.items()
        }
    if isinstance(ref := shaped.get("statement"), dict):
        shaped["statement"] = {**ref, "id": _lower(ref.get("id"))}
    if "language" in shaped:
        shaped["language"] = _lower(shaped["language"])
    # xAPI 2.0 context agents and groups.
    if isinstance(agents := shaped.get("contextAgents"), list):
        shaped["contextAgents"] = [
            {**a, "agent": _agent(a.get("agent"))} if isinstance(a, dict) else a for a in agents
        ]
    if isinstance(groups := shaped.get("contextGroups"), list):
        shaped["contextGroups"] = [
            {**g, "group": _agent(g.get("group"))} if isinstance(g, dict) else g for g in groups
        ]
    return shaped


def _attachment(attachment: Any) -> Any:
    if not isinstance(attachment, dict):
        return attachment
    shaped = dict(attachment)
    for key in ("display", "description"):
        if isinstance(language_map := shaped.get(key), dict):
            shaped[key] = {_lower(tag): text for tag, text in language_map.items()}
    for key in ("sha2", "contentType"):
        if key in shaped:
            shaped[key] = _lower(shaped[key])
    return shaped


def _duration(duration: Any) -> Any:
    """An ISO 8601 duration with its seconds cut to hundredths, trailing zeros dropped."""
    if not isinstance(duration, str) or not (match := _SECONDS.search(duration)):
        return duration
    whole, fraction = match.group(1), match.group(2)[:2].rstrip("0")
    seconds = f"{whole}.{fraction}S" if fraction else f"{whole}S"
    return duration[: match.start()] + seconds


def _instant(timestamp: Any) -> Any:
    if not isinstance(timestamp, str):
        return timestamp
    try:
        moment = datetime.fromisoformat(timestamp)
    except ValueError:
        return timestamp
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat()


def _lower(value: Any) -> Any:
    return value.lower() if isinstance(value, str) else value


def _sort_key(value: Any) -> str:
    return json.dumps(value, sort_keys=True, default=str)


def _difference(original: Any, received: Any, path: str) -> str | None:
    """Where two JSON values first differ (a dotted path), or None when they are the same.

    Numbers compare by value (1 and 1.0 are the same number), but a boolean is never a number.
    """
    if isinstance(original, dict) and isinstance(received, dict):
        return _object_difference(original, received, path)
    if isinstance(original, list) and isinstance(received, list):
        if len(original) != len(received):
            return path
        pairs = enumerate(zip(original, received, strict=True))
        differences = (_difference(a, b, f"{path}[{index}]") for index, (a, b) in pairs)
        return next((where for where in differences if where is not None), None)
    if _is_number(original) and _is_number(received):
        return None if original == received else path
    return None if type(original) is type(received) and original == received else path


def _object_difference(original: dict[str, Any], received: dict[str, Any], path: str) -> str | None:
    for key in sorted(original.keys() | received.keys()):
        where = f"{path}.{key}" if path else str(key)
        if key not in original or key not in received:
            return where
        found = _difference(original[key], received[key], where)
        if found is not None:
            return found
    return None


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)
