"""Organisation report benchmark (not a test): 5,000 members x 20 courses by default.

Builds, in the database DATABASE_URL names (migrated first; its bench data is replaced), one
organisation with units, members enrolled in every course (about 40 % completed, 30 % half-way,
30 % not started), assignments with due dates; then times the team report's data (a page of 50,
and every member), the HTML page as the admin gets it, and each export, with the queries counted
and the memory the XLSX writer takes on top of the data.

    DATABASE_URL=postgres://root@127.0.0.1:5432/benchreports SECRET_KEY=... \
      ALLOWED_HOSTS=localhost,testserver STATICFILES_MANIFEST=false python bench/reports.py

(``--reuse`` times the data a previous run built.)
"""

import argparse
import io
import os
import random
import statistics
import sys
import time
import tracemalloc
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402

from courses.models import Course, CourseStatus, CourseUnit, Enrolment, UnitKind  # noqa: E402
from lms.models import User  # noqa: E402
from organisations.core import services  # noqa: E402
from organisations.core.scope import scope_for  # noqa: E402
from organisations.models import (  # noqa: E402
    CourseAssignment,
    Membership,
    MembershipRole,
    Organisation,
    UnitMembership,
)
from organisations.reports import render  # noqa: E402
from organisations.reports.selectors import TeamFilters, team_overview, team_progress  # noqa: E402
from organisations.reports.types import TeamReport  # noqa: E402
from progress.models import CompletionRecord, UnitProgress  # noqa: E402

UNITS_PER_COURSE = 3


def build(members: int, courses: int) -> User:
    rng = random.Random(11)
    call_command("flush", interactive=False, verbosity=0)  # the bench database is its own
    organisation = Organisation.objects.create(name="Bench organisation", slug="bench-reports")
    admin = User.objects.create(email="admin@bench-reports.test", display_name="Bench admin")
    services.set_membership(organisation=organisation, user=admin, role=MembershipRole.ADMIN)
    units = [services.create_unit(organisation=organisation, name=f"Team {i}") for i in range(10)]
    users = User.objects.bulk_create(
        [User(email=f"m{i}@bench-reports.test", display_name=f"Member {i:05d}",
              profession=rng.choice(["social_worker", "psychologist", "teacher"]),
              country=rng.choice(["RO", "RS", "BG"]))
         for i in range(members)]
    )  # fmt: skip
    Membership.objects.bulk_create([Membership(organisation=organisation, user=u) for u in users])
    UnitMembership.objects.bulk_create(
        [UnitMembership(unit=units[i % len(units)], user=u) for i, u in enumerate(users)]
    )
    course_rows = Course.objects.bulk_create(
        [Course(slug=f"bench-report-{i}", activity_iri=f"urn:bench-report:{i}",
                title={"en": f"Course {i:02d}"}, status=CourseStatus.PUBLISHED, cpd_hours=2)
         for i in range(courses)]
    )  # fmt: skip
    course_units = {
        c.pk: CourseUnit.objects.bulk_create(
            [CourseUnit(course=c, index=i, kind=UnitKind.LINK, activity_iri=f"{c.activity_iri}/{i}",
                        title={"en": f"Part {i}"}, url="https://example.org/")
             for i in range(UNITS_PER_COURSE)]
        )
        for c in course_rows
    }  # fmt: skip
    now = datetime.now(UTC)
    enrolments = Enrolment.objects.bulk_create(
        [Enrolment(course=c, learner=u) for u in users for c in course_rows], batch_size=5000
    )
    progress, records, assignments = [], [], []
    for enrolment in enrolments:
        state = rng.random()
        done = UNITS_PER_COURSE if state < 0.4 else (1 if state < 0.7 else 0)
        for unit in course_units[enrolment.course_id][:done]:
            progress.append(UnitProgress(enrolment=enrolment, unit=unit, completed=True,
                                         satisfied=True, last_activity_at=now))  # fmt: skip
        if done == UNITS_PER_COURSE:
            records.append(CompletionRecord(learner_id=enrolment.learner_id,
                                            course_id=enrolment.course_id,
                                            registration=enrolment.registration,
                                            completed_at=now - timedelta(days=rng.randint(0, 300)),
                                            score_scaled=rng.randint(50, 100) / 100, evidence=[]))  # fmt: skip
        if rng.random() < 0.2:
            assignments.append(CourseAssignment(organisation=organisation,
                                                member_id=enrolment.learner_id,
                                                course_id=enrolment.course_id,
                                                due_on=now.date() + timedelta(days=rng.randint(-60, 60))))  # fmt: skip
    UnitProgress.objects.bulk_create(progress, batch_size=5000)
    CompletionRecord.objects.bulk_create(records, batch_size=5000)
    CourseAssignment.objects.bulk_create(assignments, batch_size=5000)
    with connection.cursor() as cursor:  # fresh statistics, as autovacuum would give them
        cursor.execute("ANALYZE")
    print(
        f"built: {members:,} members x {courses} courses: {len(enrolments):,} enrolments, "
        f"{len(progress):,} unit progress rows, {len(records):,} completions, "
        f"{len(assignments):,} assignments"
    )
    return admin


def timed(label: str, function, repeat: int, *, count: bool = True) -> object:
    with CaptureQueriesContext(connection) as queries:
        result = function()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append((time.perf_counter() - start) * 1000)
    # A request resets the query log (request_started), so requests are not counted here; the
    # page's query count is pinned by tests/organisations/test_report_pages.py.
    counted = f", {len(queries)} queries" if count else ""
    print(f"{label}: median {statistics.median(times):.0f} ms, max {max(times):.0f} ms{counted}")
    return result


def xlsx_memory(report) -> float:
    """Peak memory (MiB) the XLSX writer allocates on top of the report's data."""
    tracemalloc.start()
    out = io.BytesIO()
    render.team_xlsx(report, out)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return (peak - len(out.getvalue())) / 2**20


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--members", type=int, default=5000)
    parser.add_argument("--courses", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument(
        "--reuse", action="store_true", help="time the data a previous run built (no rebuild)"
    )
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    start = time.perf_counter()
    if args.reuse:
        admin = User.objects.get(email="admin@bench-reports.test")
    else:
        admin = build(args.members, args.courses)
        print(f"(built in {time.perf_counter() - start:.1f} s)")
    organisation = Organisation.objects.get(slug="bench-reports")
    scope = scope_for(admin, organisation)
    filters = TeamFilters()
    timed("team overview (columns and summaries over every member)",
          lambda: team_overview(scope, filters), args.repeat)  # fmt: skip
    overview = team_overview(scope, filters)
    timed("team report data, a page of 50 (overview cached)",
          lambda: team_progress(scope, limit=50, overview=overview), args.repeat)  # fmt: skip
    timed("team report data, a page of 50 (overview counted)",
          lambda: team_progress(scope, limit=50), args.repeat)  # fmt: skip
    report: TeamReport = timed(  # type: ignore[assignment]
        f"team report data, all {args.members:,} members", lambda: team_progress(scope), args.repeat
    )
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    client = Client()
    client.force_login(admin)
    url = reverse("organisations:team-report", args=[organisation.public_id])
    page = client.get(url, secure=True)
    if page.status_code != 200:
        raise SystemExit(f"the report page answered {page.status_code}")
    print(f"HTML page weight: {len(page.content) / 1024:.0f} KB")
    timed(
        "HTML report page (50 members), whole request",
        lambda: client.get(url, secure=True),
        args.repeat,
        count=False,
    )
    timed(
        "HTML report page 40 of 100",
        lambda: client.get(url, {"page": 40}, secure=True),
        args.repeat,
        count=False,
    )
    timed("CSV, every member (rendering)", lambda: "".join(render.team_csv(report)), 3)
    timed("XLSX, every member (rendering, write-only)",
          lambda: render.team_xlsx(report, io.BytesIO()), 3)  # fmt: skip
    timed("XLSX, every member, data and rendering as the worker does",
          lambda: render.team_xlsx(team_progress(scope), io.BytesIO()), 1)  # fmt: skip
    timed("PDF, every member (rendering)", lambda: render.team_pdf(report), 1)
    small = team_progress(scope, limit=args.members // 10)
    print(
        f"XLSX writer's peak memory: {xlsx_memory(small):.1f} MiB for {len(small.rows):,} members, "
        f"{xlsx_memory(report):.1f} MiB for {len(report.rows):,}"
    )


if __name__ == "__main__":
    main()
