"""Issue 4's "done when", in one flow: a real cmi5 course structure with blocks is imported,
put in a journey; the learner enrols, and for every AU the LMS launches it, the AU fetches its
token and posts its statements through the LRS as content would; AU, block, course and journey
are satisfied, and the completion records are written."""

from io import StringIO

import orjson
import pytest
from django.core.management import call_command

from courses.models import Course, MoveOn
from courses.services import enrol_in_journey, enrol_learner
from progress.models import CompletionRecord, Statement, UnitProgress
from tests.courses.au import AU, COMPLETED, INITIALIZED, PASSED, TERMINATED
from tests.courses.factories import JourneyFactory
from tests.lms.factories import UserFactory
from tests.paths import CMI5

pytestmark = pytest.mark.django_db

CATEGORY = "https://w3id.org/xapi/cmi5/context/categories/cmi5"
SATISFIED = "https://w3id.org/xapi/adl/verbs/satisfied"


def _post(client, token: str, statement: dict) -> int:
    return client.generic(
        "POST", "/xapi/statements", data=orjson.dumps(statement), content_type="application/json",
        HTTP_AUTHORIZATION=f"Basic {token}", HTTP_X_EXPERIENCE_API_VERSION="1.0.3",
    ).status_code  # fmt: skip


def _take(client, learner, unit) -> None:
    """Play the AU: launch, fetch, initialized, what its moveOn needs, terminated."""
    au = AU(client, learner, unit)
    needed = {
        MoveOn.PASSED: [PASSED],
        MoveOn.COMPLETED: [COMPLETED],
        MoveOn.COMPLETED_AND_PASSED: [COMPLETED, PASSED],
        MoveOn.COMPLETED_OR_PASSED: [COMPLETED],
        MoveOn.NOT_APPLICABLE: [],
    }[MoveOn(unit.move_on)]
    for sample in [INITIALIZED, *needed, TERMINATED]:
        extra = {"score": {"scaled": 1.0}} if sample == PASSED else {}
        response = au.send(sample, **extra)
        assert response.status_code == 200, (unit.activity_iri, sample, response.content)


def test_a_real_course_with_blocks_in_a_journey_is_satisfied_through_the_lrs(client):
    call_command(
        "import_course",
        str(CMI5 / "aicc" / "v1" / "examples" / "complex-cmi5.xml"),
        "--publish",
        stdout=StringIO(),
    )
    course = Course.objects.get()
    journey = JourneyFactory()
    journey.steps.create(course=course, order=1, required=True)
    learner = UserFactory()
    enrol_learner(learner=learner, course=course)
    enrol_in_journey(learner=learner, journey=journey)

    units = list(course.units.order_by("index"))
    assert len(units) > 1
    for unit in units:
        _take(client, learner, unit)

    satisfied = {
        s["object"]["id"]
        for s in (orjson.loads(p) for p in Statement.objects.values_list("payload", flat=True))
        if s["verb"]["id"] == SATISFIED
    }
    # cmi5 §9.4: the LMS says "satisfied" of blocks and the course, never of an AU.
    assert not {u.lms_activity_iri for u in units} & satisfied
    assert {b.lms_activity_iri for b in course.blocks.all()} <= satisfied
    assert course.lms_activity_iri in satisfied
    assert journey.activity_iri in satisfied
    assert UnitProgress.objects.filter(satisfied=True).count() == len(units)
    course_record = CompletionRecord.objects.get(course=course, learner=learner)
    journey_record = CompletionRecord.objects.get(journey=journey, learner=learner)
    assert str(course_record.public_id) in journey_record.evidence
    with pytest.raises(ValueError, match="never edited"):
        course_record.save()
    with pytest.raises(ValueError, match="never deleted"):
        course_record.delete()
