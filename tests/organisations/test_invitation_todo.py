"""A signed-in person's invitations on the to-do (organisations.invitations.todo): those sent
to their confirmed address, pending and not expired, in one query; the page it leads to lists
them and accepts one with a button; another person's invitation is a 404."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from lms.todo import todo_for
from organisations.invitations.services import accept_invitation, invite, revoke_invitation
from organisations.invitations.todo import invitations_todo
from organisations.models import Invitation, InvitationStatus, Membership, MembershipRole
from tests.lms.factories import UserFactory
from tests.organisations.factories import OrganisationFactory, make_member

pytestmark = pytest.mark.django_db

LABEL = "Invitations to join an organisation"


@pytest.fixture
def organisation():
    return OrganisationFactory(name="Salvați Copiii Iași")


@pytest.fixture
def admin(organisation):
    return make_member(organisation, role=MembershipRole.ADMIN).user


def _invite(organisation, admin, email):
    invitation, token = invite(organisation=organisation, email=email, by=admin)
    return invitation, token


def _count(user) -> int:
    return {item.label: item.count for item in invitations_todo(user)}[LABEL]


def test_a_person_counts_the_invitations_to_their_address_in_one_query(
    organisation, admin, django_assert_num_queries
):
    ana = UserFactory(email="ana@example.org")
    _invite(organisation, admin, "ANA@example.org")  # addresses compare without case
    _invite(OrganisationFactory(name="Another"), admin, "ana@example.org")
    _invite(organisation, admin, "someone.else@example.org")
    with django_assert_num_queries(1):
        items = invitations_todo(ana)
    assert [(item.label, item.url, item.count) for item in items] == [
        (LABEL, reverse("organisations:my-invitations"), 2)
    ]
    assert LABEL in [item.label for item in todo_for(ana).items]  # a plain learner too


def test_accepted_withdrawn_and_expired_invitations_do_not_count(organisation, admin):
    ana = UserFactory(email="ana@example.org")
    _invitation, token = _invite(organisation, admin, ana.email)
    accept_invitation(token=token, user=ana)
    revoked, _token = _invite(OrganisationFactory(), admin, ana.email)
    revoke_invitation(invitation=revoked, by=admin)
    expired, _token = _invite(OrganisationFactory(), admin, ana.email)
    Invitation.objects.filter(pk=expired.pk).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )
    assert _count(ana) == 0
    assert LABEL not in [item.label for item in todo_for(ana).items]


def test_an_unconfirmed_address_sees_no_invitation_and_asks_nothing(
    organisation, admin, django_assert_num_queries
):
    # Anyone may sign up with an address: only its owner learns who invited it.
    mallory = UserFactory(email="ana@example.org", email_verified_at=None)
    _invite(organisation, admin, "ana@example.org")
    with django_assert_num_queries(0):
        assert _count(mallory) == 0


def test_the_page_lists_them_and_a_button_accepts_one(client, organisation, admin):
    ana = UserFactory(email="ana@example.org")
    invitation, _token = _invite(organisation, admin, ana.email)
    client.force_login(ana)
    page = client.get(reverse("organisations:my-invitations"))
    assert page.status_code == 200
    accept = reverse("organisations:my-invitation-accept", args=[invitation.public_id])
    assert accept in page.content.decode()
    assert "Salvați Copiii Iași" in page.content.decode()

    answer = client.post(accept)
    assert answer.status_code == 302
    assert answer["Location"] == reverse("organisations:detail", args=[organisation.public_id])
    assert Membership.objects.filter(organisation=organisation, user=ana).exists()
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.ACCEPTED
    assert invitation.accepted_by == ana
    assert _count(ana) == 0


def test_another_persons_invitation_is_a_404_and_stays_pending(client, organisation, admin):
    invitation, _token = _invite(organisation, admin, "ana@example.org")
    client.force_login(UserFactory(email="bob@example.org"))
    assert (
        client.get(reverse("organisations:my-invitations"))
        .content.decode()
        .count(str(invitation.public_id))
        == 0
    )
    answer = client.post(reverse("organisations:my-invitation-accept", args=[invitation.public_id]))
    assert answer.status_code == 404
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.PENDING


def test_an_expired_invitation_is_refused_with_a_message(client, organisation, admin):
    ana = UserFactory(email="ana@example.org")
    invitation, _token = _invite(organisation, admin, ana.email)
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )
    client.force_login(ana)
    answer = client.post(
        reverse("organisations:my-invitation-accept", args=[invitation.public_id]), follow=True
    )
    assert "This invitation has expired" in answer.content.decode()
    assert not Membership.objects.filter(organisation=organisation, user=ana).exists()


def test_the_page_needs_a_sign_in(client):
    answer = client.get(reverse("organisations:my-invitations"))
    assert answer.status_code == 302
    assert reverse("login") in answer["Location"]
