"""The organisation admin's seat to-do (lms.todo): pools valid today that have used at least
the first alert threshold of their seats (``services.ALERT_THRESHOLDS``), for each organisation
the user administers, linked to its seat pools. ``organisations.reports.todo`` gathers it."""

from django.db.models import Count, F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from lms.api import TodoItem
from organisations.core.models import Organisation
from organisations.seats.models import HOLDING, SeatPool, SeatStatus
from organisations.seats.services import ALERT_THRESHOLDS


def seats_todo(managed: list[Organisation]) -> list[TodoItem]:
    """One query: the pools of every organisation in ``managed`` (those the user administers)."""
    if not managed:
        return []
    today = timezone.localdate()
    # Seats used as services.pool_use counts them: held now, and released ones in a
    # consumable pool.
    used = Count(
        "seat_rows",
        filter=Q(seat_rows__status__in=HOLDING)
        | Q(seat_rows__status=SeatStatus.RELEASED, reusable=False),
    )
    near = (
        SeatPool.objects.filter(
            organisation__in=managed, valid_from__lte=today, valid_until__gte=today
        )
        .annotate(used_percent=used * 100)
        .filter(used_percent__gte=F("seats") * ALERT_THRESHOLDS[0])
        .values_list("organisation_id", flat=True)
    )
    counts: dict[int, int] = {}
    for organisation_id in near:
        counts[organisation_id] = counts.get(organisation_id, 0) + 1
    return [
        TodoItem(
            _("Seat pools nearly full in %(organisation)s") % {"organisation": organisation.name},
            reverse("organisations:seats", args=[organisation.public_id]),
            counts.get(organisation.pk, 0),
        )
        for organisation in managed
    ]
