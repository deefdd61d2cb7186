"""The languages Practica speaks: every language it knows, in the language switcher's order, and
the rule that picks the ones offered (README, "Languages").

A language is offered when its interface catalogue is complete: English always (the source
language), and either the codes listed in ``PRACTICA_LANGUAGES`` or, when that is unset, every
language whose compiled catalogue (``lms/locale/<locale>/LC_MESSAGES/django.mo``) is in the tree.
``tests/lms/test_catalogues.py`` keeps every offered catalogue complete, so a catalogue still
being translated is left out by listing the others in ``PRACTICA_LANGUAGES``, without a change to
the code. Read by ``lms/settings.py`` at start-up: nothing here needs Django's settings.
"""

from collections.abc import Sequence
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import to_locale

SOURCE_LANGUAGE = "en"

# Every language Practica knows, in the switcher's order: codes as Django spells them (lower
# case, "sr-latn" for Serbian in the Latin script; its catalogue lives in lms/locale/sr_Latn/).
ALL_LANGUAGES: tuple[tuple[str, Promise], ...] = (
    ("en", _("English")),
    ("ro", _("Romanian")),
    ("bg", _("Bulgarian")),
    ("sq", _("Albanian")),
    ("hu", _("Hungarian")),
    ("sr", _("Serbian (Cyrillic)")),
    ("sr-latn", _("Serbian (Latin)")),
    ("hr", _("Croatian")),
    ("bs", _("Bosnian")),
    ("mk", _("Macedonian")),
    ("ru", _("Russian")),
    ("uk", _("Ukrainian")),
    ("es", _("Spanish")),
    ("fr", _("French")),
)


def catalogue_path(locale_dir: Path, code: str) -> Path:
    """The compiled catalogue of language ``code`` under ``locale_dir``."""
    return locale_dir / to_locale(code) / "LC_MESSAGES" / "django.mo"


def offered_languages(requested: Sequence[str], locale_dir: Path) -> list[tuple[str, Promise]]:
    """The ``LANGUAGES`` setting: English and the ``requested`` codes (``PRACTICA_LANGUAGES``),
    or, when none are requested, English and every language with a compiled catalogue; always in
    the order of ``ALL_LANGUAGES``. A requested code Practica does not know, or whose catalogue is
    missing, stops start-up with a message saying what to do."""
    known = dict(ALL_LANGUAGES)
    wanted = {code.strip().lower() for code in requested if code.strip()}
    unknown = sorted(wanted - known.keys())
    if unknown:
        raise ImproperlyConfigured(
            f"PRACTICA_LANGUAGES names {', '.join(unknown)}, which Practica does not know. "
            f"Use codes from: {', '.join(known)} (lms/languages.py)."
        )
    if wanted:
        missing = [
            code
            for code in sorted(wanted - {SOURCE_LANGUAGE})
            if not catalogue_path(locale_dir, code).is_file()
        ]
        if missing:
            raise ImproperlyConfigured(
                f"PRACTICA_LANGUAGES names {', '.join(missing)}, but there is no compiled "
                f"catalogue for it in {locale_dir}: run `make messages`, or leave it out."
            )
    else:
        wanted = {code for code in known if catalogue_path(locale_dir, code).is_file()}
    wanted.add(SOURCE_LANGUAGE)
    return [(code, name) for code, name in ALL_LANGUAGES if code in wanted]


def language_choices() -> list[tuple[str, Promise]]:
    """The offered languages, as the choices of ``User.preferred_language``: a callable, so the
    migration does not change with the deployment's ``PRACTICA_LANGUAGES``."""
    return list(settings.LANGUAGES)


def is_offered(code: str | None) -> bool:
    """Whether ``code`` is one of the offered languages."""
    return bool(code) and code in dict(settings.LANGUAGES)


def activate_preferred_language(request: HttpRequest, language: str) -> None:
    """Answer ``request`` in ``language`` when it is offered (LocaleMiddleware's response sets
    Content-Language from the active language)."""
    if is_offered(language) and language != translation.get_language():
        translation.activate(language)
        request.LANGUAGE_CODE = language
