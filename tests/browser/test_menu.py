"""The site menu on a phone (base.html): at 375 px it is folded behind its "Menu" summary, opens
with JavaScript turned off (a <details> element: HTML §4.11.1), its links lead where they say,
and the page fits the screen and passes axe, folded and open, in Romanian."""

import pytest
from django.conf import settings
from django.test import Client

from organisations.invitations.services import invite
from organisations.models import MembershipRole
from tests.browser.fit import assert_no_sideways_scroll
from tests.lms.factories import UserFactory
from tests.organisations.factories import OrganisationFactory, make_member

pytestmark = pytest.mark.django_db(transaction=True)


def _phone_in_romanian(browser, live_server, user, *, javascript: bool):
    """A 375 px browser reading Romanian, signed in as ``user``."""
    client = Client()
    client.force_login(user)
    context = browser.new_context(
        base_url=live_server.url,
        viewport={"width": 375, "height": 800},
        locale="ro-RO",
        java_script_enabled=javascript,
    )
    context.set_default_timeout(10_000)
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            },
            {"name": settings.LANGUAGE_COOKIE_NAME, "value": "ro", "url": live_server.url},
        ]
    )
    return context


def _open(page) -> None:
    """Open the folded menu as a person would: a tap on its summary."""
    summary = page.locator("details.menu > summary")
    assert summary.is_visible()
    assert summary.inner_text().strip().startswith("Meniu")
    assert page.locator("details.menu[open]").count() == 0
    summary.click()
    page.locator("details.menu[open]").wait_for()


@pytest.fixture
def learner():
    """A learner reading Romanian with one thing to do (an invitation)."""
    organisation = OrganisationFactory(name="Salvați Copiii Iași")
    admin = make_member(organisation, role=MembershipRole.ADMIN).user
    learner = UserFactory(display_name="Ilinca Constantinescu-Popa", preferred_language="ro")
    invite(organisation=organisation, email=learner.email, by=admin)
    return learner


def test_the_folded_menu_opens_without_javascript_and_its_links_work_in_romanian(
    browser, live_server, learner
):
    context = _phone_in_romanian(browser, live_server, learner, javascript=False)
    page = context.new_page()
    page.goto("/")
    assert page.locator("html").get_attribute("lang") == "ro"
    courses = page.locator(".main-nav a", has_text="Cursuri")
    assert not courses.is_visible()  # folded
    assert_no_sideways_scroll(page)

    _open(page)
    assert courses.is_visible()
    assert page.locator(".main-nav a", has_text="Acasă").get_attribute("aria-current") == "page"
    assert page.get_by_role("button", name="Deconectare").is_visible()
    assert_no_sideways_scroll(page)

    courses.click()
    page.wait_for_url("**/courses/")
    assert page.locator("details.menu[open]").count() == 0  # a new page starts folded
    _open(page)
    assert page.locator(".main-nav a", has_text="Cursuri").get_attribute("aria-current") == "page"
    assert_no_sideways_scroll(page)

    page.locator(".main-nav a", has_text="De făcut (1)").click()
    page.wait_for_url("**/#todo")
    assert page.locator("#todo .todo li").count() == 1
    context.close()


def test_the_menu_folded_and_open_passes_axe_in_romanian(
    browser, live_server, learner, axe_violations
):
    # axe-core runs in the page, so this browser has JavaScript; the menu needs none of it.
    context = _phone_in_romanian(browser, live_server, learner, javascript=True)
    page = context.new_page()
    seen = []
    for url in ("/", "/courses/"):
        page.goto(url)
        seen.append(axe_violations(page))
        _open(page)
        seen.append(axe_violations(page))
        assert_no_sideways_scroll(page)
    context.close()
    assert [v for page_violations in seen for v in page_violations] == []


def test_a_wide_screen_shows_the_menu_open_without_its_summary(browser, live_server):
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 1280, "height": 800}, java_script_enabled=False
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.goto("/")
    assert not page.locator("details.menu > summary").is_visible()
    assert page.locator(".main-nav a[href='/courses/']").is_visible()
    context.close()
