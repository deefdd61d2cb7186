"""Statements and SubStatements (Data §2.2, §2.3.2, §2.4): the properties, voiding, the
statement's version; ``validate_statement`` is the entry point."""

from __future__ import annotations

import re
from typing import Any, Final

from progress.xapi.validation.actor import _actor, _agent, _authority, _group
from progress.xapi.validation.attachments import _attachments
from progress.xapi.validation.context import _context
from progress.xapi.validation.errors import _MISSING, _fail
from progress.xapi.validation.object import _activity, _statement_ref
from progress.xapi.validation.result import _result
from progress.xapi.validation.scalars import _is_v2, _timestamp, _unknown_key, validate_uuid
from progress.xapi.validation.verb import _verb

_STATEMENT_KEYS: Final = frozenset(
    {
        "id",
        "actor",
        "verb",
        "object",
        "result",
        "context",
        "timestamp",
        "stored",
        "authority",
        "version",
        "attachments",
    }
)
# Data §2.4.4.3.s8.b3: no id, stored, version or authority in a SubStatement.
_SUBSTATEMENT_FORBIDDEN: Final = frozenset({"id", "stored", "version", "authority"})
_SUBSTATEMENT_KEYS: Final = (_STATEMENT_KEYS - _SUBSTATEMENT_FORBIDDEN) | {"objectType"}

VOIDED_VERB: Final = "http://adlnet.gov/expapi/verbs/voided"

# Data §2.4.10 and Communication §3.3: 1.0.x statements; 2.0 also accepts 2.0.x.
_VERSION_1_RE: Final = re.compile(r"1\.0(?:\.\d+)?")
_VERSION_2_RE: Final = re.compile(r"[12]\.0(?:\.\d+)?")


def _object(value: object, path: str, v2: bool, *, in_substatement: bool) -> str:
    """Data §2.4.4: the object, by its objectType (Activity when absent). Returns the type."""
    if not isinstance(value, dict):
        _fail(path, "must be an object (Activity, Agent, Group, StatementRef or SubStatement)")
    kind = value.get("objectType", "Activity")
    if kind == "Activity":
        _activity(value, path)
    elif kind == "Agent":
        _agent(value, path)
    elif kind == "Group":
        _group(value, path)
    elif kind == "StatementRef":
        _statement_ref(value, path)
    elif kind == "SubStatement":
        if in_substatement:
            _fail(f"{path}.objectType", "a SubStatement cannot contain a SubStatement")
        _substatement(value, path, v2)
    else:
        _fail(
            f"{path}.objectType",
            'must be "Activity", "Agent", "Group", "StatementRef" or "SubStatement"',
        )
    return kind


def _statement_body(value: dict[str, Any], path: str, v2: bool, *, sub: bool) -> None:
    """What a Statement and a SubStatement share (Data §2.4.4.3.s8.b2)."""
    actor = value.get("actor", _MISSING)
    if actor is _MISSING:
        _fail(f"{path}.actor", "is required")
    _actor(actor, f"{path}.actor")
    verb = value.get("verb", _MISSING)
    if verb is _MISSING:
        _fail(f"{path}.verb", "is required")
    verb_id = _verb(verb, f"{path}.verb")
    target = value.get("object", _MISSING)
    if target is _MISSING:
        _fail(f"{path}.object", "is required")
    object_type = _object(target, f"{path}.object", v2, in_substatement=sub)
    if verb_id == VOIDED_VERB and object_type != "StatementRef":
        # Data §2.3.2.s2.b1.
        _fail(f"{path}.object", "the object of a voiding statement must be a StatementRef")
    result = value.get("result", _MISSING)
    if result is not _MISSING:
        _result(result, f"{path}.result")
    context = value.get("context", _MISSING)
    if context is not _MISSING:
        _context(context, f"{path}.context", v2, object_type)
    timestamp = value.get("timestamp", _MISSING)
    if timestamp is not _MISSING:
        _timestamp(timestamp, f"{path}.timestamp", v2)
    attachments = value.get("attachments", _MISSING)
    if attachments is not _MISSING:
        _attachments(attachments, f"{path}.attachments")


def _substatement(value: dict[str, Any], path: str, v2: bool) -> None:
    """Data §2.4.4.3.s8: validated as a Statement, without id, stored, version, authority."""
    if not _SUBSTATEMENT_KEYS.issuperset(value):
        for key in value:
            if key in _SUBSTATEMENT_FORBIDDEN:
                _fail(f"{path}.{key}", "must not be used in a SubStatement")
        _unknown_key(value, _SUBSTATEMENT_KEYS, path, "a SubStatement")
    _statement_body(value, path, v2, sub=True)


def validate_statement(statement: object, *, version: str, path: str = "statement") -> None:
    """Validate one statement as received from a client.

    ``version`` is the request's X-Experience-API-Version, already checked to be "1.0",
    "1.0.0" to "1.0.3", "2.0" or "2.0.x"; the rule set is chosen by its major.minor.
    Raises :class:`StatementValidationError` on the first violation.
    """
    v2 = _is_v2(version)
    if not isinstance(statement, dict):
        _fail(path, "must be a Statement object")
    if not _STATEMENT_KEYS.issuperset(statement):
        _unknown_key(statement, _STATEMENT_KEYS, path, "a Statement")
    statement_id = statement.get("id", _MISSING)
    if statement_id is not _MISSING:
        validate_uuid(statement_id, f"{path}.id")
    _statement_body(statement, path, v2, sub=False)
    stored = statement.get("stored", _MISSING)
    if stored is not _MISSING:
        _timestamp(stored, f"{path}.stored", v2)
    authority = statement.get("authority", _MISSING)
    if authority is not _MISSING:
        _authority(authority, f"{path}.authority")
    statement_version = statement.get("version", _MISSING)
    if statement_version is not _MISSING:
        pattern = _VERSION_2_RE if v2 else _VERSION_1_RE
        if not isinstance(statement_version, str) or pattern.fullmatch(statement_version) is None:
            _fail(
                f"{path}.version",
                "must be 1.0.x or 2.0.x" if v2 else 'must start with "1.0." (1.0.x)',
            )
