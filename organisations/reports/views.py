"""Report pages: team progress (supervisors and admins), the organisation summary (admins),
competence coverage, and the status and download of reports built by the worker.

Every view starts from ``scope.get_scope_for_user``: what a person may see is decided there.
"""

import math
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lms.api import AuthenticatedHttpRequest, bar_chart
from organisations.core.scope import Scope, get_scope_for_user, scope_for
from organisations.reports.exports import (
    CONTENT_TYPES,
    ReportRequest,
    ReportUnavailableError,
    build,
    is_large,
    log_export,
    may_download,
)
from organisations.reports.forms import CoverageForm, TeamFilterForm, export_format
from organisations.reports.html import cell_html
from organisations.reports.models import ExportStatus, ReportExport, ReportKind
from organisations.reports.reminders import members_behind
from organisations.reports.selectors import cached_team_overview, team_progress
from organisations.reports.services import queue_export
from organisations.reports.summaries import competence_coverage, organisation_summary
from organisations.reports.tasks import send_reminders

MAX_PAGE = 100_000
PER_PAGE = 50


def _scope(request: AuthenticatedHttpRequest, public_id: UUID, *, whole: bool = False) -> Scope:
    scope = get_scope_for_user(request.user, public_id)
    if whole and not scope.whole:
        raise Http404
    return scope


def _language() -> str:
    return (get_language() or "en").split("-")[0]


def _report_request(kind: str, fmt: str, form: TeamFilterForm) -> ReportRequest:
    data = form.cleaned_data if form.is_valid() else {}
    unit = data.get("unit")
    role = data.get("role")
    return ReportRequest(
        kind=kind,
        format=fmt,
        unit=str(unit.public_id) if unit else "",
        profession=data.get("profession") or "",
        country=data.get("country") or "",
        role=role.slug if role else "",
        language=_language(),
    )


def _export(request: AuthenticatedHttpRequest, scope: Scope, wanted: ReportRequest) -> HttpResponse:
    """The file now when small; a queued build and its status page when large."""
    try:
        if is_large(scope, wanted):
            export = queue_export(scope, wanted, by=request.user)
            return redirect(
                "organisations:report-export", scope.organisation.public_id, export.public_id
            )
        content = build(scope, wanted)
    except ReportUnavailableError as error:
        messages.error(request, str(error))
        return redirect(request.path)
    log_export(scope, wanted, by=request.user)
    response = HttpResponse(content, content_type=CONTENT_TYPES[wanted.format])  # type: ignore[index]
    response["Content-Disposition"] = f'attachment; filename="{wanted.filename(scope)}"'
    return response


def _query_string(request: HttpRequest) -> str:
    params = request.GET.copy()
    for key in ("page", "format"):
        params.pop(key, None)
    return params.urlencode()


@login_required
def team_report(request: AuthenticatedHttpRequest, public_id: UUID) -> HttpResponse:
    scope = _scope(request, public_id)
    form = TeamFilterForm(request.GET or None, scope=scope)
    fmt = export_format(request.GET.get("format"))
    if fmt is not None:
        return _export(request, scope, _report_request(ReportKind.TEAM, fmt, form))
    try:
        # At most MAX_PAGE: an offset past any real team, and within the database's integers.
        page = min(max(1, int(request.GET.get("page") or 1)), MAX_PAGE)
    except ValueError:
        page = 1
    filters = form.team_filters()
    report = team_progress(
        scope,
        filters,
        offset=(page - 1) * PER_PAGE,
        limit=PER_PAGE,
        language=_language(),
        overview=cached_team_overview(scope, filters, language=_language()),
    )
    pages = max(1, math.ceil(report.total_members / PER_PAGE))
    summaries = report.summaries
    chart = bar_chart(
        title=_("Progress by course and journey"),
        labels=[s.column.title for s in summaries],
        series=[
            (_("Completed"), [s.completed for s in summaries]),
            (_("In progress"), [s.in_progress for s in summaries]),
            (_("Not started"), [s.not_started for s in summaries]),
        ],
        description=_("How many of the members shown have completed, started or not started each."),
    )
    rows = [(row, [cell_html(cell) for cell in row.cells]) for row in report.rows]
    return render(
        request,
        "organisations/reports/team.html",
        {
            "organisation": scope.organisation,
            "scope": scope,
            "form": form,
            "report": report,
            "rows": rows,
            "chart": chart,
            "page": page,
            "pages": pages,
            "previous_page": page - 1 if page > 1 else None,
            "next_page": page + 1 if page < pages else None,
            "query_string": _query_string(request),
        },
    )


@login_required
@require_POST
def remind_members(request: AuthenticatedHttpRequest, public_id: UUID) -> HttpResponse:
    """E-mail (through the worker) the members selected by the filters who are behind."""
    scope = _scope(request, public_id)
    form = TeamFilterForm(request.POST, scope=scope)
    behind = [b.user.pk for b in members_behind(scope, form.team_filters())]
    if behind:
        organisation_id, user_id = scope.organisation.pk, request.user.pk
        transaction.on_commit(lambda: send_reminders.delay(organisation_id, behind, user_id))
        messages.success(
            request,
            ngettext(
                "A reminder is on its way to %(count)d member who is behind.",
                "Reminders are on their way to %(count)d members who are behind.",
                len(behind),
            )
            % {"count": len(behind)},
        )
    else:
        messages.info(request, _("Nobody is behind: no reminder was sent."))
    target = reverse("organisations:team-report", args=[scope.organisation.public_id])
    query = request.POST.get("query", "")
    return redirect(f"{target}?{query}" if query else target)


@login_required
def summary_report(request: AuthenticatedHttpRequest, public_id: UUID) -> HttpResponse:
    scope = _scope(request, public_id, whole=True)
    fmt = export_format(request.GET.get("format"))
    if fmt is not None:
        return _export(request, scope, ReportRequest(ReportKind.SUMMARY, fmt, language=_language()))
    summary = organisation_summary(scope, language=_language())
    chart = bar_chart(
        title=_("Enrolments and completions by month"),
        labels=[f"{m.month:%Y-%m}" for m in summary.months],
        series=[
            (_("Enrolments"), [m.enrolments for m in summary.months]),
            (_("Completions"), [m.completions for m in summary.months]),
        ],
        stacked=False,
        description=_("The last twelve months, oldest first."),
    )
    pools_chart = bar_chart(
        title=_("Seat use"),
        labels=[p.name for p in summary.seat_pools],
        series=[
            (_("Used"), [p.used for p in summary.seat_pools]),
            (_("Free"), [max(p.seats - p.used, 0) for p in summary.seat_pools]),
        ],
    )
    return render(
        request,
        "organisations/reports/summary.html",
        {
            "organisation": scope.organisation,
            "summary": summary,
            "chart": chart,
            "pools_chart": pools_chart,
        },
    )


@login_required
def coverage_report(request: AuthenticatedHttpRequest, public_id: UUID) -> HttpResponse:
    scope = _scope(request, public_id)
    form = CoverageForm(request.GET or None, scope=scope)
    role = form.cleaned_data.get("role") if form.is_valid() else None
    fmt = export_format(request.GET.get("format"))
    if fmt is not None and role is not None:
        return _export(request, scope, _report_request(ReportKind.COVERAGE, fmt, form))
    coverage = chart = None
    if role is not None:
        coverage = competence_coverage(scope, role, form.team_filters(), language=_language())
        chart = bar_chart(
            title=_("Members meeting each target"),
            labels=[c.code or c.title for c in coverage.columns],
            series=[
                (_("Meet the target"), list(coverage.covered)),
                (_("Below the target"), [len(coverage.rows) - n for n in coverage.covered]),
            ],
        )
    rows = (
        [(row, list(zip(row.levels, row.met, strict=True))) for row in coverage.rows]
        if coverage
        else []
    )
    return render(
        request,
        "organisations/reports/coverage.html",
        {
            "organisation": scope.organisation,
            "form": form,
            "coverage": coverage,
            "rows": rows,
            "chart": chart,
            "query_string": _query_string(request),
        },
    )


def _own_export(
    request: AuthenticatedHttpRequest, public_id: UUID, export_id: UUID
) -> ReportExport:
    scope = _scope(request, public_id)
    return get_object_or_404(
        ReportExport,
        organisation=scope.organisation,
        public_id=export_id,
        requested_by=request.user,
    )


@login_required
def report_export(
    request: AuthenticatedHttpRequest, public_id: UUID, export_id: UUID
) -> HttpResponse:
    """A report being built: its progress (the page refreshes itself, no JavaScript), then the
    download link."""
    export = _own_export(request, public_id, export_id)
    waiting = export.status in (ExportStatus.QUEUED, ExportStatus.RUNNING)
    return render(
        request,
        "organisations/reports/export.html",
        {"organisation": export.organisation, "export": export, "waiting": waiting},
    )


@login_required
def report_export_download(
    request: AuthenticatedHttpRequest, public_id: UUID, export_id: UUID
) -> FileResponse:
    export = _own_export(request, public_id, export_id)
    if export.status != ExportStatus.DONE or not export.file:
        raise Http404
    scope = scope_for(request.user, export.organisation)
    if not may_download(scope, export):
        # The people it holds are no longer all in the requester's sight: the file is closed.
        raise Http404
    log_export(
        scope,
        ReportRequest.from_export(export),
        by=request.user,
        people=export.member_ids,
    )
    return FileResponse(
        export.file.open("rb"),
        as_attachment=True,
        filename=(export.file.name or "").rsplit("/", 1)[-1].split("-", 1)[-1],
        content_type=CONTENT_TYPES[export.format],  # type: ignore[index]
    )
