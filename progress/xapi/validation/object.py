"""Objects other than a SubStatement (Data §2.4.4): activities and their definitions
(interaction types and components, §2.4.4.1), and statement references (§2.4.4.3)."""

from __future__ import annotations

from typing import Any, Final

from progress.xapi.validation.actor import _count_ifis
from progress.xapi.validation.errors import _MISSING, _fail
from progress.xapi.validation.scalars import (
    _extensions,
    _unknown_key,
    validate_iri,
    validate_language_map,
    validate_uuid,
)

_ACTIVITY_KEYS: Final = frozenset({"objectType", "id", "definition"})
_COMPONENT_LISTS: Final = ("choices", "scale", "source", "target", "steps")
_DEFINITION_KEYS: Final = frozenset(
    {
        "name",
        "description",
        "type",
        "moreInfo",
        "extensions",
        "interactionType",
        "correctResponsesPattern",
        *_COMPONENT_LISTS,
    }
)
_COMPONENT_KEYS: Final = frozenset({"id", "description"})
_STATEMENT_REF_KEYS: Final = frozenset({"objectType", "id"})

# Data §2.4.4.1.s8 (interactionType, exact case) and §2.4.4.1.s15 (supported component lists).
_INTERACTION_COMPONENTS: Final[dict[str, frozenset[str]]] = {
    "true-false": frozenset(),
    "choice": frozenset({"choices"}),
    "fill-in": frozenset(),
    "long-fill-in": frozenset(),
    "matching": frozenset({"source", "target"}),
    "performance": frozenset({"steps"}),
    "sequencing": frozenset({"choices"}),
    "likert": frozenset({"scale"}),
    "numeric": frozenset(),
    "other": frozenset(),
}


def _components(value: object, path: str) -> None:
    """Data §2.4.4.1.s15-s16: interaction components {id, description}, with distinct ids."""
    if not isinstance(value, list):
        _fail(path, "must be an array of interaction components")
    seen: set[str] = set()
    for index, component in enumerate(value):
        where = f"{path}[{index}]"
        if not isinstance(component, dict):
            _fail(where, "must be an interaction component object")
        if not _COMPONENT_KEYS.issuperset(component):
            _unknown_key(component, _COMPONENT_KEYS, where, "an interaction component")
        component_id = component.get("id", _MISSING)
        if component_id is _MISSING:
            _fail(f"{where}.id", "is required")
        if not isinstance(component_id, str):
            _fail(f"{where}.id", "must be a string")
        if component_id in seen:
            _fail(f"{where}.id", f"{component_id!r} is not distinct within {path}")
        seen.add(component_id)
        description = component.get("description", _MISSING)
        if description is not _MISSING:
            validate_language_map(description, f"{where}.description")


def _definition(value: object, path: str) -> None:
    """Data §2.4.4.1.s2 and s8: the Activity Definition, with interaction properties."""
    if not isinstance(value, dict):
        _fail(path, "must be an Activity Definition object")
    interactive = False
    for key, item in value.items():
        if key in {"name", "description"}:
            validate_language_map(item, f"{path}.{key}")
        elif key in {"type", "moreInfo"}:
            validate_iri(item, f"{path}.{key}")
        elif key == "extensions":
            _extensions(item, f"{path}.extensions")
        elif key in _DEFINITION_KEYS:
            interactive = True
        else:
            _fail(f"{path}.{key}", "is not a property of an Activity Definition")
    if interactive:
        _interaction(value, path)


def _interaction(value: dict[str, Any], path: str) -> None:
    """Data §2.4.4.1.s8-s16: interactionType, correctResponsesPattern, component lists."""
    interaction = value.get("interactionType", _MISSING)
    patterns = value.get("correctResponsesPattern", _MISSING)
    if interaction is _MISSING:
        # Implied by §2.4.4.1.s8 (interactionType required of Interaction Activities) and the
        # conformance suite (XAPI-00064): interaction properties need an interactionType.
        if patterns is not _MISSING:
            _fail(f"{path}.interactionType", "is required with correctResponsesPattern")
        for key in _COMPONENT_LISTS:
            if key in value:
                _fail(f"{path}.interactionType", f"is required with {key}")
    allowed = _INTERACTION_COMPONENTS.get(interaction) if isinstance(interaction, str) else None
    if allowed is None:
        _fail(
            f"{path}.interactionType",
            "must be one of " + ", ".join(f'"{name}"' for name in _INTERACTION_COMPONENTS),
        )
    if patterns is not _MISSING:
        if not isinstance(patterns, list):
            _fail(f"{path}.correctResponsesPattern", "must be an array of strings")
        for index, pattern in enumerate(patterns):
            if not isinstance(pattern, str):
                _fail(f"{path}.correctResponsesPattern[{index}]", "must be a string")
    for key in _COMPONENT_LISTS:
        components = value.get(key, _MISSING)
        if components is _MISSING:
            continue
        if key not in allowed:
            _fail(f"{path}.{key}", f'is not supported by interactionType "{interaction}"')
        _components(components, f"{path}.{key}")


def _activity(value: object, path: str) -> None:
    """Data §2.4.4.1: objectType "Activity" when present, an IRI id, an optional definition."""
    if not isinstance(value, dict):
        _fail(path, "must be an Activity object")
    if not _ACTIVITY_KEYS.issuperset(value):
        if "id" not in value and _count_ifis(value):
            # Data §2.4.4.2.s1.b1: an Agent or Group used as an object states its objectType.
            _fail(f"{path}.objectType", 'is required for an Agent or Group ("Agent", "Group")')
        _unknown_key(value, _ACTIVITY_KEYS, path, "an Activity")
    kind = value.get("objectType", "Activity")
    if kind != "Activity":
        _fail(f"{path}.objectType", 'must be "Activity"')
    activity_id = value.get("id", _MISSING)
    if activity_id is _MISSING:
        _fail(f"{path}.id", "is required")
    validate_iri(activity_id, f"{path}.id")
    definition = value.get("definition", _MISSING)
    if definition is not _MISSING:
        _definition(definition, f"{path}.definition")


def _statement_ref(value: object, path: str) -> None:
    """Data §2.4.4.3.s4: objectType "StatementRef" and the UUID of a statement."""
    if not isinstance(value, dict):
        _fail(path, "must be a StatementRef object")
    if not _STATEMENT_REF_KEYS.issuperset(value):
        _unknown_key(value, _STATEMENT_REF_KEYS, path, "a StatementRef")
    if value.get("objectType") != "StatementRef":
        _fail(f"{path}.objectType", 'must be "StatementRef"')
    ref_id = value.get("id", _MISSING)
    if ref_id is _MISSING:
        _fail(f"{path}.id", "is required")
    validate_uuid(ref_id, f"{path}.id")
