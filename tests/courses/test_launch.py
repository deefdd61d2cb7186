"""cmi5 launch with a real package: launch URL, fetch token, LMS.LaunchData, AU credentials."""

import base64
import json
import uuid
from io import StringIO
from urllib.parse import parse_qs, quote, urlsplit

import orjson
import pytest
from django.core.management import call_command
from django.urls import reverse
from rest_framework.test import APIClient

from courses.launch import launch_unit
from courses.models import Course, CourseStatus, LaunchMode
from courses.services import enrol_learner
from progress.models import Statement
from tests.courses.au import AU, INITIALIZED, opened_url
from tests.lms.factories import UserFactory
from tests.paths import CMI5

pytestmark = pytest.mark.django_db


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
def learner():
    return UserFactory(preferred_language="ro")


def _params(url: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}


def _fetch(client, url: str) -> dict:
    fetch = urlsplit(_params(url)["fetch"])
    return client.post(fetch.path).json()


def _au(client, token: str, method: str, path: str, body=None, **headers):
    data = orjson.dumps(body) if body is not None else b""
    extra = {f"HTTP_{k.upper()}": v for k, v in headers.items()}
    return client.generic(
        method, f"/xapi/{path}", data=data, content_type="application/json",
        HTTP_AUTHORIZATION=f"Basic {token}", HTTP_X_EXPERIENCE_API_VERSION="1.0.3", **extra,
    )  # fmt: skip


def test_launch_url_carries_the_cmi5_parameters(course, learner):
    enrolment = enrol_learner(learner=learner, course=course)
    unit = course.units.get()
    launch = launch_unit(learner=learner, unit=unit)
    params = _params(launch.url)
    assert set(params) == {"endpoint", "fetch", "actor", "registration", "activityId"}
    assert params["endpoint"].endswith("/xapi/")
    assert params["registration"] == str(enrolment.registration)
    # cmi5 §8.1.5: the LMS's own activity id, never the publisher's AU id.
    assert params["activityId"] == unit.lms_activity_iri != unit.activity_iri
    actor = json.loads(params["actor"])
    assert actor["account"] == learner.xapi_account()
    assert "mbox" not in actor
    assert urlsplit(launch.url).path.startswith(f"/content/{course.content_path}/")


def test_launched_statement_and_launch_data_are_written(client, course, learner):
    enrol_learner(learner=learner, course=course)
    unit = course.units.get()
    launch = launch_unit(learner=learner, unit=unit, launch_mode=LaunchMode.BROWSE)
    launched = orjson.loads(Statement.objects.get().payload)
    assert launched["verb"]["id"] == "http://adlnet.gov/expapi/verbs/launched"
    assert launched["object"]["id"] == unit.lms_activity_iri
    assert launched["context"]["contextActivities"]["grouping"][0]["id"] == unit.activity_iri
    extensions = launched["context"]["extensions"]
    assert extensions["https://w3id.org/xapi/cmi5/context/extensions/launchmode"] == "Browse"
    assert extensions["https://w3id.org/xapi/cmi5/context/extensions/sessionid"] == str(
        launch.session.public_id
    )
    # The AU reads LMS.LaunchData with the token it fetched.
    token = _fetch(client, launch.url)["auth-token"]
    params = _params(launch.url)
    query = (
        f"activityId={quote(params['activityId'])}&agent={quote(params['actor'])}"
        f"&registration={params['registration']}&stateId=LMS.LaunchData"
    )
    data = _au(client, token, "GET", f"activities/state?{query}").json()
    assert data["launchMode"] == "Browse"
    assert data["moveOn"] == unit.move_on
    assert data["contextTemplate"]["extensions"][
        "https://w3id.org/xapi/cmi5/context/extensions/sessionid"
    ] == str(launch.session.public_id)
    profile = _au(
        client, token, "GET",
        f"agents/profile?agent={quote(params['actor'])}&profileId=cmi5LearnerPreferences",
    ).json()  # fmt: skip
    assert profile["languagePreference"] == "ro"


def test_the_fetch_url_hands_out_a_token_once(client, course, learner):
    enrol_learner(learner=learner, course=course)
    launch = launch_unit(learner=learner, unit=course.units.get())
    first = _fetch(client, launch.url)
    assert set(first) == {"auth-token"}
    second = _fetch(client, launch.url)
    assert second["error-code"] == "1"
    assert client.post(reverse("cmi5-fetch", args=["forged"])).json()["error-code"] == "2"
    assert client.get(urlsplit(_params(launch.url)["fetch"]).path).status_code == 405


def test_the_au_writes_its_learners_statements_and_nothing_else(client, course, learner):
    enrol_learner(learner=learner, course=course)
    au = AU(client, learner, course.units.get())
    ok = au.send(INITIALIZED)
    assert ok.status_code == 200, ok.content
    someone_else = {"objectType": "Agent", "account": UserFactory().xapi_account()}
    assert au.send({**au.statement(INITIALIZED), "actor": someone_else}).status_code == 403
    other_registration = au.statement(INITIALIZED)
    other_registration["context"]["registration"] = str(uuid.uuid4())
    assert au.send(other_registration).status_code == 403
    # It reads back its own registration's statements only, and no other learner's documents.
    assert au.request("GET", "statements").status_code == 403
    assert au.request("GET", f"statements?registration={uuid.uuid4()}").status_code == 403
    mine = au.request("GET", f"statements?registration={au.params['registration']}")
    assert mine.status_code == 200
    assert {s["verb"]["id"].rsplit("/", 1)[1] for s in mine.json()["statements"]} == {
        "launched", "initialized",
    }  # fmt: skip
    other = quote(orjson.dumps(someone_else).decode())
    assert au.request("GET", f"agents/profile?agent={other}&profileId=x").status_code == 403
    forged = base64.b64encode(f"cmi5-session/{au.session_id}:guess".encode()).decode()
    assert au.send(au.statement(INITIALIZED)).status_code == 403  # initialized once only
    assert (
        au.request(
            "POST", "statements", au.statement(INITIALIZED), Authorization=f"Basic {forged}"
        ).status_code
        == 401
    )


def test_launch_url_api_for_portals(course, learner):
    api = APIClient()
    unit = course.units.get()
    url = reverse("courses-api:launch-url", args=[course.public_id, unit.index])
    body = {"learner": str(learner.public_id), "launch_mode": "Review"}
    api.force_login(UserFactory())
    assert api.post(url, body, format="json").status_code == 403
    api.force_login(UserFactory(is_staff=True))
    response = api.post(url, body, format="json")
    assert response.status_code == 201
    assert _params(response.json()["url"])["activityId"] == unit.lms_activity_iri
    wrong = api.post(url, {**body, "registration": str(uuid.uuid4())}, format="json")
    assert wrong.status_code == 400
    assert "registration" in wrong.json()
    missing = reverse("courses-api:launch-url", args=[course.public_id, 99])
    assert api.post(missing, body, format="json").status_code == 404


def test_a_learner_enrols_and_launches_from_the_course_page(client, course, learner):
    client.force_login(learner)
    page = reverse("courses:detail", args=[course.slug])
    assert b"Enrol" in client.get(page).content or "Înscrie" in client.get(page).content.decode()
    client.post(reverse("courses:enrol", args=[course.slug]))
    response = client.post(reverse("courses:launch", args=[course.slug, 0]))
    assert response.status_code == 302
    assert _params(opened_url(client, response))["registration"]
    unit_page = client.get(response.url).content.decode()  # without scripts, a way on and back
    assert "JavaScript" in unit_page
    assert f'href="{reverse("courses:detail", args=[course.slug])}"' in unit_page
    course.status = CourseStatus.ARCHIVED
    course.save()
    assert client.post(reverse("courses:launch", args=[course.slug, 0])).status_code == 404


def test_a_launch_from_the_course_page_returns_to_the_course_page(client, course, learner):
    """cmi5 §10.2.5: returnURL in LMS.LaunchData is where the AU sends the learner at the end:
    the course page, which shows what the unit changed."""
    enrol_learner(learner=learner, course=course)
    client.force_login(learner)
    response = client.post(reverse("courses:launch", args=[course.slug, 0]))
    url = opened_url(client, response)
    params = _params(url)
    token = _fetch(client, url)["auth-token"]
    query = (
        f"stateId=LMS.LaunchData&activityId={quote(params['activityId'])}"
        f"&agent={quote(params['actor'])}&registration={params['registration']}"
    )
    data = _au(client, token, "GET", f"activities/state?{query}").json()
    assert data["returnURL"] == "http://testserver" + reverse("courses:detail", args=[course.slug])


def test_the_content_is_told_the_learners_language_as_an_rfc_5646_tag(client, course):
    serbian = UserFactory(preferred_language="sr-latn")
    enrol_learner(learner=serbian, course=course)
    launch = launch_unit(learner=serbian, unit=course.units.get())
    token = _fetch(client, launch.url)["auth-token"]
    actor = quote(_params(launch.url)["actor"])
    profile = _au(
        client, token, "GET", f"agents/profile?agent={actor}&profileId=cmi5LearnerPreferences"
    ).json()
    assert profile["languagePreference"] == "sr-Latn"  # cmi5 §11
