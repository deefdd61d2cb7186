"""Learning journeys: each step's state, the next step, and the journey's satisfaction.

A step is done when its course has a CompletionRecord for the learner (any registration); it is
open when all its prerequisites are done; the journey is satisfied when its required steps are
done, which the LMS records once per journey enrolment: a ``satisfied`` statement about the
journey and a CompletionRecord whose evidence is the steps' records.
"""

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from django.db import transaction

from courses.models import JourneyEnrolment, JourneyStep, LearningJourney
from lms.api import User
from progress import services
from progress.chain import log_completion
from progress.clients import lms_client
from progress.models import CompletionRecord
from progress.signals import announce_completion

SATISFIED = "https://w3id.org/xapi/adl/verbs/satisfied"
JOURNEY_TYPE = "https://w3id.org/xapi/cmi5/activitytype/course"  # a journey is a course of courses


@dataclass(frozen=True)
class StepState:
    order: int
    course_slug: str
    title: str
    required: bool
    done: bool
    open: bool


@dataclass(frozen=True)
class JourneyState:
    steps: list[StepState]
    satisfied: bool

    @property
    def next_step(self) -> StepState | None:
        """The first open step not done yet, required steps first."""
        candidates = [s for s in self.steps if s.open and not s.done]
        candidates.sort(key=lambda s: (not s.required, s.order))
        return candidates[0] if candidates else None


def _records_by_course(learner: User, course_ids: set[int]) -> dict[int, CompletionRecord]:
    return {
        r.course_id: r
        for r in CompletionRecord.objects.filter(learner=learner, course_id__in=course_ids)
        if r.course_id is not None
    }


def journey_states(
    learner: User, journeys: list[LearningJourney], language: str = "en"
) -> dict[int, JourneyState]:
    """Each journey's state for ``learner``, in three queries whatever their number: the steps
    with their courses, their prerequisites, the learner's records."""
    steps = list(
        JourneyStep.objects.filter(journey__in=journeys)
        .select_related("course")
        .prefetch_related("prerequisites")
        .order_by("journey_id", "order")
    )
    done_courses = set(_records_by_course(learner, {s.course_id for s in steps}))
    done_steps = {s.pk for s in steps if s.course_id in done_courses}
    states: dict[int, JourneyState] = {}
    for journey in journeys:
        own = [s for s in steps if s.journey_id == journey.pk]
        step_states = [
            StepState(
                order=step.order,
                course_slug=step.course.slug,
                title=step.course.title_in(language),
                required=step.required,
                done=step.pk in done_steps,
                open=all(p.pk in done_steps for p in step.prerequisites.all()),
            )
            for step in own
        ]
        satisfied = bool(own) and all(s.done for s in step_states if s.required)
        states[journey.pk] = JourneyState(steps=step_states, satisfied=satisfied)
    return states


def journey_state(learner: User, journey: LearningJourney, language: str = "en") -> JourneyState:
    return journey_states(learner, [journey], language)[journey.pk]


@transaction.atomic
def journeys_follow(*, learner: User, course_id: int | None = None) -> None:
    """After a course record (or when a learner joins a journey): record the journeys that are
    now satisfied, once each."""
    enrolments = JourneyEnrolment.objects.filter(learner=learner).select_related("journey")
    if course_id is not None:
        enrolments = enrolments.filter(journey__steps__course_id=course_id).distinct()
    following = list(enrolments)
    # One batched state computation for all of them (three queries), not three per journey.
    states = journey_states(learner, [e.journey for e in following])
    recorded = set(
        CompletionRecord.objects.filter(
            registration__in=[e.registration for e in following], journey__isnull=False
        ).values_list("registration", flat=True)
    )
    for enrolment in following:
        if enrolment.registration in recorded or not states[enrolment.journey_id].satisfied:
            continue
        _record_journey(enrolment)


def _record_journey(enrolment: JourneyEnrolment) -> None:
    from courses.api import learner_agent  # noqa: PLC0415

    journey = enrolment.journey
    statement: dict[str, Any] = {
        "id": str(uuid.uuid4()),
        "actor": learner_agent(enrolment.learner),
        "verb": {"id": SATISFIED, "display": {"en-US": "satisfied"}},
        "object": {
            "objectType": "Activity",
            "id": journey.activity_iri,
            "definition": {"name": journey.title, "type": JOURNEY_TYPE},
        },
        "context": {"registration": str(enrolment.registration)},
        "timestamp": services.format_timestamp(datetime.now(UTC)),
    }
    services.store_statements(statements=[statement], client=lms_client(), version="1.0.3")
    required = JourneyStep.objects.filter(journey=journey, required=True).values_list(
        "course_id", flat=True
    )
    records = _records_by_course(enrolment.learner, set(required))
    record = CompletionRecord.objects.create(
        learner=enrolment.learner,
        journey=journey,
        registration=enrolment.registration,
        completed_at=datetime.now(UTC),
        time_spent=sum((r.time_spent for r in records.values()), timedelta()),
        evidence=[statement["id"], *(str(r.public_id) for r in records.values())],
    )
    log_completion(record)
    announce_completion(record.pk)


def on_journey_joined(sender: object, *, enrolment: JourneyEnrolment, **kwargs: object) -> None:
    """A learner who already completed a journey's courses has satisfied it on joining."""
    journeys_follow(learner=enrolment.learner)
