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
