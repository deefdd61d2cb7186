"""The interface catalogue of each language, read with polib: its status (translated, missing,
out of date), and the import of a translator's PO file: checked whole, previewed, then applied
at once (the .po replaced and its .mo compiled) or not at all.

"Out of date" is gettext's fuzzy flag: ``msgmerge`` (``make messages``) marks an entry fuzzy
when its source text changed since it was translated (GNU gettext manual §6.3 "Fuzzy Entries").
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import re
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import polib
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from lms.translation.checks import entry_problems

# Errors shown at most, so that a wrong file does not make a page of thousands of lines.
PROBLEMS_SHOWN = 50
LINE = re.compile(r"\(line (\d+)\)")
NPLURALS = re.compile(r"nplurals\s*=\s*(\d+)")


@dataclass(frozen=True)
class CatalogueStatus:
    language: str
    name: str
    total: int
    translated: int
    missing: int
    fuzzy: int


@dataclass(frozen=True)
class Change:
    msgid: str
    before: str
    after: str
    fuzzy: bool


@dataclass(frozen=True)
class UploadPreview:
    language: str
    new: list[Change]
    changed: list[Change]
    unchanged: int
    # The catalogue the preview was made against: applying refuses if it changed since.
    digest: str


def catalogue_path(language: str) -> Path:
    return Path(settings.LOCALE_PATHS[0]) / language / "LC_MESSAGES" / "django.po"


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def read_catalogue(language: str) -> polib.POFile:
    return polib.pofile(str(catalogue_path(language)), wrapwidth=78)


def catalogue_status(languages: list[tuple[str, str]]) -> list[CatalogueStatus]:
    """Each language's counts; a language without a catalogue file counts no message."""
    rows = []
    for code, name in languages:
        if not catalogue_path(code).exists():
            rows.append(CatalogueStatus(code, name, 0, 0, 0, 0))
            continue
        catalogue = read_catalogue(code)
        entries = [e for e in catalogue if not e.obsolete]
        translated = len(catalogue.translated_entries())
        fuzzy = len(catalogue.fuzzy_entries())
        rows.append(
            CatalogueStatus(
                language=code,
                name=name,
                total=len(entries),
                translated=translated,
                missing=len(entries) - translated - fuzzy,
                fuzzy=fuzzy,
            )
        )
    return rows


def _key(entry: polib.POEntry) -> tuple[str, str]:
    return (entry.msgctxt or "", entry.msgid)


def _text(entry: polib.POEntry) -> str:
    if entry.msgid_plural:
        return " | ".join(entry.msgstr_plural[i] for i in sorted(entry.msgstr_plural))
    return entry.msgstr


def _has_translation(entry: polib.POEntry) -> bool:
    return bool(_text(entry).replace(" | ", ""))


def _parse(data: bytes) -> polib.POFile:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise ValidationError(_("The file is not UTF-8 text.")) from error
    with tempfile.NamedTemporaryFile(suffix=".po") as handle:
        handle.write(data)
        handle.flush()
        try:
            return polib.pofile(handle.name, encoding="utf-8", check_for_duplicates=True)
        except ValueError as error:  # a duplicate entry
            raise ValidationError(
                _("The file has an entry twice: %(detail)s.") % {"detail": error}
            ) from error
        except OSError as error:
            line = LINE.search(str(error))
            raise ValidationError(
                _("The file cannot be read as a PO file: check line %(line)s.")
                % {"line": line.group(1) if line else "?"}
            ) from error


def _plural_count(catalogue: polib.POFile) -> int:
    found = NPLURALS.search(catalogue.metadata.get("Plural-Forms", ""))
    return int(found.group(1)) if found else 2


def _compare(language: str, data: bytes) -> tuple[polib.POFile, list[polib.POEntry], UploadPreview]:
    """The checks and the preview; raises a ValidationError listing every problem."""
    path = catalogue_path(language)
    if not path.exists():
        raise ValidationError(_("There is no catalogue for this language yet."))
    digest = _digest(path)
    catalogue = read_catalogue(language)
    uploaded = _parse(data)
    plural_count = _plural_count(catalogue)
    problems: list[str] = []
    language_header = uploaded.metadata.get("Language", "")
    if language_header and language_header.replace("_", "-").lower() != language.lower():
        problems.append(
            _("The file is for the language “%(found)s”, not “%(expected)s”.")
            % {"found": language_header, "expected": language}
        )
    header_forms = uploaded.metadata.get("Plural-Forms", "")
    if header_forms and NPLURALS.search(header_forms) and _plural_count(uploaded) != plural_count:
        problems.append(
            ngettext(
                "Your file's Plural-Forms has %(given)s form; this language has %(expected)s.",
                "Your file's Plural-Forms has %(given)s forms; this language has %(expected)s.",
                _plural_count(uploaded),
            )
            % {"given": _plural_count(uploaded), "expected": plural_count}
        )
    template = {_key(e): e for e in catalogue if not e.obsolete}
    accepted: list[polib.POEntry] = []
    new: list[Change] = []
    changed: list[Change] = []
    unchanged = 0
    for entry in uploaded:
        if entry.obsolete:
            continue
        current = template.get(_key(entry))
        if current is None:
            problems.append(
                _("Line %(line)s, “%(msgid)s”: this message is not in the catalogue.")
                % {"line": entry.linenum, "msgid": entry.msgid[:80]}
            )
            continue
        entry_issues = entry_problems(entry, current, plural_count)
        problems.extend(entry_issues)
        if entry_issues or not _has_translation(entry):
            # An empty translation leaves the catalogue's as it is.
            unchanged += not entry_issues
            continue
        if _text(entry) == _text(current) and entry.fuzzy == current.fuzzy:
            unchanged += 1
            continue
        change = Change(current.msgid, _text(current), _text(entry), entry.fuzzy)
        (changed if _has_translation(current) else new).append(change)
        accepted.append(entry)
    if problems:
        shown = problems[:PROBLEMS_SHOWN]
        if (more := len(problems) - PROBLEMS_SHOWN) > 0:
            shown.append(
                ngettext("… and %(count)s more problem.", "… and %(count)s more problems.", more)
                % {"count": more}
            )
        raise ValidationError(shown)
    return catalogue, accepted, UploadPreview(language, new, changed, unchanged, digest)


def preview_upload(*, language: str, data: bytes) -> UploadPreview:
    """What applying this file would change; writes nothing."""
    return _compare(language, data)[2]


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    # One writer at a time per catalogue (rosetta's saves are not covered: see README).
    name = hashlib.sha256(str(path).encode()).hexdigest()[:16]
    lock_path = Path(tempfile.gettempdir()) / f"practica-{name}.lock"
    with lock_path.open("w", encoding="utf-8") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _written(path: Path, write: Callable[[str], object]) -> Path:
    """A temporary copy beside ``path``, written by ``write``; renamed over it later."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=path.suffix)
    os.close(handle)
    try:
        write(temporary)
        Path(temporary).chmod(0o644)
    except BaseException:
        Path(temporary).unlink()
        raise
    return Path(temporary)


def apply_upload(*, language: str, data: bytes, digest: str) -> UploadPreview:
    """Applies the checked file to the catalogue and compiles its .mo, all or nothing; refuses
    when the catalogue changed since the preview (``digest``)."""
    path = catalogue_path(language)
    with _locked(path):
        catalogue, accepted, preview = _compare(language, data)
        if preview.digest != digest:
            raise ValidationError(
                _("The catalogue changed since your preview: upload your file again.")
            )
        by_key = {_key(e): e for e in catalogue if not e.obsolete}
        for entry in accepted:
            target = by_key[_key(entry)]
            if target.msgid_plural:
                target.msgstr_plural = dict(entry.msgstr_plural)
            else:
                target.msgstr = entry.msgstr
            if entry.fuzzy and "fuzzy" not in target.flags:
                target.flags.append("fuzzy")
            if not entry.fuzzy:
                target.flags = [flag for flag in target.flags if flag != "fuzzy"]
                target.previous_msgid = target.previous_msgid_plural = None
                target.previous_msgctxt = None
        # Both written first, then renamed: readers see the old pair or the new one.
        compiled = _written(path.with_suffix(".mo"), catalogue.save_as_mofile)
        try:
            source = _written(path, catalogue.save)
        except BaseException:
            compiled.unlink()
            raise
        source.replace(path)
        compiled.replace(path.with_suffix(".mo"))
    return preview
