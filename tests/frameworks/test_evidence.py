"""What a completion proves is answered once (frameworks.api.competences_proven_by, decision
0008): the competences a certificate lists are those the learner's profile counts for its record."""

import pytest

from certificates.models import Certificate
from courses.models import CourseUnit, JourneyStep, UnitKind
from courses.ports import lrs
from courses.services import enrol_in_journey, enrol_learner
from frameworks.api import competences_proven_by
from frameworks.models import AlignmentRelation
from frameworks.selectors import competence_profile
from frameworks.services import align
from progress.models import CompletionRecord
from tests.certificates.factories import IssuanceRuleFactory
from tests.courses.factories import CourseFactory, JourneyFactory
from tests.frameworks.factories import CompetenceFactory, FrameworkFactory, complete
from tests.lms.factories import UserFactory

pytestmark = pytest.mark.django_db


def unit(course, index, move_on):
    return CourseUnit.objects.create(
        course=course, index=index, kind=UnitKind.LINK, activity_iri=f"urn:u:{course.pk}:{index}",
        title={"en": f"Unit {index}"}, url=f"https://example.org/{index}", move_on=move_on,
    )  # fmt: skip


def on_certificate(record):
    snapshot = Certificate.objects.get(record=record).snapshot
    return {c["identifier"]: c["level"] for c in snapshot["competences"]}


def in_profile(learner, framework, record):
    """The competences the profile counts directly for ``record``, at their highest level."""
    found: dict[str, int] = {}
    for entry in competence_profile(learner, framework).entries:
        for evidence in entry.evidence:
            if evidence.record == record.public_id and not evidence.via:
                key = str(entry.competence.identifier)
                found[key] = max(found.get(key, 0), evidence.level)
    return found


@pytest.fixture
def framework():
    return FrameworkFactory()


def test_a_course_certificate_lists_what_the_profile_counts(
    framework, django_capture_on_commit_callbacks
):
    a, b, c, d, e = (CompetenceFactory(framework=framework) for _ in range(5))
    course = CourseFactory()
    done = unit(course, 0, "Completed")
    waived = unit(course, 1, "NotApplicable")  # satisfied when the registration starts
    assessed = unit(course, 2, "Completed")  # completed, never passed
    align(competence=a, course=course, level=1)
    align(competence=a, unit=done, level=3)  # the higher level counts
    align(competence=b, unit=waived, level=2)  # satisfied alone is no evidence
    align(competence=c, unit=assessed, level=2, relation=AlignmentRelation.ASSESSES)
    align(competence=d, unit=assessed, level=2)  # completed is enough to teach
    align(competence=e, course=CourseFactory(), level=2)  # another course
    IssuanceRuleFactory(course=course)
    learner = UserFactory()
    enrolment = enrol_learner(learner=learner, course=course)
    with django_capture_on_commit_callbacks(execute=True):
        lrs().record_platform_unit(enrolment=enrolment, unit=done, done=True)
        lrs().record_platform_unit(enrolment=enrolment, unit=assessed, done=True)
    record = CompletionRecord.objects.get(learner=learner)

    expected = {str(a.identifier): 3, str(d.identifier): 2}
    assert on_certificate(record) == expected
    assert in_profile(learner, framework, record) == expected
    proven = competences_proven_by(record)
    assert [(p.competence, p.level) for p in proven] == sorted(
        [(a, 3), (d, 2)], key=lambda pair: (pair[0].order, pair[0].pk)
    )


def test_a_journey_certificate_lists_what_the_profile_counts(
    framework, django_capture_on_commit_callbacks
):
    own, courses = CompetenceFactory(framework=framework), CompetenceFactory(framework=framework)
    course = CourseFactory()
    unit(course, 0, "Completed")
    journey = JourneyFactory()
    JourneyStep.objects.create(journey=journey, course=course, order=1)
    align(competence=own, journey=journey, level=2)
    align(competence=courses, course=course, level=1)
    IssuanceRuleFactory(course=None, journey=journey)
    learner = UserFactory()
    enrol_in_journey(learner=learner, journey=journey)
    with django_capture_on_commit_callbacks(execute=True):
        complete(learner, course)
    record = CompletionRecord.objects.get(learner=learner, journey=journey)

    # The journey's record proves the journey's alignments; the course's record proves its own.
    assert on_certificate(record) == in_profile(learner, framework, record)
    assert on_certificate(record) == {str(own.identifier): 2}
    course_record = CompletionRecord.objects.get(learner=learner, course=course)
    assert in_profile(learner, framework, course_record) == {str(courses.identifier): 1}


def test_what_a_record_proves_takes_four_queries(framework, django_assert_num_queries):
    course = CourseFactory()
    units = [unit(course, index, "Completed") for index in range(6)]
    for index, each in enumerate(units):
        align(competence=CompetenceFactory(framework=framework), unit=each, level=1 + index % 4)
        align(competence=CompetenceFactory(framework=FrameworkFactory()), course=course)
    learner = UserFactory()
    enrolment = enrol_learner(learner=learner, course=course)
    for each in units:
        lrs().record_platform_unit(enrolment=enrolment, unit=each, done=True)
    record = CompletionRecord.objects.get(learner=learner)
    with django_assert_num_queries(4):
        proven = competences_proven_by(record, "en")
    assert len(proven) == 12
