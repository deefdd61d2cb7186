"""Writes of the reports: queueing a report file for the worker. Reminders and the monthly
e-mails are in ``reminders``; building a file is in ``exports``."""

from typing import Any

from django.db import transaction

from organisations.core.scope import Scope
from organisations.reports.exports import ReportRequest
from organisations.reports.models import ReportExport
from organisations.reports.tasks import build_report


def queue_export(scope: Scope, request: ReportRequest, *, by: Any) -> ReportExport:
    """Record the export and build it in the worker once the transaction commits."""
    export = ReportExport.objects.create(
        organisation=scope.organisation,
        requested_by=by,
        kind=request.kind,
        format=request.format,
        parameters=request.as_parameters(),
    )
    transaction.on_commit(lambda: build_report.delay(export.pk))
    return export
