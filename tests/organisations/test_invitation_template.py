"""The invitation CSV template: linked from the invitations page, a header row and one example
row that the parser accepts, through the preview and the confirmation."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from lms.api import Profession
from organisations.invitations.csv import CSV_COLUMNS
from organisations.models import Invitation, MembershipRole
from tests.lms.factories import UserFactory
from tests.organisations.factories import OrganisationFactory, make_member

pytestmark = pytest.mark.django_db

TEMPLATE = reverse("organisations:invitations-template")


def test_the_template_is_accepted_by_the_invitation_import(client):
    organisation = OrganisationFactory()
    client.force_login(make_member(organisation, role=MembershipRole.ADMIN).user)
    page = client.get(reverse("organisations:invitations", args=[organisation.public_id]))
    assert f'href="{TEMPLATE}"' in page.content.decode()
    response = client.get(TEMPLATE)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    lines = response.content.decode().splitlines()
    assert lines[0] == ",".join(CSV_COLUMNS)
    assert len(lines) == 2
    preview = client.post(
        reverse("organisations:invitations-preview", args=[organisation.public_id]),
        {"file": SimpleUploadedFile("invitations.csv", response.content, "text/csv")},
    )
    rows = preview.context["preview"].rows
    assert [(row.email, row.errors) for row in rows] == [("ana.popescu@example.org", ())]
    assert rows[0].profession == Profession.SOCIAL_WORKER
    assert not Invitation.objects.exists()  # a preview stores nothing


def test_the_template_needs_a_log_in():
    assert Client().get(TEMPLATE).status_code == 302
    client = Client()
    client.force_login(UserFactory())
    assert client.get(TEMPLATE).status_code == 200
