"""What the CSV, XLSX and PDF renderers share: the labels, the fields of each table as typed
values (text, whole numbers, decimals, dates), and how a value becomes text.

The three formats read the same typed values so that they cannot disagree about a report:
CSV writes them as ISO text, XLSX as real numbers and dates, the PDF as readable, localised text.
Nothing here touches the database.
"""

import functools
from collections.abc import Iterator, Sequence
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import TypeVar

from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from lms.api import (
    decimal_text,
    format_date,
    format_datetime,
    format_month,
    format_number,
    guard_formula,
)
from organisations.reports.types import (
    Cell,
    CellStatus,
    Column,
    CoverageColumn,
    CoverageReport,
    MemberRow,
)

Value = str | int | Decimal | date | None
"""One cell of a rendered table; ``None`` is an empty cell. ``datetime`` is a ``date``."""

T = TypeVar("T")

MET_MARK = "✓"  # U+2713; DejaVu Sans has it, so the PDF shows it too
UNITS_SEPARATOR = "; "
PROGRESS_EVERY = 250  # rows between two calls of a progress callback


# --- text -------------------------------------------------------------------------------------


def iso_text(value: Value) -> str:
    """A value as machine-readable text (CSV): ISO 8601 dates, "." decimals, guarded text."""
    if value is None:
        return ""
    if isinstance(value, str):
        return guard_formula(value)
    if isinstance(value, Decimal):
        return decimal_text(value)
    if isinstance(value, date):  # a datetime too
        return value.isoformat()
    return str(value)


def local_datetime(value: datetime) -> datetime:
    """The report's timestamp in the site's time zone, as people read it."""
    return timezone.localtime(value) if timezone.is_aware(value) else value


def generated_iso(value: datetime) -> str:
    """The generation time for CSV and XLSX headings: ISO 8601 with the UTC offset."""
    return local_datetime(value).isoformat(timespec="minutes")


def readable_datetime(value: datetime) -> str:
    """The generation time for the PDF: localised, with the time zone's name."""
    local = local_datetime(value)
    zone = local.tzname() or ""
    text = format_datetime(local)
    return f"{text} ({zone})" if zone else text


def readable_date(value: date | None) -> str:
    """A date for the PDF, in the one medium style ("5 Mar 2025", "5 mar 2025")."""
    return format_date(value)


def readable_month(value: date) -> str:
    return format_month(value)


def readable_number(value: int | Decimal) -> str:
    """A number for the PDF, with the active language's decimal separator, no trailing zeros."""
    return format_number(value)


def filters_text(filters: Sequence[tuple[str, str]]) -> str:
    """The filters of a report on one line: "Unit: North; Course: Basics", or "none"."""
    if not filters:
        return _("none")
    return UNITS_SEPARATOR.join(f"{label}: {value}" for label, value in filters)


def chunks(items: Sequence[T], size: int) -> Iterator[tuple[int, Sequence[T]]]:
    """Consecutive groups of at most ``size`` items, with the index of each group's first item
    (PDF tables are split into column groups so that nothing is cut at the page's edge)."""
    for start in range(0, len(items), size):
        yield start, items[start : start + size]


# --- the team report --------------------------------------------------------------------------


def member_headings() -> list[str]:
    return [_("Name"), _("E-mail"), _("Job title"), _("Profession"), _("Country"), _("Units")]


def cell_headings() -> list[str]:
    """The fields written for each course or journey, in the order of ``cell_values``."""
    return [
        _("Status"),
        _("Percent"),
        _("Score (%)"),
        _("Due date"),
        _("Overdue"),
        _("Completed on"),
        _("Certificate"),
    ]


CELL_FIELDS = 7  # len(cell_headings()), without translating


def column_heading(column: Column) -> str:
    """A course's title; a journey's title says it is a journey (a journey and one of its
    courses often share a title)."""
    if column.kind == "journey":
        return _("%(title)s (journey)") % {"title": column.title}
    return column.title


def member_values(row: MemberRow) -> list[Value]:
    return [
        row.name,
        row.email,
        row.job_title,
        row.profession,
        row.country,
        UNITS_SEPARATOR.join(row.units),
    ]


def score_percent(score: Decimal | None) -> int | None:
    """A scaled score (0..1) as a whole percentage, half up (0.125 -> 13): what people expect."""
    if score is None:
        return None
    return int((score * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


@functools.lru_cache(maxsize=32)
def _words(language: str | None) -> tuple[dict[CellStatus, str], str]:
    """The status labels and "yes" in ``language``: translated once per language, not once
    per cell (100,000 gettext calls cost half a second in a large export)."""
    return {status: status.label for status in CellStatus}, _("yes")


def cell_values(cell: Cell | None) -> list[Value]:
    """One course or journey of one member; ``None`` (neither assigned nor enrolled) is empty."""
    if cell is None:
        return [None] * CELL_FIELDS
    labels, yes = _words(get_language())
    return [
        labels[cell.status],
        cell.percent,
        score_percent(cell.score),
        cell.due_on,
        yes if cell.overdue else None,
        cell.completed_on,
        cell.certificate or None,
    ]


def team_values(row: MemberRow) -> list[Value]:
    """A member's whole row: their fields, then the fields of each column."""
    values = member_values(row)
    for cell in row.cells:
        values.extend(cell_values(cell))
    return values


def team_title(organisation: str) -> str:
    return _("%(organisation)s — team progress") % {"organisation": organisation}


def summary_headings() -> list[str]:
    """The per-column summary (``TeamReport.summaries``) of the XLSX and PDF."""
    return [
        _("Course or journey"),
        _("Assigned or enrolled"),
        _("Not started"),
        _("In progress"),
        _("Completed"),
        _("Overdue"),
    ]


# --- the organisation summary -----------------------------------------------------------------


def summary_title(organisation: str) -> str:
    return _("%(organisation)s — organisation summary") % {"organisation": organisation}


def month_headings() -> list[str]:
    return [_("Month"), _("Enrolments"), _("Completions"), _("CPD hours")]


def course_headings() -> list[str]:
    return [_("Course"), _("Enrolments"), _("Completions"), _("CPD hours")]


def pool_headings() -> list[str]:
    return [_("Seat pool"), _("Seats"), _("Used"), _("Free"), _("Valid until")]


# --- competence coverage ----------------------------------------------------------------------


def coverage_title(organisation: str) -> str:
    return _("%(organisation)s — competence coverage") % {"organisation": organisation}


def coverage_heading(column: CoverageColumn) -> str:
    return f"{column.code} {column.title}".strip()


def coverage_cell(level: str, met: bool) -> str:
    """The level a member reached, with a mark when it meets the target."""
    return f"{level} {MET_MARK}".strip() if met else level


def coverage_target_label() -> str:
    return _("Target level")


def coverage_covered_label(report: CoverageReport) -> str:
    return _("Members meeting the target (of %(count)d)") % {"count": len(report.rows)}


def coverage_details(report: CoverageReport) -> list[tuple[str, str]]:
    """The framework and role profile, for the headings of every format."""
    return [(_("Framework"), report.framework), (_("Role profile"), report.role_profile or "—")]
