"""The seat pages of an organisation's admins (pools, a pool, a seat's history; assign, release,
revoke, renew), and the seat reads behind them: utilisation over time from the seat history,
and the seats each member holds. Nobody but the organisation's admins reaches any of it."""

from datetime import datetime, time, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from organisations.core import services
from organisations.models import MembershipRole, Seat, SeatEvent, SeatPool, SeatScope, SeatStatus
from organisations.seats.selectors import (
    seat_status_for_members,
    utilisation_by_period,
    utilisation_over_time,
)
from organisations.seats.services import assign_seat, release_seat, renew_pool, revoke_seat
from tests.courses.factories import CourseFactory
from tests.lms.factories import UserFactory
from tests.organisations.factories import OrganisationFactory, make_member
from tests.organisations.test_seats import make_pool

pytestmark = pytest.mark.django_db


@pytest.fixture
def organisation():
    return OrganisationFactory(name="Child Rights Network")


@pytest.fixture
def admin(organisation):
    return make_member(organisation, role=MembershipRole.ADMIN).user


def _member(organisation, **kwargs):
    return make_member(organisation, user=UserFactory(**kwargs)).user


def _day(offset: int):
    return timezone.localdate() + timedelta(days=offset)


def _at(seat: Seat, status: str, offset: int) -> None:
    """Move the seat's event of ``status`` to noon, ``offset`` days from today."""
    moment = timezone.make_aware(datetime.combine(_day(offset), time(12)))
    SeatEvent.objects.filter(seat=seat, status=status).update(at=moment)


def _pool_url(pool, name="organisations:seat-pool"):
    return reverse(name, args=[pool.organisation.public_id, pool.public_id])


def _seat_url(seat, name):
    return reverse(name, args=[seat.pool.organisation.public_id, seat.pool.public_id, seat.pk])


def _seats_url(organisation):
    return reverse("organisations:seats", args=[organisation.public_id])


# --- utilisation over time ------------------------------------------------------------------


def _history(organisation, pool):
    """a from day -9; b from -8, released on -5; c from -7, revoked on -3."""
    a, b, c = (_member(organisation) for _ in range(3))
    seat_a = assign_seat(pool=pool, member=a)
    seat_b = assign_seat(pool=pool, member=b)
    seat_c = assign_seat(pool=pool, member=c)
    release_seat(seat=seat_b)
    revoke_seat(seat=seat_c, note="left")
    _at(seat_a, SeatStatus.ASSIGNED, -9)
    _at(seat_b, SeatStatus.ASSIGNED, -8)
    _at(seat_c, SeatStatus.ASSIGNED, -7)
    _at(seat_b, SeatStatus.RELEASED, -5)
    _at(seat_c, SeatStatus.REVOKED, -3)


def test_utilisation_counts_the_seats_held_at_the_end_of_each_day(
    organisation, django_assert_num_queries
):
    pool = make_pool(organisation, seats=5, valid_from=_day(-10))
    _history(organisation, pool)
    with django_assert_num_queries(1):
        series = utilisation_over_time(pool)
    assert series == [(_day(-10 + i), n) for i, n in enumerate([0, 1, 2, 3, 3, 2, 2, 1, 1, 1, 1])]


def test_a_consumable_pool_keeps_counting_released_seats(organisation):
    pool = make_pool(organisation, seats=5, valid_from=_day(-10), reusable=False)
    _history(organisation, pool)
    counts = [n for _day_, n in utilisation_over_time(pool)]
    assert counts == [0, 1, 2, 3, 3, 3, 3, 2, 2, 2, 2]


def test_utilisation_keeps_the_last_days_when_asked_and_stops_when_the_pool_expires(
    organisation,
):
    pool = make_pool(organisation, seats=5, valid_from=_day(-10))
    _history(organisation, pool)
    assert utilisation_over_time(pool, days=3) == [(_day(-2), 1), (_day(-1), 1), (_day(0), 1)]
    assert utilisation_over_time(pool, days=6)[0] == (_day(-5), 2)  # earlier changes count
    SeatPool.objects.filter(pk=pool.pk).update(valid_until=_day(-4))
    pool.refresh_from_db()
    assert utilisation_over_time(pool)[-1] == (_day(-4), 2)


def test_utilisation_follows_held_seats_into_the_renewal(organisation):
    old = make_pool(organisation, seats=3, valid_from=_day(-10))
    a, b = _member(organisation), _member(organisation)
    seat_a, seat_b = assign_seat(pool=old, member=a), assign_seat(pool=old, member=b)
    _at(seat_a, SeatStatus.ASSIGNED, -9)
    _at(seat_b, SeatStatus.ASSIGNED, -8)
    new = renew_pool(pool=old, seats=3, valid_from=_day(-4), valid_until=_day(300))
    SeatEvent.objects.filter(note__startswith="carried over").update(
        at=timezone.make_aware(datetime.combine(_day(-4), time(12)))
    )
    release_seat(seat=Seat.objects.get(pk=seat_a.pk))
    _at(seat_a, SeatStatus.RELEASED, -2)
    old_counts = [n for _day_, n in utilisation_over_time(old)]
    assert old_counts == [0, 1, 2, 2, 2, 2, 0, 0, 0, 0, 0]
    assert utilisation_over_time(new) == [
        (_day(-4), 2),
        (_day(-3), 2),
        (_day(-2), 1),
        (_day(-1), 1),
        (_day(0), 1),
    ]


def test_a_pool_without_seats_is_flat_and_a_future_pool_has_no_days(organisation):
    pool = make_pool(organisation, seats=2, valid_from=_day(-2))
    assert utilisation_over_time(pool) == [(_day(-2), 0), (_day(-1), 0), (_day(0), 0)]
    later = make_pool(organisation, seats=2, valid_from=_day(5))
    assert utilisation_over_time(later) == []


def test_utilisation_is_summed_up_by_week_then_by_month():
    start = _day(-400)
    points = [(start + timedelta(days=i), i % 10) for i in range(60)]
    kind, weeks = utilisation_by_period(points)
    assert kind == "week"
    assert all(p.start.weekday() == 0 for p in weeks[1:])
    assert sum((p.end - p.start).days + 1 for p in weeks) == 60
    assert weeks[0].at_end == points[(weeks[0].end - start).days][1]
    long_points = [(start + timedelta(days=i), i) for i in range(200)]
    kind, months = utilisation_by_period(long_points)
    assert kind == "month"
    assert all(p.start.month == p.end.month for p in months)
    assert months[-1].highest == months[-1].at_end == 199
    assert utilisation_by_period([]) == ("week", [])


def test_each_members_held_seats_in_one_query(organisation, django_assert_num_queries):
    current = make_pool(organisation, name="2026 seats")
    old = make_pool(organisation, name="2025 seats")
    holder, former_holder, idle, expired_holder = (_member(organisation) for _ in range(4))
    assign_seat(pool=current, member=holder)
    assign_seat(pool=old, member=holder)
    Seat.objects.filter(member=holder, pool=old).update(status=SeatStatus.ACTIVATED)
    release_seat(seat=assign_seat(pool=current, member=former_holder))
    assign_seat(pool=old, member=expired_holder)
    SeatPool.objects.filter(pk=old.pk).update(valid_from=_day(-300), valid_until=_day(-1))
    elsewhere = make_pool(OrganisationFactory())
    make_member(elsewhere.organisation, user=idle)
    assign_seat(pool=elsewhere, member=idle)
    ids = [holder.pk, former_holder.pk, idle.pk, expired_holder.pk]
    with django_assert_num_queries(1):
        found = seat_status_for_members(organisation, ids)
    assert found == {
        holder.pk: [("2025 seats", "Activated (pool expired)"), ("2026 seats", "Assigned")],
        former_holder.pk: [],
        idle.pk: [],  # their seat is another organisation's
        expired_holder.pk: [("2025 seats", "Assigned (pool expired)")],
    }
    assert seat_status_for_members(organisation, []) == {}


# --- the pools page ---------------------------------------------------------------------------


def test_an_admin_sees_every_pool_with_its_figures(client, organisation, admin):
    course = CourseFactory(title={"en": "Safeguarding basics"})
    listed = make_pool(
        organisation, seats=4, name="Safeguarding 2026", scope=SeatScope.LISTED, price=990
    )
    listed.courses.add(course)
    assign_seat(pool=listed, member=_member(organisation))
    make_pool(
        organisation,
        name="Catalogue 2025",
        valid_from=_day(-400),
        valid_until=_day(-35),
        order_reference="PO-2025-17",
    )
    client.force_login(admin)
    answer = client.get(_seats_url(organisation))
    assert answer.status_code == 200
    html = answer.content.decode()
    rows = {r.pool.name: r for r in answer.context["rows"]}
    assert (rows["Safeguarding 2026"].used, rows["Safeguarding 2026"].free) == (1, 3)
    assert rows["Catalogue 2025"].expired
    for text in ("Safeguarding basics", "The whole catalogue", "PO-2025-17", "990", "Expired"):
        assert text in html
    assert '<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img"' in html


def test_the_pools_page_runs_a_fixed_number_of_queries(client, organisation, admin):
    make_pool(organisation)
    client.force_login(admin)
    client.get(_seats_url(organisation))  # the first page counts the to-do (lms.todo)
    with CaptureQueriesContext(connection) as one:
        client.get(_seats_url(organisation))
    for n in range(4):
        pool = make_pool(organisation, name=f"Pool {n}", scope=SeatScope.LISTED)
        pool.courses.add(CourseFactory())
        assign_seat(pool=pool, member=_member(organisation))
    with CaptureQueriesContext(connection) as five:
        client.get(_seats_url(organisation))
    assert len(five) == len(one)


def test_an_organisation_without_pools_says_so(client, organisation, admin):
    client.force_login(admin)
    html = client.get(_seats_url(organisation)).content.decode()
    assert "no seat pool yet" in html
    assert "<svg" not in html


# --- a pool's page ----------------------------------------------------------------------------


def _fill(pool, n):
    """``n`` seats: some activated, one revoked, one released."""
    seats = [assign_seat(pool=pool, member=_member(pool.organisation)) for _ in range(n)]
    Seat.objects.filter(pk__in=[s.pk for s in seats[::2]]).update(status=SeatStatus.ACTIVATED)
    revoke_seat(seat=seats[1], note="moved away")
    release_seat(seat=seats[-1])


def test_the_pool_page_runs_the_same_queries_for_3_and_30_seats(
    client, organisation, admin, django_assert_num_queries
):
    small = make_pool(organisation, seats=40, valid_from=_day(-200))
    large = make_pool(organisation, seats=40, valid_from=_day(-200), name="Large")
    _fill(small, 3)
    _fill(large, 30)
    client.force_login(admin)
    client.get(_pool_url(small))  # warm up (content types of the scope's permissions)
    with CaptureQueriesContext(connection) as for_small:
        assert client.get(_pool_url(small)).status_code == 200
    with django_assert_num_queries(len(for_small)):
        answer = client.get(_pool_url(large))
    assert len(answer.context["seat_rows"]) == 30
    assert len(for_small) <= 15  # the navigation's to-do count is cached (lms.todo)


def test_the_pool_page_shows_the_details_the_chart_the_figures_and_the_seats(
    client, organisation, admin
):
    pool = make_pool(organisation, seats=3, valid_from=_day(-20), max_revocations=2)
    holder = _member(organisation, display_name="Ana Popescu")
    seat = assign_seat(pool=pool, member=holder, by=admin)
    _at(seat, SeatStatus.ASSIGNED, -15)
    client.force_login(admin)
    answer = client.get(_pool_url(pool))
    html = answer.content.decode()
    assert "Ana Popescu" in html
    assert "1 used of 3, 2 free" in html
    assert "0 of 2 allowed" in html
    assert 'class="chart" role="img"' in html
    assert "stroke-dasharray" in html  # the ceiling
    assert "<details>" in html
    assert answer.context["period"] == "week"
    assert answer.context["periods"][-1].at_end == 1
    assert _seat_url(seat, "organisations:seat-history") in html
    assert _seat_url(seat, "organisations:seat-release") in html
    assert _seat_url(seat, "organisations:seat-revoke") in html
    assert 'name="csrfmiddlewaretoken"' in html


def test_an_expired_pool_is_marked_and_still_lists_its_seats(client, organisation, admin):
    pool = make_pool(organisation, seats=2, valid_from=_day(-100))
    assign_seat(pool=pool, member=_member(organisation, display_name="Ion Ionescu"))
    SeatPool.objects.filter(pk=pool.pk).update(valid_until=_day(-1))
    client.force_login(admin)
    answer = client.get(_pool_url(pool))
    html = answer.content.decode()
    assert answer.context["row"].expired
    assert "Expired" in html
    assert "Ion Ionescu" in html
    assert answer.context["assign_form"] is None  # no assigning from an expired pool
    assert answer.context["renew_form"] is not None
    assert "Expired" in client.get(_seats_url(organisation)).content.decode()


# --- assigning --------------------------------------------------------------------------------


def test_an_admin_assigns_seats_and_hears_of_those_refused(client, organisation, admin):
    pool = make_pool(organisation, seats=2)
    people = [_member(organisation, display_name=f"Person {n}") for n in range(3)]
    client.force_login(admin)
    offered = client.get(_pool_url(pool)).context["assign_form"].fields["members"].queryset
    assert set(offered) == {admin, *people}
    answer = client.post(
        _pool_url(pool, "organisations:seat-assign"),
        {"members": [str(p.public_id) for p in people]},
        follow=True,
    )
    assert answer.redirect_chain[-1][0] == _pool_url(pool)
    assert Seat.objects.filter(pool=pool, status=SeatStatus.ASSIGNED).count() == 2
    html = answer.content.decode()
    assert "2 seats were assigned." in html
    assert "1 member got no seat" in html
    assert "No seat is free" in html
    assert set(Seat.objects.filter(pool=pool).values_list("events__by", flat=True)) == {admin.pk}


def test_only_members_without_a_seat_of_the_pool_are_offered(client, organisation, admin):
    pool = make_pool(organisation, seats=5)
    holder = _member(organisation)
    assign_seat(pool=pool, member=holder)
    outsider = make_member(OrganisationFactory()).user
    client.force_login(admin)
    offered = client.get(_pool_url(pool)).context["assign_form"].fields["members"].queryset
    assert holder not in offered
    assert outsider not in offered
    answer = client.post(
        _pool_url(pool, "organisations:seat-assign"), {"members": [str(outsider.public_id)]}
    )
    assert answer.status_code == 200
    assert answer.context["assign_form"].errors["members"]
    assert "is not a member without a seat of this pool" in answer.content.decode()
    assert not Seat.objects.filter(member=outsider).exists()


def test_assigning_nobody_shows_the_error_next_to_the_field(client, organisation, admin):
    pool = make_pool(organisation)
    client.force_login(admin)
    answer = client.post(_pool_url(pool, "organisations:seat-assign"), {})
    html = answer.content.decode()
    assert 'id="id_members_error"' in html
    assert "Choose at least one member." in html
    assert not Seat.objects.exists()


# --- releasing and revoking -------------------------------------------------------------------


def test_an_admin_releases_a_seat(client, organisation, admin):
    pool = make_pool(organisation)
    seat = assign_seat(pool=pool, member=_member(organisation, display_name="Maria"))
    client.force_login(admin)
    asked = client.get(_seat_url(seat, "organisations:seat-release")).content.decode()
    assert "Release the seat of Maria?" in asked
    assert "The place returns to the pool." in asked or "the place stays used" in asked
    seat.refresh_from_db()
    assert seat.status == SeatStatus.ASSIGNED  # asking releases nothing
    answer = client.post(_seat_url(seat, "organisations:seat-release"), follow=True)
    seat.refresh_from_db()
    assert seat.status == SeatStatus.RELEASED
    assert seat.events.get(status=SeatStatus.RELEASED).by == admin
    assert "The seat of Maria was released." in answer.content.decode()
    again = client.post(_seat_url(seat, "organisations:seat-release"), follow=True)
    assert "This seat has already ended." in again.content.decode()
    assert client.get(_seat_url(seat, "organisations:seat-release"))["Location"] == _pool_url(pool)


def test_an_admin_revokes_a_seat_with_a_reason(client, organisation, admin):
    pool = make_pool(organisation)
    seat = assign_seat(pool=pool, member=_member(organisation, display_name="Dan"))
    client.force_login(admin)
    answer = client.post(
        _seat_url(seat, "organisations:seat-revoke"), {"reason": "Left the team"}, follow=True
    )
    seat.refresh_from_db()
    assert seat.status == SeatStatus.REVOKED
    event = seat.events.get(status=SeatStatus.REVOKED)
    assert (event.by, event.note) == (admin, "Left the team")
    assert "The seat of Dan was revoked." in answer.content.decode()


def test_a_revocation_without_a_reason_asks_for_one(client, organisation, admin):
    pool = make_pool(organisation)
    seat = assign_seat(pool=pool, member=_member(organisation))
    client.force_login(admin)
    answer = client.post(_seat_url(seat, "organisations:seat-revoke"), {"reason": "  "})
    assert answer.status_code == 200
    assert 'id="id_reason_error"' in answer.content.decode()
    seat.refresh_from_db()
    assert seat.status == SeatStatus.ASSIGNED


def test_revoking_an_ended_seat_says_so(client, organisation, admin):
    pool = make_pool(organisation)
    seat = release_seat(seat=assign_seat(pool=pool, member=_member(organisation)))
    client.force_login(admin)
    answer = client.post(_seat_url(seat, "organisations:seat-revoke"), {"reason": ""}, follow=True)
    assert answer.redirect_chain[-1][0] == _pool_url(pool)
    assert "This seat has already ended." in answer.content.decode()
    seat.refresh_from_db()
    assert seat.status == SeatStatus.RELEASED


def test_the_revocation_cap_is_reported_and_the_seat_kept(client, organisation, admin):
    pool = make_pool(organisation, seats=3, max_revocations=1)
    first, second = (assign_seat(pool=pool, member=_member(organisation)) for _ in range(2))
    revoke_seat(seat=first, note="first")
    client.force_login(admin)
    answer = client.post(
        _seat_url(second, "organisations:seat-revoke"), {"reason": "second"}, follow=True
    )
    assert "This pool allows 1 revocation; it is used." in answer.content.decode()
    second.refresh_from_db()
    assert second.status == SeatStatus.ASSIGNED


def test_a_seats_history_shows_each_change_when_and_by_whom(client, organisation, admin):
    course = CourseFactory(title={"en": "Child protection law"}, is_paid=True)
    pool = make_pool(organisation)
    learner = _member(organisation, display_name="Elena")
    seat = assign_seat(pool=pool, member=learner, by=admin)
    from courses.services import enrol_learner

    enrol_learner(learner=learner, course=course)
    revoke_seat(seat=seat, by=admin, note="Changed role")
    client.force_login(admin)
    answer = client.get(_seat_url(seat, "organisations:seat-history"))
    assert answer.status_code == 200
    history = answer.context["events"]
    assert [(e.status, e.by, note) for e, note in history] == [
        (SeatStatus.ASSIGNED, admin, ""),
        (SeatStatus.ACTIVATED, learner, "On enrolment in Child protection law"),
        (SeatStatus.REVOKED, admin, "Changed role"),
    ]
    html = answer.content.decode()
    assert "Changed role" in html
    assert "Revoke the seat" not in html  # ended: no more actions


def test_a_seat_of_another_pool_is_not_found(client, organisation, admin):
    pool, other = make_pool(organisation), make_pool(organisation, name="Other")
    seat = assign_seat(pool=other, member=_member(organisation))
    client.force_login(admin)
    wrong = reverse(
        "organisations:seat-history", args=[organisation.public_id, pool.public_id, seat.pk]
    )
    assert client.get(wrong).status_code == 404
    release = reverse(
        "organisations:seat-release", args=[organisation.public_id, pool.public_id, seat.pk]
    )
    assert client.post(release).status_code == 404
    seat.refresh_from_db()
    assert seat.status == SeatStatus.ASSIGNED


# --- renewing ---------------------------------------------------------------------------------


def test_an_admin_renews_a_pool_and_the_held_seats_move_over(client, organisation, admin):
    pool = make_pool(organisation, seats=2)
    seat = assign_seat(pool=pool, member=_member(organisation))
    client.force_login(admin)
    form = client.get(_pool_url(pool)).context["renew_form"]
    assert form.initial["valid_from"] == pool.valid_until + timedelta(days=1)
    answer = client.post(
        _pool_url(pool, "organisations:seat-renew"),
        {
            "seats": 5,
            "valid_from": _day(0).isoformat(),
            "valid_until": _day(365).isoformat(),
            "order_reference": "PO-2027",
            "price": "1500.50",
        },
        follow=True,
    )
    renewed = SeatPool.objects.get(renewed_from=pool)
    assert (renewed.seats, renewed.order_reference, renewed.price) == (
        5,
        "PO-2027",
        Decimal("1500.50"),
    )
    assert answer.redirect_chain[-1][0] == _pool_url(renewed)
    seat.refresh_from_db()
    assert seat.pool == renewed
    assert "was renewed until" in answer.content.decode()
    # The old pool offers no second renewal, and refuses one.
    old_page = client.get(_pool_url(pool))
    assert old_page.context["renew_form"] is None
    assert old_page.context["renewal"] == renewed
    again = client.post(
        _pool_url(pool, "organisations:seat-renew"),
        {"seats": 5, "valid_from": _day(0), "valid_until": _day(30), "price": "0"},
    )
    assert "has been renewed already" in again.content.decode()
    assert SeatPool.objects.filter(renewed_from__isnull=False).count() == 1


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        (
            {"valid_until": _day(-1)},
            "valid_until",
            "The period must end on or after its first day.",
        ),
        ({"seats": 1}, "seats", "2 seats are held now"),
        ({"seats": 0}, "seats", "greater than or equal to 1"),
        ({"price": "-1"}, "price", "greater than or equal to 0"),
    ],
)
def test_a_wrong_renewal_shows_the_error_next_to_its_field(client, admin, change, field, message):
    organisation = admin.memberships.get().organisation
    pool = make_pool(organisation, seats=2)
    for _ in range(2):
        assign_seat(pool=pool, member=_member(organisation))
    client.force_login(admin)
    data = {"seats": 3, "valid_from": _day(0), "valid_until": _day(30), "price": "10"}
    answer = client.post(_pool_url(pool, "organisations:seat-renew"), {**data, **change})
    assert answer.status_code == 200
    html = answer.content.decode()
    assert f'id="id_{field}_error"' in html
    assert message in html
    assert not SeatPool.objects.filter(renewed_from=pool).exists()


# --- who may see them ------------------------------------------------------------------------


def _outsider(organisation, role):
    if role == "other-admin":
        return make_member(OrganisationFactory(), role=MembershipRole.ADMIN).user
    if role == "stranger":
        return UserFactory()
    user = make_member(organisation, role=role).user
    if role == MembershipRole.SUPERVISOR:  # supervising a unit: a part of the organisation only
        unit = services.create_unit(organisation=organisation, name="North")
        services.set_unit_membership(unit=unit, user=user, supervises=True)
    return user


@pytest.mark.parametrize(
    "role", [MembershipRole.MEMBER, MembershipRole.SUPERVISOR, "other-admin", "stranger"]
)
def test_nobody_but_the_organisations_admins_reaches_a_seat_page_or_action(
    client, organisation, role
):
    pool = make_pool(organisation, seats=5)
    seat = assign_seat(pool=pool, member=_member(organisation))
    free = _member(organisation)
    client.force_login(_outsider(organisation, role))
    pages = [
        _seats_url(organisation),
        _pool_url(pool),
        _seat_url(seat, "organisations:seat-history"),
        _seat_url(seat, "organisations:seat-release"),  # the question before releasing
    ]
    for url in pages:
        assert client.get(url).status_code == 404, url
    today = _day(0).isoformat()
    posts = [
        (_pool_url(pool, "organisations:seat-assign"), {"members": [str(free.public_id)]}),
        (_seat_url(seat, "organisations:seat-release"), {}),
        (_seat_url(seat, "organisations:seat-revoke"), {"reason": "x"}),
        (
            _pool_url(pool, "organisations:seat-renew"),
            {"seats": 9, "valid_from": today, "valid_until": today, "price": "0"},
        ),
    ]
    for url, data in posts:
        assert client.post(url, data).status_code == 404, url
    assert list(Seat.objects.values_list("status", flat=True)) == [SeatStatus.ASSIGNED]
    assert SeatPool.objects.count() == 1


def test_an_anonymous_visitor_is_sent_to_log_in(client, organisation):
    pool = make_pool(organisation)
    for url in (_seats_url(organisation), _pool_url(pool)):
        answer = client.get(url)
        assert answer.status_code == 302
        assert reverse("login") in answer["Location"]


def test_a_pool_of_another_organisation_is_not_found_for_an_admin(client, organisation, admin):
    theirs = make_pool(OrganisationFactory())
    client.force_login(admin)
    url = reverse("organisations:seat-pool", args=[organisation.public_id, theirs.public_id])
    assert client.get(url).status_code == 404


def test_writes_need_a_post_with_the_csrf_token(organisation, admin):
    from django.test import Client

    pool = make_pool(organisation)
    seat = assign_seat(pool=pool, member=_member(organisation))
    client = Client(enforce_csrf_checks=True)
    client.force_login(admin)
    assert client.post(_seat_url(seat, "organisations:seat-release")).status_code == 403
    # GET only asks (lms.api.confirmation_page); the page's button POSTs with the token.
    asked = client.get(_seat_url(seat, "organisations:seat-release"))
    assert asked.status_code == 200
    assert "Release the seat of" in asked.content.decode()
    assert 'name="csrfmiddlewaretoken"' in asked.content.decode()
    seat.refresh_from_db()
    assert seat.status == SeatStatus.ASSIGNED
