"""A translator on a phone (375 px): the languages page, what is missing in Ukrainian, the
edit page with the source beside the field, saving, and the catalogue showing the
translation; never scrolling sideways, no axe violations."""

import pytest

from courses.models import Course
from tests.browser.fit import assert_no_sideways_scroll
from tests.courses.factories import CourseFactory
from tests.lms.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _log_in(page, user):
    page.goto("/accounts/login/")
    page.locator("input[name=username]").fill(user.email)
    page.locator("input[name=password]").fill(UserFactory.default_password)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_load_state()


def test_a_translator_translates_a_course_on_a_phone(browser, live_server, axe_violations):
    course = CourseFactory(
        title={"en": "Writing reports that a judge can read without a dictionary"},
        summary={"en": "Clear, short and fair reports."},
        languages=["en"],
    )
    translator = UserFactory(translates_into=["uk"])
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 375, "height": 800}, locale="en-GB"
    )
    page = context.new_page()
    _log_in(page, translator)
    page.goto("/translate/content/")
    assert_no_sideways_scroll(page)
    assert axe_violations(page) == []
    page.get_by_role("link", name="Ukrainian").click()
    assert_no_sideways_scroll(page)
    assert axe_violations(page) == []
    page.get_by_role("link", name="course: Writing reports", exact=False).click()
    assert page.locator('blockquote[lang="en"]').first.inner_text().startswith("Writing reports")
    assert_no_sideways_scroll(page)
    assert axe_violations(page) == []
    page.get_by_label("Title in Ukrainian").fill("Звіти, які суддя прочитає без словника")
    page.get_by_role("button", name="Save translations").click()
    page.wait_for_load_state()
    assert page.get_by_role("link", name="course: Writing reports", exact=False).count() == 1
    course.refresh_from_db()
    assert Course.objects.get(pk=course.pk).title["uk"].startswith("Звіти")
    context.close()
