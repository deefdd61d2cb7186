"""Only conforming AU statements are stored and projected (cmi5 §6.3, §9, §10.2.2, §11).

Each case breaks one rule in an otherwise valid statement of CATAPULT's 001 course (masteryScore
0.9, moveOn CompletedAndPassed): the LRS answers 403 naming the section, stores nothing, and the
learner's progress and records stay as they were.
"""

import copy
from io import StringIO

import pytest
from django.core.management import call_command

from courses.models import Course, LaunchMode
from courses.services import enrol_learner
from progress.models import CompletionRecord, Statement, UnitProgress
from tests.courses.au import (
    AU,
    COMPLETED,
    EXT,
    FAILED,
    INITIALIZED,
    MOVEON_CATEGORY,
    PASSED,
    TERMINATED,
)
from tests.lms.factories import UserFactory
from tests.paths import CATAPULT

pytestmark = pytest.mark.django_db

ALLOWED = "19-cmi5-allowed-test-questions/06-answered-01.json"
CMI5_CATEGORY = "https://w3id.org/xapi/cmi5/context/categories/cmi5"
SCORE = {"scaled": 0.95, "raw": 95, "min": 0, "max": 100}


@pytest.fixture
def course():
    call_command(
        "import_course", str(CATAPULT / "001-essentials.zip"), "--publish", stdout=StringIO()
    )
    return Course.objects.get()


@pytest.fixture
def au(client, course):
    learner = UserFactory()
    enrol_learner(learner=learner, course=course)
    au = AU(client, learner, course.units.get())
    assert au.send(INITIALIZED).status_code == 200
    return au


def _without(path: str):
    def change(statement):
        *parents, last = path.split(".")
        target = statement
        for name in parents:
            target = target[name]
        del target[last]

    return change


def _set(path: str, value):
    def change(statement):
        *parents, last = path.split(".")
        target = statement
        for name in parents:
            target = target[name]
        target[last] = copy.deepcopy(value)

    return change


def _categories(ids):
    return _set("context.contextActivities.category", [{"id": i} for i in ids])


def _extension(name, value):
    def change(statement):
        statement["context"]["extensions"][f"{EXT}{name}"] = value

    return change


def _void(statement):
    launched = Statement.objects.order_by("id").first()
    statement["verb"] = {"id": "http://adlnet.gov/expapi/verbs/voided"}
    statement["object"] = {"objectType": "StatementRef", "id": str(launched.statement_id)}


def _drop_extension(name):
    def change(statement):
        del statement["context"]["extensions"][f"{EXT}{name}"]

    return change


# Each case: the sample it starts from, its result, the change that breaks it, the section.
CASES = {
    "no id (POST)": (ALLOWED, {}, _without("id"), "9.1"),
    "no timestamp": (ALLOWED, {}, _without("timestamp"), "9.7"),
    "a timestamp not in UTC": (
        ALLOWED, {}, _set("timestamp", "2026-12-07T10:00:00.000-06:00"), "9.7",
    ),
    "no context": (PASSED, {"score": SCORE}, _without("context"), "9.6"),
    "no session id": (ALLOWED, {}, _drop_extension("sessionid"), "9.6.3.1"),
    "another session id": (
        ALLOWED, {}, _extension("sessionid", "d1b7b2a6-0d5c-4e5c-8a43-0a0b9e6d0b1e"), "9.6.3.1",
    ),
    "no registration": (PASSED, {"score": SCORE}, _without("context.registration"), "9.6.1"),
    "another registration": (
        ALLOWED, {}, _set("context.registration", "ccaf384c-f8d4-4e7a-8304-49af58f0b176"),
        "9.6.1",
    ),
    "no publisher id in the grouping": (
        ALLOWED, {}, _set("context.contextActivities.grouping", []), "9.6.2.3",
    ),
    "a Group actor": (PASSED, {"score": SCORE}, _set("actor.objectType", "Group"), "9.2"),
    "the publisher's id as object": (
        PASSED, {"score": SCORE},
        _set("object.id", "https://w3id.org/xapi/cmi5/catapult/lts/au/001-essentials"), "9.4",
    ),
    "another object": (
        COMPLETED, {}, _set("object.id", "http://example.com/not/the/lms/id"), "9.4",
    ),
    "passed with completion": (PASSED, {"score": SCORE, "completion": True}, None, "9.5.3"),
    "completed with success": (COMPLETED, {"success": True}, None, "9.5.2"),
    "completed without completion": (COMPLETED, {}, _without("result.completion"), "9.5.3"),
    "completed with completion false": (COMPLETED, {"completion": False}, None, "9.5.3"),
    "completed with a score": (COMPLETED, {"score": SCORE}, None, "9.5.1"),
    "terminated without a result": (TERMINATED, {}, _without("result"), "9.5.4.1"),
    "terminated without a duration": (TERMINATED, {}, _without("result.duration"), "9.5.4.1"),
    "completed without a duration": (COMPLETED, {}, _without("result.duration"), "9.5.4.1"),
    "passed without a duration": (
        PASSED, {"score": SCORE}, _without("result.duration"), "9.5.4.1",
    ),
    "failed without a duration": (FAILED, {}, _without("result.duration"), "9.5.4.1"),
    "passed without success": (PASSED, {"score": SCORE}, _without("result.success"), "9.5.2"),
    "passed with success false": (PASSED, {"score": SCORE, "success": False}, None, "9.5.2"),
    "failed without success": (FAILED, {}, _without("result.success"), "9.5.2"),
    "failed with success true": (FAILED, {"success": True}, None, "9.5.2"),
    "passed below the masteryScore": (PASSED, {"score": {"scaled": 0.89}}, None, "9.3.4"),
    "failed at the masteryScore": (FAILED, {"score": {"scaled": 0.9}}, None, "9.3.5"),
    "failed above the masteryScore": (FAILED, {"score": {"scaled": 0.91}}, None, "9.3.5"),
    "a raw score without min": (
        PASSED, {"score": {"scaled": 0.95, "raw": 95, "max": 100}}, None, "9.5.1",
    ),
    "a raw score without max": (
        PASSED, {"score": {"scaled": 0.95, "raw": 95, "min": 0}}, None, "9.5.1",
    ),
    "completed without the moveOn category": (
        COMPLETED, {}, _categories([CMI5_CATEGORY]), "9.6.2.2",
    ),
    "passed without the moveOn category": (
        PASSED, {"score": SCORE}, _categories([CMI5_CATEGORY]), "9.6.2.2",
    ),
    "failed without the moveOn category": (FAILED, {}, _categories([CMI5_CATEGORY]), "9.6.2.2"),
    "an allowed statement with the moveOn category": (
        ALLOWED, {}, _categories([MOVEON_CATEGORY["id"]]), "9.6.2.2",
    ),
    "terminated with the moveOn category": (
        TERMINATED, {}, _categories([CMI5_CATEGORY, MOVEON_CATEGORY["id"]]), "9.6.2.2",
    ),
    "a score without the masteryScore extension": (
        PASSED, {"score": SCORE}, _drop_extension("masteryscore"), "9.6.3.2",
    ),
    "another masteryScore": (PASSED, {"score": SCORE}, _extension("masteryscore", 0.8), "9.6.3.2"),
    "a verb of the LMS": (
        COMPLETED, {}, _set("verb", {"id": "https://w3id.org/xapi/adl/verbs/satisfied"}), "9.3",
    ),
    "voiding": (ALLOWED, {}, _void, "6.3"),
}  # fmt: skip


def _snapshot(au):
    progress = UnitProgress.objects.filter(enrolment=au.launch.session.enrolment).values().first()
    return (
        Statement.objects.count(),
        progress,
        CompletionRecord.objects.count(),
        au.launch.session.__class__.objects.values("state", "judged").get(pk=au.launch.session.pk),
    )


@pytest.mark.parametrize("case", CASES)
def test_a_statement_that_breaks_a_rule_is_refused_and_changes_nothing(au, case):
    sample, result, change, section = CASES[case]
    statement = au.statement(sample, **result)
    if sample == ALLOWED:  # a cmi5 allowed statement: the sample's own verb, no cmi5 category
        statement["context"]["contextActivities"]["category"] = []
    if change is not None:
        change(statement)
    before = _snapshot(au)
    response = au.send(statement)
    assert response.status_code == 403, (case, response.content)
    assert f"cmi5 §{section}:" in response.json()["message"], response.json()["message"]
    assert _snapshot(au) == before


def test_the_same_statements_made_right_are_recorded(au):
    """The cases above break a statement that is otherwise right: here, the right ones."""
    allowed = au.statement(ALLOWED)
    allowed["context"]["contextActivities"]["category"] = []
    assert au.send(allowed).status_code == 200
    assert au.send(PASSED, score=SCORE).status_code == 200
    assert au.send(COMPLETED).status_code == 200
    assert au.send(TERMINATED).status_code == 200
    progress = UnitProgress.objects.get()
    assert (progress.passed, progress.completed, progress.satisfied) == (True, True, True)
    assert CompletionRecord.objects.count() == 1


def test_a_batch_with_one_bad_statement_is_refused_whole(au):
    good = au.statement(COMPLETED)
    bad = au.statement(PASSED, score={"scaled": 0.5})
    before = _snapshot(au)
    response = au.request("POST", "statements", [good, bad])
    assert response.status_code == 403
    assert "statements[1]: cmi5 §9.3.4" in response.json()["message"]
    assert _snapshot(au) == before


def test_initialized_waits_for_the_learner_preferences(client, course):
    """cmi5 §11: the AU reads the learner preferences on startup, before initialized."""
    learner = UserFactory()
    enrol_learner(learner=learner, course=course)
    au = AU(client, learner, course.units.get(), read_preferences=False)
    response = au.send(INITIALIZED)
    assert response.status_code == 403
    assert "cmi5 §11.0:" in response.json()["message"]
    assert au.read_preferences().status_code == 200
    assert au.send(INITIALIZED).status_code == 200


@pytest.mark.parametrize("mode", [LaunchMode.BROWSE, LaunchMode.REVIEW])
def test_browse_and_review_take_no_judged_statement(client, course, mode):
    """cmi5 §10.2.2: in Browse and Review, only initialized and terminated of the defined."""
    learner = UserFactory()
    enrol_learner(learner=learner, course=course)
    au = AU(client, learner, course.units.get(), mode=mode)
    assert au.send(INITIALIZED).status_code == 200
    for sample, result in ((PASSED, {"score": SCORE}), (COMPLETED, {}), (FAILED, {})):
        response = au.send(sample, **result)
        assert response.status_code == 403
        assert "cmi5 §10.2.2:" in response.json()["message"]
    assert au.send(TERMINATED).status_code == 200
    assert not UnitProgress.objects.get().satisfied
