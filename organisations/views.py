"""Pages of the organisations app."""

from uuid import UUID

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from organisations import selectors
from organisations.permissions import OrganisationPermission


@login_required
def organisation_list(request: HttpRequest) -> HttpResponse:
    memberships = selectors.memberships_for_user(request.user)  # type: ignore[arg-type]
    return render(request, "organisations/list.html", {"memberships": memberships})


@login_required
def organisation_detail(request: HttpRequest, public_id: UUID) -> HttpResponse:
    user = request.user
    organisation = selectors.get_organisation_for_user(user, public_id)  # type: ignore[arg-type]
    can_manage = user.has_perm(OrganisationPermission.MANAGE.value, organisation)
    members = selectors.members_of(organisation) if can_manage else None
    return render(
        request,
        "organisations/detail.html",
        {"organisation": organisation, "members": members, "can_manage": can_manage},
    )
