"""Celery tasks of the reports: take ids, fetch once, call one service. Registered through
``organisations.tasks``, which Celery's autodiscovery imports."""

from celery import shared_task

from organisations.reports import exports, reminders


@shared_task(
    name="organisations.build_report",
    acks_late=True,
    autoretry_for=(ConnectionError,),
    retry_backoff=True,
    max_retries=3,
)
def build_report(export_id: int) -> None:
    """Build a queued report file with visible progress (a finished one is left alone)."""
    exports.run_export(export_id)


@shared_task(name="organisations.send_reminders", acks_late=True)
def send_reminders(organisation_id: int, member_ids: list[int], by_id: int) -> int:
    """E-mail the members given who are behind (overdue or due within a week)."""
    return reminders.send_reminders(
        organisation_id=organisation_id, member_ids=member_ids, by_id=by_id
    )


@shared_task(name="organisations.send_monthly_reports", acks_late=True)
def send_monthly_reports() -> int:
    """Monthly (beat): each supervisor and admin gets their team's figures by e-mail."""
    return reminders.send_monthly_reports()


@shared_task(name="organisations.send_due_date_reminders", acks_late=True)
def send_due_date_reminders() -> int:
    """Daily (beat): members hear once that assigned learning is due soon."""
    return reminders.send_due_date_reminders()
