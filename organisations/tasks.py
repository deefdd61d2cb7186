"""Celery tasks of the organisations app."""

from celery import shared_task

from organisations import seats


@shared_task(name="organisations.reclaim_unused_seats", acks_late=True)
def reclaim_unused_seats() -> int:
    """Daily (beat): assigned seats left unused past their pool's limit go back (idempotent)."""
    return seats.reclaim_unused_seats()
