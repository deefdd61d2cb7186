"""Permission codenames of the organisations app and the object permissions each role carries."""

from enum import StrEnum

from organisations.core.models import MembershipRole


class OrganisationPermission(StrEnum):
    VIEW = "organisations.view_organisation"
    MANAGE = "organisations.manage_organisation"


class UnitPermission(StrEnum):
    SUPERVISE = "organisations.supervise_unit"


# What a membership of each role grants on its organisation (django-guardian object permissions).
ROLE_PERMISSIONS: dict[str, frozenset[OrganisationPermission]] = {
    MembershipRole.MEMBER: frozenset({OrganisationPermission.VIEW}),
    MembershipRole.SUPERVISOR: frozenset({OrganisationPermission.VIEW}),
    MembershipRole.ADMIN: frozenset({OrganisationPermission.VIEW, OrganisationPermission.MANAGE}),
}
