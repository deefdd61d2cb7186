"""What accreditors' audits mean for an organisation's members: the outcomes of audit rounds
on their records (admins: everyone; supervisors: their units), and, for admins, the access log
of who saw or exported their data — accreditors, and the organisation's own people's exports.

The records and the log belong to the certificates app; this module only decides, through
``scope``, whose entries to read."""

from uuid import UUID

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render

from certificates.api import access_log_for_learners, decided_samples_of, outcomes
from lms.api import AuthenticatedHttpRequest
from organisations.scope import get_scope_for_user

PAGE_SIZE = 50


def export_context(organisation_public_id: UUID) -> str:
    """The access log's ``context`` of this organisation's exports."""
    return f"organisation:{organisation_public_id}"


@login_required
def audit_outcomes(request: AuthenticatedHttpRequest, public_id: UUID) -> HttpResponse:
    scope = get_scope_for_user(request.user, public_id)
    samples = decided_samples_of(scope.memberships().values("user_id"))
    page = Paginator(samples, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "organisations/audit_outcomes.html",
        {
            "organisation": scope.organisation,
            "scope": scope,
            "page": page,
            "outcomes": outcomes(page.object_list),
        },
    )


@login_required
def access_log(request: AuthenticatedHttpRequest, public_id: UUID) -> HttpResponse:
    """Admins only: the data's organisation reads who saw its members' records."""
    scope = get_scope_for_user(request.user, public_id)
    if not scope.whole:
        raise Http404
    entries = access_log_for_learners(
        scope.memberships().values("user_id"),
        context=export_context(scope.organisation.public_id),
    )
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "organisations/access_log.html",
        {"organisation": scope.organisation, "scope": scope, "page": page},
    )
