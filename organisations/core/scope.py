"""Who may see which members of an organisation: the one place that decides it.

Every page, API endpoint, export and report of this app that shows people goes through
:func:`get_scope_for_user` (or :func:`scope_for`) and reads members only from the scope it
returns. The decision rests on django-guardian object permissions, granted and withdrawn by
``services`` as roles change:

- ``organisations.manage_organisation`` on the organisation (admins; staff hold it globally):
  the whole organisation;
- ``organisations.supervise_unit`` on a unit (its supervisors): the members of that unit and of
  every unit below it;
- anyone else: nobody (a member sees their own records elsewhere, not here).
"""

from collections import defaultdict
from dataclasses import dataclass
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from guardian.shortcuts import get_objects_for_user

from lms.api import NotFound
from lms.models import User
from organisations.core.models import Membership, Organisation, Unit, UnitMembership
from organisations.core.permissions import OrganisationPermission, UnitPermission


@dataclass(frozen=True)
class Scope:
    """The members of ``organisation`` that a user may see."""

    organisation: Organisation
    whole: bool
    unit_ids: frozenset[int]

    @property
    def is_empty(self) -> bool:
        return not self.whole and not self.unit_ids

    def memberships(self) -> QuerySet[Membership]:
        """The memberships in scope (one query when evaluated)."""
        found = Membership.objects.filter(organisation=self.organisation)
        if self.whole:
            return found
        if not self.unit_ids:
            return found.none()
        return found.filter(
            user__in=UnitMembership.objects.filter(unit__in=self.unit_ids).values("user")
        )

    def units(self) -> QuerySet[Unit]:
        found = Unit.objects.filter(organisation=self.organisation)
        return found if self.whole else found.filter(pk__in=self.unit_ids)


def subtree(unit_ids: set[int], units: list[Unit]) -> frozenset[int]:
    """``unit_ids`` and every unit below them, from the organisation's ``units`` (no query)."""
    children: dict[int | None, list[int]] = defaultdict(list)
    for unit in units:
        children[unit.parent_id].append(unit.pk)
    found: set[int] = set()
    stack = list(unit_ids)
    while stack:
        current = stack.pop()
        if current in found:
            continue
        found.add(current)
        stack.extend(children.get(current, ()))
    return frozenset(found)


def scope_for(user: User, organisation: Organisation) -> Scope:
    """The user's scope in ``organisation`` (possibly empty). Five queries at most."""
    if not user.is_authenticated or not user.is_active:
        return Scope(organisation, whole=False, unit_ids=frozenset())
    if user.has_perm(OrganisationPermission.MANAGE.value, organisation):
        return Scope(organisation, whole=True, unit_ids=frozenset())
    supervised = set(
        get_objects_for_user(
            user,
            UnitPermission.SUPERVISE.value,
            klass=Unit.objects.filter(organisation=organisation),
            accept_global_perms=False,
        ).values_list("pk", flat=True)
    )
    if not supervised:
        return Scope(organisation, whole=False, unit_ids=frozenset())
    units = list(Unit.objects.filter(organisation=organisation).only("pk", "parent_id"))
    return Scope(organisation, whole=False, unit_ids=subtree(supervised, units))


def scopes_for_user(user: User) -> list[Scope]:
    """Every non-empty scope ``user`` holds through memberships (administered organisations
    whole, supervised units with their subtrees), in three queries whatever the number of
    organisations. Object permissions only: staff's global permission would be every
    organisation's work, which is not theirs to do."""
    if not user.is_authenticated or not user.is_active:
        return []
    managed = list(
        get_objects_for_user(
            user,
            OrganisationPermission.MANAGE.value,
            klass=Organisation,
            accept_global_perms=False,
            with_superuser=False,
        ).order_by("name", "pk")
    )
    supervised = list(
        get_objects_for_user(
            user,
            UnitPermission.SUPERVISE.value,
            klass=Unit.objects.exclude(organisation__in=managed).select_related("organisation"),
            accept_global_perms=False,
            with_superuser=False,
        )
    )
    scopes = [Scope(organisation, whole=True, unit_ids=frozenset()) for organisation in managed]
    if not supervised:
        return scopes
    organisations = {unit.organisation_id: unit.organisation for unit in supervised}
    units: dict[int, list[Unit]] = defaultdict(list)
    for unit in Unit.objects.filter(organisation_id__in=organisations).only(
        "pk", "parent_id", "organisation_id"
    ):
        units[unit.organisation_id].append(unit)
    for organisation_id, organisation in sorted(
        organisations.items(), key=lambda pair: (pair[1].name, pair[0])
    ):
        own = {unit.pk for unit in supervised if unit.organisation_id == organisation_id}
        scopes.append(
            Scope(organisation, whole=False, unit_ids=subtree(own, units[organisation_id]))
        )
    return scopes


def get_scope_for_user(user: User, public_id: UUID | str) -> Scope:
    """The user's non-empty scope in the organisation; 404 (as if it did not exist) when the
    user may see none of its members."""
    try:
        organisation = Organisation.objects.get(public_id=public_id)
    except (Organisation.DoesNotExist, ValueError, ValidationError) as exc:
        raise NotFound from exc
    scope = scope_for(user, organisation)
    if scope.is_empty:
        raise NotFound
    return scope


def get_member_for_user(scope: Scope, public_id: UUID | str) -> Membership:
    """A membership in scope by the member's public id; 404 outside it."""
    try:
        return scope.memberships().select_related("user").get(user__public_id=public_id)
    except (Membership.DoesNotExist, ValueError, ValidationError) as exc:
        raise NotFound from exc


def get_organisation_for_user(user: User, public_id: UUID | str) -> Organisation:
    """The organisation itself (its name, its page), for any of its members, admins or staff;
    otherwise 404, as if it did not exist. Seeing its *people* needs a scope."""
    visible = get_objects_for_user(
        user, OrganisationPermission.VIEW.value, klass=Organisation, accept_global_perms=True
    )
    try:
        return visible.get(public_id=public_id)
    except (Organisation.DoesNotExist, ValueError, ValidationError) as exc:
        raise NotFound from exc
