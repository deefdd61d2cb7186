"""A real Celery worker, against Redis, changes rows in the PostgreSQL test database."""

import os
import time
import uuid
from datetime import timedelta

import pytest
from django.utils import timezone
from kombu import Connection

from lms.celery import app
from lms.models import WorkerHeartbeat
from lms.tasks import record_worker_heartbeat

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_a_real_worker_runs_a_queued_task_and_its_write_lands_in_postgresql(worker_queue):
    hostname = f"probe-{uuid.uuid4().hex[:8]}"
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = False
    try:
        with Connection(os.environ["TEST_CELERY_BROKER_URL"]) as broker:
            record_worker_heartbeat.apply_async(
                kwargs={"hostname": hostname}, queue=worker_queue, connection=broker
            )
    finally:
        app.conf.task_always_eager = previous

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if WorkerHeartbeat.objects.filter(hostname=hostname).exists():
            break
        time.sleep(0.25)
    heartbeat = WorkerHeartbeat.objects.get(hostname=hostname)
    # The worker keeps the suite's clock, even when it is moved (tests/clock.py).
    assert abs(heartbeat.seen_at - timezone.now()) < timedelta(minutes=5)
