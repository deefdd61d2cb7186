"""A real Celery worker receives the same issue task twice (a duplicated message, a retry) and
issues exactly one certificate, its PDF written where the web process reads it."""

import hashlib
import os
import time

import pytest
from kombu import Connection

from certificates.models import Certificate, SerialCounter
from certificates.tasks import issue_certificate
from lms.celery import app
from tests.certificates.factories import IssuanceRuleFactory, make_record

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_a_worker_given_the_same_task_twice_issues_one_certificate(worker_queue):
    rule = IssuanceRuleFactory(validity_months=12)
    record = make_record(course=rule.course)
    sentinel = make_record(course=rule.course)  # queued last: once it has its certificate,
    # the solo worker has run both tasks before it

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = False
    try:
        with Connection(os.environ["TEST_CELERY_BROKER_URL"]) as broker:
            for record_id in (record.pk, record.pk, sentinel.pk):
                issue_certificate.apply_async(
                    args=[record_id], queue=worker_queue, connection=broker
                )
    finally:
        app.conf.task_always_eager = previous

    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if Certificate.objects.filter(record=sentinel).exists():
            break
        time.sleep(0.1)
    else:
        pytest.fail("The worker did not issue the certificates in time.")

    (certificate,) = Certificate.objects.filter(record=record)
    assert certificate.rule == rule
    with certificate.pdf.open("rb") as file:
        assert hashlib.sha256(file.read()).hexdigest() == certificate.pdf_sha256
    # Two certificates (one per record), numbered once each: the year's counter says two.
    assert Certificate.objects.count() == 2
    assert SerialCounter.objects.get().last == 2
