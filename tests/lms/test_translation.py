"""The interface translators' pages: who may see them, each language's counts, the PO
download, and the PO import (checked, previewed, applied whole or not at all), on a small
catalogue in a temporary LOCALE_PATHS, so the real catalogues are never written."""

from pathlib import Path

import polib
import pytest
from django.urls import reverse

from lms.translation.views import _rosetta_url
from tests.lms.factories import UserFactory

pytestmark = pytest.mark.django_db

CATALOGUE = r"""msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\n"
"Language: ro\n"
"Plural-Forms: nplurals=3; plural=(n==1 ? 0 : (n==0 || (n%100 > 0 && n%100 < 20)) ? 1 : 2);\n"

msgid "Hello"
msgstr "Salut"

msgid "Your courses"
msgstr ""

#, fuzzy, python-format
#| msgid "You have new messages"
msgid "You have %(count)s new messages"
msgstr "Ai mesaje noi"

#, python-format
msgid "%(count)s hour"
msgid_plural "%(count)s hours"
msgstr[0] "o oră"
msgstr[1] "%(count)s ore"
msgstr[2] "%(count)s de ore"

#, python-format
msgid "Read <a href=\"%(url)s\">the guide</a>"
msgstr ""

msgctxt "verb"
msgid "Open"
msgstr "Deschide"
"""

HEADER = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n"Language: ro\\n"\n\n'


@pytest.fixture
def catalogue(settings, tmp_path) -> Path:
    path = tmp_path / "ro" / "LC_MESSAGES" / "django.po"
    path.parent.mkdir(parents=True)
    path.write_text(CATALOGUE, encoding="utf-8")
    settings.LOCALE_PATHS = [tmp_path]
    return path


def make_translator(languages=("ro",)):
    return UserFactory(translates_into=list(languages))


def upload(client, text, language="ro"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    file = SimpleUploadedFile("ro.po", text.encode("utf-8"), "text/x-gettext-translation")
    return client.post(reverse("translation:upload", args=[language]), {f"{language}-file": file})


# --- Who may translate --------------------------------------------------------------------------


def test_someone_signed_out_is_sent_to_log_in(client, catalogue):
    response = client.get(reverse("translation:status"))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_a_learner_finds_no_translation_pages(client, catalogue):
    client.force_login(UserFactory())
    assert client.get(reverse("translation:status")).status_code == 404
    assert client.get(reverse("translation:download", args=["ro"])).status_code == 404
    # Rosetta's own pages send a learner to log in as someone who may.
    assert client.get(reverse("rosetta-file-list", args=["project"])).status_code == 302


def test_a_translator_sees_their_languages_and_rosetta_opens_for_them(client, catalogue):
    client.force_login(make_translator(["ro"]))
    response = client.get(reverse("translation:status"))
    assert response.status_code == 200
    assert "Romanian" in response.text
    editor = _rosetta_url("ro")
    assert editor
    assert f"{editor}?msg_filter=fuzzy" in response.text
    editor_page = client.get(f"{editor}?msg_filter=all")
    assert editor_page.status_code == 200
    # The catalogue of LOCALE_PATHS, not another one rosetta finds.
    assert "Your courses" in editor_page.text


def test_a_person_with_no_languages_is_no_translator_and_rosetta_refuses_them(client, catalogue):
    client.force_login(make_translator([]))
    assert client.get(reverse("translation:status")).status_code == 404
    assert client.get(reverse("translation:download", args=["ro"])).status_code == 404
    # rosetta's own gate sends whoever is no translator to sign in
    assert client.get(_rosetta_url("ro"))["Location"].startswith(reverse("login"))


def test_staff_see_every_language(client, catalogue):
    client.force_login(UserFactory(is_staff=True))
    response = client.get(reverse("translation:status"))
    assert response.status_code == 200
    assert "Romanian" in response.text


# --- Status and download ------------------------------------------------------------------------


def test_the_status_counts_translated_missing_and_out_of_date(
    client, catalogue, django_assert_max_num_queries
):
    client.force_login(make_translator())
    with django_assert_max_num_queries(10):
        response = client.get(reverse("translation:status"))
    rows = response.context["rows"]
    assert len(rows) == 1
    status = rows[0]["status"]
    assert (status.total, status.translated, status.missing, status.fuzzy) == (6, 3, 2, 1)


def test_the_po_file_downloads_as_it_is(client, catalogue):
    client.force_login(make_translator())
    response = client.get(reverse("translation:download", args=["ro"]))
    assert response.status_code == 200
    assert response.content == catalogue.read_bytes()
    assert "attachment" in response["Content-Disposition"]


# --- Upload: checks -----------------------------------------------------------------------------


def _problems(response) -> str:
    assert response.status_code == 400
    return " ".join(response.context["form"].errors["file"])


@pytest.mark.parametrize(
    ("entry", "expected"),
    [
        ('msgid "Hello"\nmsgstr "Salut"\nthis is not po\n', "check line 8"),
        ('msgid "Goodbye"\nmsgstr "La revedere"\n', "Line 6, “Goodbye”: this message is not"),
        (
            '#, python-format\nmsgid "You have %(count)s new messages"\nmsgstr "Ai mesaje"\n',
            "keep the placeholders %(count)s",
        ),
        (
            (
                '#, python-format\nmsgid "You have %(count)s new messages"\n'
                'msgstr "Ai %(count)s mesaje de la %(name)s"\n'
            ),
            "placeholders the original does not: %(name)s",
        ),
        (
            (
                '#, python-format\nmsgid "Read <a href=\\"%(url)s\\">the guide</a>"\n'
                'msgstr "Citește ghidul la %(url)s"\n'
            ),
            "keep the original's HTML tags",
        ),
        (
            (
                '#, python-format\nmsgid "%(count)s hour"\nmsgid_plural "%(count)s hours"\n'
                'msgstr[0] "o oră"\nmsgstr[1] "%(count)s ore"\n'
            ),
            "give 3 plural forms, not 2",
        ),
        ('msgid "Hello"\nmsgid_plural "Hellos"\nmsgstr[0] "Salut"\n', "has no plural here"),
    ],
    ids=["syntax", "unknown", "dropped", "extra", "tags", "plural-count", "not-plural"],
)
def test_an_upload_with_a_problem_is_refused_naming_it_and_writes_nothing(
    client, catalogue, entry, expected
):
    before = catalogue.read_bytes()
    client.force_login(make_translator())
    problems = _problems(upload(client, HEADER + entry))
    assert expected in problems
    assert catalogue.read_bytes() == before
    assert not catalogue.with_suffix(".mo").exists()


def test_an_upload_for_another_language_is_refused(client, catalogue):
    client.force_login(make_translator())
    text = HEADER.replace("Language: ro", "Language: de") + 'msgid "Hello"\nmsgstr "Salut!"\n'
    assert "for the language “de”" in _problems(upload(client, text))


def test_an_upload_into_a_language_not_theirs_is_not_found(client, catalogue):
    client.force_login(make_translator([]))
    assert upload(client, HEADER).status_code == 404


# --- Upload: preview, then apply ----------------------------------------------------------------

GOOD = (
    HEADER
    + 'msgid "Hello"\nmsgstr "Bună"\n\n'
    + 'msgid "Your courses"\nmsgstr "Cursurile tale"\n\n'
    + '#, python-format\nmsgid "You have %(count)s new messages"\n'
    + 'msgstr "Ai %(count)s mesaje noi"\n\n'
    + 'msgctxt "verb"\nmsgid "Open"\nmsgstr "Deschide"\n\n'
    + '#, python-format\nmsgid "Read <a href=\\"%(url)s\\">the guide</a>"\nmsgstr ""\n'
)


def test_an_upload_is_previewed_then_applied_whole_and_compiled(client, catalogue):
    before = catalogue.read_bytes()
    client.force_login(make_translator())
    response = upload(client, GOOD)
    assert response.status_code == 200
    preview = response.context["preview"]
    assert [c.msgid for c in preview.new] == ["Your courses"]
    assert sorted(c.msgid for c in preview.changed) == [
        "Hello",
        "You have %(count)s new messages",
    ]
    assert preview.unchanged == 2  # "Open" as it was, and "Read…" left empty
    assert "Cursurile tale" in response.text
    # The preview writes nothing.
    assert catalogue.read_bytes() == before

    token = response.context["apply_form"].initial["token"]
    applied = client.post(reverse("translation:apply", args=["ro"]), {"token": token})
    assert applied.status_code == 302

    catalogue_now = polib.pofile(str(catalogue))
    assert catalogue_now.find("Hello").msgstr == "Bună"
    assert catalogue_now.find("Your courses").msgstr == "Cursurile tale"
    refreshed = catalogue_now.find("You have %(count)s new messages")
    assert refreshed.msgstr == "Ai %(count)s mesaje noi"
    assert not refreshed.fuzzy
    assert catalogue_now.find('Read <a href="%(url)s">the guide</a>').msgstr == ""
    compiled = polib.mofile(str(catalogue.with_suffix(".mo")))
    assert compiled.find("Your courses").msgstr == "Cursurile tale"
    # The kept upload is used once.
    again = client.post(reverse("translation:apply", args=["ro"]), {"token": token})
    assert again.status_code == 302
    assert "no longer kept" in client.get(reverse("translation:status")).text


def test_a_catalogue_changed_since_the_preview_is_not_overwritten(client, catalogue):
    client.force_login(make_translator())
    response = upload(client, GOOD)
    token = response.context["apply_form"].initial["token"]
    changed = CATALOGUE.replace('msgstr "Salut"', 'msgstr "Salutare"')
    catalogue.write_text(changed, encoding="utf-8")
    client.post(reverse("translation:apply", args=["ro"]), {"token": token})
    assert catalogue.read_text(encoding="utf-8") == changed
    assert not catalogue.with_suffix(".mo").exists()


def test_someone_else_cannot_apply_a_translators_upload(client, catalogue):
    client.force_login(make_translator())
    token = upload(client, GOOD).context["apply_form"].initial["token"]
    client.force_login(make_translator())
    client.post(reverse("translation:apply", args=["ro"]), {"token": token})
    assert catalogue.read_text(encoding="utf-8") == CATALOGUE


def test_an_upload_with_other_plural_forms_is_refused(client, catalogue):
    client.force_login(make_translator())
    text = HEADER.replace(
        '"Language: ro\\n"', '"Language: ro\\n"\n"Plural-Forms: nplurals=2; plural=(n != 1);\\n"'
    )
    assert "Plural-Forms has 2 forms; this language has 3" in _problems(upload(client, text))


def test_a_file_with_very_many_problems_names_the_first_fifty(client, catalogue):
    client.force_login(make_translator())
    text = HEADER + "".join(f'msgid "Unknown {n}"\nmsgstr "x"\n\n' for n in range(60))
    errors = upload(client, text).context["form"].errors["file"]
    assert len(errors) == 51
    assert errors[-1] == "… and 10 more problems."


def test_an_admin_sets_a_translators_languages_in_the_user_admin(client, catalogue):
    translator = make_translator([])
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    page = client.get(reverse("admin:lms_user_change", args=[translator.pk]))
    assert page.status_code == 200
    assert 'name="translates_into"' in page.text
