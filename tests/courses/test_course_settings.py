"""The course settings page: staff set a course's texts and details after its import, and a
course does not go live at 0 CPD hours without saying so."""

import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from courses.models import Course, CourseLevel, CourseStatus
from lms.api import Profession
from tests.courses.factories import CourseFactory, ThemeFactory
from tests.lms.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _png(size=(8, 8), kind="PNG") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, "white").save(buffer, kind)
    return buffer.getvalue()


def _data(**changes):
    data = {
        "title_en": "Safeguarding basics",
        "title_ro": "Bazele protecției copilului",
        "summary_en": "What to do when a child tells you.",
        "summary_ro": "",
        "cpd_hours": "2.5",
        "level": CourseLevel.INTERMEDIATE,
        "price": "0",
        "status": CourseStatus.DRAFT,
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def _staff(client):
    client.force_login(UserFactory(is_staff=True))


def test_staff_set_a_course_s_texts_and_details(client):
    course = CourseFactory(status=CourseStatus.DRAFT)
    themes = [ThemeFactory(), ThemeFactory()]
    profession = Profession.values[0]
    _staff(client)
    url = reverse("courses:settings", args=[course.slug])
    page = client.get(url)
    assert page.status_code == 200
    assert 'name="title_ro"' in page.content.decode()
    response = client.post(
        url,
        _data(
            themes=[themes[1].pk],
            professions=[profession],
            image=SimpleUploadedFile("picture.png", _png(), "image/png"),
            price="120.00",
            is_paid="on",
        ),
        follow=True,
    )
    assert response.redirect_chain == [(url, 302)]
    assert "are saved" in response.content.decode()
    course.refresh_from_db()
    assert course.title == {"en": "Safeguarding basics", "ro": "Bazele protecției copilului"}
    assert course.summary == {"en": "What to do when a child tells you."}
    assert "bazele" in course.search_text
    assert course.cpd_hours == Decimal("2.5")
    assert course.level == CourseLevel.INTERMEDIATE
    assert list(course.themes.all()) == [themes[1]]
    assert course.target_professions == [profession]
    assert course.price == Decimal("120.00")
    assert course.is_paid
    assert course.image.name.startswith("courses/images/")
    assert course.status == CourseStatus.DRAFT


def test_publishing_at_zero_cpd_hours_asks_for_a_confirmation(client):
    course = CourseFactory(status=CourseStatus.DRAFT)
    _staff(client)
    url = reverse("courses:settings", args=[course.slug])
    response = client.post(url, _data(cpd_hours="0", status=CourseStatus.PUBLISHED))
    assert response.status_code == 200
    assert response.context["form"].errors["no_cpd_confirmed"]
    assert "<title>Error:" in response.content.decode()
    course.refresh_from_db()
    assert course.status == CourseStatus.DRAFT
    response = client.post(
        url, _data(cpd_hours="0", status=CourseStatus.PUBLISHED, no_cpd_confirmed="on")
    )
    assert response.status_code == 302
    course.refresh_from_db()
    assert course.status == CourseStatus.PUBLISHED
    # Once confirmed, later edits of a course live at 0 hours do not ask again.
    assert client.post(url, _data(cpd_hours="0", status=CourseStatus.PUBLISHED)).status_code == 302
    # With hours, publishing needs no confirmation.
    other = CourseFactory(status=CourseStatus.DRAFT)
    response = client.post(
        reverse("courses:settings", args=[other.slug]), _data(status=CourseStatus.PUBLISHED)
    )
    assert response.status_code == 302


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"title_en": "", "title_ro": ""}, "title_en"),
        ({"cpd_hours": "-1"}, "cpd_hours"),
        ({"cpd_hours": "many"}, "cpd_hours"),
        ({"price": "-5"}, "price"),
        ({"level": "expert"}, "level"),
        ({"status": "gone"}, "status"),
        ({"professions": ["astronaut"]}, "professions"),
        ({"image": SimpleUploadedFile("notes.png", b"not a picture", "image/png")}, "image"),
        ({"image": SimpleUploadedFile("a.gif", _png(kind="GIF"), "image/gif")}, "image"),
    ],
)
def test_bad_settings_are_named_on_their_field(client, changes, field):
    course = CourseFactory(status=CourseStatus.DRAFT)
    _staff(client)
    response = client.post(reverse("courses:settings", args=[course.slug]), _data(**changes))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    # The error summary links to the input; a group of radios or checkboxes, to its first one.
    anchor = f"id_{field}_0" if field in {"status", "professions"} else f"id_{field}"
    content = response.content.decode()
    assert f'href="#{anchor}"' in content
    assert f'id="{anchor}"' in content
    assert Course.objects.get(pk=course.pk).cpd_hours == 0


def test_an_image_over_2_mb_is_refused(client, monkeypatch):
    monkeypatch.setattr("courses.forms.COURSE_IMAGE_MAX_BYTES", 100)
    course = CourseFactory(status=CourseStatus.DRAFT)
    _staff(client)
    picture = SimpleUploadedFile("big.png", _png((64, 64)), "image/png")
    response = client.post(reverse("courses:settings", args=[course.slug]), _data(image=picture))
    assert response.context["form"].errors["image"] == ["The image is larger than 2 MB."]


def test_the_import_page_links_the_settings_of_recent_courses(
    client, django_assert_max_num_queries
):
    draft = CourseFactory(status=CourseStatus.DRAFT)
    _staff(client)
    page = client.get(reverse("courses:import")).content.decode()
    assert reverse("courses:settings", args=[draft.slug]) in page
    with django_assert_max_num_queries(8) as one:  # the to-do count read from the cache
        client.get(reverse("courses:import"))
    CourseFactory.create_batch(5)
    with django_assert_max_num_queries(len(one.captured_queries)):
        client.get(reverse("courses:import"))


def test_only_staff_reach_the_settings(client):
    course = CourseFactory()
    url = reverse("courses:settings", args=[course.slug])
    assert client.get(url).status_code == 302  # to the log-in page
    client.force_login(UserFactory())
    assert client.get(url).status_code == 404
    assert client.post(url, _data(cpd_hours="9")).status_code == 404
    assert Course.objects.get(pk=course.pk).cpd_hours == 0
    _staff(client)
    assert client.get(reverse("courses:settings", args=["no-such-course"])).status_code == 404


def test_the_settings_page_takes_the_same_queries_for_more_themes(
    client, django_assert_max_num_queries
):
    course = CourseFactory()
    _staff(client)
    url = reverse("courses:settings", args=[course.slug])
    ThemeFactory()
    client.get(url)
    # The page's own reads; the menu's to-do count comes from the cache (lms/todo.py).
    with django_assert_max_num_queries(7) as few:
        client.get(url)
    ThemeFactory.create_batch(10)
    course.themes.set(course.themes.model.objects.all()[:5])
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)
