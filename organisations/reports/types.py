"""The shapes of the reports: frozen dataclasses that renderers (HTML, CSV, XLSX, PDF, SVG)
read. Building them is ``reports.selectors``'s job; rendering them makes no query."""

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import NamedTuple
from uuid import UUID

from django.utils.translation import gettext_lazy as _


class CellStatus(StrEnum):
    ASSIGNED = "assigned"  # assigned by the organisation, not enrolled yet
    NOT_STARTED = "not_started"  # enrolled, nothing done yet
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"

    @property
    def label(self) -> str:
        return str(_CELL_LABELS[self])


_CELL_LABELS = {
    CellStatus.ASSIGNED: _("Assigned"),
    CellStatus.NOT_STARTED: _("Not started"),
    CellStatus.IN_PROGRESS: _("In progress"),
    CellStatus.COMPLETED: _("Completed"),
}


@dataclass(frozen=True)
class Column:
    """A course or a learning journey of the report."""

    kind: str  # "course" or "journey"
    public_id: UUID
    slug: str
    title: str
    cpd_hours: Decimal


class Cell(NamedTuple):
    """Where one member stands in one course or journey. A named tuple, not a dataclass: a
    report of 5,000 members x 20 courses makes 100,000 of them, and tuples build ten times
    faster than frozen dataclasses."""

    status: CellStatus
    percent: int  # 0..100: units (course) or required steps (journey) done
    score: Decimal | None  # scaled, 0..1, from the completion record
    due_on: date | None
    overdue: bool  # due before today and not completed
    completed_on: date | None
    certificate: str = ""  # the certificate's serial, when one was issued


@dataclass(frozen=True)
class MemberRow:
    public_id: UUID
    name: str
    email: str
    job_title: str
    profession: str  # the readable label
    country: str  # ISO 3166 code, may be empty
    units: tuple[str, ...]
    cells: tuple[Cell | None, ...]  # one per column; None: neither assigned nor enrolled

    @property
    def overdue(self) -> int:
        return sum(1 for c in self.cells if c is not None and c.overdue)


@dataclass(frozen=True)
class ColumnSummary:
    """One column over every member the report covers (not only the page shown)."""

    column: Column
    assigned: int  # members with an assignment or an enrolment
    not_started: int
    in_progress: int
    completed: int
    overdue: int


@dataclass(frozen=True)
class TeamReport:
    organisation: str
    generated_at: datetime
    filters: tuple[tuple[str, str], ...]  # (label, value) of the filters applied, for headings
    columns: tuple[Column, ...]
    rows: tuple[MemberRow, ...]  # the members of this page (all of them in an export)
    total_members: int  # every member the filters select
    summaries: tuple[ColumnSummary, ...] = field(default=())
    summaries_at: datetime | None = None  # when the summaries were counted (they may be cached)


@dataclass(frozen=True)
class PoolUse:
    name: str
    seats: int
    used: int
    valid_until: date


@dataclass(frozen=True)
class MonthFigures:
    month: date  # the first day of the month
    enrolments: int
    completions: int
    cpd_hours: Decimal


@dataclass(frozen=True)
class CourseFigures:
    title: str
    enrolments: int
    completions: int
    cpd_hours: Decimal


@dataclass(frozen=True)
class OrganisationSummary:
    organisation: str
    generated_at: datetime
    members: int
    enrolments: int
    completions: int
    cpd_hours: Decimal
    certificates: int
    seat_pools: tuple[PoolUse, ...]
    months: tuple[MonthFigures, ...]  # the last twelve months, oldest first
    courses: tuple[CourseFigures, ...]  # by completions, most first


@dataclass(frozen=True)
class CoverageColumn:
    code: str
    title: str
    target: str  # the level the role profile asks for ("" without one)


@dataclass(frozen=True)
class CoverageRow:
    name: str
    levels: tuple[str, ...]  # the level reached per column ("" for none)
    met: tuple[bool, ...]  # reached the target


@dataclass(frozen=True)
class CoverageReport:
    organisation: str
    generated_at: datetime
    framework: str
    role_profile: str
    columns: tuple[CoverageColumn, ...]
    rows: tuple[CoverageRow, ...]

    @property
    def covered(self) -> tuple[int, ...]:
        """Per column, how many members meet the target."""
        return tuple(sum(1 for r in self.rows if r.met[i]) for i in range(len(self.columns)))
