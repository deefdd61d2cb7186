"""Completion records as the LRS projection leaves them (statements stored and indexed, the
record in the chain, the certificate issued), for the audit's tests."""

import datetime
import json
import uuid
from decimal import Decimal

from certificates.credentials import services as issuance
from courses.models import Enrolment
from progress.chain import log_completion
from progress.models import CompletionRecord, Statement, StatementIndex
from progress.xapi.keys import registration_key
from tests.lms.factories import UserFactory

UTC = datetime.UTC


def at(*args: int) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=UTC)


def store(registration, *, stored, verb):
    statement_id = uuid.uuid4()
    payload = {
        "id": str(statement_id),
        "actor": {"account": {"homePage": "https://learn.example.org", "name": "x"}},
        "verb": {"id": f"http://adlnet.gov/expapi/verbs/{verb}"},
        "object": {"id": "https://example.org/au/1"},
        "context": {"registration": str(registration)},
        "timestamp": stored.isoformat(),
    }
    statement = Statement.objects.create(
        statement_id=statement_id, payload=json.dumps(payload), stored=stored, version="1.0.3"
    )
    StatementIndex.objects.create(key=registration_key(registration), statement=statement)
    return statement_id


def completed(accreditation, *, name="Ana Pop", day=10, score="0.9", certify=True):
    """A record as the LRS projection leaves it: statements, the record in the chain, and
    (when a rule earns it) its certificate with PDF and credential."""
    learner = UserFactory(display_name=name)
    enrolment = Enrolment.objects.create(course=accreditation.course, learner=learner)
    Enrolment.objects.filter(pk=enrolment.pk).update(enrolled_at=at(2024, 1, 1))
    launched = store(enrolment.registration, stored=at(2024, 3, day, 9), verb="launched")
    passed = store(enrolment.registration, stored=at(2024, 3, day, 11), verb="completed")
    record = CompletionRecord.objects.create(
        learner=learner,
        course=accreditation.course,
        registration=enrolment.registration,
        completed_at=at(2024, 3, day, 11),
        score_scaled=Decimal(score),
        time_spent=datetime.timedelta(hours=2),
        evidence=[str(launched), str(passed)],
    )
    log_completion(record)
    if certify:
        issuance.issue_certificate(record=record)
    return record
