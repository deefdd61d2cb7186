"""Writes of the organisations app. Role changes grant and withdraw object permissions here."""

from django.db import transaction
from guardian.shortcuts import assign_perm, remove_perm

from lms.models import User
from organisations.models import Membership, MembershipRole, Organisation
from organisations.permissions import ROLE_PERMISSIONS, OrganisationPermission


def _sync_permissions(*, organisation: Organisation, user: User, role: str | None) -> None:
    granted = ROLE_PERMISSIONS[role] if role else frozenset()
    for perm in OrganisationPermission:
        if perm in granted:
            assign_perm(perm.value, user, organisation)
        else:
            remove_perm(perm.value, user, organisation)


@transaction.atomic
def set_membership(
    *,
    organisation: Organisation,
    user: User,
    role: str = MembershipRole.MEMBER,
    job_title: str = "",
) -> Membership:
    """Make ``user`` a member of ``organisation`` with ``role`` (creating or changing it)."""
    membership, _created = Membership.objects.update_or_create(
        organisation=organisation, user=user, defaults={"role": role, "job_title": job_title}
    )
    membership.full_clean()
    _sync_permissions(organisation=organisation, user=user, role=role)
    return membership


@transaction.atomic
def end_membership(*, organisation: Organisation, user: User) -> None:
    Membership.objects.filter(organisation=organisation, user=user).delete()
    _sync_permissions(organisation=organisation, user=user, role=None)
