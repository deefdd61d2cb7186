"""The accreditor's audit pages: an accreditation's figures and flagged records, and a record's
evidence. Each page goes through ``audit.scope`` (404 outside it) and writes, in one insert, an
access log entry for every learner's record it shows."""

from datetime import date
from uuid import UUID

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from certificates.audit import bundles
from certificates.audit import selectors as audit
from certificates.audit.access_log import log_access
from certificates.audit.answers import answers_of
from certificates.audit.models import (
    AccessAction,
    AuditRound,
    AuditSample,
    BundleStatus,
    EvidenceBundle,
)
from certificates.audit.scope import (
    accreditations_for_user,
    get_accreditation_for_user,
    get_record_for_user,
)
from lms.api import DAY_VALIDATORS, AuthenticatedHttpRequest

PAGE_SIZE = 50


class PeriodForm(forms.Form):
    start = forms.DateField(
        label=_("From"),
        required=False,
        widget=forms.DateInput({"type": "date"}),
        validators=DAY_VALIDATORS,
    )
    end = forms.DateField(
        label=_("To"),
        required=False,
        widget=forms.DateInput({"type": "date"}),
        validators=DAY_VALIDATORS,
    )

    def clean(self) -> dict[str, object]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("start"), cleaned.get("end")
        if isinstance(start, date) and isinstance(end, date) and start > end:
            raise forms.ValidationError(_("The start of the period is after its end."))
        return cleaned


@login_required
def accreditation_audit(request: AuthenticatedHttpRequest, public_id: UUID) -> HttpResponse:
    accreditation = get_accreditation_for_user(request.user, public_id)
    start, end = audit.default_period(accreditation)
    form = PeriodForm(request.GET or None)
    if form.is_bound and form.is_valid():
        start = form.cleaned_data["start"] or start
        end = form.cleaned_data["end"] or end
        start = min(start, end)
    stats = audit.accreditation_statistics(accreditation, start=start, end=end)
    page = Paginator(stats.rows, PAGE_SIZE).get_page(request.GET.get("page"))
    shown = {row.record.pk: row.record for row in (*stats.flagged, *page.object_list)}
    log_access(
        user=request.user,
        action=AccessAction.VIEW_ACCREDITATION,
        accreditation=accreditation,
        records=shown.values(),
        detail=f"{start.isoformat()}..{end.isoformat()} page {page.number}",
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "certificates/audit/accreditation.html",
        {
            "accreditation": accreditation,
            "form": form,
            "stats": stats,
            "page": page,
            "query": query.urlencode(),
            "flag_labels": audit.FLAG_LABELS,
            "bundles": EvidenceBundle.objects.filter(
                accreditation=accreditation,
                requested_by=request.user,
            )[:5],
        },
    )


@login_required
def record_audit(request: AuthenticatedHttpRequest, record_id: UUID) -> HttpResponse:
    record, accreditation = get_record_for_user(request.user, record_id)
    statements = audit.statements_of_registration(record.registration)
    log_access(
        user=request.user,
        action=AccessAction.VIEW_RECORD,
        accreditation=accreditation,
        records=[record],
        detail=f"{len(statements)} statements",
    )
    sampled = AuditSample.objects.filter(
        record=record, round__accreditation__in=accreditations_for_user(request.user)
    )
    return render(
        request,
        "certificates/audit/record.html",
        {
            "record": record,
            "accreditation": accreditation,
            "statements": statements,
            "answers": list(answers_of(sampled)),
        },
    )


# --- evidence bundles ---------------------------------------------------------------------------


class BundleForm(PeriodForm):
    round = forms.UUIDField(required=False, widget=forms.HiddenInput)


@login_required
@require_POST
def bundle_new(request: AuthenticatedHttpRequest, public_id: UUID) -> HttpResponse:
    """Ask for an evidence bundle of a period's records or of a round's sample."""
    accreditation = get_accreditation_for_user(request.user, public_id)
    form = BundleForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for e in form.errors.values()))
        return redirect("audit-accreditation", accreditation.public_id)
    audit_round = None
    if form.cleaned_data["round"]:
        audit_round = get_object_or_404(
            AuditRound, public_id=form.cleaned_data["round"], accreditation=accreditation
        )
    bundle = bundles.request_bundle(
        accreditation=accreditation,
        by=request.user,
        start=form.cleaned_data["start"],
        end=form.cleaned_data["end"],
        audit_round=audit_round,
    )
    return redirect("audit-bundle", bundle.public_id)


def _own_bundle(request: AuthenticatedHttpRequest, bundle_id: UUID) -> EvidenceBundle:
    """The requester's own bundle of an accreditation still in their scope (404 otherwise)."""
    return get_object_or_404(
        EvidenceBundle.objects.select_related("accreditation__body", "audit_round"),
        public_id=bundle_id,
        requested_by=request.user,
        accreditation__in=accreditations_for_user(request.user),
    )


@login_required
def bundle_detail(request: AuthenticatedHttpRequest, bundle_id: UUID) -> HttpResponse:
    """A bundle being built: its progress (the page refreshes itself, no JavaScript), then the
    download link."""
    bundle = _own_bundle(request, bundle_id)
    waiting = bundle.status in (BundleStatus.QUEUED, BundleStatus.RUNNING)
    return render(request, "certificates/audit/bundle.html", {"bundle": bundle, "waiting": waiting})


@login_required
def bundle_download(request: AuthenticatedHttpRequest, bundle_id: UUID) -> FileResponse:
    bundle = _own_bundle(request, bundle_id)
    if bundle.status != BundleStatus.DONE or not bundle.file:
        raise Http404
    return FileResponse(
        bundle.file.open("rb"),
        as_attachment=True,
        filename=bundles.bundle_filename(bundle),
        content_type="application/zip",
    )
