"""The CPD engine: a learner's standing against a body's requirement rule set in one cycle.

Reads only; pure where it can be (``cycle_containing``, ``local_day``, ``value_of`` and the rule
evaluation take objects already loaded). The types it returns are in ``certificates.cpd.types``.

- *Cycles.* A rolling rule set repeats cycles of ``cycle_years`` years from ``cycle_start``,
  forwards and backwards (from the learner's ``registered_on`` when the rule set is
  ``per_learner``); a fixed one has the single cycle ``cycle_start``..``cycle_end``. Both ends of
  a cycle are included: a cycle ends the day before the next one starts. Adding years to
  29 February gives 28 February in other years; every boundary is counted from the anchor, so
  the 29th comes back in leap years.
- *Days.* An external activity counts on its ``date``. A certificate counts on the day its
  course was completed (``occurred_at``) in the rule set's time zone, so a completion at
  2026-12-31 23:30 UTC counts in 2027 for a body in Europe/Bucharest. "Today" for a rule set is
  the date in its time zone.
- *Values.* Hours, or points at the body's ``points_per_hour``; a certificate issued with the
  body's own points counts the points it shows.
- *What counts.* Entries whose day is in the cycle and not after today: an activity dated in the
  future counts once its day has come.
- *Rules.* One function per ``RequirementKind``. A rule "in each year of the cycle" is checked in
  each year from the cycle's start that has begun (at least the first): a year that has ended
  unmet stays unmet, the current year is unmet until it is satisfied; the result reports the
  first unmet year (else the current one) in ``period``. The longest gap is counted over the
  whole cycle: from its start to the first entry, between entries, and from the last entry to
  today (or to the cycle's end once it has passed).
"""

import zoneinfo
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.db.models import F, QuerySet, prefetch_related_objects
from django.db.models.fields.json import KeyTextTransform, KeyTransform
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from certificates.cpd.models import (
    CpdEntry,
    CpdRegistration,
    CpdSource,
    CpdType,
    CycleKind,
    DiscussionStatus,
    Requirement,
    RequirementKind,
    RequirementPeriod,
    RequirementRuleSet,
)
from certificates.cpd.types import Cycle, LedgerLine, RequirementResult, Standing
from certificates.credentials.models import AccreditingBody, CpdUnit
from lms.api import User, format_date, format_number, plural_count

CENT = Decimal("0.01")
ONE_DAY = timedelta(days=1)
# A certificate entry's stored ``date`` is the site's local date; in a rule set's time zone the
# day can differ by up to two (UTC-12 to UTC+14). Queries by ``date`` widen their window by this.
DAY_SLACK = timedelta(days=2)


# --- calendar ---------------------------------------------------------------------------------


def add_years(day: date, years: int) -> date:
    """``day`` plus whole years; 29 February becomes 28 February in a year without it."""
    year = day.year + years
    try:
        return day.replace(year=year)
    except ValueError:  # 29 February in a common year
        return day.replace(year=year, day=28)


def _anchor(rule_set: RequirementRuleSet, registered_on: date | None) -> date:
    if rule_set.per_learner and registered_on is not None:
        return registered_on
    return rule_set.cycle_start


def cycle_containing(
    rule_set: RequirementRuleSet, day: date, *, registered_on: date | None = None
) -> Cycle:
    """The cycle of ``rule_set`` that ``day`` falls in (for a fixed rule set, its one cycle,
    whatever the day). A per-learner rule set counts from ``registered_on`` (from
    ``cycle_start`` when it is not given)."""
    if rule_set.cycle_kind == CycleKind.FIXED:
        if rule_set.cycle_end is None:
            raise ValueError(f"Rule set {rule_set.pk} is fixed but has no end.")
        return Cycle(start=rule_set.cycle_start, end=rule_set.cycle_end)
    anchor = _anchor(rule_set, registered_on)
    length = max(rule_set.cycle_years, 1)
    index = (day.year - anchor.year) // length
    while add_years(anchor, index * length) > day:
        index -= 1
    while add_years(anchor, (index + 1) * length) <= day:
        index += 1
    return Cycle(
        start=add_years(anchor, index * length),
        end=add_years(anchor, (index + 1) * length) - ONE_DAY,
    )


def years_of_cycle(
    rule_set: RequirementRuleSet, cycle: Cycle, *, registered_on: date | None = None
) -> list[Cycle]:
    """The years of ``cycle``, counted from its start; the last one of a fixed cycle that is not
    a whole number of years is shorter."""
    anchor = rule_set.cycle_start if rule_set.cycle_kind == CycleKind.FIXED else None
    anchor = anchor or _anchor(rule_set, registered_on)
    offset = cycle.start.year - anchor.year
    if add_years(anchor, offset) != cycle.start:  # a cycle not counted from this anchor
        anchor, offset = cycle.start, 0
    years = []
    index = 0
    while (start := add_years(anchor, offset + index)) <= cycle.end:
        end = min(add_years(anchor, offset + index + 1) - ONE_DAY, cycle.end)
        years.append(Cycle(start=start, end=end))
        index += 1
    return years


def _zone(name: str) -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(name)


def today_for(rule_set: RequirementRuleSet, *, now: datetime | None = None) -> date:
    """Today's date in the rule set's time zone."""
    return (now or timezone.now()).astimezone(_zone(rule_set.time_zone)).date()


def local_day(entry: CpdEntry, rule_set: RequirementRuleSet) -> date:
    """The day ``entry`` counts on for ``rule_set``: a certificate's completion moment read in
    the rule set's time zone; an external activity's date as the learner gave it."""
    if entry.occurred_at is not None:
        return entry.occurred_at.astimezone(_zone(rule_set.time_zone)).date()
    return entry.date


# --- values -----------------------------------------------------------------------------------


def value_of(hours: Decimal | int | str, body: AccreditingBody) -> Decimal:
    """Hours in the body's unit: the hours themselves, or points at its points per hour; to the
    hundredth."""
    value = Decimal(hours)
    if body.cpd_unit == CpdUnit.POINTS:
        value *= Decimal(body.points_per_hour)
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def _line_value(entry: CpdEntry, body: AccreditingBody) -> Decimal:
    """The entry's value for ``body``. A certificate of this very body, issued in its unit,
    counts what it shows (no round trip through hours, which could lose a hundredth); the
    annotations come from ``ledger_entries``."""
    shown = getattr(entry, "certificate_value", None)
    if (
        shown is not None
        and getattr(entry, "certificate_body_id", None) == body.pk
        and getattr(entry, "certificate_unit", None) == body.cpd_unit
    ):
        try:
            return Decimal(shown).quantize(CENT, rounding=ROUND_HALF_UP)
        except InvalidOperation:
            pass
    return value_of(entry.hours, body)


# --- reads ------------------------------------------------------------------------------------


def ledger_entries() -> QuerySet[CpdEntry]:
    """CPD entries with what a standing needs of their certificate (its body, and the CPD value
    and unit it shows) annotated, without loading the certificate."""
    return CpdEntry.objects.annotate(
        certificate_body_id=F("certificate__accreditation__body_id"),
        certificate_value=KeyTextTransform("value", KeyTransform("cpd", "certificate__snapshot")),
        certificate_unit=KeyTextTransform("unit", KeyTransform("cpd", "certificate__snapshot")),
    )


def ledger_for(learner: User) -> QuerySet[CpdEntry]:
    """A learner's whole ledger, newest first."""
    return (
        ledger_entries()
        .filter(learner=learner)
        .select_related("discussion_with")
        .order_by("-date", "-id")
    )


def confirmations_for(user: User) -> QuerySet[CpdEntry]:
    """Discussions other learners named ``user`` in and that await their answer, oldest first."""
    return (
        CpdEntry.objects.filter(discussion_with=user, discussion_status=DiscussionStatus.PENDING)
        .exclude(learner=user)
        .select_related("learner")
        .order_by("updated_at", "id")
    )


def registrations_for(learners: Iterable[User | int]) -> QuerySet[CpdRegistration]:
    """The learners' registrations with active rule sets, ready for ``standings_for`` (their
    rule sets, bodies and requirements loaded with them: two queries)."""
    ids = [learner if isinstance(learner, int) else learner.pk for learner in learners]
    return (
        CpdRegistration.objects.filter(
            learner_id__in=ids, rule_set__is_active=True, withdrawn_on__isnull=True
        )
        .select_related("learner", "rule_set__body")
        .prefetch_related("rule_set__requirements")
        .order_by("learner_id", "rule_set__body__name", "rule_set__name")
    )


def _window(cycle: Cycle, today: date) -> tuple[date, date]:
    """The stored dates that can count in ``cycle`` by ``today``, with the time zones' slack."""
    return cycle.start - DAY_SLACK, min(today, cycle.end) + DAY_SLACK


def cycle_entries(registration: CpdRegistration, cycle: Cycle, today: date) -> QuerySet[CpdEntry]:
    """The learner's entries that can count in ``cycle`` by ``today`` (one query), with their
    certificate and the discussion's peer loaded for the transcript, the CLR and the pages."""
    start, end = _window(cycle, today)
    return (
        ledger_entries()
        .filter(learner_id=registration.learner_id, date__gte=start, date__lte=end)
        .select_related("certificate", "discussion_with")
    )


def entries_by_learner(
    plans: Sequence[tuple[CpdRegistration, Cycle, date]],
) -> dict[int, list[CpdEntry]]:
    """The entries that can count for each (registration, cycle, today), by learner, in one
    query."""
    found: dict[int, list[CpdEntry]] = defaultdict(list)
    if not plans:
        return found
    windows = [_window(cycle, today) for _registration, cycle, today in plans]
    learner_ids = {registration.learner_id for registration, _cycle, _today in plans}
    for entry in ledger_entries().filter(
        learner_id__in=learner_ids,
        date__gte=min(start for start, _end in windows),
        date__lte=max(end for _start, end in windows),
    ):
        found[entry.learner_id].append(entry)
    return found


# --- standing ---------------------------------------------------------------------------------


def _plan(registration: CpdRegistration, today: date | None) -> tuple[Cycle, date]:
    rule_set = registration.rule_set
    today = today or today_for(rule_set)
    return cycle_containing(rule_set, today, registered_on=registration.registered_on), today


def standing(
    registration: CpdRegistration,
    *,
    today: date | None = None,
    entries: Iterable[CpdEntry] | None = None,
) -> Standing:
    """Where the learner stands in the cycle of ``registration``'s rule set that contains
    ``today`` (today in the rule set's time zone by default).

    ``entries`` are the learner's entries when the caller has them (those outside the cycle are
    left out here); without them, one query reads them. Entries dated after ``today`` do not
    count (yet)."""
    cycle, today = _plan(registration, today)
    if entries is None:
        entries = cycle_entries(registration, cycle, today)
    return evaluate(registration, cycle=cycle, today=today, entries=entries)


def standings_for(
    registrations: Iterable[CpdRegistration], *, today: date | None = None
) -> list[Standing]:
    """The standing of each registration, in order, in a fixed number of queries: the rule sets,
    bodies and requirements when not loaded already (``registrations_for`` loads them), and one
    for every learner's entries."""
    registrations = list(registrations)
    prefetch_related_objects(registrations, "rule_set__body", "rule_set__requirements")
    plans = [(registration, *_plan(registration, today)) for registration in registrations]
    entries = entries_by_learner(plans)
    return [
        evaluate(
            registration, cycle=cycle, today=day, entries=entries.get(registration.learner_id, [])
        )
        for registration, cycle, day in plans
    ]


def evaluate(
    registration: CpdRegistration, *, cycle: Cycle, today: date, entries: Iterable[CpdEntry]
) -> Standing:
    """The standing in ``cycle`` on ``today`` from the learner's ``entries`` (no query when the
    rule set, its body and requirements are loaded)."""
    rule_set = registration.rule_set
    body = rule_set.body
    lines = []
    for entry in entries:
        if entry.learner_id != registration.learner_id:
            continue
        day = local_day(entry, rule_set)
        if day in cycle and day <= today:
            lines.append(
                LedgerLine(entry=entry, day=day, hours=entry.hours, value=_line_value(entry, body))
            )
    lines.sort(key=lambda line: (line.day, line.entry.pk or 0))
    requirements = sorted(rule_set.requirements.all(), key=lambda r: (r.position, r.pk))
    # A year that ended before the person registered with the body is not theirs to answer for
    # (someone who registers in a cycle's second year owes nothing for its first).
    years = [
        year
        for year in years_of_cycle(rule_set, cycle, registered_on=registration.registered_on)
        if year.end >= registration.registered_on
    ]
    results = tuple(
        evaluate_requirement(
            requirement, lines, cycle=cycle, today=today, unit=body.cpd_unit, years=years
        )
        for requirement in requirements
    )
    return Standing(
        registration=registration,
        rule_set=rule_set,
        cycle=cycle,
        today=today,
        unit=body.cpd_unit,
        lines=tuple(lines),
        results=results,
    )


# --- rules ------------------------------------------------------------------------------------


def hours_achieved(requirement: Requirement, lines: Sequence[LedgerLine]) -> Decimal:
    """HOURS: the value of every entry."""
    return sum((line.value for line in lines), Decimal(0))


_TYPES: dict[str, Callable[[CpdEntry], bool]] = {
    CpdType.PARTICIPATORY: lambda entry: entry.participatory,
    CpdType.NON_PARTICIPATORY: lambda entry: not entry.participatory,
    CpdType.STRUCTURED: lambda entry: entry.structured,
    CpdType.UNSTRUCTURED: lambda entry: not entry.structured,
    CpdType.PLATFORM: lambda entry: entry.source == CpdSource.CERTIFICATE,
}


def is_of_type(entry: CpdEntry, activity_type: str) -> bool:
    return _TYPES[activity_type](entry)


def hours_of_type_achieved(requirement: Requirement, lines: Sequence[LedgerLine]) -> Decimal:
    """HOURS_OF_TYPE: the value of the entries of the requirement's type."""
    return sum(
        (line.value for line in lines if is_of_type(line.entry, requirement.activity_type)),
        Decimal(0),
    )


def entries_achieved(requirement: Requirement, lines: Sequence[LedgerLine]) -> Decimal:
    """ENTRIES: how many entries."""
    return Decimal(len(lines))


def reflections_achieved(requirement: Requirement, lines: Sequence[LedgerLine]) -> Decimal:
    """REFLECTIONS: entries with a written reflection (what was learnt and its impact)."""
    return Decimal(sum(1 for line in lines if line.entry.has_reflection))


def discussions_achieved(requirement: Requirement, lines: Sequence[LedgerLine]) -> Decimal:
    """DISCUSSIONS: entries whose peer or supervisor discussion the other person confirmed."""
    return Decimal(sum(1 for line in lines if line.entry.discussion_confirmed))


ACHIEVED: dict[str, Callable[[Requirement, Sequence[LedgerLine]], Decimal]] = {
    RequirementKind.HOURS: hours_achieved,
    RequirementKind.HOURS_OF_TYPE: hours_of_type_achieved,
    RequirementKind.ENTRIES: entries_achieved,
    RequirementKind.REFLECTIONS: reflections_achieved,
    RequirementKind.DISCUSSIONS: discussions_achieved,
}


def evaluate_requirement(
    requirement: Requirement,
    lines: Sequence[LedgerLine],
    *,
    cycle: Cycle,
    today: date,
    unit: str,
    years: Sequence[Cycle] | None = None,
) -> RequirementResult:
    """One rule against the cycle's ``lines`` (oldest first)."""
    if requirement.kind == RequirementKind.MAX_GAP:
        return max_gap_result(requirement, lines, cycle=cycle, today=today)
    achieved_in = ACHIEVED[requirement.kind]
    required = requirement.amount
    label = describe(requirement, unit)
    if requirement.period != RequirementPeriod.YEAR:
        achieved = achieved_in(requirement, lines)
        met = achieved >= required
        missing = "" if met else _amount_text(requirement, required - achieved, unit, more=True)
        return RequirementResult(requirement, label, required, achieved, met, missing)
    # Each year that has begun (at least the first); report the first unmet, else the latest.
    years = list(years) if years else [cycle]
    begun = [year for year in years if year.start <= today] or years[:1]
    reported: tuple[Cycle, Decimal] | None = None
    for year in begun:
        achieved = achieved_in(requirement, [line for line in lines if line.day in year])
        if achieved < required:
            short = _amount_text(requirement, required - achieved, unit, more=True)
            if year.end < today:
                missing = _("in the year that ended on %(date)s: %(missing)s") % {
                    "date": format_date(year.end.isoformat()),
                    "missing": short,
                }
            else:
                missing = _("%(missing)s by %(date)s") % {
                    "missing": short,
                    "date": format_date(year.end.isoformat()),
                }
            return RequirementResult(
                requirement, label, required, achieved, False, missing, period=year
            )
        reported = (year, achieved)
    assert reported is not None  # noqa: S101 - ``begun`` is never empty
    year, achieved = reported
    return RequirementResult(requirement, label, required, achieved, True, "", period=year)


def max_gap_result(
    requirement: Requirement, lines: Sequence[LedgerLine], *, cycle: Cycle, today: date
) -> RequirementResult:
    """MAX_GAP: the longest stretch in days without an entry, from the cycle's start through the
    entries to today (or the cycle's end once it has passed), against the days allowed. While
    met, ``due`` says by when the next entry keeps it met."""
    allowed = int(requirement.amount)
    until = max(min(today, cycle.end), cycle.start)
    points = [cycle.start, *(line.day for line in lines), until]
    gaps = [(points[i], points[i + 1]) for i in range(len(points) - 1)]
    longest_from, longest_to = max(gaps, key=lambda gap: (gap[1] - gap[0]).days)
    longest = (longest_to - longest_from).days
    last = points[-2]
    label = describe(requirement, CpdUnit.HOURS)
    met = longest <= allowed
    due = last + timedelta(days=allowed)
    missing = ""
    if not met:
        open_gap = (until - last).days
        if open_gap == longest and until == today:
            missing = _("no entry since %(date)s: log an activity now (it was due by %(due)s)") % {
                "date": format_date(last.isoformat()),
                "due": format_date(due.isoformat()),
            }
        else:
            missing = ngettext(
                "%(gap)s day without an entry, from %(start)s to %(end)s",
                "%(gap)s days without an entry, from %(start)s to %(end)s",
                longest,
            ) % {
                "gap": longest,
                "start": format_date(longest_from.isoformat()),
                "end": format_date(longest_to.isoformat()),
            }
    return RequirementResult(
        requirement,
        label,
        requirement.amount,
        Decimal(longest),
        met,
        missing,
        due=due if met and today <= cycle.end and due <= cycle.end else None,
    )


def _amount_text(requirement: Requirement, amount: Decimal, unit: str, *, more: bool) -> str:
    """ "35 hours", "20 points (participatory)", "2 more entries", ... in the active language."""
    number = format_number(amount)
    count = plural_count(amount)
    values = {"amount": number}
    kind = requirement.kind
    if kind in (RequirementKind.HOURS, RequirementKind.HOURS_OF_TYPE):
        if unit == CpdUnit.POINTS:
            text = (
                ngettext("%(amount)s more point", "%(amount)s more points", count)
                if more
                else ngettext("%(amount)s point", "%(amount)s points", count)
            )
        else:
            text = (
                ngettext("%(amount)s more hour", "%(amount)s more hours", count)
                if more
                else ngettext("%(amount)s hour", "%(amount)s hours", count)
            )
        text %= values
        if kind == RequirementKind.HOURS_OF_TYPE:
            text = _("%(amount)s (%(type)s)") % {
                "amount": text,
                "type": CpdType(requirement.activity_type).label,
            }
        return text
    if kind == RequirementKind.ENTRIES:
        text = (
            ngettext("%(amount)s more entry", "%(amount)s more entries", count)
            if more
            else ngettext("%(amount)s entry", "%(amount)s entries", count)
        )
    elif kind == RequirementKind.REFLECTIONS:
        text = (
            ngettext(
                "%(amount)s more entry with a written reflection",
                "%(amount)s more entries with a written reflection",
                count,
            )
            if more
            else ngettext(
                "%(amount)s entry with a written reflection",
                "%(amount)s entries with a written reflection",
                count,
            )
        )
    else:
        text = (
            ngettext(
                "%(amount)s more entry with a confirmed peer discussion",
                "%(amount)s more entries with a confirmed peer discussion",
                count,
            )
            if more
            else ngettext(
                "%(amount)s entry with a confirmed peer discussion",
                "%(amount)s entries with a confirmed peer discussion",
                count,
            )
        )
    return text % values


def describe(requirement: Requirement, unit: str) -> str:
    """What a rule requires, e.g. "35 hours in the cycle" (for the admin and the pages)."""
    if requirement.kind == RequirementKind.MAX_GAP:
        allowed = int(requirement.amount)
        return ngettext(
            "no more than %(days)s day without an entry",
            "no more than %(days)s days without an entry",
            allowed,
        ) % {"days": allowed}
    return _("%(requirement)s %(period)s") % {
        "requirement": _amount_text(requirement, requirement.amount, unit, more=False),
        "period": RequirementPeriod(requirement.period).label,
    }
