"""The languages offered and who reads which: the rule that builds ``LANGUAGES``
(``PRACTICA_LANGUAGES`` or the compiled catalogues), the switcher naming each language in itself,
Accept-Language on a first visit, a signed-in person's own language winning over the browser's
and an old cookie, and the REST API answering a token in its owner's language.

Which languages a test offers is set by overriding ``LANGUAGES`` (``more_languages``: at least
Ukrainian and Serbian in the Latin script; ``english_and_romanian``: only those two), so the
tests hold whatever catalogues the tree has."""

# Cyrillic dates and names are what these tests are about, not look-alike typos.
# ruff: noqa: RUF001

import re
from datetime import date

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from lms.api import format_date, language_tag
from lms.languages import ALL_LANGUAGES, offered_languages
from tests.lms.factories import UserFactory

pytestmark = pytest.mark.django_db

EXTRA = [("uk", "Ukrainian"), ("sr-latn", "Serbian (Latin)")]


@pytest.fixture
def more_languages(settings):
    offered = {code for code, _name in settings.LANGUAGES}
    settings.LANGUAGES = [*settings.LANGUAGES, *(pair for pair in EXTRA if pair[0] not in offered)]


@pytest.fixture
def english_and_romanian(settings):
    settings.LANGUAGES = [("en", "English"), ("ro", "Romanian")]


def _compiled(root, *locales):
    for locale in locales:
        folder = root / locale / "LC_MESSAGES"
        folder.mkdir(parents=True)
        (folder / "django.mo").write_bytes(b"")
    return root


def _codes(languages):
    return [code for code, _name in languages]


# --- which languages are offered ----------------------------------------------------------------


def test_without_a_list_every_compiled_catalogue_is_offered_in_the_switchers_order(tmp_path):
    locale_dir = _compiled(tmp_path, "uk", "sr_Latn", "ro")
    (tmp_path / "hu" / "LC_MESSAGES").mkdir(parents=True)  # a catalogue not compiled yet
    assert _codes(offered_languages([], locale_dir)) == ["en", "ro", "sr-latn", "uk"]


def test_the_list_leaves_out_a_catalogue_that_is_not_complete(tmp_path):
    locale_dir = _compiled(tmp_path, "uk", "ro", "bg")
    assert _codes(offered_languages(["uk", " RO ", ""], locale_dir)) == ["en", "ro", "uk"]


def test_english_is_always_offered(tmp_path):
    assert _codes(offered_languages(["ro"], _compiled(tmp_path / "a", "ro"))) == ["en", "ro"]
    assert _codes(offered_languages([], tmp_path / "b")) == ["en"]


def test_an_unknown_code_or_a_missing_catalogue_stops_start_up_saying_why(tmp_path):
    with pytest.raises(ImproperlyConfigured, match="names xx, which Practica does not know"):
        offered_languages(["ro", "xx"], _compiled(tmp_path, "ro"))
    with pytest.raises(ImproperlyConfigured, match="names uk, but there is no compiled"):
        offered_languages(["ro", "uk"], tmp_path)


def test_the_tree_offers_english_and_romanian_at_least():
    assert _codes(settings.LANGUAGES)[:2] == ["en", "ro"]
    assert set(_codes(settings.LANGUAGES)) <= set(_codes(ALL_LANGUAGES))


def test_every_known_language_has_a_medium_date_format():
    day = date(2026, 12, 7)
    dates = {code: format_date(day, code) for code, _name in ALL_LANGUAGES}
    assert dates["en"] == "7 Dec 2026"
    assert dates["ro"] == "7 dec 2026"
    assert dates["uk"] == "7 гру 2026"
    assert dates["sr"] == "7. дец. 2026."
    assert dates["sr-latn"] == "7. dec. 2026."
    assert dates["hu"] == "2026. dec. 7."
    for code, text in dates.items():
        assert "2026" in text, code
        assert "12" not in text, f"{code}: the month is a word, not a number: {text}"


def test_language_tags_follow_rfc_5646_case():
    assert language_tag("sr-latn") == "sr-Latn"
    assert language_tag("en-gb") == "en-GB"
    assert language_tag("uk") == "uk"


# --- the switcher and the first visit -----------------------------------------------------------


def test_the_switcher_names_each_language_in_itself(client, more_languages, settings):
    html = client.get("/").content.decode()
    options = dict(re.findall(r'<option value="([\w-]+)" lang="\1"[^>]*>([^<]+)</option>', html))
    assert set(options) == set(_codes(settings.LANGUAGES))
    expected = {
        "en": "English",
        "ro": "Română",
        "uk": "Українська",
        "sr-latn": "Srpski (latinica)",
    }
    assert {code: options[code] for code in expected} == expected


@pytest.mark.parametrize(("header", "language"), [("ro,en;q=0.5", "ro"), ("uk-UA,uk", "uk")])
def test_a_first_visit_is_offered_the_browsers_language(client, more_languages, header, language):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE=header)
    assert f'<html lang="{language}">' in response.content.decode()
    assert response["Content-Language"] == language


def test_a_language_not_offered_is_not_taken_from_the_browser(client, english_and_romanian):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="uk")
    assert '<html lang="en">' in response.content.decode()


# --- a signed-in person's own language ----------------------------------------------------------


def test_a_signed_in_persons_language_wins_over_the_browser_and_an_old_cookie(
    client, more_languages
):
    client.force_login(UserFactory(preferred_language="uk"))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ro"
    response = client.get(reverse("profile"), HTTP_ACCEPT_LANGUAGE="ro")
    assert '<html lang="uk">' in response.content.decode()
    assert response["Content-Language"] == "uk"


def test_switching_language_signed_in_is_remembered_on_another_device(client, more_languages):
    person = UserFactory(preferred_language="en")
    client.force_login(person)
    client.post(reverse("set_language"), {"language": "sr-latn", "next": "/"})
    person.refresh_from_db()
    assert person.preferred_language == "sr-latn"
    elsewhere = type(client)()
    elsewhere.force_login(person)
    page = elsewhere.get(reverse("profile"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="sr-latn">' in page


def test_a_preference_no_longer_offered_leaves_the_choice_to_the_browser(
    client, english_and_romanian
):
    client.force_login(UserFactory(preferred_language="uk"))
    response = client.get(reverse("profile"), HTTP_ACCEPT_LANGUAGE="ro")
    assert '<html lang="ro">' in response.content.decode()


def test_the_pages_a_person_reads_are_in_their_language(client, more_languages):
    client.force_login(UserFactory(preferred_language="uk"))
    for url in ("/", reverse("profile"), reverse("notifications:centre"), "/courses/"):
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == 200, url
        assert '<html lang="uk">' in response.content.decode(), url
        assert response.context["LANGUAGE_CODE"] == "uk", url


# --- the REST API ---------------------------------------------------------------------------------


@pytest.fixture
def romanian_token():
    person = UserFactory(preferred_language="ro")
    return Token.objects.create(user=person).key


def _bad_patch(headers):
    api = APIClient()
    return api.patch(reverse("api:me"), {"profession": "astronaut"}, format="json", **headers)


def test_a_token_request_is_answered_in_its_owners_language(romanian_token):
    response = _bad_patch({"HTTP_AUTHORIZATION": f"Token {romanian_token}"})
    assert response.status_code == 400
    assert response["Content-Language"] == "ro"
    assert response.json()["profession"] == ['"astronaut" nu este o opțiune validă.']  # DRF's ro


def test_a_token_requests_accept_language_wins_over_its_owners(romanian_token):
    response = _bad_patch(
        {"HTTP_AUTHORIZATION": f"Token {romanian_token}", "HTTP_ACCEPT_LANGUAGE": "en"}
    )
    assert response["Content-Language"] == "en"
    assert response.json()["profession"] == ['"astronaut" is not a valid choice.']


def test_a_token_request_of_a_ukrainian_speaker_is_answered_in_ukrainian(more_languages):
    person = UserFactory(preferred_language="uk")
    token = Token.objects.create(user=person).key
    response = _bad_patch({"HTTP_AUTHORIZATION": f"Token {token}"})
    assert response["Content-Language"] == "uk"
    assert "astronaut" in response.json()["profession"][0]
    assert response.json()["profession"] != ['"astronaut" is not a valid choice.']  # DRF's uk
