"""Scope: a supervisor sees the members of the units they supervise and of every unit below;
an admin the whole organisation; anyone else nobody."""

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import reverse

from organisations.core import services
from organisations.core.scope import get_member_for_user, get_scope_for_user, scope_for
from organisations.models import Membership, MembershipRole

pytestmark = pytest.mark.django_db


def _names(scope):
    return sorted(m.user.display_name for m in scope.memberships().select_related("user"))


def test_an_admin_sees_the_whole_organisation(world):
    scope = scope_for(world.admin, world.org)
    assert scope.whole
    assert "Cat Popa" in _names(scope)
    assert "Dan Other" not in _names(scope)


def test_a_supervisor_sees_the_subtree_of_the_units_they_supervise(world):
    north = _names(scope_for(world.north_lead, world.org))
    assert {"Ann Ionescu", "Bob Petrović", "Bea Lead", "Nora North"} == set(north)
    assert _names(scope_for(world.b_lead, world.org)) == ["Bea Lead", "Bob Petrović"]


def test_a_member_and_a_supervisor_of_no_unit_see_nobody(world):
    for person in (world.ann, world.plain_supervisor, world.dan, world.other_admin):
        assert scope_for(person, world.org).is_empty
        with pytest.raises(Http404):
            get_scope_for_user(person, world.org.public_id)


def test_a_new_sub_unit_falls_into_its_supervisors_scope(world):
    deeper = services.create_unit(organisation=world.org, name="Team B1", parent=world.team_b)
    services.set_unit_membership(unit=deeper, user=world.cat)
    assert "Cat Popa" in _names(scope_for(world.north_lead, world.org))


def test_withdrawing_supervision_withdraws_the_scope(world):
    services.set_unit_membership(unit=world.team_b, user=world.b_lead, supervises=False)
    assert scope_for(world.b_lead, world.org).is_empty
    assert not world.b_lead.has_perm("organisations.supervise_unit", world.team_b)


def test_supervising_a_unit_makes_a_member_a_supervisor(world):
    assert Membership.objects.get(user=world.b_lead).role == MembershipRole.SUPERVISOR


def test_leaving_the_organisation_ends_unit_membership_and_supervision(world):
    services.end_membership(organisation=world.org, user=world.north_lead)
    assert scope_for(world.north_lead, world.org).is_empty
    assert not world.north_lead.unit_memberships.exists()


def test_a_member_outside_scope_is_a_404(world):
    scope = scope_for(world.b_lead, world.org)
    assert get_member_for_user(scope, world.bob.public_id).user == world.bob
    with pytest.raises(Http404):
        get_member_for_user(scope, world.ann.public_id)
    with pytest.raises(Http404):
        get_member_for_user(scope, "not-a-uuid")


def test_only_members_join_units_and_units_stay_in_their_organisation(world):
    with pytest.raises(ValidationError):
        services.set_unit_membership(unit=world.team_a, user=world.dan)
    with pytest.raises(ValidationError):
        services.create_unit(organisation=world.other, name="Stray", parent=world.north)


def test_a_unit_cannot_be_moved_inside_itself(world):
    with pytest.raises(ValidationError):
        services.move_unit(unit=world.north, parent=world.team_a)
    services.move_unit(unit=world.team_a, parent=world.head_office)
    assert _names(scope_for(world.b_lead, world.org)) == ["Bea Lead", "Bob Petrović"]
    assert "Ann Ionescu" not in _names(scope_for(world.north_lead, world.org))


def test_a_unit_with_sub_units_is_not_deleted(world):
    with pytest.raises(ValidationError):
        services.delete_unit(unit=world.north)
    services.delete_unit(unit=world.team_b)
    assert scope_for(world.b_lead, world.org).is_empty


def test_scope_takes_at_most_five_queries(world, django_assert_max_num_queries):
    with django_assert_max_num_queries(5):
        scope_for(world.north_lead, world.org)


def test_two_top_level_units_of_one_name_are_refused(world):
    with pytest.raises(ValidationError):
        services.create_unit(organisation=world.org, name="Head office")


def test_a_supervisor_made_a_member_no_longer_sees_the_team(client, world):
    """Issue 17: the demotion withdraws the units' supervision at once (pages, API, exports)."""
    from organisations.models import UnitMembership

    assert not scope_for(world.b_lead, world.org).is_empty
    services.set_membership(organisation=world.org, user=world.b_lead, role=MembershipRole.MEMBER)
    assert scope_for(world.b_lead, world.org).is_empty
    assert not UnitMembership.objects.get(unit=world.team_b, user=world.b_lead).supervises
    client.force_login(world.b_lead)
    url = reverse("organisations:team-report", args=[world.org.public_id])
    assert client.get(url).status_code == 404
    api = reverse("organisations-api:members", args=[world.org.public_id])
    assert client.get(api).status_code == 404
