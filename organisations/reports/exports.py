"""Building report files, in the request when small and in a Celery task when large.

A report's parameters (filters, role profile, language) are kept as plain values, so that a task
can rebuild exactly what was asked; the scope is decided again, for the requester, when the task
runs: someone who lost their scope in between gets no file.
"""

import io
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import override

from certificates.api import log_personal_export
from frameworks.models import RoleProfile
from lms.api import JobUnavailableError, Progress, run_file_job
from organisations.core.scope import Scope, scope_for
from organisations.reports import render
from organisations.reports.models import ReportExport, ReportFormat, ReportKind
from organisations.reports.selectors import TeamFilters, filtered_memberships, team_progress
from organisations.reports.summaries import competence_coverage, organisation_summary

CONTENT_TYPES = {
    ReportFormat.CSV: "text/csv; charset=utf-8",
    ReportFormat.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ReportFormat.PDF: "application/pdf",
}


class ReportUnavailableError(JobUnavailableError):
    """The report cannot be built (its role profile is gone, or the requester's scope)."""


@dataclass(frozen=True)
class ReportRequest:
    kind: str
    format: str
    unit: str = ""  # a unit's public id
    profession: str = ""
    country: str = ""
    role: str = ""  # a role profile's slug (coverage)
    language: str = "en"

    def as_parameters(self) -> dict[str, str]:
        return {
            "unit": self.unit,
            "profession": self.profession,
            "country": self.country,
            "role": self.role,
            "language": self.language,
        }

    @classmethod
    def from_export(cls, export: ReportExport) -> "ReportRequest":
        p = export.parameters
        return cls(
            kind=export.kind,
            format=export.format,
            **{k: str(p.get(k, "")) for k in ("unit", "profession", "country", "role")},
            language=str(p.get("language") or settings.LANGUAGE_CODE),
        )

    def filters(self, scope: Scope) -> TeamFilters:
        unit = scope.units().filter(public_id=self.unit).first() if self.unit else None
        if self.unit and unit is None:
            raise ReportUnavailableError(_("The unit is no longer in your scope."))
        return TeamFilters(unit=unit, profession=self.profession, country=self.country)

    def filename(self, scope: Scope) -> str:
        day = timezone.localdate().isoformat()
        return f"{self.kind}-{slugify(scope.organisation.name)[:40]}-{day}.{self.format}"


PERSONAL_KINDS = (ReportKind.TEAM, ReportKind.COVERAGE)  # a row per member; the summary has none


def people_in(scope: Scope, request: ReportRequest) -> list[int]:
    """The members a personal report of ``request`` holds for ``scope`` (none for the summary,
    which holds figures only)."""
    if request.kind not in PERSONAL_KINDS:
        return []
    try:
        filters = request.filters(scope)
    except ReportUnavailableError:
        filters = TeamFilters()
    return list(filtered_memberships(scope, filters).values_list("user_id", flat=True))


def log_export(
    scope: Scope, request: ReportRequest, *, by: Any, people: list[int] | None = None
) -> int:
    """Write to the access log that ``by`` exported the personal data of each member the
    report holds: ``people`` (a built file's), or those the request selects now. One insert."""
    if request.kind not in PERSONAL_KINDS:
        return 0
    if people is None:
        people = people_in(scope, request)
    return log_personal_export(
        user=by,
        learner_ids=people,
        context=f"organisation:{scope.organisation.public_id}",
        detail=f"{request.kind} report ({request.format})",
    )


def is_large(scope: Scope, request: ReportRequest) -> bool:
    """Too big to build in the request: more members than ``REPORT_INLINE_MAX_MEMBERS``."""
    if request.kind == ReportKind.SUMMARY:
        return False
    return filtered_memberships(scope, request.filters(scope)).count() > (
        settings.REPORT_INLINE_MAX_MEMBERS
    )


def build(scope: Scope, request: ReportRequest, progress: Progress | None = None) -> bytes:
    """The report file's bytes, in the request's language."""
    with override(request.language):
        if request.kind == ReportKind.TEAM:
            report = team_progress(scope, request.filters(scope), language=request.language)
            return _render(request.format, "team", report, progress)
        if request.kind == ReportKind.SUMMARY:
            summary = organisation_summary(scope, language=request.language)
            return _render(request.format, "summary", summary, progress)
        profile = RoleProfile.objects.filter(slug=request.role).first()
        if profile is None:
            raise ReportUnavailableError(_("The role profile no longer exists."))
        coverage = competence_coverage(
            scope, profile, request.filters(scope), language=request.language
        )
        return _render(request.format, "coverage", coverage, progress)


def _render(fmt: str, name: str, report: Any, progress: Progress | None) -> bytes:
    if fmt == ReportFormat.CSV:
        lines: Iterable[str] = getattr(render, f"{name}_csv")(report)
        return "".join(lines).encode("utf-8")
    if fmt == ReportFormat.XLSX:
        out = io.BytesIO()
        writer = getattr(render, f"{name}_xlsx")
        if name == "team":
            writer(report, out, progress=progress)
        else:
            writer(report, out)
        return out.getvalue()
    if name == "team":
        return bytes(render.team_pdf(report, progress=progress))
    return bytes(getattr(render, f"{name}_pdf")(report))


def may_download(scope: Scope, export: ReportExport) -> bool:
    """A built file is handed over only while its requester still sees everyone it holds (a
    member moved out of a supervisor's subtree, or a supervisor made a member, closes it)."""
    request = ReportRequest.from_export(export)
    if scope.is_empty or (request.kind == ReportKind.SUMMARY and not scope.whole):
        return False
    held = set(export.member_ids)
    if not held:
        return True
    visible = scope.memberships().filter(user_id__in=held).values_list("user_id", flat=True)
    return held == set(visible)


def run_export(export_id: int) -> None:
    """Build a queued export (idempotent: a finished or running one is left alone). The scope
    is decided again, for the requester, now."""

    def make(export: ReportExport, progress: Progress) -> tuple[bytes, str, dict[str, Any]]:
        request = ReportRequest.from_export(export)
        scope = scope_for(export.requested_by, export.organisation)
        if scope.is_empty:
            raise ReportUnavailableError(_("You can no longer see this organisation's members."))
        if request.kind == ReportKind.SUMMARY and not scope.whole:
            raise ReportUnavailableError(_("Only the organisation's admins see its summary."))
        held = {"member_ids": people_in(scope, request)}
        return build(scope, request, progress), request.filename(scope), held

    run_file_job(
        ReportExport,
        export_id,
        make,
        select_related=("organisation", "requested_by"),
        failure=lambda: _("The report could not be built. Please try again later."),
    )
