"""Writes owned by the lms app: users, their profiles and API tokens, worker heartbeats."""

import socket
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework.authtoken.models import Token

from lms.models import User, WorkerHeartbeat

PROFILE_FIELDS = frozenset(
    {"display_name", "preferred_language", "country", "profession", "gender", "analytics_consent"}
)


EMAIL_CONSTRAINT = "lms_user_email_ci_unique"


def _duplicate_email_error() -> ValidationError:
    return ValidationError(
        {
            "email": ValidationError(
                _("A user with this e-mail address already exists."), code="unique"
            )
        }
    )


def is_duplicate_email(error: ValidationError) -> bool:
    """Whether register_user() said no because the address has an account."""
    fields = getattr(error, "error_dict", {})
    return any(item.code == "unique" for item in fields.get("email", []))


@transaction.atomic
def register_user(*, email: str, password: str, display_name: str, **profile: Any) -> User:
    """Create an active learner account. Raises ValidationError naming the field at fault."""
    unknown = set(profile) - PROFILE_FIELDS
    if unknown:
        raise TypeError(f"register_user() got unexpected fields: {', '.join(sorted(unknown))}")
    user = User(email=User.objects.normalize_email(email), display_name=display_name, **profile)
    user.set_password(password)
    # The database constraint decides uniqueness (no check-then-insert race); the savepoint
    # keeps the caller's transaction usable when it says no.
    user.full_clean(exclude=["password"], validate_constraints=False)
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError as exc:
        if EMAIL_CONSTRAINT in str(exc):
            raise _duplicate_email_error() from exc
        raise
    return user


@transaction.atomic
def update_profile(*, user: User, **changes: Any) -> User:
    """Change the profile fields a user may edit themselves."""
    unknown = set(changes) - PROFILE_FIELDS
    if unknown:
        raise TypeError(f"update_profile() got unexpected fields: {', '.join(sorted(unknown))}")
    for name, value in changes.items():
        setattr(user, name, value)
    user.full_clean(exclude=["password"])
    user.save(update_fields=[*changes])
    return user


@transaction.atomic
def replace_api_token(*, user: User) -> str:
    """Revoke the user's API token, if any, and return a new one (shown to them once)."""
    Token.objects.filter(user=user).delete()
    return Token.objects.create(user=user).key


def revoke_api_tokens(*, user: User) -> int:
    """Revoke every API token of the user (their password changed, or they logged out
    everywhere): a token must not outlive the secret it was made under."""
    deleted, _detail = Token.objects.filter(user=user).delete()
    return deleted


@transaction.atomic
def log_out_everywhere(*, user: User) -> None:
    """End every session of the user, on every device, and revoke their API tokens."""
    User.objects.filter(pk=user.pk).update(sessions_version=F("sessions_version") + 1)
    user.refresh_from_db(fields=["sessions_version"])
    revoke_api_tokens(user=user)


def record_worker_heartbeat(*, hostname: str | None = None) -> WorkerHeartbeat:
    heartbeat, _created = WorkerHeartbeat.objects.update_or_create(
        hostname=hostname or socket.gethostname(), defaults={"seen_at": timezone.now()}
    )
    return heartbeat
