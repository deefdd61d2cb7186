"""Certificate rows made directly, for tests of what reads them (verification, pages)."""

import itertools
import uuid

from django.utils import timezone

from certificates.models import Certificate
from progress.models import CompletionRecord
from tests.courses.factories import CourseFactory
from tests.lms.factories import UserFactory

_numbers = itertools.count(1)


def stored_certificate(**changes):
    """A certificate row with a snapshot, as issuance would leave it (no PDF, no credential)."""
    n = next(_numbers)
    learner = UserFactory(display_name="Ștefan Țurcanu", email=f"stefan{n}@example.org")
    record = CompletionRecord.objects.create(
        learner=learner, course=CourseFactory(), registration=uuid.uuid4(),
        completed_at=timezone.now(), evidence=[],
    )  # fmt: skip
    fields = {
        "serial": f"PRA-2026-{n:06d}", "verification_code": f"code{n:04d}abcdefgh",
        "record": record, "learner": learner, "issued_at": timezone.now(), "language": "ro",
        "status_index": n,
        "snapshot": {"recipient": {"name": "Ștefan Țurcanu"},
                     "achievement": {"title": "Protecția copilului"},
                     "body": {"name": "Colegiul Asistenților Sociali"},
                     "accreditation": {"reference": "CNASR-17"},
                     "cpd": {"value": "4", "unit": "hours"},
                     "completed_on": "2026-11-20", "issued_on": "2026-11-21"},
    }  # fmt: skip
    fields.update(changes)
    return Certificate.objects.create(**fields)
