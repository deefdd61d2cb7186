"""What a verifier is told about a certificate: valid, revoked (since when), expired or replaced,
with only what the certificate itself shows (its snapshot as issued).

A certificate is found by its verification code (32 letters and digits, printed under its QR
code in groups of four) or by its serial number (``PRA-2026-7KQ4-M2XD``, top right), typed in
either case, with or without spaces and dashes. The code is the key to what the certificate
shows; the serial alone only tells that such a certificate exists, its state and issue date
(serials are printed and passed around; they are random, but the code is what the learner
chooses to share)."""

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _
from rest_framework.throttling import SimpleRateThrottle

from certificates.credentials.models import Certificate, CertificateStatus
from certificates.credentials.selectors import certificate_state
from lms.api import format_date

STATES = {
    "valid": _("Valid"),
    "revoked": _("Revoked"),
    "expired": _("Expired"),
    "replaced": _("Replaced by a corrected certificate"),
}


@dataclass(frozen=True)
class Verification:
    state: str  # valid, revoked, expired, replaced
    certificate: Certificate
    since: datetime | None  # revoked at, expired at, or the replacement's issue
    replacement_code: str = ""
    # False when found by its serial alone: only its existence, state and issue date are shown.
    details: bool = True

    @property
    def label(self) -> str:
        return str(STATES[self.state])

    @property
    def heading(self) -> str:
        """The state in words, with its date: "Valid", "Revoked on 3 December 2026"..."""
        when = ""
        if self.since:
            when = format_date(self.since)
        if self.state == CertificateStatus.REVOKED and when:
            return _t("Revoked on %(date)s") % {"date": when}
        if self.state == "expired" and when:
            return _t("Expired on %(date)s") % {"date": when}
        if self.state == CertificateStatus.REPLACED:
            return _t("Replaced by a newer certificate")
        return self.label

    def as_json(self) -> dict[str, Any]:
        """The public answer: the state and what the certificate shows, nothing else (found by
        its serial alone: the state and the issue date only)."""
        if not self.details:
            return {
                "status": self.state,
                "status_text": self.heading,
                "since": self.since.isoformat() if self.since else None,
                "serial": self.certificate.serial,
                "issued_on": self.certificate.snapshot.get("issued_on")
                or self.certificate.issued_at.date().isoformat(),
                "details": False,
            }
        shown = self.certificate.snapshot
        cpd = shown.get("cpd") or {}
        return {
            "status": self.state,
            "status_text": self.heading,
            "details": True,
            "since": self.since.isoformat() if self.since else None,
            "serial": self.certificate.serial,
            "recipient": (shown.get("recipient") or {}).get("name", ""),
            "title": (shown.get("achievement") or {}).get("title", ""),
            "body": (shown.get("body") or {}).get("name", ""),
            "accreditation_reference": (shown.get("accreditation") or {}).get("reference", ""),
            "cpd_value": cpd.get("value", ""),
            "cpd_unit": cpd.get("unit", ""),
            "completed_on": shown.get("completed_on", ""),
            "issued_on": shown.get("issued_on", ""),
            "expires_on": shown.get("expires_on") or None,
            "replaced_by": self.replacement_code or None,
        }


# Spaces and dashes (of any kind) people put in or leave out when they copy a code or serial.
SEPARATORS = re.compile(r"[\s\-\u2010-\u2015\u2212]+")
# A serial without its dashes: the prefix, the year, then 8 random Crockford base32 characters
# (or, before issue 17, a 6-digit count).
SERIAL_SHAPE = re.compile(r"([A-Z]+)(20\d{2})([0-9A-Z]{8}|\d{6})")
# Crockford's base32 reads O as 0 and I or L as 1: a serial copied by hand still matches.
CROCKFORD_READINGS = str.maketrans({"O": "0", "I": "1", "L": "1"})
CODE_LETTERS = re.compile(r"[a-z0-9]{1,64}")


def compact(text: str) -> str:
    """``text`` without spaces or dashes."""
    return SEPARATORS.sub("", text.strip())


def as_code(text: str) -> str:
    """A verification code as stored (lower case, no separators), or "" if it cannot be one."""
    code = compact(text).lower()
    return code if CODE_LETTERS.fullmatch(code) else ""


def as_serial(text: str) -> str:
    """A serial number as printed (``PRA-2026-7KQ4-M2XD``), or "" if it cannot be one."""
    match = SERIAL_SHAPE.fullmatch(compact(text).upper())
    if match is None:
        return ""
    prefix, year, rest = match.groups()
    if len(rest) == 6 and rest.isdigit():
        return f"{prefix}-{year}-{rest}"
    rest = rest.translate(CROCKFORD_READINGS)
    return f"{prefix}-{year}-{rest[:4]}-{rest[4:]}"


def format_code(code: str) -> str:
    """A verification code as printed for people: capitals in groups of four."""
    code = code.upper()
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def verify_code(code: str) -> Verification | None:
    """The certificate with this verification code and its state now (one query), or None."""
    # Codes are lower-case base32: one typed from paper in capitals, in groups, still matches.
    code = as_code(code)
    if not code:
        return None
    certificate = (
        Certificate.objects.select_related("replaced_by").filter(verification_code=code).first()
    )
    return _verification(certificate) if certificate is not None else None


def verify(text: str, *, code: str = "") -> Verification | None:
    """The certificate ``text`` names, by its verification code or its serial number (one
    query), or None. Found by its serial, it shows its details only when ``code`` is its
    verification code too."""
    by_code, by_serial = as_code(text), as_serial(text)
    if not (by_code or by_serial):
        return None
    wanted = Q(verification_code=by_code) if by_code else Q()
    if by_serial:
        wanted |= Q(serial=by_serial)
    found = list(Certificate.objects.select_related("replaced_by").filter(wanted)[:2])
    for certificate in found:  # the code first: it is the stronger claim
        if by_code and certificate.verification_code == by_code:
            return _verification(certificate)
    if not found:
        return None
    certificate = found[0]
    return _verification(
        certificate, details=bool(code) and as_code(code) == certificate.verification_code
    )


def _verification(certificate: Certificate, *, details: bool = True) -> Verification:
    state = certificate_state(certificate)
    if state == CertificateStatus.REVOKED:
        return Verification(state, certificate, certificate.revoked_at, details=details)
    if state == CertificateStatus.REPLACED and certificate.replaced_by is not None:
        replacement = certificate.replaced_by
        return Verification(
            state,
            certificate,
            replacement.issued_at,
            # Where the correction is would show it all: only to those who hold the code.
            replacement.verification_code if details else "",
            details=details,
        )
    if state == "expired":
        return Verification(state, certificate, certificate.expires_at, details=details)
    return Verification(state, certificate, None, details=details)


class VerificationThrottle(SimpleRateThrottle):
    """Per client address, shared by the page and the API (REST_FRAMEWORK's
    DEFAULT_THROTTLE_RATES["verification"]): codes cannot be guessed by the thousand."""

    scope = "verification"

    def get_cache_key(self, request: Any, view: Any) -> str:
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}
