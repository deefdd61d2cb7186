"""A learner compares themselves with a role: they see their gaps and the course that closes
the most of them per hour, and that course's page names the competences it develops."""

import re
from io import StringIO

import pytest
from django.core.management import call_command

from tests.lms.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_learner_sees_their_gaps_and_the_recommended_course(page):
    call_command("demo", "--force", stdout=StringIO())
    learner = UserFactory()
    page.goto("/accounts/login/")
    page.get_by_label("E-mail address").fill(learner.email)
    page.get_by_label("Password").fill(UserFactory.default_password)
    page.get_by_role("button", name="Log in").click()

    page.get_by_role("navigation", name="Main").get_by_role("link", name="My competences").click()
    page.get_by_label("Compare with a role").select_option(label="Child protection case worker")
    page.get_by_role("button", name="Show").click()

    page.get_by_role("heading", name=re.compile("Your gaps for the role")).wait_for()
    assert "You meet 0 of the 9 competences" in page.content()
    missing = page.get_by_role("table", name="Missing competences").inner_text()
    assert "1.1.1" in missing
    assert "Practitioner" in missing
    recommended = page.locator("ol.recommendations > li").first
    assert "closes 2 gaps" in recommended.inner_text()
    recommended.get_by_role("link", name="Safeguarding basics (demo)").click()

    page.get_by_role("heading", name="Competences this course develops").wait_for()
    section = page.locator("section", has=page.get_by_role("heading", name="Competences"))
    assert "1.1.1" in section.inner_text()
    assert "Practitioner" in section.inner_text()
