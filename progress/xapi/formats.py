"""The ``format`` parameter of GET statements (Communication §2.1.3): ids, exact, canonical."""

from collections.abc import Callable
from typing import Any

from progress.xapi.keys import agent_ifi

IFI_PROPERTIES = ("mbox", "mbox_sha1sum", "openid", "account")


def _agent_ids(agent: dict[str, Any]) -> dict[str, Any]:
    shaped: dict[str, Any] = {"objectType": agent.get("objectType", "Agent")}
    for name in IFI_PROPERTIES:
        if name in agent:
            shaped[name] = agent[name]
    if agent.get("objectType") == "Group" and agent_ifi(agent) is None:
        # An anonymous group is identified by its members.
        shaped["member"] = [_agent_ids(m) for m in agent.get("member", ())]
    return shaped


def _walk(
    statement: dict[str, Any],
    on_activity: Callable[[dict[str, Any]], dict[str, Any]],
    on_agent: Callable[[dict[str, Any]], dict[str, Any]],
    on_verb: Callable[[dict[str, Any]], dict[str, Any]],
) -> dict[str, Any]:
    shaped = dict(statement)
    shaped["actor"] = on_agent(statement["actor"])
    shaped["verb"] = on_verb(statement["verb"])
    obj = statement["object"]
    object_type = obj.get("objectType", "Activity")
    if object_type == "Activity":
        shaped["object"] = on_activity(obj)
    elif object_type in ("Agent", "Group"):
        shaped["object"] = on_agent(obj)
    elif object_type == "SubStatement":
        shaped["object"] = _walk(obj, on_activity, on_agent, on_verb)
    if "authority" in statement:
        shaped["authority"] = on_agent(statement["authority"])
    if context := statement.get("context"):
        context = dict(context)
        for key in ("instructor", "team"):
            if key in context:
                context[key] = on_agent(context[key])
        if activities := context.get("contextActivities"):
            context["contextActivities"] = {
                key: [on_activity(a) for a in value]
                if isinstance(value, list)
                else on_activity(value)
                for key, value in activities.items()
            }
        shaped["context"] = context
    return shaped


def ids_format(statement: dict[str, Any]) -> dict[str, Any]:
    return _walk(
        statement,
        # Communication §2.1.3 ("ids": only identifiers); an Activity's objectType is optional
        # (Data §2.4.4.1), and the suite (XAPI-00171) expects the id alone.
        on_activity=lambda a: {"id": a["id"]},
        on_agent=_agent_ids,
        on_verb=lambda v: {"id": v["id"]},
    )


def filter_language_map(language_map: dict[str, str], accepted: list[str]) -> dict[str, str]:
    """Communication §2.1.3.s4: one language per map, chosen by Accept-Language."""
    if not language_map:
        return language_map
    lowered = {tag.lower(): tag for tag in language_map}
    for tag_wanted in accepted:
        wanted = tag_wanted.lower()
        if wanted == "*":
            break
        if wanted in lowered:
            tag = lowered[wanted]
            return {tag: language_map[tag]}
        for key, tag in lowered.items():
            if key.split("-")[0] == wanted.split("-")[0]:
                return {tag: language_map[tag]}
    first = next(iter(language_map))
    return {first: language_map[first]}


def parse_accept_language(header: str | None) -> list[str]:
    if not header:
        return []
    ranked = []
    for position, item in enumerate(header.split(",")):
        tag, _, params = item.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        if tag and quality > 0:
            ranked.append((-quality, position, tag.strip()))
    return [tag for _, _, tag in sorted(ranked)]


_LANGUAGE_MAP_KEYS = ("name", "description")
_COMPONENT_LISTS = ("choices", "scale", "source", "target", "steps")


def canonical_definition(definition: dict[str, Any], accepted: list[str]) -> dict[str, Any]:
    shaped = dict(definition)
    for key in _LANGUAGE_MAP_KEYS:
        if isinstance(shaped.get(key), dict):
            shaped[key] = filter_language_map(shaped[key], accepted)
    for key in _COMPONENT_LISTS:
        if isinstance(shaped.get(key), list):
            shaped[key] = [
                {**c, "description": filter_language_map(c["description"], accepted)}
                if isinstance(c.get("description"), dict)
                else c
                for c in shaped[key]
            ]
    return shaped


def canonical_format(
    statement: dict[str, Any], definitions: dict[str, dict[str, Any]], accepted: list[str]
) -> dict[str, Any]:
    def activity(a: dict[str, Any]) -> dict[str, Any]:
        definition = definitions.get(a["id"], a.get("definition"))
        shaped = {"objectType": "Activity", "id": a["id"]}
        if definition:
            shaped["definition"] = canonical_definition(definition, accepted)
        return shaped

    def verb(v: dict[str, Any]) -> dict[str, Any]:
        if isinstance(v.get("display"), dict):
            return {**v, "display": filter_language_map(v["display"], accepted)}
        return v

    return _walk(statement, on_activity=activity, on_agent=lambda a: a, on_verb=verb)


def activity_ids(statement: dict[str, Any]) -> set[str]:
    found: set[str] = set()
    _walk(
        statement,
        on_activity=lambda a: found.add(a["id"]) or a,  # type: ignore[func-returns-value]
        on_agent=lambda a: a,
        on_verb=lambda v: v,
    )
    return found
