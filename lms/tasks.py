"""Celery tasks of the lms app: e-mail delivery, the worker heartbeat, unused kept uploads."""

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMultiAlternatives

from lms import services, uploads


@shared_task(name="lms.send_email", autoretry_for=(OSError,), max_retries=8)
def send_email(
    *,
    subject: str,
    body: str,
    to: list[str],
    html_body: str | None = None,
    from_email: str = "",
    headers: dict[str, str] | None = None,
) -> None:
    """Send one e-mail. Rendering happens before queueing, so the task only delivers;
    ``headers`` are extra header fields (a notification's ``List-Unsubscribe``)."""
    message = EmailMultiAlternatives(
        subject=subject,
        body=body,
        from_email=from_email or settings.DEFAULT_FROM_EMAIL,
        to=to,
        headers=headers or None,
    )
    if html_body:
        message.attach_alternative(html_body, "text/html")
    message.send()


@shared_task(name="lms.record_worker_heartbeat")
def record_worker_heartbeat(hostname: str | None = None) -> None:
    """Scheduled by beat every minute; /healthz reports when a worker last ran it."""
    services.record_worker_heartbeat(hostname=hostname)


@shared_task(name="lms.purge_kept_uploads")
def purge_kept_uploads() -> int:
    """Delete the files kept across a failed submit that were never used (``lms.uploads``)."""
    return uploads.purge_kept_uploads()
