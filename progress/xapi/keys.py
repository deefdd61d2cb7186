"""Filter keys of a statement: what GET statements can select it by (Communication §2.1.3).

Each key is a 128-bit BLAKE2b digest of a kind and a value, stored as a UUID in
``StatementIndex``. Agents are identified by their inverse functional identifier (IFI),
normalised so that equal IFIs give equal keys (Data §2.4.2.3; e-mail domains are case-insensitive).
"""

from collections.abc import Iterator
from functools import lru_cache
from hashlib import blake2b
from typing import Any
from uuid import UUID

AGENT = "agent"  # Actor or Object, and members of a Group there
RELATED_AGENT = "agent+"  # the above, Authority, Instructor, Team, context agents, SubStatement
ACTIVITY = "activity"  # the Object, when an Activity
RELATED_ACTIVITY = "activity+"  # the above, context activities, SubStatement activities
VERB = "verb"
REGISTRATION = "registration"


@lru_cache(maxsize=8192)
def digest(kind: str, value: str) -> str:
    """The key as 32 hex digits (a UUID without dashes). Verbs, activities and authorities
    repeat across statements, so the digests are cached."""
    return blake2b(f"{kind}\x1f{value}".encode(), digest_size=16).hexdigest()


def registration_key(registration: Any) -> UUID:
    """The filter key of statements of one registration (``StatementIndex.key``)."""
    return UUID(digest(REGISTRATION, str(registration).lower()))


def agent_ifi(agent: dict[str, Any]) -> str | None:
    """The normalised IFI of an Agent or identified Group; None for an anonymous Group."""
    if mbox := agent.get("mbox"):
        local, _, domain = mbox.partition("@")
        return f"mbox:{local}@{domain.lower()}"
    if sha1 := agent.get("mbox_sha1sum"):
        return f"mbox_sha1sum:{sha1.lower()}"
    if openid := agent.get("openid"):
        return f"openid:{openid}"
    if account := agent.get("account"):
        return f"account:{account.get('homePage')}\x1f{account.get('name')}"
    return None


def _agent_ifis(agent: Any) -> Iterator[str]:
    """The IFI of an Agent or Group and of each of its members (Communication §2.1.3, agent)."""
    if not isinstance(agent, dict):
        return
    if ifi := agent_ifi(agent):
        yield ifi
    for member in agent.get("member") or ():
        if isinstance(member, dict) and (ifi := agent_ifi(member)):
            yield ifi


def _is_agent(obj: dict[str, Any]) -> bool:
    return obj.get("objectType") in ("Agent", "Group")


def _context_activity_ids(context: dict[str, Any]) -> Iterator[str]:
    for value in (context.get("contextActivities") or {}).values():
        for activity in value if isinstance(value, list) else (value,):
            yield activity["id"]


def _context_agents(context: dict[str, Any]) -> Iterator[str]:
    yield from _agent_ifis(context.get("instructor"))
    yield from _agent_ifis(context.get("team"))
    # xAPI 2.0 (IEEE 9274.1.1) contextAgents / contextGroups.
    for entry in context.get("contextAgents") or ():
        yield from _agent_ifis(entry.get("agent"))
    for entry in context.get("contextGroups") or ():
        yield from _agent_ifis(entry.get("group"))


def _sub_statement_keys(sub: dict[str, Any]) -> tuple[set[str], set[str]]:
    agents = set(_agent_ifis(sub["actor"]))
    activities: set[str] = set()
    obj = sub["object"]
    if _is_agent(obj):
        agents.update(_agent_ifis(obj))
    elif obj.get("objectType", "Activity") == "Activity":
        activities.add(obj["id"])
    if context := sub.get("context"):
        agents.update(_context_agents(context))
        activities.update(_context_activity_ids(context))
    return agents, activities


def statement_keys(statement: dict[str, Any]) -> set[str]:
    """Every filter key of a validated, stored statement (including its authority)."""
    direct_agents = set(_agent_ifis(statement["actor"]))
    direct_activities: set[str] = set()
    related_agents: set[str] = set(_agent_ifis(statement.get("authority")))
    related_activities: set[str] = set()

    obj = statement["object"]
    object_type = obj.get("objectType", "Activity")
    if object_type == "Activity":
        direct_activities.add(obj["id"])
    elif object_type in ("Agent", "Group"):
        direct_agents.update(_agent_ifis(obj))
    elif object_type == "SubStatement":
        agents, activities = _sub_statement_keys(obj)
        related_agents.update(agents)
        related_activities.update(activities)

    keys = {digest(VERB, statement["verb"]["id"])}
    context = statement.get("context")
    if context:
        related_agents.update(_context_agents(context))
        related_activities.update(_context_activity_ids(context))
        if registration := context.get("registration"):
            keys.add(digest(REGISTRATION, registration.lower()))

    keys.update(digest(AGENT, ifi) for ifi in direct_agents)
    keys.update(digest(RELATED_AGENT, ifi) for ifi in direct_agents | related_agents)
    keys.update(digest(ACTIVITY, iri) for iri in direct_activities)
    keys.update(digest(RELATED_ACTIVITY, iri) for iri in direct_activities | related_activities)
    return keys
