"""Reads of the frameworks app: learners' competence profiles (evidence carried across
frameworks by crosswalks), gap analysis against a role profile, the team matrix, the tree.

Every function here runs a fixed number of queries whatever the number of learners, records,
alignments or competences (the tests pin the counts): rows are fetched once per table and joined
in Python.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.db.models import Q

from courses.models import Course, CourseStatus, JourneyStep, LearningJourney
from frameworks.crosswalks import Crosswalk, crosswalk, map_level
from frameworks.evidence import ALIGNMENT_FIELDS, proven_alignments
from frameworks.models import (
    Alignment,
    AssociationType,
    Competence,
    Framework,
    ProficiencyLevel,
    RoleProfile,
)
from lms.api import pick_language
from progress.models import CompletionRecord


@dataclass(frozen=True)
class Evidence:
    """One CompletionRecord counted for a competence."""

    record: uuid.UUID
    title: str
    completed_at: datetime
    relation: str
    level: int
    via: str = ""  # "" when aligned to this competence; else the association type followed
    aligned_to: str = ""  # the competence it was aligned to, when reached through a crosswalk


@dataclass(frozen=True)
class ProfileEntry:
    competence: Competence
    level: int  # 0: partial evidence only
    achieved_at: datetime | None
    evidence: tuple[Evidence, ...]
    partial: tuple[Evidence, ...]


@dataclass(frozen=True)
class CompetenceProfile:
    framework: Framework
    levels: dict[int, ProficiencyLevel]
    entries: list[ProfileEntry]

    @property
    def reached(self) -> list[ProfileEntry]:
        return [e for e in self.entries if e.level]

    @property
    def partial_only(self) -> list[ProfileEntry]:
        return [e for e in self.entries if not e.level]

    def level_name(self, rank: int, language: str) -> str:
        level = self.levels.get(rank)
        return level.name_in(language) if level else str(rank)


def _levels(framework_ids: Iterable[int]) -> dict[int, dict[int, ProficiencyLevel]]:
    result: dict[int, dict[int, ProficiencyLevel]] = defaultdict(dict)
    for level in ProficiencyLevel.objects.filter(framework_id__in=set(framework_ids)):
        result[level.framework_id][level.rank] = level
    return result


# --- profiles -----------------------------------------------------------------------------


def _counted_alignments(
    learner_ids: Sequence[int], language: str
) -> dict[int, list[tuple[Mapping[str, Any], dict[str, Any]]]]:
    """Per learner: (record, alignment) pairs where the record is evidence for the alignment,
    by the one rule (frameworks/evidence.py). Three queries."""
    records: list[dict[str, Any]] = [
        dict(row)
        for row in CompletionRecord.objects.filter(learner_id__in=learner_ids).values(
            "public_id",
            "learner_id",
            "course_id",
            "journey_id",
            "registration",
            "completed_at",
            "course__title",
            "journey__title",
        )
    ]
    counted: dict[int, list[tuple[Mapping[str, Any], dict[str, Any]]]] = defaultdict(list)
    for record in records:
        record["title"] = pick_language(
            record["course__title"] or record["journey__title"] or {}, language
        )
    for proving, alignment in proven_alignments(records):
        counted[proving["learner_id"]].append((proving, alignment))
    return counted


def _evidence(
    record: Mapping[str, Any], alignment: dict[str, Any], rank: int, via: str, label: str
) -> Evidence:
    return Evidence(
        record=record["public_id"],
        title=record["title"],
        completed_at=record["completed_at"],
        relation=alignment["relation"],
        level=rank,
        via=via,
        aligned_to=label,
    )


def competence_levels(
    learner_ids: Sequence[int],
    framework: Framework,
    *,
    language: str = "en",
    within: set[uuid.UUID] | None = None,
) -> tuple[dict[int, dict[uuid.UUID, ProfileEntry]], dict[int, ProficiencyLevel]]:
    """For each learner, the competences of ``framework`` they have evidence of (direct, or
    through crosswalks and versions), and the framework's levels. At most 6 + MAX_HOPS queries."""
    counted = _counted_alignments(learner_ids, language)
    aligned = {a["competence__identifier"] for pairs in counted.values() for _, a in pairs}
    walk = crosswalk(aligned) if aligned else Crosswalk()
    candidates = set(aligned)
    for identifier in aligned:
        candidates |= walk.full.get(identifier, {}).keys() | walk.partial.get(identifier, set())
    if within is not None:  # only these competences of the framework are wanted
        candidates &= within
    competences = {
        c.identifier: c
        for c in Competence.objects.filter(framework=framework, identifier__in=candidates)
    }
    source_frameworks = {a["competence__framework_id"] for p in counted.values() for _, a in p}
    levels = _levels({framework.pk, *source_frameworks})
    target_scale = len(levels.get(framework.pk, {}))
    result: dict[int, dict[uuid.UUID, ProfileEntry]] = {}
    for learner_id, pairs in counted.items():
        full: dict[uuid.UUID, list[Evidence]] = defaultdict(list)
        partial: dict[uuid.UUID, list[Evidence]] = defaultdict(list)
        for record, alignment in pairs:
            source = alignment["competence__identifier"]
            rank = map_level(
                alignment["level"] or 1,
                len(levels.get(alignment["competence__framework_id"], {})),
                target_scale,
            )
            code = alignment["competence__human_coding_scheme"]
            label = f"{code} ({alignment['competence__framework__title']})".strip()
            if source in competences:
                full[source].append(_evidence(record, alignment, rank, "", ""))
            for target, via in walk.full.get(source, {}).items():
                if target in competences:
                    full[target].append(_evidence(record, alignment, rank, via, label))
            for target in walk.partial.get(source, set()):
                if target in competences:
                    partial[target].append(
                        _evidence(record, alignment, rank, AssociationType.IS_RELATED_TO, label)
                    )
        entries: dict[uuid.UUID, ProfileEntry] = {}
        for identifier in full.keys() | partial.keys():
            found = sorted(full.get(identifier, []), key=lambda e: (-e.level, e.completed_at))
            entries[identifier] = ProfileEntry(
                competence=competences[identifier],
                level=found[0].level if found else 0,
                achieved_at=found[0].completed_at if found else None,
                evidence=tuple(found),
                partial=tuple(sorted(partial.get(identifier, []), key=lambda e: e.completed_at)),
            )
        result[learner_id] = entries
    return result, levels.get(framework.pk, {})


def _tree_order(competence: Competence) -> tuple[int, str, int]:
    """Siblings' order (the tree is built parent by parent)."""
    return (competence.order, competence.human_coding_scheme, competence.pk)


def code_order(competence: Competence) -> tuple[Any, ...]:
    """Reading order across the tree: by code, numerically ("1.2" < "1.10"), then by position."""
    parts = tuple(
        (0, int(part), "") if part.isdigit() else (1, 0, part)
        for part in competence.human_coding_scheme.replace("-", ".").split(".")
    )
    return (parts, competence.order, competence.pk)


def competence_profile(
    learner: Any, framework: Framework, *, language: str = "en"
) -> CompetenceProfile:
    """A learner's competence profile in one framework."""
    by_learner, levels = competence_levels([learner.pk], framework, language=language)
    entries = sorted(
        by_learner.get(learner.pk, {}).values(),
        key=lambda e: code_order(e.competence),
    )
    return CompetenceProfile(framework=framework, levels=levels, entries=entries)


def frameworks_with_evidence(learner: Any) -> list[Framework]:
    """The frameworks a learner's records are directly aligned to (one query)."""
    return list(
        Framework.objects.filter(
            Q(competences__alignments__course__completion_records__learner=learner)
            | Q(competences__alignments__journey__completion_records__learner=learner)
            | Q(competences__alignments__unit__course__completion_records__learner=learner)
        ).distinct()
    )


# --- gaps and recommendations -------------------------------------------------------------


@dataclass(frozen=True)
class Gap:
    competence: Competence
    reached: int
    target: int


@dataclass(frozen=True)
class Recommendation:
    kind: str  # "course" or "journey"
    slug: str
    title: str
    hours: Decimal
    closes: tuple[Competence, ...]

    @property
    def minutes(self) -> int:
        return int(self.hours * 60)

    @property
    def per_hour(self) -> Decimal:
        return (Decimal(len(self.closes)) / self.hours).quantize(Decimal("0.01"))


@dataclass(frozen=True)
class GapAnalysis:
    profile: RoleProfile
    competence_profile: CompetenceProfile
    met: list[Gap]
    gaps: list[Gap]
    recommendations: list[Recommendation]


def _hours(minutes: int, cpd_hours: Decimal) -> Decimal:
    """Hours of learning: the estimated duration, else the nominal CPD hours, else one."""
    if minutes:
        return (Decimal(minutes) / 60).quantize(Decimal("0.01"))
    return cpd_hours if cpd_hours else Decimal(1)


def gap_analysis(learner: Any, profile: RoleProfile, *, language: str = "en") -> GapAnalysis:
    """The learner against a role profile: the competences met, the gaps, and the published
    courses and journeys that would close gaps, ranked by gaps closed per hour of learning."""
    framework = profile.framework
    have = competence_profile(learner, framework, language=language)
    reached = {e.competence.identifier: e.level for e in have.entries}
    met: list[Gap] = []
    gaps: list[Gap] = []
    targets = sorted(
        profile.targets.select_related("competence"), key=lambda t: code_order(t.competence)
    )
    for target in targets:
        row = Gap(target.competence, reached.get(target.competence.identifier, 0), target.level)
        (met if row.reached >= row.target else gaps).append(row)
    recommendations = _recommend(learner, framework, gaps, language) if gaps else []
    return GapAnalysis(profile, have, met, gaps, recommendations)


def _recommend(
    learner: Any, framework: Framework, gaps: list[Gap], language: str
) -> list[Recommendation]:
    wanted = {g.competence.identifier: g for g in gaps}
    walk = crosswalk(wanted)
    # Which target a competence's evidence would close (itself, or through crosswalks).
    closes_for: dict[uuid.UUID, set[uuid.UUID]] = defaultdict(set)
    for identifier in wanted:
        for other in walk.reach(identifier):
            closes_for[other].add(identifier)
    published = CourseStatus.PUBLISHED
    alignments = list(
        Alignment.objects.filter(competence__identifier__in=closes_for.keys())
        .filter(
            Q(course__status=published)
            | Q(unit__course__status=published, unit__is_active=True)
            | Q(journey__status=published)
        )
        .values(*ALIGNMENT_FIELDS)
    )
    levels = _levels({framework.pk, *(a["competence__framework_id"] for a in alignments)})
    target_scale = len(levels.get(framework.pk, {}))
    course_closes: dict[int, set[uuid.UUID]] = defaultdict(set)
    journey_closes: dict[int, set[uuid.UUID]] = defaultdict(set)
    for alignment in alignments:
        rank = map_level(
            alignment["level"] or 1,
            len(levels.get(alignment["competence__framework_id"], {})),
            target_scale,
        )
        closed = {
            t for t in closes_for[alignment["competence__identifier"]] if rank >= wanted[t].target
        }
        if alignment["journey_id"]:
            journey_closes[alignment["journey_id"]] |= closed
        else:
            course_closes[alignment["course_id"] or alignment["unit__course_id"]] |= closed
    # A journey also closes what its required courses close.
    steps = list(
        JourneyStep.objects.filter(journey__status=published, required=True)
        .filter(Q(course_id__in=course_closes.keys()) | Q(journey_id__in=journey_closes.keys()))
        .values_list("journey_id", "course_id")
    )
    journey_ids = {j for j, _ in steps} | journey_closes.keys()
    all_steps = list(
        JourneyStep.objects.filter(journey_id__in=journey_ids, required=True).values_list(
            "journey_id", "course_id"
        )
    )
    for journey_id, course_id in all_steps:
        journey_closes[journey_id] |= course_closes.get(course_id, set())
    done = set(
        CompletionRecord.objects.filter(learner=learner).values_list("course_id", "journey_id")
    )
    done_courses = {c for c, _ in done if c}
    done_journeys = {j for _, j in done if j}
    courses = {
        c.pk: c
        for c in Course.objects.filter(
            pk__in=course_closes.keys() | {c for _, c in all_steps}, status=published
        ).only("slug", "title", "estimated_minutes", "cpd_hours")
    }
    journeys = {
        j.pk: j
        for j in LearningJourney.objects.filter(pk__in=journey_ids, status=published).only(
            "slug", "title"
        )
    }
    targets = {i: g.competence for i, g in wanted.items()}
    found: list[Recommendation] = []
    for course_id, closed in course_closes.items():
        course = courses.get(course_id)
        if course is None or not closed or course_id in done_courses:
            continue
        found.append(
            Recommendation(
                "course",
                course.slug,
                course.title_in(language),
                _hours(course.estimated_minutes, course.cpd_hours),
                tuple(sorted((targets[t] for t in closed), key=code_order)),
            )
        )
    journey_courses: dict[int, list[int]] = defaultdict(list)
    for journey_id, course_id in all_steps:
        journey_courses[journey_id].append(course_id)
    for journey_id, closed in journey_closes.items():
        journey = journeys.get(journey_id)
        if journey is None or not closed or journey_id in done_journeys:
            continue
        hours = sum(
            (
                _hours(courses[c].estimated_minutes, courses[c].cpd_hours)
                for c in journey_courses[journey_id]
                if c in courses
            ),
            Decimal(0),
        )
        found.append(
            Recommendation(
                "journey",
                journey.slug,
                pick_language(journey.title, language),
                hours or Decimal(1),
                tuple(sorted((targets[t] for t in closed), key=code_order)),
            )
        )
    found.sort(key=lambda r: (-r.per_hour, -len(r.closes), r.title))
    return found


# --- team matrix --------------------------------------------------------------------------


@dataclass(frozen=True)
class TeamRow:
    learner: Any
    levels: tuple[int, ...]  # one per column: the level reached, 0 for none


@dataclass(frozen=True)
class TeamMatrix:
    framework: Framework
    columns: tuple[Competence, ...]
    targets: tuple[int, ...]  # the role profile's level per column (0 without a profile)
    rows: tuple[TeamRow, ...]
    levels: dict[int, ProficiencyLevel]


def team_matrix(
    learners: Sequence[Any],
    *,
    profile: RoleProfile | None = None,
    framework: Framework | None = None,
    language: str = "en",
) -> TeamMatrix:
    """Members x competences: the level each member reached in each competence of a role
    profile (or, without one, each competence any member has evidence of in ``framework``).
    A fixed number of queries whatever the team's size."""
    if profile is not None:
        framework = profile.framework
        targets = sorted(
            profile.targets.select_related("competence"), key=lambda t: code_order(t.competence)
        )
        columns = [t.competence for t in targets]
        wanted = [t.level for t in targets]
    if framework is None:
        raise ValueError("team_matrix needs a role profile or a framework")
    by_learner, levels = competence_levels(
        [m.pk for m in learners],
        framework,
        language=language,
        within={c.identifier for c in columns} if profile is not None else None,
    )
    if profile is None:
        seen = {e.competence.pk: e.competence for d in by_learner.values() for e in d.values()}
        columns = sorted(seen.values(), key=code_order)
        wanted = [0] * len(columns)
    rows = tuple(
        TeamRow(
            learner,
            tuple(_level_of(by_learner.get(learner.pk, {}), c) for c in columns),
        )
        for learner in learners
    )
    return TeamMatrix(framework, tuple(columns), tuple(wanted), rows, levels)


def _level_of(entries: dict[uuid.UUID, ProfileEntry], competence: Competence) -> int:
    entry = entries.get(competence.identifier)
    return entry.level if entry else 0


# --- the tree -----------------------------------------------------------------------------


@dataclass
class TreeNode:
    competence: Competence
    children: list[TreeNode] = field(default_factory=list)
    more: int = 0  # children not shown (the tree is cut to stay light)
    match: bool = False


def framework_tree(
    framework: Framework, *, search: str = "", root: Competence | None = None, budget: int = 400
) -> tuple[list[TreeNode], int]:
    """The framework (or the subtree under ``root``) as nested nodes, breadth first up to
    ``budget`` nodes; with ``search``, only matches and their ancestors. Returns the roots and
    the number of matches. One query."""
    items = {c.pk: c for c in framework.competences.all()}
    children: dict[int | None, list[Competence]] = defaultdict(list)
    for competence in sorted(items.values(), key=_tree_order):
        parent = competence.parent_id if competence.parent_id in items else None
        children[parent].append(competence)
    matches: set[int] = set()
    keep: set[int] | None = None
    if search:
        needle = search.casefold()
        for competence in items.values():
            text = " ".join(
                [competence.human_coding_scheme, competence.abbreviated_statement,
                 *competence.full_statement.values()]
            ).casefold()  # fmt: skip
            if needle in text:
                matches.add(competence.pk)
        keep = set()
        for pk in matches:
            step: Competence | None = items[pk]
            while step is not None and step.pk not in keep:
                keep.add(step.pk)
                step = items.get(step.parent_id) if step.parent_id else None
    top = [root] if root is not None else children[None]
    shown = 0
    roots = [TreeNode(c, match=c.pk in matches) for c in top if keep is None or c.pk in keep]
    queue = list(roots)
    while queue:
        node = queue.pop(0)
        shown += 1
        below = [c for c in children.get(node.competence.pk, []) if keep is None or c.pk in keep]
        if shown + len(queue) + len(below) > budget:
            node.more = len(below)
            continue
        node.children = [TreeNode(c, match=c.pk in matches) for c in below]
        queue.extend(node.children)
    return roots, len(matches)


# --- alignments ---------------------------------------------------------------------------


def course_alignments(course: Course) -> list[Alignment]:
    """The alignments of a course and of its units, with their competences (one query)."""
    return list(
        Alignment.objects.filter(Q(course=course) | Q(unit__course=course))
        .select_related("competence__framework", "unit")
        .order_by("competence__framework__title", "competence__order", "unit__index", "id")
    )


def level_names(framework_ids: Iterable[int]) -> dict[tuple[int, int], ProficiencyLevel]:
    """(framework id, rank) → level, for the frameworks given (one query, none if empty)."""
    wanted = set(framework_ids)
    if not wanted:
        return {}
    return {
        (level.framework_id, level.rank): level
        for level in ProficiencyLevel.objects.filter(framework_id__in=wanted)
    }
