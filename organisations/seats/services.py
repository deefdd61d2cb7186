"""Paid seats: pools, assignment, activation on enrolment, release, revocation, reclaiming,
renewal, utilisation alerts. Every write locks the pool row first, so two admins assigning the
last seat at the same moment give exactly one assignment (SELECT ... FOR UPDATE).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from courses.api import EnrolmentRefused
from lms.api import Conflict, NotificationMessage, User, notify, notify_many
from organisations.core.models import Membership, MembershipRole
from organisations.seats.models import HOLDING, Seat, SeatEvent, SeatPool, SeatScope, SeatStatus
from organisations.seats.notifications import SEAT_ALERT, SEAT_ASSIGNED

ALERT_THRESHOLDS = (75, 100)
# The note on each seat renew_pool moves, followed by the old pool's public id (the utilisation
# history reads it: seat_selectors.utilisation_over_time).
CARRIED_OVER = "carried over from "


class SeatError(Conflict):
    """A seat change that may not happen; the message says why, for the admin."""

    default_message = gettext_lazy("The seat or the pool does not allow this change now.")


@dataclass(frozen=True)
class PoolUse:
    seats: int
    used: int

    @property
    def free(self) -> int:
        return max(self.seats - self.used, 0)

    @property
    def percent(self) -> int:
        return round(100 * self.used / self.seats) if self.seats else 100


def pool_use(pool: SeatPool) -> PoolUse:
    """Seats held now; in a consumable pool, released seats stay used (one query)."""
    held = Q(status__in=HOLDING)
    if not pool.reusable:
        held |= Q(status=SeatStatus.RELEASED)
    return PoolUse(pool.seats, Seat.objects.filter(held, pool=pool).count())


def is_valid(pool: SeatPool, on: date | None = None) -> bool:
    day = on or timezone.localdate()
    return pool.valid_from <= day <= pool.valid_until


def covering(pools: list[SeatPool], course: Any) -> list[SeatPool]:
    """Those of ``pools`` whose seats may be used for ``course`` (the whole catalogue, the course
    listed, or a listed journey with it), in their order; one query whatever their number."""
    if not pools:
        return []
    found = set(
        SeatPool.objects.filter(pk__in=[pool.pk for pool in pools])
        .filter(
            Q(scope=SeatScope.CATALOGUE) | Q(courses=course) | Q(journeys__steps__course=course)
        )
        .values_list("pk", flat=True)
    )
    return [pool for pool in pools if pool.pk in found]


def _locked(pool: SeatPool) -> SeatPool:
    return SeatPool.objects.select_for_update().get(pk=pool.pk)


def _record(seat: Seat, status: str, by: User | None, note: str = "") -> None:
    SeatEvent.objects.create(seat=seat, status=status, by=by, note=note)


def _check_member(pool: SeatPool, member: User) -> None:
    if not Membership.objects.filter(organisation_id=pool.organisation_id, user=member).exists():
        raise SeatError(_("%(member)s is not a member of this organisation.") % {"member": member})


@transaction.atomic
def assign_seat(*, pool: SeatPool, member: User, by: User | None = None) -> Seat:
    """Give ``member`` a seat of ``pool`` (the one they hold already, if any)."""
    pool = _locked(pool)
    if not is_valid(pool):
        raise SeatError(_("This pool is not valid today."))
    _check_member(pool, member)
    held = Seat.objects.filter(pool=pool, member=member, status__in=HOLDING).first()
    if held is not None:
        return held
    if pool_use(pool).free < 1:
        raise SeatError(_("No seat is free in %(pool)s.") % {"pool": pool.name})
    seat = Seat.objects.create(pool=pool, member=member, assigned_at=timezone.now())
    _record(seat, SeatStatus.ASSIGNED, by)
    _alert_on_use(pool)
    if by is not None and by.pk != member.pk:  # not a seat the learner took by enrolling
        _tell_assigned(pool, member)
    return seat


def _tell_assigned(pool: SeatPool, member: User) -> None:
    catalogue = reverse("courses:catalogue")
    notify(
        SEAT_ASSIGNED,
        recipient=member,
        template="organisations/email/seat_assigned",
        url=catalogue,
        context={
            "member": member,
            "pool": pool,
            "organisation": pool.organisation,
            "url": settings.SITE_URL.rstrip("/") + catalogue,
        },
    )


def assign_seats(*, pool: SeatPool, members: Iterable[User], by: User | None = None) -> list[str]:
    """Assign a seat to each member, one transaction each; returns the reasons of those refused
    (the pool running out refuses the rest, and says so)."""
    refused = []
    for member in members:
        try:
            assign_seat(pool=pool, member=member, by=by)
        except SeatError as error:
            refused.append(f"{member}: {error}")
    return refused


@transaction.atomic
def _end_seat(*, seat: Seat, status: str, by: User | None, note: str = "") -> Seat:
    pool = _locked(seat.pool)
    seat = Seat.objects.select_for_update().get(pk=seat.pk)
    if seat.status not in HOLDING:
        raise SeatError(_("This seat has already ended."))
    if status == SeatStatus.REVOKED and pool.max_revocations is not None:
        revoked = Seat.objects.filter(pool=pool, status=SeatStatus.REVOKED).count()
        if revoked >= pool.max_revocations:
            raise SeatError(
                ngettext(
                    "This pool allows %(n)s revocation; it is used.",
                    "This pool allows %(n)s revocations; all are used.",
                    pool.max_revocations,
                )
                % {"n": pool.max_revocations}
            )
    seat.status = status
    seat.ended_at = timezone.now()
    seat.save(update_fields=["status", "ended_at"])
    _record(seat, status, by, note)
    return seat


def release_seat(*, seat: Seat, by: User | None = None) -> Seat:
    """The member no longer needs it: back to a reusable pool, used up in a consumable one."""
    return _end_seat(seat=seat, status=SeatStatus.RELEASED, by=by)


def revoke_seat(*, seat: Seat, by: User | None = None, note: str = "") -> Seat:
    """An admin takes a seat back (within the pool's cap on revocations); the place returns."""
    return _end_seat(seat=seat, status=SeatStatus.REVOKED, by=by, note=note)


def reclaim_unused_seats(*, now: datetime | None = None) -> int:
    """Assigned seats never activated within their pool's ``reclaim_after_days`` go back."""
    moment = now or timezone.now()
    count = 0
    stale = Seat.objects.filter(
        status=SeatStatus.ASSIGNED, pool__reclaim_after_days__isnull=False
    ).select_related("pool")
    for seat in stale:
        if seat.assigned_at + timedelta(days=seat.pool.reclaim_after_days or 0) <= moment:
            try:
                _end_seat(seat=seat, status=SeatStatus.RECLAIMED, by=None, note="unused")
            except SeatError:
                continue  # ended meanwhile
            count += 1
    return count


@transaction.atomic
def renew_pool(
    *,
    pool: SeatPool,
    seats: int,
    valid_from: date,
    valid_until: date,
    order_reference: str = "",
    price: Any = 0,
    by: User | None = None,
) -> SeatPool:
    """A new period of the same pool: the same scope and rules; the held seats move over."""
    old = _locked(pool)
    # Under the lock, so two renewals of one pool cannot both pass (renewed_from is one-to-one).
    if SeatPool.objects.filter(renewed_from=old).exists():
        raise SeatError(_("%(pool)s has been renewed already.") % {"pool": old.name})
    new = SeatPool.objects.create(
        organisation=old.organisation, name=old.name, seats=seats, scope=old.scope,
        valid_from=valid_from, valid_until=valid_until, order_reference=order_reference,
        price=price, currency=old.currency, reusable=old.reusable,
        reclaim_after_days=old.reclaim_after_days, max_revocations=old.max_revocations,
        renewed_from=old,
    )  # fmt: skip
    new.courses.set(old.courses.all())
    new.journeys.set(old.journeys.all())
    held = list(Seat.objects.filter(pool=old, status__in=HOLDING).select_for_update())
    if len(held) > seats:
        raise SeatError(
            ngettext(
                "%(held)s seat is held; the renewal has only %(seats)s.",
                "%(held)s seats are held; the renewal has only %(seats)s.",
                len(held),
            )
            % {"held": len(held), "seats": seats}
        )
    for seat in held:
        seat.pool = new
        seat.save(update_fields=["pool"])
        _record(seat, seat.status, by, note=f"{CARRIED_OVER}{old.public_id}")
    return new


def take_seat_for_enrolment(*, learner: User, course: Any) -> Seat:
    """The enrolment policy's decision for a paid course: the seat the learner holds in a valid
    pool covering it (activated now), else one assigned from such a pool of one of their
    organisations; none: EnrolmentRefused, and nothing changes."""
    today = timezone.localdate()
    organisations = Membership.objects.filter(user=learner).values("organisation_id")
    pools = list(
        SeatPool.objects.filter(
            organisation_id__in=organisations, valid_from__lte=today, valid_until__gte=today
        ).order_by("valid_until", "pk")
    )
    usable = covering(pools, course)
    held = Seat.objects.filter(member=learner, pool__in=usable, status__in=HOLDING).first()
    if held is None:
        for pool in usable:
            try:
                held = assign_seat(pool=pool, member=learner)
                break
            except SeatError:
                continue
    if held is None:
        expired = SeatPool.objects.filter(
            organisation_id__in=organisations, valid_until__lt=today
        ).exists()
        if expired and not pools:
            raise EnrolmentRefused(
                _("Your organisation's seats have expired: ask its admin to renew them.")
            )
        raise EnrolmentRefused(
            _(
                "This course needs a seat from your organisation, and none is free for you. "
                "Ask your organisation's admin for one."
            )
        )
    if held.status == SeatStatus.ASSIGNED:
        with transaction.atomic():
            Seat.objects.filter(pk=held.pk).update(
                status=SeatStatus.ACTIVATED, activated_at=timezone.now()
            )
            held.status = SeatStatus.ACTIVATED
            _record(held, SeatStatus.ACTIVATED, learner, note=str(course.pk))
    return held


class SeatEnrolmentPolicy:
    """courses.ports.EnrolmentPolicy: a paid course takes a seat."""

    def check(self, *, learner: Any, course: Any) -> None:
        if course.is_paid:
            take_seat_for_enrolment(learner=learner, course=course)


def _alert_on_use(pool: SeatPool) -> None:
    """At 75 % and at 100 % used, once each per pool, the organisation's admins hear of it."""
    use = pool_use(pool)
    reached = max((t for t in ALERT_THRESHOLDS if use.percent >= t), default=0)
    if reached <= pool.alerted_at_percent:
        return
    SeatPool.objects.filter(pk=pool.pk).update(alerted_at_percent=reached)
    admins = User.objects.filter(
        memberships__organisation_id=pool.organisation_id,
        memberships__role=MembershipRole.ADMIN,
        is_active=True,
    )
    seats_page = reverse("organisations:seats", args=[pool.organisation.public_id])
    # Each admin in their own language, by their own choice.
    notify_many(
        SEAT_ALERT,
        template="organisations/email/seat_alert",
        messages=[
            NotificationMessage(admin, {"pool": pool, "use": use, "percent": reached}, seats_page)
            for admin in admins
        ],
    )
