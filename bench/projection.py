"""Projection benchmark (not a test): the cost of an AU statement, with progress projection,
as the store grows. Runs in-process against DATABASE_URL (PostgreSQL).

    python bench/projection.py --package tests/data/cmi5/single_au_basic_responsive.zip \
        --learners 200 [--seed 10000]

For each learner: enrol, launch (LMS.LaunchData, launched), fetch nothing (the session is used
directly), then initialized, completed and terminated through ``record_au_statements``, which
checks the cmi5 rules, stores, projects and writes satisfied and the CompletionRecord.
"""

import argparse
import os
import statistics
import sys
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings")

CATEGORY = "https://w3id.org/xapi/cmi5/context/categories/cmi5"
MOVEON = "https://w3id.org/xapi/cmi5/context/categories/moveon"
EXT = "https://w3id.org/xapi/cmi5/context/extensions/sessionid"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--package", type=Path, required=True)
    parser.add_argument("--learners", type=int, default=200)
    parser.add_argument("--seed", type=int, default=0, help="filler statements to store first")
    args = parser.parse_args()

    import django

    django.setup()
    import random

    from bench.lrs import make_statement
    from courses.launch import launch_unit
    from courses.models import Course
    from courses.services import enrol_learner, import_cmi5_package
    from lms.models import User
    from progress.clients import lms_client
    from progress.models import Statement
    from progress.projection import record_au_statements
    from progress.services import store_statements

    client = lms_client()
    if args.seed:
        rng = random.Random(7)
        for start in range(0, args.seed, 1000):
            batch = [
                make_statement(rng, 10_000, 1_000) for _ in range(min(1000, args.seed - start))
            ]
            store_statements(statements=batch, client=client, version="1.0.3")
    print(f"statements stored: {Statement.objects.count():,}")
    course = import_cmi5_package(source=args.package).course
    unit = course.units.get(index=0)
    timings = []
    for n in range(args.learners):
        learner = User.objects.create_user(
            f"bench-{uuid.uuid4().hex[:10]}@example.org", None, display_name=f"Bench {n}"
        )
        enrol_learner(learner=learner, course=Course.objects.get(pk=course.pk))
        session = launch_unit(learner=learner, unit=unit).session
        # A conforming AU read the learner preferences before initialized (cmi5 §11).
        session.preferences_read = True
        session.save(update_fields=["preferences_read"])
        actor = {"objectType": "Agent", "account": learner.xapi_account()}
        for verb, result in (("initialized", None), ("completed", {"completion": True, "duration": "PT5M"}),
                             ("terminated", {"duration": "PT6M"})):  # fmt: skip
            categories = [{"id": CATEGORY}, *([{"id": MOVEON}] if verb == "completed" else [])]
            statement = {
                "id": str(uuid.uuid4()),
                "actor": actor,
                "verb": {"id": f"http://adlnet.gov/expapi/verbs/{verb}"},
                "object": {"objectType": "Activity", "id": unit.lms_activity_iri},
                "context": {
                    "registration": str(session.registration),
                    "contextActivities": {
                        "category": categories,
                        "grouping": [{"id": unit.activity_iri}],
                    },
                    "extensions": {EXT: str(session.public_id)},
                },
                "timestamp": datetime.now(UTC).isoformat(),
            }
            if result:
                statement["result"] = result
            began = time.perf_counter()
            record_au_statements(
                session=session, statements=[statement], client=client, version="1.0.3"
            )
            timings.append((verb, (time.perf_counter() - began) * 1000))
    for verb in ("initialized", "completed", "terminated"):
        values = [t for v, t in timings if v == verb]
        print(
            f"{verb:<12} median {statistics.median(values):6.2f} ms  p95 {sorted(values)[int(len(values) * 0.95)]:6.2f} ms"
            + ("  (includes satisfied course, CompletionRecord)" if verb == "completed" else "")
        )
    print(f"statements stored after: {Statement.objects.count():,}")


if __name__ == "__main__":
    main()
