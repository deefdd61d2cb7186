"""Fixtures shared by the whole suite."""

import os
import subprocess
import sys
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.utils import translation

from tests import clock
from tests.lms.factories import UserFactory

ROOT = Path(__file__).resolve().parents[1]
CLOCK_KEY = pytest.StashKey()


def pytest_configure(config):
    """With PRACTICA_TEST_CLOCK set (scripts/test-on-dates), the whole run happens then."""
    moment = clock.start_from_environment()
    if moment is not None:
        config.stash[CLOCK_KEY] = moment


def pytest_report_header(config):
    moment = config.stash.get(CLOCK_KEY, None)
    return [f"clock: {moment.isoformat()} (PRACTICA_TEST_CLOCK), ticking"] if moment else []


@pytest.fixture(autouse=True)
def _clear_cache():
    """The cache is Redis in the PostgreSQL run: no throttle or lock-out leaks between tests."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the site's language: LocaleMiddleware activates a request's language
    (a Romanian user's, say) in the test's thread and leaves it there after the response."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path_factory):
    """Imported packages and uploads go to a temporary directory, never into the checkout."""
    settings.MEDIA_ROOT = tmp_path_factory.mktemp("media")


@pytest.fixture
def user(db):
    return UserFactory()


@pytest.fixture
def password():
    return UserFactory.default_password


def _test_database_url() -> str:
    """DATABASE_URL, pointed at the database pytest-django created for this run."""
    parts = urlsplit(os.environ["DATABASE_URL"])
    return urlunsplit(parts._replace(path="/" + connection.settings_dict["NAME"]))


@pytest.fixture
def worker_queue(settings):
    """Start a worker on a queue of its own; stop it after the test."""
    if connection.vendor != "postgresql":
        pytest.fail("The worker test needs the PostgreSQL run (DATABASE_URL=postgres://...).")
    queue = f"test-{uuid.uuid4().hex}"
    env = {
        **os.environ,
        "DATABASE_URL": _test_database_url(),
        "CELERY_BROKER_URL": os.environ["TEST_CELERY_BROKER_URL"],
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),  # files the worker writes, where the test reads
        **clock.for_subprocess(),
    }
    process = subprocess.Popen(
        [
            # Through tests.clock: the worker keeps the suite's clock (PRACTICA_TEST_CLOCK).
            sys.executable, "-m", "tests.clock", "celery", "-A", "lms", "worker",
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
