"""A learner finds the demo course, launches its real cmi5 unit (the page sends cmi5 statements
from the browser), completes it, and sees it completed on their dashboard."""

import re
from io import StringIO

import pytest
from django.core.management import call_command

from courses.models import Course
from progress.models import CompletionRecord
from tests.lms.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_find_launch_complete_and_see_progress(page, live_server, settings):
    settings.SITE_URL = live_server.url  # the launch URL, fetch URL and content live here
    call_command("demo", "--force", stdout=StringIO())
    learner = UserFactory()
    page.goto("/accounts/login/")
    page.get_by_label("E-mail address").fill(learner.email)
    page.get_by_label("Password").fill(UserFactory.default_password)
    page.get_by_role("button", name="Log in").click()

    page.get_by_role("link", name="Courses").first.click()
    page.get_by_label("Search").fill("safeguarding")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("link", name="Safeguarding basics (demo)").click()
    page.get_by_role("button", name="Enrol").click()
    page.get_by_role("button", name=re.compile("Start Recognise and report")).click()
    # The unit's page, without scripts: the way to the content and back to the course.
    page.get_by_role("link", name="Open Recognise and report").click()

    # The unit's own page: it fetched its token, read LMS.LaunchData and sent initialized.
    page.get_by_text("Ready.").wait_for(timeout=15_000)
    page.get_by_role("button", name="I have read this lesson").click()
    # completed + terminated, then back to the returnURL (the course page).
    page.wait_for_url(re.compile(r"/courses/[\w-]+/$"), timeout=15_000)

    course = Course.objects.get(activity_iri="urn:practica:demo:course:safeguarding-basics")
    assert CompletionRecord.objects.filter(learner=learner, course=course).exists()
    page.goto("/learning/")
    completed = page.get_by_role("table")
    assert "Safeguarding basics (demo)" in completed.inner_text()

    # The completion is evidence of the competences the course develops, in its framework...
    page.goto("/frameworks/mine/")
    mine = page.get_by_role("table", name="Competences with evidence").inner_text()
    assert "1.1.1" in mine
    assert "Practitioner" in mine
    # ...and, through the crosswalk, in the other country's framework.
    page.get_by_label("Framework").select_option(
        label="Social Protection Workforce Competence Standard: "
        "Child and Family Services (demo) (RS)"
    )
    page.get_by_role("button", name="Show").click()
    abroad = page.get_by_role("table", name="Competences with evidence").inner_text()
    assert "A.1" in abroad
    assert "through the crosswalk" in abroad
