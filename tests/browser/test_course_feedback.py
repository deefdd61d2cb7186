"""A learner completes a course of links and sees, on its page and in "My learning", that it is
completed, the CPD hours earned and the certificate: on a phone (375 px) and a desktop
(1,280 px), in English and Romanian, never scrolling sideways, axe clean."""

from decimal import Decimal

import pytest

from courses.models import CourseUnit, UnitKind
from courses.services import enrol_learner
from tests.browser.fit import assert_no_sideways_scroll
from tests.certificates.factories import IssuanceRuleFactory
from tests.courses.factories import CourseFactory
from tests.lms.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

WIDTHS = [375, 1280]
MARK_DONE = {"en": "Mark as done", "ro": "Marchează ca finalizat"}
START = {"en": "Start", "ro": "Pornește"}
REVIEW = {"en": "Review", "ro": "Revizuire"}


def _log_in(page, user):
    page.goto("/accounts/login/")
    page.locator("input[name=username]").fill(user.email)
    page.locator("input[name=password]").fill(UserFactory.default_password)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_load_state()


@pytest.fixture
def course():
    course = CourseFactory(
        cpd_hours=Decimal("1.50"),
        title={"en": "Safeguarding children at home visits", "ro": "Protecția copilului"},
    )
    for index in range(2):
        CourseUnit.objects.create(
            course=course, index=index, kind=UnitKind.LINK,
            activity_iri=f"{course.activity_iri}/link/{index}",
            title={"en": f"Guidance, part {index + 1}", "ro": f"Ghid, partea {index + 1}"},
            url=f"https://read.example.org/{index}", move_on="Completed",
        )  # fmt: skip
    IssuanceRuleFactory(course=course)
    return course


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("language", ["en", "ro"])
def test_a_learner_completes_a_course_and_sees_the_confirmation_and_certificate(  # noqa: PLR0917
    browser, live_server, course, width, language, axe_violations
):
    learner = UserFactory(preferred_language=language, display_name="Maria Lungu-Dumitrescu")
    enrol_learner(learner=learner, course=course)
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": width, "height": 800}, locale=language
    )
    page = context.new_page()
    _log_in(page, learner)
    page.goto(f"/courses/{course.slug}/")
    assert page.locator("#standing-heading ~ progress").get_attribute("value") == "0"
    assert_no_sideways_scroll(page)
    assert axe_violations(page) == []
    # Start leads to the unit's page: the link to open it, Mark as done, the way back.
    page.locator("button", has_text=START[language]).first.click()
    page.wait_for_url(f"**/courses/{course.slug}/units/0/")
    assert page.locator("a[href='https://read.example.org/0']").count() == 1
    assert page.locator(f"a[href='/courses/{course.slug}/']").count() == 2
    assert_no_sideways_scroll(page)
    assert axe_violations(page) == []
    page.locator("main button", has_text=MARK_DONE[language]).click()
    page.wait_for_url(f"**/courses/{course.slug}/")
    page.locator("button", has_text=MARK_DONE[language]).first.click()
    page.wait_for_load_state()
    assert page.locator("#standing-heading ~ progress").get_attribute("value") == "2"
    assert page.locator("button", has_text=REVIEW[language]).count() == 2
    panel = page.locator("section.panel").first.inner_text()
    # Hours without trailing zeros, in the language's own decimal separator (lms.kits.formats).
    assert {"en": "1.5.", "ro": "1,5."}[language] in panel
    certificate = page.locator("section.panel a[href$='.pdf']")
    assert certificate.count() == 1
    assert_no_sideways_scroll(page)
    assert axe_violations(page) == []
    page.goto("/learning/")
    assert page.locator("td a[href$='.pdf']").count() == 1
    assert_no_sideways_scroll(page)
    assert axe_violations(page) == []
    context.close()
