"""Competence profile, gap analysis and team matrix benchmark (not a test).

Builds, in the database DATABASE_URL names (migrated first; its data is replaced): a home
framework of N competences, a second country's framework crosswalked to it one to one
(exactMatchOf), courses each aligned to five competences of either framework, a role profile,
and learners with completion records. Then times the selectors and counts their queries.

    DATABASE_URL=postgres://root@127.0.0.1:5432/benchcomp python bench/competences.py
"""

import argparse
import os
import random
import statistics
import sys
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from courses.models import Course, CourseStatus  # noqa: E402
from frameworks.models import (  # noqa: E402
    Alignment,
    Association,
    Competence,
    Framework,
    ProficiencyLevel,
    RoleProfile,
    RoleTarget,
)
from frameworks.selectors import competence_profile, gap_analysis, team_matrix  # noqa: E402
from lms.models import User  # noqa: E402
from progress.models import CompletionRecord  # noqa: E402


def build(competences: int, courses: int, learners: int, records: int) -> RoleProfile:
    rng = random.Random(7)
    for model in (CompletionRecord, Alignment, RoleProfile, Association, Framework, Course):
        model.objects.all().delete()
    User.objects.filter(email__endswith="@bench.test").delete()
    home, abroad = (
        Framework.objects.create(identifier=uuid.uuid4(), title=title, language="en")
        for title in ("Home", "Abroad")
    )
    for framework in (home, abroad):
        ProficiencyLevel.objects.bulk_create(
            [ProficiencyLevel(framework=framework, rank=r, name={"en": f"L{r}"}) for r in (1, 2, 3, 4)]
        )  # fmt: skip
    items = {
        framework: Competence.objects.bulk_create(
            [
                Competence(framework=framework, identifier=uuid.uuid4(), human_coding_scheme=f"{i}",
                           full_statement={"en": f"Competence {i}"}, order=i)
                for i in range(competences)
            ]
        )
        for framework in (home, abroad)
    }  # fmt: skip
    Association.objects.bulk_create(
        [
            Association(identifier=uuid.uuid4(), framework=abroad, association_type="exactMatchOf",
                        origin_identifier=b.identifier, origin={}, destination_identifier=a.identifier,
                        destination={})
            for a, b in zip(items[home], items[abroad], strict=True)
        ]
    )  # fmt: skip
    course_rows = Course.objects.bulk_create(
        [
            Course(slug=f"bench-{i}", activity_iri=f"urn:bench:{i}", title={"en": f"Course {i}"},
                   status=CourseStatus.PUBLISHED, estimated_minutes=rng.choice([30, 60, 120]))
            for i in range(courses)
        ]
    )  # fmt: skip
    Alignment.objects.bulk_create(
        [
            Alignment(course=course, competence=rng.choice(items[rng.choice([home, abroad])]),
                      level=rng.randint(1, 4))
            for course in course_rows
            for _ in range(5)
        ],
        ignore_conflicts=True,
    )  # fmt: skip
    role = RoleProfile.objects.create(slug="bench", framework=home, name={"en": "Bench role"})
    RoleTarget.objects.bulk_create(
        [RoleTarget(profile=role, competence=c, level=rng.randint(1, 4))
         for c in rng.sample(items[home], 50)]
    )  # fmt: skip
    users = User.objects.bulk_create(
        [User(email=f"l{i}@bench.test", display_name=f"L{i}") for i in range(learners)]
    )
    now = datetime.now(UTC)
    CompletionRecord.objects.bulk_create(
        [
            CompletionRecord(learner=user, course=course, registration=uuid.uuid4(),
                             completed_at=now, evidence=[])
            for user in users
            for course in rng.sample(course_rows, records)
        ]
    )  # fmt: skip
    return role


def timed(label: str, function, repeat: int) -> None:
    times = []
    with CaptureQueriesContext(connection) as queries:
        function()
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append((time.perf_counter() - start) * 1000)
    print(
        f"{label}: median {statistics.median(times):.1f} ms, "
        f"max {max(times):.1f} ms, {len(queries)} queries"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--competences", type=int, default=1000)
    parser.add_argument("--courses", type=int, default=500)
    parser.add_argument("--learners", type=int, default=500)
    parser.add_argument("--records", type=int, default=20, help="completions per learner")
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    start = time.perf_counter()
    role = build(args.competences, args.courses, args.learners, args.records)
    print(
        f"built: 2 x {args.competences:,} competences crosswalked, {args.courses:,} courses x 5 "
        f"alignments, {args.learners:,} learners x {args.records} completions "
        f"in {time.perf_counter() - start:.1f} s"
    )
    learners = list(User.objects.filter(email__endswith="@bench.test").order_by("pk"))
    home = role.framework
    abroad = Framework.objects.get(title="Abroad")
    timed("profile, one learner, home framework", lambda: competence_profile(learners[0], home), 30)
    timed("profile, one learner, through the crosswalk", lambda: competence_profile(learners[0], abroad), 30)  # fmt: skip
    timed("gap analysis against a 50-competence role", lambda: gap_analysis(learners[0], role), 30)
    timed(f"team matrix, {len(learners):,} members x 50", lambda: team_matrix(learners, profile=role), 5)  # fmt: skip
    timed("team matrix, 25 members x 50", lambda: team_matrix(learners[:25], profile=role), 30)


if __name__ == "__main__":
    main()
