"""E-mail verification: a one-time link proves that the person who signed up owns the address.

Until then the account may learn (enrol, take courses), but may not stand for the address: be
named as a CPD discussion's peer, accept an invitation sent to it. The link is a token that
Django's password-reset machinery signs over the user, their address and when it was verified:
once used (or once the address changes) it no longer works; it lasts PASSWORD_RESET_TIMEOUT.

Opening the link is not enough: the page asks for the account's password too. Someone may sign
up with another person's address before they do (account pre-hijacking); if that person then
confirmed by the link alone, the account would be theirs but its password the other's. Without
the password they choose "Forgot your password?", whose link proves the address as well
(``PasswordResetConfirmView`` marks it verified) and ends the other's sessions.

Sign-up answers the same whether the address was new or not (issue 17): a new address gets the
link, a known one a note that it has an account. Either e-mail goes at most once per
``VERIFICATION_RESEND_SECONDS`` to an address, so the form cannot flood an inbox.
"""

import hashlib
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode

from lms.email import send_templated_email
from lms.models import User
from lms.signals import email_verified


class _VerificationTokens(PasswordResetTokenGenerator):
    key_salt = "lms.verification.EmailVerificationTokens"

    def _make_hash_value(self, user: Any, timestamp: int) -> str:
        return f"{user.pk}{user.email}{user.email_verified_at}{timestamp}"


tokens = _VerificationTokens()


def verification_url(user: User, *, next_path: str = "") -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    path = reverse("verify_email", args=[uid, tokens.make_token(user)])
    if next_path:
        path += "?" + urlencode({"next": next_path})
    return settings.SITE_URL.rstrip("/") + path


def _first_in_a_while(email: str) -> bool:
    """True once per VERIFICATION_RESEND_SECONDS for an address (case aside)."""
    key = "lms.verification.sent:" + hashlib.sha256(email.lower().encode()).hexdigest()
    return cache.add(key, 1, timeout=settings.VERIFICATION_RESEND_SECONDS)


def user_for_link(uidb64: str, token: str) -> User | None:
    """The account a verification link is for, if the link is valid now."""
    try:
        pk = int(urlsafe_base64_decode(uidb64).decode())
    except (ValueError, TypeError, UnicodeDecodeError, OverflowError):
        return None
    user = User.objects.filter(pk=pk, is_active=True).first()
    if user is None or not tokens.check_token(user, token):
        return None
    return user


def send_verification(user: User, *, next_path: str = "") -> bool:
    """E-mail the link, in the person's language; False if one went out a moment ago."""
    if not _first_in_a_while(user.email):
        return False
    send_templated_email(
        "lms/email/verify_email",
        to=[user.email],
        context={
            "user": user,
            "url": verification_url(user, next_path=next_path),
            "hours": settings.PASSWORD_RESET_TIMEOUT // 3600,
        },
        language=user.preferred_language,
    )
    return True


def send_already_registered(email: str) -> None:
    """Someone signed up with an address that has an account: tell its owner, and no one
    else (the sign-up page says the same whether the address was new or not)."""
    if not _first_in_a_while(email):
        return
    site = settings.SITE_URL.rstrip("/")
    send_templated_email(
        "lms/email/already_registered",
        to=[email],
        context={"login": site + reverse("login"), "reset": site + reverse("password_reset")},
        # The language the sign-up page was in: the owner may be who filled it in.
        language=translation.get_language(),
    )


@transaction.atomic
def sign_up(*, email: str, password: str, next_path: str = "", **profile: Any) -> User | None:
    """Create the account and send its link; for an address that has an account, tell its
    owner instead. The caller answers the same either way. Returns the new account, or None.
    Raises ValidationError for anything else wrong with the fields."""
    from lms.services import is_duplicate_email, register_user  # noqa: PLC0415

    try:
        user = register_user(email=email, password=password, **profile)
    except ValidationError as error:
        if not is_duplicate_email(error):
            raise
        known = User.objects.filter(email__iexact=User.objects.normalize_email(email)).first()
        if known is not None and not known.email_verified:
            send_verification(known, next_path=next_path)
        else:
            send_already_registered(User.objects.normalize_email(email))
        return None
    send_verification(user, next_path=next_path)
    return user


@transaction.atomic
def verify_email(*, user: User) -> None:
    """The address is the person's; the apps above hear of it (once, on commit)."""
    if user.email_verified:
        return
    User.objects.filter(pk=user.pk).update(email_verified_at=timezone.now())
    user.refresh_from_db(fields=["email_verified_at"])
    transaction.on_commit(lambda: email_verified.send(sender=User, user=user))
