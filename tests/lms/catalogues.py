"""The checks of a translation catalogue (``lms/locale/<locale>/LC_MESSAGES/django.po``), run by
``tests/lms/test_catalogues.py`` for every offered language and tried on broken catalogues there.

A catalogue passes when GNU msgfmt compiles it with ``--check-format --check-header``, no entry is
fuzzy or untranslated, every translation keeps the placeholders (``%(name)s``, ``%s``, ``%d``,
``{name}``) and the HTML tags of its source text, every plural entry has the language's number
of forms, and the committed ``.mo`` says what the ``.po`` says.
"""

import ast
import gettext
import re
import shutil
import subprocess
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

# Plural forms a language may have (CLDR, as Django's own catalogues write them): a catalogue
# with another number would pick the wrong form. Russian and Ukrainian catalogues have three
# forms, or four with one for fractions (Django's, from Transifex); French and Spanish two, or
# three with CLDR's "many" for round millions.
EXPECTED_NPLURALS: dict[str, set[int]] = {
    "ro": {3},
    "bg": {2},
    "sq": {2},
    "hu": {2},
    "sr": {3},
    "sr_Latn": {3},
    "hr": {3},
    "bs": {3},
    "mk": {2},
    "ru": {3, 4},
    "uk": {3, 4},
    "es": {2, 3},
    "fr": {2, 3},
}

# printf-style conversions as Python's % operator reads them; "%%" is a literal percent sign. A
# percent sign before a space is prose ("25 % of"), not the rare space flag (xgettext and
# msgfmt take "25 % of" for "% o", and "25 % din" for "% d").
PERCENT = re.compile(r"%(?:\((?P<name>[^)]*)\))?[-#0+]*(?:\d+|\*)?(?:\.\d+)?(?P<kind>[a-zA-Z%])")
BRACES = re.compile(r"(?<!\{)\{[A-Za-z_][\w.]*(?:![rsa])?(?::[^{}]*)?\}(?!\})")
TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)\b[^<>]*?(/?)>")
NPLURALS = re.compile(r"nplurals\s*=\s*(\d+)")


@dataclass
class Entry:
    """One message of a PO file, as written (escapes read)."""

    line: int
    msgid: str = ""
    msgid_plural: str | None = None
    msgctxt: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)

    @property
    def name(self) -> str:
        return f"line {self.line} ({self.msgid[:40]!r})"


def _unquote(text: str) -> str:
    """A PO string's text: C escapes as Python reads them (the two agree on PO's few)."""
    return str(ast.literal_eval(text))


def read_po(path: Path) -> list[Entry]:
    """The entries of a PO file, the header (msgid "") first; obsolete ("#~") entries left out."""
    entries: list[Entry] = []
    entry: Entry | None = None
    target: tuple[str, int] = ("", 0)
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#~"):
            continue
        if entry is None or (line.startswith(("#", "msgctxt", "msgid ")) and target[0] == "msgstr"):
            entry = Entry(line=number)
            entries.append(entry)
            target = ("", 0)
        if line.startswith("#,"):
            entry.flags |= {flag.strip() for flag in line[2:].split(",")}
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            _append(entry, target, _unquote(line))
        else:
            keyword, _space, value = line.partition(" ")
            match = re.fullmatch(r"msgstr\[(\d+)\]", keyword)
            if match:
                target = ("msgstr", int(match.group(1)))
            elif keyword in {"msgctxt", "msgid", "msgid_plural", "msgstr"}:
                target = (keyword, 0)
            else:
                raise ValueError(f"{path}:{number}: cannot read {line!r}")
            _append(entry, target, _unquote(value))
    return entries


def _append(entry: Entry, target: tuple[str, int], text: str) -> None:
    kind, index = target
    if kind == "msgstr":
        entry.msgstr[index] = entry.msgstr.get(index, "") + text
    elif kind == "msgid_plural":
        entry.msgid_plural = (entry.msgid_plural or "") + text
    elif kind == "msgctxt":
        entry.msgctxt = (entry.msgctxt or "") + text
    elif kind == "msgid":
        entry.msgid += text


def placeholders(text: str, *, printf: bool) -> tuple[Counter[str], list[str]]:
    """The named placeholders (``%(x)s``, ``{x}``) and, in order, the positional ones (``%s``)."""
    named: Counter[str] = Counter(f"{{{m.group(0)}}}" for m in BRACES.finditer(text))
    positional: list[str] = []
    if printf:
        for match in PERCENT.finditer(text):
            if match.group("kind") == "%":
                continue
            if match.group("name") is not None:
                named[match.group(0)] += 1
            else:
                positional.append(match.group(0))
    return named, positional


def tags(text: str) -> Counter[str]:
    """The HTML tags of ``text`` by name, opening and closing counted apart."""
    return Counter(f"<{m.group(1)}{m.group(2).lower()}{m.group(3)}>" for m in TAG.finditer(text))


def entry_problems(entry: Entry, nplurals: int) -> list[str]:
    """What is wrong with one translated entry."""
    if "fuzzy" in entry.flags:
        return [f"{entry.name}: fuzzy (a guess nobody checked: translate it and drop the flag)"]
    forms = [entry.msgstr.get(i, "") for i in range(max(entry.msgstr, default=0) + 1)]
    if not any(forms) or not all(forms):
        return [f"{entry.name}: untranslated"]
    problems: list[str] = []
    sources = [entry.msgid] + ([entry.msgid_plural] if entry.msgid_plural is not None else [])
    printf = "python-format" in entry.flags or "%(" in "".join(sources)
    if entry.msgid_plural is not None and len(forms) != nplurals:
        problems.append(f"{entry.name}: {len(forms)} plural forms, the language has {nplurals}")
    source_named = [placeholders(text, printf=printf)[0] for text in sources]
    source_positional = [placeholders(text, printf=printf)[1] for text in sources]
    allowed = set().union(*source_named)
    for index, form in enumerate(forms):
        named, positional = placeholders(form, printf=printf)
        label = f"{entry.name}, form {index}" if entry.msgid_plural is not None else entry.name
        if entry.msgid_plural is None and named != source_named[0]:
            problems.append(
                f"{label}: placeholders {sorted(named)} instead of {sorted(source_named[0])}"
            )
        elif set(named) - allowed:
            problems.append(
                f"{label}: placeholders {sorted(set(named) - allowed)} are not in the source"
            )
        if positional not in source_positional:
            problems.append(f"{label}: placeholders {positional} instead of {source_positional[0]}")
        if tags(form) != tags(entry.msgid):
            problems.append(
                f"{label}: HTML tags {sorted(tags(form).elements())} instead of "
                f"{sorted(tags(entry.msgid).elements())}"
            )
    if entry.msgid_plural is not None and len(forms) == nplurals:
        last = placeholders(forms[-1], printf=printf)[0]
        if set(last) != set(source_named[-1]):
            dropped = sorted(set(source_named[-1]) - set(last))
            problems.append(f"{entry.name}: the last plural form drops {dropped}")
    return problems


def compile_po(po: Path, mo: Path) -> str:
    """Compile ``po`` into ``mo`` with GNU msgfmt's checks; its complaints, or "" when none."""
    msgfmt = shutil.which("msgfmt")
    if msgfmt is None:
        return "GNU gettext's msgfmt is not installed (apt-get install gettext)"
    done = subprocess.run(
        [msgfmt, "--check-format", "--check-header", "-o", str(mo), str(po)],
        capture_output=True,
        text=True,
        check=False,
    )
    return "" if done.returncode == 0 else done.stderr.strip() or "msgfmt failed"


def _messages(mo: Path) -> dict[object, str]:
    with mo.open("rb") as file:
        return dict(gettext.GNUTranslations(file)._catalog)  # type: ignore[attr-defined]


def catalogue_problems(po: Path, locale: str) -> list[str]:
    """Everything wrong with the catalogue ``po`` of ``locale`` (``sr_Latn``), beside it its
    compiled ``.mo``; an empty list for a complete catalogue."""
    if not po.is_file():
        return [f"{po}: no catalogue (make messages, then translate it)"]
    problems: list[str] = []
    with tempfile.TemporaryDirectory() as folder:
        fresh = Path(folder) / "django.mo"
        complaint = compile_po(po, fresh)
        if complaint:
            problems.append(f"{po}: msgfmt --check-format --check-header refuses it:\n{complaint}")
        try:
            entries = read_po(po)
        except (ValueError, SyntaxError) as error:
            return [*problems, f"{po}: cannot be read: {error}"]
        header = entries[0].msgstr.get(0, "") if entries and entries[0].msgid == "" else ""
        found = NPLURALS.search(header)
        nplurals = int(found.group(1)) if found else 2
        expected = EXPECTED_NPLURALS.get(locale)
        if expected is not None and nplurals not in expected:
            problems.append(f"{po}: nplurals={nplurals}, but {locale} has {sorted(expected)}")
        for entry in entries:
            if entry.msgid != "" or entry.msgctxt is not None:
                problems += [f"{po}:{p}" for p in entry_problems(entry, nplurals)]
        compiled = po.with_suffix(".mo")
        if not compiled.is_file():
            problems.append(f"{compiled}: not compiled (make messages)")
        elif not complaint and _messages(compiled) != _messages(fresh):
            problems.append(f"{compiled}: out of date with its .po (make messages)")
    return problems
