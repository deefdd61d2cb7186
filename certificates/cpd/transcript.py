"""A learner's CPD transcript of one cycle of a rule set, as CSV and as PDF (issue 9).

Both renderers are pure functions of a ``Standing`` (``certificates.cpd.types``) and the learner's
name: they make no queries. The caller loads what they read, with the standing:
``standing.rule_set`` with its body (``select_related("body")``) and each line's entry with its
certificate (``select_related("certificate")``); ``standing.registration`` is read for its number
only.

- CSV: a header block (learner, body, rule set, cycle, generation time, standing), the entries
  oldest first with a totals row, then the requirements. ISO dates and "." decimals, a UTF-8 byte
  order mark (Excel otherwise reads "Ștefan" in the local code page), and every text cell guarded
  against formula injection (OWASP "CSV Injection"), as the organisation reports do.
- PDF: A4 portrait, reportlab platypus with the PDF kit (``lms.kits.pdf``): DejaVu Sans so that
  Romanian, Hungarian and Cyrillic names render; labels, dates and numbers in the given language;
  "Page N of M" in the footer.
"""

import csv
import functools
import io
import re
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any, TypeAlias
from xml.sax.saxutils import escape

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    LongTable,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from certificates.cpd.models import CpdEntry, CpdType
from certificates.cpd.types import LedgerLine, RequirementResult, Standing
from lms.api import (
    FONT,
    FONT_BOLD,
    HEADER_BACKGROUND,
    NumberedCanvas,
    decimal_text,
    format_amount,
    format_date,
    format_datetime,
    format_hours,
    format_number,
    guard_formula,
    paragraph,
    register_fonts,
    table_style,
    unit_label,
)

BOM = "\ufeff"

PAGE = A4  # portrait, 595.3 x 841.9 pt
MARGIN = 15 * mm
WIDTH = PAGE[0] - 2 * MARGIN  # usable width, about 510 pt
SIZE = 7.5
LEADING = 9.2
PADDING = 3
REFLECTION_CHARACTERS = 160  # each of "what I learnt" and "impact", abbreviated in the PDF

_MUTED = colors.HexColor("#555555")
_MET = "✓"  # U+2713; DejaVu Sans has it

CellText: TypeAlias = str | Paragraph  # reportlab is untyped: Paragraph is Any to mypy
Value = str | int | Decimal | date | bool | None


# --- shared -----------------------------------------------------------------------------------


def transcript_filename(standing: Standing, ext: str) -> str:
    """``cpd-transcript-<rule set slug>-<first day>-<last day>.<ext>``: ASCII only (the slug is
    a SlugField), no personal data, so it is safe in a Content-Disposition header."""
    extension = re.sub(r"[^a-z0-9]", "", ext.lower().lstrip(".")) or "txt"
    cycle = standing.cycle
    return (
        f"cpd-transcript-{standing.rule_set.slug}-{cycle.start:%Y%m%d}-{cycle.end:%Y%m%d}"
        f".{extension}"
    )


def _yes_no(value: bool) -> str:
    return _("yes") if value else _("no")


def _source(entry: CpdEntry) -> str:
    """The certificate's serial for a platform entry, else "external" (``certificate_id`` is
    read first, so an external entry never touches the relation)."""
    certificate = entry.certificate if entry.certificate_id is not None else None
    return certificate.serial if certificate is not None else _("external")


def _requirement_period(result: RequirementResult) -> str:
    if result.period is None:
        return ""
    return f"{result.period.start.isoformat()}/{result.period.end.isoformat()}"


# --- CSV --------------------------------------------------------------------------------------


def _cell(value: Value) -> str:
    """A value as machine-readable text: ISO dates, "." decimals, yes/no, guarded text."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return guard_formula(_yes_no(value))
    if isinstance(value, str):
        return guard_formula(value)
    if isinstance(value, Decimal):
        return decimal_text(value)
    if isinstance(value, date):  # a datetime too
        return value.isoformat()
    return str(value)


def entry_headings(unit: str) -> list[str]:
    """The columns of the entries table (CSV and PDF share the wording)."""
    return [
        _("Date"),
        _("Activity"),
        _("Type of activity"),
        _("Provider"),
        _("Participatory"),
        _("Structured"),
        _("Hours"),
        _("Value (%(unit)s)") % {"unit": unit_label(unit)},
        _("Source"),
        _("What was learnt"),
        _("Impact on practice"),
        _("Peer discussion"),
    ]


def requirement_headings() -> list[str]:
    return [
        _("Requirement"),
        _("Required"),
        _("Achieved"),
        _("Met"),
        _("Missing"),
        _("Period"),
        _("Next entry by"),
    ]


def _entry_values(line: LedgerLine) -> list[Value]:
    entry = line.entry
    return [
        line.day,
        entry.title,
        entry.get_kind_display(),
        entry.provider,
        entry.participatory,
        entry.structured,
        line.hours,
        line.value,
        _source(entry),
        # The reflection itself, as the PDF shows it (abbreviated there, whole here).
        entry.learning.strip(),
        entry.impact.strip(),
        entry.get_discussion_status_display(),
    ]


def _csv_rows(
    standing: Standing, learner_name: str, generated_at: datetime
) -> Iterator[Sequence[Value]]:
    rule_set = standing.rule_set
    yield [_("CPD transcript")]
    yield [_("Learner"), learner_name]
    if standing.registration.number:
        yield [_("Registration number"), standing.registration.number]
    yield [_("Accrediting body"), rule_set.body.name]
    yield [_("Rule set"), rule_set.name]
    yield [_("Cycle start"), standing.cycle.start]
    yield [_("Cycle end"), standing.cycle.end]
    yield [_("Unit"), unit_label(standing.unit)]
    yield [_("Generated"), timezone.localtime(generated_at).isoformat(timespec="minutes")]
    yield [_("Requirements met"), standing.met]
    yield []
    yield entry_headings(standing.unit)
    for line in standing.lines:
        yield _entry_values(line)
    yield [
        _("Total"),
        ngettext("%(count)d entry", "%(count)d entries", len(standing.lines))
        % {"count": len(standing.lines)},
        None,
        None,
        None,
        None,
        standing.total_hours,
        standing.total,
        None,
        None,
        None,
        None,
    ]
    yield []
    yield requirement_headings()
    for result in standing.results:
        yield [
            result.label,
            result.required,
            result.achieved,
            result.met,
            result.missing,
            _requirement_period(result),
            result.due,
        ]


def transcript_csv(
    standing: Standing,
    *,
    learner_name: str,
    language: str | None = None,
    generated_at: datetime | None = None,
) -> str:
    """The transcript as CSV text (RFC 4180, CRLF line ends, a leading byte order mark): encode
    it as UTF-8. Labels in ``language`` (else the active one)."""
    moment = generated_at or timezone.now()
    buffer = io.StringIO()
    writer = csv.writer(buffer)  # the "excel" dialect
    with translation.override(language or translation.get_language()):
        for row in _csv_rows(standing, learner_name, moment):
            writer.writerow([_cell(value) for value in row])
    return BOM + buffer.getvalue()


# --- PDF: styles and document -----------------------------------------------------------------


@functools.cache
def _styles() -> dict[str, ParagraphStyle]:
    register_fonts()
    base = ParagraphStyle("transcript", fontName=FONT, fontSize=9, leading=12)
    return {
        "title": ParagraphStyle("title", base, fontName=FONT_BOLD, fontSize=16, leading=20),
        "meta": ParagraphStyle("meta", base, textColor=colors.HexColor("#333333")),
        "heading": ParagraphStyle(
            "heading", base, fontName=FONT_BOLD, fontSize=11, leading=14, spaceBefore=8
        ),
        "text": base,
        "cell": ParagraphStyle("cell", base, fontSize=SIZE, leading=LEADING),
        "small": ParagraphStyle("small", base, fontSize=6.5, leading=8, textColor=_MUTED),
        "header": ParagraphStyle("header", base, fontName=FONT_BOLD, fontSize=SIZE),
    }


def _para(text: str, style: str) -> Paragraph:
    return paragraph(text, _styles()[style])


def _table_style(extra: Sequence[tuple[Any, ...]] = ()) -> TableStyle:
    return table_style(size=SIZE, leading=LEADING, padding=PADDING, extra=extra)


def _section(heading: str) -> list[Flowable]:
    """A heading that starts a new page when little room is left below it."""
    return [CondPageBreak(30 * mm), _para(heading, "heading")]


def _abbreviate(text: str, limit: int = REFLECTION_CHARACTERS) -> str:
    """The text on one line, cut at a word boundary before ``limit`` characters, with "…"."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    cut = flat[: limit - 1]
    if " " in cut:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:.") + "…"


def _readable_date(day: date) -> str:
    return format_date(day)


def _number(value: Decimal) -> str:
    return format_number(value)


# --- PDF: content -----------------------------------------------------------------------------


def _summary(standing: Standing) -> list[Flowable]:
    """Met or not yet, what is missing, the days left, and the totals."""
    styles = _styles()
    story: list[Flowable] = [*_section(_("Standing"))]
    if not standing.results:
        story.append(_para(_("This rule set sets no requirement."), "text"))
    elif standing.met:
        story.append(_para(_("All requirements of the cycle are met."), "text"))
    else:
        story.append(_para(_("Not yet met. Missing:"), "text"))
        story.extend(Paragraph(f"• {escape(text)}", styles["text"]) for text in standing.missing)
        if standing.today <= standing.cycle.end:
            days = standing.days_left
            left = ngettext(
                "%(days)d day left in the cycle.", "%(days)d days left in the cycle.", days
            ) % {"days": days}
            story.append(_para(left, "text"))
    # "Total: 1 CPD hour (1 hour) from 1 activity": each amount agrees with its unit.
    totals = ngettext(
        "Total: %(amount)s (%(hours)s) from %(count)d activity.",
        "Total: %(amount)s (%(hours)s) from %(count)d activities.",
        len(standing.lines),
    ) % {
        "amount": format_amount(standing.total, standing.unit),
        "hours": format_hours(standing.total_hours),
        "count": len(standing.lines),
    }
    story.extend([Spacer(1, 2 * mm), _para(totals, "text")])
    return story


def _activity_cell(entry: CpdEntry) -> list[Paragraph]:
    """Title, then provider and type, then the reflection abbreviated."""
    parts = [Paragraph(f"<b>{escape(entry.title)}</b>", _styles()["cell"])]
    details = " · ".join(p for p in (entry.provider, str(entry.get_kind_display())) if p)
    parts.append(_para(details, "cell"))
    if entry.learning.strip():
        learnt = _("Learnt: %(text)s") % {"text": _abbreviate(entry.learning)}
        parts.append(_para(learnt, "small"))
    if entry.impact.strip():
        impact = _("Impact: %(text)s") % {"text": _abbreviate(entry.impact)}
        parts.append(_para(impact, "small"))
    return parts


def _kind_cell(entry: CpdEntry) -> str:
    participatory = CpdType.PARTICIPATORY if entry.participatory else CpdType.NON_PARTICIPATORY
    structured = CpdType.STRUCTURED if entry.structured else CpdType.UNSTRUCTURED
    return f"{participatory.label}\n{structured.label}"


def _reflection_cell(entry: CpdEntry) -> str:
    if entry.has_reflection:
        reflection = _("reflection %(mark)s") % {"mark": _MET}
    else:
        reflection = _("no reflection")
    return f"{reflection}\n{entry.get_discussion_status_display()}"


# Date, activity, participatory / structured, hours, value, source, reflection and discussion.
_ENTRY_WIDTHS = (58.0, 158.0, 72.0, 32.0, 36.0, 74.0, 80.0)


def _entries(standing: Standing) -> list[Flowable]:
    story = _section(_("Activities"))
    if not standing.lines:
        story.append(_para(_("No activity counts in this cycle yet."), "meta"))
        return story
    header = [
        _("Date"),
        _("Activity"),
        _("Type"),
        _("Hours"),
        unit_label(standing.unit),
        _("Source"),
        _("Reflection and discussion"),
    ]
    data: list[list[Any]] = [[_para(text, "header") for text in header]]
    for line in standing.lines:
        entry = line.entry
        data.append(
            [
                _readable_date(line.day),
                _activity_cell(entry),
                _para(_kind_cell(entry), "cell"),
                _number(line.hours),
                _number(line.value),
                _para(_source(entry), "cell"),
                _para(_reflection_cell(entry), "cell"),
            ]
        )
    data.append(
        [_("Total"), "", "", _number(standing.total_hours), _number(standing.total), "", ""]
    )
    return [
        *story,
        LongTable(
            data,
            colWidths=list(_ENTRY_WIDTHS),
            repeatRows=1,
            hAlign="LEFT",
            style=_table_style(
                [
                    ("ALIGN", (3, 1), (4, -1), "RIGHT"),
                    ("FONT", (0, -1), (-1, -1), FONT_BOLD, SIZE, LEADING),
                    ("LINEABOVE", (0, -1), (-1, -1), 0.8, colors.black),
                    ("BACKGROUND", (0, -1), (-1, -1), HEADER_BACKGROUND),
                ]
            ),
        ),
    ]


def _missing_text(result: RequirementResult) -> str:
    """What is missing; for a met longest-gap rule, the day by which the next entry keeps it."""
    if result.missing or result.due is None:
        return result.missing
    return _("Next entry by %(date)s") % {"date": _readable_date(result.due)}


_REQUIREMENT_WIDTHS = (190.0, 55.0, 55.0, 45.0, 165.0)


def _requirements(results: Iterable[RequirementResult]) -> list[Flowable]:
    story = _section(_("Requirements"))
    rows = list(results)
    if not rows:
        story.append(_para(_("This rule set sets no requirement."), "meta"))
        return story
    headings = requirement_headings()[:5]
    data: list[list[CellText]] = [[_para(text, "header") for text in headings]]
    for result in rows:
        label = result.label
        if result.period is not None:
            label += (
                f"\n({_readable_date(result.period.start)} – {_readable_date(result.period.end)})"  # noqa: RUF001 - an en dash
            )
        data.append(
            [
                _para(label, "cell"),
                _number(result.required),
                _number(result.achieved),
                _MET if result.met else _("not yet"),
                _para(_missing_text(result), "cell"),
            ]
        )
    story.append(
        Table(
            data,
            colWidths=list(_REQUIREMENT_WIDTHS),
            repeatRows=1,
            hAlign="LEFT",
            style=_table_style(
                [("ALIGN", (1, 1), (2, -1), "RIGHT"), ("ALIGN", (3, 0), (3, -1), "CENTER")]
            ),
        )
    )
    return story


def _heading(standing: Standing, learner_name: str, generated_at: datetime) -> list[Flowable]:
    rule_set = standing.rule_set
    cycle = standing.cycle
    lines = [_("Learner: %(name)s") % {"name": learner_name}]
    if standing.registration.number:
        lines.append(
            _("Registration number: %(number)s") % {"number": standing.registration.number}
        )
    lines += [
        _("Accrediting body: %(body)s") % {"body": rule_set.body.name},
        _("Requirements: %(rule_set)s") % {"rule_set": rule_set.name},
        _("Cycle: %(start)s – %(end)s")  # noqa: RUF001 - an en dash
        % {"start": format_date(cycle.start), "end": format_date(cycle.end)},
        _("Generated %(when)s") % {"when": format_datetime(generated_at)},
    ]
    story: list[Flowable] = [_para(_("CPD transcript"), "title"), Spacer(1, 2 * mm)]
    story.extend(_para(line, "meta") for line in lines)
    story.append(Spacer(1, 2 * mm))
    return story


def transcript_pdf(
    standing: Standing,
    *,
    learner_name: str,
    language: str,
    generated_at: datetime | None = None,
) -> bytes:
    """The transcript as PDF bytes, in ``language``: the learner, body and cycle, where they
    stand (met or not yet, and what is missing), the activities with their reflections
    abbreviated and the totals, then the requirements."""
    moment = generated_at or timezone.now()
    buffer = io.BytesIO()
    with translation.override(language):
        register_fonts()
        title = _("CPD transcript")
        story = [
            *_heading(standing, learner_name, moment),
            *_summary(standing),
            *_entries(standing),
            *_requirements(standing.results),
        ]
        document = SimpleDocTemplate(
            buffer,
            pagesize=PAGE,
            leftMargin=MARGIN,
            rightMargin=MARGIN,
            topMargin=MARGIN,
            bottomMargin=MARGIN + 4 * mm,
            title=f"{title} — {learner_name}",
            author=getattr(settings, "CREDENTIAL_ISSUER_NAME", "Practica"),
            subject=standing.rule_set.name,
            creator="Practica",
            initialFontName=FONT,  # no stray, unembedded Helvetica
            initialFontSize=9,
            lang=language,
        )
        footer = f"{title} — {learner_name} — {standing.rule_set.name}"
        document.build(
            story, canvasmaker=functools.partial(NumberedCanvas, footer=footer, margin=MARGIN)
        )
    return buffer.getvalue()
