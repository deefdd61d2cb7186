"""The context (Data §2.4.6): context activities, instructor and team, and the context agents
and groups xAPI 2.0 adds."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Final

from progress.xapi.validation.actor import _actor, _agent, _group
from progress.xapi.validation.errors import _MISSING, _fail
from progress.xapi.validation.object import _activity, _statement_ref
from progress.xapi.validation.scalars import (
    _extensions,
    _language_tag,
    _string,
    _unknown_key,
    validate_iri,
    validate_uuid,
)

_CONTEXT_ACTIVITY_KEYS: Final = frozenset({"parent", "grouping", "category", "other"})
_CONTEXT_AGENT_KEYS: Final = frozenset({"objectType", "agent", "relevantTypes"})
_CONTEXT_GROUP_KEYS: Final = frozenset({"objectType", "group", "relevantTypes"})


def _context_activities(value: object, path: str) -> None:
    """Data §2.4.6.2.s4: keys parent, grouping, category, other; an Activity or an array."""
    if not isinstance(value, dict):
        _fail(path, "must be a contextActivities object")
    if not _CONTEXT_ACTIVITY_KEYS.issuperset(value):
        _unknown_key(value, _CONTEXT_ACTIVITY_KEYS, path, "contextActivities")
    for key, activities in value.items():
        where = f"{path}.{key}"
        if isinstance(activities, list):
            for index, activity in enumerate(activities):
                _activity(activity, f"{where}[{index}]")
        elif isinstance(activities, dict):
            _activity(activities, where)
        else:
            _fail(where, "must be an Activity or an array of Activities")


def _relevant_types(value: object, path: str) -> None:
    if not isinstance(value, list) or not value:
        _fail(path, "must be a non-empty array of IRIs")
    for index, iri in enumerate(value):
        validate_iri(iri, f"{path}[{index}]")


def _context_members(
    value: object,
    path: str,
    *,
    object_type: str,
    member: str,
    member_type: str,
    keys: frozenset[str],
    check: Callable[[dict[str, Any], str], object],
) -> None:
    """xAPI 2.0 Data §2.4.6.3 and §2.4.6.4: a list of contextAgent objects
    {objectType, agent, relevantTypes} or contextGroup objects {objectType, group, ...}."""
    if not isinstance(value, list):
        _fail(path, f"must be an array of {object_type} objects")
    for index, item in enumerate(value):
        where = f"{path}[{index}]"
        if not isinstance(item, dict):
            _fail(where, f"must be a {object_type} object")
        if not keys.issuperset(item):
            _unknown_key(item, keys, where, f"a {object_type}")
        if item.get("objectType") != object_type:
            _fail(f"{where}.objectType", f'must be "{object_type}"')
        target = item.get(member, _MISSING)
        if target is _MISSING:
            _fail(f"{where}.{member}", "is required")
        if not isinstance(target, dict):
            _fail(f"{where}.{member}", f"must be an {member_type} object")
        # An Agent's objectType may be omitted; a Group's may not.
        if target.get("objectType", "Agent" if member_type == "Agent" else None) != member_type:
            _fail(f"{where}.{member}.objectType", f'must be "{member_type}"')
        check(target, f"{where}.{member}")
        types = item.get("relevantTypes", _MISSING)
        if types is not _MISSING:
            _relevant_types(types, f"{where}.relevantTypes")


def _context_agents(value: object, path: str) -> None:
    _context_members(
        value, path, object_type="contextAgent", member="agent", member_type="Agent",
        keys=_CONTEXT_AGENT_KEYS, check=_agent,
    )  # fmt: skip


def _context_groups(value: object, path: str) -> None:
    _context_members(
        value, path, object_type="contextGroup", member="group", member_type="Group",
        keys=_CONTEXT_GROUP_KEYS, check=_group,
    )  # fmt: skip


def _team(value: object, path: str) -> None:
    """Data §2.4.6.s3: the team is a Group."""
    if not isinstance(value, dict) or value.get("objectType") != "Group":
        _fail(path, 'must be a Group (objectType "Group")')
    _group(value, path)


# The properties of a Context checked on their own, by key (Data §2.4.6.s3).
_CONTEXT_CHECKS: Final[dict[str, Callable[[Any, str], object]]] = {
    "registration": validate_uuid,
    "instructor": _actor,
    "team": _team,
    "contextActivities": _context_activities,
    "language": _language_tag,
    "statement": _statement_ref,
    "extensions": _extensions,
}
# xAPI 2.0 Data §2.4.6 (IEEE 9274.1.1) adds contextAgents and contextGroups.
_CONTEXT_CHECKS_2: Final[dict[str, Callable[[Any, str], object]]] = {
    **_CONTEXT_CHECKS,
    "contextAgents": _context_agents,
    "contextGroups": _context_groups,
}


def _context(value: object, path: str, v2: bool, object_type: str) -> None:
    """Data §2.4.6, and xAPI 2.0's contextAgents and contextGroups."""
    if not isinstance(value, dict):
        _fail(path, "must be a Context object")
    checks = _CONTEXT_CHECKS_2 if v2 else _CONTEXT_CHECKS
    for key, item in value.items():
        check = checks.get(key)
        if check is not None:
            check(item, f"{path}.{key}")
        elif key in {"revision", "platform"}:
            _string(item, f"{path}.{key}")
            if object_type != "Activity":
                # Data §2.4.6.s4.b1-b2.
                _fail(f"{path}.{key}", "may only be used when the object is an Activity")
        else:
            _fail(f"{path}.{key}", "is not a property of a Context")
