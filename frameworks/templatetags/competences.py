"""Template filters for language maps of the frameworks app."""

from typing import Any

from django import template

register = template.Library()


@register.filter
def statement(competence: Any, language: str) -> str:
    """A competence's full statement in the language of the page."""
    return competence.statement_in(language)


@register.filter
def level_name(level: Any, language: str) -> str:
    """A proficiency level's name in the language of the page."""
    return level.name_in(language)
