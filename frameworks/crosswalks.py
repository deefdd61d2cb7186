"""Crosswalks between frameworks and versions (decision 0008, "Across frameworks"): where evidence
for a competence counts in full, where in part, and how levels map between scales."""

from __future__ import annotations

import math
import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Q

from frameworks.models import Association, AssociationType

# Evidence counts in full across exactMatchOf and replacedBy (a new version of a framework
# keeps the old version's alignments), in part across isRelatedTo (shown apart, no level).
FULL_LINKS = (AssociationType.EXACT_MATCH_OF, AssociationType.REPLACED_BY)
PARTIAL_LINKS = (AssociationType.IS_RELATED_TO,)
# How far a chain of crosswalks and versions is followed: one query per hop.
MAX_HOPS = 3


@dataclass
class Crosswalk:
    """What evidence for a competence counts for elsewhere: ``full[x]`` maps identifiers to the
    association type that led there; ``partial[x]`` the identifiers related to it."""

    full: dict[uuid.UUID, dict[uuid.UUID, str]] = field(default_factory=dict)
    partial: dict[uuid.UUID, set[uuid.UUID]] = field(default_factory=dict)

    def reach(self, identifier: uuid.UUID) -> set[uuid.UUID]:
        return {identifier, *self.full.get(identifier, {})}


def crosswalk(identifiers: Iterable[uuid.UUID]) -> Crosswalk:
    """Follow exactMatchOf and replacedBy (both ways, up to MAX_HOPS) and isRelatedTo (one step)
    from ``identifiers``: at most MAX_HOPS queries."""
    starts = set(identifiers)
    links: dict[uuid.UUID, dict[uuid.UUID, str]] = defaultdict(dict)
    related: dict[uuid.UUID, set[uuid.UUID]] = defaultdict(set)
    seen = set(starts)
    frontier = set(starts)
    for _ in range(MAX_HOPS):
        if not frontier:
            break
        rows = Association.objects.filter(
            Q(origin_identifier__in=frontier) | Q(destination_identifier__in=frontier),
            association_type__in=[*FULL_LINKS, *PARTIAL_LINKS],
        ).values_list("origin_identifier", "destination_identifier", "association_type")
        frontier = set()
        for origin, destination, kind in rows:
            if kind in PARTIAL_LINKS:
                related[origin].add(destination)
                related[destination].add(origin)
                continue
            links[origin].setdefault(destination, kind)
            links[destination].setdefault(origin, kind)
            frontier |= {origin, destination} - seen
            seen |= {origin, destination}
    result = Crosswalk()
    for start in starts:
        reached: dict[uuid.UUID, str] = {}
        stack = [start]
        while stack:
            node = stack.pop()
            for neighbour, kind in links.get(node, {}).items():
                if neighbour != start and neighbour not in reached:
                    # The kind of the first link from the start names the way it came.
                    reached[neighbour] = reached.get(node, kind)
                    stack.append(neighbour)
        result.full[start] = reached
        near = set().union(*(related.get(n, set()) for n in {start, *reached}))
        result.partial[start] = near - reached.keys() - {start}
    return result


def map_level(rank: int, source_levels: int, target_levels: int) -> int:
    """A rank on one scale, on another: proportionally, rounded up (level 2 of 4 is level 1 of
    2; equal scales map rank to rank)."""
    if not source_levels or not target_levels or source_levels == target_levels:
        return max(1, min(rank, target_levels)) if target_levels else rank
    return max(1, math.ceil(rank * target_levels / source_levels))
