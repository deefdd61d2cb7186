"""Reads of the certificates app."""

from django.db.models import QuerySet

from certificates.models import AccreditingBody
from lms.api import Role, User


def roles_from_accreditation(user: User) -> set[Role]:
    return {Role.ACCREDITOR} if user.accreditor_roles.exists() else set()


def bodies_for_accreditor(user: User) -> QuerySet[AccreditingBody]:
    return AccreditingBody.objects.filter(accreditors__user=user).order_by("name")
