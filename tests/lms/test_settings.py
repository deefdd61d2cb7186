"""Production settings refuse an unsafe start, and a safe one passes `check --deploy`."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
STRONG_KEY = "k3y-" + "aB9$xQ2!mZ7&pL4@" * 4


def _run(args, **env_overrides):
    env = {
        key: value
        for key, value in os.environ.items()
        if key
        not in {
            "SECRET_KEY",
            "ALLOWED_HOSTS",
            "DEBUG",
            "HTTPS_ONLY",
            "SITE_URL",
            "DJANGO_ALLOW_ASYNC_UNSAFE",  # set while the browser tests' session runs
        }
    }
    env.update(env_overrides)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.smoke
def test_production_start_without_secret_key_is_refused():
    result = _run(["check"], DEBUG="0", ALLOWED_HOSTS="learn.example.org")
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


@pytest.mark.parametrize(
    "weak_key",
    ["short", "django-insecure-" + "x7" * 30, "a" * 60],
    ids=["too-short", "django-insecure-prefix", "too-few-distinct-characters"],
)
def test_production_start_with_a_weak_secret_key_is_refused(weak_key):
    result = _run(["check"], DEBUG="0", SECRET_KEY=weak_key, ALLOWED_HOSTS="learn.example.org")
    assert result.returncode != 0
    assert "SECRET_KEY is too weak" in result.stderr


def test_production_start_without_allowed_hosts_is_refused():
    result = _run(["check"], DEBUG="0", SECRET_KEY=STRONG_KEY)
    assert result.returncode != 0
    assert "ALLOWED_HOSTS is not set" in result.stderr


def test_safe_production_configuration_passes_check_deploy():
    result = _run(
        ["check", "--deploy", "--fail-level", "WARNING"],
        DEBUG="0",
        SECRET_KEY=STRONG_KEY,
        ALLOWED_HOSTS="learn.example.org",
        SITE_URL="https://learn.example.org",
    )
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout


def test_plain_http_site_url_in_production_is_reported():
    result = _run(
        ["check", "--deploy", "--fail-level", "WARNING"],
        DEBUG="0",
        SECRET_KEY=STRONG_KEY,
        ALLOWED_HOSTS="learn.example.org",
        SITE_URL="http://learn.example.org",
    )
    assert result.returncode != 0
    assert "lms.W001" in result.stderr + result.stdout


def test_relative_site_url_is_an_error():
    result = _run(["check"], DEBUG="1", SITE_URL="learn.example.org")
    assert result.returncode != 0
    assert "lms.E001" in result.stderr + result.stdout


@pytest.mark.smoke
def test_debug_start_needs_no_configuration():
    result = _run(["check"], DEBUG="1")
    assert result.returncode == 0, result.stderr


@pytest.mark.smoke
def test_eager_tasks_say_nothing_about_a_broker():
    """The embedded default has no broker: running a task must not log kombu's
    "No hostname was supplied" warning (or anything else about a broker)."""
    script = (
        "from lms.tasks import send_email; "
        "send_email.delay(subject='Hello', body='Hi', to=['someone@example.org'])"
    )
    env = {"CELERY_BROKER_URL": "", "EMAIL_URL": "consolemail://", "LOG_LEVEL": "INFO"}
    result = _run(["shell", "-c", script], DEBUG="1", **env)
    assert result.returncode == 0, result.stderr
    assert "Subject: Hello" in result.stdout  # the task ran, eagerly
    assert "kombu" not in result.stderr + result.stdout
    assert "No hostname" not in result.stderr + result.stdout
