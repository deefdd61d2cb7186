"""The checks an uploaded translation passes before it may replace the catalogue's: what
``msgfmt --check-format`` checks (GNU gettext manual §9.1 "Invoking msgfmt", "--check-format";
§15.3.14 "Python Format Strings": the same named and positional placeholders), the HTML tags
kept, and as many plural forms as the catalogue's Plural-Forms header says (§12.6 "Additional
functions for plural forms"). Each problem names the upload's line and the msgid."""

from __future__ import annotations

import re
from collections import Counter

import polib
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

# Python's %-format: %(name)s, %s, %d, %.1f, %%; §15.3.14.
PERCENT = re.compile(r"%(?:\((?P<name>[^)]*)\))?[#0 +-]*\d*(?:\.\d+)?[sdifFeEgGxXorcua%]")
# str.format's {name} and {0}, never {{ or }}.
BRACE = re.compile(r"(?<!\{)\{(?P<name>[A-Za-z_0-9.\[\]]*)(?:![rsa])?(?::[^{}]*)?\}(?!\})")
TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*")


def placeholders(text: str, flags: list[str]) -> Counter[str]:
    """The placeholders of a message, as many times as each occurs (%% is not one)."""
    found: Counter[str] = Counter()
    if "python-format" in flags:
        for match in PERCENT.finditer(text):
            if match.group(0) != "%%":
                name = match.group("name")
                found[f"%({name})s" if name is not None else "%"] += 1
    if "python-brace-format" in flags:
        found.update("{" + m.group("name") + "}" for m in BRACE.finditer(text))
    return found


def tags(text: str) -> Counter[str]:
    return Counter(m.group(0).lower() for m in TAG.finditer(text))


def _named(found: Counter[str]) -> set[str]:
    return {p for p in found if p != "%"}


def _label(entry: polib.POEntry) -> str:
    return f"{entry.msgctxt} | {entry.msgid}" if entry.msgctxt else entry.msgid


def entry_problems(
    uploaded: polib.POEntry, template: polib.POEntry, plural_count: int
) -> list[str]:
    """Problems of one uploaded entry against the catalogue's (same msgid and msgctxt)."""
    where = _("Line %(line)s, “%(msgid)s”") % {
        "line": uploaded.linenum,
        "msgid": _label(uploaded)[:80],
    }
    flags = list(template.flags)
    problems: list[str] = []
    if template.msgid_plural:
        forms = uploaded.msgstr_plural or {}
        if not uploaded.msgid_plural:
            problems.append(_("%(where)s: the catalogue has a plural here.") % {"where": where})
            return problems
        given = [forms[i] for i in sorted(forms)]
        if any(given) and len(given) != plural_count:
            problems.append(
                ngettext(
                    "%(where)s: give %(expected)s plural form, not %(given)s.",
                    "%(where)s: give %(expected)s plural forms, not %(given)s.",
                    plural_count,
                )
                % {"where": where, "expected": plural_count, "given": len(given)}
            )
            return problems
        sources = [(0, template.msgid)] + [(i, template.msgid_plural) for i in range(1, len(given))]
    else:
        if uploaded.msgid_plural:
            problems.append(_("%(where)s: the catalogue has no plural here.") % {"where": where})
            return problems
        given = [uploaded.msgstr]
        sources = [(0, template.msgid)]
    for (index, source), translation in zip(sources, given, strict=True):
        if not translation:
            continue
        expected, actual = placeholders(source, flags), placeholders(translation, flags)
        allowed = _named(placeholders(template.msgid, flags)) | _named(
            placeholders(template.msgid_plural or "", flags)
        )
        extra = sorted(_named(actual) - allowed)
        # Python §15.3.14: a translation may drop a placeholder only in a plural form, where a
        # language's form for one need not say the number (only the first, for one).
        missing = sorted(_named(expected) - _named(actual))
        if template.msgid_plural and index == 0:
            missing = []
        if extra:
            problems.append(
                _("%(where)s: the translation has placeholders the original does not: %(names)s.")
                % {"where": where, "names": ", ".join(extra)}
            )
        if missing:
            problems.append(
                _("%(where)s: keep the placeholders %(names)s.")
                % {"where": where, "names": ", ".join(missing)}
            )
        if expected["%"] != actual["%"] and not _named(expected) and "python-format" in flags:
            problems.append(
                _("%(where)s: keep as many %% placeholders as the original.") % {"where": where}
            )
        if tags(source) != tags(translation):
            problems.append(
                _("%(where)s: keep the original's HTML tags (%(tags)s).")
                % {"where": where, "tags": ", ".join(sorted(tags(source))) or "—"}
            )
    return problems
