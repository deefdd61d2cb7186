"""The notification kinds of the CPD ledger (registered in ``CertificatesConfig.ready``)."""

from django.utils.translation import gettext_lazy as _

from lms.api import register_notification_kind

DISCUSSION_REQUEST = "cpd_discussion_request"
DISCUSSION_ANSWER = "cpd_discussion_answer"
CYCLE_REMINDER = "cpd_cycle_reminder"


def register_kinds() -> None:
    register_notification_kind(
        DISCUSSION_REQUEST,
        _("Someone asks you to confirm a CPD discussion"),
    )
    register_notification_kind(
        DISCUSSION_ANSWER,
        _("Your CPD discussion is confirmed or declined"),
    )
    register_notification_kind(
        CYCLE_REMINDER,
        _("Your CPD cycle ends soon and you have not met its requirements"),
    )
