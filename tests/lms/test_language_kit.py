"""The language kit: the text of a language map for a learner's language, falling back to the
base language, then English, then whatever there is."""

import pytest

from lms.kits.language import pick_language

TITLE = {"en": "Child protection", "ro": "Protecția copilului", "pt-BR": "Proteção infantil"}


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("ro", "Protecția copilului"),
        ("ro-MD", "Protecția copilului"),
        ("pt", "Proteção infantil"),
        ("PT-br", "Proteção infantil"),
        ("hu", "Child protection"),
    ],
)
def test_the_language_then_its_base_then_english(language, expected):
    assert pick_language(TITLE, language) == expected


def test_a_map_without_english_gives_any_text_and_an_empty_map_none():
    assert pick_language({"ro": "Doar română"}, "hu") == "Doar română"
    assert pick_language({"en-GB": "Colour"}, "fr") == "Colour"
    assert pick_language({}, "en") == ""


def test_pick_text_says_which_language_it_gave():
    from lms.kits.language import pick_text

    assert pick_text(TITLE, "ro").language == "ro"
    assert pick_text(TITLE, "ro-MD").language == "ro"
    english = pick_text(TITLE, "uk")
    assert (english, english.language) == ("Child protection", "en")


def test_the_contents_own_language_comes_before_english():
    from lms.kits.language import pick_text

    title = {"en": "Child protection", "ro": "Protecția copilului"}
    picked = pick_text(title, "uk", source_language="ro")
    assert (picked, picked.language) == ("Protecția copilului", "ro")
    assert pick_text(title, "ro", source_language="en").language == "ro"
    assert pick_text({"uk": "", "en": "Only English"}, "uk").language == "en"
    assert pick_text({}, "en").language == ""


def test_a_fallback_is_marked_with_its_language_and_a_visible_note():
    from django.utils import translation

    from lms.kits.language import content_html, language_name, pick_text

    with translation.override("ro"):
        shown = content_html(pick_text({"en": "Child <b>protection</b>"}, "ro"))
        assert shown == (
            '<span lang="en">Child &lt;b&gt;protection&lt;/b&gt;</span> '
            '<small class="fallback">{}</small>'.format(
                translation.gettext("(in %(language)s)") % {"language": language_name("en")}
            )
        )
        assert content_html(pick_text(TITLE, "ro")) == "Protecția copilului"
    with translation.override("en"):
        assert content_html(pick_text({"en": "one two three"}, "en"), 2) == "one two…"
        assert 'lang="uk"' in content_html(pick_text({"uk": "Захист дітей"}, "en"))
