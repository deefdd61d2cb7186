"""Template filters for language maps of the frameworks app: the text in the language of the
page, marked with its language when it falls back to another (``lms`` ``content`` filter)."""

from typing import Any

from django import template
from django.utils.safestring import SafeString

from lms.api import content_html

register = template.Library()


@register.filter
def statement(competence: Any, language: str) -> SafeString:
    """A competence's full statement in the language of the page."""
    return content_html(competence.statement_in(language))


@register.filter
def level_name(level: Any, language: str) -> SafeString:
    """A proficiency level's name in the language of the page."""
    return content_html(level.name_in(language))
