"""Finds interface text left in English on a page rendered in another language: every piece of
text a person reads (text between tags, and the ``alt``, ``title``, ``placeholder``,
``aria-label`` and button ``value`` attributes) that the same page in English shows identically,
with two words of letters or more. Text marked as another language (``lang``, the language
switcher's options) or ``translate="no"`` is left out, and so is an allowlist of names."""

import re

import lxml.html

WORD = re.compile(r"[^\W\d_]{2,}")
READ_ATTRIBUTES = ("alt", "title", "placeholder", "aria-label")
SKIPPED_TAGS = {"script", "style", "template"}


def _pieces(html: str) -> set[str]:
    root = lxml.html.document_fromstring(html)
    page_language = (root.get("lang") or "").lower()
    found: set[str] = set()

    def walk(element, language: str) -> None:
        if not isinstance(element.tag, str) or element.tag in SKIPPED_TAGS:
            return
        language = (element.get("lang") or language).lower()
        if language == page_language and element.get("translate") != "no":
            for name in READ_ATTRIBUTES:
                found.add(element.get(name) or "")
            if element.tag == "input" and element.get("type") in {"submit", "button"}:
                found.add(element.get("value") or "")
            found.add(element.text or "")
        for child in element:
            walk(child, language)
            if language == page_language:
                found.add(child.tail or "")

    walk(root, page_language)
    return {" ".join(piece.split()) for piece in found} - {""}


def untranslated(english_html: str, other_html: str, allowed: set[str]) -> list[str]:
    """The text pieces of ``other_html`` that ``english_html`` shows identically and that have
    two words of letters or more, but for those in ``allowed``; sorted."""
    same = _pieces(other_html) & _pieces(english_html)
    return sorted(piece for piece in same if len(WORD.findall(piece)) >= 2 and piece not in allowed)
