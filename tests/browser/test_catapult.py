"""CATAPULT's LMS Test Suite (ADL's cmi5 conformance content, tests/data/catapult) through the
learner's pages: log in, enrol, press Start, and the AU tests Practica from the browser. Each AU
writes its verdict as JSON into its ``#result`` element; then the checks CATAPULT makes on the
registration's statements (its ``lts/__tests__/runtime.js``) are made here on what the LRS
answers to ``GET statements?registration=...&ascending=true``.
"""

import base64
import json
import re
import urllib.request
from io import StringIO
from urllib.parse import quote

import pytest
from django.core.management import call_command

from courses.models import Course, LaunchSession
from progress.clients import create_lrs_client
from tests.lms.factories import UserFactory
from tests.paths import CATAPULT

pytestmark = pytest.mark.django_db(transaction=True)

CMI5_CATEGORY = "https://w3id.org/xapi/cmi5/context/categories/cmi5"
MOVEON_CATEGORY = "https://w3id.org/xapi/cmi5/context/categories/moveon"
EXT = "https://w3id.org/xapi/cmi5/context/extensions/"
SATISFIED = "https://w3id.org/xapi/adl/verbs/satisfied"
LTS = "https://w3id.org/xapi/cmi5/catapult/lts"
TIMEOUT = 30_000


@pytest.fixture
def site(live_server, settings):
    settings.SITE_URL = live_server.url  # the launch URL, fetch URL and content live here
    return live_server


def _import(package: str) -> Course:
    out = StringIO()
    call_command("import_course", str(CATAPULT / f"{package}.zip"), "--publish", stdout=out)
    return Course.objects.get(activity_iri=f"{LTS}/course/{package}")


def _log_in(page, user) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("E-mail address").fill(user.email)
    page.get_by_label("Password").fill(UserFactory.default_password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(re.compile(r"/$"))


def _open_course(page, course: Course) -> None:
    page.goto(f"/courses/{course.slug}/")
    enrol = page.get_by_role("button", name="Enrol")
    if enrol.count():
        enrol.click()
        page.get_by_text("You are enrolled.").wait_for()


def _verdict(page) -> dict:
    page.locator("#result").wait_for(state="attached", timeout=TIMEOUT)
    return json.loads(page.locator("#result").text_content())


def _run(page, course: Course, button: str = "Start|Continue") -> dict:
    """The learner presses Start (Continue, Preview, Review) on the course page; the verdict."""
    _open_course(page, course)
    page.get_by_role("button", name=re.compile(f"^({button}) ")).first.click()
    page.get_by_role("link", name=re.compile("^Open ")).click()  # the unit's page, then the AU
    return _verdict(page)


def _passes(verdict: dict) -> None:
    assert verdict["success"] is True, verdict
    assert verdict["isError"] is False, verdict


def _statements(registration: str) -> list[dict]:
    """The registration's statements as a reporting system reads them from the LRS."""
    new = create_lrs_client(name="CATAPULT checks", scopes=["all/read"])
    auth = base64.b64encode(f"{new.client.key}:{new.secret}".encode()).decode()
    from django.conf import settings

    request = urllib.request.Request(  # noqa: S310 - the test's own live server
        f"{settings.SITE_URL}/xapi/statements?registration={quote(registration)}&ascending=true",
        headers={"Authorization": f"Basic {auth}", "X-Experience-API-Version": "1.0.3"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
        return json.loads(response.read())["statements"]


def _categories(statement: dict) -> set[str]:
    return {c["id"] for c in statement["context"]["contextActivities"].get("category", [])}


def _grouping(statement: dict) -> set[str]:
    return {g["id"] for g in statement["context"]["contextActivities"].get("grouping", [])}


def _verbs(statements: list[dict]) -> list[str]:
    return [s["verb"]["id"].rsplit("/", 1)[1] for s in statements]


def test_001_essentials(page, site):
    course = _import("001-essentials")
    _log_in(page, UserFactory())
    verdict = _run(page, course)
    _passes(verdict)
    statements = _statements(verdict["registration"])
    assert _verbs(statements)[:6] == [
        "launched", "initialized", "passed", "completed", "satisfied", "satisfied",
    ]  # fmt: skip
    launched, block, whole = statements[0], statements[4], statements[5]
    extensions = launched["context"]["extensions"]
    # 9.3.1.0-1, 9.3.1.0-2: one launched, first.
    assert _verbs(statements).count("launched") == 1
    # 9.6.2.1-1: the cmi5 category in launched and the LMS's satisfied statements.
    for statement in (launched, block, whole):
        assert CMI5_CATEGORY in _categories(statement)
    # 9.6.3.1-3, 9.6.3.2-1, 9.6.3.3-1, 9.6.3.6-1, 9.6.3.7-1: launched's context extensions.
    assert extensions[f"{EXT}sessionid"] == verdict["sessionId"]
    assert extensions[f"{EXT}masteryscore"] == verdict["masteryScore"] == 0.9
    assert extensions[f"{EXT}launchmode"] == verdict["launchMode"] == "Normal"
    assert extensions[f"{EXT}moveon"] == verdict["moveOn"]
    assert extensions[f"{EXT}launchparameters"] == verdict["launchParameters"]
    # 9.6.3.4-1: the launch URL without the launch's own parameters.
    launch_url = extensions[f"{EXT}launchurl"]
    assert launch_url.split("?")[0] == verdict["launchString"].split("?")[0]
    assert "paramA=1" in launch_url
    assert "paramB=2" in launch_url
    assert "fetch=" not in launch_url
    assert "endpoint=" not in launch_url
    # 9.3.9.0-1 to -9: satisfied, of the block then the course, with the launch's session id.
    assert block["object"]["definition"]["type"].endswith("/activitytype/block")
    assert block["object"]["id"] != f"{LTS}/block/001-essentials"
    assert whole["object"]["definition"]["type"].endswith("/activitytype/course")
    assert whole["object"]["id"] != f"{LTS}/course/001-essentials"
    for statement in (block, whole):
        assert statement["context"]["extensions"][f"{EXT}sessionid"] == verdict["sessionId"]
    # 9.6.2.3-2: the publisher id of the block and of the course in the grouping.
    assert f"{LTS}/block/001-essentials" in _grouping(block)
    assert f"{LTS}/course/001-essentials" in _grouping(whole)


def test_002_allowed_statements(page, site):
    _log_in(page, UserFactory())
    verdict = _run(page, _import("002-allowed"))
    _passes(verdict)
    # 9.3.0.0-9: the allowed statement is recorded, between initialized and terminated.
    assert _verbs(_statements(verdict["registration"]))[:3] == [
        "launched", "initialized", "experienced",
    ]  # fmt: skip


def test_003_the_au_runs_in_its_own_window(page, site):
    _log_in(page, UserFactory())
    _passes(_run(page, _import("003-launchMethod-OwnWindow")))


@pytest.mark.parametrize(
    "package",
    [
        "004-1-moveOn-Completed",
        "004-2-moveOn-CompletedOrPassed",
        "004-3-moveOn-Passed",
        "004-4-moveOn-CompletedOrPassed",
    ],
)
def test_004_move_on_satisfies_the_block_then_the_course(page, site, package):
    _log_in(page, UserFactory())
    verdict = _run(page, _import(package))
    _passes(verdict)
    statements = _statements(verdict["registration"])
    # 9.3.3.0-3, 9.3.4.0-4: satisfied right after what met moveOn.
    assert _verbs(statements)[3:5] == ["satisfied", "satisfied"]
    assert f"{LTS}/block/{package}" in _grouping(statements[3])
    assert f"{LTS}/course/{package}" in _grouping(statements[4])


def test_004_5_not_applicable_is_satisfied_when_the_registration_starts(page, site):
    _log_in(page, UserFactory())
    verdict = _run(page, _import("004-5-moveOn-NotApplicable"))
    _passes(verdict)
    statements = _statements(verdict["registration"])
    # 9.6.1.1-3: satisfied (block, course) before the AU was ever launched.
    assert _verbs(statements)[:3] == ["satisfied", "satisfied", "launched"]
    assert f"{LTS}/block/004-5-moveOn-NotApplicable" in _grouping(statements[0])
    assert f"{LTS}/course/004-5-moveOn-NotApplicable" in _grouping(statements[1])


@pytest.mark.parametrize("package", ["005-1-invalid-au", "005-2-invalid-au"])
def test_005_every_invalid_statement_is_refused(page, site, package):
    _log_in(page, UserFactory())
    _passes(_run(page, _import(package)))


@pytest.mark.parametrize("package", ["007-1-multi-session", "007-2-multi-session"])
def test_007_a_second_session_keeps_the_rules_of_the_first(page, site, package):
    course = _import(package)
    _log_in(page, UserFactory())
    first = _run(page, course)
    _passes(first)
    assert first["msg"] == "First stage completed successfully"
    second = _run(page, course)  # the same registration: the learner's enrolment
    _passes(second)
    sessions = LaunchSession.objects.filter(registration=first["registration"])
    assert sessions.count() == 2


def test_006_browse_mode_records_no_result(page, site):
    _log_in(page, UserFactory())
    # The learner previews the unit (cmi5 §10.2.2 Browse): its judged statements are refused.
    _passes(_run(page, _import("006-launchMode"), button="Preview"))


def test_006_review_mode_records_no_result(page, site):
    """Review, as a portal asks for it (the course page offers Review once a unit is done)."""
    from rest_framework.test import APIClient

    course = _import("006-launchMode")
    learner = UserFactory()
    _log_in(page, learner)
    _open_course(page, course)  # enrolled
    api = APIClient()
    api.force_login(UserFactory(is_staff=True))
    url = f"/api/courses/{course.public_id}/units/0/launch-url"
    body = {"learner": str(learner.public_id), "launch_mode": "Review"}
    launch = api.post(url, body, format="json").json()["url"]
    page.goto(launch)
    _passes(_verdict(page))


def _staff_page(browser, site):
    context = browser.new_context(base_url=site.url, locale="en-GB")
    context.set_default_timeout(10_000)
    staff = context.new_page()
    _log_in(staff, UserFactory(is_staff=True))
    return staff


def test_008_staff_abandon_a_stuck_session_from_the_course_pages(page, site, browser):
    course = _import("008-1-abandoned")
    learner = UserFactory(display_name="Ilinca Stuck")
    _log_in(page, learner)
    _open_course(page, course)
    page.get_by_role("button", name=re.compile("^Start ")).click()
    page.get_by_role("link", name=re.compile("^Open ")).click()
    abandon = page.locator("#abandon")
    abandon.wait_for(timeout=TIMEOUT)
    session_id = abandon.get_attribute("value")

    staff = _staff_page(browser, site)
    staff.goto(f"/courses/{course.slug}/")
    staff.get_by_role("link", name="Learners' progress and sessions").click()
    staff.get_by_role("link", name="Ilinca Stuck").click()
    staff.get_by_role("button", name=re.compile("^Abandon the open session")).click()
    staff.get_by_text("The session was abandoned").wait_for()

    abandon.click()  # the AU now checks that its session is closed
    verdict = _verdict(page)
    _passes(verdict)
    statements = _statements(verdict["registration"])
    abandoned = statements[2]
    assert _verbs(statements)[:3] == ["launched", "initialized", "abandoned"]
    # 9.6.3.1-3, 9.6.2.1-1, 9.5.4.2-1: the session id, the cmi5 category, a duration.
    assert abandoned["context"]["extensions"][f"{EXT}sessionid"] == session_id
    assert CMI5_CATEGORY in _categories(abandoned)
    assert abandoned["result"]["duration"].startswith("PT")
    assert abandoned["actor"] == verdict["actor"]
    assert abandoned["object"]["id"] == verdict["activityId"]
    assert abandoned["context"]["registration"] == verdict["registration"]


def test_009_staff_waive_a_unit_with_a_reason_from_the_course_pages(page, site, browser):
    course = _import("009-1-waived")
    learner = UserFactory(display_name="Radu Waived")
    _log_in(page, learner)
    verdict = _run(page, course)
    _passes(verdict)

    staff = _staff_page(browser, site)
    staff.goto(f"/learning/courses/{course.slug}/learners/")
    staff.get_by_role("link", name="Radu Waived").click()
    staff.locator("summary", has_text="Waive").click()
    staff.get_by_label("An administrative decision").check()
    staff.get_by_label(re.compile("I confirm")).check()
    staff.get_by_role("button", name="Waive the unit").click()
    staff.get_by_text(re.compile("is waived for Radu Waived")).wait_for()

    statements = _statements(verdict["registration"])
    assert _verbs(statements)[3:5] == ["waived", "satisfied"]
    waived, satisfied = statements[3], statements[4]
    # 9.3.7.0-1 to -3, 9.5.2.0-1, 9.5.3.0-1, 9.6.2.1-1, 9.6.2.2-1: the waived statement.
    assert (
        waived["result"]["extensions"]["https://w3id.org/xapi/cmi5/result/extensions/reason"]
        == "Administrative"
    )
    assert waived["result"]["success"] is True
    assert waived["result"]["completion"] is True
    assert {CMI5_CATEGORY, MOVEON_CATEGORY} <= _categories(waived)
    assert waived["actor"] == verdict["actor"]
    assert waived["object"]["id"] == verdict["activityId"]
    assert waived["context"]["registration"] == verdict["registration"]
    # The satisfied statement it leads to shares its session id (cmi5 §9.3.7).
    session_id = waived["context"]["extensions"][f"{EXT}sessionid"]
    assert session_id != verdict["session"]
    assert satisfied["context"]["extensions"][f"{EXT}sessionid"] == session_id
    assert CMI5_CATEGORY in _categories(satisfied)
    assert satisfied["actor"] == verdict["actor"]
    assert satisfied["context"]["registration"] == verdict["registration"]
