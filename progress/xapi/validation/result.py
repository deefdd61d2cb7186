"""The result (Data §2.4.5) and its score."""

from __future__ import annotations

from typing import Final

from progress.xapi.validation.errors import _MISSING, _fail
from progress.xapi.validation.scalars import (
    _extensions,
    _number,
    _string,
    _unknown_key,
    validate_duration,
)

_RESULT_KEYS: Final = frozenset(
    {"score", "success", "completion", "response", "duration", "extensions"}
)
_SCORE_KEYS: Final = frozenset({"scaled", "raw", "min", "max"})


def _score(value: object, path: str) -> None:
    """Data §2.4.5.1: scaled in [-1, 1]; min < max; raw within [min, max]."""
    if not isinstance(value, dict):
        _fail(path, "must be a Score object")
    if not _SCORE_KEYS.issuperset(value):
        _unknown_key(value, _SCORE_KEYS, path, "a Score")
    scaled = value.get("scaled", _MISSING)
    if scaled is not _MISSING and not -1 <= _number(scaled, f"{path}.scaled") <= 1:
        _fail(f"{path}.scaled", "must be between -1 and 1 inclusive")
    low = value.get("min", _MISSING)
    if low is not _MISSING:
        low = _number(low, f"{path}.min")
    high = value.get("max", _MISSING)
    if high is not _MISSING:
        high = _number(high, f"{path}.max")
        if low is not _MISSING and not low < high:
            _fail(f"{path}.min", "must be less than max")
    raw = value.get("raw", _MISSING)
    if raw is not _MISSING:
        raw = _number(raw, f"{path}.raw")
        if low is not _MISSING and raw < low:
            _fail(f"{path}.raw", "must not be less than min")
        if high is not _MISSING and raw > high:
            _fail(f"{path}.raw", "must not be greater than max")


def _result(value: object, path: str) -> None:
    if not isinstance(value, dict):
        _fail(path, "must be a Result object")
    if not _RESULT_KEYS.issuperset(value):
        _unknown_key(value, _RESULT_KEYS, path, "a Result")
    for key in ("success", "completion"):
        flag = value.get(key, _MISSING)
        if flag is not _MISSING and type(flag) is not bool:
            _fail(f"{path}.{key}", "must be a boolean")
    response = value.get("response", _MISSING)
    if response is not _MISSING:
        _string(response, f"{path}.response")
    duration = value.get("duration", _MISSING)
    if duration is not _MISSING:
        validate_duration(duration, f"{path}.duration")
    score = value.get("score", _MISSING)
    if score is not _MISSING:
        _score(score, f"{path}.score")
    extensions = value.get("extensions", _MISSING)
    if extensions is not _MISSING:
        _extensions(extensions, f"{path}.extensions")
