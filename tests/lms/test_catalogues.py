"""Every offered language's catalogue is complete and safe (tests/lms/catalogues.py): it compiles
with msgfmt's checks, has no fuzzy or untranslated entry, keeps the placeholders and HTML tags of
each source text, has the language's plural forms, and its committed .mo is up to date. The
checks are tried on broken catalogues too, so that they can fail."""

import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.utils.translation import to_locale

from tests.lms.catalogues import catalogue_problems, compile_po

LOCALE_DIR = Path(settings.LOCALE_PATHS[0])
OFFERED = [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]

HEADER = r"""msgid ""
msgstr ""
"Language: ro\n"
"MIME-Version: 1.0\n"
"Content-Type: text/plain; charset=UTF-8\n"
"Content-Transfer-Encoding: 8bit\n"
"Plural-Forms: nplurals=3; plural=(n==1 ? 0 : (n==0 || (n%100 > 0 && n%100 < 20)) ? 1 : 2);\n"
"""

GOOD = r"""
#, python-format
msgid "Welcome, %(name)s."
msgstr "Bun venit, %(name)s."

msgid "Read <a href=\"%(url)s\">the guide</a> first."
msgstr "Citește mai întâi <a href=\"%(url)s\">ghidul</a>."

msgctxt "amount"
msgid "Open"
msgstr "Deschis"

msgid "Hello {name}"
msgstr "Salut {name}"

#, python-format
msgid "%(amount)s hour"
msgid_plural "%(amount)s hours"
msgstr[0] "%(amount)s oră"
msgstr[1] "%(amount)s ore"
msgstr[2] "%(amount)s de "
"ore"

#, python-format
msgid "completed in under 25 % of the hours"
msgstr "finalizat în mai puțin de 25 % din ore"
"""


def _catalogue(folder: Path, body: str, *, compiled: bool = True) -> Path:
    po = folder / "django.po"
    po.write_text(HEADER + body, encoding="utf-8")
    if compiled:
        assert compile_po(po, po.with_suffix(".mo")) == ""
    return po


@pytest.mark.parametrize("language", OFFERED)
def test_the_catalogue_of_every_offered_language_is_complete(language):
    po = LOCALE_DIR / to_locale(language) / "LC_MESSAGES" / "django.po"
    assert catalogue_problems(po, to_locale(language)) == []


def test_romanian_is_offered_and_checked():
    assert "ro" in OFFERED


def test_a_complete_catalogue_passes(tmp_path):
    assert catalogue_problems(_catalogue(tmp_path, GOOD), "ro") == []


@pytest.mark.parametrize(
    ("good", "broken", "complaint"),
    [
        ('#, python-format\nmsgid "Welcome', '#, fuzzy, python-format\nmsgid "Welcome', "fuzzy"),
        ('msgstr "Bun venit, %(name)s."', 'msgstr ""', "untranslated"),
        ('msgstr "Bun venit, %(name)s."', 'msgstr "Bun venit."', "placeholders"),
        ('msgstr "Bun venit, %(name)s."', 'msgstr "Bun venit, %(nume)s."', "placeholders"),
        ('msgstr "Salut {name}"', 'msgstr "Salut {nume}"', "placeholders"),
        ('"%(url)s\\">ghidul</a>."', '"%(url)s\\">ghidul."', "HTML tags"),
        ('msgstr "Citește mai', 'msgstr "<strong>Citește</strong> mai', "HTML tags"),
        ('msgstr[2] "%(amount)s de "\n"ore"', "", "2 plural forms, the language has 3"),
        ('msgstr[2] "%(amount)s de "', 'msgstr[2] "multe "', "the last plural form drops"),
        ('msgstr[1] "%(amount)s ore"', 'msgstr[1] ""', "untranslated"),
    ],
)
def test_a_broken_entry_is_named(tmp_path, good, broken, complaint):
    assert good in GOOD
    po = tmp_path / "django.po"
    po.write_text(HEADER + GOOD.replace(good, broken), encoding="utf-8")
    subprocess.run(["msgfmt", "-o", str(po.with_suffix(".mo")), str(po)], check=False)
    problems = catalogue_problems(po, "ro")
    assert problems, complaint
    assert any(complaint in problem for problem in problems), problems


def test_a_catalogue_msgfmt_refuses_is_named(tmp_path):
    po = _catalogue(tmp_path, GOOD)
    po.write_text(po.read_text().replace('msgstr "Deschis"', 'msgstr "Deschis'), encoding="utf-8")
    assert "msgfmt --check-format --check-header refuses it" in catalogue_problems(po, "ro")[0]


def test_a_positional_placeholder_msgfmt_lets_through_is_named(tmp_path):
    body = '#, python-format\nmsgid "%s of %s"\nmsgstr "%s"\n'
    problems = catalogue_problems(_catalogue(tmp_path, GOOD + "\n" + body, compiled=False), "ro")
    assert problems  # msgfmt itself refuses a missing %s; the check says so either way


def test_a_stale_or_missing_compiled_catalogue_is_named(tmp_path):
    po = _catalogue(tmp_path, GOOD)
    po.write_text(po.read_text().replace("Deschis", "Deschisă"), encoding="utf-8")
    assert catalogue_problems(po, "ro") == [
        f"{po.with_suffix('.mo')}: out of date with its .po (make messages)"
    ]
    po.with_suffix(".mo").unlink()
    assert catalogue_problems(po, "ro") == [
        f"{po.with_suffix('.mo')}: not compiled (make messages)"
    ]


def test_a_language_with_the_wrong_number_of_plural_forms_is_named(tmp_path):
    po = _catalogue(tmp_path, GOOD)
    assert any("nplurals=3, but bg has [2]" in p for p in catalogue_problems(po, "bg"))


def test_a_missing_catalogue_is_named(tmp_path):
    assert "no catalogue" in catalogue_problems(tmp_path / "django.po", "uk")[0]
