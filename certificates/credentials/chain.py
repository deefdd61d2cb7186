"""Certificate events (issued, revoked, replaced) in the record chain kept by progress, and how
the chain's verification reads the live certificate rows behind them."""

from collections.abc import Iterable
from typing import Any

from certificates.credentials.models import Certificate
from progress.api import append_chain_entry, canonical_json

ISSUED, REVOKED, REPLACED = "certificate.issued", "certificate.revoked", "certificate.replaced"


def _issued(certificate: Certificate) -> dict[str, Any]:
    return {
        "certificate": str(certificate.public_id),
        "serial": certificate.serial,
        "record": str(certificate.record.public_id),
        "learner": str(certificate.learner.public_id),
        "issued_at": certificate.issued_at.isoformat(),
        "expires_at": certificate.expires_at.isoformat() if certificate.expires_at else None,
        "pdf_sha256": certificate.pdf_sha256,
    }


def _revoked(certificate: Certificate) -> dict[str, Any]:
    return {
        "certificate": str(certificate.public_id),
        "revoked_at": certificate.revoked_at.isoformat() if certificate.revoked_at else None,
        "reason": certificate.revocation_reason,
    }


def _replaced(certificate: Certificate) -> dict[str, Any]:
    replacement = certificate.replaced_by
    return {
        "certificate": str(certificate.public_id),
        "replaced_by": str(replacement.public_id) if replacement else None,
    }


_CONTENT = {ISSUED: _issued, REVOKED: _revoked, REPLACED: _replaced}


def log_certificate_event(kind: str, certificate: Certificate) -> None:
    """Append the event to the chain, in the transaction that made it."""
    append_chain_entry(
        kind=kind, subject=certificate.public_id, content=_CONTENT[kind](certificate)
    )


def live_reader(kind: str) -> Any:
    """For the chain's verification: each logged certificate's content as its row says now."""

    def read(subjects: Iterable[str]) -> dict[str, str | None]:
        wanted = set(subjects)
        found: dict[str, str | None] = dict.fromkeys(wanted)
        for certificate in Certificate.objects.filter(public_id__in=wanted).select_related(
            "record", "learner", "replaced_by"
        ):
            found[str(certificate.public_id)] = canonical_json(_CONTENT[kind](certificate))
        return found

    return read
