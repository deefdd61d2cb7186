"""The seat API: an organisation's admins list pools and their seats, assign, release, revoke
and renew; nobody else sees them (404), an anonymous caller is asked to authenticate (401)."""

import uuid
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from organisations.models import MembershipRole, Seat, SeatPool, SeatStatus
from organisations.seats.services import assign_seat, release_seat
from tests.lms.factories import UserFactory
from tests.organisations.factories import OrganisationFactory, make_member
from tests.organisations.test_seats import make_pool

pytestmark = pytest.mark.django_db


def _api(user) -> APIClient:
    api = APIClient()
    api.force_authenticate(user)
    return api


def test_an_admin_lists_pools_and_assigns_seats(django_assert_max_num_queries):
    organisation = OrganisationFactory()
    admin = make_member(organisation, role=MembershipRole.ADMIN).user
    pool = make_pool(organisation, seats=2)
    members = [make_member(organisation).user for _ in range(3)]
    assign = reverse(
        "organisations-api:assign-seats", args=[organisation.public_id, pool.public_id]
    )
    answer = _api(admin).post(
        assign, {"members": [str(m.public_id) for m in members]}, format="json"
    )
    assert answer.status_code == 200
    assert answer.json()["assigned"] == 2
    assert len(answer.json()["refused"]) == 1
    listed = reverse("organisations-api:seat-pools", args=[organisation.public_id])
    with django_assert_max_num_queries(6):
        [row] = _api(admin).get(listed).json()
    assert (row["seats"], row["used"], row["free"]) == (2, 2, 0)


def test_members_of_other_organisations_are_refused_naming_the_field():
    organisation = OrganisationFactory()
    admin = make_member(organisation, role=MembershipRole.ADMIN).user
    pool = make_pool(organisation)
    outsider = make_member(OrganisationFactory()).user
    assign = reverse(
        "organisations-api:assign-seats", args=[organisation.public_id, pool.public_id]
    )
    answer = _api(admin).post(assign, {"members": [str(outsider.public_id)]}, format="json")
    assert answer.status_code == 400
    assert "members" in answer.json()
    assert _api(admin).post(assign, {"members": ["nope"]}, format="json").status_code == 400
    assert not Seat.objects.exists()


@pytest.mark.parametrize("role", [None, MembershipRole.MEMBER, MembershipRole.SUPERVISOR, "other"])
def test_nobody_but_the_organisations_admins_sees_its_seats(role):
    organisation = OrganisationFactory()
    pool = make_pool(organisation)
    member = make_member(organisation).user
    if role == "other":  # an admin of another organisation
        user = make_member(OrganisationFactory(), role=MembershipRole.ADMIN).user
    elif role is None:
        user = UserFactory()
    else:
        user = make_member(organisation, role=role).user
    api = _api(user)
    assert (
        api.get(reverse("organisations-api:seat-pools", args=[organisation.public_id])).status_code
        == 404
    )
    assign = reverse(
        "organisations-api:assign-seats", args=[organisation.public_id, pool.public_id]
    )
    assert api.post(assign, {"members": [str(member.public_id)]}, format="json").status_code == 404
    other_pool = reverse(
        "organisations-api:assign-seats", args=[organisation.public_id, uuid.uuid4()]
    )
    assert (
        api.post(other_pool, {"members": [str(member.public_id)]}, format="json").status_code == 404
    )
    assert not Seat.objects.exists()


# --- the pool's seats, release, revoke, renew -----------------------------------------------


def _url(name, pool, member=None):
    args = [pool.organisation.public_id, pool.public_id]
    if member is not None:
        args.append(member.public_id)
    return reverse(f"organisations-api:{name}", args=args)


@pytest.fixture
def admin_and_pool():
    organisation = OrganisationFactory()
    admin = make_member(organisation, role=MembershipRole.ADMIN).user
    return admin, make_pool(organisation, seats=3, max_revocations=1)


def test_an_admin_lists_the_pools_seats_with_members_and_dates(
    admin_and_pool, django_assert_max_num_queries
):
    admin, pool = admin_and_pool
    first, second = (make_member(pool.organisation).user for _ in range(2))
    assign_seat(pool=pool, member=first)
    release_seat(seat=assign_seat(pool=pool, member=second))
    with django_assert_max_num_queries(7):
        answer = _api(admin).get(_url("pool-seats", pool))
    assert answer.status_code == 200
    rows = answer.json()["results"]
    assert [(r["member"], r["name"], r["status"]) for r in rows] == [
        (str(first.public_id), str(first), "assigned"),
        (str(second.public_id), str(second), "released"),
    ]
    assert rows[0]["assigned_at"]
    assert rows[0]["ended_at"] is None
    assert rows[1]["ended_at"]
    held = _api(admin).get(_url("pool-seats", pool), {"status": "assigned"}).json()["results"]
    assert [r["member"] for r in held] == [str(first.public_id)]
    wrong = _api(admin).get(_url("pool-seats", pool), {"status": "lost"})
    assert wrong.status_code == 400
    assert "status" in wrong.json()


def test_the_seat_list_runs_the_same_queries_for_many_seats(admin_and_pool):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    admin, pool = admin_and_pool
    assign_seat(pool=pool, member=make_member(pool.organisation).user)
    with CaptureQueriesContext(connection) as one:
        _api(admin).get(_url("pool-seats", pool))
    SeatPool.objects.filter(pk=pool.pk).update(seats=20)
    for _ in range(10):
        assign_seat(pool=pool, member=make_member(pool.organisation).user)
    admin = type(admin).objects.get(pk=admin.pk)  # no permission cache from the first call
    with CaptureQueriesContext(connection) as eleven:
        assert len(_api(admin).get(_url("pool-seats", pool)).json()["results"]) == 11
    assert len(eleven) == len(one)


def test_an_admin_releases_a_members_seat(admin_and_pool):
    admin, pool = admin_and_pool
    member = make_member(pool.organisation).user
    seat = assign_seat(pool=pool, member=member)
    answer = _api(admin).post(_url("release-seat", pool, member))
    assert answer.status_code == 200
    assert answer.json()["status"] == "released"
    seat.refresh_from_db()
    assert seat.status == SeatStatus.RELEASED
    assert seat.events.get(status=SeatStatus.RELEASED).by == admin
    # Nothing held any more: a conflict, not a missing resource.
    again = _api(admin).post(_url("release-seat", pool, member))
    assert again.status_code == 409
    assert "holds no seat" in again.json()["detail"]


def test_an_admin_revokes_a_seat_with_a_reason_within_the_cap(admin_and_pool):
    admin, pool = admin_and_pool
    first, second = (make_member(pool.organisation).user for _ in range(2))
    seat = assign_seat(pool=pool, member=first)
    assign_seat(pool=pool, member=second)
    api = _api(admin)
    missing = api.post(_url("revoke-seat", pool, first), {}, format="json")
    assert missing.status_code == 400
    assert "reason" in missing.json()
    blank = api.post(_url("revoke-seat", pool, first), {"reason": "   "}, format="json")
    assert blank.status_code == 400
    assert "reason" in blank.json()
    answer = api.post(_url("revoke-seat", pool, first), {"reason": "Left"}, format="json")
    assert answer.status_code == 200
    assert answer.json()["status"] == "revoked"
    assert seat.events.get(status=SeatStatus.REVOKED).note == "Left"
    capped = api.post(_url("revoke-seat", pool, second), {"reason": "Also left"}, format="json")
    assert capped.status_code == 409
    assert "allows 1 revocation;" in capped.json()["detail"]  # the singular (issue 19)
    assert Seat.objects.get(member=second).status == SeatStatus.ASSIGNED


def test_a_former_member_with_a_seat_is_known_and_a_stranger_is_not(admin_and_pool):
    from organisations.core.services import end_membership

    admin, pool = admin_and_pool
    leaver = make_member(pool.organisation).user
    assign_seat(pool=pool, member=leaver)
    end_membership(organisation=pool.organisation, user=leaver)
    api = _api(admin)
    # The seat of someone who left can still be given back.
    assert api.post(_url("release-seat", pool, leaver)).status_code == 200
    assert api.post(_url("release-seat", pool, leaver)).status_code == 409
    stranger = UserFactory()
    assert api.post(_url("release-seat", pool, stranger)).status_code == 404
    revoke = api.post(_url("revoke-seat", pool, stranger), {"reason": "x"}, format="json")
    assert revoke.status_code == 404


def test_an_admin_renews_a_pool_and_gets_the_new_one(admin_and_pool):
    admin, pool = admin_and_pool
    member = make_member(pool.organisation).user
    seat = assign_seat(pool=pool, member=member)
    today = timezone.localdate()
    body = {
        "seats": 4,
        "valid_from": str(today),
        "valid_until": str(today + timedelta(days=365)),
        "order_reference": "PO-2027",
        "price": "2400.00",
    }
    answer = _api(admin).post(_url("renew-pool", pool), body, format="json")
    assert answer.status_code == 201
    data = answer.json()
    renewed = SeatPool.objects.get(renewed_from=pool)
    assert data["id"] == str(renewed.public_id)
    assert (data["seats"], data["used"], data["free"]) == (4, 1, 3)
    assert (data["order_reference"], data["price"]) == ("PO-2027", "2400.00")
    seat.refresh_from_db()
    assert seat.pool == renewed
    again = _api(admin).post(_url("renew-pool", pool), body, format="json")
    assert again.status_code == 409
    assert "renewed already" in again.json()["detail"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"valid_until": "2020-01-01"}, "valid_until"),
        ({"seats": 1}, "seats"),  # two seats are held
        ({"seats": 0}, "seats"),
        ({"price": "-5"}, "price"),
        ({"valid_from": "soon"}, "valid_from"),
        ({"order_reference": "x" * 101}, "order_reference"),
    ],
)
def test_a_wrong_renewal_is_refused_naming_the_field(admin_and_pool, change, field):
    admin, pool = admin_and_pool
    for _ in range(2):
        assign_seat(pool=pool, member=make_member(pool.organisation).user)
    today = timezone.localdate()
    body = {"seats": 3, "valid_from": str(today), "valid_until": str(today + timedelta(days=9))}
    answer = _api(admin).post(_url("renew-pool", pool), {**body, **change}, format="json")
    assert answer.status_code == 400
    assert list(answer.json()) == [field]
    assert not SeatPool.objects.filter(renewed_from=pool).exists()


@pytest.mark.parametrize("role", [MembershipRole.MEMBER, MembershipRole.SUPERVISOR, "other"])
def test_nobody_but_the_organisations_admins_changes_its_seats(role):
    organisation = OrganisationFactory()
    pool = make_pool(organisation)
    member = make_member(organisation).user
    seat = assign_seat(pool=pool, member=member)
    if role == "other":
        user = make_member(OrganisationFactory(), role=MembershipRole.ADMIN).user
    else:
        user = make_member(organisation, role=role).user
    api = _api(user)
    today = str(timezone.localdate())
    renew = {"seats": 5, "valid_from": today, "valid_until": today}
    assert api.get(_url("pool-seats", pool)).status_code == 404
    assert api.post(_url("release-seat", pool, member)).status_code == 404
    revoke = api.post(_url("revoke-seat", pool, member), {"reason": "x"}, format="json")
    assert revoke.status_code == 404
    assert api.post(_url("renew-pool", pool), renew, format="json").status_code == 404
    seat.refresh_from_db()
    assert seat.status == SeatStatus.ASSIGNED
    assert SeatPool.objects.count() == 1


def test_an_anonymous_caller_is_asked_to_authenticate():
    organisation = OrganisationFactory()
    pool = make_pool(organisation)
    member = make_member(organisation).user
    assign_seat(pool=pool, member=member)
    api = APIClient()
    assert api.get(_url("pool-seats", pool)).status_code == 401
    assert api.post(_url("release-seat", pool, member)).status_code == 401
    assert api.post(_url("revoke-seat", pool, member), {"reason": "x"}).status_code == 401
    assert api.post(_url("renew-pool", pool), {}).status_code == 401
    assert Seat.objects.get().status == SeatStatus.ASSIGNED


def test_a_pool_of_another_organisation_is_not_found_for_an_admin(admin_and_pool):
    admin, _pool = admin_and_pool
    theirs = make_pool(OrganisationFactory())
    outsider = make_member(theirs.organisation).user
    assign_seat(pool=theirs, member=outsider)
    # Their pool under our organisation's URL, and under theirs: 404 both ways.
    mixed = reverse(
        "organisations-api:pool-seats", args=[_pool.organisation.public_id, theirs.public_id]
    )
    api = _api(admin)
    assert api.get(mixed).status_code == 404
    assert api.get(_url("pool-seats", theirs)).status_code == 404
    assert api.post(_url("release-seat", theirs, outsider)).status_code == 404
