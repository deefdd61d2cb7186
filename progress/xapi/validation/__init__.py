"""Validation of xAPI Statements as received from clients, for xAPI 1.0.x and 2.0.x.

This module enforces every requirement the specifications put on Statement *content* that an
LRS must reject with ``400 Bad Request``:

* xAPI 1.0.3 Part Two (Data) §2.2 formatting, §2.3.2 voiding, §2.4 statement properties and
  §4 special data types (extensions, language maps, IRIs, UUIDs, timestamps, durations). The
  1.0.3 rules apply to every 1.0.x request: the data model did not change within 1.0.
* xAPI 2.0 (IEEE 9274.1.1), as exercised by the ADL LRS conformance test suite: context agents
  and context groups, time zones required in timestamps, statements of version 2.0.x.

It is hand-written for speed, since it runs on the LRS hot path for every statement: one pass,
frozensets of allowed keys, direct type checks and precompiled regular expressions; no schema
walk. Validation stops at the first violation, raised as :class:`StatementValidationError`
whose ``path`` names the offending property, e.g.
``statement.context.contextActivities.parent[0].id``.

Where the specifications leave a choice to the LRS ("MAY use best-effort validation" for IRIs,
IRLs and language tags, 1.0.3 Data §2.2.s4.b6-b7), the checks follow the grammar of RFC 3987
and RFC 5646 without resolving anything or consulting registries.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any, Final, NoReturn, cast

from lms.api import nul_paths

__all__ = [
    "StatementValidationError",
    "parse_timestamp",
    "validate_agent",
    "validate_duration",
    "validate_iri",
    "validate_language_map",
    "validate_statement",
    "validate_uuid",
]


class StatementValidationError(ValueError):
    """Raised on the first violation.

    ``path`` names the property, e.g. ``statement.context.contextActivities.parent[0].id``;
    ``message`` says what is wrong. ``str(error)`` is ``"{path}: {message}"``.
    """

    def __init__(self, path: str, message: str) -> None:
        super().__init__(f"{path}: {message}")
        self.path = path
        self.message = message

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


def _fail(path: str, message: str) -> NoReturn:
    raise StatementValidationError(path, message)


_MISSING: Final = object()

# ---------------------------------------------------------------------------------------------
# Allowed properties (Data §2.2.s4.b1.b5 and b7: keys are case-sensitive; unknown keys rejected).
# ---------------------------------------------------------------------------------------------

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
_IFI_KEYS: Final = ("mbox", "mbox_sha1sum", "openid", "account")
_AGENT_KEYS: Final = frozenset({"objectType", "name", *_IFI_KEYS})
_GROUP_KEYS: Final = _AGENT_KEYS | {"member"}
_ACCOUNT_KEYS: Final = frozenset({"homePage", "name"})
_VERB_KEYS: Final = frozenset({"id", "display"})
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
_RESULT_KEYS: Final = frozenset(
    {"score", "success", "completion", "response", "duration", "extensions"}
)
_SCORE_KEYS: Final = frozenset({"scaled", "raw", "min", "max"})
_CONTEXT_ACTIVITY_KEYS: Final = frozenset({"parent", "grouping", "category", "other"})
_CONTEXT_AGENT_KEYS: Final = frozenset({"objectType", "agent", "relevantTypes"})
_CONTEXT_GROUP_KEYS: Final = frozenset({"objectType", "group", "relevantTypes"})
_ATTACHMENT_KEYS: Final = frozenset(
    {"usageType", "display", "description", "contentType", "length", "sha2", "fileUrl"}
)
_ATTACHMENT_REQUIRED: Final = ("usageType", "display", "contentType", "length", "sha2")

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

VOIDED_VERB: Final = "http://adlnet.gov/expapi/verbs/voided"
SIGNATURE_USAGE_TYPE: Final = "http://adlnet.gov/expapi/attachments/signature"

# ---------------------------------------------------------------------------------------------
# Formats (Data §4). Every pattern is matched with fullmatch.
# ---------------------------------------------------------------------------------------------

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

# Data §2.4.10 and Communication §3.3: 1.0.x statements; 2.0 also accepts 2.0.x.
_VERSION_1_RE: Final = re.compile(r"1\.0(?:\.\d+)?")
_VERSION_2_RE: Final = re.compile(r"[12]\.0(?:\.\d+)?")

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


# ---------------------------------------------------------------------------------------------
# Scalars
# ---------------------------------------------------------------------------------------------


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


def _number(value: object, path: str) -> float | int | Decimal:
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


# ---------------------------------------------------------------------------------------------
# Agents and groups (Data §2.4.2)
# ---------------------------------------------------------------------------------------------


def _ifi(obj: dict[str, Any], key: str, path: str) -> None:
    """Data §2.4.2.3: the one inverse functional identifier of an Agent or identified Group."""
    value = obj[key]
    where = f"{path}.{key}"
    if key == "mbox":
        if not isinstance(value, str):
            _fail(where, "must be a mailto IRI string")
        if _MBOX_RE.fullmatch(value) is None or not _is_iri(value):
            _fail(where, f"{value!r} is not a mailto IRI (mailto:email address)")
    elif key == "mbox_sha1sum":
        if not isinstance(value, str):
            _fail(where, "must be a string")
        if _SHA1_RE.fullmatch(value) is None:
            _fail(where, "must be the 40 hex digits of a SHA1 hash")
    elif key == "openid":
        if not isinstance(value, str):
            _fail(where, "must be a URI string")
        if not value.isascii() or not _is_iri(value):
            _fail(where, f"{value!r} is not an absolute URI")
    else:
        _account(value, where)


def _account(value: object, path: str) -> None:
    """Data §2.4.2.4: homePage (an IRL) and name, both required."""
    if not isinstance(value, dict):
        _fail(path, "must be an account object")
    if not _ACCOUNT_KEYS.issuperset(value):
        _unknown_key(value, _ACCOUNT_KEYS, path, "an account")
    home = value.get("homePage", _MISSING)
    if home is _MISSING:
        _fail(f"{path}.homePage", "is required")
    validate_iri(home, f"{path}.homePage")
    name = value.get("name", _MISSING)
    if name is _MISSING:
        _fail(f"{path}.name", "is required")
    _string(name, f"{path}.name")


def _count_ifis(obj: dict[str, Any]) -> int:
    return ("mbox" in obj) + ("mbox_sha1sum" in obj) + ("openid" in obj) + ("account" in obj)


def _the_ifi(obj: dict[str, Any]) -> str:
    for key in _IFI_KEYS:
        if key in obj:
            return key
    raise AssertionError("unreachable")  # pragma: no cover


def _agent(obj: dict[str, Any], path: str) -> None:
    """Data §2.4.2.1: an Agent has exactly one inverse functional identifier."""
    if not _AGENT_KEYS.issuperset(obj):
        _unknown_key(obj, _AGENT_KEYS, path, "an Agent")
    name = obj.get("name", _MISSING)
    if name is not _MISSING and not isinstance(name, str):
        _fail(f"{path}.name", "must be a string")
    count = _count_ifis(obj)
    if count != 1:
        _fail(
            path,
            "an Agent must have exactly one of mbox, mbox_sha1sum, openid or account"
            + (f", not {count}" if count else ""),
        )
    _ifi(obj, _the_ifi(obj), path)


def _members(value: object, path: str, *, anonymous: bool) -> list[Any]:
    """Data §2.4.2.2.s4-s5: an array of Agents; never Groups."""
    if not isinstance(value, list):
        _fail(path, "must be an array of Agents")
    if anonymous and not value:
        _fail(path, "an anonymous Group must list its member Agents")
    for index, member in enumerate(value):
        where = f"{path}[{index}]"
        if not isinstance(member, dict):
            _fail(where, "must be an Agent object")
        kind = member.get("objectType", "Agent")
        if kind != "Agent":
            if kind == "Group":
                _fail(f"{where}.objectType", "a Group's members must be Agents, not Groups")
            _fail(f"{where}.objectType", 'must be "Agent"')
        _agent(member, where)
    return value


def _group(obj: dict[str, Any], path: str) -> int:
    """Data §2.4.2.2: anonymous (members, no IFI) or identified (one IFI). Returns the IFIs."""
    if not _GROUP_KEYS.issuperset(obj):
        _unknown_key(obj, _GROUP_KEYS, path, "a Group")
    name = obj.get("name", _MISSING)
    if name is not _MISSING and not isinstance(name, str):
        _fail(f"{path}.name", "must be a string")
    count = _count_ifis(obj)
    member = obj.get("member", _MISSING)
    if count == 0:
        if member is _MISSING:
            _fail(f"{path}.member", "an anonymous Group (one without an IFI) must have members")
        _members(member, f"{path}.member", anonymous=True)
    elif count == 1:
        _ifi(obj, _the_ifi(obj), path)
        if member is not _MISSING:
            _members(member, f"{path}.member", anonymous=False)
    else:
        _fail(
            path,
            f"a Group must have at most one of mbox, mbox_sha1sum, openid or account, not {count}",
        )
    return count


def _actor(value: object, path: str) -> str:
    """An Agent or a Group, whose objectType ("Agent" unless given) says which."""
    if not isinstance(value, dict):
        _fail(path, "must be an Agent or Group object")
    kind = value.get("objectType", "Agent")
    if kind == "Agent":
        _agent(value, path)
        return "Agent"
    if kind == "Group":
        _group(value, path)
        return "Group"
    _fail(f"{path}.objectType", 'must be "Agent" or "Group"')


def validate_agent(agent: object, *, version: str, path: str = "agent") -> None:
    """An Agent or identified Group as used in query parameters and document resources.

    Communication §2.1.3 (``agent`` of GET statements), §2.3, §2.4 and §2.6 (State, Agents,
    Agent Profile resources): the same rules as in a statement, but a Group must be identified.
    """
    _is_v2(version)
    if not isinstance(agent, dict):
        _fail(path, "must be an Agent object")
    kind = agent.get("objectType", "Agent")
    if kind == "Group":
        if _count_ifis(agent) == 0:
            _fail(path, "must be an Agent or an identified Group, not an anonymous Group")
        _group(agent, path)
    elif kind == "Agent":
        _agent(agent, path)
    else:
        _fail(f"{path}.objectType", 'must be "Agent" or "Group"')


def _authority(value: object, path: str) -> None:
    """Data §2.4.9: an Agent, or in 3-legged OAuth an anonymous Group of two Agents, one of them
    the OAuth consumer identified by an account (§2.4.9.s7.b1-b2)."""
    if _actor(value, path) == "Group":
        group = cast("dict[str, Any]", value)
        if _count_ifis(group) != 0:
            _fail(path, "an authority Group must be anonymous (the OAuth consumer and user)")
        members = group["member"]
        if len(members) != 2:
            _fail(f"{path}.member", "an authority Group must have exactly two Agents")
        if "account" not in members[0] and "account" not in members[1]:
            _fail(
                f"{path}.member",
                "one Agent of an authority Group is the OAuth consumer, identified by account",
            )


# ---------------------------------------------------------------------------------------------
# Verb and objects (Data §2.4.3, §2.4.4)
# ---------------------------------------------------------------------------------------------


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


# ---------------------------------------------------------------------------------------------
# Result and context (Data §2.4.5, §2.4.6)
# ---------------------------------------------------------------------------------------------


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


# ---------------------------------------------------------------------------------------------
# Attachments (Data §2.4.11, §2.6)
# ---------------------------------------------------------------------------------------------


def _attachments(value: object, path: str) -> None:
    if not isinstance(value, list):
        _fail(path, "must be an array of Attachment objects")
    for index, attachment in enumerate(value):
        _attachment(attachment, f"{path}[{index}]")


def _attachment(value: object, path: str) -> None:
    """Data §2.4.11.s2: usageType, display, contentType, length and sha2 are required."""
    if not isinstance(value, dict):
        _fail(path, "must be an Attachment object")
    if not _ATTACHMENT_KEYS.issuperset(value):
        _unknown_key(value, _ATTACHMENT_KEYS, path, "an Attachment")
    for key in _ATTACHMENT_REQUIRED:
        if key not in value:
            _fail(f"{path}.{key}", "is required")
    validate_iri(value["usageType"], f"{path}.usageType")
    validate_language_map(value["display"], f"{path}.display")
    description = value.get("description", _MISSING)
    if description is not _MISSING:
        validate_language_map(description, f"{path}.description")
    content_type = value["contentType"]
    if not isinstance(content_type, str) or _MEDIA_TYPE_RE.fullmatch(content_type) is None:
        _fail(f"{path}.contentType", "must be an Internet Media Type string")
    length = value["length"]
    if type(length) is not int:
        _fail(f"{path}.length", "must be an integer")
    if length < 0:
        _fail(f"{path}.length", "must not be negative")
    sha2 = value["sha2"]
    if not isinstance(sha2, str):
        _fail(f"{path}.sha2", "must be a string")
    if _SHA2_RE.fullmatch(sha2) is None:
        _fail(f"{path}.sha2", "must be the hex digits of a SHA-2 hash")
    file_url = value.get("fileUrl", _MISSING)
    if file_url is not _MISSING:
        validate_iri(file_url, f"{path}.fileUrl")
    if (
        value["usageType"] == SIGNATURE_USAGE_TYPE
        and content_type.partition(";")[0].strip().lower() != "application/octet-stream"
    ):
        # Data §2.6.s4.b1: a signature is sent as application/octet-stream.
        _fail(
            f"{path}.contentType",
            'a signature attachment must have contentType "application/octet-stream"',
        )


# ---------------------------------------------------------------------------------------------
# Statements (Data §2.2, §2.3.2, §2.4)
# ---------------------------------------------------------------------------------------------


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


# ---------------------------------------------------------------------------------------------
# Micro-benchmark: python -m progress.xapi.validation [statement.json ...]
# ---------------------------------------------------------------------------------------------


def _benchmark(paths: list[str]) -> None:  # pragma: no cover - a measuring tool
    import json  # noqa: PLC0415
    import pathlib  # noqa: PLC0415
    import timeit  # noqa: PLC0415

    if not paths:
        root = pathlib.Path(__file__).resolve().parents[2] / "tests" / "data" / "cmi5"
        paths = [
            str(
                root
                / "aicc/samples/scenarios/03-completed_or_passed-passed"
                / "04-passed_statement.json"
            )
        ]
    for name in paths:
        statement = json.loads(pathlib.Path(name).read_text(encoding="utf-8"))
        runs = 20_000

        def warm(s: Any = statement) -> None:
            validate_statement(s, version="1.0.3")

        def cold(s: Any = statement) -> None:
            _valid_iris.clear()
            _valid_tags.clear()
            validate_statement(s, version="1.0.3")

        warm_time = min(timeit.repeat(warm, number=runs, repeat=5))
        cold_time = min(timeit.repeat(cold, number=runs, repeat=5))
        print(  # noqa: T201
            f"{name}: {warm_time / runs * 1e6:.2f} µs/statement (caches warm), "
            f"{cold_time / runs * 1e6:.2f} µs/statement (caches cleared each time)"
        )


if __name__ == "__main__":  # pragma: no cover
    import sys

    _benchmark(sys.argv[1:])
