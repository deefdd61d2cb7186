"""The reports' data: each cell, the summaries, filters, scope, and a query count that does not
grow with the members."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone

from certificates.credentials.services import issue_certificate, revoke_certificate
from certificates.models import Certificate, CertificateStatus
from frameworks.models import RoleProfile, RoleTarget
from frameworks.services import align
from organisations.core import services
from organisations.core.scope import scope_for
from organisations.reports.selectors import TeamFilters, team_progress
from organisations.reports.summaries import competence_coverage, organisation_summary
from organisations.reports.types import CellStatus
from progress.models import CompletionRecord
from tests.certificates.factories import make_record
from tests.frameworks.factories import CompetenceFactory, FrameworkFactory
from tests.lms.factories import UserFactory
from tests.organisations.conftest import mark_done
from tests.organisations.factories import make_member

pytestmark = pytest.mark.django_db


def _grid(report):
    """{member name: {column title: cell}}."""
    return {
        row.name: {c.title: cell for c, cell in zip(report.columns, row.cells, strict=True)}
        for row in report.rows
    }


def test_each_cell_says_status_percent_score_due_and_overdue(world, learning):
    report = team_progress(scope_for(world.admin, world.org))
    grid = _grid(report)
    safeguarding, interviewing = "Course safeguarding", "Course interviewing"
    assert [c.title for c in report.columns] == [
        "Course interviewing", "Course safeguarding", "Journey foundations",
    ]  # fmt: skip
    ann = grid["Ann Ionescu"][safeguarding]
    assert (ann.status, ann.percent, ann.overdue) == (CellStatus.COMPLETED, 100, False)
    assert ann.completed_on == timezone.localdate()
    assert grid["Ann Ionescu"]["Journey foundations"].status == CellStatus.COMPLETED
    bob = grid["Bob Petrović"][safeguarding]
    assert (bob.status, bob.percent, bob.completed_on) == (CellStatus.IN_PROGRESS, 50, None)
    bob_next = grid["Bob Petrović"][interviewing]
    assert bob_next.status == CellStatus.ASSIGNED
    assert bob_next.due_on == timezone.localdate() + timedelta(days=30)
    assert not bob_next.overdue
    cat = grid["Cat Popa"][safeguarding]
    assert (cat.status, cat.overdue) == (CellStatus.ASSIGNED, True)
    assert grid["Cat Popa"][interviewing] is None
    assert grid["Ada Admin"][safeguarding] is None


def test_the_summaries_count_every_selected_member(world, learning):
    report = team_progress(scope_for(world.admin, world.org), limit=1)
    assert len(report.rows) == 1
    assert report.total_members == 7
    by_title = {s.column.title: s for s in report.summaries}
    safeguarding = by_title["Course safeguarding"]
    assert (safeguarding.assigned, safeguarding.completed, safeguarding.in_progress) == (3, 1, 1)
    assert (safeguarding.not_started, safeguarding.overdue) == (1, 1)
    journey = by_title["Journey foundations"]
    assert (journey.assigned, journey.completed, journey.column.cpd_hours) == (1, 1, Decimal(4))


def test_a_completion_after_the_due_date_is_not_overdue(world, learning):
    mark_done(world.cat, learning.safeguarding)
    cat = _grid(team_progress(scope_for(world.admin, world.org)))["Cat Popa"]
    assert cat["Course safeguarding"].status == CellStatus.COMPLETED
    assert not cat["Course safeguarding"].overdue


def test_a_supervisor_sees_only_their_subtree(world, learning):
    report = team_progress(scope_for(world.b_lead, world.org))
    assert {r.name for r in report.rows} == {"Bea Lead", "Bob Petrović"}
    assert report.total_members == 2
    completed = {s.column.title: s.completed for s in report.summaries}
    assert completed["Course safeguarding"] == 0  # Ann's completion is outside the scope


def test_filters_by_unit_profession_and_country(world, learning):
    scope = scope_for(world.admin, world.org)
    by_unit = team_progress(scope, TeamFilters(unit=world.north))
    assert {r.name for r in by_unit.rows} == {
        "Ann Ionescu",
        "Bob Petrović",
        "Bea Lead",
        "Nora North",
    }
    by_profession = team_progress(scope, TeamFilters(profession="social_worker"))
    assert {r.name for r in by_profession.rows} == {"Ann Ionescu", "Cat Popa"}
    by_country = team_progress(scope, TeamFilters(country="RS"))
    assert [r.name for r in by_country.rows] == ["Bob Petrović"]
    assert by_country.filters == (("Country", "RS"),)
    assert [r.units for r in by_country.rows] == [("Team B",)]


def test_the_profession_on_the_membership_wins_over_the_profile(world, learning):
    services.set_membership(organisation=world.org, user=world.cat, profession="teacher")
    report = team_progress(scope_for(world.admin, world.org), TeamFilters(profession="teacher"))
    assert [(r.name, r.profession) for r in report.rows] == [("Cat Popa", "Teacher")]


def test_the_team_report_takes_the_same_queries_for_more_members(
    world, learning, django_assert_num_queries
):
    scope = scope_for(world.admin, world.org)
    with django_assert_num_queries(20) as small:
        team_progress(scope)
    for _ in range(10):
        member = make_member(world.org, user=UserFactory()).user
        mark_done(member, learning.interviewing, units=1)
        services.set_unit_membership(unit=world.team_a, user=member)
    with django_assert_num_queries(len(small.captured_queries)):
        report = team_progress(scope)
    assert report.total_members == 17


@pytest.fixture
def clock(request):
    """The clock stands at ``request.param`` (and ticks) while the world is built and read."""
    with time_machine.travel(request.param, tick=True):
        yield


# The day the old window (first of the month - 335 days) left the current month out, the last
# day of a month, 29 February and the last half hour of a year, in UTC.
AWKWARD_INSTANTS = [
    datetime(2026, 12, 7, 10, 0, tzinfo=UTC),
    datetime(2027, 1, 31, 22, 30, tzinfo=UTC),
    datetime(2028, 2, 29, 12, 0, tzinfo=UTC),
    datetime(2026, 12, 31, 23, 30, tzinfo=UTC),
]


@pytest.mark.parametrize("clock", AWKWARD_INSTANTS, indirect=True, ids=str)
def test_the_organisation_summary(clock, world, learning, django_assert_max_num_queries):
    with django_assert_max_num_queries(11):
        summary = organisation_summary(scope_for(world.admin, world.org))
    assert (summary.members, summary.enrolments, summary.completions) == (7, 2, 1)
    assert summary.cpd_hours == Decimal(4)
    assert summary.certificates == 0
    today = timezone.localdate()
    year, month, expected = today.year, today.month, []
    for _ in range(12):
        expected.insert(0, date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    assert [m.month for m in summary.months] == expected
    this_month = summary.months[-1]
    assert this_month.month == today.replace(day=1)
    assert (this_month.enrolments, this_month.completions) == (2, 1)
    assert summary.courses[0].title == "Course safeguarding"
    assert summary.courses[0].completions == 1


def test_the_organisation_summary_counts_the_members_certificates_in_force(world, learning):
    staff = UserFactory(is_staff=True)
    in_force = issue_certificate(
        record=CompletionRecord.objects.get(learner=world.ann, course=learning.safeguarding),
        by=staff,
    )
    revoked = issue_certificate(record=make_record(learner=world.bob), by=staff)
    revoke_certificate(certificate=revoked, reason="Records falsified", by=staff)
    expired = issue_certificate(record=make_record(learner=world.cat), by=staff)
    Certificate.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - timedelta(days=1))
    lasting = issue_certificate(record=make_record(learner=world.cat), by=staff)
    Certificate.objects.filter(pk=lasting.pk).update(expires_at=timezone.now() + timedelta(days=1))
    issue_certificate(record=make_record(learner=world.dan), by=staff)  # another organisation
    summary = organisation_summary(scope_for(world.admin, world.org))
    assert in_force.status == CertificateStatus.VALID
    assert summary.certificates == 2  # Ann's, and Cat's that has not expired yet


def test_competence_coverage_against_a_role_profile(world, learning):
    framework = FrameworkFactory(levels=["Basic", "Advanced"])
    first, second = CompetenceFactory(framework=framework), CompetenceFactory(framework=framework)
    align(course=learning.safeguarding, competence=first, level=2)
    profile = RoleProfile.objects.create(slug="worker", framework=framework, name={"en": "Worker"})
    RoleTarget.objects.create(profile=profile, competence=first, level=1)
    RoleTarget.objects.create(profile=profile, competence=second, level=1)
    report = competence_coverage(scope_for(world.north_lead, world.org), profile)
    assert report.role_profile == "Worker"
    assert [c.target for c in report.columns] == ["Basic", "Basic"]
    rows = {r.name: r for r in report.rows}
    assert rows["Ann Ionescu"].levels == ("Advanced", "")
    assert rows["Ann Ionescu"].met == (True, False)
    assert rows["Bob Petrović"].met == (False, False)
    assert report.covered == (1, 0)
    assert "Cat Popa" not in rows


def test_a_valid_certificate_shows_its_serial_in_the_cell(world, learning):
    from certificates.models import Certificate
    from progress.models import CompletionRecord

    record = CompletionRecord.objects.get(learner=world.ann, course=learning.safeguarding)
    Certificate.objects.create(
        serial="PRA-2026-000042", verification_code="code-42", record=record,
        learner=world.ann, issued_at=timezone.now(), language="en", snapshot={}, status_index=42,
    )  # fmt: skip
    grid = _grid(team_progress(scope_for(world.admin, world.org)))
    assert grid["Ann Ionescu"]["Course safeguarding"].certificate == "PRA-2026-000042"
    assert grid["Ann Ionescu"]["Journey foundations"].certificate == ""
