"""The cmi5 runtime as real AUs meet it: the endpoint, the launch, what the LMS writes, what an
AU's token may do (cmi5 §8-§11), and the limits every LRS credential has."""

import base64
import json
import uuid
from io import StringIO
from urllib.parse import quote

import orjson
import pytest
from django.core.management import call_command
from django.urls import reverse

from courses.models import Course, LaunchSession, SessionState
from courses.services import enrol_learner
from progress.clients import create_lrs_client
from progress.models import BlockSatisfaction, CompletionRecord, Document, Statement
from tests.courses.au import (
    AU,
    COMPLETED,
    INITIALIZED,
    PASSED,
    TERMINATED,
    launch_params,
    opened_url,
)
from tests.lms.factories import UserFactory
from tests.paths import CATAPULT

pytestmark = pytest.mark.django_db

EXT = "https://w3id.org/xapi/cmi5/context/extensions/"
CMI5_CATEGORY = "https://w3id.org/xapi/cmi5/context/categories/cmi5"
MOVEON_CATEGORY = "https://w3id.org/xapi/cmi5/context/categories/moveon"
LTS = "https://w3id.org/xapi/cmi5/catapult/lts"
SCORE = {"scaled": 0.95, "raw": 95, "min": 0, "max": 100}


def _import(package: str) -> Course:
    call_command("import_course", str(CATAPULT / f"{package}.zip"), "--publish", stdout=StringIO())
    return Course.objects.get(activity_iri=f"{LTS}/course/{package}")


@pytest.fixture
def course():
    return _import("001-essentials")


@pytest.fixture
def learner(course):
    learner = UserFactory()
    enrol_learner(learner=learner, course=course)
    return learner


def _stored(verb: str | None = None) -> list[dict]:
    statements = [
        orjson.loads(p) for p in Statement.objects.order_by("id").values_list("payload", flat=True)
    ]
    return [s for s in statements if verb is None or s["verb"]["id"].endswith(f"/{verb}")]


# --- 1. The endpoint --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path", ["/xapi/about", "/xapi//about", "/xapi///about", "/xapi//activities//state"]
)
def test_repeated_slashes_after_the_endpoint_name_the_same_resource(client, path):
    response = client.get(path, HTTP_X_EXPERIENCE_API_VERSION="1.0.3")
    assert response.status_code != 404, path
    if path.endswith("about"):
        assert "1.0.3" in response.json()["version"]


def test_the_launch_endpoint_takes_resource_and_slash_resource(client, course, learner):
    """Rustici's cmi5.js and CATAPULT's AUs request `${endpoint}/statements`; others append
    `statements`: both reach the LRS from the endpoint the launch hands out."""
    au = AU(client, learner, course.units.get())
    endpoint = au.params["endpoint"].removeprefix("http://testserver")
    query = f"registration={au.params['registration']}"
    for resource in (f"{endpoint}statements", f"{endpoint}/statements"):
        response = client.get(
            f"{resource}?{query}",
            HTTP_AUTHORIZATION=f"Basic {au.token}",
            HTTP_X_EXPERIENCE_API_VERSION="1.0.3",
        )
        assert response.status_code == 200, resource


# --- 2. launched, and moveOn at registration ---------------------------------------------------


def test_launched_carries_the_launch_parameters_and_the_url_without_the_launchs_own(
    client, course, learner
):
    unit = course.units.get()
    assert unit.launch_parameters == "sample string"
    AU(client, learner, unit)
    (launched,) = _stored("launched")
    extensions = launched["context"]["extensions"]
    # cmi5 §9.6.3.7: launchParameters as in LMS.LaunchData.
    assert extensions[f"{EXT}launchparameters"] == "sample string"
    # cmi5 §9.6.3.4: the URL, without endpoint, fetch, actor, registration and activityId.
    url = extensions[f"{EXT}launchurl"]
    assert url.endswith("/index.html?paramA=1&paramB=2")
    assert "fetch=" not in url
    assert "actor=" not in url
    assert extensions[f"{EXT}masteryscore"] == 0.9
    assert extensions[f"{EXT}moveon"] == "CompletedAndPassed"


def test_launched_has_no_launch_parameters_when_the_au_has_none(client):
    course = _import("002-allowed")
    learner = UserFactory()
    enrol_learner(learner=learner, course=course)
    AU(client, learner, course.units.get())
    (launched,) = _stored("launched")
    assert f"{EXT}launchparameters" not in launched["context"]["extensions"]


def test_not_applicable_units_are_satisfied_when_the_registration_starts():
    """cmi5 §9.6.1: moveOn is evaluated at registration; the block and the course of a
    NotApplicable AU are satisfied before any launch, once."""
    course = _import("004-5-moveOn-NotApplicable")
    learner = UserFactory()
    enrolment = enrol_learner(learner=learner, course=course)
    block, whole = _stored("satisfied")
    assert block["object"]["definition"]["type"].endswith("/activitytype/block")
    assert whole["object"]["id"] == course.lms_activity_iri
    assert {g["id"] for g in block["context"]["contextActivities"]["grouping"]} == {
        f"{LTS}/block/004-5-moveOn-NotApplicable"
    }
    assert {g["id"] for g in whole["context"]["contextActivities"]["grouping"]} == {
        f"{LTS}/course/004-5-moveOn-NotApplicable"
    }
    # "a unique session ID" outside a launch, shared by what it satisfied.
    session = block["context"]["extensions"][f"{EXT}sessionid"]
    assert whole["context"]["extensions"][f"{EXT}sessionid"] == session
    assert not LaunchSession.objects.filter(public_id=session).exists()
    record = CompletionRecord.objects.get()
    assert (record.learner, record.registration) == (learner, enrolment.registration)
    assert enrol_learner(learner=learner, course=course) == enrolment  # again: nothing new
    assert len(_stored("satisfied")) == 2


# --- 4, 5. What the LMS writes: satisfied, abandoned, waived ----------------------------------


def test_satisfied_is_said_of_the_block_and_the_course_in_the_launchs_session(
    client, course, learner
):
    au = AU(client, learner, course.units.get())
    au.send(INITIALIZED)
    au.send(PASSED, score=SCORE)
    au.send(COMPLETED)
    block, whole = _stored("satisfied")
    # cmi5 §9.4: never the AU; §9.6.2.3: the publisher id of the block and of the course.
    assert block["object"]["id"] == course.blocks.get().lms_activity_iri
    assert whole["object"]["id"] == course.lms_activity_iri
    assert {g["id"] for g in block["context"]["contextActivities"]["grouping"]} == {
        f"{LTS}/block/001-essentials"
    }
    assert {g["id"] for g in whole["context"]["contextActivities"]["grouping"]} == {
        f"{LTS}/course/001-essentials"
    }
    for statement in (block, whole):
        assert statement["context"]["extensions"][f"{EXT}sessionid"] == au.session_id
        assert CMI5_CATEGORY in {
            c["id"] for c in statement["context"]["contextActivities"]["category"]
        }
    assert BlockSatisfaction.objects.count() == 1


def test_abandoned_carries_the_sessions_length(client, course, learner):
    """cmi5 §9.5.4.2: from launched to the AU's last statement."""
    from progress.projection import abandon

    au = AU(client, learner, course.units.get())
    au.send(INITIALIZED)
    session = LaunchSession.objects.get()
    launched_at = session.launched_at
    LaunchSession.objects.filter(pk=session.pk).update(
        last_statement_at=launched_at + (launched_at - launched_at).__class__(seconds=75)
    )
    assert abandon(session=session) is True
    assert abandon(session=session) is False  # once
    (abandoned,) = _stored("abandoned")
    assert abandoned["result"]["duration"] == "PT75S"
    assert abandoned["object"]["id"] == au.params["activityId"]
    assert abandoned["context"]["extensions"][f"{EXT}sessionid"] == au.session_id


def test_waived_carries_the_move_on_category_and_its_own_session(course, learner):
    from progress.projection import waive_unit

    enrolment = learner.enrolments.get()
    assert waive_unit(enrolment=enrolment, unit=course.units.get(), reason="Tested Out")
    (waived,) = _stored("waived")
    categories = {c["id"] for c in waived["context"]["contextActivities"]["category"]}
    # cmi5 §9.6.2.2: success and completion: the moveOn category with the cmi5 one.
    assert categories == {CMI5_CATEGORY, MOVEON_CATEGORY}
    assert waived["result"]["success"] is True
    assert waived["result"]["completion"] is True
    session = waived["context"]["extensions"][f"{EXT}sessionid"]
    # cmi5 §9.3.7: a session id of its own, which only the satisfied statements share.
    assert not LaunchSession.objects.filter(public_id=session).exists()
    assert {s["context"]["extensions"][f"{EXT}sessionid"] for s in _stored("satisfied")} == {
        session
    }


# --- 6. What an AU's token may do --------------------------------------------------------------


def test_the_token_reads_the_activities_resource_and_its_registrations_statements(
    client, course, learner
):
    au = AU(client, learner, course.units.get())
    au.send(INITIALIZED)
    activity = au.request("GET", f"activities?activityId={quote(au.params['activityId'])}")
    assert activity.status_code == 200
    assert activity.json()["id"] == au.params["activityId"]
    mine = au.request("GET", f"statements?registration={au.params['registration']}")
    assert [s["verb"]["id"].rsplit("/", 1)[1] for s in mine.json()["statements"]] == [
        "initialized", "launched",
    ]  # fmt: skip
    launched_id = mine.json()["statements"][1]["id"]
    assert au.request("GET", f"statements?statementId={launched_id}").status_code == 200
    # Another learner's registration, or everything: refused.
    other = UserFactory()
    enrol_learner(learner=other, course=course)
    theirs = AU(client, other, course.units.get())
    assert (
        au.request("GET", f"statements?registration={theirs.params['registration']}").status_code
        == 403
    )
    their_launched = _stored("launched")[1]["id"]
    assert au.request("GET", f"statements?statementId={their_launched}").status_code == 403
    assert (
        au.request("GET", "statements?verb=http://adlnet.gov/expapi/verbs/launched").status_code
        == 403
    )


def test_after_terminated_the_token_answers_401_for_everything(client, course, learner):
    au = AU(client, learner, course.units.get())
    au.send(INITIALIZED)
    assert au.send(TERMINATED).status_code == 200
    state = (
        f"activities/state?stateId=bookmark&activityId={quote(au.params['activityId'])}"
        f"&agent={quote(au.params['actor'])}&registration={au.params['registration']}"
    )
    for method, path in (
        ("GET", state),
        ("PUT", state),
        ("GET", f"statements?registration={au.params['registration']}"),
        ("GET", f"activities?activityId={quote(au.params['activityId'])}"),
    ):
        response = au.request(method, path, {"page": 3})
        assert response.status_code == 401, (method, path)
        assert "ended" in response.json()["message"]
    assert au.send(au.statement(INITIALIZED)).status_code == 401
    assert LaunchSession.objects.get().state == SessionState.TERMINATED


def _state(au, state_id="bookmark", registration=None, activity=None):
    return (
        f"activities/state?stateId={state_id}"
        f"&activityId={quote(activity or au.params['activityId'])}"
        f"&agent={quote(au.params['actor'])}"
        f"&registration={registration or au.params['registration']}"
    )


def test_the_token_writes_its_own_state_but_never_launch_data(client, course, learner):
    au = AU(client, learner, course.units.get())
    assert au.request("PUT", _state(au), {"page": 3}).status_code == 204
    assert au.request("GET", _state(au)).json() == {"page": 3}
    launch_data = au.request("GET", _state(au, "LMS.LaunchData")).content
    # cmi5 §10.2.1: the AU may not change or delete LMS.LaunchData.
    for method in ("PUT", "POST", "DELETE"):
        response = au.request(method, _state(au, "LMS.LaunchData"), {"test": True})
        assert response.status_code == 403, method
        assert "§10.2.1" in response.json()["message"]
    assert au.request("GET", _state(au, "LMS.LaunchData")).content == launch_data
    # Nor another registration's state, nor a whole context at once.
    other = _state(au, registration=str(uuid.uuid4()))
    assert au.request("PUT", other, {"page": 1}).status_code == 403
    everything = _state(au).replace("stateId=bookmark&", "")
    assert au.request("DELETE", everything).status_code == 403
    assert Document.objects.filter(document_id="bookmark").count() == 1


def test_the_token_changes_only_its_own_activitys_profile_and_what_it_created(
    client, course, learner
):
    au = AU(client, learner, course.units.get())
    own = f"activities/profile?activityId={quote(au.params['activityId'])}&profileId=notes"
    assert au.request("PUT", own, {"n": 1}, If_None_Match="*").status_code == 204
    elsewhere = "activities/profile?activityId=http%3A%2F%2Fexample.org%2Fother&profileId=notes"
    response = au.request("PUT", elsewhere, {"n": 1}, If_None_Match="*")
    assert response.status_code == 403
    # A profile another LRS client wrote stays theirs.
    partner = create_lrs_client(name="Partner", scopes=["all"])
    auth = base64.b64encode(f"{partner.client.key}:{partner.secret}".encode()).decode()
    theirs = f"agents/profile?agent={quote(au.params['actor'])}&profileId=partner-data"
    assert (
        au.request(
            "PUT", theirs, {"x": 1}, If_None_Match="*", Authorization=f"Basic {auth}"
        ).status_code
        == 204
    )
    assert au.request("POST", theirs, {"x": 2}).status_code == 403
    assert au.request("DELETE", theirs).status_code == 403
    assert au.request("GET", theirs).json() == {"x": 1}
    # Its own agent profile document, in any later session of the course, it may change.
    mine = f"agents/profile?agent={quote(au.params['actor'])}&profileId=progress"
    assert au.request("POST", mine, {"done": 1}).status_code == 204
    later = AU(client, learner, course.units.get())
    assert later.request("POST", mine, {"done": 2}).status_code == 204


@pytest.mark.parametrize(
    ("body", "content_type", "section"),
    [
        ({"languagePreference": "ro,en-GB", "audioPreference": "loud"}, "application/json", "11.2"),
        ({"audioPreference": "on"}, "application/json", "11.1"),
        (
            {"languagePreference": "not comma separated", "audioPreference": "on"},
            "application/json",
            "11.1",
        ),
        ({"languagePreference": "", "audioPreference": "on"}, "application/json", "11.1"),
        ("just some text", "text/plain", "11.0"),
        ([], "application/json", "11.0"),
    ],
)
def test_learner_preferences_written_by_the_au_must_be_well_formed(  # noqa: PLR0917 - fixtures
    client, course, learner, body, content_type, section
):
    au = AU(client, learner, course.units.get())
    path = f"agents/profile?agent={quote(au.params['actor'])}&profileId=cmi5LearnerPreferences"
    before = au.request("GET", path).content
    data = body if isinstance(body, str) else json.dumps(body)
    response = au.client.generic(
        "PUT", f"/xapi/{path}", data=data, content_type=content_type,
        HTTP_AUTHORIZATION=f"Basic {au.token}", HTTP_X_EXPERIENCE_API_VERSION="1.0.3",
        HTTP_IF_MATCH="*",
    )  # fmt: skip
    assert response.status_code == 403
    assert f"cmi5 §{section}:" in response.json()["message"]
    assert au.request("GET", path).content == before


def test_learner_preferences_the_au_writes_well_are_kept(client, course, learner):
    au = AU(client, learner, course.units.get())
    path = f"agents/profile?agent={quote(au.params['actor'])}&profileId=cmi5LearnerPreferences"
    good = {"languagePreference": "ro-RO,en-US", "audioPreference": "off"}
    assert au.request("PUT", path, good, If_Match="*").status_code == 204
    assert au.request("GET", path).json() == good
    assert au.request("DELETE", path).status_code == 403


# --- Limits for every credential, and the browser's log-in dialog ---------------------------


def test_statements_and_documents_beyond_the_limits_are_refused_with_413(
    client, settings, course, learner
):
    settings.LRS_MAX_STATEMENT_BYTES = 4000
    settings.LRS_MAX_BATCH_STATEMENTS = 3
    settings.LRS_MAX_DOCUMENT_BYTES = 1000
    au = AU(client, learner, course.units.get())
    big = au.statement(INITIALIZED)
    big["object"]["definition"] = {"description": {"en": "x" * 5000}}
    before = Statement.objects.count()
    response = au.send(big)
    assert response.status_code == 413
    assert "at most 4000 bytes" in response.json()["message"]
    batch = [au.statement(INITIALIZED) for _ in range(4)]
    assert au.request("POST", "statements", batch).status_code == 413
    assert Statement.objects.count() == before
    assert au.request("PUT", _state(au), {"x": "y" * 2000}).status_code == 413
    # The same for any LRS client.
    partner = create_lrs_client(name="Partner", scopes=["all"])
    auth = base64.b64encode(f"{partner.client.key}:{partner.secret}".encode()).decode()
    response = client.post(
        "/xapi/statements", data=orjson.dumps(batch), content_type="application/json",
        HTTP_AUTHORIZATION=f"Basic {auth}", HTTP_X_EXPERIENCE_API_VERSION="1.0.3",
    )  # fmt: skip
    assert response.status_code == 413


def test_a_browser_script_gets_its_401_without_a_log_in_challenge(client):
    """A `WWW-Authenticate: Basic` challenge makes a browser hold the AU's fetch() behind a
    log-in dialog (docs/decisions/0013): scripts get a plain 401; other clients the challenge."""
    bad = "Basic " + base64.b64encode(b"nobody:nothing").decode()
    headers = {"HTTP_AUTHORIZATION": bad, "HTTP_X_EXPERIENCE_API_VERSION": "1.0.3"}
    script = client.get("/xapi/statements", HTTP_SEC_FETCH_MODE="cors", **headers)
    assert script.status_code == 401
    assert "WWW-Authenticate" not in script
    tool = client.get("/xapi/statements", **headers)
    assert tool.status_code == 401
    assert tool["WWW-Authenticate"] == 'Basic realm="xAPI"'
    typed = client.get("/xapi/statements", HTTP_SEC_FETCH_MODE="navigate", **headers)
    assert typed["WWW-Authenticate"] == 'Basic realm="xAPI"'


# --- 7. The pages: review, preview, and the staff's learners ----------------------------------


def test_the_course_page_offers_preview_then_review_and_launches_in_that_mode(
    client, course, learner
):
    client.force_login(learner)
    page = client.get(reverse("courses:detail", args=[course.slug])).content.decode()
    assert "Preview" in page
    assert "Review" not in page
    response = client.post(reverse("courses:launch", args=[course.slug, 0]), {"mode": "Browse"})
    assert launch_params(opened_url(client, response))["registration"]
    assert LaunchSession.objects.get().launch_mode == "Browse"
    au = AU(client, learner, course.units.get())
    au.send(INITIALIZED)
    au.send(PASSED, score=SCORE)
    au.send(COMPLETED)
    page = client.get(reverse("courses:detail", args=[course.slug])).content.decode()
    assert "Review" in page
    assert "Passed" in page
    assert "Preview" not in page  # done: review it, nothing more to preview
    client.post(reverse("courses:launch", args=[course.slug, 0]), {"mode": "Review"})
    assert LaunchSession.objects.order_by("-launched_at").first().launch_mode == "Review"
    client.post(reverse("courses:launch", args=[course.slug, 0]), {"mode": "Sideways"})
    assert LaunchSession.objects.order_by("-launched_at").first().launch_mode == "Normal"


def test_only_staff_see_a_courses_learners(client, course, learner):
    urls = [
        reverse("progress:course-learners", args=[course.slug]),
        reverse("progress:course-learner", args=[course.slug, learner.public_id]),
    ]
    client.force_login(learner)
    assert [client.get(u).status_code for u in urls] == [404, 404]
    detail = client.get(reverse("courses:detail", args=[course.slug])).content.decode()
    assert "Learners' progress" not in detail
    client.force_login(UserFactory(is_staff=True))
    assert [client.get(u).status_code for u in urls] == [200, 200]
    detail = client.get(reverse("courses:detail", args=[course.slug])).content.decode()
    assert "Learners' progress" in detail
    stranger = reverse("progress:course-learner", args=[course.slug, UserFactory().public_id])
    assert client.get(stranger).status_code == 404


def test_staff_abandon_and_waive_from_the_learners_page(client, course, learner):
    au = AU(client, learner, course.units.get())
    au.send(INITIALIZED)
    client.force_login(UserFactory(is_staff=True))
    page = reverse("progress:course-learner", args=[course.slug, learner.public_id])
    assert "still open" in client.get(page).content.decode()
    abandon = reverse(
        "progress:abandon-session", args=[course.slug, learner.public_id, au.session_id]
    )
    response = client.post(abandon, follow=True)
    assert "The session was abandoned" in response.content.decode()
    assert "already ended" in client.post(abandon, follow=True).content.decode()
    assert len(_stored("abandoned")) == 1
    waive = reverse("progress:waive-unit", args=[course.slug, learner.public_id, 0])
    assert "Choose why" in client.post(waive, {"confirm": "1"}, follow=True).content.decode()
    assert (
        "Tick the box" in client.post(waive, {"reason": "Tested Out"}, follow=True).content.decode()
    )
    assert not _stored("waived")
    done = client.post(waive, {"reason": "Tested Out", "confirm": "1"}, follow=True)
    assert "is waived for" in done.content.decode()
    assert len(_stored("waived")) == 1
    assert CompletionRecord.objects.get().learner == learner
    assert (
        "waived already"
        in client.post(
            waive, {"reason": "Tested Out", "confirm": "1"}, follow=True
        ).content.decode()
    )


def test_the_learners_page_takes_the_same_queries_for_more_learners(
    client, course, learner, django_assert_num_queries
):
    client.force_login(UserFactory(is_staff=True))
    url = reverse("progress:course-learners", args=[course.slug])
    client.get(url)  # the first page counts the menu's to-do (lms.todo), then it is cached
    # session, user, navigation (2), course, count, page, units done, open sessions, units
    with django_assert_num_queries(10) as few:
        client.get(url)
    for _ in range(12):
        enrol_learner(learner=UserFactory(), course=course)
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(url, {"q": ""})
    assert len(response.context["rows"]) == 13
