"""Pages of the certificates app."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render

from certificates.audit import selectors
from certificates.audit.scope import accreditations_for_user, rule_sets_for_user
from lms.api import AuthenticatedHttpRequest


@login_required
def accreditor_workspace(request: AuthenticatedHttpRequest) -> HttpResponse:
    bodies = list(selectors.bodies_for_accreditor(request.user))
    if not bodies:
        raise Http404
    mine = accreditations_for_user(request.user)
    accreditations = mine.select_related("body").order_by("body__name", "reference")
    return render(
        request,
        "certificates/workspace.html",
        {
            "bodies": bodies,
            "accreditations": accreditations,
            "rule_sets": rule_sets_for_user(request.user).order_by("body__name", "name"),
        },
    )
