"""Importing real cmi5 packages: the command, the API, the staff page, versions, content."""

import io
import zipfile
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from rest_framework.test import APIClient

from courses.models import Course, CourseStatus, CourseUnit
from tests.lms.factories import UserFactory
from tests.paths import CMI5

pytestmark = pytest.mark.django_db

SINGLE = CMI5 / "single_au_basic_responsive.zip"
MULTI = CMI5 / "multi_au_framed.zip"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_import_command_prints_id_and_slug_and_stores_units():
    out = StringIO()
    call_command("import_course", str(MULTI), "--publish", stdout=out)
    course = Course.objects.get()
    assert str(course.public_id) in out.getvalue()
    assert course.slug in out.getvalue()
    assert course.status == CourseStatus.PUBLISHED
    units = list(course.units.order_by("index"))
    assert len(units) > 1
    assert all(u.activity_iri.startswith("http") for u in units)
    assert [u.index for u in units] == list(range(len(units)))


def test_content_is_served_from_the_site_origin(client):
    call_command("import_course", str(SINGLE), "--publish", stdout=StringIO())
    course = Course.objects.get()
    unit = CourseUnit.objects.get(course=course)
    path = unit.url.split("?")[0]
    response = client.get(f"/content/{course.content_path}/{path}")
    assert response.status_code == 200
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    assert b"".join(response.streaming_content)
    for close in response._resource_closers:  # not response.close(): request_finished would
        close()  # end the test's database connection, which the next request needs
    assert client.get(f"/content/{course.content_path}/../../etc/passwd").status_code == 404
    assert client.get("/content/%2e%2e/%2e%2e/secret").status_code == 404


def test_reimport_is_a_new_version_keeping_units():
    call_command("import_course", str(SINGLE), stdout=StringIO())
    course = Course.objects.get()
    unit_pks = set(course.units.values_list("pk", flat=True))
    out = StringIO()
    call_command("import_course", str(SINGLE), stdout=out)
    course.refresh_from_db()
    assert course.version == 2
    assert "version 2" in out.getvalue()
    assert set(course.units.values_list("pk", flat=True)) == unit_pks
    assert Course.objects.count() == 1


def _broken_zip(tmp_path: Path) -> Path:
    path = tmp_path / "broken.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("readme.txt", "no course structure here")
    return path


def test_a_bad_package_is_refused_with_reasons_and_nothing_stored(tmp_path):
    with pytest.raises(CommandError, match=r"cmi5\.xml") as caught:
        call_command("import_course", str(_broken_zip(tmp_path)), stdout=StringIO())
    assert "refused" in str(caught.value)
    assert not Course.objects.exists()
    with pytest.raises(CommandError, match="no such file"):
        call_command("import_course", str(tmp_path / "missing.zip"), stdout=StringIO())


def test_api_import_is_for_staff_and_answers_400_with_reasons(tmp_path):
    api = APIClient()
    url = reverse("courses-api:import")
    api.force_login(UserFactory())
    assert api.post(url, {"package": io.BytesIO(b"x")}, format="multipart").status_code == 403
    api.force_login(UserFactory(is_staff=True))
    with MULTI.open("rb") as package:
        created = api.post(url, {"package": package, "publish": "true"}, format="multipart")
    assert created.status_code == 201
    assert created.json()["version"] == 1
    with _broken_zip(tmp_path).open("rb") as package:
        refused = api.post(url, {"package": package}, format="multipart")
    assert refused.status_code == 400
    assert refused.json()["package"]
    assert Course.objects.count() == 1


def test_staff_upload_page(client, tmp_path):
    client.force_login(UserFactory())
    assert client.get(reverse("courses:import")).status_code == 404
    client.force_login(UserFactory(is_staff=True))
    with _broken_zip(tmp_path).open("rb") as package:
        response = client.post(reverse("courses:import"), {"package": package})
    assert response.status_code == 200
    assert response.context["errors"]
    assert "<title>Error:" in response.content.decode()  # errors of no form (docs/style.md)
    with SINGLE.open("rb") as package:
        response = client.post(reverse("courses:import"), {"package": package, "publish": "on"})
    course = Course.objects.get()
    # A new course waits, a draft, on its settings page for its CPD hours and details.
    assert course.status == CourseStatus.DRAFT
    assert response.status_code == 302
    assert response["Location"] == reverse("courses:settings", args=[course.slug])


def test_a_course_of_1000_units_imports_and_reimports(tmp_path):
    """cmi5 §6.1: the LMS MUST support course structures of more than 1,000 AUs."""
    aus = "".join(
        f'<au id="https://example.org/big/au/{i}" moveOn="Completed"><title><langstring lang="en">'
        f'AU {i}</langstring></title><description><langstring lang="en">d</langstring>'
        f"</description><url>https://example.org/big/{i}.html</url></au>"
        for i in range(1000)
    )
    structure = tmp_path / "cmi5.xml"
    structure.write_text(
        '<?xml version="1.0"?><courseStructure xmlns="https://w3id.org/xapi/profiles/cmi5/v1/'
        'CourseStructure.xsd"><course id="https://example.org/big"><title><langstring lang="en">'
        'Big</langstring></title><description><langstring lang="en">Big</langstring></description>'
        f"</course>{aus}</courseStructure>"
    )
    call_command("import_course", str(structure), stdout=StringIO())
    call_command("import_course", str(structure), stdout=StringIO())
    course = Course.objects.get()
    assert course.version == 2
    assert course.units.filter(is_active=True).count() == 1000
