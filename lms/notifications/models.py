"""The notifications kept for each person and their e-mail choices per kind (models of the lms
app, re-exported by ``lms.models``)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Delivery(models.TextChoices):
    """How a person gets the e-mails of a kind; every kind is always kept in the centre."""

    IMMEDIATE = "immediate", _("An e-mail for each one")
    DAILY = "daily", _("A daily digest")
    WEEKLY = "weekly", _("A weekly digest")
    OFF = "off", _("Only here, no e-mail")


DIGESTS = (Delivery.DAILY, Delivery.WEEKLY)


class Notification(models.Model):
    """Something that happened that concerns ``recipient``: shown in their centre until read."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("recipient"),
    )
    kind = models.CharField(_("kind"), max_length=64)
    title = models.CharField(_("title"), max_length=300)
    body = models.TextField(_("text"), blank=True)
    url = models.CharField(
        _("link"),
        max_length=1000,
        blank=True,
        help_text=_("Where the person acts on it: a path of this site or an address on it."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    delivery = models.CharField(
        _("e-mail delivery"),
        max_length=16,
        choices=Delivery.choices,
        help_text=_("The person's choice for its kind when it was made (or changed since)."),
    )
    emailed_at = models.DateTimeField(
        _("e-mailed"),
        null=True,
        blank=True,
        help_text=_("When its e-mail or the digest holding it was queued; empty: not yet."),
    )

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-id"]
        indexes = [
            # The unread count of every page.
            models.Index(
                fields=["recipient"],
                condition=models.Q(read_at__isnull=True),
                name="lms_notification_unread_idx",
            ),
            models.Index(fields=["recipient", "-id"], name="lms_notification_list_idx"),
            # What the digests send.
            models.Index(
                fields=["delivery", "id"],
                condition=models.Q(emailed_at__isnull=True),
                name="lms_notification_digest_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} → {self.recipient_id}: {self.title}"


class NotificationPreference(models.Model):
    """A person's choice for a kind; without a row, the kind's default applies."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_preferences",
        verbose_name=_("user"),
    )
    kind = models.CharField(_("kind"), max_length=64)
    delivery = models.CharField(_("e-mail delivery"), max_length=16, choices=Delivery.choices)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        ordering = ["user_id", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="lms_notification_pref_once")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind}: {self.delivery}"
