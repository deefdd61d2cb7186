"""Celery tasks of the progress app."""

from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from courses.models import LaunchSession, SessionState
from progress.models import UnitProgress
from progress.projection import abandon


@shared_task(name="progress.abandon_stale_sessions")
def abandon_stale_sessions() -> int:
    """cmi5 §9.3.6: a session that went quiet without "terminated" has ended; the LMS records
    "abandoned" once (``abandon`` is idempotent, so a retried or overlapping run is harmless)."""
    cutoff = timezone.now() - timedelta(hours=settings.CMI5_SESSION_TIMEOUT_HOURS)
    open_sessions = LaunchSession.objects.filter(
        state__in=[SessionState.LAUNCHED, SessionState.INITIALIZED], launched_at__lt=cutoff
    )
    # Quiet means: nothing recorded for its unit in its registration since the cutoff.
    active = UnitProgress.objects.filter(last_activity_at__gte=cutoff).values_list(
        "enrolment_id", "unit_id"
    )
    busy = set(active)
    count = 0
    for session in open_sessions.select_related("unit", "enrolment").iterator():
        if (session.enrolment_id, session.unit_id) in busy:
            continue
        abandon(session=session)
        count += 1
    return count
