"""Organisation pages show each role only its own organisation; roles carry object permissions."""

import pytest
from django.urls import reverse

from organisations.core import services
from organisations.core.permissions import OrganisationPermission
from organisations.models import MembershipRole
from tests.lms.factories import UserFactory
from tests.organisations.factories import OrganisationFactory, make_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_organisations():
    ours, theirs = OrganisationFactory(name="Ours"), OrganisationFactory(name="Theirs")
    people = {
        role: make_member(ours, role=role).user
        for role in (MembershipRole.MEMBER, MembershipRole.SUPERVISOR, MembershipRole.ADMIN)
    }
    outsider_admin = make_member(theirs, role=MembershipRole.ADMIN).user
    return ours, theirs, people, outsider_admin


def _detail(organisation):
    return reverse("organisations:detail", args=[organisation.public_id])


@pytest.mark.parametrize("role", list(MembershipRole))
def test_each_role_sees_its_own_organisation_and_not_another(client, two_organisations, role):
    ours, theirs, people, _ = two_organisations
    client.force_login(people[role])
    assert client.get(_detail(ours)).status_code == 200
    assert client.get(_detail(theirs)).status_code == 404


def test_only_admins_see_the_member_list(client, two_organisations):
    ours, _, people, _ = two_organisations
    for role, sees_members in [
        (MembershipRole.MEMBER, False),
        (MembershipRole.SUPERVISOR, False),
        (MembershipRole.ADMIN, True),
    ]:
        client.force_login(people[role])
        html = client.get(_detail(ours)).content.decode()
        assert (people[MembershipRole.MEMBER].email in html) is sees_members, role


def test_an_admin_of_another_organisation_sees_nothing_of_ours(client, two_organisations):
    ours, _theirs, _people, outsider_admin = two_organisations
    client.force_login(outsider_admin)
    assert client.get(_detail(ours)).status_code == 404
    listing = client.get(reverse("organisations:list")).content.decode()
    assert "Theirs" in listing
    assert "Ours" not in listing


def test_a_non_member_and_an_anonymous_visitor_get_nothing(client, two_organisations):
    ours, *_ = two_organisations
    assert client.get(_detail(ours)).status_code == 302  # to log-in
    client.force_login(UserFactory())
    assert client.get(_detail(ours)).status_code == 404


def test_changing_a_role_grants_and_withdraws_permissions(two_organisations):
    ours, _, people, _ = two_organisations
    user = people[MembershipRole.MEMBER]
    assert not user.has_perm(OrganisationPermission.MANAGE.value, ours)
    services.set_membership(organisation=ours, user=user, role=MembershipRole.ADMIN)
    user = type(user).objects.get(pk=user.pk)  # fresh permission cache
    assert user.has_perm(OrganisationPermission.MANAGE.value, ours)
    services.end_membership(organisation=ours, user=user)
    user = type(user).objects.get(pk=user.pk)
    assert not user.has_perm(OrganisationPermission.VIEW.value, ours)


def test_member_list_query_count_does_not_grow_with_members(
    client, two_organisations, django_assert_max_num_queries
):
    ours, _, people, _ = two_organisations
    client.force_login(people[MembershipRole.ADMIN])
    with django_assert_max_num_queries(21) as few:  # page, scope, units, seats, navigation, to-do
        client.get(_detail(ours))
    for _ in range(20):
        make_member(ours)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(_detail(ours))
