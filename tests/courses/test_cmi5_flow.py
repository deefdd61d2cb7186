"""A real cmi5 course taken through the LRS as content would: rules (cmi5 §9.3), satisfied
statements, progress and the CompletionRecord. Statements are the specification's samples."""

import json
import uuid
from decimal import Decimal
from io import StringIO

import orjson
import pytest
from django.core.management import call_command

from courses.models import Course, LaunchMode
from courses.services import enrol_learner
from progress.models import CompletionRecord, Statement, UnitProgress
from tests.courses.au import AU, COMPLETED, FAILED, INITIALIZED, PASSED, SCENARIOS, TERMINATED
from tests.lms.factories import UserFactory
from tests.paths import CMI5

pytestmark = pytest.mark.django_db

SATISFIED = "https://w3id.org/xapi/adl/verbs/satisfied"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def course():
    call_command(
        "import_course",
        str(CMI5 / "single_au_basic_responsive.zip"),
        "--publish",
        stdout=StringIO(),
    )
    return Course.objects.get()


@pytest.fixture
def learner(course):
    learner = UserFactory()
    enrol_learner(learner=learner, course=course)
    return learner


def _verbs() -> list[str]:
    return [
        orjson.loads(p)["verb"]["id"]
        for p in Statement.objects.order_by("id").values_list("payload", flat=True)
    ]


def test_completing_the_au_satisfies_it_and_the_course_once(client, course, learner):
    au = AU(client, learner, course.units.get())
    assert au.send(INITIALIZED).status_code == 200
    assert au.send(COMPLETED, duration="PT12M").status_code == 200
    assert au.send(TERMINATED, duration="PT15M").status_code == 200
    # cmi5 §9.4: "satisfied" is said of the course (this one has no block), not of the AU.
    assert _verbs().count(SATISFIED) == 1
    progress = UnitProgress.objects.get()
    assert progress.completed
    assert progress.satisfied
    record = CompletionRecord.objects.get()
    assert record.learner == learner
    assert record.course == course
    assert record.registration == au.launch.session.registration
    # Satisfied at "completed": the time known then is what it took to complete.
    assert record.time_spent.total_seconds() == 12 * 60
    assert progress.time_spent.total_seconds() == 15 * 60  # the session, once terminated
    stored_ids = set(map(str, Statement.objects.values_list("statement_id", flat=True)))
    assert set(record.evidence) <= stored_ids
    stored = [orjson.loads(p) for p in Statement.objects.values_list("payload", flat=True)]
    course_satisfied = [
        s for s in stored
        if s["verb"]["id"] == SATISFIED and s["object"]["id"] == course.lms_activity_iri
    ]  # fmt: skip
    assert course_satisfied[0]["object"]["definition"]["type"].endswith("/activitytype/course")
    # A second session: nothing satisfies twice, no second record.
    again = AU(client, learner, course.units.get())
    assert again.send(INITIALIZED).status_code == 200
    assert again.send(PASSED).status_code == 200
    assert _verbs().count(SATISFIED) == 1
    assert CompletionRecord.objects.count() == 1


@pytest.mark.parametrize(
    ("steps", "refused", "why"),
    [
        ([], COMPLETED, "initialized must be the first"),
        ([INITIALIZED], INITIALIZED, "only one initialized"),
        ([INITIALIZED, COMPLETED], COMPLETED, "completed may be sent once"),
        ([INITIALIZED, PASSED], FAILED, "failed must not follow passed"),
        ([INITIALIZED, PASSED], PASSED, "passed may be sent once"),
        ([INITIALIZED, FAILED], PASSED, "at most one passed or failed"),
    ],
)
def test_statements_that_break_the_cmi5_rules_are_refused(  # noqa: PLR0917 - fixtures
    client, course, learner, steps, refused, why
):
    au = AU(client, learner, course.units.get())
    for step in steps:
        assert au.send(step).status_code == 200, step
    before = Statement.objects.count()
    response = au.send(refused)
    assert response.status_code == 403
    assert why in response.json()["message"]
    assert Statement.objects.count() == before


def test_mastery_score_decides_passed_and_failed(client, course, learner):
    unit = course.units.get()
    unit.mastery_score = Decimal("0.8")
    unit.save()
    au = AU(client, learner, unit)
    au.send(INITIALIZED)
    low = au.send(PASSED, score={"scaled": 0.5})
    assert low.status_code == 403
    assert "masteryScore" in low.json()["message"]
    high_fail = au.send(FAILED, score={"scaled": 0.9})
    assert high_fail.status_code == 403
    assert au.send(PASSED, score={"scaled": 0.85}).status_code == 200
    assert UnitProgress.objects.get().score_scaled == Decimal("0.85")


@pytest.mark.parametrize("mode", [LaunchMode.BROWSE, LaunchMode.REVIEW])
def test_browse_and_review_modes_record_no_result(client, course, learner, mode):
    au = AU(client, learner, course.units.get(), mode=mode)
    assert au.send(INITIALIZED).status_code == 200
    response = au.send(COMPLETED)
    assert response.status_code == 403
    assert mode in response.json()["message"]
    assert au.send(TERMINATED).status_code == 200
    assert not CompletionRecord.objects.exists()


ABANDONED = "https://w3id.org/xapi/adl/verbs/abandoned"


def test_relaunching_abandons_the_unterminated_session_once(client, course, learner):
    first = AU(client, learner, course.units.get())
    assert first.send(INITIALIZED).status_code == 200
    AU(client, learner, course.units.get())  # the learner launches again
    assert _verbs().count(ABANDONED) == 1
    response = first.send(COMPLETED)
    assert response.status_code == 401  # cmi5 §8.2.1: the token lasts as long as its session
    assert "abandoned" in response.json()["message"]
    AU(client, learner, course.units.get())  # the second session never initialized: abandoned too
    assert _verbs().count(ABANDONED) == 2


WAIVED = "https://w3id.org/xapi/adl/verbs/waived"


def test_staff_waive_a_unit_once_and_the_course_is_satisfied(course, learner):
    from django.urls import reverse
    from rest_framework.test import APIClient

    unit = course.units.get()
    url = reverse("progress-api:waive", args=[course.public_id, unit.index])
    api = APIClient()
    api.force_login(UserFactory())
    body = {"learner": str(learner.public_id), "reason": "Tested Out"}
    assert api.post(url, body, format="json").status_code == 403
    api.force_login(UserFactory(is_staff=True))
    assert api.post(url, {**body, "reason": "Because"}, format="json").status_code == 400
    assert api.post(url, body, format="json").status_code == 201
    assert api.post(url, body, format="json").status_code == 200
    assert _verbs().count(WAIVED) == 1
    assert _verbs().count(SATISFIED) == 1
    waived = next(
        orjson.loads(p) for p in Statement.objects.values_list("payload", flat=True)
        if orjson.loads(p)["verb"]["id"] == WAIVED
    )  # fmt: skip
    assert (
        waived["result"]["extensions"]["https://w3id.org/xapi/cmi5/result/extensions/reason"]
        == "Tested Out"
    )
    assert CompletionRecord.objects.get().learner == learner
    stranger = {"learner": str(UserFactory().public_id), "reason": "Tested Out"}
    assert api.post(url, stranger, format="json").status_code == 404


def test_the_dashboard_shows_progress_then_completion(
    client, course, learner, django_assert_max_num_queries
):
    from django.urls import reverse

    client.force_login(learner)
    with django_assert_max_num_queries(13):  # with the first page's to-do count
        page = client.get(reverse("progress:dashboard"))
    line = page.context["in_progress"][0]
    assert (line.satisfied_units, line.total_units, line.next_unit_index) == (0, 1, 0)
    au = AU(client, learner, course.units.get())
    au.send(INITIALIZED)
    au.send(COMPLETED)
    page = client.get(reverse("progress:dashboard"))
    assert page.context["in_progress"] == []
    assert page.context["completed"][0].slug == course.slug
    assert page.context["completed"][0].completed_on


BLOCK_TYPE = "https://w3id.org/xapi/cmi5/activitytype/block"


def test_blocks_are_satisfied_once_when_their_units_are(client):
    """cmi5 §9.3.9 with the specification's complex example (nested blocks)."""
    from progress.projection import waive_unit

    call_command(
        "import_course",
        str(CMI5 / "aicc" / "v1" / "examples" / "complex-cmi5.xml"),
        stdout=StringIO(),
    )
    course = Course.objects.get()
    learner = UserFactory()
    enrolment = enrol_learner(learner=learner, course=course)
    units = list(course.units.order_by("index"))
    blocks = {b.pk: b for b in course.blocks.all()}
    assert len(blocks) >= 2
    assert any(b.parent_id for b in blocks.values())  # nested

    def satisfied_objects() -> list[str]:
        return [
            s["object"]["id"]
            for s in (orjson.loads(p) for p in Statement.objects.values_list("payload", flat=True))
            if s["verb"]["id"] == SATISFIED
        ]

    for unit in units:
        waive_unit(enrolment=enrolment, unit=unit, reason="Administrative")
    objects = satisfied_objects()
    for block in blocks.values():
        assert objects.count(block.lms_activity_iri) == 1, block
        assert block.lms_activity_iri != block.block_iri
    assert objects.count(course.lms_activity_iri) == 1
    assert CompletionRecord.objects.get().course == course
    block_statement = next(
        s for s in (orjson.loads(p) for p in Statement.objects.values_list("payload", flat=True))
        if s["object"]["id"] in {b.lms_activity_iri for b in blocks.values()}
    )  # fmt: skip
    assert block_statement["object"]["definition"]["type"] == BLOCK_TYPE


def test_staff_abandon_a_session_through_the_api(client, course, learner):
    from django.urls import reverse
    from rest_framework.test import APIClient

    au = AU(client, learner, course.units.get())
    au.send(INITIALIZED)
    url = reverse("progress-api:abandon-session", args=[au.launch.session.public_id])
    api = APIClient()
    api.force_login(UserFactory())
    assert api.post(url).status_code == 403
    api.force_login(UserFactory(is_staff=True))
    assert api.post(url).status_code == 204
    assert api.post(url).status_code == 204  # once only
    assert _verbs().count(ABANDONED) == 1
    assert au.send(COMPLETED).status_code == 401
    assert api.post(reverse("progress-api:abandon-session", args=[uuid.uuid4()])).status_code == 404


def test_quiet_sessions_are_abandoned_by_the_scheduled_task(client, course, learner, settings):
    from datetime import timedelta

    from django.utils import timezone

    from courses.models import LaunchSession
    from progress.tasks import abandon_stale_sessions

    settings.CMI5_SESSION_TIMEOUT_HOURS = 4
    quiet = AU(client, learner, course.units.get())
    quiet.send(INITIALIZED)
    hours_ago = timezone.now() - timedelta(hours=5)
    LaunchSession.objects.filter(pk=quiet.launch.session.pk).update(launched_at=hours_ago)
    UnitProgress.objects.update(last_activity_at=hours_ago)
    assert abandon_stale_sessions() == 1
    assert abandon_stale_sessions() == 0  # idempotent
    assert _verbs().count(ABANDONED) == 1
    other = UserFactory()
    enrol_learner(learner=other, course=course)
    AU(client, other, course.units.get())  # launched just now: left alone
    assert abandon_stale_sessions() == 0


def test_an_au_may_not_void_statements(client, course, learner):
    au = AU(client, learner, course.units.get())
    au.send(INITIALIZED)
    target = Statement.objects.order_by("id").values_list("statement_id", flat=True).first()
    statement = json.loads((SCENARIOS / INITIALIZED).read_text())
    statement.update(
        id=str(uuid.uuid4()),
        actor=json.loads(au.params["actor"]),
        verb={"id": "http://adlnet.gov/expapi/verbs/voided"},
        object={"objectType": "StatementRef", "id": str(target)},
    )
    statement["context"]["registration"] = au.params["registration"]
    response = au.client.generic(
        "POST", "/xapi/statements", data=orjson.dumps(statement), content_type="application/json",
        HTTP_AUTHORIZATION=f"Basic {au.token}", HTTP_X_EXPERIENCE_API_VERSION="1.0.3",
    )  # fmt: skip
    assert response.status_code == 403
    assert "void" in response.json()["message"]


def test_failed_then_passed_in_a_new_session_is_allowed(client, course, learner):
    first = AU(client, learner, course.units.get())
    first.send(INITIALIZED)
    assert first.send(FAILED).status_code == 200
    first.send(TERMINATED)
    second = AU(client, learner, course.units.get())
    second.send(INITIALIZED)
    assert second.send(PASSED).status_code == 200
