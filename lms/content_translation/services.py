"""Writes of content translations: one object's texts from its edit page, or a whole XLIFF
import, all or nothing."""

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from lms.content_translation.registry import (
    Kind,
    Translatable,
    TranslatableField,
    source_of,
    translatable,
    translation_of,
)
from lms.errors import Conflict, InvalidInput
from lms.kits.language import source_hash


@dataclass(frozen=True)
class Change:
    """One text to write: ``model:pk:field`` into ``language``. ``source`` is the source text
    the translation was made from; it must still be the object's (else the change is stale)."""

    key: str
    pk: int
    field: str
    language: str
    text: str
    source: str


def _write(
    spec: Translatable, obj: Any, field: TranslatableField, language: str, text: str
) -> None:
    source_language, source = source_of(spec, obj, field)
    if language.lower() == source_language.lower():
        raise InvalidInput(_("The source text is edited on its own page, not translated."))
    text = text.strip()
    if field.kind == Kind.PLAIN:
        translations = dict(obj.translations or {})
        texts = dict(translations.get(field.name, {}))
        if text:
            texts[language] = text
        else:
            texts.pop(language, None)
        translations[field.name] = texts
        obj.translations = translations
    else:
        texts = dict(getattr(obj, field.name) or {})
        if text:
            texts[language] = text
        else:
            texts.pop(language, None)
        setattr(obj, field.name, texts)
    hashes = dict(obj.translated_from or {})
    mine = dict(hashes.get(field.name, {}))
    if text:
        mine[language] = source_hash(source)
    else:
        mine.pop(language, None)
    hashes[field.name] = mine
    obj.translated_from = hashes


@transaction.atomic
def save_translations(*, spec: Translatable, pk: int, language: str, texts: dict[str, str]) -> Any:
    """Write ``texts`` (field name → translation) of one object into ``language``; a blank
    text removes the translation. Records the hash of each source it was made from."""
    obj = spec.model._default_manager.select_for_update().get(pk=pk)
    changed = False
    for name, text in texts.items():
        field = spec.field(name)
        if field is None:
            raise InvalidInput(_("%(field)s cannot be translated.") % {"field": name})
        if text.strip() or translation_of(obj, field, language):
            _write(spec, obj, field, language, text)
            changed = True
    if changed:
        _save(spec, obj)
    return obj


def _save(spec: Translatable, obj: Any) -> None:
    update = ["translated_from", *(f.name for f in spec.fields if f.kind == Kind.MAP)]
    if any(f.kind == Kind.PLAIN for f in spec.fields):
        update.append("translations")
    obj.save(update_fields=update)


@transaction.atomic
def apply_changes(changes: list[Change]) -> int:
    """Write every change, or none: each object is locked and its source checked again, so a
    source edited since the preview refuses the whole import. Returns how many were written."""
    objects: dict[tuple[str, int], tuple[Translatable, Any]] = {}
    for change in changes:
        spec = translatable(change.key)
        field = spec.field(change.field) if spec else None
        if spec is None or field is None:
            raise InvalidInput(_("Unknown text %(id)s.") % {"id": change.key})
        _spec, obj = objects.get((change.key, change.pk), (spec, None))
        if obj is None:
            obj = spec.model._default_manager.select_for_update().filter(pk=change.pk).first()
            if obj is None:
                raise Conflict(_("A text of this file was deleted since the preview."))
            objects[(change.key, change.pk)] = (spec, obj)
        if source_of(spec, obj, field)[1].strip() != change.source.strip():
            raise Conflict(_("A source text changed since the preview: export again."))
        _write(spec, obj, field, change.language, change.text)
    for spec, obj in objects.values():
        _save(spec, obj)
    return len(changes)
