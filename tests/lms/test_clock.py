"""tests/clock.py: the whole suite (and the workers it starts) can run at another moment."""

import os
import subprocess
import sys

from tests.conftest import ROOT


def _run_calendar(**env):
    """``python -m calendar`` prints this year's calendar: its first word is the year."""
    result = subprocess.run(
        [sys.executable, "-m", "tests.clock", "calendar"],
        cwd=ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return result.stdout.split()[0]


def test_a_module_run_through_the_clock_sees_the_given_moment():
    assert _run_calendar(PRACTICA_TEST_CLOCK="2031-02-28T12:00:00+00:00") == "2031"


def test_without_a_clock_the_module_sees_the_machines_year():
    # The subprocess's year, not the test's: this test may itself run under a moved clock.
    real = subprocess.run(
        [sys.executable, "-c", "import datetime; print(datetime.date.today().year)"],
        env={k: v for k, v in os.environ.items() if k != "PRACTICA_TEST_CLOCK"},
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert _run_calendar(PRACTICA_TEST_CLOCK="") == real


def test_a_clock_without_an_offset_is_refused():
    result = subprocess.run(
        [sys.executable, "-m", "tests.clock", "calendar"],
        cwd=ROOT,
        env={**os.environ, "PRACTICA_TEST_CLOCK": "2031-02-28T12:00:00"},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode != 0
    assert "UTC offset" in result.stderr
