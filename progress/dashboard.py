"""The learner's dashboard: courses in progress (with the unit to resume) and completed ones."""

from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from decimal import Decimal

from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import translation

from courses.api import CertificateLink, certificate_lookup
from courses.models import CourseUnit, Enrolment, JourneyEnrolment
from lms.api import AuthenticatedHttpRequest, User
from progress.journeys import JourneyState, journey_states
from progress.models import UnitProgress
from progress.status import CourseState, CourseStatus, course_statuses


@dataclass(frozen=True)
class CourseLine:
    course_id: int
    slug: str
    title: str
    status: CourseStatus
    next_unit_index: int | None
    next_unit_title: str
    certificate: CertificateLink | None = None

    @property
    def satisfied_units(self) -> int:
        return self.status.units_done

    @property
    def total_units(self) -> int:
        return self.status.units_total

    @property
    def percent(self) -> int:
        return self.status.percent

    @property
    def completed_on(self) -> date | None:
        return self.status.completed_on

    @property
    def score(self) -> Decimal | None:
        return self.status.score


def learning_for(learner: User, language: str) -> tuple[list[CourseLine], list[CourseLine]]:
    """(in progress, completed) for ``learner``: five queries, whatever their number. The status
    of each course is the one rule of progress/status.py; only the unit to resume is found
    here."""
    enrolments = list(
        Enrolment.objects.filter(learner=learner)
        .select_related("course")
        .prefetch_related(
            Prefetch(
                "course__units",
                queryset=CourseUnit.objects.filter(is_active=True).order_by("index"),
                to_attr="active_units",
            ),
            Prefetch("unit_progress", queryset=UnitProgress.objects.all(), to_attr="progress_rows"),
        )
        .order_by("-enrolled_at")
    )
    statuses = course_statuses(
        learner_ids=[learner.pk],
        units_total={e.course_id: len(e.course.active_units) for e in enrolments},  # type: ignore[attr-defined]
    )
    in_progress: list[CourseLine] = []
    completed: list[CourseLine] = []
    for enrolment in enrolments:
        rows = enrolment.progress_rows
        satisfied = {p.unit_id for p in rows if p.satisfied}
        units = enrolment.course.active_units  # type: ignore[attr-defined]
        # Resume where the learner last worked (the AU restores its own bookmark from its
        # State documents, cmi5 §10), else the first unit not satisfied yet.
        touched = sorted(
            (p for p in rows if not p.satisfied and p.last_activity_at is not None),
            key=lambda p: p.last_activity_at or datetime.min.replace(tzinfo=UTC),
            reverse=True,
        )
        by_pk = {u.pk: u for u in units}
        next_unit = next((by_pk[p.unit_id] for p in touched if p.unit_id in by_pk), None) or next(
            (u for u in units if u.pk not in satisfied), None
        )
        status = statuses[(learner.pk, enrolment.course_id)]
        line = CourseLine(
            course_id=enrolment.course_id,
            slug=enrolment.course.slug,
            title=enrolment.course.title_in(language),
            status=status,
            next_unit_index=next_unit.index if next_unit else None,
            next_unit_title=next_unit.title_in(language) if next_unit else "",
        )
        (completed if status.state is CourseState.COMPLETED else in_progress).append(line)
    return in_progress, completed


@dataclass(frozen=True)
class JourneyLine:
    slug: str
    title: str
    state: JourneyState


def journeys_for(learner: User, language: str) -> list[JourneyLine]:
    """The journeys ``learner`` follows, each with its steps and next step (four queries)."""
    journeys = [
        e.journey
        for e in JourneyEnrolment.objects.filter(learner=learner).select_related("journey")
    ]
    states = journey_states(learner, journeys, language)
    return [JourneyLine(j.slug, j.title_in(language), states[j.pk]) for j in journeys]


@login_required
def dashboard(request: AuthenticatedHttpRequest) -> HttpResponse:
    language = translation.get_language() or "en"
    learner = request.user
    in_progress, completed = learning_for(learner, language)
    if completed:
        links = certificate_lookup().certificates_for(
            learner=learner, course_ids=[line.course_id for line in completed]
        )
        completed = [replace(line, certificate=links.get(line.course_id)) for line in completed]
    return render(
        request,
        "progress/dashboard.html",
        {
            "in_progress": in_progress,
            "completed": completed,
            "scored": any(line.score is not None for line in completed),
            "certified": any(line.certificate is not None for line in completed),
            "journeys": journeys_for(learner, language),
        },
    )
