"""Celery tasks of the certificates app: take ids, fetch once, call one service.

``certificates.build_evidence_bundle`` is defined beside the bundles it builds
(``certificates.audit.bundles``, which queues it) and listed here with the others."""

from typing import Any

from celery import shared_task
from django.db import InterfaceError, OperationalError

from certificates.audit.bundles import build_evidence_bundle
from certificates.cpd import services as cpd_services
from certificates.credentials import services as issuance
from progress.models import CompletionRecord

__all__ = [
    "build_evidence_bundle",
    "issue_certificate",
    "on_completion_recorded",
    "send_cpd_cycle_reminders",
    "send_renewal_reminders",
]


@shared_task(
    name="certificates.issue_certificate",
    acks_late=True,
    autoretry_for=(OperationalError, InterfaceError),
    retry_backoff=True,
    retry_backoff_max=600,
    max_retries=5,
)
def issue_certificate(record_id: int) -> str | None:
    """Issue the record's certificate if a rule earns it (idempotent: a retried or duplicated
    task returns the certificate already issued). Returns its serial, or None."""
    record = (
        CompletionRecord.objects.select_related("learner", "course", "journey")
        .filter(pk=record_id)
        .first()
    )
    if record is None:
        return None
    certificate = issuance.issue_certificate(record=record)
    return certificate.serial if certificate else None


@shared_task(name="certificates.send_renewal_reminders", acks_late=True)
def send_renewal_reminders() -> int:
    """Daily (beat): learners whose certificates expire soon are told, once per certificate."""
    return issuance.send_renewal_reminders()


@shared_task(name="certificates.send_cpd_cycle_reminders", acks_late=True)
def send_cpd_cycle_reminders() -> int:
    """Daily (beat): learners whose CPD cycle ends soon with requirements unmet are told what
    is missing, once per cycle."""
    return cpd_services.send_cycle_reminders()


def on_completion_recorded(sender: Any, *, record_id: int, **kwargs: Any) -> None:
    """progress.completion_recorded (sent once the record is committed): queue the issue."""
    issue_certificate.delay(record_id)
