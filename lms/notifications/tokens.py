"""The signed tokens of one-click unsubscribe links (RFC 8058): who and which kind, signed with
the site's key by ``django.core.signing``, valid ``NOTIFICATION_UNSUBSCRIBE_MAX_AGE_DAYS``."""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core import signing

_SALT = "lms.notifications.unsubscribe"

# The kind of a digest's link: every kind the person gets in a digest.
DIGEST = "*digests"


@dataclass(frozen=True)
class Unsubscribe:
    user_id: int
    kind: str


class TokenError(ValueError):
    """A token that is forged, damaged or too old."""


def make_token(*, user_id: int, kind: str) -> str:
    return signing.dumps({"u": user_id, "k": kind}, salt=_SALT)


def read_token(token: str) -> Unsubscribe:
    try:
        data = signing.loads(
            token,
            salt=_SALT,
            max_age=timedelta(days=settings.NOTIFICATION_UNSUBSCRIBE_MAX_AGE_DAYS),
        )
    except signing.BadSignature as error:  # SignatureExpired included
        raise TokenError(str(error)) from error
    if not isinstance(data, dict) or not isinstance(data.get("u"), int):
        raise TokenError("malformed")
    return Unsubscribe(user_id=data["u"], kind=str(data.get("k", "")))
