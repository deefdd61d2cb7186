"""The notification kinds of invitations (registered in ``OrganisationsConfig.ready``)."""

from django.utils.translation import gettext_lazy as _

from lms.api import register_notification_kind

INVITATION_ACCEPTED = "invitation_accepted"


def register_kinds() -> None:
    register_notification_kind(
        INVITATION_ACCEPTED,
        _("Someone accepts an invitation"),
        description=_("For whoever sent it, or the organisation's admins."),
    )
