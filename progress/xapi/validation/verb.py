"""The verb (Data §2.4.3)."""

from __future__ import annotations

from typing import Final

from progress.xapi.validation.errors import _MISSING, _fail
from progress.xapi.validation.scalars import _unknown_key, validate_iri, validate_language_map

_VERB_KEYS: Final = frozenset({"id", "display"})


def _verb(value: object, path: str) -> str:
    if not isinstance(value, dict):
        _fail(path, "must be a Verb object")
    if not _VERB_KEYS.issuperset(value):
        _unknown_key(value, _VERB_KEYS, path, "a Verb")
    verb_id = value.get("id", _MISSING)
    if verb_id is _MISSING:
        _fail(f"{path}.id", "is required")
    validate_iri(verb_id, f"{path}.id")
    display = value.get("display", _MISSING)
    if display is not _MISSING:
        validate_language_map(display, f"{path}.display")
    return verb_id
