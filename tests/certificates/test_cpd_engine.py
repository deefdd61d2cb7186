"""The CPD engine (certificates.cpd): cycles and their boundaries (3-year, fixed, per-learner,
29 February), the day an entry counts on in a rule set's time zone, values in hours or points,
each kind of rule met and unmet with what is missing, rules counted in each year of a cycle,
entries in the future, and a team's standings in a fixed number of queries."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from certificates.cpd import selectors as cpd
from certificates.cpd.types import Cycle
from certificates.models import (
    CpdEntry,
    CpdRegistration,
    CpdSource,
    CpdType,
    CpdUnit,
    CycleKind,
    DiscussionStatus,
    RequirementKind,
    RequirementPeriod,
    RequirementRuleSet,
)
from tests.certificates.factories import (
    AccreditingBodyFactory,
    CpdEntryFactory,
    CpdRegistrationFactory,
    RequirementFactory,
    RuleSetFactory,
)
from tests.lms.factories import UserFactory

pytestmark = pytest.mark.django_db


def rules(**fields) -> RequirementRuleSet:
    """An unsaved rule set (the calendar functions need no database)."""
    defaults = {
        "cycle_kind": CycleKind.ROLLING,
        "cycle_years": 1,
        "cycle_start": date(2020, 1, 1),
        "time_zone": "Europe/Bucharest",
    }
    return RequirementRuleSet(**{**defaults, **fields})


def entry(learner, day, hours="2", **fields) -> CpdEntry:
    """An unsaved external entry of ``learner`` on ``day``."""
    fields = {"title": "An activity", **fields}
    return CpdEntry(
        learner=learner, source=CpdSource.EXTERNAL, date=day, hours=Decimal(hours), **fields
    )


def registration_with(*requirements, unit=CpdUnit.HOURS, points_per_hour=1, **rule_set_fields):
    """A registration to a rule set with ``requirements`` (kind, amount, extra fields)."""
    body = AccreditingBodyFactory(cpd_unit=unit, points_per_hour=Decimal(points_per_hour))
    rule_set = RuleSetFactory(body=body, **rule_set_fields)
    for position, (kind, amount, *extra) in enumerate(requirements):
        RequirementFactory(
            rule_set=rule_set,
            position=position,
            kind=kind,
            amount=Decimal(amount),
            **(extra[0] if extra else {}),
        )
    return CpdRegistrationFactory(rule_set=rule_set)


def only_result(standing):
    (result,) = standing.results
    return result


# --- cycles -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "years", "expected"),
    [
        (date(2024, 2, 29), 1, date(2025, 2, 28)),
        (date(2024, 2, 29), 4, date(2028, 2, 29)),
        (date(2024, 2, 29), -1, date(2023, 2, 28)),
        (date(2026, 3, 31), 3, date(2029, 3, 31)),
    ],
)
def test_adding_years_to_29_february_gives_28_february_in_a_common_year(day, years, expected):
    assert cpd.add_years(day, years) == expected


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2026, 1, 1), Cycle(date(2026, 1, 1), date(2026, 12, 31))),  # the first day
        (date(2026, 12, 31), Cycle(date(2026, 1, 1), date(2026, 12, 31))),  # the last day
        (date(2027, 1, 1), Cycle(date(2027, 1, 1), date(2027, 12, 31))),
        (date(2019, 6, 1), Cycle(date(2019, 1, 1), date(2019, 12, 31))),  # before the start
    ],
)
def test_yearly_cycles_include_their_first_and_last_day(day, expected):
    assert cpd.cycle_containing(rules(), day) == expected


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2025, 4, 1), Cycle(date(2025, 4, 1), date(2028, 3, 31))),
        (date(2028, 3, 31), Cycle(date(2025, 4, 1), date(2028, 3, 31))),
        (date(2028, 4, 1), Cycle(date(2028, 4, 1), date(2031, 3, 31))),
        (date(2025, 3, 31), Cycle(date(2022, 4, 1), date(2025, 3, 31))),
        (date(2016, 4, 1), Cycle(date(2016, 4, 1), date(2019, 3, 31))),
    ],
)
def test_three_year_cycles_repeat_both_ways_from_the_start(day, expected):
    assert cpd.cycle_containing(rules(cycle_years=3, cycle_start=date(2025, 4, 1)), day) == expected


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2024, 2, 29), Cycle(date(2024, 2, 29), date(2025, 2, 27))),
        (date(2025, 2, 27), Cycle(date(2024, 2, 29), date(2025, 2, 27))),
        (date(2025, 2, 28), Cycle(date(2025, 2, 28), date(2026, 2, 27))),
        (date(2028, 2, 28), Cycle(date(2027, 2, 28), date(2028, 2, 28))),
        (date(2028, 2, 29), Cycle(date(2028, 2, 29), date(2029, 2, 27))),
    ],
)
def test_cycles_starting_on_29_february_come_back_to_it_in_leap_years(day, expected):
    assert cpd.cycle_containing(rules(cycle_start=date(2024, 2, 29)), day) == expected


def test_a_fixed_rule_set_has_one_cycle_whatever_the_day():
    fixed = rules(
        cycle_kind=CycleKind.FIXED, cycle_start=date(2025, 9, 1), cycle_end=date(2027, 6, 30)
    )
    for day in (date(2020, 1, 1), date(2026, 1, 1), date(2030, 1, 1)):
        assert cpd.cycle_containing(fixed, day) == Cycle(date(2025, 9, 1), date(2027, 6, 30))


def test_per_learner_cycles_run_from_the_day_the_learner_registered():
    per_learner = rules(cycle_years=3, per_learner=True)
    assert cpd.cycle_containing(
        per_learner, date(2026, 5, 1), registered_on=date(2024, 7, 15)
    ) == Cycle(date(2024, 7, 15), date(2027, 7, 14))
    # Without a registration date, from the rule set's start; a shared cycle ignores it.
    assert cpd.cycle_containing(per_learner, date(2026, 5, 1)) == Cycle(
        date(2026, 1, 1), date(2028, 12, 31)
    )
    assert cpd.cycle_containing(
        rules(cycle_years=3), date(2026, 5, 1), registered_on=date(2024, 7, 15)
    ) == Cycle(date(2026, 1, 1), date(2028, 12, 31))


def test_the_years_of_a_cycle_are_counted_from_its_start():
    three = rules(cycle_years=3, cycle_start=date(2024, 2, 29))
    cycle = cpd.cycle_containing(three, date(2025, 1, 1))
    assert cpd.years_of_cycle(three, cycle) == [
        Cycle(date(2024, 2, 29), date(2025, 2, 27)),
        Cycle(date(2025, 2, 28), date(2026, 2, 27)),
        Cycle(date(2026, 2, 28), date(2027, 2, 27)),
    ]
    fixed = rules(
        cycle_kind=CycleKind.FIXED, cycle_start=date(2025, 9, 1), cycle_end=date(2027, 6, 30)
    )
    assert cpd.years_of_cycle(fixed, cpd.cycle_containing(fixed, date(2026, 1, 1))) == [
        Cycle(date(2025, 9, 1), date(2026, 8, 31)),
        Cycle(date(2026, 9, 1), date(2027, 6, 30)),  # the last year is shorter
    ]


# --- days and time zones ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("moment", "zone", "expected"),
    [
        (datetime(2026, 12, 31, 23, 30, tzinfo=UTC), "Europe/Bucharest", date(2027, 1, 1)),
        (datetime(2026, 12, 31, 23, 30, tzinfo=UTC), "UTC", date(2026, 12, 31)),
        (datetime(2026, 12, 31, 23, 30, tzinfo=UTC), "America/New_York", date(2026, 12, 31)),
        (datetime(2027, 1, 1, 3, 30, tzinfo=UTC), "America/New_York", date(2026, 12, 31)),
        (datetime(2027, 1, 1, 3, 30, tzinfo=UTC), "UTC", date(2027, 1, 1)),
    ],
)
def test_a_certificate_counts_on_its_completion_day_in_the_rule_sets_time_zone(
    moment, zone, expected
):
    learner = UserFactory.build()
    completed = entry(learner, date(2026, 12, 31), occurred_at=moment)
    completed.source = CpdSource.CERTIFICATE
    assert cpd.local_day(completed, rules(time_zone=zone)) == expected


def test_an_external_activity_counts_on_its_date_in_every_time_zone():
    external = entry(UserFactory.build(), date(2026, 12, 31))
    for zone in ("Pacific/Kiritimati", "UTC", "America/New_York"):
        assert cpd.local_day(external, rules(time_zone=zone)) == date(2026, 12, 31)


def test_today_is_the_date_in_the_rule_sets_time_zone():
    now = datetime(2026, 12, 31, 23, 30, tzinfo=UTC)
    assert cpd.today_for(rules(time_zone="Europe/Bucharest"), now=now) == date(2027, 1, 1)
    assert cpd.today_for(rules(time_zone="America/New_York"), now=now) == date(2026, 12, 31)


@pytest.mark.parametrize(
    ("zone", "counted_in"),
    [("Europe/Bucharest", 2027), ("UTC", 2026), ("America/New_York", 2026)],
)
def test_a_late_evening_completion_counts_in_the_cycle_of_its_local_day(zone, counted_in):
    registration = registration_with((RequirementKind.HOURS, 1), time_zone=zone)
    moment = datetime(2026, 12, 31, 23, 30, tzinfo=UTC)
    completed = entry(registration.learner, date(2026, 12, 31), occurred_at=moment)
    for year in (2026, 2027):
        standing = cpd.standing(registration, today=date(year, 12, 31), entries=[completed])
        assert standing.cycle == Cycle(date(year, 1, 1), date(year, 12, 31))
        assert len(standing.lines) == (1 if year == counted_in else 0)


# --- values -----------------------------------------------------------------------------------


def test_values_are_hours_or_points_at_the_bodys_rate_to_the_hundredth():
    hours_body = AccreditingBodyFactory.build(cpd_unit=CpdUnit.HOURS)
    points_body = AccreditingBodyFactory.build(
        cpd_unit=CpdUnit.POINTS, points_per_hour=Decimal("1.5")
    )
    assert cpd.value_of(Decimal("2.5"), hours_body) == Decimal("2.50")
    assert cpd.value_of(Decimal("2.5"), points_body) == Decimal("3.75")
    assert cpd.value_of(Decimal("0.33"), points_body) == Decimal("0.50")  # 0.495, half up


# --- each kind of rule --------------------------------------------------------------------------


TODAY = date(2026, 6, 30)


def test_hours_in_the_cycle_unmet_say_how_many_more():
    registration = registration_with((RequirementKind.HOURS, 35))
    learner = registration.learner
    entries = [entry(learner, date(2026, 2, 1), "10"), entry(learner, date(2026, 3, 1), "12.5")]
    result = only_result(cpd.standing(registration, today=TODAY, entries=entries))
    assert result.label == "35 hours in the cycle"
    assert (result.required, result.achieved, result.met) == (Decimal(35), Decimal("22.5"), False)
    assert result.missing == "12.5 more hours"


def test_hours_in_the_cycle_met():
    registration = registration_with((RequirementKind.HOURS, 35))
    entries = [entry(registration.learner, date(2026, 2, 1), "35")]
    standing = cpd.standing(registration, today=TODAY, entries=entries)
    result = only_result(standing)
    assert (result.achieved, result.met, result.missing) == (Decimal(35), True, "")
    assert standing.met
    assert standing.missing == []
    assert standing.total == standing.total_hours == Decimal(35)


def test_a_points_body_counts_and_speaks_in_points():
    registration = registration_with(
        (RequirementKind.HOURS, 20), unit=CpdUnit.POINTS, points_per_hour=2
    )
    entries = [entry(registration.learner, date(2026, 2, 1), "9.5")]
    standing = cpd.standing(registration, today=TODAY, entries=entries)
    result = only_result(standing)
    assert standing.unit == CpdUnit.POINTS
    assert standing.lines[0].value == Decimal("19.00")
    assert standing.lines[0].hours == Decimal("9.5")
    assert result.label == "20 points in the cycle"
    assert result.achieved == Decimal(19)
    assert result.missing == "1 more point"


@pytest.mark.parametrize(
    ("activity_type", "counted"),
    [
        (CpdType.PARTICIPATORY, {"workshop"}),
        (CpdType.NON_PARTICIPATORY, {"course", "reading"}),
        (CpdType.STRUCTURED, {"course", "workshop"}),
        (CpdType.UNSTRUCTURED, {"reading"}),
        (CpdType.PLATFORM, {"course"}),
    ],
)
def test_hours_of_a_type_count_only_that_type(activity_type, counted):
    registration = registration_with(
        (RequirementKind.HOURS_OF_TYPE, 20, {"activity_type": activity_type})
    )
    learner = registration.learner
    hours = {"workshop": "3", "course": "4", "reading": "5"}
    entries = [
        entry(learner, date(2026, 2, 1), hours["workshop"], title="workshop",
              participatory=True, structured=True),
        CpdEntry(learner=learner, source=CpdSource.CERTIFICATE, title="course",
                 date=date(2026, 2, 2), hours=Decimal(hours["course"]), structured=True,
                 occurred_at=datetime(2026, 2, 2, 10, tzinfo=UTC)),
        entry(learner, date(2026, 2, 3), hours["reading"], title="reading"),
    ]  # fmt: skip
    result = only_result(cpd.standing(registration, today=TODAY, entries=entries))
    achieved = sum(Decimal(hours[name]) for name in counted)
    assert result.achieved == achieved
    assert not result.met
    label = CpdType(activity_type).label
    assert result.label == f"20 hours ({label}) in the cycle"
    assert result.missing == f"{20 - achieved} more hours ({label})"


def test_hours_of_a_type_met():
    registration = registration_with(
        (RequirementKind.HOURS_OF_TYPE, 20, {"activity_type": CpdType.PARTICIPATORY})
    )
    entries = [entry(registration.learner, date(2026, 2, 1), "20", participatory=True)]
    result = only_result(cpd.standing(registration, today=TODAY, entries=entries))
    assert (result.achieved, result.met, result.missing) == (Decimal(20), True, "")


@pytest.mark.parametrize(
    ("count", "missing"), [(0, "3 more entries"), (2, "1 more entry"), (3, ""), (4, "")]
)
def test_number_of_entries(count, missing):
    registration = registration_with((RequirementKind.ENTRIES, 3))
    entries = [entry(registration.learner, date(2026, 2, day)) for day in range(1, count + 1)]
    result = only_result(cpd.standing(registration, today=TODAY, entries=entries))
    assert result.label == "3 entries in the cycle"
    assert result.achieved == Decimal(count)
    assert result.met is (count >= 3)
    assert result.missing == missing


def test_reflections_need_both_what_was_learnt_and_its_impact():
    registration = registration_with((RequirementKind.REFLECTIONS, 2))
    learner = registration.learner
    entries = [
        entry(learner, date(2026, 2, 1), learning="Risk", impact="I ask earlier"),
        entry(learner, date(2026, 2, 2), learning="Only what I learnt"),
        entry(learner, date(2026, 2, 3), learning="  ", impact="blank learning"),
    ]
    result = only_result(cpd.standing(registration, today=TODAY, entries=entries))
    assert result.label == "2 entries with a written reflection in the cycle"
    assert (result.achieved, result.met) == (Decimal(1), False)
    assert result.missing == "1 more entry with a written reflection"
    entries[1].impact = "Now I plan visits differently"
    result = only_result(cpd.standing(registration, today=TODAY, entries=entries))
    assert (result.achieved, result.met, result.missing) == (Decimal(2), True, "")


@pytest.mark.parametrize(
    ("status", "counts"),
    [
        (DiscussionStatus.CONFIRMED, True),
        (DiscussionStatus.PENDING, False),
        (DiscussionStatus.DECLINED, False),
        (DiscussionStatus.NONE, False),
    ],
)
def test_only_a_confirmed_peer_discussion_counts(status, counts):
    registration = registration_with((RequirementKind.DISCUSSIONS, 1))
    peer = UserFactory()
    discussed = entry(
        registration.learner, date(2026, 2, 1), discussion_with=peer, discussion_status=status
    )
    result = only_result(cpd.standing(registration, today=TODAY, entries=[discussed]))
    assert result.label == "1 entry with a confirmed peer discussion in the cycle"
    assert result.met is counts
    assert result.achieved == Decimal(1 if counts else 0)
    assert result.missing == ("" if counts else "1 more entry with a confirmed peer discussion")


def test_the_longest_gap_while_met_says_when_the_next_entry_is_due():
    registration = registration_with((RequirementKind.MAX_GAP, 90))
    learner = registration.learner
    entries = [entry(learner, date(2026, 3, 1)), entry(learner, date(2026, 5, 15))]
    result = only_result(cpd.standing(registration, today=TODAY, entries=entries))
    assert result.label == "no more than 90 days without an entry"
    # 1 January → 1 March: 59 days; → 15 May: 75; → 30 June (today): 46.
    assert (result.achieved, result.met, result.missing) == (Decimal(75), True, "")
    assert result.due == date(2026, 8, 13)


def test_a_gap_between_entries_longer_than_allowed_is_unmet_for_the_cycle():
    registration = registration_with((RequirementKind.MAX_GAP, 60))
    learner = registration.learner
    entries = [
        entry(learner, date(2026, 1, 20)),
        entry(learner, date(2026, 4, 1)),
        entry(learner, date(2026, 6, 1)),
    ]
    result = only_result(cpd.standing(registration, today=TODAY, entries=entries))
    assert (result.achieved, result.met) == (Decimal(71), False)
    assert result.missing == "71 days without an entry, from 20 Jan 2026 to 1 Apr 2026"
    assert result.due is None


def test_a_gap_running_until_today_asks_for_an_activity_now():
    registration = registration_with((RequirementKind.MAX_GAP, 60))
    entries = [entry(registration.learner, date(2026, 2, 1))]
    result = only_result(cpd.standing(registration, today=TODAY, entries=entries))
    assert (result.achieved, result.met) == (Decimal(149), False)  # 1 February → 30 June
    assert result.missing == (
        "no entry since 1 Feb 2026: log an activity now (it was due by 2 Apr 2026)"
    )


def test_the_gap_counts_from_the_cycles_start_and_stops_at_its_end():
    registration = registration_with((RequirementKind.MAX_GAP, 30))
    learner = registration.learner
    # Nothing yet, 20 days into the cycle: met, the first entry due on 31 January.
    result = only_result(cpd.standing(registration, today=date(2026, 1, 21), entries=[]))
    assert (result.achieved, result.met, result.due) == (Decimal(20), True, date(2026, 1, 31))
    # Looking back at a past cycle: the gap ends on the cycle's last day, not today.
    entries = [entry(learner, date(2025, 1, 1) + timedelta(days=20 * k)) for k in range(18)]
    assert entries[-1].date == date(2025, 12, 7)
    past = cpd.evaluate(
        registration,
        cycle=Cycle(date(2025, 1, 1), date(2025, 12, 31)),
        today=date(2026, 6, 30),
        entries=entries,
    )
    result = only_result(past)
    assert (result.achieved, result.met) == (Decimal(24), True)  # 7 → 31 December
    assert result.due is None  # the cycle is over


# --- rules in each year of the cycle ------------------------------------------------------------


def per_year_registration():
    """Three-year cycles from 1 January 2025; 2 entries and 1 confirmed discussion each year."""
    return registration_with(
        (RequirementKind.ENTRIES, 2, {"period": RequirementPeriod.YEAR}),
        (RequirementKind.DISCUSSIONS, 1, {"period": RequirementPeriod.YEAR}),
        cycle_years=3,
        cycle_start=date(2025, 1, 1),
    )


def test_a_yearly_rule_reports_the_current_year_while_it_is_unmet():
    registration = per_year_registration()
    learner, peer = registration.learner, UserFactory()
    entries = [
        entry(learner, date(2025, 3, 1)),
        entry(learner, date(2025, 9, 1), discussion_with=peer,
              discussion_status=DiscussionStatus.CONFIRMED),
        entry(learner, date(2026, 2, 1)),
    ]  # fmt: skip
    standing = cpd.standing(registration, today=TODAY, entries=entries)
    assert standing.cycle == Cycle(date(2025, 1, 1), date(2027, 12, 31))
    entries_rule, discussions_rule = standing.results
    this_year = Cycle(date(2026, 1, 1), date(2026, 12, 31))
    assert entries_rule.label == "2 entries in each year of the cycle"
    assert (entries_rule.period, entries_rule.achieved, entries_rule.met) == (
        this_year, Decimal(1), False,
    )  # fmt: skip
    assert entries_rule.missing == "1 more entry by 31 Dec 2026"
    assert (discussions_rule.period, discussions_rule.achieved) == (this_year, Decimal(0))
    assert discussions_rule.missing == (
        "1 more entry with a confirmed peer discussion by 31 Dec 2026"
    )
    assert standing.missing == [entries_rule.missing, discussions_rule.missing]


def test_a_year_that_ended_unmet_stays_unmet_and_is_reported_first():
    registration = per_year_registration()
    learner = registration.learner
    entries = [
        entry(learner, date(2025, 3, 1)),
        *(entry(learner, date(2026, 2, d)) for d in (1, 2)),
    ]
    result = cpd.standing(registration, today=TODAY, entries=entries).results[0]
    assert result.period == Cycle(date(2025, 1, 1), date(2025, 12, 31))
    assert (result.achieved, result.met) == (Decimal(1), False)
    assert result.missing == "in the year that ended on 31 Dec 2025: 1 more entry"


def test_years_that_ended_before_the_person_registered_are_not_required():
    registration = per_year_registration()
    registration.registered_on = date(2026, 3, 15)  # in the cycle's second year
    learner = registration.learner
    entries = [entry(learner, date(2026, 4, day)) for day in (1, 2)]
    result = cpd.standing(registration, today=TODAY, entries=entries).results[0]
    assert (result.met, result.missing) == (True, "")
    assert result.period == Cycle(date(2026, 1, 1), date(2026, 12, 31))
    registration.registered_on = date(2025, 12, 31)  # the first year's last day: it counts
    result = cpd.standing(registration, today=TODAY, entries=entries).results[0]
    assert result.missing == "in the year that ended on 31 Dec 2025: 2 more entries"


def test_a_yearly_rule_met_in_every_year_so_far_is_met_and_later_years_wait():
    registration = per_year_registration()
    learner = registration.learner
    entries = [entry(learner, date(year, 3, day)) for year in (2025, 2026) for day in (1, 2)]
    result = cpd.standing(registration, today=TODAY, entries=entries).results[0]
    # 2027 has not begun: not evaluated.
    assert (result.met, result.missing) == (True, "")
    assert (result.period, result.achieved) == (Cycle(date(2026, 1, 1), date(2026, 12, 31)), 2)


# --- what counts --------------------------------------------------------------------------------


def test_entries_on_the_cycles_first_and_last_day_count_and_those_outside_do_not():
    registration = registration_with((RequirementKind.ENTRIES, 10))
    learner = registration.learner
    days = [date(2025, 12, 31), date(2026, 1, 1), date(2026, 12, 31), date(2027, 1, 1)]
    standing = cpd.standing(
        registration, today=date(2026, 12, 31), entries=[entry(learner, d) for d in days]
    )
    assert [line.day for line in standing.lines] == [date(2026, 1, 1), date(2026, 12, 31)]


def test_entries_dated_after_today_do_not_count_yet():
    registration = registration_with((RequirementKind.HOURS, 4))
    learner = registration.learner
    entries = [entry(learner, date(2026, 6, 30)), entry(learner, date(2026, 7, 1))]
    standing = cpd.standing(registration, today=TODAY, entries=entries)
    assert [line.day for line in standing.lines] == [date(2026, 6, 30)]
    assert only_result(standing).missing == "2 more hours"
    later = cpd.standing(registration, today=date(2026, 7, 1), entries=entries)
    assert later.met


def test_another_learners_entries_never_count():
    registration = registration_with((RequirementKind.ENTRIES, 1))
    standing = cpd.standing(
        registration, today=TODAY, entries=[entry(UserFactory(), date(2026, 2, 1))]
    )
    assert standing.lines == ()
    assert not standing.met


def test_a_standing_reads_the_learners_entries_from_the_database(django_assert_num_queries):
    registration = registration_with((RequirementKind.HOURS, 3))
    CpdEntryFactory(learner=registration.learner, date=date(2026, 2, 1))
    CpdEntryFactory(learner=registration.learner, date=date(2025, 2, 1))  # the previous cycle
    CpdEntryFactory(date=date(2026, 2, 1))  # someone else's
    registration = cpd.registrations_for([registration.learner]).get()
    with django_assert_num_queries(1):
        standing = cpd.standing(registration, today=TODAY)
    assert [line.day for line in standing.lines] == [date(2026, 2, 1)]
    assert only_result(standing).missing == "1 more hour"
    assert standing.days_left == (date(2026, 12, 31) - TODAY).days


def test_without_today_the_cycle_is_the_current_one_in_the_rule_sets_zone():
    registration = registration_with((RequirementKind.HOURS, 3))
    standing = cpd.standing(registration, entries=[])
    assert standing.today == cpd.today_for(registration.rule_set)
    assert standing.today in standing.cycle
    assert abs(standing.today - timezone.localdate()) <= timedelta(days=1)


# --- teams ----------------------------------------------------------------------------------------


def test_a_teams_standings_take_a_fixed_number_of_queries(django_assert_max_num_queries):
    first = registration_with(
        (RequirementKind.HOURS, 35),
        (RequirementKind.HOURS_OF_TYPE, 20, {"activity_type": CpdType.PARTICIPATORY}),
        cycle_years=3,
        cycle_start=date(2025, 1, 1),
    )
    second = registration_with(
        (RequirementKind.ENTRIES, 2, {"period": RequirementPeriod.YEAR}),
        (RequirementKind.DISCUSSIONS, 1, {"period": RequirementPeriod.YEAR}),
        time_zone="America/New_York",
    )
    learners = UserFactory.create_batch(500)
    CpdRegistration.objects.bulk_create(
        CpdRegistration(learner=learner, rule_set=rule_set, registered_on=date(2025, 1, 1))
        for learner in learners
        for rule_set in (first.rule_set, second.rule_set)
    )
    CpdEntry.objects.bulk_create(
        entry(learner, date(2026, 1 + i % 6, 1 + i % 28), participatory=i % 2 == 0)
        for i, learner in enumerate(learners)
        for _ in range(3)
    )
    with django_assert_max_num_queries(3):
        standings = cpd.standings_for(
            cpd.registrations_for([first.learner, second.learner, *learners]), today=TODAY
        )
    assert len(standings) == 1002
    by_learner = {(s.registration.learner_id, s.rule_set.pk): s for s in standings}
    sample = by_learner[(learners[0].pk, first.rule_set.pk)]
    assert len(sample.lines) == 3
    assert sample.total == Decimal(6)
    assert [r.achieved for r in sample.results] == [Decimal(6), Decimal(6)]
    new_york = by_learner[(learners[1].pk, second.rule_set.pk)]
    assert new_york.results[0].achieved == Decimal(3)
    assert new_york.results[0].met


def test_standings_for_a_list_load_what_is_missing_once(django_assert_num_queries):
    registrations = [
        registration_with((RequirementKind.HOURS, 1)),
        registration_with((RequirementKind.ENTRIES, 1)),
    ]
    plain = [CpdRegistration.objects.get(pk=r.pk) for r in registrations]
    # Rule sets, bodies, requirements, entries.
    with django_assert_num_queries(4):
        standings = cpd.standings_for(plain, today=TODAY)
    assert [s.results[0].requirement.kind for s in standings] == ["hours", "entries"]
