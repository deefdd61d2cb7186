"""Who may read a package's files: anyone for a free, published course; for a paid or
unpublished one, only through the signed, expiring path a launch hands out (issue 17)."""

from io import StringIO
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command

from courses.launch import launch_unit
from courses.models import Course, CourseStatus
from tests.lms.factories import UserFactory
from tests.paths import CMI5

pytestmark = pytest.mark.django_db


@pytest.fixture
def course():
    call_command(
        "import_course", str(CMI5 / "single_au_basic_responsive.zip"), "--publish",
        stdout=StringIO(),
    )  # fmt: skip
    return Course.objects.get()


def _get(client, path):
    response = client.get(path)
    if response.status_code == 200:
        # Close the file only: response.close() would send request_finished, which closes the
        # test's database connection.
        for close in response._resource_closers:
            close()
    return response.status_code


def test_a_free_published_courses_files_are_public(client, course):
    assert _get(client, f"/content/{course.content_path}/index.html") == 200


@pytest.mark.parametrize("protect", ["paid", "draft"])
def test_a_protected_courses_files_need_the_launchs_signed_path(client, course, protect, settings):
    if protect == "paid":
        Course.objects.filter(pk=course.pk).update(is_paid=True)
    else:
        Course.objects.filter(pk=course.pk).update(status=CourseStatus.DRAFT)
    course.refresh_from_db()
    plain = f"/content/{course.content_path}/index.html"
    assert _get(client, plain) == 404  # the course id and version are public: not enough
    learner = UserFactory()
    from courses.models import Enrolment

    Enrolment.objects.create(learner=learner, course=course)  # (a seat or staff, elsewhere)
    launch = launch_unit(learner=learner, unit=course.units.get())
    path = urlsplit(launch.url).path
    assert path.startswith("/content/s/")
    assert _get(client, path) == 200
    # The package's relative URLs keep the signed prefix: its other files are readable too.
    directory = path.rsplit("/", 1)[0]
    assert _get(client, f"{directory}/js/cmi5.min.js") == 200
    # A token altered, or used for another directory, opens nothing.
    token = directory.split("/")[3]
    assert _get(client, directory.replace(token, token[:-2] + "xx") + "/index.html") == 404
    other = Course.objects.exclude(pk=course.pk).first()
    assert (
        other is None or _get(client, f"/content/s/{token}/{other.content_path}/index.html") == 404
    )
    assert _get(client, f"/content/s/{token}/../../etc/passwd") == 404
    # And it expires (CONTENT_LINK_HOURS after the launch).
    settings.CONTENT_LINK_HOURS = 0
    assert _get(client, path) == 404
