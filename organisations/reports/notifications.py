"""The notification kinds of reports and reminders (registered in
``OrganisationsConfig.ready``)."""

from django.utils.translation import gettext_lazy as _

from lms.api import register_notification_kind

LEARNING_REMINDER = "learning_reminder"
MONTHLY_REPORT = "monthly_report"
DUE_DATE = "due_date"


def register_kinds() -> None:
    register_notification_kind(
        LEARNING_REMINDER,
        _("Your supervisor reminds you of learning that is behind"),
    )
    register_notification_kind(
        DUE_DATE,
        _("Assigned learning is due soon"),
        description=_("Once per course or journey assigned to you, a few days before it is due."),
    )
    register_notification_kind(
        MONTHLY_REPORT,
        _("The monthly progress report of your team"),
        description=_("For supervisors and organisation admins."),
    )
