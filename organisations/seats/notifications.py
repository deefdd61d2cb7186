"""The notification kinds of seats (registered in ``OrganisationsConfig.ready``)."""

from django.utils.translation import gettext_lazy as _

from lms.api import Delivery, register_notification_kind

SEAT_ASSIGNED = "seat_assigned"
SEAT_ALERT = "seat_alert"


def register_kinds() -> None:
    register_notification_kind(
        SEAT_ASSIGNED,
        _("You are given a seat"),
        description=_("A seat of your organisation opens its paid courses to you."),
        default=Delivery.DAILY,
    )
    register_notification_kind(
        SEAT_ALERT,
        _("A seat pool is running out"),
        description=_(
            "For organisation admins: when three quarters of the seats are used, then all."
        ),
    )
