"""scripts/transliterate-serbian: the Serbian Latin catalogue is the Cyrillic one, letter for
letter, with placeholders and HTML left alone (docs/translation/sr.md)."""

import importlib.machinery
import importlib.util
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "transliterate-serbian"


@pytest.fixture(scope="module")
def tool():
    loader = importlib.machinery.SourceFileLoader("transliterate_serbian", str(SCRIPT))
    spec = importlib.util.spec_from_loader(loader.name, loader)
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    return module


def test_every_letter_of_the_alphabet(tool):
    cyrillic = "абвгдђежзијклљмнњопрстћуфхцчџш"
    latin = [
        "a", "b", "v", "g", "d", "đ", "e", "ž", "z", "i", "j", "k", "l", "lj", "m",
        "n", "nj", "o", "p", "r", "s", "t", "ć", "u", "f", "h", "c", "č", "dž", "š",
    ]  # fmt: skip
    assert [tool.transliterate(c) for c in cyrillic] == latin
    assert [tool.transliterate(c.upper()) for c in cyrillic] == [x.capitalize() for x in latin]


@pytest.mark.parametrize(
    ("cyrillic", "latin"),
    [
        ("Љубав, Њива и Џеп", "Ljubav, Njiva i Džep"),
        ("ЉУБАВ, ЊИВА И ЏЕП", "LJUBAV, NJIVA I DŽEP"),
        ("ПОЉЕ", "POLJE"),
        ("Љ. Петровић, Џ. Њ.", "Lj. Petrović, Dž. Nj."),
        ("Моји сертификати", "Moji sertifikati"),
        ("КПР: још 3 сата", "KPR: još 3 sata"),
        ("„Ђорђе“ и ћуприја", "„Đorđe“ i ćuprija"),
    ],
)
def test_words_and_capitalised_digraphs(tool, cyrillic, latin):
    assert tool.transliterate(cyrillic) == latin


def test_placeholders_html_and_escapes_are_untouched(tool):
    text = (
        '%(count)s %(име)s {n} {{ ђак }} %% %d <a href=\\"/љ\\" title=\\"Џ\\">Веза</a> &nbsp;ш\\nЊ'
    )
    assert tool.transliterate(text) == (
        '%(count)s %(име)s {n} {{ ђак }} %% %d <a href=\\"/љ\\" title=\\"Џ\\">Veza</a> &nbsp;š\\nNj'
    )


PO = """\
# Practica, Serbian (Cyrillic) translation.
msgid ""
msgstr ""
"Language-Team: Serbian (Cyrillic)\\n"
"Language: sr\\n"
"Plural-Forms: nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && "
"n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);\\n"

#: a.py:1
#, python-format
msgctxt "audit decision"
msgid "accepted"
msgstr "прихваћено"

msgid ""
"Hello %(name)s,\\n"
"someone asked"
msgstr ""
"Здраво, %(name)s,\\n"
"ЉУБАВ Љ"
"УБАВ"

msgid "%(n)s seat"
msgid_plural "%(n)s seats"
msgstr[0] "%(n)s место"
msgstr[1] "%(n)s места"
msgstr[2] "%(n)s места"
"""


def test_convert_changes_only_translations_and_the_header(tool):
    latin = tool.convert(PO)
    assert latin.splitlines()[:7] == [
        "# Practica, Serbian (Latin) translation.",
        tool.NOTICE,
        'msgid ""',
        'msgstr ""',
        '"Language-Team: Serbian (Latin)\\n"',
        '"Language: sr_Latn\\n"',
        '"Plural-Forms: nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && "',
    ]
    assert 'msgctxt "audit decision"\nmsgid "accepted"\nmsgstr "prihvaćeno"\n' in latin
    # A word split over two lines of the file is still upper case: LJ, not Lj.
    assert '"Zdravo, %(name)s,\\n"\n"LJUBAV LJ"\n"UBAV"\n' in latin
    assert 'msgstr[0] "%(n)s mesto"\nmsgstr[1] "%(n)s mesta"\n' in latin
    assert "#, python-format\n" in latin
    assert tool.convert(PO) == latin  # deterministic


def test_the_committed_latin_catalogue_is_current(tool, capsys):
    assert tool.main(["--check"]) == 0, capsys.readouterr().err
    latin = tool.TARGET.read_text(encoding="utf-8")
    translations = re.findall(r'^(?:msgstr(?:\[\d\])? )?"(.*)"$', latin, flags=re.MULTILINE)
    assert not [t for t in translations if re.search("[\u0400-\u04ff]", t)]


def test_check_fails_when_the_latin_catalogue_was_edited(tool, tmp_path):
    target = tmp_path / "django.po"
    source = tmp_path / "sr.po"
    source.write_text(PO, encoding="utf-8")
    assert tool.main(["--source", str(source), "--target", str(target)]) == 0
    assert tool.main(["--source", str(source), "--target", str(target), "--check"]) == 0
    target.write_text(target.read_text(encoding="utf-8").replace("mesto", "mjesto"), "utf-8")
    assert tool.main(["--source", str(source), "--target", str(target), "--check"]) == 1
