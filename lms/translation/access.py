"""Who translates the interface, and into which languages.

A translator is a person with languages in ``User.translates_into`` (the same role translates
content, lms.content_translation), and works on those languages; staff may translate every
language.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser


def can_translate_interface(user: AbstractBaseUser | AnonymousUser) -> bool:
    """django-rosetta's ROSETTA_ACCESS_CONTROL_FUNCTION, and the status page's gate."""
    if not user.is_authenticated or not user.is_active:
        return False
    return bool(getattr(user, "is_staff", False) or getattr(user, "translates_into", None))


def interface_languages() -> list[tuple[str, str]]:
    """The site's languages that have a catalogue to translate (all but the source language)."""
    return [
        (code, str(name)) for code, name in settings.LANGUAGES if code != settings.LANGUAGE_CODE
    ]


def languages_for(user: AbstractBaseUser | AnonymousUser) -> list[tuple[str, str]]:
    """The (code, name) of the languages this user may translate, in the site's order."""
    if not can_translate_interface(user):
        return []
    languages = interface_languages()
    if getattr(user, "is_staff", False):
        return languages
    chosen = set(getattr(user, "translates_into", None) or [])
    return [(code, name) for code, name in languages if code in chosen]


def may_translate(user: AbstractBaseUser | AnonymousUser, language: str) -> bool:
    return any(code == language for code, _name in languages_for(user))
