"""Reads of notifications: a person's centre, their unread count and their choices."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from lms.errors import NotFound
from lms.models import User
from lms.notifications.kinds import NotificationKind, all_kinds
from lms.notifications.models import Delivery, Notification, NotificationPreference

PAGE_SIZE = 20


def get_notification_for_user(user: User, notification_id: int) -> Notification:
    """One of ``user``'s notifications; another's, or none, is a ``NotFound``."""
    found = Notification.objects.filter(recipient=user, pk=notification_id).first()
    if found is None:
        raise NotFound(_("This notification does not exist."), code="no_notification")
    return found


@dataclass(frozen=True)
class NotificationPage:
    items: list[Notification]
    older: int | None  # the cursor of the next page (decision 0005), if there is one


def notifications_for_user(user: User, *, before: int | None = None) -> NotificationPage:
    """A page of ``user``'s notifications, newest first, older than the id ``before`` (one
    query: a cursor on the id, not OFFSET)."""
    rows = Notification.objects.filter(recipient=user).order_by("-id")
    if before is not None:
        rows = rows.filter(pk__lt=before)
    items = list(rows[: PAGE_SIZE + 1])
    older = items[PAGE_SIZE - 1].pk if len(items) > PAGE_SIZE else None
    return NotificationPage(items=items[:PAGE_SIZE], older=older)


def unread_count(user: User) -> int:
    """How many of ``user``'s notifications are unread (one query)."""
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def deliveries_for(user: User, kinds: Iterable[NotificationKind]) -> dict[str, Delivery]:
    """``user``'s stored choices for ``kinds`` (one query); a kind missing has its default."""
    keys = [k.key for k in kinds]
    return {
        row.kind: Delivery(row.delivery)
        for row in NotificationPreference.objects.filter(user=user, kind__in=keys)
    }


def choices_of(kind: NotificationKind, user_ids: list[int]) -> dict[int, Delivery]:
    """The stored choices of these users for ``kind``, by user id (one query); a user missing
    has the kind's default."""
    return {
        user_id: Delivery(delivery)
        for user_id, delivery in NotificationPreference.objects.filter(
            kind=kind.key, user_id__in=user_ids
        ).values_list("user_id", "delivery")
    }


@dataclass(frozen=True)
class Choice:
    kind: NotificationKind
    delivery: Delivery


def preferences_for(user: User) -> list[Choice]:
    """Every registered kind and ``user``'s choice for it (one query)."""
    every = all_kinds()
    stored = deliveries_for(user, every)
    return [Choice(kind=k, delivery=stored.get(k.key, k.default)) for k in every]
