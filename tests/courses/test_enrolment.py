"""Enrolling a learner: one enrolment and one cmi5 registration per learner and course."""

import pytest

from courses.services import enrol_learner
from tests.courses.factories import CourseFactory
from tests.lms.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_enrolment_mints_a_registration_and_is_idempotent():
    learner, course = UserFactory(), CourseFactory()
    first = enrol_learner(learner=learner, course=course)
    again = enrol_learner(learner=learner, course=course)
    assert first.pk == again.pk
    assert first.registration == again.registration
    other = enrol_learner(learner=UserFactory(), course=course)
    assert other.registration != first.registration


def test_a_paid_course_without_a_seat_enrols_no_one(client):
    from django.urls import reverse

    from courses.models import Enrolment
    from courses.services import EnrolmentRefused

    paid = CourseFactory(is_paid=True)
    learner = UserFactory()
    with pytest.raises(EnrolmentRefused, match="seat"):
        enrol_learner(learner=learner, course=paid)
    client.force_login(learner)
    response = client.post(reverse("courses:enrol", args=[paid.slug]), follow=True)
    assert "needs a seat" in response.content.decode()
    assert not Enrolment.objects.exists()


def test_a_registered_policy_decides(monkeypatch):
    from courses import ports

    class Everyone:
        def check(self, *, learner, course):
            return None

    monkeypatch.setattr(ports, "_policy", Everyone())
    paid = CourseFactory(is_paid=True)
    assert enrol_learner(learner=UserFactory(), course=paid).course == paid
