"""CSV renderers: one table per report, ISO dates and "." decimals, streamed line by line.

Each function yields ``str`` lines for a ``StreamingHttpResponse`` (or a file), starting with a
UTF-8 byte order mark: without it Excel reads the file as the local code page and garbles
"Ștefan" or "Олена". Every text cell is guarded against formula injection (``guard_formula``).
"""

import csv
from collections.abc import Iterable, Iterator

from django.utils.translation import gettext as _

from organisations.reports.render import common
from organisations.reports.render.common import Value, iso_text
from organisations.reports.types import CoverageReport, OrganisationSummary, TeamReport

BOM = "\ufeff"


class _Echo:
    """A file-like object whose ``write`` returns the line instead of storing it (the pattern
    of Django's "Streaming large CSV files" how-to): the csv module quotes, we stream."""

    def write(self, value: str) -> str:
        return value


def _lines(rows: Iterable[list[str]]) -> Iterator[str]:
    writer = csv.writer(_Echo())  # the "excel" dialect: RFC 4180 quoting, CRLF line ends
    yield BOM
    for row in rows:
        yield writer.writerow(row)


def _text(values: Iterable[Value]) -> list[str]:
    return [iso_text(v) for v in values]


# --- team report ------------------------------------------------------------------------------


def team_csv_header(report: TeamReport) -> list[str]:
    """One header row: the member's fields, then "<course title> — <field>" for each column."""
    header = common.member_headings()
    fields = common.cell_headings()
    for column in report.columns:
        heading = common.column_heading(column)
        header.extend(f"{heading} — {field}" for field in fields)
    return _text(header)


def team_csv_rows(report: TeamReport) -> Iterator[list[str]]:
    """The header, then one row per member, as guarded text cells."""
    yield team_csv_header(report)
    for row in report.rows:
        yield _text(common.team_values(row))


def team_csv(report: TeamReport) -> Iterator[str]:
    """The team report as CSV lines (after a byte order mark)."""
    return _lines(team_csv_rows(report))


# --- organisation summary ---------------------------------------------------------------------


def summary_csv_rows(summary: OrganisationSummary) -> Iterator[list[str]]:
    """Four blocks separated by an empty line: the figures (label, value), then the months,
    the courses and the seat pools, each with its own header row."""
    yield _text([common.summary_title(summary.organisation)])
    yield _text([_("Generated"), common.generated_iso(summary.generated_at)])
    yield _text([_("Members"), summary.members])
    yield _text([_("Enrolments"), summary.enrolments])
    yield _text([_("Completions"), summary.completions])
    yield _text([_("CPD hours"), summary.cpd_hours])
    yield _text([_("Certificates"), summary.certificates])
    yield []
    yield _text(common.month_headings())
    for m in summary.months:
        yield _text([m.month.strftime("%Y-%m"), m.enrolments, m.completions, m.cpd_hours])
    yield []
    yield _text(common.course_headings())
    for c in summary.courses:
        yield _text([c.title, c.enrolments, c.completions, c.cpd_hours])
    yield []
    yield _text(common.pool_headings())
    for p in summary.seat_pools:
        yield _text([p.name, p.seats, p.used, max(p.seats - p.used, 0), p.valid_until])


def summary_csv(summary: OrganisationSummary) -> Iterator[str]:
    return _lines(summary_csv_rows(summary))


# --- competence coverage ----------------------------------------------------------------------


def coverage_csv_rows(report: CoverageReport) -> Iterator[list[str]]:
    """Header (member, then "code title" per competence), the target levels, one row per
    member (level reached, ✓ when it meets the target), then how many meet each target."""
    yield _text([_("Member"), *(common.coverage_heading(c) for c in report.columns)])
    yield _text([common.coverage_target_label(), *(c.target for c in report.columns)])
    for row in report.rows:
        cells = (common.coverage_cell(lv, met) for lv, met in zip(row.levels, row.met, strict=True))
        yield _text([row.name, *cells])
    yield _text([common.coverage_covered_label(report), *report.covered])


def coverage_csv(report: CoverageReport) -> Iterator[str]:
    return _lines(coverage_csv_rows(report))
