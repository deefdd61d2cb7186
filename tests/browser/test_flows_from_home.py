"""Two flows that start or end on the home page, on a phone (375 px), axe clean and never
scrolling sideways: a learner completes an accredited course, sees the confirmation and the
certificate on the course page, then finds the certificate from home; a supervisor follows the
to-do count to the discussion a member named them in, confirms it, and the to-do empties."""

import re
from datetime import date

import pytest
from django.conf import settings

from certificates.models import (
    Accreditation,
    Certificate,
    CpdEntry,
    DiscussionStatus,
    IssuanceRule,
)
from courses.models import CourseUnit, UnitKind
from organisations.core import services
from organisations.models import MembershipRole
from tests.browser.fit import assert_no_sideways_scroll
from tests.browser.menu import open_menu
from tests.certificates.factories import AccreditingBodyFactory, CpdEntryFactory
from tests.courses.factories import CourseFactory
from tests.lms.factories import UserFactory
from tests.organisations.factories import OrganisationFactory, make_member

pytestmark = pytest.mark.django_db(transaction=True)


def _phone(browser, live_server):
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 375, "height": 800}, locale="en-GB"
    )
    context.set_default_timeout(10_000)
    context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": "en", "url": live_server.url}]
    )
    return context, context.new_page()


def _log_in(page, user):
    page.goto("/accounts/login/")
    page.locator("input[name=username]").fill(user.email)
    page.locator("input[name=password]").fill(UserFactory.default_password)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_load_state()


def _checked(page, axe_violations) -> list[str]:
    assert_no_sideways_scroll(page)
    return axe_violations(page)


def test_a_learner_completes_a_course_and_finds_the_certificate_from_home(
    browser, live_server, axe_violations
):
    course = CourseFactory(slug="child-safety", title={"en": "Child safety at school"})
    CourseUnit.objects.create(
        course=course, index=0, kind=UnitKind.LINK, title={"en": "Reading"},
        activity_iri=f"{course.activity_iri}/0", url="https://example.org/", move_on="Completed",
    )  # fmt: skip
    accreditation = Accreditation.objects.create(
        body=AccreditingBodyFactory(name="Colegiul Psihologilor"), course=course,
        reference="CPR-2026-17", cpd_value=3, valid_from=date(2026, 1, 1),
    )  # fmt: skip
    IssuanceRule.objects.create(course=course, accreditation=accreditation)
    learner = UserFactory(display_name="Ioana Dumitrescu", preferred_language="en")
    context, page = _phone(browser, live_server)
    _log_in(page, learner)
    page.goto("/courses/child-safety/")
    page.get_by_role("button", name="Enrol").click()
    page.get_by_role("button", name="Mark as done: Reading").click()

    # The course page confirms it, with the certificate (issued on commit).
    page.goto("/courses/child-safety/")
    progress = page.get_by_role("region", name="Your progress")
    assert "Completed" in progress.inner_text()
    assert "You completed this course on" in progress.get_by_role("status").inner_text()
    certificate = Certificate.objects.get(learner=learner)
    assert progress.get_by_role("link", name="Download your certificate").count() == 1
    seen = [_checked(page, axe_violations)]

    # Home lists it; its link shows it valid.
    open_menu(page)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Home").click()
    certificates = page.get_by_role("region", name="Your certificates")
    assert certificate.serial in certificates.inner_text()
    seen.append(_checked(page, axe_violations))
    certificates.get_by_role("link", name=re.compile("Child safety at school")).click()
    page.wait_for_url(f"**/verify/{certificate.verification_code}")
    assert "Valid" in page.get_by_role("status").inner_text()
    seen.append(_checked(page, axe_violations))
    context.close()
    assert [v for page_violations in seen for v in page_violations] == []


def test_a_supervisors_to_do_leads_to_the_discussion_they_confirm(
    browser, live_server, axe_violations
):
    organisation = OrganisationFactory(name="Child Protection Network")
    supervisor = make_member(
        organisation, user=UserFactory(display_name="Mihai Ionescu"), role=MembershipRole.SUPERVISOR
    ).user
    member = make_member(organisation, user=UserFactory(display_name="Ioana Dumitrescu")).user
    unit = services.create_unit(organisation=organisation, name="North region")
    services.set_unit_membership(unit=unit, user=supervisor, supervises=True)
    services.set_unit_membership(unit=unit, user=member)
    entry = CpdEntryFactory(
        learner=member,
        title="Supervision of the Popescu case",
        discussion_with=supervisor,
        discussion_notes="Whether to refer the case to the court.",
        discussion_status=DiscussionStatus.PENDING,
    )
    context, page = _phone(browser, live_server)
    _log_in(page, supervisor)
    page.goto("/")
    open_menu(page)
    nav = page.locator(".main-nav a[href='/#todo']")
    assert nav.inner_text().endswith("(1)")
    seen = [_checked(page, axe_violations)]
    nav.click()
    page.locator("#todo a", has_text="CPD discussions to confirm").click()

    discussion = page.get_by_role("region", name=re.compile("Ioana Dumitrescu"))
    assert "Whether to refer the case to the court." in discussion.inner_text()
    seen.append(_checked(page, axe_violations))
    discussion.get_by_role("button", name="Confirm the discussion with Ioana Dumitrescu").click()
    assert "You confirmed the discussion" in page.get_by_role("status").inner_text()
    seen.append(_checked(page, axe_violations))
    entry.refresh_from_db()
    assert entry.discussion_status == DiscussionStatus.CONFIRMED

    # Nothing waits any more: on another page than home, the menu's cached count (lms.todo) was
    # dropped when the answer was saved.
    page.goto("/courses/")
    open_menu(page)
    assert page.locator(".main-nav a", has_text="Courses").is_visible()
    assert page.locator(".main-nav a[href='/#todo']").count() == 0
    assert not CpdEntry.objects.filter(discussion_status=DiscussionStatus.PENDING).exists()
    context.close()
    assert [v for page_violations in seen for v in page_violations] == []
