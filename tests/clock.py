"""Run the whole suite as if it were another moment, to prove no test depends on the day it runs.

``PRACTICA_TEST_CLOCK=2028-02-29T12:00:00+00:00`` moves the clock of the test process (every
thread, the live server's included) and of the Celery workers the tests start to that instant,
and lets it tick from there (time-machine patches ``time.time``, ``datetime.now`` and their kin
at the C level; ``time.monotonic``, which timeouts use, keeps running true).
``scripts/test-on-dates`` uses it. Chromium and PostgreSQL keep the machine's clock: the site
never asks either of them for the time.

Why not libfaketime (``LD_PRELOAD``)? Debian's 0.9.10 breaks Python 3.11 either way: with the
monotonic clock faked, ``threading.Event.wait(timeout)`` never returns; without, ``time.sleep``
fails with EINVAL (absolute monotonic deadlines are shifted by the fake offset).

``python -m tests.clock MODULE ARGS...`` runs a module (``celery``) at the same clock.
"""

import os
import runpy
import sys
from datetime import UTC, datetime

import time_machine

VARIABLE = "PRACTICA_TEST_CLOCK"


def start_from_environment() -> datetime | None:
    """Start travelling to ``$PRACTICA_TEST_CLOCK`` for the rest of the process, if it is set."""
    value = os.environ.get(VARIABLE, "").strip()
    if not value:
        return None
    moment = datetime.fromisoformat(value)
    if moment.tzinfo is None:
        raise SystemExit(f"{VARIABLE} needs a UTC offset, e.g. 2028-02-29T12:00:00+00:00")
    time_machine.travel(moment, tick=True).start()
    return moment


def for_subprocess() -> dict[str, str]:
    """The environment a subprocess needs to keep this process's clock: the moment it is now
    (the clock has ticked since the run began), or nothing when the clock is not moved."""
    if not os.environ.get(VARIABLE, "").strip():
        return {}
    return {VARIABLE: datetime.now(UTC).isoformat()}


if __name__ == "__main__":
    start_from_environment()
    module, *arguments = sys.argv[1:]
    sys.argv = [module, *arguments]
    runpy.run_module(module, run_name="__main__", alter_sys=True)
