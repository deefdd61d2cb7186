"""The course page with each unit's state and the staff's learners pages, as people see them: on
a phone (375 px) and a desktop (1,280 px), in English and Romanian, never scrolling sideways."""

from io import StringIO

import pytest
from django.core.management import call_command

from courses.models import Course
from courses.services import enrol_learner
from progress.projection import waive_unit
from tests.browser.fit import assert_no_sideways_scroll
from tests.lms.factories import UserFactory
from tests.paths import CATAPULT

pytestmark = pytest.mark.django_db(transaction=True)

WIDTHS = [375, 1280]


def _log_in(page, user):
    page.goto("/accounts/login/")
    page.locator("input[name=username]").fill(user.email)
    page.locator("input[name=password]").fill(UserFactory.default_password)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_load_state()


@pytest.fixture
def course():
    call_command(
        "import_course", str(CATAPULT / "009-1-waived.zip"), "--publish", stdout=StringIO()
    )
    return Course.objects.get()


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("language", ["en", "ro"])
def test_the_course_page_shows_states_and_review_on_a_phone_and_a_desktop(  # noqa: PLR0917
    browser, live_server, course, width, language, axe_violations
):
    learner = UserFactory(preferred_language=language, display_name="Maria Lungu-Dumitrescu")
    enrolment = enrol_learner(learner=learner, course=course)
    waive_unit(enrolment=enrolment, unit=course.units.get(), reason="Tested Out")
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": width, "height": 800}, locale=language
    )
    page = context.new_page()
    _log_in(page, learner)
    page.goto(f"/courses/{course.slug}/")
    state = page.locator(".units .status").first
    assert state.inner_text() == {"en": "Waived", "ro": "Scutit"}[language]
    review = {"en": "Review", "ro": "Revizuire"}[language]
    assert page.locator("button", has_text=review).count() == 1
    assert_no_sideways_scroll(page)
    assert axe_violations(page) == []
    context.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_the_staff_learners_pages_fit_a_phone_and_a_desktop(
    browser, live_server, course, width, axe_violations
):
    staff = UserFactory(is_staff=True, preferred_language="ro")
    learner = UserFactory(display_name="Alexandra-Ioana Constantinescu-Popovici")
    enrol_learner(learner=learner, course=course)
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": width, "height": 800}, locale="ro"
    )
    page = context.new_page()
    _log_in(page, staff)
    for url in (
        f"/learning/courses/{course.slug}/learners/",
        f"/learning/courses/{course.slug}/learners/{learner.public_id}/",
    ):
        page.goto(url)
        assert "Alexandra-Ioana" in page.content()
        assert_no_sideways_scroll(page)
        assert axe_violations(page) == []
    # In Romanian, the waiver is asked, confirmed and told.
    page.locator("main summary").first.click()
    page.locator("input[name=reason]").first.check()
    page.locator("input[name=confirm]").check()
    page.locator("form.stack button[type=submit]").click()
    assert "Alexandra-Ioana" in page.get_by_role("status").inner_text()
    context.close()
