"""The Practica user and the worker heartbeat.

A user logs in with their e-mail address, unique regardless of case. Their xAPI identity is an
``account`` whose name is ``public_id``, never the e-mail address (docs/architecture.md,
"Identities").
"""

import uuid

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from lms.languages import language_choices


class Profession(models.TextChoices):
    SOCIAL_WORKER = "social_worker", _("Social worker")
    PSYCHOLOGIST = "psychologist", _("Psychologist")
    TEACHER = "teacher", _("Teacher")
    POLICE = "police", _("Police")
    HEALTH = "health", _("Health professional")
    LEGAL = "legal", _("Legal professional")
    NGO_STAFF = "ngo_staff", _("NGO staff")
    STUDENT = "student", _("Student")
    OTHER = "other", _("Other")


class Gender(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    NON_BINARY = "non_binary", _("Non-binary")
    SELF_DESCRIBED = "other", _("Other")
    UNDISCLOSED = "undisclosed", _("Prefer not to say")


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def get_by_natural_key(self, username: str | None) -> "User":
        # Log-in and password reset find a user whatever the case of the address typed.
        return self.get(email__iexact=username)

    def create_user(self, email: str, password: str | None = None, **fields: object) -> "User":
        if not email:
            raise ValueError("A user needs an e-mail address.")
        user = self.model(email=self.normalize_email(email), **fields)
        user.set_password(password)
        user.full_clean(exclude=["password"])
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **fields: object) -> "User":
        fields.setdefault("is_staff", True)
        fields.setdefault("is_superuser", True)
        fields.setdefault("display_name", email.split("@", maxsplit=1)[0])
        return self.create_user(email, password, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField(_("e-mail address"), max_length=254)
    public_id = models.UUIDField(
        _("public identifier"),
        default=uuid.uuid4,
        editable=False,
        unique=True,
        help_text=_("Used in URLs and as the xAPI account name; never changes."),
    )
    display_name = models.CharField(
        _("display name"),
        max_length=150,
        help_text=_("The name shown to others and on certificates."),
    )
    preferred_language = models.CharField(
        _("preferred language"),
        max_length=10,
        choices=language_choices,
        default=settings.LANGUAGE_CODE,
    )
    translates_into = models.JSONField(
        _("translates into"),
        default=list,
        blank=True,
        help_text=_(
            'Language codes this person translates the interface and content into, e.g. ["ro", '
            '"uk"]: they get the translator role. Staff translate into every site language.'
        ),
    )
    country = CountryField(_("country"), blank=True)
    profession = models.CharField(
        _("profession"), max_length=32, choices=Profession.choices, blank=True
    )
    gender = models.CharField(_("gender"), max_length=16, choices=Gender.choices, blank=True)
    analytics_consent = models.BooleanField(
        _("consent to analytics"),
        default=False,
        help_text=_("May anonymised data about this person's learning be used for research?"),
    )
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(
        _("staff status"),
        default=False,
        help_text=_("Staff may log in to the administration site."),
    )
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)
    email_verified_at = models.DateTimeField(
        _("e-mail address verified"),
        null=True,
        blank=True,
        help_text=_("When the person opened the link sent to the address; empty: not yet."),
    )
    unread_notifications = models.PositiveIntegerField(
        _("unread notifications"),
        default=0,
        editable=False,
        help_text=_(
            "Kept by lms.notifications with each change, so that the menu shows it without a query."
        ),
    )
    sessions_version = models.PositiveIntegerField(
        _("sessions version"),
        default=0,
        help_text=_("Raised by “log out everywhere”: every session signed in before ends."),
    )

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["display_name"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["display_name", "id"]
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                name="lms_user_email_ci_unique",
                violation_error_message=_("A user with this e-mail address already exists."),
            ),
        ]

    def __str__(self) -> str:
        return self.display_name or self.email

    def get_full_name(self) -> str:
        return self.display_name

    def get_short_name(self) -> str:
        return self.display_name

    def clean(self) -> None:
        super().clean()
        self.email = type(self).objects.normalize_email(self.email)

    @property
    def email_verified(self) -> bool:
        return self.email_verified_at is not None

    def _get_session_auth_hash(self, secret: str | None = None) -> str:
        """Django's session hash (it ends every session when the password changes), with the
        sessions version mixed in, so that "log out everywhere" ends them too. Version 0 keeps
        Django's own value: sessions made before the version existed stay signed in."""
        if not self.sessions_version:
            return super()._get_session_auth_hash(secret=secret)  # type: ignore[misc]
        return salted_hmac(
            "lms.User.sessions",
            f"{self.password}:{self.sessions_version}",
            secret=secret,
            algorithm="sha256",
        ).hexdigest()

    def xapi_account(self) -> dict[str, str]:
        """This user's xAPI Agent account (xAPI 1.0.3 §2.4.2.1, Agent account object)."""
        return {"homePage": settings.SITE_URL, "name": str(self.public_id)}


class WorkerHeartbeat(models.Model):
    """The last time each Celery worker ran the periodic heartbeat task; /healthz reads it."""

    hostname = models.CharField(_("worker host name"), max_length=255, unique=True)
    seen_at = models.DateTimeField(_("last seen"))

    class Meta:
        verbose_name = _("worker heartbeat")
        verbose_name_plural = _("worker heartbeats")
        ordering = ["-seen_at"]

    def __str__(self) -> str:
        return f"{self.hostname} @ {self.seen_at:%Y-%m-%d %H:%M:%S}"


# The notifications' models belong to this app (its label, its migrations).
from lms.notifications.models import (  # noqa: E402
    Delivery,
    Notification,
    NotificationPreference,
)

__all__ = [
    "Delivery",
    "Gender",
    "Notification",
    "NotificationPreference",
    "Profession",
    "User",
    "WorkerHeartbeat",
]
