"""The organisation page's member list, the units page and course assignment (admins)."""

from datetime import date

import pytest
from django.urls import reverse

from organisations.core.scope import scope_for
from organisations.models import CourseAssignment, Unit, UnitMembership
from tests.lms.factories import UserFactory
from tests.organisations.factories import make_member
from tests.organisations.test_seats import make_pool

pytestmark = pytest.mark.django_db


def _url(name, world, *args):
    return reverse(f"organisations:{name}", args=[world.org.public_id, *args])


def test_the_member_list_shows_units_and_seats_to_admins(client, world):
    from organisations.seats.services import assign_seat

    pool = make_pool(world.org, seats=3, name="Catalogue 2026")
    assign_seat(pool=pool, member=world.bob, by=world.admin)
    client.force_login(world.admin)
    html = client.get(_url("detail", world)).content.decode()
    assert "Team B" in html
    assert "Catalogue 2026: Assigned" in html


def test_a_supervisor_sees_their_members_without_seats(client, world):
    client.force_login(world.b_lead)
    html = client.get(_url("detail", world)).content.decode()
    assert "Bob Petrović" in html
    assert "Cat Popa" not in html
    assert "No seat" not in html


def test_the_member_list_takes_the_same_queries_for_more_members(
    client, world, django_assert_num_queries, django_assert_max_num_queries
):
    client.force_login(world.admin)
    client.get(_url("detail", world))  # the first page counts the to-do (lms.todo)
    with django_assert_max_num_queries(14) as first:
        client.get(_url("detail", world))
    for _ in range(6):
        make_member(world.org, user=UserFactory())
    with django_assert_num_queries(len(first.captured_queries)):
        client.get(_url("detail", world))


def test_an_admin_adds_a_unit_and_a_supervisor(client, world):
    client.force_login(world.admin)
    response = client.post(
        _url("units", world),
        {"unit-name": "Team C", "unit-kind": "team", "unit-parent": world.north.public_id},
    )
    assert response.status_code == 302
    team_c = Unit.objects.get(name="Team C")
    assert team_c.parent == world.north
    response = client.post(
        _url("units", world),
        {"member-member": world.cat.email.upper(), "member-unit": team_c.public_id,
         "member-supervises": "on"},
    )  # fmt: skip
    assert response.status_code == 302
    assert UnitMembership.objects.get(unit=team_c, user=world.cat).supervises
    assert not scope_for(world.cat, world.org).is_empty


def test_a_stranger_cannot_be_put_in_a_unit(client, world):
    client.force_login(world.admin)
    response = client.post(
        _url("units", world),
        {"member-member": world.dan.email, "member-unit": world.team_a.public_id},
    )
    assert response.status_code == 200
    assert "is not a member of this organisation" in response.content.decode()
    assert not UnitMembership.objects.filter(user=world.dan).exists()


def test_removing_a_member_from_a_unit_and_deleting_units(client, world):
    client.force_login(world.admin)
    client.post(
        _url("unit-remove-member", world, world.team_b.public_id),
        {"member": world.b_lead.public_id},
    )
    assert scope_for(world.b_lead, world.org).is_empty
    response = client.post(_url("unit-delete", world, world.north.public_id), follow=True)
    assert "sub-units first" in response.content.decode()
    client.post(_url("unit-delete", world, world.team_b.public_id))
    assert not Unit.objects.filter(pk=world.team_b.pk).exists()


def test_deleting_a_unit_asks_first(client, world):
    client.force_login(world.admin)
    url = _url("unit-delete", world, world.team_b.public_id)
    units = reverse("organisations:units", args=[world.org.public_id])
    assert f'href="{url}"' in client.get(units).content.decode()
    asked = client.get(url).content.decode()
    assert f"Delete the unit {world.team_b.name}?" in asked
    assert f'<form method="post" action="{url}"' in asked
    assert f'href="{units}"' in asked
    assert Unit.objects.filter(pk=world.team_b.pk).exists()


def test_a_unit_of_another_organisation_is_a_404(client, world):
    from organisations.core import services

    theirs = services.create_unit(organisation=world.other, name="Theirs")
    client.force_login(world.admin)
    assert client.post(_url("unit-delete", world, theirs.public_id)).status_code == 404
    assert client.get(_url("unit-delete", world, theirs.public_id)).status_code == 404


def test_an_admin_assigns_a_course_to_a_unit_and_listed_members(client, world, learning):
    client.force_login(world.admin)
    response = client.post(
        _url("assignments", world),
        {"course": "interviewing", "unit": world.north.public_id, "emails": world.cat.email,
         "due_on": "2027-01-31"},
    )  # fmt: skip
    assert response.status_code == 302
    assigned = set(
        CourseAssignment.objects.filter(course=learning.interviewing).values_list(
            "member__display_name", "due_on"
        )
    )
    assert assigned == {
        (name, date(2027, 1, 31))
        for name in ("Ann Ionescu", "Bob Petrović", "Bea Lead", "Nora North", "Cat Popa")
    }


def test_an_assignment_needs_one_target_and_members(client, world, learning):
    client.force_login(world.admin)
    html = client.post(_url("assignments", world), {"emails": world.cat.email}).content.decode()
    assert "Choose a course or a learning journey" in html
    html = client.post(
        _url("assignments", world), {"course": "interviewing", "emails": "nobody@example.org"}
    ).content.decode()
    assert "nobody@example.org is not a member" in html
    assert not CourseAssignment.objects.filter(
        member=world.cat, course=learning.interviewing
    ).exists()


def test_the_member_list_pages_keep_their_links(client, world, monkeypatch):
    from organisations import views

    monkeypatch.setattr(views, "MEMBERS_PER_PAGE", 3)
    client.force_login(world.admin)
    first = client.get(_url("detail", world)).content.decode()
    second = client.get(_url("detail", world), {"page": 2}).content.decode()
    assert 'href="?page=2" rel="next"' in first
    assert "Page 1 of 3" in first
    assert 'href="?page=1" rel="prev"' in second
