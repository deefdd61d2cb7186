"""Authentication helpers."""

from typing import Any

from django.http import HttpRequest
from rest_framework.authentication import TokenAuthentication
from rest_framework.request import Request

from lms.languages import activate_preferred_language


def axes_username(request: HttpRequest, credentials: dict[str, str] | None = None) -> str:
    """The key django-axes counts failures under: the e-mail address, case-folded.

    Without this, "A@x.org" and "a@x.org" would be separate counters for the same account.
    """
    value = ""
    if credentials:
        value = credentials.get("username") or credentials.get("email") or ""
    elif request is not None and request.method == "POST":
        value = request.POST.get("username", "")
    return value.strip().casefold()


class RevokeTokensOnPasswordChange:
    """Not a rule on passwords: Django calls every validator's ``password_changed`` whenever a
    user's password is saved, whatever changed it (the password change and reset pages, the
    admin, ``set_password``). A new password revokes the API tokens made under the old one."""

    def validate(self, password: str, user: Any = None) -> None:
        """Every password passes."""

    def password_changed(self, password: str, user: Any = None) -> None:
        if user is not None and user.pk is not None:
            from lms.services import revoke_api_tokens  # noqa: PLC0415

            revoke_api_tokens(user=user)

    def get_help_text(self) -> str:
        return ""


SIGNUP_EMAIL_HINT = "lms.signup_email_hint"


def suggest_signup_email(request: HttpRequest, email: str) -> None:
    """Pre-fill this visitor's sign-up form with ``email`` (an invitation's address, say). It
    is kept in their session, not put in the sign-up link: a query string ends up in logs and
    Referer headers. The form is only pre-filled: the person may change the address."""
    request.session[SIGNUP_EMAIL_HINT] = email


def suggested_signup_email(request: HttpRequest, *, forget: bool = False) -> str:
    """The address suggested for this visitor's sign-up; ``forget`` once they signed up."""
    if forget:
        return str(request.session.pop(SIGNUP_EMAIL_HINT, ""))
    return str(request.session.get(SIGNUP_EMAIL_HINT, ""))


class LanguageTokenAuthentication(TokenAuthentication):
    """DRF's token authentication, answering in the token owner's language.

    A token-authenticated request has no session and no language cookie, and the user is known
    only once DRF authenticates it, after every middleware: its error messages and texts follow
    the request's Accept-Language when it sends one (RFC 9110 §12.5.4), else the owner's
    ``preferred_language`` (as ``lms.middleware.UserLanguageMiddleware`` does for pages).
    """

    def authenticate(self, request: Request) -> tuple[Any, Any] | None:
        result = super().authenticate(request)
        if result is not None and "HTTP_ACCEPT_LANGUAGE" not in request.META:
            activate_preferred_language(request._request, result[0].preferred_language)
        return result
