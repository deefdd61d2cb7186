"""What a completion proves: the one rule (docs/decisions/0008-competence-evidence.md), used by
the certificate a record earns and by every competence profile, so that the two never differ.

- A course's record is evidence for the course's alignments, and for its units' alignments when
  the unit was done (completed or passed) in the record's registration; a unit aligned as
  *assesses* must also have been passed. Satisfied alone is no evidence: a waived unit, or one
  whose moveOn is NotApplicable (satisfied when the registration starts, cmi5 §9.6.1), was not
  done.
- A journey's record is evidence for the journey's own alignments; its courses' records count
  for theirs.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Q

from frameworks.models import Alignment, AlignmentRelation, Competence, ProficiencyLevel
from progress.models import CompletionRecord, UnitProgress

ALIGNMENT_FIELDS = (
    "id",
    "course_id",
    "unit_id",
    "unit__course_id",
    "journey_id",
    "level",
    "relation",
    "competence_id",
    "competence__identifier",
    "competence__framework_id",
    "competence__human_coding_scheme",
    "competence__framework__title",
)

Pair = tuple[Mapping[str, Any], dict[str, Any]]


def proven_alignments(records: Sequence[Mapping[str, Any]]) -> list[Pair]:
    """(record, alignment) for each alignment a record is evidence of, in alignment order.

    ``records`` are mappings with ``course_id``, ``journey_id`` and ``registration``; alignments
    are the values of ``ALIGNMENT_FIELDS``. Two queries at most, whatever the number of records:
    the alignments, then the unit progress behind unit alignments.
    """
    course_ids = {r["course_id"] for r in records if r["course_id"]}
    journey_ids = {r["journey_id"] for r in records if r["journey_id"]}
    if not course_ids and not journey_ids:
        return []
    alignments = list(
        Alignment.objects.filter(
            Q(course_id__in=course_ids)
            | Q(unit__course_id__in=course_ids)
            | Q(journey_id__in=journey_ids)
        )
        .order_by("id")
        .values(*ALIGNMENT_FIELDS)
    )
    unit_ids = {a["unit_id"] for a in alignments if a["unit_id"]}
    registrations = {r["registration"] for r in records if r["course_id"]}
    units_done: dict[tuple[uuid.UUID, int], tuple[bool, bool]] = {}
    if unit_ids and registrations:
        for row in UnitProgress.objects.filter(
            unit_id__in=unit_ids, enrolment__registration__in=registrations
        ).values("unit_id", "enrolment__registration", "completed", "passed"):
            done = row["completed"] or row["passed"]
            units_done[(row["enrolment__registration"], row["unit_id"])] = (done, row["passed"])
    by_course: dict[int, list[dict[str, Any]]] = defaultdict(list)
    by_journey: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for alignment in alignments:
        if alignment["journey_id"]:
            by_journey[alignment["journey_id"]].append(alignment)
        else:
            by_course[alignment["course_id"] or alignment["unit__course_id"]].append(alignment)
    proven: list[Pair] = []
    for record in records:
        if record["journey_id"]:
            candidates = by_journey.get(record["journey_id"], [])
        else:
            candidates = by_course.get(record["course_id"], [])
        for alignment in candidates:
            if alignment["unit_id"]:
                done, passed = units_done.get(
                    (record["registration"], alignment["unit_id"]), (False, False)
                )
                if not done or (alignment["relation"] == AlignmentRelation.ASSESSES and not passed):
                    continue
            proven.append((record, alignment))
    return proven


@dataclass(frozen=True)
class ProvenCompetence:
    """A competence a completion proves, at the highest level its alignments give."""

    competence: Competence
    level: int  # the alignment's rank: an alignment without a level counts as the first
    level_name: str
    relation: str


def competences_proven_by(record: CompletionRecord, language: str = "en") -> list[ProvenCompetence]:
    """What ``record`` proves: each competence once, at its highest level, in the order of the
    frameworks' titles and the competences' places in them. Four queries."""
    pairs = proven_alignments(
        [
            {
                "course_id": record.course_id,
                "journey_id": record.journey_id,
                "registration": record.registration,
            }
        ]
    )
    best: dict[int, dict[str, Any]] = {}
    for _record, alignment in pairs:
        kept = best.get(alignment["competence_id"])
        if kept is None or (alignment["level"] or 1) > (kept["level"] or 1):
            best[alignment["competence_id"]] = alignment
    competences = Competence.objects.select_related("framework").in_bulk(best.keys())
    levels = {
        (level.framework_id, level.rank): level
        for level in ProficiencyLevel.objects.filter(
            framework_id__in={c.framework_id for c in competences.values()}
        )
    }
    proven = []
    for competence_id, alignment in best.items():
        competence = competences[competence_id]
        rank = alignment["level"] or 1
        level = levels.get((competence.framework_id, rank))
        proven.append(
            ProvenCompetence(
                competence=competence,
                level=rank,
                level_name=level.name_in(language) if level else "",
                relation=alignment["relation"],
            )
        )
    proven.sort(key=lambda p: (p.competence.framework.title, p.competence.order, p.competence.pk))
    return proven
