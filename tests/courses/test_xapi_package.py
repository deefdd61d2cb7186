"""Plain xAPI packages (tincan.xml): import, the conventional launch, completion."""

import base64
import io
import uuid
import zipfile
from urllib.parse import parse_qs, urlsplit

import orjson
import pytest

from courses.launch import launch_unit
from courses.models import UnitKind
from courses.services import PackageError, enrol_learner, import_cmi5_package
from progress.models import CompletionRecord
from tests.lms.factories import UserFactory

pytestmark = pytest.mark.django_db

ACTIVITY = "https://example.org/xapi/courses/report-writing"
TINCAN = f"""<?xml version="1.0" encoding="utf-8"?>
<tincan xmlns="http://projecttincan.com/tincan.xsd">
  <activities>
    <activity id="{ACTIVITY}" type="http://adlnet.gov/expapi/activities/course">
      <name lang="en-US">Report writing</name>
      <description lang="en-US">Writing clear case reports.</description>
      <launch lang="en-us">index.html</launch>
    </activity>
  </activities>
</tincan>"""


def _package(tincan: str = TINCAN, files: dict[str, bytes] | None = None) -> io.BytesIO:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("tincan.xml", tincan)
        for name, content in (files if files is not None else {"index.html": b"<p>hi</p>"}).items():
            archive.writestr(name, content)
    buffer.seek(0)
    return buffer


def test_a_tincan_package_imports_as_a_one_unit_course():
    course = import_cmi5_package(source=_package()).course
    unit = course.units.get()
    assert (course.activity_iri, unit.kind) == (ACTIVITY, UnitKind.XAPI)
    assert unit.move_on == "CompletedOrPassed"
    assert course.title == {"en-US": "Report writing"}


@pytest.mark.parametrize(
    ("tincan", "files", "reason"),
    [
        (TINCAN.replace('<launch lang="en-us">index.html</launch>', ""), None, "no activity has"),
        (TINCAN, {}, "not a file in the package"),
        (TINCAN.replace(ACTIVITY, "not an iri"), None, "activity/@id"),
        ("<tincan", None, "not well-formed"),
    ],
)
def test_bad_tincan_packages_are_refused(tincan, files, reason):
    with pytest.raises(PackageError, match=reason):
        import_cmi5_package(source=_package(tincan, files))


def test_conventional_launch_and_completion(client):
    course = import_cmi5_package(source=_package(), status="published").course
    learner = UserFactory()
    enrol_learner(learner=learner, course=course)
    launch = launch_unit(learner=learner, unit=course.units.get())
    params = {k: v[0] for k, v in parse_qs(urlsplit(launch.url).query).items()}
    assert set(params) == {"endpoint", "auth", "actor", "registration", "activity_id"}
    assert params["activity_id"] == ACTIVITY
    statement = {
        "id": str(uuid.uuid4()),
        "actor": orjson.loads(params["actor"]),
        "verb": {"id": "http://adlnet.gov/expapi/verbs/completed"},
        "object": {"id": ACTIVITY},
        "context": {"registration": params["registration"]},
        "result": {"completion": True, "duration": "PT20M"},
    }
    response = client.generic(
        "POST", "/xapi/statements", data=orjson.dumps(statement), content_type="application/json",
        HTTP_AUTHORIZATION=params["auth"], HTTP_X_EXPERIENCE_API_VERSION="1.0.3",
    )  # fmt: skip
    assert response.status_code == 200, response.content
    record = CompletionRecord.objects.get(course=course)
    assert record.time_spent.total_seconds() == 20 * 60
    assert base64.b64decode(params["auth"].split()[1]).startswith(b"cmi5-session/")
