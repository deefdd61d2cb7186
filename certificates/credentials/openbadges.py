"""Open Badges 3.0 credentials of certificates, secured as VC-JWT, and the revocation list.

Specifications (section numbers of the published texts):
- OB 3.0: 1EdTech Open Badges 3.0 (Final Release, document 1.2, December 2024). §5.1-5.2
  document formats, §8.2 JSON Web Token Proof Format (§8.2.3 JOSE header, §8.2.4 JWT payload,
  §8.2.6 verification), §9.1 OpenBadgeCredential verification, appendix B data model
  (AchievementCredential, AchievementSubject, Achievement, Criteria, Alignment, IdentityObject).
- VC 2.0: W3C Verifiable Credentials Data Model v2.0 (validFrom / validUntil, credentialStatus).
- VC-JOSE-COSE: W3C Securing Verifiable Credentials using JOSE and COSE, §3.1.1 (the credential
  is the unencoded JWS payload; no ``vc`` claim), §4 key discovery.
- BSL: W3C Bitstring Status List v1.0, §2.1 BitstringStatusListEntry, §2.2
  BitstringStatusListCredential, §3.3 / §3.4 bitstring generation / expansion.

Decisions (see also keys.py):
- Proof: VC-JWT only (OB 3.0 §8.2), RS256 (RFC 7518 §3.3, RSA 2048): OB 3.0 §8.2.3 says ``alg``
  "MUST be "RS256" as a minimum"; credentials signed before the switch carry EdDSA (Ed25519,
  RFC 8037) and stay verifiable. JOSE header: exactly ``alg`` (the signing key's algorithm),
  ``kid`` (the key's URL, which dereferences to its JWK) and ``typ: "JWT"``; OB 3.0 §8.2.3 allows
  no other header and wants ``typ`` "JWT" (not VC-JOSE-COSE's "vc+jwt"). The payload is the
  credential itself plus the claims OB 3.0 §8.2.4 requires: ``iss`` = issuer.id, ``jti`` = id,
  ``sub`` = credentialSubject.id, ``nbf`` = validFrom and ``exp`` = validUntil when there is one.
  (VC-JOSE-COSE discourages ``nbf``; OB 3.0, the profile we claim, requires it. Same values.)
- Verification: the key the ``kid`` names decides the algorithm (RFC 8725 §3.1): a token is
  checked only with that key's own algorithm, never "none", never HMAC; a header ``alg`` other
  than the key's cannot hold, so the token is altered or forged like any failed signature.
- Recipient: ``credentialSubject.id`` is ``urn:uuid:<learner public id>``, the identifier the
  rest of the platform uses for the learner (docs/architecture.md, "Identities"); OB 3.0 §8.2.4
  needs one for ``sub``. No e-mail address ever. The learner's name, as printed on the
  certificate, is an IdentityObject (identityType "name", not hashed): the credential stands for
  the certificate, reaches no one but its learner, and a verifier needs to see whose it is.
- Credits: ``creditsAvailable`` / ``creditsEarned`` carry the CPD value in the accrediting body's
  own unit (hours or points), which the criteria narrative names.
- Revocation: one Bitstring Status List at ``/credentials/status/1``, purpose "revocation". A bit
  is set for every certificate that is revoked or replaced (a replaced certificate's credential
  must stop being accepted, as its replacement now stands for the completion).

Snapshot keys read (all optional), as issuance.py writes them: ``recipient`` {``name``,
``public_id``}, ``achievement`` {``kind``, ``title``, ``activity_iri``}, ``accreditation``
{``reference``, ``public_id``}, ``body`` {``name``, ``cpd_unit``}, ``cpd`` {``value`` (decimal
string), ``unit``}, ``learning_outcomes`` (list, text or language map), ``competences``
[{``code``, ``statement``, ``framework``, ``identifier`` (CASE UUID), ``uri``, ``level_name`` or
``level``}], ``completed_on``; flat equivalents (``title``, ``description``,
``recipient_name``, ``learner_public_id``, ``accreditation_reference``, ``cpd_value``,
``cpd_unit``, ``achievement_id``) are read too. See ``_Facts``.
"""

import base64
import gzip
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

import jwt
from django.conf import settings
from django.db.models import Max
from django.utils import timezone, translation
from django.utils.translation import gettext

from certificates.credentials.keys import (
    active_key,
    key_url,
    private_key_of,
)
from certificates.credentials.models import Certificate, CertificateStatus, CpdUnit, SigningKey
from lms.api import format_amount, format_date, pick_language

VC_CONTEXT = "https://www.w3.org/ns/credentials/v2"
OB_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
OB_SCHEMA = (
    "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json"
)
OB_TYPES = frozenset({"OpenBadgeCredential", "AchievementCredential"})
STATUS_LIST_TYPE = "BitstringStatusListCredential"
# CLR 2.0 ClrCredential: the second context is a 2.0.x CLR context.
CLR_TYPE = "ClrCredential"
# VC-JOSE-COSE: a credential secured with JOSE as a JWT. Our certificates' JOSE header says
# "typ": "JWT" (OB 3.0 §8.2.3); VC-JOSE-COSE §3.1.1 only RECOMMENDS "vc+jwt" there. A CLR nests
# certificates as enveloped credentials with this prefix (VC 2.0 §4.13.1).
ENVELOPED_MEDIA_TYPE = "application/vc+jwt"
ENVELOPED_PREFIX = f"data:{ENVELOPED_MEDIA_TYPE},"

# Public paths, baked into every credential signed: they must never change.
ISSUER_PATH = "/credentials/issuer"
STATUS_LIST_PATH = "/credentials/status/1"

# BSL §2.2 / §3.3: the uncompressed bitstring is at least 16 KB (131,072 entries), which
# gives group privacy; it grows, a byte at a time, only if an index needs it.
STATUS_LIST_MIN_BITS = 131_072
# How long verifiers may cache the status list: BSL §2.2 ``ttl`` and the HTTP Cache-Control
# max-age the view sends (BSL: "SHOULD align").
STATUS_LIST_TTL_SECONDS = 300
# A certificate whose credential verifiers must no longer accept.
CANCELLED_STATUSES = (CertificateStatus.REVOKED, CertificateStatus.REPLACED)


# --- identifiers --------------------------------------------------------------------------------


def issuer_id() -> str:
    """The issuer Profile's id: a URL that dereferences to the Profile (the issuer view)."""
    return settings.SITE_URL + ISSUER_PATH


def issuer_profile() -> dict[str, Any]:
    """OB 3.0 Profile of the site as issuer (id, type, name, url)."""
    return {
        "id": issuer_id(),
        "type": ["Profile"],
        "name": getattr(settings, "CREDENTIAL_ISSUER_NAME", "Practica"),
        "url": settings.SITE_URL + "/",
    }


def status_list_url() -> str:
    return settings.SITE_URL + STATUS_LIST_PATH


def credential_id(certificate: Certificate) -> str:
    return certificate.public_id.urn


# --- building -----------------------------------------------------------------------------------


def _iso(moment: datetime) -> str:
    """VC 2.0 dateTimeStamp, in UTC to the second: what ``nbf`` / ``exp`` can state exactly."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _text(value: Any, language: str) -> str:
    """A snapshot text that may be a plain string or a language map."""
    if isinstance(value, dict):
        return pick_language({k: str(v) for k, v in value.items()}, language)
    return "" if value is None else str(value)


def _outcomes(value: Any, language: str) -> list[str]:
    """Learning outcomes given as a list, a text of one per line, or a language map of either."""
    if isinstance(value, dict):
        picked = {k: v for k, v in value.items() if v}
        if not picked:
            return []
        preferred = (language, language.split("-", maxsplit=1)[0], "en")
        value = picked[next((t for t in preferred if t in picked), next(iter(picked)))]
    if isinstance(value, str):
        value = value.splitlines()
    if not isinstance(value, list):
        return []
    outcomes = (_text(item, language).strip(" -*\t") for item in value)
    return [outcome for outcome in outcomes if outcome]


def _decimal(value: Any) -> Decimal | None:
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() and number > 0 else None


def _urn(value: Any) -> str:
    """``urn:uuid:...`` of a UUID given as text; "" for anything else."""
    try:
        return uuid.UUID(str(value)).urn if value else ""
    except ValueError:
        return ""


def _day(text: str) -> str:
    """The completion day for people ("1 Mar 2025"); text that is not an ISO date as it is."""
    try:
        return format_date(text)
    except ValueError:
        return text


def _amount(value: Decimal, unit: Any) -> str:
    """ "1 CPD hour", "4.5 CPD points" (the unit agrees with the number); a unit of another
    issuer's snapshot, as it is given."""
    if unit in CpdUnit.values:
        return format_amount(value, str(unit))
    return f"{value.normalize():f} {_text(unit, 'en')}".strip()


@dataclass(frozen=True)
class _Facts:
    """What the credential needs from a snapshot, whichever of its two shapes: the nested one
    issuance.py writes (``recipient``, ``achievement``, ``accreditation``, ``cpd``...) or flat
    keys (``title``, ``recipient_name``, ``cpd_value``...). Every key is optional."""

    title: str
    description: str
    kind: str  # "course", "journey" or ""
    recipient_name: str
    learner_urn: str
    achievement_id: str
    body_name: str
    reference: str
    cpd: Decimal | None
    cpd_unit: str
    outcomes: list[str]
    competences: list[Any]
    completed_on: str

    @classmethod
    def read(cls, snapshot: dict[str, Any], language: str) -> "_Facts":
        def part(name: str) -> dict[str, Any]:
            value = snapshot.get(name)
            return value if isinstance(value, dict) else {}

        def first(*values: Any) -> str:
            return next((_text(v, language) for v in values if _text(v, language)), "")

        recipient, achievement = part("recipient"), part("achievement")
        accreditation, cpd, body = part("accreditation"), part("cpd"), part("body")
        competences = snapshot.get("competences")
        return cls(
            title=first(achievement.get("title"), snapshot.get("title")),
            description=first(snapshot.get("description"), achievement.get("description")),
            kind=first(achievement.get("kind")),
            recipient_name=first(recipient.get("name"), snapshot.get("recipient_name")),
            learner_urn=_urn(recipient.get("public_id") or snapshot.get("learner_public_id")),
            achievement_id=first(
                snapshot.get("achievement_id"),
                _urn(accreditation.get("public_id")),
                achievement.get("activity_iri"),
            ),
            body_name=first(body.get("name")),
            reference=first(
                accreditation.get("reference"), snapshot.get("accreditation_reference")
            ),
            cpd=_decimal(cpd.get("value", snapshot.get("cpd_value"))),
            cpd_unit=first(cpd.get("unit"), snapshot.get("cpd_unit"), body.get("cpd_unit")),
            outcomes=_outcomes(snapshot.get("learning_outcomes"), language),
            competences=competences if isinstance(competences, list) else [],
            completed_on=first(snapshot.get("completed_on")),
        )


def _criteria_narrative(facts: _Facts) -> str:
    """OB 3.0 Criteria.narrative (Markdown): what earned it, in the certificate's language
    (gettext runs under the certificate's language)."""
    if facts.kind == "journey":
        dated = gettext("Completed the learning journey “%(title)s” on %(date)s.")
        undated = gettext("Completed the learning journey “%(title)s”.")
    elif facts.kind == "course":
        dated = gettext("Completed the course “%(title)s” on %(date)s.")
        undated = gettext("Completed the course “%(title)s”.")
    else:
        dated = gettext("Completed “%(title)s” on %(date)s.")
        undated = gettext("Completed “%(title)s”.")
    done = dated if facts.completed_on else undated
    paragraphs = [done % {"title": facts.title, "date": _day(facts.completed_on)}]
    credit = {
        "body": facts.body_name,
        "reference": facts.reference or "—",
        "amount": _amount(facts.cpd, facts.cpd_unit) if facts.cpd is not None else "",
    }
    if facts.body_name and facts.cpd is not None:
        paragraphs.append(
            gettext("Accredited by %(body)s (reference %(reference)s) for %(amount)s.") % credit
        )
    elif facts.cpd is not None:
        paragraphs.append(gettext("Worth %(amount)s.") % credit)
    if facts.outcomes:
        bullets = "\n".join(f"- {outcome}" for outcome in facts.outcomes)
        paragraphs.append(gettext("Learning outcomes:") + "\n" + bullets)
    return "\n\n".join(paragraphs)


def _alignment(competence: dict[str, Any], language: str) -> dict[str, Any] | None:
    """OB 3.0 Alignment to a CASE CFItem: targetCode is the item's CASE identifier (as in the
    OB 3.0 "Achievement Alignment (CASE)" example); targetUrl its URI, else its identifier's
    URN (targetName and targetUrl are required)."""
    identifier = _text(competence.get("identifier"), language)
    url = _text(competence.get("uri"), language) or (f"urn:uuid:{identifier}" if identifier else "")
    code = _text(competence.get("code"), language)
    name = _text(competence.get("statement"), language) or code or identifier
    if not (url and name):
        return None
    alignment: dict[str, Any] = {
        "type": ["Alignment"],
        "targetType": "CFItem",
        "targetName": name,
        "targetUrl": url,
    }
    if identifier:
        alignment["targetCode"] = identifier
    framework = competence.get("framework")
    if isinstance(framework, dict):
        framework = framework.get("title") or framework.get("name")
    if framework := _text(framework, language):
        alignment["targetFramework"] = framework
    description = []
    if code:
        description.append(gettext("Code %(code)s") % {"code": code})
    level = competence.get("level_name") or competence.get("level")
    if isinstance(level, dict):
        level = level.get("name") or level.get("rank")
    if level := _text(level, language):
        description.append(gettext("level %(level)s") % {"level": level})
    if description:
        alignment["targetDescription"] = ", ".join(description)
    return alignment


def _achievement_id(certificate: Certificate, facts: _Facts) -> str:
    """The achievement is the course or journey as accredited: the accreditation's URN, else
    the course's or journey's activity IRI (read from the database only if the snapshot lacks
    them)."""
    if facts.achievement_id:
        return facts.achievement_id
    if certificate.accreditation is not None:
        return certificate.accreditation.public_id.urn
    target = certificate.record.course or certificate.record.journey
    return target.activity_iri if target is not None else credential_id(certificate)


def status_entry(index: int) -> dict[str, str]:
    """BSL §2.1 BitstringStatusListEntry. OB 3.0 CredentialStatus requires an ``id``; BSL says it
    must not be the list's URL: the list URL with the index as fragment."""
    return {
        "id": f"{status_list_url()}#{index}",
        "type": "BitstringStatusListEntry",
        "statusPurpose": "revocation",
        "statusListIndex": str(index),
        "statusListCredential": status_list_url(),
    }


def _achievement(certificate: Certificate, facts: _Facts, language: str) -> dict[str, Any]:
    """OB 3.0 Achievement: id, type, name, description and criteria are required."""
    achievement: dict[str, Any] = {
        "id": _achievement_id(certificate, facts),
        "type": ["Achievement"],
        "achievementType": "CertificateOfCompletion",
        "name": facts.title,
        "description": facts.description
        or gettext("Certificate of completion of “%(title)s”.") % {"title": facts.title},
        "criteria": {"narrative": _criteria_narrative(facts)},
        "inLanguage": language,
    }
    if facts.reference:
        achievement["humanCode"] = facts.reference
    if facts.cpd is not None:
        achievement["creditsAvailable"] = float(facts.cpd)
    alignments = [
        _alignment(competence, language)
        for competence in facts.competences
        if isinstance(competence, dict)
    ]
    if alignments := [alignment for alignment in alignments if alignment]:
        achievement["alignment"] = alignments
    return achievement


def build_credential(certificate: Certificate) -> dict[str, Any]:
    """The certificate's OpenBadgeCredential (OB 3.0 appendix B AchievementCredential), unsigned:
    a function of the snapshot, the certificate's ids, dates and status index, and settings."""
    snapshot = certificate.snapshot if isinstance(certificate.snapshot, dict) else {}
    language = certificate.language or str(snapshot.get("language") or settings.LANGUAGE_CODE)
    with translation.override(language):
        facts = _Facts.read(snapshot, language)
        if not facts.title:
            facts = replace(facts, title=certificate.serial)
        subject: dict[str, Any] = {
            "id": facts.learner_urn or certificate.learner.public_id.urn,
            "type": ["AchievementSubject"],
            "achievement": _achievement(certificate, facts, language),
        }
    if facts.cpd is not None:
        subject["creditsEarned"] = float(facts.cpd)
    if facts.recipient_name:
        subject["identifier"] = [
            {"type": "IdentityObject", "identityType": "name", "hashed": False,
             "identityHash": facts.recipient_name},
        ]  # fmt: skip
    credential: dict[str, Any] = {
        "@context": [VC_CONTEXT, OB_CONTEXT],
        "id": credential_id(certificate),
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": facts.title,
        "issuer": issuer_profile(),
        "validFrom": _iso(certificate.issued_at),
        "awardedDate": _iso(certificate.issued_at),
        "credentialSubject": subject,
        "credentialStatus": status_entry(certificate.status_index),
        "credentialSchema": [{"id": OB_SCHEMA, "type": "1EdTechJsonSchemaValidator2019"}],
    }
    if facts.description:
        credential["description"] = facts.description
    if certificate.expires_at is not None:
        credential["validUntil"] = _iso(certificate.expires_at)
    return credential


# --- signing ------------------------------------------------------------------------------------


def _epoch(stamp: str) -> int:
    return int(datetime.fromisoformat(stamp).timestamp())


def registered_claims(credential: dict[str, Any]) -> dict[str, Any]:
    """OB 3.0 §8.2.4: the JWT claims that mirror the credential."""
    issuer = credential["issuer"]
    claims = {
        "iss": issuer["id"] if isinstance(issuer, dict) else issuer,
        "jti": credential["id"],
        "sub": credential["credentialSubject"]["id"],
        "nbf": _epoch(credential["validFrom"]),
    }
    if "validUntil" in credential:
        claims["exp"] = _epoch(credential["validUntil"])
    return claims


def sign_credential(credential: dict[str, Any], key: SigningKey | None = None) -> str:
    """A credential secured as a compact JWS (OB 3.0 §8.2.5), by the active key unless told,
    with that key's algorithm: RS256 (OB 3.0 §8.2.3's minimum; RFC 7518 §3.3) for every key made
    since the switch."""
    key = key or active_key()
    return jwt.encode(
        {**credential, **registered_claims(credential)},
        private_key_of(key),
        algorithm=key.algorithm,
        headers={"kid": key_url(key.kid), "typ": "JWT"},
    )


def sign_certificate_credential(certificate: Certificate) -> str:
    """The certificate's OpenBadgeCredential as a VC-JWT, signed by the active key. The caller
    stores it in ``certificate.credential``; it is never re-signed."""
    return sign_credential(build_credential(certificate))


# --- status list --------------------------------------------------------------------------------


def encode_status_list(indexes: Iterable[int], *, length: int = STATUS_LIST_MIN_BITS) -> str:
    """BSL §3.3: a bitstring of ``length`` bits (index 0 is the left-most bit of the first byte)
    with the given indexes set, GZIP-compressed, multibase base64url (prefix "u", no padding)."""
    bits = bytearray(-(-max(length, STATUS_LIST_MIN_BITS) // 8))
    for index in indexes:
        bits[index // 8] |= 0x80 >> (index % 8)
    compressed = gzip.compress(bytes(bits), mtime=0)
    return "u" + base64.urlsafe_b64encode(compressed).rstrip(b"=").decode("ascii")


def decode_status_list(encoded: str) -> bytes:
    """BSL §3.4: the uncompressed bitstring of a multibase (base64url) GZIP ``encodedList``."""
    if not encoded.startswith("u"):
        raise ValueError("encodedList is not multibase base64url (prefix 'u').")
    data = encoded[1:]
    return gzip.decompress(base64.urlsafe_b64decode(data + "=" * (-len(data) % 4)))


def status_bit(bitstring: bytes, index: int) -> bool:
    """BSL §3.2 step: the status at ``index``; outside the list is a RANGE_ERROR."""
    if not 0 <= index < len(bitstring) * 8:
        raise IndexError(f"Status list index {index} is outside the list.")
    return bool(bitstring[index // 8] & (0x80 >> (index % 8)))


def status_list_credential() -> str:
    """BSL §2.2 BitstringStatusListCredential, secured the same way as the credentials it
    serves (BSL §3.6): a VC-JWT by the active key. Two queries and a signature: cheap."""
    largest = Certificate.objects.aggregate(largest=Max("status_index"))["largest"] or 0
    cancelled = Certificate.objects.filter(status__in=CANCELLED_STATUSES).values_list(
        "status_index", flat=True
    )
    url = status_list_url()
    credential = {
        "@context": [VC_CONTEXT],
        "id": url,
        "type": ["VerifiableCredential", STATUS_LIST_TYPE],
        "issuer": issuer_profile(),
        "validFrom": _iso(timezone.now()),
        "credentialSubject": {
            "id": f"{url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": "revocation",
            "encodedList": encode_status_list(cancelled, length=largest + 1),
            "ttl": STATUS_LIST_TTL_SECONDS * 1000,  # milliseconds
        },
    }
    return sign_credential(credential)
