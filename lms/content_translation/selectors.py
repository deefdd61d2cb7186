"""Reads of content translations: who translates which languages, and per language what is
missing or out of date (one query per registered model, whatever the rows)."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser

from lms.content_translation.registry import (
    State,
    Translatable,
    source_of,
    state_of,
    translatable,
    translatables,
    translation_of,
)
from lms.errors import NotFound
from lms.navigation import Role


def translator_roles(user: AbstractBaseUser) -> Iterable[Role]:
    """The translator role, for a person who translates into some language (no query)."""
    return [Role.TRANSLATOR] if getattr(user, "translates_into", None) else []


def languages_for(user: Any) -> list[str]:
    """The languages ``user`` may translate content into: their own (``translates_into``),
    and every site language for staff; none for anyone else."""
    if not user.is_authenticated:
        return []
    own = [str(code) for code in user.translates_into or [] if code]
    if user.is_staff:
        site = [code for code, _name in settings.LANGUAGES]
        return site + [code for code in own if code not in site]
    return own


def check_language(user: Any, language: str) -> None:
    """404 unless ``user`` translates into ``language`` (outside the scope: as if absent)."""
    if language not in languages_for(user):
        raise NotFound()


@dataclass(frozen=True)
class TextRow:
    id: str  # model:pk:field
    field_label: str
    source_language: str
    source: str
    translation: str
    state: State


@dataclass(frozen=True)
class ObjectRow:
    spec: Translatable
    pk: int
    label: str
    texts: list[TextRow] = field(default_factory=list)

    @property
    def missing(self) -> int:
        return sum(1 for t in self.texts if t.state == State.MISSING)

    @property
    def stale(self) -> int:
        return sum(1 for t in self.texts if t.state == State.STALE)


def object_texts(spec: Translatable, obj: Any, language: str) -> ObjectRow:
    texts = []
    for f in spec.fields:
        source_language, source = source_of(spec, obj, f)
        if (
            not source.strip()
            or source_language.split("-")[0] == language.split("-", maxsplit=1)[0]
        ):
            continue  # nothing to translate, or the text is written in this language
        texts.append(
            TextRow(
                id=f"{spec.key}:{obj.pk}:{f.name}",
                field_label=str(f.label),
                source_language=source_language,
                source=source,
                translation=translation_of(obj, f, language),
                state=state_of(spec, obj, f, language),
            )
        )
    return ObjectRow(spec=spec, pk=obj.pk, label=spec.describe(obj), texts=texts)


def work_for(language: str, *, only_open: bool = True) -> list[ObjectRow]:
    """Every object with a text missing or out of date in ``language`` (all objects with a
    text to translate when not ``only_open``), in registration order."""
    rows = []
    for spec in translatables():
        for obj in spec.rows():
            row = object_texts(spec, obj, language)
            if row.texts and (not only_open or row.missing or row.stale):
                rows.append(row)
    return rows


def get_object_for_translation(key: str, pk: int) -> tuple[Translatable, Any]:
    spec = translatable(key)
    if spec is None:
        raise NotFound()
    obj = spec.rows().filter(pk=pk).first()
    if obj is None:
        raise NotFound()
    return spec, obj
