"""Celery tasks of the organisations app, defined by subject in ``reports/tasks.py`` and
``seats/tasks.py`` and imported here so that Celery's autodiscovery (``lms/celery.py``) registers
them. Task names stay ``"organisations.<function>"``."""

from organisations.reports.tasks import (
    build_report,
    send_due_date_reminders,
    send_monthly_reports,
    send_reminders,
)
from organisations.seats.tasks import reclaim_unused_seats

__all__ = [
    "build_report",
    "reclaim_unused_seats",
    "send_due_date_reminders",
    "send_monthly_reports",
    "send_reminders",
]
