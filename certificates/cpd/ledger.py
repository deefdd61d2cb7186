"""The certificates' lines of the CPD ledger: one entry per valid certificate worth CPD, kept in
step by ``sync_certificate_entry``, which hears of issue, revoke and reissue through
``certificates.credentials.signals`` (connected in ``CertificatesConfig.ready()``), and
``backfill_certificate_entries`` for certificates issued before the ledger existed."""

from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone

from certificates.cpd import selectors as cpd
from certificates.cpd.models import (
    CpdActivityKind,
    CpdEntry,
    CpdSource,
)
from certificates.credentials.models import Certificate, CertificateStatus, CpdUnit


def certificate_hours(certificate: Certificate) -> Decimal | None:
    """The hours a certificate's snapshot shows (points back to hours at its body's rate), or
    None when it carries no CPD."""
    cpd_value = certificate.snapshot.get("cpd") or {}
    try:
        value = Decimal(str(cpd_value.get("value")))
    except (InvalidOperation, ValueError):
        return None
    if not value.is_finite() or value <= 0:
        return None
    if cpd_value.get("unit") == CpdUnit.POINTS and certificate.accreditation is not None:
        rate = Decimal(certificate.accreditation.body.points_per_hour)
        if rate > 0:
            value /= rate
    hours = value.quantize(cpd.CENT, rounding=ROUND_HALF_UP)
    return hours if hours > 0 else None


@transaction.atomic
def sync_certificate_entry(certificate: Certificate) -> CpdEntry | None:
    """Keep the ledger in step with the certificates of ``certificate``'s completion record:
    its standing certificate, when valid and worth CPD, has exactly one entry; otherwise the
    record has none. A reissue moves the entry to the new certificate with the learner's
    reflection and discussion; a revocation deletes it. Idempotent."""
    standing = (
        Certificate.objects.filter(record_id=certificate.record_id)
        .exclude(status=CertificateStatus.REPLACED)
        .select_related("record", "accreditation__body")
        .first()
    )
    entries = list(
        CpdEntry.objects.select_for_update()
        .filter(certificate__record_id=certificate.record_id)
        .order_by("id")
    )
    hours = None
    if standing is not None and standing.status == CertificateStatus.VALID:
        hours = certificate_hours(standing)
    if standing is None or hours is None:
        for entry in entries:
            entry.delete()
        return None
    kept = next((e for e in entries if e.certificate_id == standing.pk), None)
    kept = kept or next(iter(entries), None)
    for other in entries:
        if other is not kept:
            other.delete()
    entry = kept or CpdEntry(learner_id=standing.learner_id, source=CpdSource.CERTIFICATE)
    completed_at = standing.record.completed_at
    facts = {
        "certificate_id": standing.pk,
        "learner_id": standing.learner_id,
        "title": str(standing.snapshot["achievement"]["title"])[:300],
        "kind": CpdActivityKind.COURSE,
        "provider": str((standing.snapshot.get("issuer") or {}).get("name") or "")[:200],
        "participatory": False,
        "structured": True,
        "date": timezone.localdate(completed_at),
        "occurred_at": completed_at,
        "hours": hours,
    }
    if entry.pk is not None and all(getattr(entry, k) == v for k, v in facts.items()):
        return entry
    for field, value in facts.items():
        setattr(entry, field, value)
    entry.save()
    return entry


def backfill_certificate_entries(progress: Callable[[int, int], None] | None = None) -> int:
    """Entries for valid certificates that have none (those issued before the ledger existed),
    each in its own transaction. Safe to run again. ``progress(done, total)`` is called after
    each certificate. Returns how many entries were made."""
    made = 0
    missing = Certificate.objects.filter(
        status=CertificateStatus.VALID, cpd_entry__isnull=True
    ).order_by("id")
    total = missing.count()
    for done, certificate in enumerate(missing.iterator(), start=1):
        with transaction.atomic():
            if sync_certificate_entry(certificate) is not None:
                made += 1
        if progress is not None:
            progress(done, total)
    return made


def on_certificate_changed(sender: object, *, certificate: Certificate, **kwargs: object) -> None:
    """Receiver of certificates.credentials.signals (issued, revoked, replaced), in the
    sender's transaction."""
    sync_certificate_entry(certificate)
