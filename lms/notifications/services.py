"""Writes of notifications: telling a person of an event (``notify``), reading, choices and
one-click unsubscribe."""

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Case, F, IntegerField, Q, Value, When
from django.db.models.functions import Greatest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from lms.email import RenderedEmail, queue_email, render_email
from lms.errors import NotFound
from lms.models import User
from lms.notifications.kinds import all_kinds, kind
from lms.notifications.models import DIGESTS, Delivery, Notification, NotificationPreference
from lms.notifications.selectors import choices_of, deliveries_for, get_notification_for_user
from lms.notifications.tokens import DIGEST, make_token

# RFC 8058 §3.1: the body a mail client POSTs to the List-Unsubscribe address.
ONE_CLICK = "List-Unsubscribe=One-Click"


def absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def unsubscribe_url(*, user_id: int, kind_key: str) -> str:
    token = make_token(user_id=user_id, kind=kind_key)
    return absolute(reverse("notifications:unsubscribe", args=[token]))


def list_headers(url: str) -> dict[str, str]:
    """RFC 2369 §3.2 ``List-Unsubscribe`` (an HTTPS address in angle brackets) and RFC 8058 §3.1
    ``List-Unsubscribe-Post``, so a mail client unsubscribes with one POST, without a page.
    (RFC 8058 §4 wants both fields covered by the DKIM signature: the mail relay signs.)"""
    return {"List-Unsubscribe": f"<{url}>", "List-Unsubscribe-Post": ONE_CLICK}


def footer_context(*, user_id: int, kind_key: str) -> dict[str, str]:
    return {
        "unsubscribe_url": unsubscribe_url(user_id=user_id, kind_key=kind_key),
        "preferences_url": absolute(reverse("notifications:preferences")),
    }


def with_footer(email: RenderedEmail, context: dict[str, Any], language: str) -> RenderedEmail:
    """The text part with the footer's links (the HTML part has them from its base template)."""
    with translation.override(language):
        footer = render_to_string("lms/email/notification_footer.txt", context)
    return RenderedEmail(
        subject=email.subject, text=f"{email.text.rstrip()}\n\n{footer}", html=email.html
    )


@dataclass(frozen=True)
class NotificationMessage:
    """One person to tell, with their e-mail template's context and the link of the item."""

    recipient: User
    context: dict[str, Any]
    url: str = ""


def notify(
    kind_key: str, *, recipient: User, template: str, context: dict[str, Any], url: str = ""
) -> None:
    """Tell ``recipient`` of an event of the registered kind ``kind_key``: ``template`` is an
    e-mail's (``"certificates/email/expiry_reminder"``), rendered in their language. Its subject
    and text are kept in their centre, linking to ``url`` (a path of this site or an address on
    it); the e-mail follows their choice for the kind: now (sent once the transaction commits),
    in a digest, or not at all. Three queries (their choice, the insert, their unread count)."""
    notify_many(
        kind_key, template=template, messages=[NotificationMessage(recipient, context, url)]
    )


def notify_many(kind_key: str, *, template: str, messages: Iterable[NotificationMessage]) -> None:
    """``notify`` each message's recipient, in three queries whatever their number (their
    choices, one insert, their unread counters): for reminders and reports sent to many."""
    found = kind(kind_key)  # an unknown kind raises: register it in ready()
    pending = list(messages)
    if not pending:
        return
    chosen = choices_of(found, [m.recipient.pk for m in pending])
    now = timezone.now()
    rows = []
    for message in pending:
        recipient = message.recipient
        delivery = chosen.get(recipient.pk, found.default)
        language = recipient.preferred_language or settings.LANGUAGE_CODE
        footer = footer_context(user_id=recipient.pk, kind_key=found.key)
        email = render_email(template, context={**message.context, **footer}, language=language)
        send_now = delivery == Delivery.IMMEDIATE and recipient.is_active and bool(recipient.email)
        rows.append(
            Notification(
                recipient=recipient,
                kind=found.key,
                title=email.subject[:300],
                body=email.text.strip(),
                url=message.url[:1000],
                delivery=delivery,
                emailed_at=now if send_now else None,
            )
        )
        if send_now:
            queue_email(
                with_footer(email, footer, language),
                to=[recipient.email],
                headers=list_headers(footer["unsubscribe_url"]),
            )
    # The rows and the counters together (no savepoint: no extra query inside a caller's).
    with transaction.atomic(savepoint=False):
        Notification.objects.bulk_create(rows)
        _count_unread(Counter(row.recipient_id for row in rows))


def _count_unread(changes: Counter[int]) -> None:
    """Move each person's unread counter by the rows made or read (one query; relative, so
    concurrent changes add up; never below zero)."""
    changes = Counter({pk: n for pk, n in changes.items() if n})
    if not changes:
        return
    by = Case(
        *(When(pk=pk, then=Value(n)) for pk, n in changes.items()), output_field=IntegerField()
    )
    User.objects.filter(pk__in=list(changes)).update(
        unread_notifications=Greatest(F("unread_notifications") + by, Value(0))
    )


@transaction.atomic
def mark_read(*, user: User, notification_id: int) -> Notification:
    """Mark one of ``user``'s notifications read (another's is a ``NotFound``)."""
    notification = get_notification_for_user(user, notification_id)
    if notification.read_at is None:
        notification.read_at = timezone.now()
        read = Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
            read_at=notification.read_at
        )
        _count_unread(Counter({user.pk: -read}))
    return notification


@transaction.atomic
def mark_all_read(*, user: User) -> int:
    """Mark every unread notification of ``user`` read; returns how many."""
    read = Notification.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    _count_unread(Counter({user.pk: -read}))
    return read


@transaction.atomic
def set_preferences(*, user: User, choices: dict[str, str]) -> None:
    """Store ``user``'s choice per kind (registered kinds only). Notifications still waiting for
    a digest follow the new choice: to the other digest, or out of e-mail when turned off."""
    wanted = {kind(key).key: Delivery(value) for key, value in choices.items()}
    if not wanted:
        return
    NotificationPreference.objects.bulk_create(
        [NotificationPreference(user=user, kind=k, delivery=d) for k, d in wanted.items()],
        update_conflicts=True,
        unique_fields=["user", "kind"],
        update_fields=["delivery"],
    )
    moved: dict[Delivery, list[str]] = defaultdict(list)
    for key, delivery in wanted.items():
        if delivery != Delivery.IMMEDIATE:
            moved[delivery].append(key)
    waiting = Q(recipient=user, emailed_at__isnull=True, delivery__in=DIGESTS)
    for delivery, keys in moved.items():
        Notification.objects.filter(waiting, kind__in=keys).exclude(delivery=delivery).update(
            delivery=delivery
        )


def unsubscribe(*, user_id: int, kind_key: str) -> tuple[User, list[str]]:
    """One-click unsubscribe (RFC 8058 §3.2): e-mails of the kind off, or, from a digest's
    link, every kind the person gets in a digest. Returns the person and the labels of the
    kinds turned off. An unknown person or kind is a ``NotFound``."""
    user = User.objects.filter(pk=user_id).first()
    if user is None:
        raise NotFound(_("This link is for an account that no longer exists."), code="no_account")
    if kind_key == DIGEST:
        every = all_kinds()
        current = deliveries_for(user, every)
        chosen = [k for k in every if current.get(k.key, k.default) in DIGESTS]
    else:
        try:
            chosen = [kind(kind_key)]
        except LookupError:
            raise NotFound(
                _("These e-mails no longer exist: nothing to unsubscribe from."), code="no_kind"
            ) from None
    set_preferences(user=user, choices={k.key: Delivery.OFF for k in chosen})
    return user, [str(k.label) for k in chosen]
