"""Files built in the background for one person (report exports, evidence bundles): their
status and progress, kept on the job's row so that its page can show them, and one way to run
such a job in a Celery task.

A job model has ``status`` (``JobStatus``), ``progress``, ``file``, ``error`` and
``finished_at``. ``run_file_job`` claims a queued job (a finished or running one is left alone,
so a retried or duplicated task does nothing), builds it with progress, and stores the file
under an unguessable name: media may be served without access checks, and these files hold
personal data.
"""

import secrets
from collections.abc import Callable, Iterable
from typing import Any

from django.core.files.base import ContentFile
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lms.errors import Conflict

Progress = Callable[[int, int], None]
PROGRESS_STEP = 5  # percent between two writes of the progress


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Being built")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Could not be built")


class JobUnavailableError(Conflict):
    """The job cannot be built any more (its requester lost the scope, its inputs are gone);
    the message is shown to the requester (a ``Conflict``: the state changed under it)."""


def progress_recorder(model: type[models.Model], pk: int) -> Progress:
    """A ``progress(done, total)`` that writes the job's percentage, every ``PROGRESS_STEP``
    percent at most (99 until the file is stored)."""
    last = [-1]

    def progress(done: int, total: int) -> None:
        percent = min(99, int(100 * done / total)) if total else 99
        if percent >= last[0] + PROGRESS_STEP:
            last[0] = percent
            model._default_manager.filter(pk=pk).update(progress=percent)

    return progress


def run_file_job(
    model: type[models.Model],
    pk: int,
    build: Callable[[Any, Progress], tuple[bytes, str, dict[str, Any]]],
    *,
    select_related: Iterable[str] = (),
    failure: Callable[[], str],
) -> None:
    """Claim the queued job ``pk`` of ``model`` and build it: ``build(job, progress)`` returns
    the file's bytes, its readable name and other fields to store with it. A
    ``JobUnavailableError`` fails the job with its message; any other error fails it with
    ``failure()`` and is raised again (the task's retry and logging see it)."""
    manager = model._default_manager
    if not manager.filter(pk=pk, status=JobStatus.QUEUED).update(
        status=JobStatus.RUNNING, progress=0
    ):
        return
    job: Any = manager.select_related(*select_related).get(pk=pk)
    try:
        content, filename, fields = build(job, progress_recorder(model, pk))
    except JobUnavailableError as error:
        _fail(model, pk, str(error))
        return
    except Exception:
        _fail(model, pk, failure())
        raise
    job.file.save(f"{secrets.token_hex(16)}-{filename}", ContentFile(content), save=False)
    manager.filter(pk=pk).update(
        file=job.file.name,
        status=JobStatus.DONE,
        progress=100,
        finished_at=timezone.now(),
        **fields,
    )


def _fail(model: type[models.Model], pk: int, message: str) -> None:
    model._default_manager.filter(pk=pk).update(
        status=JobStatus.FAILED, error=message[:500], finished_at=timezone.now()
    )
