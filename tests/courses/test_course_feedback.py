"""Feedback at every step (issue 19, item 2): the course page and "My learning" show where the
learner stands, the confirmation of a completed course with its CPD hours and certificate."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from certificates.models import Certificate
from courses.models import CourseUnit, UnitKind
from courses.services import enrol_learner
from progress.models import CompletionRecord, UnitProgress
from tests.certificates.factories import IssuanceRuleFactory
from tests.courses.factories import CourseFactory
from tests.lms.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def course():
    course = CourseFactory(cpd_hours=Decimal("2.50"))
    for index in range(2):
        CourseUnit.objects.create(
            course=course, index=index, kind=UnitKind.LINK,
            activity_iri=f"{course.activity_iri}/link/{index}", title={"en": f"Reading {index}"},
            url=f"https://read.example.org/{index}", move_on="Completed",
        )  # fmt: skip
    return course


@pytest.fixture
def learner(course):
    learner = UserFactory()
    enrol_learner(learner=learner, course=course)
    return learner


def _page(client, course) -> str:
    return client.get(reverse("courses:detail", args=[course.slug])).content.decode()


def _panel(client, course) -> str:
    """The learner's progress panel of the course page."""
    return _page(client, course).split('id="standing-heading"', 1)[1].split("</section>", 1)[0]


def _done(client, course, index, capture):
    with capture(execute=True):
        client.post(reverse("courses:launch", args=[course.slug, index]), {"done": "1"})


def test_the_course_page_before_during_and_after_completion(
    client, course, learner, django_capture_on_commit_callbacks
):
    IssuanceRuleFactory(course=course)
    client.force_login(learner)
    before = _page(client, course)
    assert "Not started" in before
    assert '<progress value="0" max="2"' in before
    assert before.count(">Start</button>") == 2
    assert "You completed this course" not in before

    client.post(reverse("courses:launch", args=[course.slug, 0]))  # opened, not done
    during = _page(client, course)
    assert "In progress" in during
    assert ">Continue</button>" in during
    _done(client, course, 0, django_capture_on_commit_callbacks)
    during = _page(client, course)
    assert '<progress value="1" max="2"' in during
    assert "1 of 2 units done" in during
    assert ">Review</button>" in during
    assert "Completed</span>" in during

    _done(client, course, 1, django_capture_on_commit_callbacks)
    after = _page(client, course)
    record = CompletionRecord.objects.get(learner=learner, course=course)
    certificate = Certificate.objects.get(record=record)
    assert '<progress value="2" max="2"' in after
    assert "You completed this course on" in after
    assert "CPD hours earned: 2.5." in after  # no trailing zero (lms.kits.formats)
    assert reverse("my-certificates:pdf", args=[certificate.public_id]) in after
    assert after.count(">Review</button>") == 2
    assert "Mark as done" not in after


def test_a_certificate_not_there_yet_is_being_issued_and_none_without_a_rule(
    client, course, learner, django_capture_on_commit_callbacks
):
    client.force_login(learner)
    for index in range(2):
        client.post(reverse("courses:launch", args=[course.slug, index]), {"done": "1"})
    page = _page(client, course)  # no rule: this course gives no certificate
    assert "You completed this course on" in page
    assert "certificate" not in _panel(client, course).lower()
    IssuanceRuleFactory(course=course, minimum_score=Decimal("0.8"))  # no score: not met
    assert "certificate" not in _panel(client, course).lower()
    IssuanceRuleFactory(course=course)  # the task has not run yet
    assert "Your certificate is being issued" in _page(client, course)


def test_a_unit_shows_its_score_and_time_spent(client, course, learner):
    client.force_login(learner)
    client.post(reverse("courses:launch", args=[course.slug, 0]))
    UnitProgress.objects.filter(unit__index=0).update(
        score_scaled=Decimal("0.8500"), time_spent=timedelta(minutes=12, seconds=20)
    )
    page = _page(client, course)
    assert "Score: 85%" in page
    assert "12 minutes" in page


def test_someone_not_enrolled_sees_no_progress(client, course):
    client.force_login(UserFactory())
    page = _page(client, course)
    assert "<progress" not in page
    assert "Your progress" not in page


def test_the_course_page_takes_the_same_queries_for_more_units(client, course, learner):
    client.force_login(learner)
    for index in range(2):
        client.post(reverse("courses:launch", args=[course.slug, index]), {"done": "1"})
    IssuanceRuleFactory(course=course)  # completed, the certificate being issued: every read
    url = reverse("courses:detail", args=[course.slug])
    client.get(url)
    with CaptureQueriesContext(connection) as two:
        client.get(url)
    for index in range(2, 8):
        CourseUnit.objects.create(
            course=course, index=index, kind=UnitKind.LINK,
            activity_iri=f"{course.activity_iri}/link/{index}", title={"en": f"More {index}"},
            url="https://read.example.org/more", move_on="Completed",
        )  # fmt: skip
    with CaptureQueriesContext(connection) as eight:
        client.get(url)
    assert len(eight) == len(two) <= 24, [q["sql"] for q in eight.captured_queries]


def test_my_learning_shows_the_score_when_there_is_one_and_the_certificate(
    client, course, learner, django_capture_on_commit_callbacks
):
    IssuanceRuleFactory(course=course)
    client.force_login(learner)
    for index in range(2):
        _done(client, course, index, django_capture_on_commit_callbacks)
    page = client.get(reverse("progress:dashboard")).content.decode()
    certificate = Certificate.objects.get(learner=learner)
    assert reverse("my-certificates:pdf", args=[certificate.public_id]) in page
    assert ">Score</th>" not in page  # no row has a score: the column is left out
    other = CourseFactory()
    enrol_learner(learner=learner, course=other)
    registration = learner.enrolments.get(course=other).registration
    CompletionRecord.objects.create(
        learner=learner, course=other, registration=registration,
        completed_at=certificate.issued_at, score_scaled=Decimal("0.9"), evidence=[],
    )  # fmt: skip
    page = client.get(reverse("progress:dashboard")).content.decode()
    assert ">Score</th>" in page
    assert re.search(r">90%<", page)


def test_my_learning_shows_only_the_learners_own_certificates(
    client, course, learner, django_capture_on_commit_callbacks
):
    IssuanceRuleFactory(course=course)
    client.force_login(learner)
    for index in range(2):
        _done(client, course, index, django_capture_on_commit_callbacks)
    someone = UserFactory()
    enrol_learner(learner=someone, course=course)
    client.force_login(someone)
    page = client.get(reverse("progress:dashboard")).content.decode()
    assert reverse("my-certificates:pdf", args=[Certificate.objects.get().public_id]) not in page
    assert "Your certificate" not in _page(client, course)


def test_a_launch_leads_to_a_page_without_scripts_to_open_the_content_and_come_back(
    client, course, learner
):
    client.force_login(learner)
    unit_page = reverse("courses:unit", args=[course.slug, 0])
    assert client.get(unit_page).url == reverse("courses:detail", args=[course.slug])
    response = client.post(reverse("courses:launch", args=[course.slug, 0]))
    assert response.url == unit_page
    page = client.get(unit_page).content.decode()
    assert 'href="https://read.example.org/0"' in page
    assert f'href="{reverse("courses:detail", args=[course.slug])}"' in page
    assert "Mark as done" in page
    assert "<script" not in page
    client.force_login(UserFactory())  # another learner launched nothing here
    assert client.get(unit_page).status_code == 302
