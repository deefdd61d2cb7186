"""GET /api/organisations/{id}/members/: the members a caller may see, with the ids the seat
endpoints take, filtered by unit and role, in the members page's scope."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from organisations.core import services
from organisations.models import MembershipRole
from tests.lms.factories import UserFactory
from tests.organisations.factories import make_member

pytestmark = pytest.mark.django_db


def _api(user) -> APIClient:
    api = APIClient()
    api.force_login(user)
    return api


def _url(world, **query):
    url = reverse("organisations-api:members", args=[world.org.public_id])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def _names(response):
    assert response.status_code == 200, response.content
    return sorted(member["name"] for member in response.json()["results"])


EVERYONE = [
    "Ada Admin", "Ann Ionescu", "Bea Lead", "Bob Petrović", "Cat Popa", "Nora North",
    "Sam Unitless",
]  # fmt: skip


def test_an_admin_lists_every_member_with_ids_roles_and_units(world):
    response = _api(world.admin).get(_url(world))
    assert _names(response) == EVERYONE
    ann = next(m for m in response.json()["results"] if m["name"] == "Ann Ionescu")
    assert ann["id"] == str(world.ann.public_id)
    assert ann["email"] == world.ann.email
    assert ann["role"] == "member"
    assert ann["units"] == [
        {"id": str(world.team_a.public_id), "name": "Team A", "supervises": False}
    ]
    nora = next(m for m in response.json()["results"] if m["name"] == "Nora North")
    assert nora["units"] == [
        {"id": str(world.north.public_id), "name": "North region", "supervises": True}
    ]


def test_a_supervisor_lists_the_members_of_their_units_and_below(world):
    assert _names(_api(world.north_lead).get(_url(world))) == [
        "Ann Ionescu", "Bea Lead", "Bob Petrović", "Nora North",
    ]  # fmt: skip
    assert _names(_api(world.b_lead).get(_url(world))) == ["Bea Lead", "Bob Petrović"]


@pytest.mark.parametrize("who", ["ann", "plain_supervisor", "other_admin", "dan"])
def test_nobody_else_sees_the_members(world, who):
    assert _api(getattr(world, who)).get(_url(world)).status_code == 404


def test_an_anonymous_caller_is_asked_to_authenticate(world):
    assert APIClient().get(_url(world)).status_code == 401


def test_the_unit_filter_takes_the_units_below(world):
    admin = _api(world.admin)
    assert _names(admin.get(_url(world, unit=world.north.public_id))) == [
        "Ann Ionescu", "Bea Lead", "Bob Petrović", "Nora North",
    ]  # fmt: skip
    assert _names(admin.get(_url(world, unit=world.head_office.public_id))) == ["Cat Popa"]
    # A supervisor filtering on a unit outside their subtree sees nobody from it.
    assert _names(_api(world.b_lead).get(_url(world, unit=world.head_office.public_id))) == []


def test_the_role_filter(world):
    assert _names(_api(world.admin).get(_url(world, role="admin"))) == ["Ada Admin"]
    assert _names(_api(world.admin).get(_url(world, role="supervisor"))) == [
        "Bea Lead", "Nora North", "Sam Unitless",
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"role": "owner"}, "role"),
        ({"unit": "not-a-uuid"}, "unit"),
        ({"unit": "00000000-0000-0000-0000-000000000000"}, "unit"),
    ],
)
def test_a_bad_filter_is_refused_naming_it(world, query, field):
    response = _api(world.admin).get(_url(world, **query))
    assert response.status_code == 400
    assert set(response.json()) == {field}


def test_a_unit_of_another_organisation_is_refused(world):
    elsewhere = services.create_unit(organisation=world.other, name="Elsewhere")
    response = _api(world.admin).get(_url(world, unit=elsewhere.public_id))
    assert response.status_code == 400
    assert "unit" in response.json()


def test_members_come_in_cursor_pages(world, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "PAGE_SIZE": 3}
    api, seen, url = _api(world.admin), [], _url(world)
    while url:
        body = api.get(url).json()
        seen += [m["name"] for m in body["results"]]
        url = body["next"]
    assert sorted(seen) == EVERYONE
    assert len(seen) == len(set(seen))


def test_the_same_queries_for_more_members(world, django_assert_num_queries):
    api = _api(world.admin)
    with django_assert_num_queries(7) as few:  # session, user, scope (3), members, their units
        api.get(_url(world))
    for number in range(20):
        member = make_member(world.org, user=UserFactory(), role=MembershipRole.MEMBER).user
        services.set_unit_membership(unit=world.team_a, user=member)
        if number % 2:
            services.set_unit_membership(unit=world.head_office, user=member)
    with django_assert_num_queries(len(few.captured_queries)):
        response = api.get(_url(world))
    assert len(response.json()["results"]) == 27


def test_the_endpoint_is_in_the_openapi_schema(client):
    schema = client.get(
        reverse("api:schema"), HTTP_ACCEPT="application/vnd.oai.openapi+json"
    ).json()
    operation = schema["paths"]["/api/organisations/{organisation}/members/"]["get"]
    assert {p["name"] for p in operation["parameters"]} >= {"organisation", "unit", "role"}
