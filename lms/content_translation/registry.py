"""What can be translated: each app registers its models' staff-written texts in ``ready()``
(``register_translatable``), so that lms lists and edits them without importing the apps above.

A field is either a language map (``{"en": "...", "ro": "..."}``: its translations live in the
map) or a plain text (the text in the source language; its translations live in the model's
``translations`` JSON, ``{"name": {"ro": "..."}}``). Each model has ``translated_from``,
``{"title": {"ro": "<sha256>"}}``: the hash of the source text a translation was made from. A
translation whose recorded hash differs from the current source's is out of date; one with no
hash (written before this workflow, or in the admin) is taken as up to date."""

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.db import models
from django.utils.functional import Promise

from lms.kits.language import source_hash


class Kind(StrEnum):
    MAP = "map"
    PLAIN = "plain"


class State(StrEnum):
    MISSING = "missing"
    STALE = "stale"
    DONE = "done"


@dataclass(frozen=True)
class TranslatableField:
    name: str
    label: Promise | str
    kind: Kind = Kind.MAP
    long: bool = False  # a textarea rather than a line


@dataclass(frozen=True)
class Translatable:
    """A model whose texts are translated: ``key`` names it in URLs and XLIFF ids."""

    key: str
    label: Promise | str
    model: type[models.Model]
    fields: tuple[TranslatableField, ...]
    source_language: Callable[[Any], str]
    describe: Callable[[Any], str] = str
    queryset: Callable[[], models.QuerySet[Any]] | None = None

    def rows(self) -> models.QuerySet[Any]:
        return self.queryset() if self.queryset else self.model._default_manager.all()

    def field(self, name: str) -> TranslatableField | None:
        return next((f for f in self.fields if f.name == name), None)


_registry: dict[str, Translatable] = {}


def register_translatable(spec: Translatable) -> None:
    """Register (or replace, so that ``ready()`` may run twice) a translatable model."""
    _registry[spec.key] = spec


def translatables() -> list[Translatable]:
    return list(_registry.values())


def translatable(key: str) -> Translatable | None:
    return _registry.get(key)


def source_of(spec: Translatable, obj: Any, field: TranslatableField) -> tuple[str, str]:
    """The source language of ``obj`` and the text of ``field`` in it ("" when empty)."""
    language = spec.source_language(obj) or "en"
    value = getattr(obj, field.name)
    if field.kind == Kind.PLAIN:
        return language, str(value or "")
    return language, str((value or {}).get(language, ""))


def translation_of(obj: Any, field: TranslatableField, language: str) -> str:
    """The translation of ``field`` into ``language`` ("" when there is none)."""
    if field.kind == Kind.PLAIN:
        return str((obj.translations or {}).get(field.name, {}).get(language, ""))
    return str((getattr(obj, field.name) or {}).get(language, ""))


def state_of(spec: Translatable, obj: Any, field: TranslatableField, language: str) -> State:
    """Whether ``field`` of ``obj`` is translated into ``language``, and up to date."""
    if not translation_of(obj, field, language).strip():
        return State.MISSING
    recorded = (obj.translated_from or {}).get(field.name, {}).get(language)
    if recorded and recorded != source_hash(source_of(spec, obj, field)[1]):
        return State.STALE
    return State.DONE


def unit_id(spec: Translatable, obj: Any, field: TranslatableField) -> str:
    """The id of one text in XLIFF and forms: ``model:pk:field`` (``course:12:title``)."""
    return f"{spec.key}:{obj.pk}:{field.name}"
