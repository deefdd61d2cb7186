"""The reports' data, read in a fixed number of queries whatever the number of members.

Each builder takes a :class:`organisations.scope.Scope` (the one place that decides who may be
seen) and returns a frozen dataclass of ``reports.types``; renderers never query.
"""

import hashlib
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from certificates.models import Certificate, CertificateStatus
from courses.models import (
    Course,
    Enrolment,
    JourneyEnrolment,
    JourneyStep,
    LearningJourney,
)
from lms.models import Profession
from organisations.core.models import CourseAssignment, Membership, Unit, UnitMembership
from organisations.core.scope import Scope, subtree
from organisations.reports.types import (
    Cell,
    CellStatus,
    Column,
    ColumnSummary,
    MemberRow,
    TeamReport,
)
from progress.api import CourseState, completed_enrolments, learning_statuses, started_enrolments
from progress.models import CompletionRecord

_PROFESSIONS = dict(Profession.choices)


@dataclass(frozen=True)
class TeamFilters:
    """What a supervisor narrows the report to. A unit counts with every unit below it."""

    unit: Unit | None = None
    profession: str = ""
    country: str = ""

    def describe(self) -> tuple[tuple[str, str], ...]:
        found: list[tuple[str, str]] = []
        if self.unit is not None:
            found.append((_("Unit"), self.unit.name))
        if self.profession:
            found.append((_("Profession"), str(_PROFESSIONS.get(self.profession, self.profession))))
        if self.country:
            found.append((_("Country"), self.country))
        return tuple(found)


def filtered_memberships(scope: Scope, filters: TeamFilters) -> QuerySet[Membership]:
    """The memberships in scope that the filters select (not evaluated)."""
    found = scope.memberships()
    if filters.unit is not None:
        units = list(Unit.objects.filter(organisation=scope.organisation).only("pk", "parent_id"))
        wanted = subtree({filters.unit.pk}, units)
        found = found.filter(user__in=UnitMembership.objects.filter(unit__in=wanted).values("user"))
    if filters.profession:
        found = found.filter(
            Q(profession=filters.profession) | Q(profession="", user__profession=filters.profession)
        )
    if filters.country:
        found = found.filter(user__country=filters.country)
    return found


def _columns(
    organisation_id: int, member_ids: Any, language: str
) -> tuple[list[Course], list[LearningJourney]]:
    """The courses and journeys any selected member is enrolled in or assigned (two queries)."""
    assigned = CourseAssignment.objects.filter(
        organisation_id=organisation_id, member_id__in=member_ids
    )
    courses = list(
        Course.objects.filter(
            Q(pk__in=Enrolment.objects.filter(learner_id__in=member_ids).values("course_id"))
            | Q(pk__in=assigned.filter(course__isnull=False).values("course_id"))
        ).only("pk", "public_id", "slug", "title", "cpd_hours")
    )
    journeys = list(
        LearningJourney.objects.filter(
            Q(
                pk__in=JourneyEnrolment.objects.filter(learner_id__in=member_ids).values(
                    "journey_id"
                )
            )
            | Q(pk__in=assigned.filter(journey__isnull=False).values("journey_id"))
        ).only("pk", "public_id", "slug", "title")
    )
    courses.sort(key=lambda c: c.title_in(language).casefold())
    journeys.sort(key=lambda j: j.title_in(language).casefold())
    return courses, journeys


def _journey_hours(
    journeys: list[LearningJourney], steps: list[tuple[int, int, bool]], hours: dict[int, Decimal]
) -> dict[int, Decimal]:
    total: dict[int, Decimal] = defaultdict(Decimal)
    for journey_id, course_id, required in steps:
        if required:
            total[journey_id] += hours.get(course_id, Decimal(0))
    return {j.pk: total.get(j.pk, Decimal(0)) for j in journeys}


@dataclass(frozen=True)
class Overview:
    """The report's columns and their summaries over every selected member: the costly part
    (grouped counts over all their enrolments), kept a few minutes in the cache for pages."""

    course_ids: tuple[int, ...]
    journey_ids: tuple[int, ...]
    columns: tuple[Column, ...]
    summaries: tuple[ColumnSummary, ...]
    steps: tuple[tuple[int, int, bool], ...]  # (journey, course, required)
    computed_at: datetime


def team_overview(
    scope: Scope, filters: TeamFilters, *, language: str = "en", today: date | None = None
) -> Overview:
    """Columns and summaries (eleven queries, whatever the number of members)."""
    today = today or timezone.localdate()
    member_ids = filtered_memberships(scope, filters).values("user_id")
    courses, journeys = _columns(scope.organisation.pk, member_ids, language)
    steps = tuple(
        JourneyStep.objects.filter(journey_id__in=[j.pk for j in journeys]).values_list(
            "journey_id", "course_id", "required"
        )
    )
    hours = {c.pk: c.cpd_hours for c in courses}
    journey_hours = _journey_hours(journeys, list(steps), hours)
    columns = tuple(
        [Column("course", c.public_id, c.slug, c.title_in(language), c.cpd_hours) for c in courses]
        + [
            Column("journey", j.public_id, j.slug, j.title_in(language), journey_hours[j.pk])
            for j in journeys
        ]
    )
    summaries = _summaries(
        scope.organisation.pk,
        member_ids=member_ids,
        courses=courses,
        journeys=journeys,
        columns=columns,
        today=today,
    )
    return Overview(
        tuple(c.pk for c in courses),
        tuple(j.pk for j in journeys),
        columns,
        summaries,
        steps,
        timezone.now(),
    )


def cached_team_overview(scope: Scope, filters: TeamFilters, *, language: str = "en") -> Overview:
    """:func:`team_overview`, from the cache when computed less than
    ``REPORT_OVERVIEW_CACHE_SECONDS`` ago for the same scope, filters and language."""
    today = timezone.localdate()
    key = (
        "organisations:overview:"
        + hashlib.sha256(
            repr(
                (
                    scope.organisation.pk,
                    scope.whole,
                    sorted(scope.unit_ids),
                    filters.unit.pk if filters.unit else None,
                    filters.profession,
                    filters.country,
                    language,
                    today.isoformat(),
                )
            ).encode()
        ).hexdigest()
    )
    found = cache.get(key)
    if isinstance(found, Overview):
        return found
    overview = team_overview(scope, filters, language=language, today=today)
    cache.set(key, overview, settings.REPORT_OVERVIEW_CACHE_SECONDS)
    return overview


def team_progress(
    scope: Scope,
    filters: TeamFilters = TeamFilters(),
    *,
    offset: int = 0,
    limit: int | None = None,
    language: str = "en",
    today: date | None = None,
    overview: Overview | None = None,
) -> TeamReport:
    """Members x courses and journeys: status, percent, score, due date, overdue, completion.

    ``offset``/``limit`` select the page of members shown (``limit=None``: all, for exports);
    the columns and the per-column summaries (``overview``, computed unless given) always cover
    every member the filters select. Nine queries and the overview's eleven, whatever the number
    of members and columns.
    """
    today = today or timezone.localdate()
    selected = filtered_memberships(scope, filters)
    member_ids = selected.values("user_id")
    total = selected.count()
    page_qs = selected.order_by("user__display_name", "user_id").values_list(
        "user_id", "user__public_id", "user__display_name", "user__email", "job_title",
        "profession", "user__profession", "user__country",
    )  # fmt: skip
    page = list(page_qs[offset : offset + limit] if limit is not None else page_qs)
    if overview is None:
        overview = team_overview(scope, filters, language=language, today=today)
    page_ids: Any = [m[0] for m in page] if limit is not None else member_ids
    grid = _cells(
        scope.organisation.pk,
        member_ids=page_ids,
        course_ids=list(overview.course_ids),
        journey_ids=list(overview.journey_ids),
        steps=list(overview.steps),
        today=today,
    )
    unit_names = _unit_names(scope.organisation.pk, page_ids)
    empty = (None,) * len(overview.columns)
    rows = tuple(
        MemberRow(
            public_id=public_id,
            name=name,
            email=email,
            job_title=job_title,
            profession=str(_PROFESSIONS.get(profession or own_profession, "")),
            country=str(country or ""),
            units=tuple(sorted(unit_names.get(user_id, ()))),
            cells=tuple(grid[user_id]) if user_id in grid else empty,
        )
        for user_id, public_id, name, email, job_title, profession, own_profession, country in page
    )
    return TeamReport(
        organisation=scope.organisation.name,
        generated_at=timezone.now(),
        filters=filters.describe(),
        columns=overview.columns,
        rows=rows,
        total_members=total,
        summaries=overview.summaries,
        summaries_at=overview.computed_at,
    )


def _unit_names(organisation_id: int, member_ids: Any) -> dict[int, list[str]]:
    names: dict[int, list[str]] = defaultdict(list)
    for user_id, name in UnitMembership.objects.filter(
        unit__organisation_id=organisation_id, user_id__in=member_ids
    ).values_list("user_id", "unit__name"):
        names[user_id].append(name)
    return names


@dataclass(frozen=True)
class _Columns:
    """Where each course and journey sits in a row of cells."""

    course_at: dict[int, int]
    journey_at: dict[int, int]

    def keyed(self, rows: Iterable[tuple[int, int | None, int | None, Any]]) -> dict[Any, Any]:
        """(user, course or None, journey or None, value) rows → {(user, column): value}."""
        found: dict[tuple[int, int], Any] = {}
        for user_id, course_id, journey_id, value in rows:
            at = (
                self.course_at.get(course_id)
                if course_id is not None
                else self.journey_at.get(journey_id)  # type: ignore[arg-type]
            )
            if at is not None:
                found[(user_id, at)] = value
        return found


def _cells(
    organisation_id: int,
    *,
    member_ids: Any,
    course_ids: list[int],
    journey_ids: list[int],
    steps: list[tuple[int, int, bool]],
    today: date,
) -> dict[int, list[Cell | None]]:
    """Each member's row of cells (user id → one per column: the courses, then the journeys),
    in seven queries. Hot: an export of 5,000 members x 20 courses makes 100,000 cells, so the
    loops below index lists and build tuples rather than look keys up twice."""
    width = len(course_ids) + len(journey_ids)
    course_at = {pk: i for i, pk in enumerate(course_ids)}
    journey_at = {pk: len(course_ids) + i for i, pk in enumerate(journey_ids)}
    grid: dict[int, list[Cell | None]] = defaultdict(lambda: [None] * width)
    columns = _Columns(course_at, journey_at)
    due = columns.keyed(
        CourseAssignment.objects.filter(
            organisation_id=organisation_id, member_id__in=member_ids
        ).values_list("member_id", "course_id", "journey_id", "due_on")
    )
    step_courses = {course_id for _j, course_id, _r in steps}
    # A learner's status in a course is the one rule of progress (progress.api.learning_statuses).
    learning = learning_statuses(
        learner_ids=member_ids, course_ids=set(course_ids) | step_courses, journey_ids=journey_ids
    )
    statuses = learning.courses
    done_courses = {
        key for key, status in statuses.items() if status.state is CourseState.COMPLETED
    }
    journey_records = columns.keyed(
        (u, None, j, done) for (u, j), done in learning.journeys.items()
    )
    serials = columns.keyed(
        Certificate.objects.filter(
            learner_id__in=member_ids, status=CertificateStatus.VALID
        ).values_list("learner_id", "record__course_id", "record__journey_id", "serial")
    )
    completed, in_progress, not_started = (
        CellStatus.COMPLETED,
        CellStatus.IN_PROGRESS,
        CellStatus.NOT_STARTED,
    )
    cell_status = {
        CourseState.COMPLETED: completed,
        CourseState.IN_PROGRESS: in_progress,
        CourseState.NOT_STARTED: not_started,
    }

    def place(
        user_id: int, at: int, status: CellStatus, percent: int, record: tuple[Any, Any] | None
    ) -> None:
        key = (user_id, at)
        due_on = due.get(key)
        if record is not None:
            grid[user_id][at] = Cell(
                completed, 100, record[1], due_on, False, record[0], serials.get(key, "")
            )
        else:
            late = due_on is not None and due_on < today
            grid[user_id][at] = Cell(status, percent, None, due_on, late, None)

    for (user_id, course_id), course in statuses.items():
        at = course_at.get(course_id)
        if at is None:  # a journey's step, not a column
            continue
        done_on = course.completed_on if course.state is CourseState.COMPLETED else None
        record = (done_on, course.score) if done_on else None
        place(user_id, at, cell_status[course.state], course.percent, record)
    required: dict[int, list[int]] = defaultdict(list)
    for journey_id, course_id, is_required in steps:
        if is_required:
            required[journey_id].append(course_id)
    for user_id, journey_id in JourneyEnrolment.objects.filter(
        learner_id__in=member_ids, journey_id__in=journey_ids
    ).values_list("learner_id", "journey_id"):
        needed = required.get(journey_id, [])
        done = sum(1 for c in needed if (user_id, c) in done_courses)
        percent = 100 * done // len(needed) if needed else 0
        at = journey_at[journey_id]
        state = in_progress if done else not_started
        place(user_id, at, state, percent, journey_records.get((user_id, at)))
    for user_id, at in due:
        if grid[user_id][at] is None:
            place(user_id, at, CellStatus.ASSIGNED, 0, None)
    return grid


def _counts(queryset: QuerySet[Any], key: str) -> dict[Any, int]:
    return dict(queryset.values(key).annotate(n=Count("id")).values_list(key, "n"))


def _summaries(
    organisation_id: int,
    *,
    member_ids: Any,
    courses: Sequence[Course],
    journeys: Sequence[LearningJourney],
    columns: tuple[Column, ...],
    today: date,
) -> tuple[ColumnSummary, ...]:
    """Per column, over every selected member: enrolled or assigned, started, completed,
    overdue. Eight grouped counts, each a plain semi- or anti-join the planner hashes (an
    ``Exists`` inside ``COUNT(...) FILTER`` would run a subplan per row)."""
    enrolments = Enrolment.objects.filter(
        learner_id__in=member_ids, course_id__in=[c.pk for c in courses]
    )
    # The rule of progress.api.course_statuses, in SQL.
    course_done = completed_enrolments()
    enrolled = _counts(enrolments, "course_id")
    completed = _counts(enrolments.filter(course_done), "course_id")
    started = _counts(enrolments.filter(started_enrolments()).exclude(course_done), "course_id")
    journey_enrolments = JourneyEnrolment.objects.filter(
        learner_id__in=member_ids, journey_id__in=[j.pk for j in journeys]
    )
    journey_enrolled = _counts(journey_enrolments, "journey_id")
    journey_completed = _counts(
        journey_enrolments.filter(
            Exists(
                CompletionRecord.objects.filter(
                    journey_id=OuterRef("journey_id"), registration=OuterRef("registration")
                )
            )
        ),
        "journey_id",
    )
    assigned = CourseAssignment.objects.filter(
        organisation_id=organisation_id, member_id__in=member_ids
    )
    course_assigned = assigned.filter(course_id__isnull=False).exclude(
        Exists(
            CompletionRecord.objects.filter(
                learner_id=OuterRef("member_id"), course_id=OuterRef("course_id")
            )
        )
    )
    journey_assigned = assigned.filter(journey_id__isnull=False).exclude(
        Exists(
            CompletionRecord.objects.filter(
                learner_id=OuterRef("member_id"), journey_id=OuterRef("journey_id")
            )
        )
    )
    # Unfinished assignments: waiting (not enrolled yet) and overdue, per course and journey.
    waiting = _counts(
        course_assigned.exclude(
            Exists(
                Enrolment.objects.filter(
                    learner_id=OuterRef("member_id"), course_id=OuterRef("course_id")
                )
            )
        ),
        "course_id",
    )
    overdue = _counts(course_assigned.filter(due_on__lt=today), "course_id")
    journey_waiting: dict[Any, int] = {}
    journey_overdue: dict[Any, int] = {}
    for journey_id, is_enrolled, due_on in journey_assigned.annotate(
        enrolled=Exists(
            JourneyEnrolment.objects.filter(
                learner_id=OuterRef("member_id"), journey_id=OuterRef("journey_id")
            )
        )
    ).values_list("journey_id", "enrolled", "due_on"):
        journey_waiting[journey_id] = journey_waiting.get(journey_id, 0) + (not is_enrolled)
        is_late = int(due_on is not None and due_on < today)
        journey_overdue[journey_id] = journey_overdue.get(journey_id, 0) + is_late
    summaries: list[ColumnSummary] = []
    for column, item in zip(columns, [*courses, *journeys], strict=True):
        if column.kind == "course":
            n, done, going = (
                enrolled.get(item.pk, 0),
                completed.get(item.pk, 0),
                started.get(item.pk, 0),
            )
            wait, late = waiting.get(item.pk, 0), overdue.get(item.pk, 0)
        else:
            n, done = journey_enrolled.get(item.pk, 0), journey_completed.get(item.pk, 0)
            going = n - done
            wait, late = journey_waiting.get(item.pk, 0), journey_overdue.get(item.pk, 0)
        summaries.append(
            ColumnSummary(
                column=column,
                assigned=n + wait,
                not_started=n - done - going + wait,
                in_progress=going,
                completed=done,
                overdue=late,
            )
        )
    return tuple(summaries)
