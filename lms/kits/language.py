"""The language kit: text out of a language map (``{"en": "...", "ro": "..."}``), the shape of
every multilingual field (course and journey titles, themes, competences, certificate
headings), as in xAPI and cmi5.

``pick_text`` also says which language it gave, so that a page can mark the text with its
language (``lang``, WCAG 2.1 SC 3.1.2 Language of Parts) and tell the reader when it fell back
to another language than theirs. Tags are BCP 47 (RFC 5646): a tag matches its base language
(``ro-MD`` reads ``ro``), compared without regard to case (RFC 5646 §2.1.1)."""

import hashlib
from typing import Any

from django.conf import settings
from django.utils import translation
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.text import Truncator
from django.utils.translation import gettext as _


class PickedText(str):
    """The text of a language map in one language, and that language (``""`` when the map is
    empty). It is a ``str``, so it goes wherever the text went before."""

    language: str

    def __new__(cls, text: str, language: str = "") -> "PickedText":
        picked = super().__new__(cls, text)
        picked.language = language
        return picked


def _base(tag: str) -> str:
    return tag.split("-", maxsplit=1)[0].lower()


def _find(language_map: dict[str, str], language: str) -> str | None:
    """The tag of ``language_map`` for ``language``: the same tag, else one of its base."""
    if not language:
        return None
    if language_map.get(language):
        return language
    base = _base(language)
    for tag, text in language_map.items():
        if text and _base(tag) == base:
            return tag
    return None


def pick_text(
    language_map: dict[str, str] | None, language: str, *, source_language: str = ""
) -> PickedText:
    """The text for the person's ``language``, else the content's own ``source_language``,
    else English, else any language there is; with the language it is in."""
    if not language_map:
        return PickedText("")
    for wanted in (language, source_language, "en"):
        tag = _find(language_map, wanted)
        if tag is not None:
            return PickedText(language_map[tag], tag)
    for tag, text in language_map.items():
        if text:
            return PickedText(text, tag)
    return PickedText("")


def pick_language(language_map: dict[str, str], language: str) -> str:
    """The text for ``language``, else its base language, else English, else any (cheap)."""
    return str(pick_text(language_map, language))


def same_language(first: str, second: str) -> bool:
    """Whether two tags name the same language (their base languages are equal)."""
    return _base(first) == _base(second)


def source_hash(text: str) -> str:
    """The fingerprint of a source text a translation was made from (SHA-256, hex): when the
    source changes, its hash no longer matches and the translation is out of date."""
    return hashlib.sha256(text.strip().encode("utf-8")).hexdigest()


def language_name(tag: str) -> str:
    """The name of a language in the page's language ("English", "engleză"), else its tag."""
    for candidate in (tag, _base(tag)):
        try:
            return str(translation.get_language_info(candidate)["name_translated"])
        except KeyError:
            continue
    return tag


def content_html(value: Any, words: int | None = None) -> SafeString:
    """A staff-written text as HTML, cut to ``words`` words if given. A ``PickedText`` in
    another language than the page's is wrapped in ``<span lang>`` (WCAG 2.1 SC 3.1.2) and
    followed by a visible "(in English)"."""
    text = "" if value is None else str(value)
    if words:
        text = Truncator(text).words(words)
    language = getattr(value, "language", "")
    page = translation.get_language() or settings.LANGUAGE_CODE
    if not language or not text or same_language(language, page):
        return format_html("{}", text)
    marker = _("(in %(language)s)") % {"language": language_name(language)}
    return format_html(
        '<span lang="{}">{}</span> <small class="fallback">{}</small>', language, text, marker
    )


def language_tag(code: str) -> str:
    """A Django language code as an RFC 5646 tag in its conventional case (§2.1.1): "sr-latn"
    → "sr-Latn" (a four-letter script subtag in title case), "en-gb" → "en-GB" (a region in
    upper case). Tags are compared without case, but content may not."""
    language, *rest = code.replace("_", "-").split("-")
    subtags = [language.lower()]
    for subtag in rest:
        if len(subtag) == 4 and subtag.isalpha():
            subtags.append(subtag.title())
        elif len(subtag) == 2:
            subtags.append(subtag.upper())
        else:
            subtags.append(subtag.lower())
    return "-".join(subtags)
