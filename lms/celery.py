"""The Celery application.

Tasks are autodiscovered from every installed app's ``tasks.py``. Every task inherits the
defaults of ``PracticaTask``: acknowledged late (a worker that dies mid-task leaves the message
to be redelivered), retried with exponential back-off on transient infrastructure errors.
Tasks must therefore be idempotent (docs/style.md, "Where logic lives").
"""

import os

from celery import Celery, Task
from django.db import InterfaceError, OperationalError

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings")


class PracticaTask(Task):
    """Base task: late acknowledgement and a bounded, jittered retry on transient errors."""

    acks_late = True
    reject_on_worker_lost = True
    autoretry_for = (OperationalError, InterfaceError, ConnectionError, TimeoutError)
    retry_backoff = 2
    retry_backoff_max = 10 * 60
    retry_jitter = True
    max_retries = 5


app = Celery("lms", task_cls=PracticaTask)
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
