"""Reads of the accreditor's audit: per-accreditation statistics, audit flags, a record's
evidence; the accreditor's roles and bodies. Every read of records starts from
``certificates.audit.scope``.

Definitions (shown to accreditors on the page, so kept here in one place):

- *Nominal hours*: the accreditation's CPD value when the body counts in hours; otherwise the
  course's nominal CPD hours (for a journey counted in points: the value over the body's points
  per hour).
- *Mastery score*: the highest mastery score among the course's active units (a record passes
  when its scaled score reaches it). Without one (a journey, or no unit has one) the pass rate is
  not given; the completion rate (completions over enrolments) is.
- Flags of a record:
  ``fast`` — time spent under 25 % of the nominal hours;
  ``low_score`` — score below the mastery score;
  ``before_enrolment`` — completed before the enrolment of its registration was made;
  ``after_expiry`` — completed (local date) after the accreditation's ``valid_until``;
  ``burst`` — the learner completed 5 or more courses or journeys accredited by the same body on
  the same local day (the site's ``TIME_ZONE``), this one included.
"""

import json
import statistics
from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID

from django.db.models import Count, DateTimeField, Max, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from certificates.audit.scope import records_in_scope
from certificates.credentials.models import Accreditation, AccreditingBody, CpdUnit
from courses.models import CourseUnit, Enrolment, JourneyEnrolment
from lms.api import Role, User
from progress.api import registration_key
from progress.models import CompletionRecord, Statement, StatementIndex

FAST_SHARE = Decimal("0.25")  # under a quarter of the nominal hours: "fast"
SLOW_SHARE = Decimal("0.5")  # the share of records under half of the nominal hours is reported
BURST_PER_DAY = 5
BUCKETS = 10

FLAG_LABELS = {
    # xgettext:no-python-format
    "fast": _("completed in under 25 % of the nominal hours"),
    "low_score": _("score below the mastery score"),
    "before_enrolment": _("completed before enrolment"),
    "after_expiry": _("completed after the accreditation expired"),
    "burst": _("5 or more completions by this account in one day"),
}


@dataclass(frozen=True)
class AuditRow:
    record: CompletionRecord
    enrolled_at: datetime | None
    flags: tuple[str, ...]

    @property
    def flag_labels(self) -> list[str]:
        return [str(FLAG_LABELS[flag]) for flag in self.flags]


@dataclass(frozen=True)
class MonthCount:
    month: date  # the first day of the month
    completions: int


@dataclass(frozen=True)
class Bucket:
    low: Decimal
    high: Decimal
    count: int


@dataclass(frozen=True)
class AccreditationStatistics:
    accreditation: Accreditation
    start: date
    end: date
    completions: int
    by_month: tuple[MonthCount, ...]
    mastery_score: Decimal | None
    scored: int
    passed: int
    enrolments: int
    score_buckets: tuple[Bucket, ...]
    nominal_hours: Decimal
    median_time: timedelta | None
    under_half_nominal: int
    rows: tuple[AuditRow, ...]  # newest first

    @property
    def pass_rate(self) -> float | None:
        if self.mastery_score is None or not self.scored:
            return None
        return self.passed / self.scored

    @property
    def completion_rate(self) -> float | None:
        return self.completions / self.enrolments if self.enrolments else None

    @property
    def under_half_share(self) -> float | None:
        return self.under_half_nominal / self.completions if self.completions else None

    @property
    def flagged(self) -> tuple[AuditRow, ...]:
        return tuple(row for row in self.rows if row.flags)


def default_period(accreditation: Accreditation, *, today: date | None = None) -> tuple[date, date]:
    """From the start of the accreditation to today (completions after expiry stay visible)."""
    today = today or timezone.localdate()
    return min(accreditation.valid_from, today), today


def _day_bounds(start: date, end: date) -> tuple[datetime, datetime]:
    zone = timezone.get_current_timezone()
    return (
        datetime.combine(start, time.min, tzinfo=zone),
        datetime.combine(end + timedelta(days=1), time.min, tzinfo=zone),
    )


def nominal_hours(accreditation: Accreditation) -> Decimal:
    body = accreditation.body
    if body.cpd_unit == CpdUnit.HOURS:
        return accreditation.cpd_value
    if accreditation.course is not None:
        return accreditation.course.cpd_hours
    rate = body.points_per_hour or Decimal(1)
    return accreditation.cpd_value / rate


def mastery_score(accreditation: Accreditation) -> Decimal | None:
    """The highest mastery score among the course's active units (one query), None for a
    journey or a course without one."""
    if accreditation.course_id is None:
        return None
    found = CourseUnit.objects.filter(course_id=accreditation.course_id, is_active=True).aggregate(
        mastery=Max("mastery_score")
    )
    mastery: Decimal | None = found["mastery"]
    return mastery


def _records_with_enrolment(
    accreditation: Accreditation,
    since: datetime,
    until: datetime,
    only: Collection[int] | None = None,
) -> QuerySet[CompletionRecord]:
    enrolments: Any = (
        Enrolment.objects.filter(registration=OuterRef("registration"))
        if accreditation.course_id is not None
        else JourneyEnrolment.objects.filter(registration=OuterRef("registration"))
    )
    records = records_in_scope(accreditation)
    if only is not None:
        records = records.filter(pk__in=list(only))
    return (
        records.filter(completed_at__gte=since, completed_at__lt=until)
        .select_related("learner", "course", "journey")
        .annotate(
            enrolled_at=Subquery(enrolments.values("enrolled_at")[:1], output_field=DateTimeField())
        )
        .order_by("-completed_at", "-id")
    )


def _busy_days(accreditation: Accreditation, learner_ids: set[int]) -> set[tuple[int, date]]:
    """(learner, local day) pairs with ``BURST_PER_DAY`` or more completions of anything the
    body accredits (one query)."""
    if not learner_ids:
        return set()
    body_targets = Accreditation.objects.filter(body_id=accreditation.body_id)
    days = (
        CompletionRecord.objects.filter(learner_id__in=learner_ids)
        .filter(
            Q(course_id__in=body_targets.filter(course__isnull=False).values("course_id"))
            | Q(journey_id__in=body_targets.filter(journey__isnull=False).values("journey_id"))
        )
        .annotate(day=TruncDate("completed_at", tzinfo=timezone.get_current_timezone()))
        .values("learner_id", "day")
        .annotate(n=Count("id"))
        .filter(n__gte=BURST_PER_DAY)
    )
    return {(row["learner_id"], row["day"]) for row in days}


def _flags(
    record: CompletionRecord,
    *,
    enrolled_at: datetime | None,
    accreditation: Accreditation,
    nominal: Decimal,
    mastery: Decimal | None,
    busy: set[tuple[int, date]],
) -> tuple[str, ...]:
    flags = []
    hours = Decimal(record.time_spent.total_seconds()) / 3600
    if nominal > 0 and hours < nominal * FAST_SHARE:
        flags.append("fast")
    if mastery is not None and record.score_scaled is not None and record.score_scaled < mastery:
        flags.append("low_score")
    if enrolled_at is not None and record.completed_at < enrolled_at:
        flags.append("before_enrolment")
    day = timezone.localdate(record.completed_at)
    if accreditation.valid_until is not None and day > accreditation.valid_until:
        flags.append("after_expiry")
    if (record.learner_id, day) in busy:
        flags.append("burst")
    return tuple(flags)


def _months(start: date, end: date, counts: Counter[date]) -> tuple[MonthCount, ...]:
    months, month = [], start.replace(day=1)
    while month <= end:
        months.append(MonthCount(month=month, completions=counts[month]))
        month = (month + timedelta(days=32)).replace(day=1)
    return tuple(months)


def _buckets(scores: list[Decimal]) -> tuple[Bucket, ...]:
    counts = Counter(min(BUCKETS - 1, max(0, int(score * BUCKETS))) for score in scores)
    return tuple(
        Bucket(low=Decimal(i) / BUCKETS, high=Decimal(i + 1) / BUCKETS, count=counts[i])
        for i in range(BUCKETS)
    )


def accreditation_statistics(
    accreditation: Accreditation,
    *,
    start: date,
    end: date,
    only: Collection[int] | None = None,
) -> AccreditationStatistics:
    """Figures and flagged records of an accreditation's completions between ``start`` and
    ``end`` (local dates, both included); with ``only``, of those records alone (an audit
    round's sample). Four queries, whatever the number of records."""
    since, until = _day_bounds(start, end)
    nominal = nominal_hours(accreditation)
    mastery = mastery_score(accreditation)
    records = list(_records_with_enrolment(accreditation, since, until, only))
    busy = _busy_days(accreditation, {record.learner_id for record in records})
    rows = tuple(
        AuditRow(
            record=record,
            enrolled_at=record.enrolled_at,  # type: ignore[attr-defined]
            flags=_flags(
                record,
                enrolled_at=record.enrolled_at,  # type: ignore[attr-defined]
                accreditation=accreditation,
                nominal=nominal,
                mastery=mastery,
                busy=busy,
            ),
        )
        for record in records
    )
    enrolment_model: Any = Enrolment if accreditation.course_id is not None else JourneyEnrolment
    target = (
        {"course_id": accreditation.course_id}
        if accreditation.course_id is not None
        else {"journey_id": accreditation.journey_id}
    )
    enrolments = enrolment_model.objects.filter(enrolled_at__lt=until, **target).count()
    scores = [r.score_scaled for r in records if r.score_scaled is not None]
    seconds = [r.time_spent.total_seconds() for r in records]
    half = float(nominal * SLOW_SHARE) * 3600
    return AccreditationStatistics(
        accreditation=accreditation,
        start=start,
        end=end,
        completions=len(records),
        by_month=_months(
            start,
            end,
            Counter(timezone.localdate(r.completed_at).replace(day=1) for r in records),
        ),
        mastery_score=mastery,
        scored=len(scores),
        passed=sum(1 for s in scores if mastery is not None and s >= mastery),
        enrolments=enrolments,
        score_buckets=_buckets(scores),
        nominal_hours=nominal,
        median_time=timedelta(seconds=statistics.median(seconds)) if seconds else None,
        under_half_nominal=sum(1 for s in seconds if nominal > 0 and s < half),
        rows=rows,
    )


# --- a record's evidence ------------------------------------------------------------------------


@dataclass(frozen=True)
class StatementLine:
    statement_id: UUID
    stored: datetime
    timestamp: str
    verb: str
    object: str
    success: bool | None
    completion: bool | None
    score: Any
    duration: str
    voided: bool
    raw: str


def _verb(statement: dict[str, Any]) -> str:
    verb = statement.get("verb") or {}
    display = verb.get("display") or {}
    for language in ("en", "en-US", "en-GB"):
        if display.get(language):
            return str(display[language])
    return str(verb.get("id", "")).rstrip("/").rsplit("/", 1)[-1]


def _object(statement: dict[str, Any]) -> str:
    target = statement.get("object") or {}
    names = (target.get("definition") or {}).get("name") or {}
    for language in ("en", "en-US", "en-GB"):
        if names.get(language):
            return str(names[language])
    if names:
        return str(next(iter(names.values())))
    return str(target.get("id", ""))


def _line(statement: Statement, payload: dict[str, Any], raw: str) -> StatementLine:
    result = payload.get("result") or {}
    return StatementLine(
        statement_id=statement.statement_id,
        stored=statement.stored,
        timestamp=str(payload.get("timestamp", "")),
        verb=_verb(payload),
        object=_object(payload),
        success=result.get("success"),
        completion=result.get("completion"),
        score=(result.get("score") or {}).get("scaled"),
        duration=str(result.get("duration", "")),
        voided=statement.voided,
        raw=raw,
    )


def statements_of_registration(registration: UUID) -> list[StatementLine]:
    """The statements of a registration, in the order they were stored (one query, through the
    LRS's registration filter key; each payload is checked again in Python)."""
    key = registration_key(registration)
    found = Statement.objects.filter(
        id__in=StatementIndex.objects.filter(key=key).values("statement_id")
    ).order_by("stored", "id")
    lines = []
    for statement in found:
        payload = json.loads(statement.payload)
        context = payload.get("context") or {}
        if str(context.get("registration", "")).lower() != str(registration).lower():
            continue
        lines.append(_line(statement, payload, json.dumps(payload, indent=2, ensure_ascii=False)))
    return lines


def statements_by_registration(registrations: list[UUID]) -> dict[str, list[dict[str, Any]]]:
    """The stored statements of several registrations (one query), keyed by registration in
    lower case, each list in the order the LRS stored them. For the evidence bundle."""
    keys = [registration_key(registration) for registration in registrations]
    wanted = {str(registration).lower() for registration in registrations}
    found: dict[str, list[dict[str, Any]]] = {registration: [] for registration in wanted}
    statements = Statement.objects.filter(
        id__in=StatementIndex.objects.filter(key__in=keys).values("statement_id")
    ).order_by("stored", "id")
    for statement in statements:
        payload = json.loads(statement.payload)
        registration = str((payload.get("context") or {}).get("registration", "")).lower()
        if registration in found:
            found[registration].append(payload)
    return found


# --- accreditors -------------------------------------------------------------------------------


def roles_from_accreditation(user: User) -> set[Role]:
    return {Role.ACCREDITOR} if user.accreditor_roles.exists() else set()


def bodies_for_accreditor(user: User) -> QuerySet[AccreditingBody]:
    return AccreditingBody.objects.filter(accreditors__user=user).order_by("name")
