"""What a verifier is told about a certificate: valid, revoked (since when), expired or replaced,
with only what the certificate itself shows (its snapshot as issued)."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework.throttling import SimpleRateThrottle

from certificates.credentials.models import Certificate, CertificateStatus
from certificates.credentials.selectors import certificate_state

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

    @property
    def label(self) -> str:
        return str(STATES[self.state])

    def as_json(self) -> dict[str, Any]:
        """The public answer: the state and what the certificate shows, nothing else."""
        shown = self.certificate.snapshot
        cpd = shown.get("cpd") or {}
        return {
            "status": self.state,
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


def verify_code(code: str) -> Verification | None:
    """The certificate with this verification code and its state now (one query), or None."""
    # Codes are lower-case base32: one typed from paper in capitals still matches.
    code = code.strip().lower()
    certificate = (
        Certificate.objects.select_related("replaced_by").filter(verification_code=code).first()
    )
    if certificate is None:
        return None
    state = certificate_state(certificate)
    if state == CertificateStatus.REVOKED:
        return Verification(state, certificate, certificate.revoked_at)
    if state == CertificateStatus.REPLACED and certificate.replaced_by is not None:
        replacement = certificate.replaced_by
        return Verification(
            state, certificate, replacement.issued_at, replacement.verification_code
        )
    if state == "expired":
        return Verification(state, certificate, certificate.expires_at)
    return Verification(state, certificate, None)


class VerificationThrottle(SimpleRateThrottle):
    """Per client address, shared by the page and the API (REST_FRAMEWORK's
    DEFAULT_THROTTLE_RATES["verification"]): codes cannot be guessed by the thousand."""

    scope = "verification"

    def get_cache_key(self, request: Any, view: Any) -> str:
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}
