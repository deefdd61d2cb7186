"""The daily and weekly digests: one e-mail per person with the notifications of their digest
kinds not e-mailed yet, then marked e-mailed (a second run finds nothing: idempotent)."""

from itertools import groupby

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from lms.email import queue_email, render_email
from lms.models import User
from lms.notifications.models import DIGESTS, Delivery, Notification
from lms.notifications.services import absolute, footer_context, list_headers, with_footer
from lms.notifications.tokens import DIGEST

TEMPLATE = "lms/email/digest"

# Rows claimed by one run; a larger backlog waits for the next run (or another worker).
BATCH = 5000


def send_digests(delivery: Delivery) -> int:
    """Send the ``delivery`` (daily or weekly) digest to everyone who has one waiting; returns
    how many e-mails were queued. Three queries whatever the people and rows: claim the rows
    (locked, skipping those another run holds), mark them e-mailed, and nothing per person."""
    if delivery not in DIGESTS:
        raise ValueError(f"Not a digest: {delivery}")
    now = timezone.now()
    sent = 0
    with transaction.atomic():
        rows = list(
            Notification.objects.filter(delivery=delivery, emailed_at__isnull=True)
            .select_related("recipient")
            .select_for_update(of=("self",), skip_locked=True)
            .order_by("recipient_id", "id")[:BATCH]
        )
        for _recipient_id, group in groupby(rows, key=lambda n: n.recipient_id):
            items = list(group)
            person = items[0].recipient
            if not person.is_active or not person.email:
                continue
            _queue_digest(person, items, delivery)
            sent += 1
        Notification.objects.filter(pk__in=[n.pk for n in rows]).update(emailed_at=now)
    return sent


def _queue_digest(person: User, items: list[Notification], delivery: Delivery) -> None:
    language = person.preferred_language or settings.LANGUAGE_CODE
    footer = footer_context(user_id=person.pk, kind_key=DIGEST)
    entries = [
        {
            "title": n.title,
            "created_at": n.created_at,
            "url": absolute(reverse("notifications:open", args=[n.pk])),
        }
        for n in items
    ]
    email = render_email(
        TEMPLATE,
        context={
            "person": person,
            "items": entries,
            "weekly": delivery == Delivery.WEEKLY,
            "centre_url": absolute(reverse("notifications:centre")),
            **footer,
        },
        language=language,
    )
    queue_email(
        with_footer(email, footer, language),
        to=[person.email],
        headers=list_headers(footer["unsubscribe_url"]),
    )
