"""Invitation tokens and states, and why an invitation cannot be used.

An invitation carries a one-time token. Only the token's SHA-256 is stored, so a database leak
gives no working link; the token itself exists in the e-mail alone. A pending invitation past its
expiry is shown as "expired" (no status of its own: time decides it) and cannot be accepted until
it is resent.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta
from enum import StrEnum

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lms.api import ApplicationError, Conflict, Gone, NotAllowed, NotFound, User
from organisations.invitations.models import Invitation, InvitationStatus

TOKEN_BYTES = 32


def hash_token(token: str) -> str:
    """The stored form of a token (SHA-256, hex). A 256-bit random token needs no salt or
    stretching: it cannot be guessed, and the unique index finds it in one lookup."""
    return hashlib.sha256(token.encode()).hexdigest()


def new_token() -> tuple[str, str]:
    token = secrets.token_urlsafe(TOKEN_BYTES)
    return token, hash_token(token)


def expiry(now: datetime) -> datetime:
    return now + timedelta(days=settings.INVITATION_EXPIRY_DAYS)


class InvitationState(models.TextChoices):
    """What an admin sees: the stored status, with "expired" for a pending one past its date."""

    PENDING = "pending", gettext_lazy("Pending")
    EXPIRED = "expired", gettext_lazy("Expired")
    ACCEPTED = "accepted", gettext_lazy("Accepted")
    REVOKED = "revoked", gettext_lazy("Revoked")


def is_expired(invitation: Invitation, now: datetime | None = None) -> bool:
    return invitation.status == InvitationStatus.PENDING and invitation.expires_at <= (
        now or timezone.now()
    )


def invitation_state(invitation: Invitation, now: datetime | None = None) -> InvitationState:
    if is_expired(invitation, now):
        return InvitationState.EXPIRED
    return InvitationState(invitation.status)


def normalise_email(email: str) -> str:
    """Addresses are compared without regard to case (as the user table does)."""
    return email.strip().lower()


class InvitationProblem(StrEnum):
    UNKNOWN = "unknown"
    USED = "used"
    REVOKED = "revoked"
    EXPIRED = "expired"
    WRONG_ACCOUNT = "wrong_account"
    UNVERIFIED = "unverified"
    NOT_PENDING = "not_pending"


class InvitationError(ApplicationError):
    """An invitation that cannot be used or changed; ``message`` says why, for the person
    in front of the page, and ``problem`` which reason it is (also its ``code``). Raised as
    one of the kinds below, whose status the handlers answer (lms/errors.py)."""

    def __init__(self, problem: InvitationProblem, message: str) -> None:
        super().__init__(message, code=problem.value)
        self.problem = problem
        self.message: str = message


class InvitationUnknownError(InvitationError, NotFound):
    """No invitation has this token."""


class InvitationClosedError(InvitationError, Gone):
    """The invitation was used, withdrawn or has expired."""


class InvitationRefusedError(InvitationError, NotAllowed):
    """The invitation is for another address, or the account's address is not confirmed."""


class InvitationNotPendingError(InvitationError, Conflict):
    """Only a pending (or expired) invitation can be resent or withdrawn."""


def usable(invitation: Invitation | None, now: datetime) -> Invitation:
    """The token's invitation if anyone may still accept it; otherwise InvitationError."""
    if invitation is None:
        raise InvitationUnknownError(
            InvitationProblem.UNKNOWN,
            _(
                "This invitation link is not valid. If you were sent the invitation again, "
                "use the link in the latest e-mail."
            ),
        )
    if invitation.status == InvitationStatus.ACCEPTED:
        raise InvitationClosedError(
            InvitationProblem.USED,
            _("This invitation has already been accepted. An invitation link works only once."),
        )
    if invitation.status == InvitationStatus.REVOKED:
        raise InvitationClosedError(
            InvitationProblem.REVOKED,
            _("This invitation was withdrawn by %(organisation)s.")
            % {"organisation": invitation.organisation.name},
        )
    if is_expired(invitation, now):
        raise InvitationClosedError(
            InvitationProblem.EXPIRED,
            _("This invitation has expired. Ask %(organisation)s to send it again.")
            % {"organisation": invitation.organisation.name},
        )
    return invitation


def check_account(invitation: Invitation, user: User) -> None:
    """Only the invited address may accept: a forwarded link does not make someone else a member."""
    if normalise_email(user.email) != invitation.email:
        raise InvitationRefusedError(
            InvitationProblem.WRONG_ACCOUNT,
            _(
                "This invitation was sent to %(email)s, and you are signed in as %(you)s. "
                "Sign in with the invited address to accept it."
            )
            % {"email": invitation.email, "you": user.email},
        )
    if not user.email_verified:
        # Anyone may sign up with an address: only its owner, who opened the link we sent to
        # it, may accept what was sent to it (issue 17).
        raise InvitationRefusedError(
            InvitationProblem.UNVERIFIED,
            _(
                "Confirm your e-mail address first: open the link we sent to %(email)s (or ask "
                "for a new one on your profile page), then accept the invitation."
            )
            % {"email": user.email},
        )
