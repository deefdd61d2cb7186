"""Formats and scalar types of statements (Data §4): IRIs, language tags and maps, UUIDs,
durations, timestamps, numbers, extensions; and the rule set of each xAPI version.

Every pattern is matched with fullmatch. Values found valid are cached: ids, verbs, activity
types and language tags repeat a lot."""

from __future__ import annotations

import datetime as dt
import math
import re
from decimal import Decimal
from typing import Any, Final, NoReturn

from lms.api import nul_paths
from progress.xapi.validation.errors import _fail

# Data §4.4: the standard string form of a UUID, any variant and version, either case.
_UUID_RE: Final = re.compile(
    r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
)

# RFC 3987 §2.2 (IRI), best effort as Data §2.2.s4.b6 allows: a scheme, then only the characters
# each component may hold (ucschar minus the bidirectional formatting characters of §4.1), at
# most one "#", brackets only around an IP literal host, "%" only as a percent-encoding.
_UCS: Final = (
    "\u00a0-\u200d\u2010-\u2029\u202f-\ud7ff\uf900-\ufdcf\ufdf0-\uffef\U00010000-\U0010fffd"
)
_IUNRESERVED: Final = "A-Za-z0-9\\-._~" + _UCS
_SUB_DELIMS: Final = "!$&'()*+,;="
_PCHAR: Final = f"{_IUNRESERVED}{_SUB_DELIMS}:@%"
_IRI_RE: Final = re.compile(
    "[A-Za-z][A-Za-z0-9+\\-.]*:"
    "(?:"
    f"//(?:[{_IUNRESERVED}{_SUB_DELIMS}:%]*@)?"  # userinfo
    f"(?:\\[[0-9A-Za-z:.\\-_~{_SUB_DELIMS}]+\\]|[{_IUNRESERVED}{_SUB_DELIMS}%]*)"  # host
    "(?::[0-9]*)?(?=[/?#]|\\Z)"  # port
    f"[{_PCHAR}/]*"  # path-abempty
    f"|(?!//)[{_PCHAR}/]*"  # path-absolute, path-rootless or path-empty
    ")"
    f"(?:\\?[{_PCHAR}/?\ue000-\uf8ff]*)?"  # query (may hold iprivate)
    f"(?:#[{_PCHAR}/?]*)?"  # fragment
)
_BAD_PERCENT_RE: Final = re.compile(r"%(?![0-9A-Fa-f]{2})")

# Data §2.4.2.3: "mailto:email address"; the address needs a local part and a domain.
_MBOX_RE: Final = re.compile(r"mailto:[^@\s?#]+@[^@\s?#/]+")
_SHA1_RE: Final = re.compile(r"[0-9a-fA-F]{40}")
# Data §2.4.11: the SHA-2 hash of the data (SHA-224/256/384/512, hex encoded).
_SHA2_RE: Final = re.compile(
    r"[0-9a-fA-F]{56}(?:[0-9a-fA-F]{8}(?:[0-9a-fA-F]{32}(?:[0-9a-fA-F]{32})?)?)?"
)
# Data §2.4.11: an Internet Media Type (RFC 2046): type "/" subtype, then parameters.
_MEDIA_TYPE_RE: Final = re.compile(
    r"[A-Za-z0-9!#$&^_.+\-]+/[A-Za-z0-9!#$&^_.+\-]+(?:\s*;.*)?", re.S
)

# RFC 5646 §2.1 (Language-Tag), case-insensitive; Data §2.2.s4.b2 requires at least this.
_LANGTAG_RE: Final = re.compile(
    r"(?:"
    r"(?:[a-z]{2,3}(?:-[a-z]{3}){0,3}|[a-z]{4}|[a-z]{5,8})"  # language ["-" extlang]
    r"(?:-[a-z]{4})?"  # script
    r"(?:-(?:[a-z]{2}|[0-9]{3}))?"  # region
    r"(?P<variants>(?:-(?:[a-z0-9]{5,8}|[0-9][a-z0-9]{3}))*)"
    r"(?P<extensions>(?:-[0-9a-wyz](?:-[a-z0-9]{2,8})+)*)"
    r"(?:-x(?:-[a-z0-9]{1,8})+)?"  # privateuse
    r"|x(?:-[a-z0-9]{1,8})+"  # privateuse on its own
    r"|en-gb-oed|i-(?:ami|bnn|default|enochian|hak|klingon|lux|mingo|navajo|pwn|tao|tay|tsu)"
    r"|sgn-(?:be-fr|be-nl|ch-de)"  # the irregular grandfathered tags
    r")",
    re.IGNORECASE,
)

# ISO 8601 combined date and time (Data §4.5), extended or basic format throughout; calendar,
# ordinal or week dates; time of reduced accuracy; fraction on the seconds; optional offset.
_TS_COMMON_RE: Final = re.compile(
    r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,6})?(?:Z|[+-](?:[01]\d|2[0-3]):[0-5]\d)"
)
_TS_EXTENDED_RE: Final = re.compile(
    r"(\d{4})-(?:(\d{2})-(\d{2})|(\d{3})|W(\d{2})-([1-7]))[Tt]"
    r"(\d{2})(?::(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?"
    r"(?:([Zz])|([+-])(\d{2})(?::?(\d{2}))?)?"
)
_TS_BASIC_RE: Final = re.compile(
    r"(\d{4})(?:(\d{2})(\d{2})|(\d{3})|W(\d{2})([1-7]))[Tt]"
    r"(\d{2})(?:(\d{2})(?:(\d{2})(?:[.,](\d+))?)?)?"
    r"(?:([Zz])|([+-])(\d{2})(?::?(\d{2}))?)?"
)

# ISO 8601:2004 §4.4.3.2 durations (Data §4.6): PnYnMnDTnHnMnS or PnW, no alternative format.
_DURATION_RE: Final = re.compile(
    r"P(?:\d+(?:[.,]\d+)?W"
    r"|(?=\d|T\d)(?:\d+(?:[.,]\d+)?Y)?(?:\d+(?:[.,]\d+)?M)?(?:\d+(?:[.,]\d+)?D)?"
    r"(?:T(?=\d)(?:\d+(?:[.,]\d+)?H)?(?:\d+(?:[.,]\d+)?M)?(?:\d+(?:[.,]\d+)?S)?)?)"
)
# Only the lowest-order component present may carry a decimal fraction.
_DURATION_FRACTION_RE: Final = re.compile(r"[^.,]*[.,]\d+[YMWDHS]")

# Caches of values known to be valid: ids, verbs, activity types and language tags repeat a lot.
_CACHE_LIMIT: Final = 20_000
_valid_iris: set[str] = set()
_valid_tags: set[str] = set()
_rules_by_version: dict[str, bool] = {}


def _is_v2(version: str) -> bool:
    """True for the xAPI 2.0 rule set, False for 1.0; by the version's major.minor."""
    known = _rules_by_version.get(version)
    if known is not None:
        return known
    if not isinstance(version, str) or version[3:4] not in ("", "."):
        raise ValueError(f"Unsupported xAPI version {version!r}")
    if version[:3] == "1.0":
        v2 = False
    elif version[:3] == "2.0":
        v2 = True
    else:
        raise ValueError(f"Unsupported xAPI version {version!r}")
    if len(_rules_by_version) < 64:
        _rules_by_version[version] = v2
    return v2


def _is_iri(value: str) -> bool:
    if value in _valid_iris:
        return True
    if _IRI_RE.fullmatch(value) is None or ("%" in value and _BAD_PERCENT_RE.search(value)):
        return False
    if len(_valid_iris) >= _CACHE_LIMIT:
        _valid_iris.clear()
    _valid_iris.add(value)
    return True


def validate_iri(value: object, path: str) -> None:
    """An absolute IRI (or IRL): RFC 3987 syntax with a scheme (Data §2.2.s4.b1.b8, §4.3)."""
    if not isinstance(value, str):
        _fail(path, "must be an IRI string")
    if not _is_iri(value):
        _fail(path, f"{value!r} is not an absolute IRI with a scheme")


def _is_language_tag(tag: str) -> bool:
    if tag in _valid_tags:
        return True
    match = _LANGTAG_RE.fullmatch(tag)
    if match is None:
        return False
    variants, extensions = match.group("variants", "extensions")
    if variants:
        # RFC 5646 §2.2.9: a valid tag repeats no variant.
        seen = variants.lower().split("-")[1:]
        if len(set(seen)) != len(seen):
            return False
    if extensions:
        # RFC 5646 §2.2.6: each singleton appears at most once.
        singletons = [part for part in extensions.lower().split("-") if len(part) == 1]
        if len(set(singletons)) != len(singletons):
            return False
    if len(_valid_tags) >= _CACHE_LIMIT:
        _valid_tags.clear()
    _valid_tags.add(tag)
    return True


def _language_tag(value: object, path: str) -> None:
    if not isinstance(value, str):
        _fail(path, "must be an RFC 5646 language tag string")
    if not _is_language_tag(value):
        _fail(path, f"{value!r} is not an RFC 5646 language tag")


def validate_language_map(value: object, path: str) -> None:
    """Data §4.2: keys are RFC 5646 language tags, values are strings."""
    if not isinstance(value, dict):
        _fail(path, "must be a language map (an object of language tag to string)")
    for tag, text in value.items():
        if not isinstance(tag, str) or not _is_language_tag(tag):
            _fail(f"{path}[{tag!r}]", f"{tag!r} is not an RFC 5646 language tag")
        if not isinstance(text, str):
            _fail(f"{path}[{tag!r}]", "must be a string")


def validate_uuid(value: object, path: str) -> None:
    """Data §4.4: a UUID in its standard string form (8-4-4-4-12 hex digits)."""
    if not isinstance(value, str):
        _fail(path, "must be a UUID string")
    if _UUID_RE.fullmatch(value) is None:
        _fail(path, f"{value!r} is not a UUID in standard string form")


_DURATION_PARTS: Final = re.compile(r"(\d+(?:[.,]\d+)?)([YMWDHS])")
# Years and months have no fixed length; for time spent, a year is 365 days, a month 30.
_DURATION_SECONDS: Final = {"Y": 31_536_000, "W": 604_800, "D": 86_400, "H": 3_600, "S": 1}


def duration_seconds(value: str) -> float:
    """Seconds in a valid ISO 8601 duration (validate it first); M before T is months."""
    date_part, _, time_part = value[1:].partition("T")
    total = 0.0
    for part, is_time in ((date_part, False), (time_part, True)):
        for number, unit in _DURATION_PARTS.findall(part):
            amount = float(number.replace(",", "."))
            if unit == "M":
                total += amount * (60 if is_time else 2_592_000)
            else:
                total += amount * _DURATION_SECONDS[unit]
    return total


def validate_duration(value: object, path: str) -> None:
    """Data §4.6: an ISO 8601:2004 §4.4.3.2 duration (PnYnMnDTnHnMnS or PnW)."""
    if not isinstance(value, str):
        _fail(path, "must be an ISO 8601 duration string")
    if _DURATION_RE.fullmatch(value) is None or (
        ("." in value or "," in value) and _DURATION_FRACTION_RE.fullmatch(value) is None
    ):
        _fail(path, f"{value!r} is not an ISO 8601 duration (PnYnMnDTnHnMnS or PnW)")


_UTC: Final = dt.UTC
_offsets: dict[tuple[str, str, str | None], dt.tzinfo] = {}


def _offset(sign: str, hours: str, minutes: str | None, path: str, value: str) -> dt.tzinfo:
    key = (sign, hours, minutes)
    tz = _offsets.get(key)
    if tz is not None:
        return tz
    h, m = int(hours), int(minutes or 0)
    if h > 23 or m > 59:
        _fail(path, f"{value!r} has an invalid time zone offset")
    if h == 0 and m == 0:
        if sign == "-":
            # RFC 3339 §4.3 "unknown local offset"; not an ISO 8601 offset.
            _fail(path, f"{value!r} has the offset -00:00, which ISO 8601 does not allow")
        tz = _UTC
    else:
        delta = dt.timedelta(hours=h, minutes=m)
        tz = dt.timezone(-delta if sign == "-" else delta)
    if len(_offsets) < 512:
        _offsets[key] = tz
    return tz


def _date(parts: tuple[Any, ...]) -> dt.date:
    """A calendar, ordinal or week date from (year, month, day, ordinal, week, weekday).

    Raises ValueError when there is no such day.
    """
    year, month, day, ordinal, week, weekday = parts
    if month is not None:
        return dt.date(int(year), int(month), int(day))
    if ordinal is not None:
        days = int(ordinal)
        date = dt.date(int(year), 1, 1) + dt.timedelta(days=days - 1)
        if days < 1 or date.year != int(year):
            raise ValueError("day of year out of range")
        return date
    return dt.date.fromisocalendar(int(year), int(week), int(weekday))


def parse_timestamp(value: str, path: str, *, require_timezone: bool = False) -> dt.datetime:
    """Parse an ISO 8601 combined date and time (Data §4.5) into an aware datetime.

    A timestamp without a time zone is read as UTC, unless ``require_timezone`` (xAPI 2.0),
    when it is rejected. The offset -00:00 (RFC 3339's "unknown local offset") is rejected.
    A leap second is read as the last microsecond of its minute; 24:00 as the next midnight.
    """
    if not isinstance(value, str):
        _fail(path, "must be an ISO 8601 timestamp string")
    if _TS_COMMON_RE.fullmatch(value) is not None and not value.endswith("-00:00"):
        # The usual shape (RFC 3339, extended format, with an offset); parsed in C.
        try:
            return dt.datetime.fromisoformat(value)
        except ValueError:
            pass  # 24:00, leap seconds and invalid dates: the general path decides.
    match = _TS_EXTENDED_RE.fullmatch(value) or _TS_BASIC_RE.fullmatch(value)
    if match is None:
        _fail(path, f"{value!r} is not an ISO 8601 date and time")
    groups = match.groups()
    hour, minute, second, fraction, zulu, sign, tz_hours, tz_minutes = groups[6:]
    if zulu is None and sign is None and require_timezone:
        _fail(path, f"{value!r} has no time zone, which xAPI 2.0 requires")
    tz = _UTC if sign is None else _offset(sign, tz_hours, tz_minutes, path, value)
    h, m, s = int(hour), int(minute or 0), int(second or 0)
    micro = int((fraction + "00000")[:6]) if fraction is not None else 0
    next_day = h == 24 and m == 0 and s == 0 and not micro
    if s == 60:
        s, micro = 59, 999_999
    try:
        date = _date(groups[:6])
        parsed = dt.datetime(
            date.year, date.month, date.day, 0 if next_day else h, m, s, micro, tzinfo=tz
        )
        return parsed + dt.timedelta(days=1) if next_day else parsed
    except (ValueError, OverflowError):
        _fail(path, f"{value!r} is not a valid date and time")


def _timestamp(value: object, path: str, v2: bool) -> None:
    if not isinstance(value, str):
        _fail(path, "must be an ISO 8601 timestamp string")
    parse_timestamp(value, path, require_timezone=v2)


def _string(value: object, path: str) -> None:
    if not isinstance(value, str):
        _fail(path, "must be a string")


def _number(value: object, path: str) -> float | int | Decimal:  # noqa: RET503 - _fail never returns
    """Data §2.2.s4.b1.b2: a JSON number; booleans, strings and NaN/Infinity are not."""
    kind = type(value)
    if kind is int:
        return value  # type: ignore[return-value]
    if kind is float:
        if not math.isfinite(value):  # type: ignore[arg-type]
            _fail(path, "must be a finite number")
        return value  # type: ignore[return-value]
    if kind is Decimal:
        if not value.is_finite():  # type: ignore[attr-defined]
            _fail(path, "must be a finite number")
        return value  # type: ignore[return-value]
    _fail(path, "must be a number")


def _unknown_key(obj: dict[Any, Any], allowed: frozenset[str], path: str, what: str) -> NoReturn:
    for key in obj:
        if key not in allowed:
            _fail(f"{path}.{key}", f"is not a property of {what}")
    raise AssertionError("unreachable")  # pragma: no cover


# How deep an extension's value may nest: far more than any real profile uses, far less than the
# JSON libraries' own limits (orjson serialises 254 levels at most).
MAX_EXTENSION_DEPTH = 64


def _extensions(value: object, path: str) -> None:
    """Data §4.1: an object whose keys are IRIs; any values, null included (nested up to
    MAX_EXTENSION_DEPTH levels)."""
    if not isinstance(value, dict):
        _fail(path, "must be an extensions object")
    for key, item in value.items():
        if not isinstance(key, str) or not _is_iri(key):
            _fail(f"{path}[{key!r}]", "an extension key must be an absolute IRI")
        if isinstance(item, dict | list) and _depth(item) > MAX_EXTENSION_DEPTH:
            _fail(f"{path}[{key!r}]", f"nests deeper than {MAX_EXTENSION_DEPTH} levels")


def _depth(value: object) -> int:
    """How many objects and arrays deep ``value`` nests (without recursion)."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, dict | list):
            deepest = max(deepest, level)
            if level > MAX_EXTENSION_DEPTH:
                return level
            children = item.values() if isinstance(item, dict) else item
            stack.extend((child, level + 1) for child in children)
    return deepest


def find_nul(value: object, path: str) -> str | None:
    """The path of the first string (or key) with a NUL character in ``value``, if any."""
    return next(nul_paths(value, path), None)
