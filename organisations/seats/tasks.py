"""Celery tasks of the seats. Registered through ``organisations.tasks``, which Celery's
autodiscovery imports."""

from celery import shared_task

from organisations.seats import services


@shared_task(name="organisations.reclaim_unused_seats", acks_late=True)
def reclaim_unused_seats() -> int:
    """Daily (beat): assigned seats left unused past their pool's limit go back (idempotent)."""
    return services.reclaim_unused_seats()
