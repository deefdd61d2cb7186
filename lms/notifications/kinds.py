"""The registry of notification kinds. lms is the lowest layer: the apps that tell people of
their events register their kinds in ``ready()``, as they register to-do providers
(``lms.todo``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from lms.notifications.models import Delivery

if TYPE_CHECKING:  # a lazy translation's type exists only in the stubs
    from django.utils.functional import _StrPromise


class NotificationKindError(LookupError):
    """``notify`` was given a kind nobody registered: a programming error."""


@dataclass(frozen=True)
class NotificationKind:
    key: str
    label: str | _StrPromise
    description: str | _StrPromise
    default: Delivery


_kinds: dict[str, NotificationKind] = {}

# The kinds' dictionary holds at most 64 characters: ``Notification.kind``.
KEY_MAX_LENGTH = 64


def register_notification_kind(
    key: str,
    label: str | _StrPromise,
    *,
    description: str | _StrPromise = "",
    default: Delivery = Delivery.IMMEDIATE,
) -> None:
    """Register (or replace, so that ``ready()`` may run twice) a kind of notification: its key
    (``"certificates.issued"``), a label and description for the preferences page (lazy
    translations) and how its e-mails go unless the person chooses otherwise."""
    if not key or len(key) > KEY_MAX_LENGTH:
        raise ValueError(f"A notification kind's key has 1 to {KEY_MAX_LENGTH} characters: {key!r}")
    _kinds[key] = NotificationKind(key, label, description, Delivery(default))


def kind(key: str) -> NotificationKind:
    """The registered kind ``key``; an unknown key raises ``NotificationKindError``."""
    try:
        return _kinds[key]
    except KeyError:
        raise NotificationKindError(f"Unknown notification kind {key!r}: register it") from None


def all_kinds() -> list[NotificationKind]:
    """Every registered kind, in the order of registration."""
    return list(_kinds.values())
