"""The check of tests/browser/test_every_language.py can fail: it names interface text shown
alike in English and another language, and leaves out what is not interface text."""

import pytest
from django.test import Client

from tests.browser.untranslated import untranslated
from tests.lms.factories import UserFactory

pytestmark = pytest.mark.django_db

ENGLISH = """<html lang="en"><head><title>Your learning here</title></head><body>
<h1>Your learning</h1><p>You have <a href="/c">two courses</a> to finish.</p>
<button aria-label="Close the menu">x</button><input type="submit" value="Save changes">
<p>M-7</p><p lang="ro">Limba română</p><p translate="no">Practica Learning</p>
<p>Costa Rica</p></body></html>"""


def test_text_left_in_english_is_named_and_the_rest_is_not():
    half_done = (
        ENGLISH.replace('lang="en"', 'lang="ro"', 1)
        .replace("Your learning</h1>", "Învățarea ta</h1>")
        .replace("to finish", "de terminat")
    )
    assert untranslated(ENGLISH, half_done, {"Costa Rica"}) == [
        "Close the menu",
        "Save changes",
        "You have",
        "Your learning here",
        "two courses",
    ]


def test_a_page_served_in_english_under_another_language_is_caught():
    client = Client()
    client.force_login(UserFactory())
    english = client.get("/").content.decode()
    pretending = english.replace('<html lang="en">', '<html lang="ro">')
    assert len(untranslated(english, pretending, set())) > 5
