"""Staff follow through an import and issue a certificate by hand, on a phone (375 px) and a
desktop (1,280 px), in English and Romanian: the import lands on the new course's settings page,
where staff set its CPD hours and publish it; the issue page finds a learner and a completion.
No page scrolls sideways and axe finds nothing."""

import pytest
from django.urls import reverse

from certificates.models import Certificate
from courses.models import Course, CourseStatus
from courses.samples import sample_package
from tests.browser.fit import assert_no_sideways_scroll
from tests.certificates.factories import make_record
from tests.lms.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

WIDTHS = [375, 1280]
LANGUAGES = ["en", "ro"]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _log_in(page, user):
    page.goto("/accounts/login/")
    page.locator("input[name=username]").fill(user.email)
    page.locator("input[name=password]").fill(UserFactory.default_password)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_load_state()


def _fits_and_passes_axe(page, axe_violations) -> list[str]:
    assert_no_sideways_scroll(page)
    return axe_violations(page)


def _staff_page(browser, live_server, width, language):
    staff = UserFactory(is_staff=True, preferred_language=language)
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": width, "height": 800}, locale=language
    )
    page = context.new_page()
    _log_in(page, staff)
    return context, page


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("language", LANGUAGES)
def test_staff_import_a_course_set_its_cpd_hours_and_publish_it(  # noqa: PLR0917
    browser, live_server, tmp_path, width, language, axe_violations
):
    package = tmp_path / "sample.zip"
    package.write_bytes(sample_package())
    context, page = _staff_page(browser, live_server, width, language)
    seen = []
    page.goto(reverse("courses:import"))
    seen += _fits_and_passes_axe(page, axe_violations)
    page.locator("input[name=package]").set_input_files(str(package))
    page.locator("form.form button[type=submit]").click()
    page.wait_for_load_state()
    course = Course.objects.get()
    assert page.url.endswith(reverse("courses:settings", args=[course.slug]))
    seen += _fits_and_passes_axe(page, axe_violations)

    # Publishing at 0 CPD hours is refused until confirmed; with hours, it goes through.
    page.locator("input[name=status][value=published]").check()
    page.locator("form.form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator(".error-summary a[href='#id_no_cpd_confirmed']").count() == 1
    seen += _fits_and_passes_axe(page, axe_violations)
    assert Course.objects.get().status == CourseStatus.DRAFT
    page.locator("input[name=cpd_hours]").fill("1.5")
    page.locator("form.form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.get_by_role("status").count() >= 1
    course.refresh_from_db()
    assert (course.status, str(course.cpd_hours)) == (CourseStatus.PUBLISHED, "1.50")
    seen += _fits_and_passes_axe(page, axe_violations)
    context.close()
    assert seen == []


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("language", LANGUAGES)
def test_staff_find_a_learner_and_issue_a_certificate(
    browser, live_server, width, language, axe_violations
):
    learner = UserFactory(
        display_name="Alexandra-Ioana Constantinescu-Popovici",
        email="alexandra-ioana.constantinescu-popovici@example.org",
    )
    record = make_record(learner=learner)
    context, page = _staff_page(browser, live_server, width, language)
    seen = []
    page.goto(reverse("certificates:issue"))
    seen += _fits_and_passes_axe(page, axe_violations)
    page.locator("input[name=q]").fill("constantinescu")
    page.locator("form[role=search] button").click()
    page.wait_for_load_state()
    seen += _fits_and_passes_axe(page, axe_violations)
    page.locator(f"input[name=record][value='{record.public_id}']").check()
    page.locator("form.form[method=post] button[type=submit]").click()
    page.wait_for_load_state()
    certificate = Certificate.objects.get(record=record)
    assert certificate.serial in page.get_by_role("status").first.inner_text()
    seen += _fits_and_passes_axe(page, axe_violations)
    context.close()
    assert seen == []
