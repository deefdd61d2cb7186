"""Reads of the organisations app. Who may see whom is decided in ``scope``; these reads take
its answers."""

from uuid import UUID

from django.db.models import QuerySet

from lms.api import NotFound, Role
from lms.models import User
from organisations.core.models import Membership, MembershipRole, Organisation
from organisations.core.scope import get_organisation_for_user, get_scope_for_user

__all__ = [
    "get_managed_organisation",
    "get_organisation_for_user",
    "memberships_for_user",
    "roles_from_memberships",
]

_ROLE_BY_MEMBERSHIP: dict[str, Role] = {
    MembershipRole.SUPERVISOR: Role.SUPERVISOR,
    MembershipRole.ADMIN: Role.ORGANISATION_ADMIN,
}


def roles_from_memberships(user: User) -> set[Role]:
    """The site roles a user's memberships give them (one query)."""
    held = Membership.objects.filter(user=user).values_list("role", flat=True).distinct()
    return {_ROLE_BY_MEMBERSHIP[r] for r in held if r in _ROLE_BY_MEMBERSHIP}


def memberships_for_user(user: User) -> QuerySet[Membership]:
    return Membership.objects.filter(user=user).select_related("organisation")


def get_managed_organisation(user: User, public_id: UUID | str) -> Organisation:
    """The organisation, if ``user`` administers it (its whole scope); otherwise 404."""
    scope = get_scope_for_user(user, public_id)
    if not scope.whole:
        raise NotFound
    return scope.organisation
