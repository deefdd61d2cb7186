"""The catalogue page and API: search, filters, paging, archived courses, query counts."""

import pytest
from django.urls import reverse

from courses.models import CourseLevel, CourseStatus
from tests.courses.factories import CourseFactory, ThemeFactory

pytestmark = pytest.mark.django_db


def _slugs(response) -> list[str]:
    return [entry.slug for entry in response.context["entries"]]


@pytest.mark.smoke
def test_only_published_courses_are_listed(client):
    shown = CourseFactory()
    CourseFactory(status=CourseStatus.DRAFT)
    CourseFactory(status=CourseStatus.ARCHIVED)
    assert _slugs(client.get(reverse("courses:catalogue"))) == [shown.slug]


def test_search_finds_words_in_any_language(client):
    match = CourseFactory(title={"en": "Trauma-informed practice", "ro": "Practica informată"})
    match.search_text = "trauma-informed practice practica informată"
    match.save()
    CourseFactory(title={"en": "Report writing"})
    assert _slugs(client.get(reverse("courses:catalogue"), {"q": "informată"})) == [match.slug]
    assert _slugs(client.get(reverse("courses:catalogue"), {"q": "TRAUMA practice"})) == [
        match.slug
    ]


def test_filters_combine(client):
    theme = ThemeFactory(slug="safeguarding")
    wanted = CourseFactory(level=CourseLevel.ADVANCED, cpd_hours=6, target_professions=["police"])
    wanted.themes.add(theme)
    CourseFactory(
        level=CourseLevel.ADVANCED, cpd_hours=1, target_professions=["police"]
    ).themes.add(theme)
    CourseFactory(level=CourseLevel.INTRODUCTORY, cpd_hours=6)
    query = {"theme": "safeguarding", "level": "advanced", "min_cpd": "5", "profession": "police"}
    assert _slugs(client.get(reverse("courses:catalogue"), query)) == [wanted.slug]


def test_bad_filter_values_are_shown_as_form_errors(client):
    response = client.get(reverse("courses:catalogue"), {"level": "expert", "min_cpd": "-1"})
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"level", "min_cpd"}


def test_the_page_costs_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    for _ in range(3):
        CourseFactory().themes.add(ThemeFactory())
    with django_assert_max_num_queries(8) as few:
        client.get(reverse("courses:catalogue"))
    for _ in range(17):
        CourseFactory().themes.add(ThemeFactory())
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("courses:catalogue"))


def test_paging(client):
    for _ in range(25):
        CourseFactory()
    first = client.get(reverse("courses:catalogue"))
    assert len(first.context["entries"]) == 20
    second = client.get(reverse("courses:catalogue"), {"page": 2})
    assert len(second.context["entries"]) == 5


def test_titles_follow_the_visitors_language(client):
    course = CourseFactory()
    client.post(reverse("set_language"), {"language": "ro", "next": "/"})
    assert (
        client.get(reverse("courses:catalogue")).context["entries"][0].title == course.title["ro"]
    )


def test_api_lists_published_courses_with_filters(client):
    course = CourseFactory(level=CourseLevel.INTERMEDIATE)
    CourseFactory(level=CourseLevel.ADVANCED)
    CourseFactory(status=CourseStatus.ARCHIVED, level=CourseLevel.INTERMEDIATE)
    body = client.get("/api/courses/", {"level": "intermediate"}).json()
    assert [c["slug"] for c in body["results"]] == [course.slug]
    assert client.get("/api/courses/", {"level": "expert"}).status_code == 400


def test_course_page_and_unknown_or_draft_courses(client):
    course = CourseFactory()
    assert client.get(reverse("courses:detail", args=[course.slug])).status_code == 200
    draft = CourseFactory(status=CourseStatus.DRAFT)
    assert client.get(reverse("courses:detail", args=[draft.slug])).status_code == 404


def test_accredited_filter_asks_the_registered_lookup(client, monkeypatch):
    from courses import ports
    from courses.models import Course

    accredited, plain = CourseFactory(), CourseFactory()
    assert _slugs(client.get(reverse("courses:catalogue"), {"accredited": "yes"})) == []

    class Lookup:
        def accredited_course_ids(self):
            return Course.objects.filter(pk=accredited.pk).values("id")

    monkeypatch.setattr(ports, "_accreditations", Lookup())
    assert _slugs(client.get(reverse("courses:catalogue"), {"accredited": "yes"})) == [
        accredited.slug
    ]
    assert _slugs(client.get(reverse("courses:catalogue"), {"accredited": "no"})) == [plain.slug]


def test_a_text_missing_in_the_visitors_language_is_marked_in_the_catalogue(
    client, django_assert_max_num_queries
):
    theme = ThemeFactory(name={"en": "Safeguarding", "ro": "Protecție"})
    course = CourseFactory(
        title={"en": "Report writing"}, summary={"en": "Clear reports.", "ro": "Rapoarte clare."}
    )
    course.themes.add(theme)
    client.post(reverse("set_language"), {"language": "ro", "next": "/"})
    page = client.get(reverse("courses:catalogue")).content.decode()
    assert '<span lang="en">Report writing</span> <small class="fallback">' in page
    assert "Rapoarte clare." in page
    assert '<span lang="en">Clear reports.' not in page
    assert "Protecție" in page
    detail = client.get(reverse("courses:detail", args=[course.slug])).content.decode()
    assert '<h1><span lang="en">Report writing</span>' in detail


def test_the_courses_own_language_is_shown_before_english(client):
    course = CourseFactory(
        title={"en": "Report writing", "ro": "Scrierea rapoartelor"}, languages=["ro", "en"]
    )
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    response = client.get(reverse("courses:catalogue"), HTTP_ACCEPT_LANGUAGE="en")
    assert response.context["entries"][0].title.language == "en"
    # A reader whose language the course lacks reads the course's own language.
    assert course.title_in("uk") == "Scrierea rapoartelor"


def test_the_catalogue_filters_by_any_language_courses_are_written_in(client):
    ukrainian = CourseFactory(title={"uk": "Захист дітей"}, languages=["uk"])
    CourseFactory(languages=["en"])
    CourseFactory(languages=["pl"], status=CourseStatus.DRAFT)
    response = client.get(reverse("courses:catalogue"), {"language": "uk"})
    assert _slugs(response) == [ukrainian.slug]
    codes = [code for code, _name in response.context["form"].fields["language"].choices]
    assert "uk" in codes
    assert "pl" not in codes
    assert 'lang="uk"' in response.content.decode()
    refused = client.get(reverse("courses:catalogue"), {"language": "xx"})
    assert "language" in refused.context["form"].errors
