"""XLSX renderers (openpyxl in write-only mode: rows stream to disk, so memory stays flat for
5,000 members x 20 courses). Numbers are numbers and dates are dates, so people can sort, filter
and sum; a title row says what, when and for whom; the header is frozen.

Text is never a formula here: a string that openpyxl would store as a formula ("=...") or as an
error value ("#N/A") is written as a plain string cell instead, and control characters that XML
cannot carry are dropped, so any name a user typed is safe to write.
"""

import re
from collections.abc import Callable, Iterable, Sequence
from typing import Any, BinaryIO

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from organisations.reports.render import common
from organisations.reports.render.common import PROGRESS_EVERY, Value
from organisations.reports.types import CoverageReport, OrganisationSummary, TeamReport

Progress = Callable[[int, int], None]

MAX_TEXT = 32_767  # characters in one cell (Excel's limit)
MAX_SHEET_TITLE = 31
_SHEET_TITLE_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")

_TITLE_FONT = Font(bold=True, size=13)
_HEADER_FONT = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="E8E8E8")
_WRAP = Alignment(wrap_text=True, vertical="top")

# Column widths (in characters) of the team report.
_MEMBER_WIDTHS = (28, 30, 20, 20, 9, 28)
_CELL_WIDTHS = (13, 9, 9, 12, 9, 13, 18)
_MONTH_FORMAT = "yyyy-mm"


def sheet_title(text: str, taken: Iterable[str] = ()) -> str:
    """A valid, unique worksheet name: Excel refuses more than 31 characters, any of []:*?/\\,
    an apostrophe at either end, an empty name, and two sheets with the same name (ignoring
    case). Translated titles and organisation names can break any of these."""
    title = _SHEET_TITLE_FORBIDDEN.sub(" ", ILLEGAL_CHARACTERS_RE.sub("", text))
    title = " ".join(title.split())[:MAX_SHEET_TITLE].strip(" '") or "Sheet"
    used = {t.casefold() for t in taken}
    candidate, n = title, 1
    while candidate.casefold() in used:
        n += 1
        suffix = f" ({n})"
        candidate = title[: MAX_SHEET_TITLE - len(suffix)].rstrip() + suffix
    return candidate


class _Sheet:
    """A write-only worksheet with the few writes the reports need."""

    def __init__(self, workbook: Workbook, title: str) -> None:
        taken = [ws.title for ws in workbook.worksheets]
        self.ws: WriteOnlyWorksheet = workbook.create_sheet(title=sheet_title(title, taken))
        self.ws.page_setup.orientation = "landscape"
        self.ws.page_setup.paperSize = 9  # A4

    def widths(self, widths: Sequence[float]) -> None:
        """Column widths, set up front: a write-only sheet cannot measure its contents."""
        for index, width in enumerate(widths, start=1):
            self.ws.column_dimensions[get_column_letter(index)].width = width

    def freeze(self, row: int, column: int = 1) -> None:
        """Keep rows above ``row`` and columns left of ``column`` in view (set before the rows
        are written: write-only mode writes the sheet view first)."""
        self.ws.freeze_panes = f"{get_column_letter(column)}{row}"

    def title(self, text: str) -> None:
        """The title row above the table: one cell, overflowing to the right."""
        self.ws.append([self._styled(text, font=_TITLE_FONT)])

    def header(self, values: Sequence[Value]) -> None:
        self.ws.append([self._styled(v, font=_HEADER_FONT, fill=_HEADER_FILL) for v in values])

    def row(self, values: Iterable[Value]) -> None:
        self.ws.append([self.value(v) for v in values])

    def bold_row(self, values: Iterable[Value]) -> None:
        self.ws.append([self._styled(v, font=_HEADER_FONT) for v in values])

    def value(self, value: Value) -> Any:
        if not isinstance(value, str):
            return value  # None, int, Decimal, date: openpyxl types them (dates as yyyy-mm-dd)
        text = _clean(value)
        if not text:
            return None  # an empty cell, not an empty string
        if text.startswith("=") or text in ERROR_CODES:
            cell = WriteOnlyCell(self.ws, value=text)
            cell.data_type = "s"  # a string, whatever it looks like
            return cell
        return text

    def _styled(
        self, value: Value, *, font: Font | None = None, fill: PatternFill | None = None
    ) -> Cell:
        cell = WriteOnlyCell(self.ws)
        plain = self.value(value)
        if isinstance(plain, Cell):  # WriteOnlyCell() makes a Cell
            cell = plain
        else:
            cell.value = plain
        if font is not None:
            cell.font = font
        if fill is not None:
            cell.fill = fill
            cell.alignment = _WRAP
        return cell


def _clean(text: str) -> str:
    return ILLEGAL_CHARACTERS_RE.sub("", text)[:MAX_TEXT]


def _heading(title: str, generated: str, *details: tuple[str, str]) -> str:
    parts = [title, _("generated %(when)s") % {"when": generated}]
    parts.extend(f"{label}: {value}" for label, value in details)
    return " · ".join(parts)


# --- team report ------------------------------------------------------------------------------


def team_xlsx(report: TeamReport, out: BinaryIO, *, progress: Progress | None = None) -> None:
    """Write the team report to ``out``: a "Team progress" sheet (title row; a row of course
    titles over their fields, a row of field names; one row per member) and, when the report
    has them, a "Summary" sheet of the columns' totals. ``progress(done, total)`` is called
    every ``PROGRESS_EVERY`` members and last with ``(total, total)``."""
    workbook = Workbook(write_only=True)
    sheet = _Sheet(workbook, _("Team progress"))
    fields = common.cell_headings()
    members = common.member_headings()
    sheet.widths(list(_MEMBER_WIDTHS) + list(_CELL_WIDTHS) * len(report.columns))
    sheet.freeze(row=4, column=2)  # title, course titles, field names; the name column
    sheet.ws.print_title_rows = "2:3"
    sheet.title(
        _heading(
            common.team_title(report.organisation),
            common.generated_iso(report.generated_at),
            (_("Filters"), common.filters_text(report.filters)),
            (_("Members"), str(len(report.rows))),
        )
    )
    groups: list[Value] = [None] * len(members)
    for index, column in enumerate(report.columns):
        groups.append(common.column_heading(column))
        groups.extend([None] * (len(fields) - 1))
        first = len(members) + index * len(fields) + 1
        sheet.ws.merged_cells.add(
            f"{get_column_letter(first)}2:{get_column_letter(first + len(fields) - 1)}2"
        )
    sheet.header(groups)
    sheet.header(members + fields * len(report.columns))

    total = len(report.rows)
    for done, row in enumerate(report.rows, start=1):
        # The member's fields are people's text: cleaned and guarded. The cells' values are
        # ours (labels, numbers, dates, serials) and go in as they are: 100,000 of them.
        values = [sheet.value(v) for v in common.member_values(row)]
        for cell in row.cells:
            values.extend(common.cell_values(cell))
        sheet.ws.append(values)
        if progress is not None and done % PROGRESS_EVERY == 0 and done < total:
            progress(done, total)
    if report.summaries:
        _team_summary_sheet(workbook, report)
    workbook.save(out)
    if progress is not None:
        progress(total, total)


def _team_summary_sheet(workbook: Workbook, report: TeamReport) -> None:
    sheet = _Sheet(workbook, _("Summary"))
    sheet.widths([40, 14, 14, 14, 14, 14])
    sheet.freeze(row=3)
    sheet.title(
        _heading(common.team_title(report.organisation), common.generated_iso(report.generated_at))
    )
    sheet.header(common.summary_headings())
    for s in report.summaries:
        sheet.row(
            [
                common.column_heading(s.column),
                s.assigned,
                s.not_started,
                s.in_progress,
                s.completed,
                s.overdue,
            ]
        )


# --- organisation summary ---------------------------------------------------------------------


def summary_xlsx(summary: OrganisationSummary, out: BinaryIO) -> None:
    """Four sheets: the figures, the months, the courses and the seat pools."""
    workbook = Workbook(write_only=True)
    heading = _heading(
        common.summary_title(summary.organisation), common.generated_iso(summary.generated_at)
    )

    figures = _Sheet(workbook, _("Summary figures"))
    figures.widths([30, 16])
    figures.title(heading)
    figures.header([_("Figure"), _("Value")])
    figures.row([_("Members"), summary.members])
    figures.row([_("Enrolments"), summary.enrolments])
    figures.row([_("Completions"), summary.completions])
    figures.row([_("CPD hours"), summary.cpd_hours])
    figures.row([_("Certificates"), summary.certificates])

    months = _Sheet(workbook, _("Months"))
    months.widths([12, 14, 14, 14])
    months.freeze(row=3)
    months.title(heading)
    months.header(common.month_headings())
    for m in summary.months:
        month = WriteOnlyCell(months.ws, value=m.month)
        month.number_format = _MONTH_FORMAT
        months.ws.append([month, m.enrolments, m.completions, m.cpd_hours])

    courses = _Sheet(workbook, _("Courses"))
    courses.widths([45, 14, 14, 14])
    courses.freeze(row=3)
    courses.title(heading)
    courses.header(common.course_headings())
    for c in summary.courses:
        courses.row([c.title, c.enrolments, c.completions, c.cpd_hours])

    pools = _Sheet(workbook, _("Seat pools"))
    pools.widths([35, 10, 10, 10, 13])
    pools.freeze(row=3)
    pools.title(heading)
    pools.header(common.pool_headings())
    for p in summary.seat_pools:
        pools.row([p.name, p.seats, p.used, max(p.seats - p.used, 0), p.valid_until])

    workbook.save(out)


# --- competence coverage ----------------------------------------------------------------------


def coverage_xlsx(report: CoverageReport, out: BinaryIO) -> None:
    """One sheet: title row, competence header ("code title"), target levels, one row per
    member (level reached, ✓ when it meets the target), and the members meeting each target."""
    workbook = Workbook(write_only=True)
    sheet = _Sheet(workbook, _("Coverage"))
    sheet.widths([30] + [18] * len(report.columns))
    sheet.freeze(row=4, column=2)
    sheet.title(
        _heading(
            common.coverage_title(report.organisation),
            common.generated_iso(report.generated_at),
            *common.coverage_details(report),
        )
    )
    sheet.header([_("Member"), *(common.coverage_heading(c) for c in report.columns)])
    sheet.bold_row([common.coverage_target_label(), *(c.target for c in report.columns)])
    for row in report.rows:
        sheet.row(
            [
                row.name,
                *(
                    common.coverage_cell(lv, met)
                    for lv, met in zip(row.levels, row.met, strict=True)
                ),
            ]
        )
    sheet.bold_row([common.coverage_covered_label(report), *report.covered])
    workbook.save(out)
