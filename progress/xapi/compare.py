"""Statement comparison (xAPI 1.0.3 Data §2.3.1, "Statement Comparison Requirements").

Differences that the immutability exceptions allow are ignored: activity definitions and verb
displays, the serialisation of timestamps, the order of group members, the case of e-mail domains,
and what the LRS adds (stored, authority, version, and timestamp when the client sent none).
"""

from datetime import datetime
from typing import Any

from progress.xapi.keys import agent_ifi

_IGNORED_TOP = frozenset({"stored", "authority", "version", "timestamp"})


def _agent(agent: dict[str, Any]) -> dict[str, Any]:
    shaped = {k: v for k, v in agent.items() if k not in ("mbox", "member")}
    if "mbox" in agent:
        shaped["mbox"] = agent_ifi(agent)
    if members := agent.get("member"):
        shaped["member"] = sorted((_agent(m) for m in members), key=repr)
    return shaped


def _object(obj: dict[str, Any]) -> dict[str, Any]:
    object_type = obj.get("objectType", "Activity")
    if object_type == "Activity":
        return {"objectType": "Activity", "id": obj["id"]}
    if object_type in ("Agent", "Group"):
        return _agent(obj)
    if object_type == "SubStatement":
        return _shape(obj)
    return dict(obj)


def _context(context: dict[str, Any]) -> dict[str, Any]:
    shaped = dict(context)
    if "contextActivities" in context:
        shaped["contextActivities"] = {
            key: sorted(a["id"] for a in (value if isinstance(value, list) else [value]))
            for key, value in context["contextActivities"].items()
        }
    for key in ("instructor", "team"):
        if key in context:
            shaped[key] = _agent(context[key])
    if "registration" in context:
        shaped["registration"] = context["registration"].lower()
    return shaped


def _shape(statement: dict[str, Any]) -> dict[str, Any]:
    shaped: dict[str, Any] = {
        k: v for k, v in statement.items() if k not in _IGNORED_TOP and k != "id"
    }
    shaped["actor"] = _agent(statement["actor"])
    shaped["verb"] = {"id": statement["verb"]["id"]}
    shaped["object"] = _object(statement["object"])
    if "context" in statement:
        shaped["context"] = _context(statement["context"])
    return shaped


def _instant(value: str | None) -> datetime | None:
    if value is None:
        return None
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def same_statement(received: dict[str, Any], stored: dict[str, Any]) -> bool:
    if _shape(received) != _shape(stored):
        return False
    sent = received.get("timestamp")
    return sent is None or _instant(sent) == _instant(stored.get("timestamp"))
