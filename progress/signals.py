"""Signals the progress app announces to the apps above it (docs/style.md, "Boundaries between
apps")."""

from django.db import transaction
from django.dispatch import Signal

# Sent once a CompletionRecord is committed: ``record_id`` (its primary key). Handlers should
# only schedule their own work (a Celery task); the record exists when they run.
completion_recorded = Signal()


def announce_completion(record_id: int) -> None:
    """Send ``completion_recorded`` after the current transaction commits."""
    transaction.on_commit(
        lambda: completion_recorded.send(sender=announce_completion, record_id=record_id)
    )
