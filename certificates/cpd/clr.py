"""A cycle's CPD record as a Comprehensive Learner Record (1EdTech CLR Standard v2.0): a
``ClrCredential`` that bundles the signed certificates counted in the cycle, itself signed as a
VC-JWT with the site's key (issue 9).

Specifications (section numbers of the published texts):
- CLR 2.0: 1EdTech Comprehensive Learner Record Standard v2.0. Appendix B data model:
  ``ClrCredential`` (@context, id, type, name [1], issuer, validFrom, partial, credentialSubject),
  ``ClrSubject`` (id or identifier, type, achievement [0..*], verifiableCredential [1..*],
  association [0..*]) and ``VerifiableCredential`` ("at least one proof mechanism, and the
  details necessary to evaluate that proof, MUST be expressed for a credential to be a
  verifiable credential"); §8.2 JSON Web Token Proof Format, which is OB 3.0's (§8.2.3 JOSE
  header, §8.2.4 JWT payload: ``iss``, ``jti``, ``sub``, ``nbf``, and ``exp`` if validUntil).
- OB 3.0 appendix B (Achievement, IdentityObject), shared by CLR 2.0.
- VC 2.0: W3C Verifiable Credentials Data Model v2.0, §4.12 "Securing Mechanisms" (enveloping
  and embedded proofs), §4.13.1 "Enveloped Verifiable Credentials".
- VC-JOSE-COSE: W3C Securing Verifiable Credentials using JOSE and COSE, §3.1.1 (the unsecured
  credential is the JWS payload), and the ``application/vc+jwt`` media type (IANA, 2024).
- RFC 2397 (``data:`` URLs), RFC 7519 §4.1.6 (``iat``).

Decisions:
- Nested certificates: each goes in ``credentialSubject.verifiableCredential`` as a VC 2.0
  ``EnvelopedVerifiableCredential`` whose ``id`` is ``data:application/vc+jwt,<compact JWS>``:
  the certificate's stored VC-JWT, byte for byte. Why: our certificates are secured with an
  *enveloping* proof (OB 3.0 §8.2), so the proof is the JWS itself. CLR 2.0 requires each
  ``verifiableCredential`` to express a proof and the details needed to evaluate it; VC 2.0
  §4.13.1 is the data model's one way to put an enveloped credential where a credential object
  is expected. The alternatives fail that requirement: the decoded credential (the JWT payload)
  carries no ``proof`` and could no longer be checked, and a bare compact-JWS string, as early
  CLR 2.0 drafts showed, is not an object at all (1EdTech gave JWT-secured endorsements a
  separate ``endorsementJwt`` property instead; ``ClrSubject`` has no such property). A verifier
  unwraps the ``data:`` URL and verifies each certificate on its own, with our published keys.
  The price: CLR 2.0's JSON Schema, written before VC 2.0 added enveloping, lists ``issuer``,
  ``validFrom`` and ``credentialSubject`` as required on each entry, which an enveloped one
  carries only inside its JWS; so the ClrCredential does not claim that schema in
  ``credentialSchema`` (the property is optional, [0..*]).
- ``achievement``: the achievements of the bundled certificates, copied from their credentials
  (as 1EdTech's CLR 2.0 signing test vector repeats the nested credential's achievement), each
  once, so that a reader sees what the record holds without unwrapping the envelopes.
- Activities the learner logged themselves are left out. ``ClrSubject.verifiableCredential``
  holds the credentials the learner "has been awarded"; no credential attests an external
  activity, and listing it as an achievement in a credential we sign would have the platform
  assert what it never checked. They stay in the transcript (PDF, CSV). ``partial`` is true: the
  record is one cycle's extract, not every assertion known for the learner (CLR 2.0
  ClrCredential.partial), and the description says external activities are not in it.
- No ``association``: CLR 2.0 associations relate achievements (parent, child, precedes...);
  certificates in a CPD cycle stand side by side, and nothing here knows of such a relation.
- Recipient: ``credentialSubject.id`` is the learner's ``urn:uuid:`` (never an e-mail address),
  the identifier every certificate credential uses, so the CLR's subject is visibly the nested
  credentials' subject; the name is an IdentityObject (``identityType`` "name", not hashed), as
  in the certificates.
- Certificates revoked or replaced, or not yet signed, are not bundled: their credentials must
  no longer be presented as standing. With none left, no CLR can be made (``verifiableCredential``
  is [1..*]): ``ClrUnavailableError``.
- Proof: VC-JWT only, by ``credentials.sign_credential`` (the JOSE header and the claims OB 3.0
  / CLR 2.0 §8.2.3-8.2.4 require; ``alg`` RS256, RFC 7518 §3.3, the minimum §8.2.3 sets; a
  bundled certificate signed before the switch keeps its EdDSA signature, still verifiable),
  plus ``iat`` (RFC 7519 §4.1.6), equal to ``nbf``: a CLR is made when it is downloaded. No
  ``validUntil`` and no ``credentialStatus``: the record states what stood when it was made; the
  nested certificates carry their own validity and revocation status.
"""

import uuid
from datetime import UTC, datetime
from typing import Any

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from certificates.cpd.models import CpdSource
from certificates.cpd.types import Standing
from certificates.credentials.credential_check import unverified_claims
from certificates.credentials.models import Certificate, CertificateStatus
from certificates.credentials.openbadges import (
    CLR_TYPE,
    ENVELOPED_PREFIX,
    OB_CONTEXT,
    VC_CONTEXT,
    issuer_profile,
    sign_credential,
)
from lms.api import Conflict, format_date
from lms.models import User

CLR_CONTEXT = "https://purl.imsglobal.org/spec/clr/v2p0/context-2.0.1.json"
CLR_TYPES = ("VerifiableCredential", CLR_TYPE)
ENVELOPED_TYPE = "EnvelopedVerifiableCredential"


class ClrUnavailableError(Conflict, ValueError):
    """The cycle holds no signed, standing certificate to bundle (CLR 2.0 ClrSubject:
    ``verifiableCredential`` is [1..*])."""


def clr_filename(standing: Standing) -> str:
    """``cpd-record-<rule set slug>-<first day>-<last day>.jwt``: ASCII, no personal data. The
    file is the compact JWS, as the certificates' credential downloads are."""
    cycle = standing.cycle
    return f"cpd-record-{standing.rule_set.slug}-{cycle.start:%Y%m%d}-{cycle.end:%Y%m%d}.jwt"


def bundled_certificates(standing: Standing) -> list[Certificate]:
    """The cycle's certificates that go into the CLR, oldest entry first, each once: from
    platform entries, standing (not revoked or replaced) and signed. No queries when the
    entries' certificates were loaded with them."""
    certificates: list[Certificate] = []
    seen: set[int] = set()
    for line in standing.lines:
        entry = line.entry
        if entry.source != CpdSource.CERTIFICATE or entry.certificate_id is None:
            continue
        certificate = entry.certificate
        if certificate is None or certificate.pk in seen:
            continue
        if certificate.status != CertificateStatus.VALID or not certificate.credential:
            continue
        seen.add(certificate.pk)
        certificates.append(certificate)
    return certificates


def enveloped_credential(token: str) -> dict[str, str]:
    """VC 2.0 §4.13.1: an enveloped verifiable credential. ``@context`` defines ``id``, ``type``
    and ``EnvelopedVerifiableCredential`` (the base context does); ``id`` is a ``data:`` URL
    (RFC 2397) of the secured credential. A compact JWS is base64url segments and dots, all
    URL-safe, so it goes in as it is, without percent-encoding or ``;base64``."""
    return {
        "@context": VC_CONTEXT,
        "id": f"{ENVELOPED_PREFIX}{token}",
        "type": ENVELOPED_TYPE,
    }


def _achievements(certificates: list[Certificate]) -> list[dict[str, Any]]:
    """OB 3.0 Achievements of the certificates' credentials, each achievement once (a course
    completed in two cycles has two certificates and one achievement)."""
    achievements: list[dict[str, Any]] = []
    seen: set[str] = set()
    for index, certificate in enumerate(certificates):
        subject = unverified_claims(certificate.credential).get("credentialSubject")  # ours, stored
        achievement = subject.get("achievement") if isinstance(subject, dict) else None
        if not isinstance(achievement, dict):
            continue
        key = str(achievement.get("id") or f"#{index}")  # OB 3.0 requires an id; just in case
        if key in seen:
            continue
        seen.add(key)
        achievements.append(achievement)
    return achievements


def _iso(moment: datetime) -> str:
    """VC 2.0 dateTimeStamp in UTC to the second: what ``nbf`` and ``iat`` state exactly."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _texts(standing: Standing, count: int) -> tuple[str, str]:
    """The CLR's name and description, in the active language."""
    rule_set = standing.rule_set
    dates = {
        "start": format_date(standing.cycle.start),
        "end": format_date(standing.cycle.end),
    }
    name = _("CPD record: %(rule_set)s, %(start)s – %(end)s") % {  # noqa: RUF001 - an en dash
        "rule_set": rule_set.name,
        **dates,
    }
    description = ngettext(
        "%(count)d certificate issued by %(issuer)s that counts towards “%(rule_set)s” of "
        "%(body)s in the cycle from %(start)s to %(end)s. Activities the learner recorded "
        "themselves are in the CPD transcript, not in this record: no credential attests them.",
        "%(count)d certificates issued by %(issuer)s that count towards “%(rule_set)s” of "
        "%(body)s in the cycle from %(start)s to %(end)s. Activities the learner recorded "
        "themselves are in the CPD transcript, not in this record: no credential attests them.",
        count,
    ) % {
        "count": count,
        "issuer": issuer_profile()["name"],
        "rule_set": rule_set.name,
        "body": rule_set.body.name,
        **dates,
    }
    return name, description


def build_clr(
    standing: Standing,
    *,
    learner: User,
    language: str | None = None,
    issued_at: datetime | None = None,
) -> dict[str, Any]:
    """The cycle's ClrCredential (CLR 2.0 appendix B), unsigned. No queries when the standing
    was loaded as ``certificates.cpd.transcript`` describes (rule set with body, entries with
    certificates). Raises ``ClrUnavailableError`` when there is no certificate to bundle."""
    certificates = bundled_certificates(standing)
    if not certificates:
        raise ClrUnavailableError(
            "No signed, standing certificate counts in this cycle: a CLR needs at least one."
        )
    moment = issued_at or timezone.now()
    language = language or learner.preferred_language or settings.LANGUAGE_CODE
    with translation.override(language):
        name, description = _texts(standing, len(certificates))
    subject: dict[str, Any] = {
        # CLR 2.0 ClrSubject: id or an identifier; the id is the one the certificates use.
        "id": learner.public_id.urn,
        "type": ["ClrSubject"],
        "verifiableCredential": [enveloped_credential(c.credential) for c in certificates],
    }
    if learner.display_name:
        subject["identifier"] = [
            {"type": "IdentityObject", "identityType": "name", "hashed": False,
             "identityHash": learner.display_name},
        ]  # fmt: skip
    if achievements := _achievements(certificates):
        subject["achievement"] = achievements
    return {
        # CLR 2.0 ClrCredential.@context: VC 2.0 first, then CLR 2.0; OB 3.0 defines the terms
        # of the achievements and identity objects.
        "@context": [VC_CONTEXT, CLR_CONTEXT, OB_CONTEXT],
        "id": uuid.uuid4().urn,
        "type": list(CLR_TYPES),
        "name": name,
        "description": description,
        "issuer": issuer_profile(),
        "validFrom": _iso(moment),
        "partial": True,
        "credentialSubject": subject,
    }


def sign_clr(
    standing: Standing,
    *,
    learner: User,
    language: str | None = None,
    issued_at: datetime | None = None,
) -> str:
    """The cycle's ClrCredential secured as a VC-JWT (CLR 2.0 §8.2): a compact JWS signed by the
    site's active key, with ``iss``, ``jti``, ``sub``, ``nbf`` and ``iat``. One query (the
    active key) besides what ``build_clr`` reads."""
    credential = build_clr(standing, learner=learner, language=language, issued_at=issued_at)
    issued = int(datetime.fromisoformat(credential["validFrom"]).timestamp())
    return sign_credential({**credential, "iat": issued})
