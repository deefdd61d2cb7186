"""PDF renderers (reportlab platypus): A4 landscape, DejaVu Sans (vendored in lms/fonts) so that
Romanian, Hungarian, Cyrillic and Greek names render, page numbers in the footer.

Wide reports are split into column groups (a few courses or competences per table, the member's
name repeated in each) so nothing is cut at the page's edge; long ones repeat their header row
on every page. Cells are plain strings where they fit (fast: a 5,000-member report has 100,000
cells) and wrapped paragraphs only where they do not.
"""

import functools
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, TypeAlias
from xml.sax.saxutils import escape

from django.conf import settings
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
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

from certificates.credentials.pdf import FONT, FONT_BOLD, NumberedCanvas
from certificates.credentials.pdf import register_fonts as certificate_fonts
from organisations.reports.render import common
from organisations.reports.render.common import PROGRESS_EVERY
from organisations.reports.types import (
    Cell,
    CoverageReport,
    OrganisationSummary,
    TeamReport,
)

Progress = Callable[[int, int], None]
CellText: TypeAlias = str | Paragraph  # reportlab is untyped: Paragraph is Any to mypy

PAGE = landscape(A4)  # 841.9 x 595.3 pt
MARGIN = 12 * mm
WIDTH = PAGE[0] - 2 * MARGIN  # usable width
SIZE = 7.5  # table text
LEADING = 9.2
PADDING = 3

COURSES_PER_TABLE = 5
COMPETENCES_PER_TABLE = 8
NAME_WIDTH = 150.0

_GRID = colors.HexColor("#A8A8A8")
_HEADER_BG = colors.HexColor("#E6E6E6")
_STRIPE = colors.HexColor("#F5F5F5")


@functools.cache
def register_fonts() -> None:
    """DejaVu Sans, registered by the certificates' PDF code (one place), and its family so
    that ``<b>`` in paragraphs picks the bold face."""
    certificate_fonts()
    pdfmetrics.registerFontFamily(
        FONT, normal=FONT, bold=FONT_BOLD, italic=FONT, boldItalic=FONT_BOLD
    )


@dataclass(frozen=True)
class _Styles:
    title: ParagraphStyle
    meta: ParagraphStyle
    heading: ParagraphStyle
    cell: ParagraphStyle
    header: ParagraphStyle
    number: ParagraphStyle


@functools.cache
def _styles() -> _Styles:
    register_fonts()
    base = ParagraphStyle("practica", fontName=FONT, fontSize=9, leading=12)
    return _Styles(
        title=ParagraphStyle("title", base, fontName=FONT_BOLD, fontSize=15, leading=19),
        meta=ParagraphStyle("meta", base, textColor=colors.HexColor("#333333")),
        heading=ParagraphStyle(
            "heading",
            base,
            fontName=FONT_BOLD,
            fontSize=11,
            leading=14,
            spaceBefore=8,
            spaceAfter=4,
        ),
        cell=ParagraphStyle("cell", base, fontSize=SIZE, leading=LEADING),
        header=ParagraphStyle("header", base, fontName=FONT_BOLD, fontSize=SIZE, leading=LEADING),
        number=ParagraphStyle("number", base, fontSize=SIZE, leading=LEADING, alignment=TA_RIGHT),
    )


# --- the document -----------------------------------------------------------------------------


class _MemberTable(LongTable):
    """A long table whose parts, once drawn, say how many member rows they held (for the
    progress callback); a part split off by reportlab is of the same class."""

    def body_rows(self) -> int:
        return int(self._nrows) - int(self.repeatRows)


class _Document(SimpleDocTemplate):
    def __init__(
        self,
        buffer: io.BytesIO,
        *,
        title: str,
        author: str,
        on_rows: Callable[[int], None] | None = None,
    ) -> None:
        super().__init__(
            buffer,
            pagesize=PAGE,
            leftMargin=MARGIN,
            rightMargin=MARGIN,
            topMargin=MARGIN,
            bottomMargin=MARGIN + 3 * mm,
            title=title,
            author=author,
            creator="Practica",
            initialFontName=FONT,  # no stray, unembedded Helvetica
            initialFontSize=9,
            lang=get_language() or settings.LANGUAGE_CODE,
        )
        self._on_rows = on_rows

    def afterFlowable(self, flowable: Flowable) -> None:  # noqa: N802 (reportlab's name)
        if self._on_rows is not None and isinstance(flowable, _MemberTable):
            self._on_rows(flowable.body_rows())


def _build(
    story: list[Flowable],
    *,
    title: str,
    author: str,
    on_rows: Callable[[int], None] | None = None,
) -> bytes:
    buffer = io.BytesIO()
    document = _Document(buffer, title=title, author=author, on_rows=on_rows)
    document.build(
        story, canvasmaker=functools.partial(NumberedCanvas, footer=title, margin=MARGIN)
    )
    return buffer.getvalue()


# --- building blocks --------------------------------------------------------------------------


def _para(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(text).replace("\n", "<br/>"), style)


def _fits(text: str, width: float, style: ParagraphStyle) -> bool:
    room = width - 2 * PADDING
    size = style.fontSize
    return all(
        pdfmetrics.stringWidth(line, style.fontName, size) <= room for line in text.split("\n")
    )


def _fit(text: str, width: float, style: ParagraphStyle | None = None) -> CellText:
    """The text as a plain string when each of its lines fits the cell, else a paragraph that
    wraps (plain strings are several times cheaper to lay out)."""
    style = style or _styles().cell
    return text if _fits(text, width, style) else _para(text, style)


def _heading_block(title: str, lines: Sequence[str]) -> list[Flowable]:
    styles = _styles()
    story: list[Flowable] = [_para(title, styles.title)]
    story.extend(_para(line, styles.meta) for line in lines)
    story.append(Spacer(1, 4 * mm))
    return story


def _section(heading: str) -> list[Flowable]:
    """A heading that starts a new page when less than a few rows' room is left (not
    ``keepWithNext``: that would push a long table's heading, and the table, to a new page)."""
    return [CondPageBreak(35 * mm), _para(heading, _styles().heading)]


def _table_style(*, header_rows: int = 1, extra: Sequence[tuple[Any, ...]] = ()) -> TableStyle:
    last_header = header_rows - 1
    return TableStyle(
        [
            ("FONT", (0, 0), (-1, -1), FONT, SIZE, LEADING),
            ("FONT", (0, 0), (-1, last_header), FONT_BOLD, SIZE, LEADING),
            ("BACKGROUND", (0, 0), (-1, last_header), _HEADER_BG),
            ("ROWBACKGROUNDS", (0, header_rows), (-1, -1), [colors.white, _STRIPE]),
            ("GRID", (0, 0), (-1, -1), 0.25, _GRID),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), PADDING),
            ("RIGHTPADDING", (0, 0), (-1, -1), PADDING),
            ("TOPPADDING", (0, 0), (-1, -1), 2),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
            *extra,
        ]
    )


def _simple_table(
    headings: Sequence[str], rows: Sequence[Sequence[str]], widths: Sequence[float]
) -> Flowable:
    """A small table with a header row (repeated on each page), the first column text and the
    others right-aligned numbers or dates."""
    if not rows:
        return _para(_("None."), _styles().meta)
    styles = _styles()
    data: list[list[CellText]] = [
        [_para(h, styles.header) for h in headings],
        *([_fit(v, w) for v, w in zip(row, widths, strict=True)] for row in rows),
    ]
    return Table(
        data,
        colWidths=list(widths),
        repeatRows=1,
        hAlign="LEFT",
        style=_table_style(extra=[("ALIGN", (1, 1), (-1, -1), "RIGHT")]),
    )


def _number(value: int | Decimal) -> str:
    return common.readable_number(value)


# --- team report ------------------------------------------------------------------------------


def _cell_text(cell: Cell | None) -> str:
    """One member in one course: "In progress · 40 %", then "due 5 Mar 2025 · overdue" or the
    completion date. Empty when neither assigned nor enrolled."""
    if cell is None:
        return ""
    percent = _("%(percent)s %%") % {"percent": _number(cell.percent)}
    lines = [f"{cell.status.label} · {percent}"]
    second = []
    if cell.completed_on is not None:
        second.append(_("on %(date)s") % {"date": common.readable_date(cell.completed_on)})
    elif cell.due_on is not None:
        second.append(_("due %(date)s") % {"date": common.readable_date(cell.due_on)})
    if cell.overdue:
        second.append(_("OVERDUE"))
    if second:
        lines.append(" · ".join(second))
    return "\n".join(lines)


class _TeamCells:
    """The texts of the team report's cells, memoised for one rendering: members share cell
    states (status, percent, dates), and translating, formatting and measuring 100,000 cells
    one by one would take a good part of the time spent before layout."""

    def __init__(self, width: float) -> None:
        self.width = width
        self.style = _styles().cell
        self._texts: dict[Cell, str] = {}
        self._fits: dict[str, bool] = {}

    def __call__(self, cell: Cell | None) -> CellText:
        if cell is None:
            return ""
        text = self._texts.get(cell)
        if text is None:
            text = self._texts[cell] = _cell_text(cell)
        fits = self._fits.get(text)
        if fits is None:
            fits = self._fits[text] = _fits(text, self.width, self.style)
        return text if fits else _para(text, self.style)  # a flowable is never shared


def _team_summary(report: TeamReport) -> list[Flowable]:
    if not report.summaries:
        return []
    rows = [
        [
            common.column_heading(s.column),
            *(
                _number(n)
                for n in (s.assigned, s.not_started, s.in_progress, s.completed, s.overdue)
            ),
        ]
        for s in report.summaries
    ]
    widths = [WIDTH - 5 * 85, *([85.0] * 5)]
    return [*_section(_("Summary")), _simple_table(common.summary_headings(), rows, widths)]


def _team_group(report: TeamReport, first: int, count: int) -> _MemberTable:
    """The members' names and ``count`` columns from ``first`` on."""
    styles = _styles()
    width = (WIDTH - NAME_WIDTH) / COURSES_PER_TABLE
    columns = report.columns[first : first + count]
    header: list[CellText] = [_para(_("Member"), styles.header)]
    header.extend(_para(common.column_heading(c), styles.header) for c in columns)
    data: list[list[CellText]] = [header]
    cell_text = _TeamCells(width)
    for row in report.rows:
        line: list[CellText] = [_fit(row.name, NAME_WIDTH)]
        line.extend(cell_text(cell) for cell in row.cells[first : first + count])
        data.append(line)
    return _MemberTable(
        data,
        colWidths=[NAME_WIDTH, *([width] * count)],
        repeatRows=1,
        hAlign="LEFT",
        style=_table_style(),
    )


def team_pdf(report: TeamReport, *, progress: Progress | None = None) -> bytes:
    """The team report as a PDF: title, generation time, filters, the columns' summary (when
    the report has one), then the members in tables of up to five courses or journeys.
    ``progress(done, total)`` counts members laid out (all column groups of them), every
    ``PROGRESS_EVERY`` members, and ends with ``(total, total)``."""
    styles = _styles()
    title = common.team_title(report.organisation)
    members = (
        str(len(report.rows))
        if len(report.rows) == report.total_members
        else _("%(shown)d of %(total)d")
        % {"shown": len(report.rows), "total": report.total_members}
    )
    story = _heading_block(
        title,
        [
            _("Generated %(when)s") % {"when": common.readable_datetime(report.generated_at)},
            _("Filters: %(filters)s") % {"filters": common.filters_text(report.filters)},
            _("Members: %(members)s") % {"members": members},
        ],
    )
    story.extend(_team_summary(report))

    total = len(report.rows)
    groups = list(common.chunks(report.columns, COURSES_PER_TABLE)) or [(0, ())]
    if not report.rows:
        story.append(_para(_("No members match these filters."), styles.meta))
    else:
        for first, columns in groups:
            if len(groups) == 1:
                story.extend(_section(_("Members")))
            else:
                heading = _("Courses and journeys %(first)d–%(last)d of %(count)d") % {  # noqa: RUF001 - an en dash
                    "first": first + 1,
                    "last": first + len(columns),
                    "count": len(report.columns),
                }
                story.extend(_section(heading))
            story.append(_team_group(report, first, len(columns)))

    reporter = _Progress(progress, total=total, passes=len(groups))
    data = _build(story, title=title, author=report.organisation, on_rows=reporter.add)
    if progress is not None:
        progress(total, total)
    return data


class _Progress:
    """Turns "rows of a table part drawn" into members done: each member is drawn once per
    column group, so members done = rows drawn / groups."""

    def __init__(self, callback: Progress | None, *, total: int, passes: int) -> None:
        self.callback, self.total, self.passes = callback, total, max(passes, 1)
        self.drawn = self.reported = 0

    def add(self, rows: int) -> None:
        self.drawn += rows
        done = self.drawn // self.passes
        if (
            self.callback is not None
            and done - self.reported >= PROGRESS_EVERY
            and done < self.total
        ):
            self.reported = done
            self.callback(done, self.total)


# --- organisation summary ---------------------------------------------------------------------


def summary_pdf(summary: OrganisationSummary) -> bytes:
    """The organisation summary as a PDF: the figures, then the months, courses and seat pools."""
    title = common.summary_title(summary.organisation)
    story = _heading_block(
        title,
        [_("Generated %(when)s") % {"when": common.readable_datetime(summary.generated_at)}],
    )
    figures: list[tuple[str, int | Decimal]] = [
        (_("Members"), summary.members),
        (_("Enrolments"), summary.enrolments),
        (_("Completions"), summary.completions),
        (_("CPD hours"), summary.cpd_hours),
        (_("Certificates"), summary.certificates),
    ]
    story.extend(_section(_("Figures")))
    story.append(
        _simple_table(
            [_("Figure"), _("Value")],
            [[label, _number(value)] for label, value in figures],
            [160.0, 90.0],
        )
    )
    story.extend(_section(_("Months")))
    story.append(
        _simple_table(
            common.month_headings(),
            [
                [
                    common.readable_month(m.month),
                    _number(m.enrolments),
                    _number(m.completions),
                    _number(m.cpd_hours),
                ]
                for m in summary.months
            ],
            [110.0, 90.0, 90.0, 90.0],
        )
    )
    story.extend(_section(_("Courses")))
    story.append(
        _simple_table(
            common.course_headings(),
            [
                [c.title, _number(c.enrolments), _number(c.completions), _number(c.cpd_hours)]
                for c in summary.courses
            ],
            [WIDTH - 3 * 90, 90.0, 90.0, 90.0],
        )
    )
    story.extend(_section(_("Seat pools")))
    story.append(
        _simple_table(
            common.pool_headings(),
            [
                [
                    p.name,
                    _number(p.seats),
                    _number(p.used),
                    _number(max(p.seats - p.used, 0)),
                    common.readable_date(p.valid_until),
                ]
                for p in summary.seat_pools
            ],
            [WIDTH - 4 * 90, 90.0, 90.0, 90.0, 90.0],
        )
    )
    return _build(story, title=title, author=summary.organisation)


# --- competence coverage ----------------------------------------------------------------------


def _coverage_group(report: CoverageReport, first: int, count: int) -> Table:
    styles = _styles()
    width = (WIDTH - NAME_WIDTH) / COMPETENCES_PER_TABLE
    columns = report.columns[first : first + count]
    header: list[CellText] = [_para(_("Member"), styles.header)]
    header.extend(
        Paragraph(f"<b>{escape(c.code)}</b><br/>{escape(c.title)}", styles.cell) for c in columns
    )
    targets: list[CellText] = [_para(common.coverage_target_label(), styles.header)]
    targets.extend(_fit(c.target, width, styles.header) for c in columns)
    data: list[list[CellText]] = [header, targets]
    for row in report.rows:
        line: list[CellText] = [_fit(row.name, NAME_WIDTH)]
        line.extend(
            _fit(common.coverage_cell(level, met), width)
            for level, met in zip(
                row.levels[first : first + count], row.met[first : first + count], strict=True
            )
        )
        data.append(line)
    covered: list[CellText] = [_para(common.coverage_covered_label(report), styles.header)]
    covered.extend(_number(n) for n in report.covered[first : first + count])
    data.append(covered)
    return LongTable(
        data,
        colWidths=[NAME_WIDTH, *([width] * count)],
        repeatRows=2,
        hAlign="LEFT",
        style=_table_style(
            header_rows=2,
            extra=[
                ("FONT", (0, -1), (-1, -1), FONT_BOLD, SIZE, LEADING),
                ("LINEABOVE", (0, -1), (-1, -1), 0.8, colors.black),
                ("BACKGROUND", (0, -1), (-1, -1), _HEADER_BG),
            ],
        ),
    )


def coverage_pdf(report: CoverageReport) -> bytes:
    """Competence coverage as a PDF: members against the role profile's competences (code and
    title, the target level below), ✓ where the target is met, and how many meet each."""
    styles = _styles()
    title = common.coverage_title(report.organisation)
    lines = [f"{label}: {value}" for label, value in common.coverage_details(report)]
    lines.append(_("Generated %(when)s") % {"when": common.readable_datetime(report.generated_at)})
    story = _heading_block(title, lines)
    groups = list(common.chunks(report.columns, COMPETENCES_PER_TABLE))
    if not groups:
        story.append(_para(_("The role profile asks for no competence."), styles.meta))
    for first, columns in groups:
        if len(groups) > 1:
            heading = _("Competences %(first)d–%(last)d of %(count)d") % {  # noqa: RUF001 - an en dash
                "first": first + 1,
                "last": first + len(columns),
                "count": len(report.columns),
            }
            story.extend(_section(heading))
        story.append(_coverage_group(report, first, len(columns)))
    return _build(story, title=title, author=report.organisation)
