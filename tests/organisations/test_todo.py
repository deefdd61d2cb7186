"""The organisations' to-do (lms.todo): overdue members within each person's scope, seat pools
near their cap for admins, in a fixed number of queries."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from lms.todo import todo_for
from organisations.core import services
from organisations.reports.todo import organisation_todo
from organisations.seats.models import SeatPool
from organisations.seats.services import assign_seat
from tests.lms.factories import UserFactory
from tests.organisations.factories import OrganisationFactory, make_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def overdue(world, learning):
    """Cat (head office) is overdue on Safeguarding; Bob (team B) is now overdue too."""
    services.assign_course(
        organisation=world.org,
        members=[world.bob],
        course=learning.safeguarding,
        due_on=timezone.localdate() - timedelta(days=3),
        by=world.admin,
    )
    return world


def _overdue(user) -> dict[str, int]:
    return {item.label: item.count for item in organisation_todo(user) if "Overdue" in item.label}


def test_an_admin_counts_every_overdue_member_of_their_organisation(overdue):
    assert _overdue(overdue.admin) == {"Overdue members in Child Protection Network": 2}


def test_a_supervisor_counts_only_the_overdue_members_of_their_subtree(overdue):
    # North covers teams A and B (Bob), not the head office (Cat).
    assert _overdue(overdue.north_lead) == {"Overdue members in Child Protection Network": 1}
    assert _overdue(overdue.b_lead) == {"Overdue members in Child Protection Network": 1}


def test_another_organisations_overdue_members_never_appear(overdue):
    assert _overdue(overdue.other_admin) == {"Overdue members in Another organisation": 0}
    assert todo_for(overdue.other_admin).total == 0
    assert organisation_todo(overdue.dan) == []  # a plain member supervises nobody


def test_the_overdue_item_leads_to_the_team_report(overdue):
    item = next(i for i in organisation_todo(overdue.admin) if "Overdue" in i.label)
    assert item.url == reverse("organisations:team-report", args=[overdue.org.public_id])


def test_members_due_soon_but_not_overdue_do_not_count(world, learning):
    # Bob's Interviewing is due next month: not overdue.
    assert _overdue(world.north_lead) == {"Overdue members in Child Protection Network": 0}


def _pool(organisation, seats):
    today = timezone.localdate()
    return SeatPool.objects.create(
        organisation=organisation,
        name=f"{seats} seats",
        seats=seats,
        valid_from=today - timedelta(days=1),
        valid_until=today + timedelta(days=30),
    )


def test_an_admin_sees_seat_pools_at_75_percent_or_more():
    organisation = OrganisationFactory(name="Seaty")
    admin = make_member(organisation, role=services.MembershipRole.ADMIN).user
    full, half, empty = _pool(organisation, 4), _pool(organisation, 4), _pool(organisation, 4)
    for pool, taken in ((full, 3), (half, 2)):
        for _ in range(taken):
            assign_seat(pool=pool, member=make_member(organisation).user)
    items = {i.label: i for i in organisation_todo(admin)}
    seats = items["Seat pools nearly full in Seaty"]
    assert seats.count == 1
    assert seats.url == reverse("organisations:seats", args=[organisation.public_id])
    assert empty.pk  # counted as nothing
    # Another organisation's admin does not see them; a supervisor has no seat item.
    assert all("Seaty" not in i.label for i in organisation_todo(make_member().user))


def test_a_supervisor_has_no_seat_item(overdue):
    assert all("Seat" not in i.label for i in organisation_todo(overdue.north_lead))


def test_the_provider_takes_the_same_queries_for_more_organisations(
    overdue, django_assert_max_num_queries
):
    for _ in range(3):
        make_member(OrganisationFactory(), user=overdue.admin, role=services.MembershipRole.ADMIN)
    with django_assert_max_num_queries(5):
        organisation_todo(overdue.admin)


def test_someone_without_organisation_costs_three_queries(django_assert_max_num_queries):
    user = UserFactory()
    with django_assert_max_num_queries(3):
        assert organisation_todo(user) == []
