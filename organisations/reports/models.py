"""Report files built in the worker (``ReportExport``), with their kind and format."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lms.api import JobStatus
from organisations.core.models import Organisation


class ReportKind(models.TextChoices):
    TEAM = "team", _("Team progress")
    SUMMARY = "summary", _("Organisation summary")
    COVERAGE = "coverage", _("Competence coverage")


class ReportFormat(models.TextChoices):
    CSV = "csv", "CSV"
    XLSX = "xlsx", "XLSX"
    PDF = "pdf", "PDF"


ExportStatus = JobStatus  # a report export is a background file job (lms.jobs)


class ReportExport(models.Model):
    """A report file built by a Celery task, with its progress; only its requester downloads it
    (and only while the scope that built it still holds)."""

    public_id = models.UUIDField(
        _("public identifier"), default=uuid.uuid4, editable=False, unique=True
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="report_exports",
        verbose_name=_("organisation"),
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("requested by"),
    )
    kind = models.CharField(_("report"), max_length=10, choices=ReportKind.choices)
    format = models.CharField(_("format"), max_length=5, choices=ReportFormat.choices)
    parameters = models.JSONField(_("parameters"), default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ExportStatus.choices, default=ExportStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    file = models.FileField(_("file"), upload_to="reports/%Y/%m/", blank=True)
    member_ids = models.JSONField(
        _("members in the file"),
        default=list,
        blank=True,
        help_text=_(
            "The people the built file holds: its download is refused once one of them is out "
            "of the requester's sight, and logged for each of them."
        ),
    )
    error = models.CharField(_("error"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("requested"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("report export")
        verbose_name_plural = _("report exports")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.format}) — {self.organisation}"
