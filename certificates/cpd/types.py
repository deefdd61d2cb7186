"""What the CPD engine (``certificates.cpd``) computes and the pages and exports read: a learner's
standing against one rule set in one cycle.

Dates are local dates in the rule set's time zone; a cycle's ``start`` and ``end`` are both
included. Values are in the body's CPD unit (hours, or points at the body's points per hour).
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from certificates.cpd.models import CpdEntry, CpdRegistration, Requirement, RequirementRuleSet


@dataclass(frozen=True)
class Cycle:
    start: date  # the cycle's first day
    end: date  # the cycle's last day

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.start <= day <= self.end


@dataclass(frozen=True)
class LedgerLine:
    """An entry as one rule set counts it."""

    entry: CpdEntry
    day: date  # the local day it counts on, in the rule set's time zone
    hours: Decimal
    value: Decimal  # in the body's unit


@dataclass(frozen=True)
class RequirementResult:
    requirement: Requirement
    label: str  # what is required, e.g. "35 hours in the cycle" (translated)
    required: Decimal
    achieved: Decimal
    met: bool
    missing: str  # empty when met, else what is missing (translated), e.g. "12.5 more hours"
    # For a rule counted in each year of the cycle: the year it is about (the first one unmet).
    period: Cycle | None = None
    # For the longest-gap rule while it is met: the last day the next entry keeps it met, when
    # that day falls in the cycle.
    due: date | None = None


@dataclass(frozen=True)
class Standing:
    """Where a learner stands in a cycle of a rule set, and what is missing."""

    registration: CpdRegistration
    rule_set: RequirementRuleSet
    cycle: Cycle
    today: date
    unit: str  # CpdUnit of the body
    lines: tuple[LedgerLine, ...]  # the cycle's entries, oldest first
    results: tuple[RequirementResult, ...] = field(default=())

    @property
    def met(self) -> bool:
        return all(result.met for result in self.results)

    @property
    def total(self) -> Decimal:
        return sum((line.value for line in self.lines), Decimal(0))

    @property
    def total_hours(self) -> Decimal:
        return sum((line.hours for line in self.lines), Decimal(0))

    @property
    def days_left(self) -> int:
        return max((self.cycle.end - self.today).days, 0)

    @property
    def missing(self) -> list[str]:
        return [result.missing for result in self.results if not result.met]
