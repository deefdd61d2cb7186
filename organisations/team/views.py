"""What an organisation sees of its members' certificates: their CPD standings (supervisors and
admins), the outcomes of accreditors' audit rounds on their records (admins: everyone;
supervisors: their units), and, for admins, the access log of who saw or exported their data —
accreditors, and the organisation's own people's exports.

The ledger, the records and the log belong to the certificates app; this module only decides,
through ``scope``, whose entries to read, a page of members at a time (a fixed number of
queries)."""

from dataclasses import dataclass
from uuid import UUID

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render

from certificates.api import (
    Standing,
    access_log_for_learners,
    decided_samples_of,
    outcomes,
    registrations_for,
    standings_for,
)
from lms.api import AuthenticatedHttpRequest
from organisations.core.models import Membership
from organisations.core.scope import get_scope_for_user

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


# --- CPD -----------------------------------------------------------------------------------

MEMBERS_PER_PAGE = 50


@dataclass(frozen=True)
class MemberStanding:
    membership: Membership
    standings: tuple[Standing, ...]  # one per body the member reports to

    @property
    def met(self) -> bool | None:
        """True when every standing is met, None when the member reports to no body."""
        return all(s.met for s in self.standings) if self.standings else None


@login_required
def team_cpd(request: AuthenticatedHttpRequest, public_id: UUID) -> HttpResponse:
    scope = get_scope_for_user(request.user, public_id)
    members = scope.memberships().select_related("user").order_by("user__display_name", "id")
    page = Paginator(members, MEMBERS_PER_PAGE).get_page(request.GET.get("page"))
    memberships = list(page.object_list)
    standings: dict[int, list[Standing]] = {}
    for standing in standings_for(registrations_for([m.user_id for m in memberships])):
        standings.setdefault(standing.registration.learner_id, []).append(standing)
    rows = [MemberStanding(m, tuple(standings.get(m.user_id, ()))) for m in memberships]
    return render(
        request,
        "organisations/team_cpd.html",
        {
            "organisation": scope.organisation,
            "scope": scope,
            "page": page,
            "rows": rows,
            "behind": sum(1 for row in rows if row.met is False),
        },
    )
