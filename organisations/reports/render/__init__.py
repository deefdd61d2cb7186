"""Renderers of the reports: pure functions of the dataclasses in ``reports.types`` that make no
query. ``csv`` streams text lines, ``xlsx`` writes a workbook to a binary file, ``pdf`` returns
bytes; ``common`` holds what they share (labels, typed cell values, formatting)."""

from organisations.reports.render.csv import (
    coverage_csv,
    summary_csv,
    team_csv,
    team_csv_rows,
)
from organisations.reports.render.pdf import coverage_pdf, summary_pdf, team_pdf
from organisations.reports.render.xlsx import coverage_xlsx, summary_xlsx, team_xlsx

__all__ = [
    "coverage_csv",
    "coverage_pdf",
    "coverage_xlsx",
    "summary_csv",
    "summary_pdf",
    "summary_xlsx",
    "team_csv",
    "team_csv_rows",
    "team_pdf",
    "team_xlsx",
]
