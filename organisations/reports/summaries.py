"""The organisation's summary over twelve months and the competence coverage of a team against
a role profile, read in a fixed number of queries (organisations/reports/selectors.py has the team
report)."""

from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Count, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from certificates.api import certificates_in_force
from courses.models import (
    Course,
    Enrolment,
)
from frameworks.api import level_names, team_matrix
from frameworks.models import RoleProfile
from lms.api import last_months, pick_language
from organisations.core.scope import Scope
from organisations.reports.selectors import TeamFilters, filtered_memberships
from organisations.reports.types import (
    CourseFigures,
    CoverageColumn,
    CoverageReport,
    CoverageRow,
    MonthFigures,
    OrganisationSummary,
    PoolUse,
)
from organisations.seats.selectors import seat_pools_with_use
from progress.models import CompletionRecord

NO_FILTERS = TeamFilters()  # every member of the scope


def organisation_summary(
    scope: Scope, *, language: str = "en", today: date | None = None
) -> OrganisationSummary:
    """Enrolments, completions, CPD hours, certificates in force and seat use of the whole
    organisation (nine queries)."""
    today = today or timezone.localdate()
    member_ids = scope.memberships().values("user_id")
    members = scope.memberships().count()
    enrolments = Enrolment.objects.filter(learner_id__in=member_ids)
    records = CompletionRecord.objects.filter(learner_id__in=member_ids, course__isnull=False)
    totals = records.aggregate(n=Count("id"), hours=Sum("course__cpd_hours"))
    # The twelve calendar months ending with the current one, whatever day of it today is.
    first_days = last_months(today, 12)
    start = first_days[0]
    enrolled_by_month = {
        _month_key(month): n
        for month, n in enrolments.filter(enrolled_at__date__gte=start)
        .annotate(month=TruncMonth("enrolled_at"))
        .values("month")
        .annotate(n=Count("id"))
        .values_list("month", "n")
    }
    done_by_month = {
        _month_key(month): (n, hours)
        for month, n, hours in records.filter(completed_at__date__gte=start)
        .annotate(month=TruncMonth("completed_at"))
        .values("month")
        .annotate(n=Count("id"), hours=Sum("course__cpd_hours"))
        .values_list("month", "n", "hours")
    }
    months = []
    for month in first_days:
        key = (month.year, month.month)
        completions, hours = done_by_month.get(key, (0, None))
        months.append(
            MonthFigures(
                month=month,
                enrolments=enrolled_by_month.get(key, 0),
                completions=completions,
                cpd_hours=hours or Decimal(0),
            )
        )
    per_course = (
        Course.objects.filter(enrolments__learner_id__in=member_ids)
        .annotate(
            enrolled=Count("enrolments", distinct=True),
        )
        .only("pk", "title", "cpd_hours")
    )
    completions_per_course = dict(
        records.values("course_id").annotate(n=Count("id")).values_list("course_id", "n")
    )
    courses = sorted(
        (
            CourseFigures(
                title=pick_language(c.title, language),
                enrolments=c.enrolled,
                completions=completions_per_course.get(c.pk, 0),
                cpd_hours=c.cpd_hours * completions_per_course.get(c.pk, 0),
            )
            for c in per_course
        ),
        key=lambda f: (-f.completions, -f.enrolments, f.title.casefold()),
    )
    pools = tuple(
        PoolUse(pool.name, pool.seats, used, pool.valid_until)
        for pool, used in seat_pools_with_use(scope.organisation)
    )
    return OrganisationSummary(
        organisation=scope.organisation.name,
        generated_at=timezone.now(),
        members=members,
        enrolments=enrolments.count(),
        completions=totals["n"] or 0,
        cpd_hours=totals["hours"] or Decimal(0),
        certificates=certificates_in_force().filter(learner_id__in=member_ids).count(),
        seat_pools=pools,
        months=tuple(months),
        courses=tuple(courses),
    )


def _month_key(moment: Any) -> tuple[int, int]:
    """(year, month) of a TruncMonth value (aware in the current time zone on PostgreSQL)."""
    local = timezone.localtime(moment) if getattr(moment, "tzinfo", None) else moment
    return (local.year, local.month)


def competence_coverage(
    scope: Scope,
    profile: RoleProfile,
    filters: TeamFilters = NO_FILTERS,
    *,
    language: str = "en",
) -> CoverageReport:
    """The selected members against a role profile: the level each reached in each competence
    it asks for, and whether it meets the target (a fixed number of queries)."""
    members = [
        m.user
        for m in filtered_memberships(scope, filters)
        .select_related("user")
        .order_by("user__display_name", "user_id")
    ]
    matrix = team_matrix(members, profile=profile, language=language)
    names = level_names([matrix.framework.pk])

    def level(rank: int) -> str:
        found = names.get((matrix.framework.pk, rank))
        return found.name_in(language) if found else (str(rank) if rank else "")

    columns = tuple(
        CoverageColumn(
            code=c.human_coding_scheme,
            title=c.abbreviated_statement or pick_language(c.full_statement, language),
            target=level(target),
        )
        for c, target in zip(matrix.columns, matrix.targets, strict=True)
    )
    rows = tuple(
        CoverageRow(
            name=row.learner.display_name,
            levels=tuple(level(rank) for rank in row.levels),
            met=tuple(
                rank >= target > 0 for rank, target in zip(row.levels, matrix.targets, strict=True)
            ),
        )
        for row in matrix.rows
    )
    return CoverageReport(
        organisation=scope.organisation.name,
        generated_at=timezone.now(),
        framework=matrix.framework.title,
        role_profile=profile.name_in(language),
        columns=columns,
        rows=rows,
    )
