"""Evidence bundle benchmark (not a test): an accreditation with 2,000 completion records by
default, 6 statements each, one in ten with its certificate (PDF and credential).

Builds, in the database DATABASE_URL names (migrated first; its data is flushed), the records
through the chain as the projection writes them, then times ``bundles.build_bundle`` over every
record, counting its queries, and prints the ZIP's size and the offline check's time.

    DATABASE_URL=postgres://root@127.0.0.1:5432/benchbundles SECRET_KEY=... \
      ALLOWED_HOSTS=localhost MEDIA_ROOT=/tmp/benchbundles python bench/bundles.py
"""

import argparse
import io
import json
import os
import subprocess
import sys
import tempfile
import time
import uuid
import zipfile
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from certificates.audit import bundles  # noqa: E402
from certificates.credentials import services as issuance  # noqa: E402
from certificates.models import (  # noqa: E402
    Accreditation,
    AccreditingBody,
    Accreditor,
    EvidenceBundle,
    IssuanceRule,
)
from courses.models import Course, CourseStatus, Enrolment  # noqa: E402
from lms.models import User  # noqa: E402
from progress.chain import log_completion  # noqa: E402
from progress.models import CompletionRecord, Statement, StatementIndex  # noqa: E402
from progress.xapi.keys import registration_key  # noqa: E402

VERBS = ("launched", "initialized", "progressed", "passed", "completed", "terminated")


def build(records: int) -> EvidenceBundle:
    call_command("flush", interactive=False, verbosity=0)
    body = AccreditingBody.objects.create(name="Bench body", slug="bench-body")
    course = Course.objects.create(
        slug="bench-bundle", activity_iri="urn:bench:bundle", title={"en": "Bench course"},
        status=CourseStatus.PUBLISHED, cpd_hours=4,
    )  # fmt: skip
    accreditation = Accreditation.objects.create(
        body=body, course=course, reference="BENCH-1", cpd_value=4, valid_from=date(2024, 1, 1)
    )
    IssuanceRule.objects.create(course=course, accreditation=accreditation)
    auditor = User.objects.create(email="auditor@bench.test", display_name="Auditor")
    Accreditor.objects.create(body=body, user=auditor)
    learners = User.objects.bulk_create(
        [User(email=f"l{i}@bench.test", display_name=f"Learner {i:05d}") for i in range(records)]
    )
    enrolments = Enrolment.objects.bulk_create(
        [Enrolment(course=course, learner=learner) for learner in learners]
    )
    start = datetime(2024, 3, 1, 8, tzinfo=UTC)
    statements: list[Statement] = []
    index: list[StatementIndex] = []
    for n, enrolment in enumerate(enrolments):
        for k, verb in enumerate(VERBS):
            statement_id = uuid.uuid4()
            stored = start + timedelta(minutes=n, seconds=k)
            payload = {
                "id": str(statement_id),
                "actor": {"account": {"homePage": "https://bench.test", "name": str(n)}},
                "verb": {"id": f"http://adlnet.gov/expapi/verbs/{verb}"},
                "object": {"id": "urn:bench:bundle/au/1"},
                "context": {"registration": str(enrolment.registration)},
                "timestamp": stored.isoformat(),
            }
            statements.append(
                Statement(statement_id=statement_id, payload=json.dumps(payload), stored=stored,
                          version="1.0.3")
            )  # fmt: skip
    Statement.objects.bulk_create(statements, batch_size=2000)
    for n, enrolment in enumerate(enrolments):
        key = registration_key(enrolment.registration)
        index.extend(StatementIndex(key=key, statement=s) for s in statements[n * 6 : n * 6 + 6])
    StatementIndex.objects.bulk_create(index, batch_size=5000)
    for n, (learner, enrolment) in enumerate(zip(learners, enrolments, strict=True)):
        record = CompletionRecord.objects.create(
            learner=learner, course=course, registration=enrolment.registration,
            completed_at=start + timedelta(minutes=n, seconds=5), score_scaled=Decimal("0.9"),
            time_spent=timedelta(hours=3),
            evidence=[str(s.statement_id) for s in statements[n * 6 : n * 6 + 6]],
        )  # fmt: skip
        log_completion(record)
        if n % 10 == 0:
            issuance.issue_certificate(record=record)
    return EvidenceBundle.objects.create(
        accreditation=accreditation, requested_by=auditor,
        start=date(2024, 1, 1), end=date(2030, 12, 31),
    )  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--records", type=int, default=2000)
    args = parser.parse_args()
    call_command("migrate", interactive=False, verbosity=0)
    began = time.perf_counter()
    bundle = build(args.records)
    print(f"built {args.records} records in {time.perf_counter() - began:.1f} s")
    with CaptureQueriesContext(connection) as queries:
        began = time.perf_counter()
        content, count = bundles.build_bundle(bundle)
        elapsed = time.perf_counter() - began
    with tempfile.TemporaryDirectory() as directory:
        zipfile.ZipFile(io.BytesIO(content)).extractall(directory)
        began = time.perf_counter()
        result = subprocess.run(
            [sys.executable, "check_bundle.py", "."], cwd=directory, capture_output=True,
            text=True, check=False,
        )  # fmt: skip
        checked = time.perf_counter() - began
    print(
        f"bundle of {count} records: {elapsed:.2f} s, {len(queries)} queries, "
        f"{len(content) / 1024 / 1024:.1f} MiB; offline check {checked:.2f} s "
        f"({result.stdout.strip().splitlines()[-1]})"
    )


if __name__ == "__main__":
    main()
