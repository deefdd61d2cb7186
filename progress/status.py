"""A learner's status in a course: the one rule, read by the learner's dashboard and by the
organisations' reports (cells and column summaries), so that they never disagree.

- **Completed**: a CompletionRecord exists for the enrolment's registration (the projection
  writes it when the course's moveOn is met, cmi5 §9.6.1).
- **In progress**: not completed, and an active unit is satisfied or any unit has had activity.
- **Not started**: enrolled, nothing else.
- **Percent**: satisfied active units over active units, rounded down (100 only when completed or
  every unit is satisfied).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q
from django.db.models.functions import TruncDate
from django.utils import timezone

from courses.models import CourseUnit, Enrolment
from progress.models import CompletionRecord, UnitProgress


class CourseState(StrEnum):
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"


@dataclass(frozen=True, slots=True)
class CourseStatus:
    state: CourseState
    units_done: int
    units_total: int
    completed_on: date | None = None  # the local date of the CompletionRecord
    score: Decimal | None = None

    @property
    def percent(self) -> int:
        if self.state is CourseState.COMPLETED:
            return 100
        return min(100, 100 * self.units_done // self.units_total) if self.units_total else 0


def course_state(*, completed: bool, units_done: int, touched: int) -> CourseState:
    """The rule, for one enrolment."""
    if completed:
        return CourseState.COMPLETED
    return CourseState.IN_PROGRESS if units_done or touched else CourseState.NOT_STARTED


@dataclass(frozen=True)
class LearningStatuses:
    """Courses' statuses and journeys' completions of a set of learners."""

    courses: dict[tuple[int, int], CourseStatus]  # (learner id, course id)
    journeys: dict[tuple[int, int], tuple[date, Decimal | None]]  # completed: (day, score)


def course_statuses(
    *,
    learner_ids: Any,
    course_ids: Iterable[int] | None = None,
    units_total: Mapping[int, int] | None = None,
) -> dict[tuple[int, int], CourseStatus]:
    """(learner id, course id) → status, for every enrolment of ``learner_ids`` (a list or a
    subquery) in ``course_ids`` (all courses when None). Three queries; two when the caller
    has the courses' active units counted already (``units_total``: course id → count)."""
    return learning_statuses(
        learner_ids=learner_ids, course_ids=course_ids, units_total=units_total
    ).courses


def learning_statuses(
    *,
    learner_ids: Any,
    course_ids: Iterable[int] | None = None,
    journey_ids: Iterable[int] = (),
    units_total: Mapping[int, int] | None = None,
) -> LearningStatuses:
    """The statuses of ``learner_ids``' enrolments in ``course_ids`` (all when None) and their
    completions of ``journey_ids``. Three queries whatever the number of enrolments: the
    enrolments with their units done and touched (one grouped LEFT JOIN), the active units per
    course, the completion records with their local dates."""
    journey_ids = list(journey_ids)
    enrolments = Enrolment.objects.filter(learner_id__in=learner_ids)
    courses = Q(course_id__isnull=False)
    if course_ids is not None:
        course_ids = list(course_ids)
        enrolments = enrolments.filter(course_id__in=course_ids)
        courses = Q(course_id__in=course_ids)
    rows = list(
        enrolments.annotate(
            done=Count(
                "unit_progress",
                filter=Q(unit_progress__satisfied=True, unit_progress__unit__is_active=True),
            ),
            touched=Count("unit_progress", filter=Q(unit_progress__last_activity_at__isnull=False)),
        ).values_list("learner_id", "course_id", "registration", "done", "touched")
    )
    unit_counts = units_total
    if unit_counts is None:
        unit_counts = dict(
            CourseUnit.objects.filter(
                course_id__in=course_ids if course_ids is not None else {row[1] for row in rows},
                is_active=True,
            )
            .values("course_id")
            .annotate(n=Count("id"))
            .values_list("course_id", "n")
        )
    finished: dict[Any, tuple[date, Decimal | None]] = {}
    journeys: dict[tuple[int, int], tuple[date, Decimal | None]] = {}
    # The local date, in the database: parsing 100,000 timestamps in Python costs seconds.
    for learner_id, journey_id, registration, day, score in (
        CompletionRecord.objects.filter(learner_id__in=learner_ids)
        .filter(courses | Q(journey_id__in=journey_ids))
        .annotate(day=TruncDate("completed_at", tzinfo=timezone.get_current_timezone()))
        .values_list("learner_id", "journey_id", "registration", "day", "score_scaled")
    ):
        if journey_id is None:
            finished[registration] = (day, score)
        else:
            journeys[(learner_id, journey_id)] = (day, score)
    statuses: dict[tuple[int, int], CourseStatus] = {}
    for learner_id, course_id, registration, done, touched in rows:
        record = finished.get(registration)
        statuses[(learner_id, course_id)] = CourseStatus(
            course_state(completed=record is not None, units_done=done, touched=touched),
            done,
            unit_counts.get(course_id, 0),
            record[0] if record else None,
            record[1] if record else None,
        )
    return LearningStatuses(statuses, journeys)


# The same rule in SQL, for grouped counts over many enrolments (a report's column summaries):
# filters on an Enrolment queryset. tests/progress/test_status.py checks they agree with the above.


def completed_enrolments() -> Exists:
    return Exists(
        CompletionRecord.objects.filter(
            course_id=OuterRef("course_id"), registration=OuterRef("registration")
        )
    )


def started_enrolments() -> Exists:
    """Enrolments with a satisfied active unit or any activity (completed or not)."""
    return Exists(
        UnitProgress.objects.filter(enrolment_id=OuterRef("pk")).filter(
            Q(last_activity_at__isnull=False) | Q(satisfied=True, unit__is_active=True)
        )
    )
