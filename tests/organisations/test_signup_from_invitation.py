"""Following an invitation to sign up starts the form with the invited address (issue 19):
kept in the visitor's session by the accept page (``lms.api.suggest_signup_email``), never in
the link."""

import re

import pytest
from django.urls import reverse

from organisations.invitations.services import invite
from organisations.models import MembershipRole
from tests.organisations.factories import OrganisationFactory, make_member

pytestmark = pytest.mark.django_db


def _email_input(html: str) -> str:
    return re.search(r'<input type="email" name="email"[^>]*>', html).group(0)


def test_sign_up_from_an_invitation_starts_with_the_invited_address(client):
    organisation = OrganisationFactory()
    admin = make_member(organisation, role=MembershipRole.ADMIN).user
    _invitation, token = invite(organisation=organisation, email="invited@example.org", by=admin)
    page = client.get(reverse("organisations:invitation-accept", args=[token])).content.decode()
    signup_url = re.search(r'href="(/[^"]*signup[^"]*next=[^"]*)"', page).group(1)
    assert "invited" not in signup_url  # the address is not put in a link

    html = client.get(signup_url).content.decode()
    assert 'value="invited@example.org"' in _email_input(html)

    data = {
        "email": "invited@example.org",
        "display_name": "Ana Invitată",
        "preferred_language": "ro",
        "country": "RO",
        "profession": "psychologist",
        "password1": "river stone lantern 42",
        "password2": "river stone lantern 42",
    }
    assert client.post(signup_url, data).status_code == 302
    assert "value=" not in _email_input(client.get(reverse("signup")).content.decode())


def test_sign_up_without_an_invitation_starts_empty(client):
    html = client.get(reverse("signup")).content.decode()
    assert "value=" not in _email_input(html)


def test_a_used_or_unknown_invitation_suggests_nothing(client):
    client.get(reverse("organisations:invitation-accept", args=["not-a-token"]))
    assert "value=" not in _email_input(client.get(reverse("signup")).content.decode())
