"""Links, videos and documents: the platform records launched and completed for the learner."""

import orjson
import pytest
from django.urls import reverse

from courses.models import CourseUnit, UnitKind
from courses.services import enrol_learner
from progress.models import CompletionRecord, Statement, UnitProgress
from tests.courses.au import opened_url
from tests.courses.factories import CourseFactory
from tests.lms.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def course():
    course = CourseFactory()
    CourseUnit.objects.create(
        course=course, index=0, kind=UnitKind.VIDEO, activity_iri=f"{course.activity_iri}/video",
        title={"en": "Interview techniques"}, url="https://video.example.org/watch/123",
        move_on="Completed",
    )  # fmt: skip
    return course


def _verbs() -> list[str]:
    return [
        orjson.loads(p)["verb"]["id"].rsplit("/", 1)[1]
        for p in Statement.objects.order_by("id").values_list("payload", flat=True)
    ]


def test_opening_then_marking_done_satisfies_the_course(client, course):
    learner = UserFactory()
    enrol_learner(learner=learner, course=course)
    client.force_login(learner)
    url = reverse("courses:launch", args=[course.slug, 0])
    opened = client.post(url)
    assert opened.status_code == 302
    assert opened_url(client, opened) == "https://video.example.org/watch/123"
    assert _verbs() == ["launched"]
    assert client.post(url, {"done": "1"}).status_code == 302
    # cmi5 §9.4: "satisfied" is said of the course, not of the unit.
    assert _verbs() == ["launched", "completed", "satisfied"]
    assert UnitProgress.objects.get().satisfied
    assert CompletionRecord.objects.get().course == course
    client.post(url, {"done": "1"})  # again: nothing new
    assert len(_verbs()) == 3


def test_someone_not_enrolled_cannot_open_or_complete(client, course):
    client.force_login(UserFactory())
    response = client.post(
        reverse("courses:launch", args=[course.slug, 0]), {"done": "1"}, follow=True
    )
    assert "enrolled" in response.content.decode()
    assert not Statement.objects.exists()


def test_status_follows_the_learner(client, course):
    from progress.models import ProgressStatus

    learner = UserFactory()
    enrolment = enrol_learner(learner=learner, course=course)
    client.force_login(learner)
    url = reverse("courses:launch", args=[course.slug, 0])
    client.post(url)
    assert UnitProgress.objects.get(enrolment=enrolment).status == ProgressStatus.IN_PROGRESS
    client.post(url, {"done": "1"})
    assert UnitProgress.objects.get(enrolment=enrolment).status == ProgressStatus.SATISFIED


def test_resume_goes_to_the_unit_last_worked_on(client, course):
    second = CourseUnit.objects.create(
        course=course, index=1, kind=UnitKind.LINK, activity_iri=f"{course.activity_iri}/link",
        title={"en": "Reading"}, url="https://example.org/reading", move_on="Completed",
    )  # fmt: skip
    learner = UserFactory()
    enrol_learner(learner=learner, course=course)
    client.force_login(learner)
    client.post(reverse("courses:launch", args=[course.slug, second.index]))
    line = client.get(reverse("progress:dashboard")).context["in_progress"][0]
    assert line.next_unit_index == second.index
