"""Celery tasks of notifications: the digests, run by beat (``CELERY_BEAT_SCHEDULE``).
Imported by ``lms.tasks``'s app config at start-up (``LmsConfig.ready``)."""

from celery import shared_task

from lms.notifications.digest import send_digests
from lms.notifications.models import Delivery


@shared_task(name="lms.send_daily_digest")
def send_daily_digest() -> int:
    return send_digests(Delivery.DAILY)


@shared_task(name="lms.send_weekly_digest")
def send_weekly_digest() -> int:
    return send_digests(Delivery.WEEKLY)
