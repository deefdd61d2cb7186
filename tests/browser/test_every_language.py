"""The main pages in every offered language: nothing is left in English and nothing sticks out
sideways on a 375 px phone (longer words than English must wrap).

The pages are home, the catalogue, a course page, my learning, notifications, the profile and
certificate verification, for a learner with a course half done. The content made here has no
English words (a course called "M-7"), so that what the English page and the other language's
page show alike is interface text nobody translated (tests/browser/untranslated.py). Each
language in ``LANGUAGES`` is a case: a catalogue merged becomes a case, and fails until complete.
"""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.translation import trans_real
from django_countries import countries

from lms.models import User
from tests.browser.fit import assert_no_sideways_scroll
from tests.browser.untranslated import untranslated
from tests.lms.factories import UserFactory
from tests.organisations.conftest import mark_done, two_unit_course

pytestmark = pytest.mark.django_db(transaction=True)

OFFERED = [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]


def _allowed() -> set[str]:
    """Not interface text: proper names that read the same in many languages (the countries of
    the profile's list, "Costa Rica", "Hong Kong", as django-countries names them in English)."""
    with translation.override("en"):
        return {str(name) for _code, name in countries}


def _same_in(language: str) -> set[str]:
    """Interface words the language writes as English does, by its translators' own choice
    (French "Notifications", "Catalogue"): their catalogue gives them unchanged, alone and in a
    page title."""
    catalogue = trans_real.translation(language)._catalog  # no public reader
    same = {key for key, text in catalogue.items() if isinstance(key, str) and key == text}
    return same | {f"{text} · Practica" for text in same}


def _pages(slug: str) -> list[str]:
    return [
        reverse("home"),
        reverse("courses:catalogue"),
        reverse("courses:detail", args=[slug]),
        reverse("progress:dashboard"),
        reverse("notifications:centre"),
        reverse("profile"),
        reverse("verify-start"),
    ]


@pytest.fixture
def learner():
    person = UserFactory(display_name="Ana", email="ana@example.org")
    course = two_unit_course(slug="m-7", title={"en": "M-7"}, summary={"en": "7 + 7"})
    mark_done(person, course, units=1)
    return person


def _html(person: User, language: str, url: str) -> str:
    User.objects.filter(pk=person.pk).update(preferred_language=language)
    client = Client()
    client.force_login(person)
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


@pytest.mark.parametrize("language", OFFERED)
def test_no_interface_text_is_left_in_english(learner, language):
    left = {}
    for url in _pages("m-7"):
        english, other = _html(learner, "en", url), _html(learner, language, url)
        assert f'<html lang="{language}">' in other
        left[url] = untranslated(english, other, _allowed() | _same_in(language))
    assert left == {url: [] for url in left}


@pytest.mark.parametrize("language", OFFERED)
def test_no_page_scrolls_sideways_on_a_phone(browser, live_server, learner, language):
    User.objects.filter(pk=learner.pk).update(preferred_language=language)
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 375, "height": 800}, locale="en-GB"
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.goto(reverse("login"))
    page.locator("input[name=username]").fill(learner.email)
    page.locator("input[name=password]").fill(UserFactory.default_password)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_load_state()
    for url in _pages("m-7"):
        page.goto(url)
        assert page.locator("html").get_attribute("lang") == language
        assert_no_sideways_scroll(page)
    context.close()
