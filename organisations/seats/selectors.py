"""Reads of paid seats for the seat pages, the seat API and the member list: pools with their
use, a pool's seats with their last event, utilisation over time from the seat history, and
the seats each member holds. Every function runs a fixed number of queries, whatever the
number of pools, seats or events.

Scope is the caller's job: these take an organisation or a pool that the caller has already
fetched through ``organisations.scope`` (admins only).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from uuid import UUID

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from courses.models import Course
from lms.api import User
from organisations.core.models import Membership, Organisation
from organisations.seats.models import HOLDING, Seat, SeatEvent, SeatPool, SeatScope, SeatStatus
from organisations.seats.services import CARRIED_OVER

# Up to this many days the utilisation table is by week; longer, by month.
WEEKLY_UP_TO_DAYS = 120


def _held_in(pool: SeatPool, status: str) -> bool:
    """Whether a seat in ``status`` takes a place of ``pool`` (as ``seats.pool_use`` counts)."""
    return status in HOLDING or (status == SeatStatus.RELEASED and not pool.reusable)


def _local_day(moment: datetime) -> date:
    return timezone.localtime(moment).date()


@dataclass(frozen=True)
class PoolRow:
    """A pool as the seat pages show it."""

    pool: SeatPool
    used: int
    revoked: int
    renewed: bool  # a renewal of it exists (its held seats moved there)
    listed: tuple[str, ...]  # titles of the listed courses and journeys (scope "listed")
    today: date

    @property
    def free(self) -> int:
        return max(self.pool.seats - self.used, 0)

    @property
    def expired(self) -> bool:
        return self.pool.valid_until < self.today

    @property
    def upcoming(self) -> bool:
        return self.pool.valid_from > self.today

    @property
    def valid(self) -> bool:
        return not self.expired and not self.upcoming

    @property
    def revocations_left(self) -> int | None:
        cap = self.pool.max_revocations
        return None if cap is None else max(cap - self.revoked, 0)


def _pools_with_figures(pools: QuerySet[SeatPool]) -> list[PoolRow]:
    held = Q(seat_rows__status__in=HOLDING) | Q(
        seat_rows__status=SeatStatus.RELEASED, reusable=False
    )
    annotated = (
        pools.annotate(
            used=Count("seat_rows", filter=held),
            revoked=Count("seat_rows", filter=Q(seat_rows__status=SeatStatus.REVOKED)),
            renewed=Exists(SeatPool.objects.filter(renewed_from=OuterRef("pk"))),
        )
        .select_related("renewed_from")
        .prefetch_related("courses", "journeys")
    )
    language = get_language() or "en"
    today = timezone.localdate()
    return [
        PoolRow(
            pool=pool,
            used=pool.used,
            revoked=pool.revoked,
            renewed=pool.renewed,
            listed=_listed(pool, language),
            today=today,
        )
        for pool in annotated
    ]


def _listed(pool: SeatPool, language: str) -> tuple[str, ...]:
    if pool.scope != SeatScope.LISTED:
        return ()
    courses = [c.title_in(language) or c.slug for c in pool.courses.all()]
    journeys = [
        _("%(title)s (learning journey)") % {"title": j.title_in(language) or j.slug}
        for j in pool.journeys.all()
    ]
    return tuple(sorted(courses, key=str.casefold) + sorted(journeys, key=str.casefold))


def pools_for_organisation(organisation: Organisation) -> list[PoolRow]:
    """Every pool of the organisation, newest period first, with seats used and revoked,
    whether it was renewed, and its listed courses (three queries)."""
    return _pools_with_figures(
        SeatPool.objects.filter(organisation=organisation).order_by("-valid_until", "name", "pk")
    )


def pool_row(pool: SeatPool) -> PoolRow:
    """One pool with its figures (three queries)."""
    return _pools_with_figures(SeatPool.objects.filter(pk=pool.pk))[0]


def get_pool(organisation: Organisation, public_id: UUID | str) -> SeatPool | None:
    """The organisation's pool with this public id, or None (the caller answers 404)."""
    return SeatPool.objects.filter(organisation=organisation, public_id=public_id).first()


def renewal_of(pool: SeatPool) -> SeatPool | None:
    return SeatPool.objects.filter(renewed_from=pool).first()


@dataclass(frozen=True)
class SeatRow:
    """A seat of a pool with its member and its latest event (and that event's note, as
    :func:`readable_notes` words it)."""

    seat: Seat
    last_event: SeatEvent | None
    last_note: str = ""

    @property
    def held(self) -> bool:
        return self.seat.status in HOLDING


def seats_of_pool(pool: SeatPool) -> list[SeatRow]:
    """The pool's seats (held ones first, then by member), each with its latest event: three
    queries, however many seats."""
    latest = SeatEvent.objects.filter(seat=OuterRef("pk")).order_by("-at", "-id").values("id")[:1]
    seats = list(
        Seat.objects.filter(pool=pool)
        .select_related("member")
        .annotate(last_event_id=Subquery(latest))
    )
    events = SeatEvent.objects.select_related("by").in_bulk(
        [s.last_event_id for s in seats if s.last_event_id]
    )
    notes = readable_notes(events.values())
    rows = []
    for seat in seats:
        event = events.get(seat.last_event_id)
        rows.append(SeatRow(seat, event, notes.get(event.pk, "") if event else ""))
    rows.sort(key=lambda r: (not r.held, str(r.seat.member).casefold(), r.seat.pk))
    return rows


def get_seat(pool: SeatPool, seat_id: int) -> Seat | None:
    """A seat of this pool (with its member), or None."""
    return Seat.objects.filter(pool=pool, pk=seat_id).select_related("member").first()


def seat_history(seat: Seat) -> list[tuple[SeatEvent, str]]:
    """Every change of the seat, oldest first, with who made it and its readable note (two
    queries). It spans the pools the seat was carried over from."""
    events = list(SeatEvent.objects.filter(seat=seat).select_related("by").order_by("at", "id"))
    notes = readable_notes(events)
    return [(event, notes.get(event.pk, "")) for event in events]


def readable_notes(events: Iterable[SeatEvent]) -> dict[int, str]:
    """Each event's note as an admin reads it (at most one query): the course an activation was
    for (its note is the course's id, seats.take_seat_for_enrolment), a carrying over to a
    renewal, a reclaiming; otherwise the note as written (a revocation's reason)."""
    events = list(events)
    course_ids = {
        int(e.note) for e in events if e.status == SeatStatus.ACTIVATED and e.note.isdigit()
    }
    courses = Course.objects.in_bulk(course_ids) if course_ids else {}
    language = get_language() or "en"
    notes = {}
    for event in events:
        note = event.note
        if event.status == SeatStatus.ACTIVATED and note.isdigit():
            course = courses.get(int(note))
            title = (course.title_in(language) or course.slug) if course else ""
            note = (
                _("On enrolment in %(course)s") % {"course": title}
                if course
                else _("On enrolment in a course")
            )
        elif note.startswith(CARRIED_OVER):
            note = _("Carried over from the previous period")
        elif event.status == SeatStatus.RECLAIMED and note == "unused":
            note = _("Not activated in time")
        notes[event.pk] = note
    return notes


def assignable_members(pool: SeatPool) -> QuerySet[User]:
    """The organisation's members who hold no seat of ``pool``, by name (one query when
    evaluated)."""
    holders = Seat.objects.filter(pool=pool, status__in=HOLDING).values("member_id")
    return (
        User.objects.filter(memberships__organisation_id=pool.organisation_id)
        .exclude(pk__in=holders)
        .order_by("display_name", "email", "pk")
    )


def held_count(pool: SeatPool) -> int:
    """Seats assigned or activated now: what a renewal carries over (one query)."""
    return Seat.objects.filter(pool=pool, status__in=HOLDING).count()


def held_seat_of(pool: SeatPool, member_public_id: UUID | str) -> Seat | None:
    """The seat of ``pool`` the person holds now, if any."""
    return (
        Seat.objects.filter(pool=pool, member__public_id=member_public_id, status__in=HOLDING)
        .select_related("member")
        .first()
    )


def is_known_to_pool(pool: SeatPool, member_public_id: UUID | str) -> bool:
    """A member of the pool's organisation, or someone who had a seat of it (a former member
    whose seat history stays): the API answers 409, not 404, when such a person holds none."""
    return (
        Membership.objects.filter(
            organisation_id=pool.organisation_id, user__public_id=member_public_id
        ).exists()
        or Seat.objects.filter(pool=pool, member__public_id=member_public_id).exists()
    )


def _events_in_pool(
    pool: SeatPool, events: Sequence[tuple[str, datetime, str]]
) -> tuple[list[tuple[str, datetime]], datetime | None]:
    """The part of one seat's history spent in ``pool``: the events from its assignment, or
    from its carrying over into the pool, up to its carrying over out of it (whose moment is
    returned as the second item; None if it never left)."""
    leaving = f"{CARRIED_OVER}{pool.public_id}"
    end = next((i for i, (_s, _at, note) in enumerate(events) if note == leaving), len(events))
    start = max(
        (i for i, (_s, _at, note) in enumerate(events[:end]) if note.startswith(CARRIED_OVER)),
        default=0,
    )
    left = events[end][1] if end < len(events) else None
    return [(status, at) for status, at, _note in events[start:end]], left


def utilisation_over_time(pool: SeatPool, *, days: int | None = None) -> list[tuple[date, int]]:
    """The seats ``pool`` held at the end of each day (as ``seats.pool_use`` counts: assigned
    and activated seats, and released ones in a consumable pool), from its ``valid_from`` (or
    its first event, if earlier) to today or its ``valid_until``, whichever comes first; only
    the last ``days`` days when given. Built from the seat history (``SeatEvent``) in one query.

    A renewal moves the held seats to the new pool with an event noting where they came from:
    the old pool counts them until then, the new one from then on.
    """
    rows = (
        SeatEvent.objects.filter(
            Q(seat__pool=pool)
            | Q(
                seat__in=SeatEvent.objects.filter(note=f"{CARRIED_OVER}{pool.public_id}").values(
                    "seat_id"
                )
            )
        )
        .order_by("seat_id", "at", "id")
        .values_list("seat_id", "status", "at", "note")
    )
    by_seat: dict[int, list[tuple[str, datetime, str]]] = defaultdict(list)
    for seat_id, status, at, note in rows:
        by_seat[seat_id].append((status, at, note))

    changes: dict[date, int] = defaultdict(int)
    for events in by_seat.values():
        in_pool, left = _events_in_pool(pool, events)
        held = False
        for status, at in in_pool:
            now = _held_in(pool, status)
            if now != held:
                changes[_local_day(at)] += 1 if now else -1
                held = now
        if held and left is not None:
            changes[_local_day(left)] -= 1

    first = min([pool.valid_from, *changes])
    last = min(timezone.localdate(), pool.valid_until)
    if days is not None:
        first = max(first, last - timedelta(days=days - 1))
    held_now = sum(n for day, n in changes.items() if day < first)
    series = []
    day = first
    while day <= last:
        held_now += changes.get(day, 0)
        series.append((day, held_now))
        day += timedelta(days=1)
    return series


@dataclass(frozen=True)
class PeriodUse:
    """Seats held over a week or a month of a utilisation series."""

    start: date
    end: date
    lowest: int
    highest: int
    at_end: int


def utilisation_by_period(points: Sequence[tuple[date, int]]) -> tuple[str, list[PeriodUse]]:
    """A daily series summed up by week (ISO weeks, for up to ``WEEKLY_UP_TO_DAYS`` days) or
    by calendar month: ("week" or "month", the periods oldest first). No query."""
    if not points:
        return "week", []
    weekly = (points[-1][0] - points[0][0]).days < WEEKLY_UP_TO_DAYS

    def key(day: date) -> date:
        return day - timedelta(days=day.weekday()) if weekly else day.replace(day=1)

    groups: dict[date, list[tuple[date, int]]] = defaultdict(list)
    for day, value in points:
        groups[key(day)].append((day, value))
    periods = [
        PeriodUse(
            start=group[0][0],
            end=group[-1][0],
            lowest=min(v for _d, v in group),
            highest=max(v for _d, v in group),
            at_end=group[-1][1],
        )
        for _k, group in sorted(groups.items())
    ]
    return ("week" if weekly else "month"), periods


def seat_status_for_members(
    organisation: Organisation, user_ids: Iterable[int]
) -> dict[int, list[tuple[str, str]]]:
    """For the member list: the seats of the organisation's pools each member holds now, as
    (pool name, status label), in one query. Every id asked for is a key (an empty list: no
    seat). A seat of an expired pool says so in its label."""
    wanted = list(user_ids)
    found: dict[int, list[tuple[str, str]]] = {user_id: [] for user_id in wanted}
    if not wanted:
        return found
    today = timezone.localdate()
    rows = (
        Seat.objects.filter(
            pool__organisation=organisation, member_id__in=wanted, status__in=HOLDING
        )
        .order_by("member_id", "pool__name", "-pool__valid_until", "pk")
        .values_list("member_id", "pool__name", "status", "pool__valid_until")
    )
    for member_id, pool_name, status, valid_until in rows:
        label = str(SeatStatus(status).label)
        if valid_until < today:
            label = _("%(status)s (pool expired)") % {"status": label}
        found[member_id].append((pool_name, label))
    return found


def seat_pools_with_use(organisation: Organisation) -> list[tuple[SeatPool, int]]:
    """The organisation's pools and the seats each holds now (two queries)."""
    pools = list(SeatPool.objects.filter(organisation=organisation))
    used = dict(
        Seat.objects.filter(pool__in=pools)
        .filter(Q(status__in=HOLDING) | Q(status=SeatStatus.RELEASED, pool__reusable=False))
        .values("pool_id")
        .annotate(n=Count("id"))
        .values_list("pool_id", "n")
    )
    return [(pool, used.get(pool.pk, 0)) for pool in pools]
