"""Staff-written text on a page (``{% load practica_content %}``): ``{{ title|content }}``,
``{{ summary|content:40 }}`` (cut to 40 words).

The value is a ``PickedText`` (``lms.kits.language.pick_text``). When its language is not the
page's, the text is wrapped in ``<span lang="xx">`` (WCAG 2.1 SC 3.1.2 Language of Parts, so
that a screen reader reads it in the right voice) and followed by a small visible marker,
"(in English)", so that the reader knows there is no text in their language yet."""

from typing import Any

from django import template
from django.conf import settings
from django.utils import translation
from django.utils.safestring import SafeString

from lms.kits.language import content_html

register = template.Library()


@register.filter(name="content")
def content(value: Any, words: int | str | None = None) -> SafeString:
    return content_html(value, int(words) if words else None)


@register.filter(name="text_in")
def text_in(obj: Any, field: str) -> SafeString:
    """A plain staff field with translations (``obj.text_in(field, language)``: framework
    titles, rule set names) in the page's language, marked as ``content`` marks it."""
    return content_html(obj.text_in(field, translation.get_language() or settings.LANGUAGE_CODE))
