"""Paid seats: assignment, exhaustion, activation on enrolment, scope, release in reusable and
consumable pools, the revocation cap, reclaiming, renewal, alerts, expiry, and the race for the
last seat on PostgreSQL."""

import threading
from datetime import timedelta

import pytest
from django.utils import timezone

from courses.api import EnrolmentRefused
from courses.models import Enrolment, JourneyStep
from courses.services import enrol_learner
from organisations.models import MembershipRole, Seat, SeatEvent, SeatPool, SeatScope, SeatStatus
from organisations.seats.services import (
    SeatError,
    assign_seat,
    assign_seats,
    pool_use,
    reclaim_unused_seats,
    release_seat,
    renew_pool,
    revoke_seat,
    take_seat_for_enrolment,
)
from tests.courses.factories import CourseFactory, JourneyFactory
from tests.lms.factories import UserFactory
from tests.organisations.factories import OrganisationFactory, make_member

pytestmark = pytest.mark.django_db


def make_pool(organisation, seats=2, **kwargs) -> SeatPool:
    today = timezone.localdate()
    defaults = {
        "name": "2026 seats",
        "valid_from": today - timedelta(days=1),
        "valid_until": today + timedelta(days=365),
        "order_reference": "PO-1",
        "price": 1200,
    }
    return SeatPool.objects.create(organisation=organisation, seats=seats, **{**defaults, **kwargs})


@pytest.fixture
def organisation():
    return OrganisationFactory()


def _member(organisation, role=MembershipRole.MEMBER):
    return make_member(organisation, role=role).user


def test_assigning_seats_until_none_is_free(organisation):
    pool = make_pool(organisation, seats=2)
    admin = _member(organisation, MembershipRole.ADMIN)
    first, second, third = (_member(organisation) for _ in range(3))
    seat = assign_seat(pool=pool, member=first, by=admin)
    assert assign_seat(pool=pool, member=first, by=admin) == seat  # held already: the same
    refused = assign_seats(pool=pool, members=[second, third], by=admin)
    assert len(refused) == 1
    assert "No seat is free" in refused[0]
    assert pool_use(pool).used == 2
    assert list(seat.events.values_list("status", "by")) == [(SeatStatus.ASSIGNED, admin.pk)]


def test_only_members_get_seats_and_only_from_a_valid_pool(organisation):
    stranger = UserFactory()
    with pytest.raises(SeatError, match="not a member"):
        assign_seat(pool=make_pool(organisation), member=stranger)
    past = timezone.localdate() - timedelta(days=30)
    expired = make_pool(organisation, valid_from=past - timedelta(days=300), valid_until=past)
    with pytest.raises(SeatError, match="not valid"):
        assign_seat(pool=expired, member=_member(organisation))
    assert not Seat.objects.exists()


def test_a_paid_course_takes_and_activates_a_seat_on_enrolment(organisation):
    course = CourseFactory(is_paid=True)
    pool = make_pool(organisation, seats=1)
    learner = _member(organisation)
    enrol_learner(learner=learner, course=course)
    seat = Seat.objects.get(member=learner)
    assert (seat.pool, seat.status) == (pool, SeatStatus.ACTIVATED)
    assert list(seat.events.values_list("status", flat=True)) == ["assigned", "activated"]
    # The next paid course uses the same seat.
    enrol_learner(learner=learner, course=CourseFactory(is_paid=True))
    assert Seat.objects.count() == 1


def test_no_free_seat_means_a_clear_refusal_and_nothing_enrolled(organisation):
    course = CourseFactory(is_paid=True)
    make_pool(organisation, seats=1)
    enrol_learner(learner=_member(organisation), course=course)
    late = _member(organisation)
    with pytest.raises(EnrolmentRefused, match="none is free for you"):
        enrol_learner(learner=late, course=course)
    assert not Enrolment.objects.filter(learner=late).exists()
    assert not Seat.objects.filter(member=late).exists()
    # A free course needs no seat.
    enrol_learner(learner=late, course=CourseFactory())


def test_a_listed_pool_covers_its_courses_and_its_journeys_courses_only(organisation):
    listed, in_journey, other = (CourseFactory(is_paid=True) for _ in range(3))
    journey = JourneyFactory()
    JourneyStep.objects.create(journey=journey, course=in_journey, order=1)
    pool = make_pool(organisation, seats=5, scope=SeatScope.LISTED)
    pool.courses.add(listed)
    pool.journeys.add(journey)
    learner = _member(organisation)
    enrol_learner(learner=learner, course=listed)
    enrol_learner(learner=learner, course=in_journey)
    with pytest.raises(EnrolmentRefused):
        enrol_learner(learner=learner, course=other)


def test_a_reusable_pool_gets_a_released_seat_back_a_consumable_one_does_not(organisation):
    reusable = make_pool(organisation, seats=1)
    consumable = make_pool(organisation, seats=1, reusable=False)
    for pool in (reusable, consumable):
        release_seat(seat=assign_seat(pool=pool, member=_member(organisation)))
    assert pool_use(reusable).free == 1
    assert pool_use(consumable).free == 0


def test_revocations_are_capped_and_give_the_place_back(organisation):
    pool = make_pool(organisation, seats=3, max_revocations=1)
    admin = _member(organisation, MembershipRole.ADMIN)
    first = assign_seat(pool=pool, member=_member(organisation))
    second = assign_seat(pool=pool, member=_member(organisation))
    revoke_seat(seat=first, by=admin, note="left the team")
    assert pool_use(pool).used == 1
    with pytest.raises(SeatError, match="allows 1 revocation;"):
        revoke_seat(seat=second, by=admin)
    with pytest.raises(SeatError, match="already ended"):
        release_seat(seat=first)
    assert SeatEvent.objects.filter(seat=first, status="revoked", note="left the team").exists()


def test_unused_assigned_seats_are_reclaimed_after_the_pools_days(organisation):
    pool = make_pool(organisation, seats=2, reclaim_after_days=14)
    idle = assign_seat(pool=pool, member=_member(organisation))
    busy = assign_seat(pool=pool, member=_member(organisation))
    Seat.objects.filter(pk=busy.pk).update(status=SeatStatus.ACTIVATED)
    assert reclaim_unused_seats(now=timezone.now() + timedelta(days=13)) == 0
    assert reclaim_unused_seats(now=timezone.now() + timedelta(days=15)) == 1
    idle.refresh_from_db()
    assert idle.status == SeatStatus.RECLAIMED
    assert reclaim_unused_seats(now=timezone.now() + timedelta(days=15)) == 0  # idempotent


def test_a_renewal_carries_the_held_seats_over(organisation):
    course = CourseFactory(is_paid=True)
    pool = make_pool(organisation, seats=2, scope=SeatScope.LISTED)
    pool.courses.add(course)
    member = _member(organisation)
    seat = assign_seat(pool=pool, member=member)
    today = timezone.localdate()
    renewed = renew_pool(
        pool=pool, seats=3, valid_from=today, valid_until=today + timedelta(days=365),
        order_reference="PO-2",
    )  # fmt: skip
    seat.refresh_from_db()
    assert seat.pool == renewed
    assert renewed.renewed_from == pool
    assert list(renewed.courses.all()) == [course]
    assert pool_use(renewed).used == 1
    assert pool_use(pool).used == 0
    with pytest.raises(SeatError, match="held"):
        renew_pool(pool=renewed, seats=0, valid_from=today, valid_until=today)


def test_admins_hear_at_75_and_100_percent_once(
    organisation, mailoutbox, django_capture_on_commit_callbacks
):
    admin = _member(organisation, MembershipRole.ADMIN)
    pool = make_pool(organisation, seats=4)
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(4):
            assign_seat(pool=pool, member=_member(organisation))
    subjects = [m.subject for m in mailoutbox]
    assert subjects == ["Seats: 2026 seats is 75% used", "Seats: 2026 seats is 100% used"]
    assert mailoutbox[0].to == [admin.email]
    with django_capture_on_commit_callbacks(execute=True):
        release_seat(seat=Seat.objects.first())
        assign_seat(pool=pool, member=_member(organisation))
    assert len(mailoutbox) == 2


def test_an_expired_pool_stops_new_enrolments_and_keeps_the_old_ones(organisation):
    course = CourseFactory(is_paid=True)
    pool = make_pool(organisation, seats=2)
    learner = _member(organisation)
    enrolment = enrol_learner(learner=learner, course=course)
    past = timezone.localdate() - timedelta(days=1)
    SeatPool.objects.filter(pk=pool.pk).update(
        valid_from=past - timedelta(days=10), valid_until=past
    )
    with pytest.raises(EnrolmentRefused, match="expired"):
        enrol_learner(learner=_member(organisation), course=course)
    assert enrol_learner(learner=learner, course=course) == enrolment  # still enrolled


@pytest.mark.django_db(transaction=True)
def test_two_admins_assigning_the_last_seat_at_once_give_one_assignment():
    organisation = OrganisationFactory()
    pool = make_pool(organisation, seats=1)
    members = [_member(organisation), _member(organisation)]
    start = threading.Barrier(2)
    outcomes: list[str] = []

    def take(member):
        from django.db import connections

        try:
            start.wait()
            assign_seat(pool=pool, member=member)
            outcomes.append("assigned")
        except SeatError:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=take, args=(m,)) for m in members]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["assigned", "refused"]
    assert Seat.objects.filter(pool=pool).count() == 1


@pytest.mark.parametrize("pools", [1, 6])
def test_finding_a_seat_at_enrolment_reads_the_pools_coverage_in_one_query(
    organisation, django_assert_num_queries, pools
):
    course = CourseFactory(is_paid=True)
    journey = JourneyFactory()
    JourneyStep.objects.create(journey=journey, course=course, order=1)
    learner = _member(organisation)
    for n in range(pools - 1):  # pools that do not cover the course, expiring first
        make_pool(
            organisation,
            scope=SeatScope.LISTED,
            valid_until=timezone.localdate() + timedelta(days=n + 1),
        )
    covering = make_pool(organisation, scope=SeatScope.LISTED)
    covering.journeys.add(journey)
    seat = assign_seat(pool=covering, member=learner)
    # memberships and pools, their coverage, the learner's seat, then the activation (savepoint,
    # update, event, release)
    with django_assert_num_queries(7):
        held = take_seat_for_enrolment(learner=learner, course=course)
    assert held == seat
    assert held.status == SeatStatus.ACTIVATED
