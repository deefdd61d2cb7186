"""Supervisors' and admins' view of their team's CPD: for each member in scope and each body
the member reports to, where they stand in the current cycle and what is missing.

The ledger and its rules belong to the certificates app; this module decides, through
``scope``, whose standings to read, a page of members at a time (a fixed number of queries)."""

from dataclasses import dataclass
from uuid import UUID

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render

from certificates.api import Standing, registrations_for, standings_for
from lms.api import AuthenticatedHttpRequest
from organisations.models import Membership
from organisations.scope import get_scope_for_user

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
