"""A real Celery worker, against Redis, changes rows in the PostgreSQL test database."""

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.db import connection
from kombu import Connection

from lms.celery import app
from lms.models import WorkerHeartbeat
from lms.tasks import record_worker_heartbeat

ROOT = Path(__file__).resolve().parents[2]
pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def _test_database_url() -> str:
    """DATABASE_URL, pointed at the database pytest-django created for this run."""
    parts = urlsplit(os.environ["DATABASE_URL"])
    return urlunsplit(parts._replace(path="/" + connection.settings_dict["NAME"]))


@pytest.fixture
def worker_queue():
    """Start a worker on a queue of its own; stop it after the test."""
    if connection.vendor != "postgresql":
        pytest.fail("The worker test needs the PostgreSQL run (DATABASE_URL=postgres://...).")
    queue = f"test-{uuid.uuid4().hex}"
    env = {
        **os.environ,
        "DATABASE_URL": _test_database_url(),
        "CELERY_BROKER_URL": os.environ["TEST_CELERY_BROKER_URL"],
    }
    process = subprocess.Popen(
        [
            sys.executable, "-m", "celery", "-A", "lms", "worker",
            "--queues", queue, "--pool", "solo", "--concurrency", "1",
            "--without-gossip", "--without-mingle", "--without-heartbeat",
            "--hostname", f"{queue}@localhost", "--loglevel", "WARNING",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )  # fmt: skip
    try:
        yield queue
    finally:
        process.terminate()
        output, _ = process.communicate(timeout=30)
        if process.returncode not in (0, -15):
            print(output)  # noqa: T201 - shown only when the worker failed


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
    assert heartbeat.seen_at is not None
