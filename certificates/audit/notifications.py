"""The notification kinds of audits (registered in ``CertificatesConfig.ready``), and the
request for more information told to the learner."""

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from lms.api import User, notify, register_notification_kind

AUDIT_REQUEST = "audit_request"
# Told to the accreditor when a learner answers a request (sent by the answer flow).
AUDIT_ANSWER = "audit_answer"


def register_kinds() -> None:
    register_notification_kind(
        AUDIT_REQUEST,
        _("An auditor asks you for more information"),
        description=_("About one of your records or your CPD profile."),
    )
    register_notification_kind(
        AUDIT_ANSWER,
        _("A learner answers your request for more information"),
        description=_("For accreditors."),
    )


def tell_more_information_requested(
    *, learner: User, subject: str, body: str, reference: str, notes: str
) -> None:
    """The learner whose record or CPD profile it is hears that an auditor asks for more
    information; they read the request with the decisions on their certificates page."""
    page = reverse("my-certificates:list")
    notify(
        AUDIT_REQUEST,
        recipient=learner,
        template="certificates/email/audit_request",
        url=page,
        context={
            "learner": learner,
            "subject": subject,
            "body": body,
            "reference": reference,
            "notes": notes,
            "url": settings.SITE_URL.rstrip("/") + page,
        },
    )
