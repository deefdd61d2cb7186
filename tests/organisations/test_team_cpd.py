"""Supervisors see their team's CPD standing: each member in scope, each body they report to,
met or what is missing; nobody outside the scope; a fixed number of queries per page."""

from decimal import Decimal

import pytest
from django.urls import reverse

from certificates.cpd.selectors import today_for
from certificates.models import RequirementKind
from tests.certificates.factories import (
    CpdEntryFactory,
    CpdRegistrationFactory,
    RequirementFactory,
    RuleSetFactory,
)
from tests.lms.factories import UserFactory
from tests.organisations.factories import make_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def rule_set():
    rule_set = RuleSetFactory(name="Social workers' CPD", body__name="CNASR")
    RequirementFactory(rule_set=rule_set, kind=RequirementKind.HOURS, amount=Decimal("10"))
    return rule_set


def _report(world, rule_set, person, hours):
    CpdRegistrationFactory(learner=getattr(world, person), rule_set=rule_set)
    CpdEntryFactory(learner=getattr(world, person), hours=hours, date=today_for(rule_set))


def page(client, world, role):
    client.force_login(getattr(world, role))
    return client.get(reverse("organisations:team-cpd", args=[world.org.public_id]))


def test_supervisors_see_their_units_standings_and_what_is_missing(client, world, rule_set):
    _report(world, rule_set, "ann", Decimal("12"))  # Team A: met
    _report(world, rule_set, "bob", Decimal("4"))  # Team B: 6 hours missing
    _report(world, rule_set, "dan", Decimal("1"))  # the other organisation
    response = page(client, world, "north_lead")
    rows = {row.membership.user.display_name: row for row in response.context["rows"]}
    assert set(rows) == {"Nora North", "Bea Lead", "Ann Ionescu", "Bob Petrović"}
    assert rows["Ann Ionescu"].met is True
    assert rows["Bob Petrović"].met is False
    assert rows["Bob Petrović"].standings[0].missing == ["6 more hours"]
    assert rows["Nora North"].met is None
    html = response.content.decode()
    assert "6 more hours" in html
    assert "CNASR: Social workers" in html
    assert "Dan Other" not in html
    assert response.context["behind"] == 1


def test_a_team_supervisor_sees_only_their_team(client, world, rule_set):
    _report(world, rule_set, "ann", Decimal("12"))
    _report(world, rule_set, "bob", Decimal("4"))
    names = {r.membership.user.display_name for r in page(client, world, "b_lead").context["rows"]}
    assert names == {"Bea Lead", "Bob Petrović"}


@pytest.mark.parametrize("role", ["ann", "dan", "other_admin", "plain_supervisor"])
def test_people_without_scope_get_404(client, world, role):
    assert page(client, world, role).status_code == 404


def test_the_page_makes_a_fixed_number_of_queries(
    client, world, rule_set, django_assert_max_num_queries
):
    for person in ("ann", "bob", "cat"):
        _report(world, rule_set, person, Decimal("3"))
    for n in range(20):
        extra = make_member(world.org, user=UserFactory(display_name=f"Extra {n:02d}")).user
        CpdRegistrationFactory(learner=extra, rule_set=rule_set)
        CpdEntryFactory(learner=extra, date=today_for(rule_set))
    client.force_login(world.admin)
    with django_assert_max_num_queries(19):  # with the first page's to-do count
        response = client.get(reverse("organisations:team-cpd", args=[world.org.public_id]))
    assert sum(len(row.standings) for row in response.context["rows"]) == 23
