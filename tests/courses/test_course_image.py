"""A course's picture on its page and on its catalogue card: with its size (the page does not
jump), lazy on the cards, decorative (empty alt, the title is beside it), never wider than its
column."""

import io
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from courses.services import update_course_settings
from tests.courses.factories import CourseFactory

pytestmark = pytest.mark.django_db


def _png(size) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, "white").save(buffer, "PNG")
    return SimpleUploadedFile("picture.png", buffer.getvalue(), "image/png")


def _with_image(course, size=(640, 360)):
    return update_course_settings(
        course=course, title=course.title, summary=course.summary, cpd_hours=course.cpd_hours,
        themes=[], professions=[], level=course.level, price=course.price,
        is_paid=course.is_paid, status=course.status, image=_png(size),
    )  # fmt: skip


def _images(html: str) -> list[str]:
    return re.findall(r"<img [^>]*>", html)


def test_the_size_is_kept_with_the_image_and_dropped_with_it():
    course = _with_image(CourseFactory())
    course.refresh_from_db()
    assert (course.image_width, course.image_height) == (640, 360)
    update_course_settings(
        course=course, title=course.title, summary=course.summary, cpd_hours=course.cpd_hours,
        themes=[], professions=[], level=course.level, price=course.price,
        is_paid=course.is_paid, status=course.status, clear_image=True,
    )  # fmt: skip
    course.refresh_from_db()
    assert not course.image
    assert (course.image_width, course.image_height) == (None, None)


def test_the_course_page_shows_the_image_with_its_size(client):
    course = _with_image(CourseFactory())
    (image,) = _images(client.get(reverse("courses:detail", args=[course.slug])).content.decode())
    assert f'src="{course.image.url}"' in image
    assert 'width="640" height="360"' in image
    assert 'alt=""' in image  # decorative: the title is the heading above it
    assert 'class="course-image"' in image


def test_the_catalogue_card_shows_it_lazily_and_a_course_without_one_shows_none(client):
    pictured = _with_image(CourseFactory(title={"en": "Pictured"}))
    CourseFactory(title={"en": "Plain"})
    (image,) = _images(client.get(reverse("courses:catalogue")).content.decode())
    assert f'src="{pictured.image.url}"' in image
    assert 'loading="lazy"' in image
    assert 'width="640" height="360"' in image
    assert 'alt=""' in image


def test_the_catalogue_reads_no_more_for_pictures(client, django_assert_max_num_queries):
    for _ in range(3):
        _with_image(CourseFactory())
    client.get(reverse("courses:catalogue"))
    with django_assert_max_num_queries(6) as few:
        client.get(reverse("courses:catalogue"))
    for _ in range(5):
        _with_image(CourseFactory())
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("courses:catalogue"))


def test_the_image_is_never_wider_than_its_column():
    css = (Path(settings.BASE_DIR) / "lms/static/lms/css/practica.css").read_text()
    rule = re.search(r"\.course-image \{([^}]*)\}", css).group(1)
    assert "max-width: 100%" in rule
    assert "height: auto" in rule
