"""Nothing leaks: every role x both organisations x every page, download and API endpoint of
the organisations app that shows people. Scope is decided in ``organisations.scope`` only; this
matrix checks that every door goes through it."""

import csv
import io

import pytest
from django.urls import reverse

from tests.lms.factories import UserFactory

pytestmark = pytest.mark.django_db

# What each role may open in ITS organisation: "whole" = the organisation's admins, "scope" =
# anyone with members in scope (admins and unit supervisors), "member" = any member.
ENDPOINTS = [
    ("detail", "member"),
    ("team-report", "scope"),
    ("coverage-report", "scope"),
    ("summary-report", "whole"),
    ("units", "whole"),
    ("assignments", "whole"),
    ("invitations", "whole"),
    ("seats", "whole"),
    ("audit-outcomes", "scope"),
    ("team-cpd", "scope"),
    ("access-log", "whole"),
]
API_ENDPOINTS = [("organisations-api:seat-pools", "whole"), ("organisations-api:members", "scope")]

# role -> (its organisation in the fixture, access level); "none": no access anywhere.
ROLES = {
    "admin": "whole",
    "staff": "whole",
    "north_lead": "scope",
    "b_lead": "scope",
    "plain_supervisor": "member",
    "ann": "member",
    "dan": "none",  # a member of the other organisation
    "other_admin": "none",  # the other organisation's admin
    "outsider": "none",
}
LEVELS = {"whole": 3, "scope": 2, "member": 1, "none": 0}


def _person(world, role):
    if role == "staff":
        return UserFactory(is_staff=True, is_superuser=True)
    if role == "outsider":
        return UserFactory()
    return getattr(world, role)


@pytest.mark.parametrize("role", ROLES)
def test_each_role_opens_only_what_its_scope_allows(client, world, role):
    client.force_login(_person(world, role))
    for name, needed in ENDPOINTS:
        url = reverse(f"organisations:{name}", args=[world.org.public_id])
        expected = 200 if LEVELS[ROLES[role]] >= LEVELS[needed] else 404
        assert client.get(url).status_code == expected, (role, name)
    for name, needed in API_ENDPOINTS:
        url = reverse(name, args=[world.org.public_id])
        expected = 200 if LEVELS[ROLES[role]] >= LEVELS[needed] else 404
        assert client.get(url).status_code == expected, (role, name)


def test_anonymous_visitors_are_sent_to_sign_in(client, world):
    for name, _needed in ENDPOINTS:
        response = client.get(reverse(f"organisations:{name}", args=[world.org.public_id]))
        assert response.status_code == 302, name
        assert "login" in response["Location"], name
    for name, _needed in API_ENDPOINTS:
        assert client.get(reverse(name, args=[world.org.public_id])).status_code == 401, name


EXPECTED_PEOPLE = {
    "admin": {"Ada Admin", "Nora North", "Bea Lead", "Ann Ionescu", "Bob Petrović",
              "Cat Popa", "Sam Unitless"},
    "north_lead": {"Nora North", "Bea Lead", "Ann Ionescu", "Bob Petrović"},
    "b_lead": {"Bea Lead", "Bob Petrović"},
}  # fmt: skip
EVERYONE = set().union(*EXPECTED_PEOPLE.values()) | {"Dan Other", "Olga Other"}


@pytest.mark.parametrize("role", EXPECTED_PEOPLE)
@pytest.mark.parametrize(
    ("name", "params"),
    [
        ("organisations:detail", {}),
        ("organisations:team-report", {}),
        ("organisations:team-report", {"format": "csv"}),
        ("organisations:team-report", {"unit": "ALL-UNITS"}),
        ("organisations-api:members", {}),
    ],
)
def test_pages_and_downloads_show_exactly_the_people_in_scope(  # noqa: PLR0917 - fixtures
    client, world, learning, role, name, params
):
    if params.get("unit") == "ALL-UNITS":  # a filter naming a unit outside the scope is ignored
        params = {"unit": str(world.head_office.public_id)}
    client.force_login(getattr(world, role))
    response = client.get(reverse(name, args=[world.org.public_id]), params)
    text = response.content.decode("utf-8-sig")
    if params.get("format") == "csv":
        text = "\n".join(",".join(r) for r in csv.reader(io.StringIO(text)))
    shown = {person for person in EVERYONE if person in text}
    expected = EXPECTED_PEOPLE[role]
    if "unit" in params:
        # The admin's own name is in the page's header; the others' filter is not in scope.
        expected = {"Cat Popa", "Ada Admin"} if role == "admin" else expected
    assert shown == expected, (role, name, params)


@pytest.mark.parametrize("role", ["north_lead", "b_lead", "admin"])
def test_no_role_reaches_the_other_organisation(client, world, role):
    client.force_login(getattr(world, role))
    for name, _needed in ENDPOINTS:
        url = reverse(f"organisations:{name}", args=[world.other.public_id])
        assert client.get(url).status_code == 404, (role, name)
    for name, _needed in API_ENDPOINTS:
        url = reverse(name, args=[world.other.public_id])
        assert client.get(url).status_code == 404, (role, name)
