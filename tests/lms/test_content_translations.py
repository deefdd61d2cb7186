"""Content translations: what is missing or out of date per language, the edit page, XLIFF
2.0 export and import (validation with lines, preview, all or nothing), and the translator's
scope."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from lxml import etree

from courses.services import update_course_settings
from lms.content_translation import selectors, services, xliff
from lms.content_translation.registry import State, translatable
from tests.certificates.factories import RuleSetFactory
from tests.courses.factories import CourseFactory
from tests.frameworks.factories import FrameworkFactory
from tests.lms.factories import UserFactory

pytestmark = pytest.mark.django_db
NS = {"x": "urn:oasis:names:tc:xliff:document:2.0"}
EMPTY = b'<target xml:lang="uk"></target>'


def _filled(client):
    return _export(client).replace(EMPTY, b'<target xml:lang="uk">x</target>')


@pytest.fixture
def translator(client):
    person = UserFactory(translates_into=["uk"])
    client.force_login(person)
    return person


def _course(**kwargs):
    return CourseFactory(
        title={"en": "Report writing"}, summary={"en": "Clear reports."}, languages=["en"],
        **kwargs,
    )  # fmt: skip


def _texts(language):
    return {t.id: t for row in selectors.work_for(language, only_open=False) for t in row.texts}


def test_missing_then_done_then_out_of_date_when_the_source_changes():
    course = _course()
    spec = translatable("course")
    assert _texts("uk")[f"course:{course.pk}:title"].state == State.MISSING
    services.save_translations(spec=spec, pk=course.pk, language="uk", texts={"title": "Звіти"})
    course.refresh_from_db()
    assert course.title == {"en": "Report writing", "uk": "Звіти"}
    assert _texts("uk")[f"course:{course.pk}:title"].state == State.DONE
    course.title = {**course.title, "en": "Writing reports"}
    course.save()
    assert _texts("uk")[f"course:{course.pk}:title"].state == State.STALE


def test_plain_text_fields_keep_their_translations_beside_them():
    rule_set = RuleSetFactory(name="Annual CPD")
    framework = FrameworkFactory(title="Social work", language="en")
    services.save_translations(
        spec=translatable("ruleset"), pk=rule_set.pk, language="uk", texts={"name": "Щорічно"}
    )
    rule_set.refresh_from_db()
    assert rule_set.name == "Annual CPD"
    assert rule_set.name_in("uk") == "Щорічно"
    assert rule_set.name_in("ro").language == "en"
    assert framework.title_in("uk").language == "en"


def test_the_list_costs_queries_per_kind_of_text_not_per_row(django_assert_max_num_queries):
    for _ in range(3):
        _course()
    with django_assert_max_num_queries(12) as few:
        selectors.work_for("uk")
    for _ in range(10):
        _course()
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(selectors.work_for("uk")) >= 13


def test_a_translator_sees_and_edits_only_their_languages(client, translator):
    course = _course()
    index = client.get(reverse("content_translation:index"))
    assert index.status_code == 200
    assert client.get(reverse("content_translation:language", args=["ro"])).status_code == 404
    page = client.get(reverse("content_translation:language", args=["uk"]))
    assert "Report writing" in page.content.decode()
    edit = reverse("content_translation:edit", args=["uk", "course", course.pk])
    form = client.get(edit).content.decode()
    assert '<blockquote lang="en" class="source">Report writing</blockquote>' in form
    response = client.post(edit, {"text_title": "Звіти", "text_summary": ""})
    assert response.status_code == 302
    course.refresh_from_db()
    assert course.title["uk"] == "Звіти"
    assert "uk" not in course.summary


def test_a_translator_reaches_no_other_staff_page(client, translator):
    course = _course()
    assert client.get(reverse("courses:settings", args=[course.slug])).status_code in {
        302,
        403,
        404,
    }
    assert client.get(reverse("courses:import")).status_code in {302, 403, 404}
    assert client.get("/admin/").status_code == 302


def test_someone_without_the_role_sees_nothing(client):
    client.force_login(UserFactory())
    assert client.get(reverse("content_translation:index")).status_code == 404


def _export(client, language="uk"):
    response = client.get(reverse("content_translation:export", args=[language]), {"source": "en"})
    assert response["Content-Type"].startswith("application/xliff+xml")
    return response.content


def test_the_export_is_xliff_2_with_one_unit_per_text(client, translator):
    course = _course()
    root = etree.fromstring(_export(client))
    assert (root.get("version"), root.get("srcLang"), root.get("trgLang")) == ("2.0", "en", "uk")
    unit = root.find(f".//x:unit[@id='course:{course.pk}:title']", NS)
    assert unit.find("x:segment", NS).get("state") == "initial"
    assert unit.find("x:segment/x:source", NS).text == "Report writing"


def _import(client, data, **extra):
    upload = SimpleUploadedFile("uk.xlf", data, content_type="application/xliff+xml")
    return client.post(
        reverse("content_translation:import", args=["uk"]), {"file": upload, **extra}
    )


def test_an_import_shows_a_preview_then_applies_everything(client, translator):
    course = _course()
    data = _export(client).replace(
        b'<target xml:lang="uk"></target>',
        b'<target xml:lang="uk">\xd0\x97\xd0\xb2\xd1\x96\xd1\x82\xd0\xb8</target>',
        1,
    )
    preview = _import(client, data)
    assert preview.status_code == 200
    assert len(preview.context["preview"].changes) == 1
    course.refresh_from_db()
    assert "uk" not in course.title  # nothing written before the confirmation
    applied = client.post(
        reverse("content_translation:import", args=["uk"]), {"payload": preview.context["payload"]}
    )
    assert applied.status_code == 302
    course.refresh_from_db()
    assert course.title["uk"] == "Звіти"


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (lambda d: d.replace(b"</xliff>", b""), "Line"),
        (lambda d: d.replace(b'trgLang="uk"', b'trgLang="ro"'), "trgLang"),
        (lambda d: d.replace(b'id="course:', b'id="nothing:'), "unknown unit id"),
        (lambda d: d.replace(b'<source xml:lang="en">', b'<source xml:lang="de">'), "xml:lang"),
        (lambda d: d.replace(b">Report writing<", b">Old title<"), "source text changed"),
    ],
)
def test_a_bad_file_is_refused_whole_with_its_lines(client, translator, change, reason):
    course = _course()
    _course()
    data = change(
        _export(client).replace(
            b'<target xml:lang="uk"></target>', b'<target xml:lang="uk">x</target>'
        )
    )
    response = _import(client, data)
    errors = response.context["errors"]
    assert any(reason in error for error in errors), errors
    assert all(error.startswith("Line ") for error in errors)
    course.refresh_from_db()
    assert "uk" not in course.title


def test_a_source_edited_after_the_preview_refuses_the_whole_import(client, translator):
    first, second = _course(), _course()
    data = _export(client).replace(
        b'<target xml:lang="uk"></target>', b'<target xml:lang="uk">x</target>'
    )
    preview = _import(client, data)
    second.title = {"en": "Changed meanwhile"}
    second.save()
    client.post(
        reverse("content_translation:import", args=["uk"]), {"payload": preview.context["payload"]}
    )
    first.refresh_from_db()
    assert "uk" not in first.title


def test_a_document_type_declaration_is_refused():
    with pytest.raises(xliff.XliffError):
        xliff.read_xliff(b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><x/>', language="uk")


def test_a_translated_framework_title_shows_on_its_page_and_a_fallback_is_marked(client):
    framework = FrameworkFactory(title="Social work", language="en")
    services.save_translations(
        spec=translatable("framework"),
        pk=framework.pk,
        language="ro",
        texts={"title": "Asistență socială"},
    )
    client.force_login(UserFactory())
    url = reverse("frameworks:detail", args=[framework.identifier])
    client.post(reverse("set_language"), {"language": "ro", "next": "/"})
    assert "<h1>Asistență socială</h1>" in client.get(url).content.decode()
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert "<h1>Social work</h1>" in client.get(url).content.decode()
    framework.translations = {}
    framework.save()
    client.post(reverse("set_language"), {"language": "ro", "next": "/"})
    assert (
        '<h1><span lang="en">Social work</span> <small class="fallback">'
        in client.get(url).content.decode()
    )


def test_the_language_page_costs_a_fixed_number_of_queries_and_pages(
    client, translator, django_assert_max_num_queries
):
    for _ in range(3):
        _course()
    url = reverse("content_translation:language", args=["uk"])
    with django_assert_max_num_queries(20) as few:
        client.get(url)
    for _ in range(60):
        _course()
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert len(response.context["rows"]) == 50
    assert response.context["page"].paginator.count == 63


def _settings(course, title):
    return update_course_settings(
        course=course, title=title, summary=course.summary, cpd_hours=course.cpd_hours,
        themes=[], professions=[], level=course.level, price=course.price,
        is_paid=course.is_paid, status=course.status,
    )  # fmt: skip


def test_a_translation_staff_write_on_the_settings_page_goes_out_of_date_with_its_source():
    course = _course()
    _settings(course, {"en": "Report writing", "uk": "Звіти"})
    assert _texts("uk")[f"course:{course.pk}:title"].state == State.DONE
    course = _settings(course, {"en": "Writing reports", "uk": "Звіти"})
    assert _texts("uk")[f"course:{course.pk}:title"].state == State.STALE
    # translated again after the change: up to date
    _settings(course, {"en": "Writing reports", "uk": "Написання звітів"})
    assert _texts("uk")[f"course:{course.pk}:title"].state == State.DONE
