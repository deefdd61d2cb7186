"""An organisation admin invites a member and gives them a seat; the member accepts, enrols in
a paid course and marks a part done; their supervisor sees them in the team report and downloads
it as XLSX."""

import io
import re
from datetime import timedelta
from pathlib import Path

import openpyxl
import pytest
from django.core import mail
from django.utils import timezone

from courses.models import CourseUnit, UnitKind
from organisations.core import services
from organisations.models import MembershipRole, Seat, SeatPool, SeatStatus
from tests.courses.factories import CourseFactory
from tests.lms.factories import UserFactory
from tests.organisations.factories import OrganisationFactory, make_member

pytestmark = pytest.mark.django_db(transaction=True)


def _log_in(page, user):
    page.goto("/accounts/login/")
    page.get_by_label("E-mail address").fill(user.email)
    page.get_by_label("Password").fill(UserFactory.default_password)
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("button", name="Log out").wait_for()


def _log_out(page):
    page.get_by_role("button", name="Log out").click()


def _organisation():
    """An organisation with an admin, a supervised unit, a paid course of two parts, a pool of
    seats, and Nadia, who has an account but belongs to no organisation yet."""
    organisation = OrganisationFactory(name="Child Protection Network")
    admin = make_member(organisation, role=MembershipRole.ADMIN).user
    supervisor = make_member(organisation, user=UserFactory(display_name="Sara Supervisor")).user
    team = services.create_unit(organisation=organisation, name="Team South")
    services.set_unit_membership(unit=team, user=supervisor, supervises=True)
    course = CourseFactory(slug="paid-course", is_paid=True, title={"en": "Paid course"})
    for index in range(2):
        CourseUnit.objects.create(
            course=course, index=index, kind=UnitKind.LINK, title={"en": f"Part {index + 1}"},
            activity_iri=f"{course.activity_iri}/{index}", url="https://example.org/",
            move_on="Completed",
        )  # fmt: skip
    today = timezone.localdate()
    pool = SeatPool.objects.create(
        organisation=organisation, name="Seats 2026", seats=5,
        valid_from=today, valid_until=today + timedelta(days=365),
    )  # fmt: skip
    newcomer = UserFactory(email="nadia@example.org", display_name="Nadia Ștefănescu")
    return organisation, admin, supervisor, pool, newcomer


def test_invite_assign_a_seat_enrol_and_report(page, axe_violations):
    organisation, admin, supervisor, pool, newcomer = _organisation()

    # The admin invites Nadia into Team South.
    _log_in(page, admin)
    page.goto(f"/organisations/{organisation.public_id}/")
    page.get_by_role("link", name="Invitations").click()
    form = page.locator("form", has=page.get_by_role("button", name="Send the invitation"))
    form.get_by_label("E-mail address").fill("nadia@example.org")
    form.get_by_label("Name").fill("Nadia Ștefănescu")
    form.get_by_label("Unit").select_option(label="Team South")
    form.get_by_role("button", name="Send the invitation").click()
    assert "nadia@example.org" in page.get_by_role("table").inner_text()
    assert axe_violations(page) == []
    (invitation_mail,) = mail.outbox
    link = re.search(r"https?://\S+/invitations/accept/\S+/", invitation_mail.body).group(0)
    _log_out(page)

    # Nadia accepts it.
    _log_in(page, newcomer)
    page.goto(link[link.index("/organisations/") :])
    page.get_by_role("button", name="Accept the invitation").click()
    page.get_by_role("heading", name="Child Protection Network").wait_for()
    _log_out(page)

    # The admin gives her a seat.
    _log_in(page, admin)
    page.goto(f"/organisations/{organisation.public_id}/")
    page.get_by_role("link", name="Seats").click()
    page.get_by_role("link", name="Seats 2026").click()
    page.get_by_label("Nadia Ștefănescu").check()
    page.get_by_role("button", name="Assign seats").click()
    assert Seat.objects.get(pool=pool, member=newcomer).status == SeatStatus.ASSIGNED
    assert axe_violations(page) == []
    _log_out(page)

    # Nadia enrols in the paid course (her seat is activated) and does its first part.
    _log_in(page, newcomer)
    page.goto("/courses/paid-course/")
    page.get_by_role("button", name="Enrol").click()
    page.get_by_role("button", name="Mark as done: Part 1").click()
    assert Seat.objects.get(pool=pool, member=newcomer).status == SeatStatus.ACTIVATED
    _log_out(page)

    # Her supervisor sees her in the team report and downloads it.
    _log_in(page, supervisor)
    page.goto(f"/organisations/{organisation.public_id}/")
    page.get_by_role("link", name="Team progress").click()
    table = page.get_by_role("table", name=re.compile("Members by course and journey"))
    row = table.get_by_role("row", name=re.compile("Nadia Ștefănescu"))
    assert "In progress 50%" in row.inner_text()
    assert axe_violations(page) == []
    with page.expect_download() as download:
        page.get_by_role("link", name="Excel (XLSX)").click()
    book = openpyxl.load_workbook(io.BytesIO(Path(download.value.path()).read_bytes()))
    values = [v for r in book.worksheets[0].iter_rows(values_only=True) for v in r if v]
    assert "Nadia Ștefănescu" in values
    assert any("Paid course" in str(v) for v in values)
