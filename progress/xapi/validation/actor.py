"""Agents and groups (Data §2.4.2): the actor, members, and the authority (§2.4.9)."""

from __future__ import annotations

from typing import Any, Final, cast

from progress.xapi.validation.errors import _MISSING, _fail
from progress.xapi.validation.scalars import (
    _MBOX_RE,
    _SHA1_RE,
    _is_iri,
    _is_v2,
    _string,
    _unknown_key,
    validate_iri,
)

_IFI_KEYS: Final = ("mbox", "mbox_sha1sum", "openid", "account")
_AGENT_KEYS: Final = frozenset({"objectType", "name", *_IFI_KEYS})
_GROUP_KEYS: Final = _AGENT_KEYS | {"member"}
_ACCOUNT_KEYS: Final = frozenset({"homePage", "name"})


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


def _actor(value: object, path: str) -> str:  # noqa: RET503 - _fail never returns
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
