"""Pages of the organisations app: the organisation and its members, units, course
assignments. Reports, invitations and seats have their own view modules.

Who may see which members is decided by ``scope`` and nowhere else."""

from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from lms.api import AuthenticatedHttpRequest, confirmation_page
from organisations.core import selectors, services
from organisations.core.forms import AssignCourseForm, UnitForm, UnitMemberForm
from organisations.core.models import CourseAssignment, Membership, Unit, UnitMembership
from organisations.core.scope import Scope, get_scope_for_user, scope_for
from organisations.seats.selectors import seat_status_for_members

MEMBERS_PER_PAGE = 100


@login_required
def organisation_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    memberships = selectors.memberships_for_user(request.user)
    return render(request, "organisations/list.html", {"memberships": memberships})


@login_required
def organisation_detail(request: AuthenticatedHttpRequest, public_id: UUID) -> HttpResponse:
    """The organisation; for admins and supervisors, the members in their scope with their
    units (and, for admins, their seats). A fixed number of queries per page."""
    user = request.user
    organisation = selectors.get_organisation_for_user(user, public_id)
    scope = scope_for(user, organisation)
    page = None
    units: dict[int, list[str]] = {}
    seats: dict[int, list[tuple[str, str]]] = {}
    if not scope.is_empty:
        members = scope.memberships().select_related("user").order_by("user__display_name", "id")
        page = Paginator(members, MEMBERS_PER_PAGE).get_page(request.GET.get("page"))
        ids = [m.user_id for m in page.object_list]
        for user_id, name in UnitMembership.objects.filter(
            unit__organisation=organisation, user_id__in=ids
        ).values_list("user_id", "unit__name"):
            units.setdefault(user_id, []).append(name)
        if scope.whole:
            seats = seat_status_for_members(organisation, ids)
    rows = [
        (m, sorted(units.get(m.user_id, [])), seats.get(m.user_id, []))
        for m in (page.object_list if page else [])
    ]
    own_units = UnitMembership.objects.filter(
        unit__organisation=organisation, user_id=user.pk or 0
    ).select_related("unit")
    return render(
        request,
        "organisations/detail.html",
        {
            "organisation": organisation,
            "scope": scope,
            "page": page,
            "rows": rows,
            "own_units": own_units,
        },
    )


def _admin_scope(request: AuthenticatedHttpRequest, public_id: UUID) -> Scope:
    scope = get_scope_for_user(request.user, public_id)
    if not scope.whole:
        raise Http404
    return scope


def _unit_tree(units: list[Unit]) -> list[tuple[Unit, int]]:
    """Units in tree order with their depth (no query)."""
    children: dict[int | None, list[Unit]] = {}
    for unit in units:
        children.setdefault(unit.parent_id, []).append(unit)
    ordered: list[tuple[Unit, int]] = []

    def walk(parent: int | None, depth: int) -> None:
        for unit in sorted(children.get(parent, []), key=lambda u: u.name.casefold()):
            ordered.append((unit, depth))
            walk(unit.pk, depth + 1)

    walk(None, 0)
    return ordered


@login_required
def units(request: AuthenticatedHttpRequest, public_id: UUID) -> HttpResponse:
    """The organisation's units as a tree with their people; add units and people (admins)."""
    scope = _admin_scope(request, public_id)
    organisation = scope.organisation
    all_units = list(Unit.objects.filter(organisation=organisation))
    unit_form = UnitForm(organisation=organisation, prefix="unit")
    member_form = UnitMemberForm(organisation=organisation, prefix="member")
    if request.method == "POST":
        if "unit-name" in request.POST:
            unit_form = UnitForm(request.POST, organisation=organisation, prefix="unit")
            if unit_form.is_valid():
                try:
                    services.create_unit(organisation=organisation, **unit_form.cleaned_data)
                except ValidationError as error:
                    unit_form.add_error(None, error)
                else:
                    messages.success(request, _("The unit was added."))
                    return redirect("organisations:units", organisation.public_id)
        else:
            member_form = UnitMemberForm(request.POST, organisation=organisation, prefix="member")
            if member_form.is_valid():
                data = member_form.cleaned_data
                try:
                    services.set_unit_membership(
                        unit=data["unit"], user=data["member"], supervises=data["supervises"]
                    )
                except ValidationError as error:
                    member_form.add_error(None, error)
                else:
                    messages.success(request, _("The unit's people were updated."))
                    return redirect("organisations:units", organisation.public_id)
    people: dict[int, list[UnitMembership]] = {}
    for unit_membership in (
        UnitMembership.objects.filter(unit__organisation=organisation)
        .select_related("user")
        .order_by("-supervises", "user__display_name")
    ):
        people.setdefault(unit_membership.unit_id, []).append(unit_membership)
    tree = [(unit, depth, people.get(unit.pk, [])) for unit, depth in _unit_tree(all_units)]
    return render(
        request,
        "organisations/units.html",
        {
            "organisation": organisation,
            "tree": tree,
            "unit_form": unit_form,
            "member_form": member_form,
        },
    )


@login_required
@require_POST
def unit_remove_member(
    request: AuthenticatedHttpRequest, public_id: UUID, unit_id: UUID
) -> HttpResponse:
    scope = _admin_scope(request, public_id)
    unit = get_object_or_404(Unit, organisation=scope.organisation, public_id=unit_id)
    membership = Membership.objects.filter(
        organisation=scope.organisation, user__public_id=request.POST.get("member", "")
    ).select_related("user")
    found = membership.first() if _is_uuid(request.POST.get("member", "")) else None
    if found is None:
        raise Http404
    services.remove_from_unit(unit=unit, user=found.user)
    messages.success(
        request, _("%(name)s left %(unit)s.") % {"name": found.user.display_name, "unit": unit.name}
    )
    return redirect("organisations:units", scope.organisation.public_id)


@login_required
@require_http_methods(["GET", "POST"])
def unit_delete(request: AuthenticatedHttpRequest, public_id: UUID, unit_id: UUID) -> HttpResponse:
    """Ask (GET), then delete (POST) a unit without sub-units."""
    scope = _admin_scope(request, public_id)
    unit = get_object_or_404(Unit, organisation=scope.organisation, public_id=unit_id)
    if request.method == "GET":
        return confirmation_page(
            request,
            question=_("Delete the unit %(name)s?") % {"name": unit.name},
            consequences=[
                _("The unit is deleted for good; its supervisors lose what it let them see."),
                _("Its people stay members of %(organisation)s.")
                % {"organisation": scope.organisation.name},
            ],
            confirm=_("Yes, delete the unit"),
            back_url=reverse("organisations:units", args=[scope.organisation.public_id]),
        )
    try:
        services.delete_unit(unit=unit)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The unit was deleted."))
    return redirect("organisations:units", scope.organisation.public_id)


def _is_uuid(value: str) -> bool:
    try:
        UUID(value)
    except ValueError:
        return False
    return True


@login_required
def assignments(request: AuthenticatedHttpRequest, public_id: UUID) -> HttpResponse:
    """Ask members (listed by e-mail, or a whole unit) to take a course or journey by a date."""
    scope = _admin_scope(request, public_id)
    organisation = scope.organisation
    form = AssignCourseForm(request.POST or None, scope=scope)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            count = services.assign_course(
                organisation=organisation,
                members=form.members(),
                course=data["course"],
                journey=data["journey"],
                due_on=data["due_on"],
                by=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                ngettext("Assigned to %(count)d member.", "Assigned to %(count)d members.", count)
                % {"count": count},
            )
            return redirect("organisations:assignments", organisation.public_id)
    recent = Paginator(
        CourseAssignment.objects.filter(organisation=organisation)
        .select_related("member", "course", "journey")
        .order_by("-assigned_at", "-id"),
        50,
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "organisations/assignments.html",
        {"organisation": organisation, "form": form, "recent": recent},
    )
