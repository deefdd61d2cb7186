"""The sample cmi5 package of the import page: staff download it and the import accepts it,
as a course of its own (not a version of the demo course)."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from courses.models import Course, CourseStatus
from courses.samples import SAMPLE_COURSE_IRI
from tests.lms.factories import UserFactory

pytestmark = pytest.mark.django_db

URL = reverse("courses:sample-package")


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_the_sample_package_imports_from_the_import_page(client):
    client.force_login(UserFactory(is_staff=True))
    page = client.get(reverse("courses:import")).content.decode()
    assert f'href="{URL}"' in page
    response = client.get(URL)
    assert response["Content-Type"] == "application/zip"
    assert len(response.content) < 20_000
    names = zipfile.ZipFile(io.BytesIO(response.content)).namelist()
    assert "cmi5.xml" in names
    imported = client.post(
        reverse("courses:import"),
        {"package": SimpleUploadedFile("sample.zip", response.content, "application/zip")},
    )
    course = Course.objects.get()
    assert course.activity_iri == SAMPLE_COURSE_IRI
    assert course.status == CourseStatus.DRAFT
    assert course.units.count() == 1
    assert imported["Location"] == reverse("courses:settings", args=[course.slug])


def test_only_staff_download_the_sample_package(client):
    assert client.get(URL).status_code == 302
    client.force_login(UserFactory())
    assert client.get(URL).status_code == 404
