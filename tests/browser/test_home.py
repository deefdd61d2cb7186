"""The home page as people see it: a learner's learning, certificate and CPD bar, and a
supervisor's to-do, on a phone (375 px) and a desktop (1,280 px), in English and Romanian,
never scrolling sideways and axe clean; the to-do count in the navigation leads to the to-do
list, and its item to the page where the supervisor acts."""

from datetime import date, timedelta

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from organisations.core import services
from organisations.models import MembershipRole
from tests.browser.fit import assert_no_sideways_scroll
from tests.browser.menu import open_menu
from tests.certificates.factories import (
    CpdEntryFactory,
    CpdRegistrationFactory,
    RequirementFactory,
)
from tests.certificates.stored import stored_certificate
from tests.lms.factories import UserFactory
from tests.organisations.conftest import mark_done, two_unit_course
from tests.organisations.factories import OrganisationFactory, make_member

pytestmark = pytest.mark.django_db(transaction=True)

WIDTHS = [375, 1280]


def _open(browser, live_server, width, language):
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": width, "height": 800}, locale=language
    )
    context.set_default_timeout(10_000)
    context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}]
    )
    return context, context.new_page()


def _log_in(page, user):
    page.goto("/accounts/login/")
    page.locator("input[name=username]").fill(user.email)
    page.locator("input[name=password]").fill(UserFactory.default_password)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_load_state()


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("language", ["en", "ro"])
def test_a_learners_home_on_a_phone_and_a_desktop(
    browser, live_server, width, language, axe_violations
):
    learner = UserFactory(preferred_language=language, display_name="Maria Lungu-Dumitrescu")
    course = two_unit_course(slug="safeguarding-children-in-practice")
    mark_done(learner, course, units=1)
    mark_done(learner, two_unit_course(slug="interviewing"))
    certificate = stored_certificate(learner=learner)
    registration = CpdRegistrationFactory(learner=learner, registered_on=date(2020, 1, 1))
    RequirementFactory(rule_set=registration.rule_set)
    CpdEntryFactory(learner=learner, date=timezone.localdate())
    context, page = _open(browser, live_server, width, language)
    _log_in(page, learner)
    page.goto("/")
    launch = reverse("courses:launch", args=[course.slug, 1])
    assert page.locator(f"form[action='{launch}'] button").count() == 1
    verify = reverse("verify", args=[certificate.verification_code])
    assert page.locator(f"a[href='{verify}']").count() == 1
    assert page.locator("progress").count() == 2  # the course and the CPD cycle
    assert_no_sideways_scroll(page)
    assert axe_violations(page) == []
    context.close()


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("language", ["en", "ro"])
def test_a_supervisors_to_do_leads_to_the_team_report(
    browser, live_server, width, language, axe_violations
):
    organisation = OrganisationFactory(name="Child Protection Network")
    supervisor = make_member(
        organisation, user=UserFactory(preferred_language=language), role=MembershipRole.SUPERVISOR
    ).user
    unit = services.create_unit(organisation=organisation, name="North region")
    services.set_unit_membership(unit=unit, user=supervisor, supervises=True)
    late = make_member(organisation).user
    services.set_unit_membership(unit=unit, user=late)
    services.assign_course(
        organisation=organisation,
        members=[late],
        course=two_unit_course(slug="safeguarding"),
        due_on=timezone.localdate() - timedelta(days=2),
    )
    context, page = _open(browser, live_server, width, language)
    _log_in(page, supervisor)
    page.goto("/")
    assert_no_sideways_scroll(page)
    assert axe_violations(page) == []
    open_menu(page)
    nav = page.locator(".main-nav a[href='/#todo']")
    assert nav.inner_text().endswith("(1)")
    nav.click()
    report = reverse("organisations:team-report", args=[organisation.public_id])
    page.locator(f"#todo a[href='{report}']").click()
    page.wait_for_load_state()
    assert page.url.endswith(report)
    heading = {"en": "Team progress", "ro": "Progresul echipei"}[language]
    assert page.locator("h1").inner_text() == heading
    context.close()
