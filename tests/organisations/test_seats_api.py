"""The seat API: an organisation's admins list pools and assign seats; nobody else sees them."""

import uuid

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from organisations.models import MembershipRole, Seat
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
