"""Hostile or broken input to the organisation pages and files: a clear answer, never a 500."""

import pytest
from django.urls import reverse

from organisations.invitations.csv import parse_invitation_csv
from organisations.invitations.services import invite_from_csv
from organisations.models import Invitation, MembershipRole
from tests.organisations.factories import OrganisationFactory, make_member

pytestmark = pytest.mark.django_db


def test_a_row_with_a_nul_character_is_refused_alone(django_capture_on_commit_callbacks):
    organisation = OrganisationFactory()
    admin = make_member(organisation, role=MembershipRole.ADMIN).user
    text = (
        "email,name\n"
        "first@example.org,First\n"
        "se\x00cond@example.org,Second\n"
        "third@example.org,Thi\x00rd\n"
        "fourth@example.org,Fourth\n"
    )
    preview = parse_invitation_csv(organisation=organisation, data=text.encode())
    problems = {row.line: row.errors for row in preview.rows}
    assert problems[2] == ()
    assert "invisible control character" in problems[3][0]
    assert "invisible control character" in problems[4][0]
    assert problems[5] == ()
    with django_capture_on_commit_callbacks(execute=True):
        invite_from_csv(organisation=organisation, data=text.encode(), by=admin)
    assert sorted(Invitation.objects.values_list("email", flat=True)) == [
        "first@example.org", "fourth@example.org",
    ]  # fmt: skip


@pytest.mark.parametrize("page", ["1" + "0" * 18, "99999999999", "-5", "x", "1" * 5000])
def test_any_page_number_on_the_team_report_answers(client, world, page):
    client.force_login(world.admin)
    url = reverse("organisations:team-report", args=[world.org.public_id])
    response = client.get(url, {"page": page})
    assert response.status_code == 200
