"""The notification kinds of certificates (registered in ``CertificatesConfig.ready``)."""

from django.utils.translation import gettext_lazy as _

from lms.api import register_notification_kind

CERTIFICATE_ISSUED = "certificate_issued"
CERTIFICATE_EXPIRING = "certificate_expiring"


def register_kinds() -> None:
    register_notification_kind(
        CERTIFICATE_ISSUED,
        _("A certificate is issued to you"),
        description=_("With a link to the certificate."),
    )
    register_notification_kind(
        CERTIFICATE_EXPIRING,
        _("One of your certificates expires soon"),
        description=_("Once per certificate, before it expires."),
    )
