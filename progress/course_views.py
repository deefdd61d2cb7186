"""A course's learners for staff: where each stands, stuck sessions to abandon (cmi5 §9.3.6) and
units to waive with a reason (cmi5 §9.3.7), from the course's pages; and the learner's state in
each unit, which the course page shows (courses' ``UnitStates`` port).

The same services as the staff API (``progress.projection``): the pages only ask and confirm.
"""

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from courses.api import CourseStanding, UnitState
from courses.models import Course, CourseUnit, Enrolment, LaunchSession, SessionState
from lms.api import AuthenticatedHttpRequest
from progress import projection
from progress.models import UnitProgress
from progress.status import course_statuses

LEARNERS_PER_PAGE = 25
OPEN = (SessionState.LAUNCHED, SessionState.INITIALIZED)
# cmi5 §9.5.5.2: the reasons the LMS gives, as staff read them.
_REASON_LABELS = {
    "Tested Out": gettext_lazy("Tested out: an assessment showed the learner knows it"),
    "Equivalent AU": gettext_lazy("An equivalent unit of this course was completed"),
    "Equivalent Outside Activity": gettext_lazy("An equivalent activity elsewhere"),
    "Administrative": gettext_lazy("An administrative decision"),
}
WAIVE_REASONS = [(reason, _REASON_LABELS[reason]) for reason in projection.WAIVE_REASONS]


def state_label(progress: UnitProgress) -> UnitState:
    """What the learner's progress in a unit reads as (most telling first), with its score and
    the time spent when the unit reported them."""
    if progress.waived:
        label, done = _("Waived"), True
    elif progress.passed:
        label, done = _("Passed"), True
    elif progress.completed:
        label, done = _("Completed"), True
    elif progress.failed:
        label, done = _("Failed"), False
    elif progress.satisfied:
        label, done = _("Not required"), False  # moveOn NotApplicable (cmi5 §9.6.1)
    else:
        label, done = _("In progress"), False
    spent = progress.time_spent + progress.open_session_time
    return UnitState(label, done, progress.score_scaled, spent or None)


def unit_states(*, enrolment: Any) -> dict[int, UnitState]:
    """courses' UnitStates port: one query."""
    return {p.unit_id: state_label(p) for p in UnitProgress.objects.filter(enrolment=enrolment)}


def course_standing(*, enrolment: Any) -> CourseStanding:
    """courses' CourseStandings port: the one rule (progress/status.py), three queries."""
    status = course_statuses(learner_ids=[enrolment.learner_id], course_ids=[enrolment.course_id])
    found = status[(enrolment.learner_id, enrolment.course_id)]
    return CourseStanding(
        str(found.state), found.units_done, found.units_total, found.completed_on, found.score
    )


def course_section(*, request: Any, course: Course) -> SafeString:
    """On the course page, for staff: the way to its learners' progress and sessions."""
    if not (request.user.is_authenticated and request.user.is_staff):
        return SafeString("")
    return render_to_string("progress/_course_staff.html", {"course": course}, request=request)


def _staff_course(request: HttpRequest, slug: str) -> Course:
    if not request.user.is_staff:
        raise Http404
    return get_object_or_404(Course, slug=slug)


@login_required
def course_learners(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """The course's learners, searchable, with how many units each has done (three queries a
    page, whatever its size)."""
    course = _staff_course(request, slug)
    query = request.GET.get("q", "").strip()[:200]
    enrolments = Enrolment.objects.filter(course=course).select_related("learner")
    if query:
        enrolments = enrolments.filter(
            Q(learner__display_name__icontains=query) | Q(learner__email__icontains=query)
        )
    page = Paginator(enrolments.order_by("learner__display_name", "id"), LEARNERS_PER_PAGE)
    page_obj = page.get_page(request.GET.get("page"))
    ids = [e.pk for e in page_obj.object_list]
    done = dict.fromkeys(ids, 0)
    for enrolment_id in UnitProgress.objects.filter(
        enrolment_id__in=ids, satisfied=True, unit__is_active=True
    ).values_list("enrolment_id", flat=True):
        done[enrolment_id] += 1
    open_sessions = set(
        LaunchSession.objects.filter(enrolment_id__in=ids, state__in=OPEN).values_list(
            "enrolment_id", flat=True
        )
    )
    total = course.units.filter(is_active=True).count()
    rows = [(e, done[e.pk], e.pk in open_sessions) for e in page_obj.object_list]
    return render(
        request,
        "progress/course_learners.html",
        {
            "course": course,
            "title": course.title_in(translation.get_language() or "en"),
            "rows": rows,
            "total": total,
            "page": page_obj,
            "query": query,
            "query_string": urlencode({"q": query}) if query else "",
        },
    )


@dataclass(frozen=True)
class UnitRow:
    unit: CourseUnit
    title: str
    state: UnitState | None
    satisfied: bool
    sessions: list[LaunchSession]


def _enrolment(course: Course, learner: UUID) -> Enrolment:
    return get_object_or_404(
        Enrolment.objects.select_related("learner"), course=course, learner__public_id=learner
    )


@login_required
def course_learner(request: AuthenticatedHttpRequest, slug: str, learner: UUID) -> HttpResponse:
    """One learner in the course: each unit's state, its open sessions (to abandon) and, for a
    unit not satisfied yet, a form to waive it with a reason."""
    course = _staff_course(request, slug)
    enrolment = _enrolment(course, learner)
    language = translation.get_language() or "en"
    progress = {p.unit_id: p for p in UnitProgress.objects.filter(enrolment=enrolment)}
    sessions: dict[int, list[LaunchSession]] = {}
    for session in LaunchSession.objects.filter(enrolment=enrolment, state__in=OPEN).order_by(
        "launched_at"
    ):
        sessions.setdefault(session.unit_id, []).append(session)
    rows = [
        UnitRow(
            unit=unit,
            title=unit.title_in(language),
            state=state_label(progress[unit.pk]) if unit.pk in progress else None,
            satisfied=unit.pk in progress and progress[unit.pk].satisfied,
            sessions=sessions.get(unit.pk, []),
        )
        for unit in course.units.filter(is_active=True).order_by("index")
    ]
    return render(
        request,
        "progress/course_learner.html",
        {
            "course": course,
            "title": course.title_in(language),
            "enrolment": enrolment,
            "rows": rows,
            "reasons": WAIVE_REASONS,
        },
    )


@login_required
@require_POST
def abandon_session(
    request: AuthenticatedHttpRequest, slug: str, learner: UUID, session: UUID
) -> HttpResponse:
    course = _staff_course(request, slug)
    enrolment = _enrolment(course, learner)
    found = get_object_or_404(LaunchSession, enrolment=enrolment, public_id=session)
    if projection.abandon(session=found):
        messages.success(
            request, _("The session was abandoned: the learner can start the unit again.")
        )
    else:
        messages.info(request, _("That session had already ended; nothing was changed."))
    return redirect("progress:course-learner", slug=slug, learner=learner)


@login_required
@require_POST
def waive_unit(
    request: AuthenticatedHttpRequest, slug: str, learner: UUID, index: int
) -> HttpResponse:
    course = _staff_course(request, slug)
    enrolment = _enrolment(course, learner)
    unit = get_object_or_404(CourseUnit, course=course, index=index, is_active=True)
    reason = request.POST.get("reason", "")
    if reason not in dict(WAIVE_REASONS):
        messages.error(request, _("Choose why the unit is waived."))
    elif not request.POST.get("confirm"):
        messages.error(request, _("Tick the box to confirm the waiver: it cannot be undone."))
    elif projection.waive_unit(enrolment=enrolment, unit=unit, reason=reason):
        messages.success(
            request,
            _("%(unit)s is waived for %(learner)s.")
            % {
                "unit": unit.title_in(translation.get_language() or "en"),
                "learner": enrolment.learner,
            },
        )
    else:
        messages.info(request, _("This unit was waived already; nothing was changed."))
    return redirect("progress:course-learner", slug=slug, learner=learner)
