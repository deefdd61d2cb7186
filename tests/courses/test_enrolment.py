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
