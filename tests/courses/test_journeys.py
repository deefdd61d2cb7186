"""Learning journeys: prerequisites lock steps, the next step, and the journey satisfied once."""

import orjson
import pytest
from django.urls import reverse

from courses.models import CourseStatus
from courses.services import enrol_in_journey, enrol_learner
from progress.journeys import journey_state
from progress.models import CompletionRecord, Statement
from progress.projection import waive_unit
from tests.courses.factories import JourneyFactory, course_with_unit
from tests.lms.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def journey():
    journey = JourneyFactory()
    first, second, extra = course_with_unit(), course_with_unit(), course_with_unit()
    step_a = journey.steps.create(course=first, order=1, required=True)
    step_b = journey.steps.create(course=second, order=2, required=True)
    journey.steps.create(course=extra, order=3, required=False)
    step_b.prerequisites.add(step_a)
    return journey


def _complete(learner, course) -> None:
    enrolment = enrol_learner(learner=learner, course=course)
    waive_unit(enrolment=enrolment, unit=course.units.get(), reason="Administrative")


def _steps(journey):
    return [s.course for s in journey.steps.order_by("order")]


def test_prerequisites_lock_steps_and_the_next_step_follows(journey):
    learner = UserFactory()
    enrol_in_journey(learner=learner, journey=journey)
    first, second, _extra = _steps(journey)
    state = journey_state(learner, journey)
    assert [(s.done, s.open) for s in state.steps] == [(False, True), (False, False), (False, True)]
    assert state.next_step.course_slug == first.slug
    _complete(learner, first)
    state = journey_state(learner, journey)
    assert state.next_step.course_slug == second.slug
    assert not state.satisfied


def test_the_journey_is_satisfied_once_when_its_required_steps_are(journey):
    learner = UserFactory()
    enrolment = enrol_in_journey(learner=learner, journey=journey)
    first, second, _extra = _steps(journey)
    _complete(learner, first)
    _complete(learner, second)
    record = CompletionRecord.objects.get(journey=journey)
    assert record.registration == enrolment.registration
    assert record.course is None
    course_records = CompletionRecord.objects.filter(journey__isnull=True, learner=learner)
    assert {str(r.public_id) for r in course_records} <= set(record.evidence)
    satisfied = [
        orjson.loads(p) for p in Statement.objects.values_list("payload", flat=True)
        if orjson.loads(p)["object"]["id"] == journey.activity_iri
    ]  # fmt: skip
    assert len(satisfied) == 1
    assert satisfied[0]["context"]["registration"] == str(enrolment.registration)
    _complete(learner, _steps(journey)[2])  # the optional step changes nothing
    assert CompletionRecord.objects.filter(journey=journey).count() == 1


def test_joining_after_the_courses_satisfies_the_journey_at_once(journey):
    learner = UserFactory()
    for course in _steps(journey)[:2]:
        _complete(learner, course)
    assert not CompletionRecord.objects.filter(journey=journey).exists()
    enrol_in_journey(learner=learner, journey=journey)
    assert CompletionRecord.objects.filter(journey=journey, learner=learner).exists()


def test_journey_page_follow_and_dashboard(client, journey, django_assert_max_num_queries):
    learner = UserFactory()
    client.force_login(learner)
    page = client.get(reverse("courses:journey", args=[journey.slug]))
    assert page.status_code == 200
    assert not page.context["following"]
    client.post(reverse("courses:journey-join", args=[journey.slug]))
    assert client.get(reverse("courses:journey", args=[journey.slug])).context["following"]
    with django_assert_max_num_queries(14) as few:
        dashboard = client.get(reverse("progress:dashboard"))
    line = dashboard.context["journeys"][0]
    assert line.state.next_step.course_slug == _steps(journey)[0].slug
    other = JourneyFactory()
    other.steps.create(course=course_with_unit(), order=1)
    enrol_in_journey(learner=learner, journey=other)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("progress:dashboard"))


def test_draft_journeys_are_not_shown(client):
    draft = JourneyFactory(status=CourseStatus.DRAFT)
    assert client.get(reverse("courses:journey", args=[draft.slug])).status_code == 404


def test_the_catalogue_lists_matching_journeys(client, journey):
    JourneyFactory(title={"en": "Court work"}, status=CourseStatus.DRAFT)
    page = client.get(reverse("courses:catalogue"))
    assert [slug for slug, _t, _s in page.context["journeys"]] == [journey.slug]
    assert (
        client.get(reverse("courses:catalogue"), {"q": "nothing-like-this"}).context["journeys"]
        == []
    )
    body = client.get("/api/journeys/").json()
    assert [j["slug"] for j in body["results"]] == [journey.slug]
    assert [s["order"] for s in body["results"][0]["steps"]] == [1, 2, 3]
