"""The report renderers (CSV, XLSX, PDF) read back with the csv module, openpyxl and pypdf.

They are pure functions of the dataclasses in ``organisations.reports.types``: these tests build
the dataclasses directly, and run without the ``django_db`` mark, so any query fails them.
"""

# Cyrillic names and en dashes are what these tests are about, not look-alike typos.
# ruff: noqa: RUF001

import csv
import io
import re
import uuid
from dataclasses import replace
from datetime import UTC, date, datetime
from decimal import Decimal

import openpyxl
import pypdf
import pytest
from django.utils import timezone, translation

from organisations.reports import render
from organisations.reports.render.common import guard_formula, score_percent
from organisations.reports.render.xlsx import sheet_title
from organisations.reports.types import (
    Cell,
    CellStatus,
    Column,
    ColumnSummary,
    CourseFigures,
    CoverageColumn,
    CoverageReport,
    CoverageRow,
    MemberRow,
    MonthFigures,
    OrganisationSummary,
    PoolUse,
    TeamReport,
)

GENERATED = datetime(2025, 3, 14, 9, 30, tzinfo=UTC)
NAMES = ("Ștefan Țurcanu", "Ödön Győrfi", "Олена Шевченко", "Јован Петровић")
MEMBER_FIELDS = 6
CELL_FIELDS = 7


def column(title: str, kind: str = "course") -> Column:
    return Column(
        kind=kind,
        public_id=uuid.uuid4(),
        slug=re.sub(r"\W+", "-", title.lower()),
        title=title,
        cpd_hours=Decimal("2.5"),
    )


def member(name: str, cells: tuple[Cell | None, ...], **fields: object) -> MemberRow:
    values: dict[str, object] = {
        "public_id": uuid.uuid4(),
        "name": name,
        "email": f"{uuid.uuid4().hex[:8]}@example.org",
        "job_title": "Asistent social",
        "profession": "Social worker",
        "country": "RO",
        "units": ("Nord", "Iași"),
        "cells": cells,
    }
    values.update(fields)
    return MemberRow(**values)


IN_PROGRESS = Cell(
    status=CellStatus.IN_PROGRESS,
    percent=40,
    score=Decimal("0.125"),
    due_on=date(2025, 3, 1),
    overdue=True,
    completed_on=None,
)
COMPLETED = Cell(
    status=CellStatus.COMPLETED,
    percent=100,
    score=Decimal("0.9"),
    due_on=date(2025, 6, 30),
    overdue=False,
    completed_on=date(2025, 2, 20),
    certificate="PR-2025-000042",
)
ASSIGNED = Cell(
    status=CellStatus.ASSIGNED,
    percent=0,
    score=None,
    due_on=None,
    overdue=False,
    completed_on=None,
)


def team_report(columns: int = 2, rows: int | None = None) -> TeamReport:
    """Two courses by default: "Protecția copilului" and "Gyermekvédelem alapjai"; the first
    member is in progress and overdue in the first and done in the second, the second member
    is only assigned to the first, and so on."""
    titles = ["Protecția copilului", "Gyermekvédelem alapjai"]
    titles += [f"Курс {n} — Захист дітей" for n in range(3, columns + 1)]
    cols = tuple(column(t) for t in titles[:columns])
    patterns: list[tuple[Cell | None, ...]] = [
        (IN_PROGRESS, COMPLETED),
        (ASSIGNED, None),
        (None, None),
        (COMPLETED, IN_PROGRESS),
    ]
    members = []
    count = len(NAMES) if rows is None else rows
    for n in range(count):
        pattern = patterns[n % len(patterns)]
        cells = tuple(pattern[i % 2] for i in range(columns))
        members.append(member(NAMES[n % len(NAMES)], cells))
    return TeamReport(
        organisation="Direcția Generală de Asistență Socială",
        generated_at=GENERATED,
        filters=(("Unit", "Nord"), ("Due", "before 2025-04-01")),
        columns=cols,
        rows=tuple(members),
        total_members=count,
        summaries=tuple(
            ColumnSummary(
                column=c, assigned=3, not_started=0, in_progress=1, completed=2, overdue=1
            )
            for c in cols
        ),
    )


def read_csv(lines) -> list[list[str]]:
    text = "".join(lines)
    assert text.startswith("\ufeff"), "a byte order mark first, for Excel"
    return list(csv.reader(io.StringIO(text[1:])))


def pdf_text(data: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() for page in reader.pages)


def flat(text: str) -> str:
    """Text without line breaks, for phrases that a table cell may wrap."""
    return " ".join(text.split())


# --- helpers ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+40 700 000 000", "'+40 700 000 000"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("\rcmd", "'\rcmd"),
        ("Ana-Maria", "Ana-Maria"),
        ("", ""),
    ],
)
def test_text_that_a_spreadsheet_would_run_gets_a_leading_apostrophe(text, expected):
    assert guard_formula(text) == expected


def test_score_is_a_whole_percentage_rounded_half_up():
    assert score_percent(Decimal("0.125")) == 13
    assert score_percent(Decimal("0.9")) == 90
    assert score_percent(Decimal(1)) == 100
    assert score_percent(None) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Team progress", "Team progress"),
        ("Echipa: [Nord] / Sud*?\\", "Echipa   Nord    Sud"[:31].strip()),
        ("x" * 40, "x" * 31),
        ("'quoted'", "quoted"),
        ("[]:*?/\\", "Sheet"),
    ],
)
def test_sheet_titles_are_made_valid_for_excel(text, expected):
    title = sheet_title(text)
    assert len(title) <= 31
    assert not re.search(r"[\[\]:*?/\\]", title)
    assert title == " ".join(expected.split())


def test_sheet_titles_are_made_unique_ignoring_case():
    assert sheet_title("Courses", ["courses"]) == "Courses (2)"
    assert sheet_title("y" * 31, ["y" * 31]) == "y" * 27 + " (2)"


# --- team report: CSV -------------------------------------------------------------------------


def test_team_csv_has_one_header_row_naming_each_course_with_each_field():
    report = team_report()
    rows = read_csv(render.team_csv(report))
    header = rows[0]
    assert header[:MEMBER_FIELDS] == [
        "Name",
        "E-mail",
        "Job title",
        "Profession",
        "Country",
        "Units",
    ]
    assert header[MEMBER_FIELDS : MEMBER_FIELDS + CELL_FIELDS] == [
        "Protecția copilului — Status",
        "Protecția copilului — Percent",
        "Protecția copilului — Score (%)",
        "Protecția copilului — Due date",
        "Protecția copilului — Overdue",
        "Protecția copilului — Completed on",
        "Protecția copilului — Certificate",
    ]
    assert header[-1] == "Gyermekvédelem alapjai — Certificate"
    assert len(header) == MEMBER_FIELDS + 2 * CELL_FIELDS
    assert len(rows) == 1 + len(report.rows)


def test_team_csv_writes_member_fields_and_iso_values():
    report = team_report()
    rows = read_csv(render.team_csv(report))
    first = rows[1]
    assert first[:MEMBER_FIELDS] == [
        "Ștefan Țurcanu",
        report.rows[0].email,
        "Asistent social",
        "Social worker",
        "RO",
        "Nord; Iași",
    ]
    assert first[MEMBER_FIELDS:] == [
        "In progress", "40", "13", "2025-03-01", "yes", "", "",
        "Completed", "100", "90", "2025-06-30", "", "2025-02-20", "PR-2025-000042",
    ]  # fmt: skip


def test_team_csv_leaves_a_course_neither_assigned_nor_enrolled_empty():
    report = team_report()
    rows = read_csv(render.team_csv(report))
    assigned_only = rows[2]
    assert assigned_only[0] == "Ödön Győrfi"
    assert assigned_only[MEMBER_FIELDS : MEMBER_FIELDS + 3] == ["Assigned", "0", ""]
    assert assigned_only[MEMBER_FIELDS + CELL_FIELDS :] == [""] * CELL_FIELDS
    assert rows[3][MEMBER_FIELDS:] == [""] * (2 * CELL_FIELDS)


def test_team_csv_guards_against_formula_injection_in_every_text_cell():
    report = team_report(columns=1, rows=0)
    evil = member(
        '=HYPERLINK("http://evil.example","click")',
        (ASSIGNED,),
        job_title="+SUM(1,2)",
        profession="@cmd",
        units=("-unit",),
    )
    report = TeamReport(
        organisation="Org",
        generated_at=GENERATED,
        filters=(),
        columns=(column("=1+1"),),
        rows=(evil,),
        total_members=1,
    )
    rows = list(render.team_csv_rows(report))
    assert rows[0][MEMBER_FIELDS] == "'=1+1 — Status"
    assert rows[1][0] == '\'=HYPERLINK("http://evil.example","click")'
    assert rows[1][2:4] == ["'+SUM(1,2)", "'@cmd"]
    assert rows[1][5] == "'-unit"
    # the lines the response streams carry the same guarded text
    assert read_csv(render.team_csv(report))[1][0].startswith("'=")


def test_team_csv_lines_are_strings_ending_in_crlf():
    lines = list(render.team_csv(team_report()))
    assert lines[0] == "\ufeff"
    assert all(isinstance(line, str) and line.endswith("\r\n") for line in lines[1:])


def test_team_csv_names_a_journey_as_such():
    report = TeamReport(
        organisation="Org",
        generated_at=GENERATED,
        filters=(),
        columns=(column("Parcurs", kind="journey"),),
        rows=(),
        total_members=0,
    )
    assert next(render.team_csv_rows(report))[MEMBER_FIELDS] == "Parcurs (journey) — Status"


# --- team report: XLSX ------------------------------------------------------------------------


def team_workbook(report: TeamReport, progress=None) -> openpyxl.Workbook:
    out = io.BytesIO()
    render.team_xlsx(report, out, progress=progress)
    out.seek(0)
    return openpyxl.load_workbook(out)


@pytest.fixture
def _in_utc():
    """These tests read the generation time as UTC writes it, whatever TIME_ZONE is."""
    with timezone.override("UTC"):
        yield


@pytest.mark.usefixtures("_in_utc")
def test_team_xlsx_has_a_title_row_then_course_titles_over_field_names():
    report = team_report()
    ws = team_workbook(report)["Team progress"]
    title = ws["A1"].value
    assert "Direcția Generală de Asistență Socială" in title
    assert "2025-03-14T09:30+00:00" in title
    assert "Unit: Nord" in title
    assert "before 2025-04-01" in title
    assert ws.cell(row=2, column=MEMBER_FIELDS + 1).value == "Protecția copilului"
    assert ws.cell(row=2, column=MEMBER_FIELDS + CELL_FIELDS + 1).value == "Gyermekvédelem alapjai"
    assert [c.value for c in ws[3]][:8] == [
        "Name", "E-mail", "Job title", "Profession", "Country", "Units", "Status", "Percent",
    ]  # fmt: skip
    assert ws.freeze_panes == "B4"
    assert "G2:M2" in {str(r) for r in ws.merged_cells.ranges}


def test_team_xlsx_writes_real_dates_and_numbers():
    ws = team_workbook(team_report())["Team progress"]
    first = [c.value for c in ws[4]]
    assert first[0] == "Ștefan Țurcanu"
    assert first[5] == "Nord; Iași"
    status, percent, score, due, overdue, completed, certificate = first[6:13]
    assert (status, percent, score, overdue) == ("In progress", 40, 13, "yes")
    assert isinstance(due, datetime)  # openpyxl reads a date cell back as a datetime
    assert due.date() == date(2025, 3, 1)
    assert ws.cell(row=4, column=10).is_date
    assert ws.cell(row=4, column=10).number_format == "yyyy-mm-dd"
    assert completed is None
    assert certificate is None
    assert first[13 + 6] == "PR-2025-000042"
    # a course neither assigned nor enrolled is empty
    assert [c.value for c in ws[5]][MEMBER_FIELDS + CELL_FIELDS :] == [None] * CELL_FIELDS


def test_team_xlsx_stores_formula_like_text_as_text():
    report = TeamReport(
        organisation="Org",
        generated_at=GENERATED,
        filters=(),
        columns=(),
        rows=(member("=1+1", (), job_title="#N/A", profession="bad\x07bell"),),
        total_members=1,
    )
    ws = team_workbook(report).active
    cells = ws[4]
    assert cells[0].value == "=1+1"
    assert cells[0].data_type == "s"
    assert cells[2].value == "#N/A"
    assert cells[2].data_type == "s"
    assert cells[3].value == "badbell"


def test_team_xlsx_has_a_summary_sheet_of_the_columns():
    wb = team_workbook(team_report())
    assert wb.sheetnames == ["Team progress", "Summary"]
    ws = wb["Summary"]
    assert [c.value for c in ws[3]] == ["Protecția copilului", 3, 0, 1, 2, 1]


def test_team_xlsx_reports_progress_every_250_rows_and_ends_at_the_total():
    calls = []
    team_workbook(team_report(columns=1, rows=600), progress=lambda d, t: calls.append((d, t)))
    assert calls == [(250, 600), (500, 600), (600, 600)]


def test_empty_team_xlsx_still_reports_completion():
    calls = []
    team_workbook(team_report(rows=0), progress=lambda d, t: calls.append((d, t)))
    assert calls == [(0, 0)]


# --- team report: PDF -------------------------------------------------------------------------


def test_team_pdf_is_landscape_a4_with_names_in_every_script():
    data = render.team_pdf(team_report())
    reader = pypdf.PdfReader(io.BytesIO(data))
    box = reader.pages[0].mediabox
    assert float(box.width) == pytest.approx(841.89, abs=1)
    assert float(box.height) == pytest.approx(595.28, abs=1)
    text = pdf_text(data)
    for name in NAMES:
        assert name in text
    assert "Protecția copilului" in text
    assert "Gyermekvédelem alapjai" in text
    assert "Direcția Generală de Asistență Socială" in flat(text)


@pytest.mark.usefixtures("_in_utc")
def test_team_pdf_shows_generation_filters_compact_cells_and_page_numbers():
    text = pdf_text(render.team_pdf(team_report()))
    assert "Filters: Unit: Nord; Due: before 2025-04-01" in flat(text)
    assert "Generated 14 Mar 2025, 09:30 (UTC)" in text
    assert "In progress · 40 %" in text
    assert "due 1 Mar 2025 · OVERDUE" in text
    assert "on 20 Feb 2025" in text
    assert "Page 1 of 1" in text


def test_wide_team_pdf_splits_courses_into_groups_and_keeps_every_title():
    report = team_report(columns=12)
    data = render.team_pdf(report)
    text = flat(pdf_text(data))
    for col in report.columns:
        assert col.title in text
    assert "Courses and journeys 1–5 of 12" in text
    assert "Courses and journeys 11–12 of 12" in text
    # the member's name is repeated in each of the three groups
    assert text.count("Олена Шевченко") == 3


def test_long_team_pdf_repeats_the_header_and_counts_pages():
    data = render.team_pdf(team_report(columns=2, rows=120))
    reader = pypdf.PdfReader(io.BytesIO(data))
    pages = len(reader.pages)
    assert pages > 1
    last = reader.pages[-1].extract_text()
    assert f"Page {pages} of {pages}" in last
    assert "Member" in last
    assert "Protecția copilului" in last


def test_team_pdf_reports_progress_and_ends_at_the_total():
    calls = []
    render.team_pdf(team_report(columns=6, rows=300), progress=lambda d, t: calls.append((d, t)))
    assert calls[-1] == (300, 300)
    assert len(calls) >= 2
    done = [d for d, _ in calls]
    assert done == sorted(done)
    assert all(t == 300 for _, t in calls)


def test_team_pdf_dates_follow_the_active_language():
    with translation.override("ro"):
        text = pdf_text(render.team_pdf(team_report()))
    assert "14 mar 2025" in text  # the medium date, the month in lower case
    assert "Ștefan Țurcanu" in text


def test_team_pdf_says_when_it_shows_part_of_the_members():
    report = replace(team_report(), total_members=10)
    assert "Members: 4 of 10" in pdf_text(render.team_pdf(report))


def test_team_pdf_without_members_says_so():
    text = pdf_text(render.team_pdf(team_report(rows=0)))
    assert "No members match these filters." in text


# --- organisation summary ---------------------------------------------------------------------


def summary() -> OrganisationSummary:
    return OrganisationSummary(
        organisation="Gyermekvédelmi Szolgálat",
        generated_at=GENERATED,
        members=120,
        enrolments=340,
        completions=210,
        cpd_hours=Decimal("512.50"),
        certificates=198,
        seat_pools=(PoolUse("Licențe 2025", seats=100, used=73, valid_until=date(2025, 12, 31)),),
        months=(
            MonthFigures(date(2025, 1, 1), enrolments=30, completions=12, cpd_hours=Decimal(24)),
            MonthFigures(
                date(2025, 2, 1), enrolments=41, completions=20, cpd_hours=Decimal("40.5")
            ),
        ),
        courses=(
            CourseFigures(
                "Протидія насильству", enrolments=90, completions=60, cpd_hours=Decimal(120)
            ),
        ),
    )


def test_summary_csv_has_figures_then_months_courses_and_pools():
    rows = read_csv(render.summary_csv(summary()))
    assert rows[0] == ["Gyermekvédelmi Szolgálat — organisation summary"]
    assert ["CPD hours", "512.5"] in rows
    assert ["Members", "120"] in rows
    assert rows[rows.index(["Month", "Enrolments", "Completions", "CPD hours"]) + 2] == [
        "2025-02", "41", "20", "40.5",
    ]  # fmt: skip
    assert ["Протидія насильству", "90", "60", "120"] in rows
    assert rows[-1] == ["Licențe 2025", "100", "73", "27", "2025-12-31"]


def test_summary_xlsx_has_four_sheets_with_typed_values():
    out = io.BytesIO()
    render.summary_xlsx(summary(), out)
    out.seek(0)
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["Summary figures", "Months", "Courses", "Seat pools"]
    figures = {r[0]: r[1] for r in wb["Summary figures"].iter_rows(min_row=3, values_only=True)}
    assert figures["Members"] == 120
    assert figures["CPD hours"] == pytest.approx(512.5)
    months = wb["Months"]
    assert months["A4"].value.date() == date(2025, 2, 1)
    assert months["A4"].number_format == "yyyy-mm"
    assert [c.value for c in wb["Courses"][3]] == ["Протидія насильству", 90, 60, 120]
    pool = [c.value for c in wb["Seat pools"][3]]
    assert pool[:4] == ["Licențe 2025", 100, 73, 27]
    assert pool[4].date() == date(2025, 12, 31)


def test_summary_pdf_shows_figures_months_courses_and_pools():
    data = render.summary_pdf(summary())
    text = pdf_text(data)
    assert "Gyermekvédelmi Szolgálat" in text
    assert "512.5" in text
    assert "Feb 2025" in text
    assert "Протидія насильству" in text
    assert "Licențe 2025" in text
    assert "31 Dec 2025" in text
    box = pypdf.PdfReader(io.BytesIO(data)).pages[0].mediabox
    assert box.width > box.height


# --- competence coverage ----------------------------------------------------------------------


def coverage(columns: int = 3) -> CoverageReport:
    cols = tuple(
        CoverageColumn(code=f"C{n}", title=f"Evaluarea riscului {n}", target="B2" if n % 2 else "")
        for n in range(1, columns + 1)
    )
    rows = (
        CoverageRow("Ștefan Țurcanu", levels=("B2",) * columns, met=(True,) * columns),
        CoverageRow(
            "Олена Шевченко", levels=("A1",) + ("",) * (columns - 1), met=(False,) * columns
        ),
    )
    return CoverageReport(
        organisation="DGASPC Iași",
        generated_at=GENERATED,
        framework="Cadrul național",
        role_profile="Asistent social",
        columns=cols,
        rows=rows,
    )


def test_coverage_csv_has_competences_targets_levels_and_the_covered_row():
    rows = read_csv(render.coverage_csv(coverage()))
    assert rows[0] == [
        "Member",
        "C1 Evaluarea riscului 1",
        "C2 Evaluarea riscului 2",
        "C3 Evaluarea riscului 3",
    ]
    assert rows[1] == ["Target level", "B2", "", "B2"]
    assert rows[2] == ["Ștefan Țurcanu", "B2 ✓", "B2 ✓", "B2 ✓"]
    assert rows[3] == ["Олена Шевченко", "A1", "", ""]
    assert rows[4] == ["Members meeting the target (of 2)", "1", "1", "1"]


def test_coverage_xlsx_has_a_title_header_target_row_and_counts():
    out = io.BytesIO()
    render.coverage_xlsx(coverage(), out)
    out.seek(0)
    ws = openpyxl.load_workbook(out)["Coverage"]
    assert "DGASPC Iași" in ws["A1"].value
    assert "Cadrul național" in ws["A1"].value
    assert ws["B2"].value == "C1 Evaluarea riscului 1"
    assert ws["B3"].value == "B2"
    assert ws["B4"].value == "B2 ✓"
    assert ws["C5"].value is None
    assert [c.value for c in ws[6]] == ["Members meeting the target (of 2)", 1, 1, 1]
    assert ws.freeze_panes == "B4"


def test_coverage_pdf_shows_competences_marks_and_groups_wide_profiles():
    report = coverage(columns=10)
    text = flat(pdf_text(render.coverage_pdf(report)))
    assert "Ștefan Țurcanu" in text
    assert "Олена Шевченко" in text
    assert "Cadrul național" in text
    assert "B2 ✓" in text
    assert "Competences 9–10 of 10" in text
    for col in report.columns:
        assert col.code in text


# --- no queries -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_rendering_makes_no_query(django_assert_num_queries):
    report, org, cov = team_report(columns=3), summary(), coverage()
    with django_assert_num_queries(0):
        list(render.team_csv(report))
        render.team_xlsx(report, io.BytesIO())
        render.team_pdf(report)
        list(render.summary_csv(org))
        render.summary_xlsx(org, io.BytesIO())
        render.summary_pdf(org)
        list(render.coverage_csv(cov))
        render.coverage_xlsx(cov, io.BytesIO())
        render.coverage_pdf(cov)


def test_in_romanian_csv_and_xlsx_keep_machine_values_under_romanian_headings():
    """docs/style.md, "Formats": a CSV writes ISO dates and "." decimals, an XLSX real date
    cells, whatever the reader's language; their headings are in it."""
    report = team_report()
    with translation.override("ro"):
        rows = read_csv(render.team_csv(report))
        workbook = team_workbook(report)
    assert rows[0][0] == "Nume"
    assert "2025-03-01" in rows[1]  # the due date, ISO 8601
    assert not [cell for cell in rows[1] if re.fullmatch(r"\d+,\d+", cell)]
    sheet = workbook.worksheets[0]
    assert sheet.cell(row=3, column=1).value == "Nume"
    due = sheet.cell(row=4, column=MEMBER_FIELDS + 4)
    assert due.is_date
    assert due.value.date() == date(2025, 3, 1)
