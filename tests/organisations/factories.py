"""Factories of the organisations app; memberships go through the service (roles carry perms)."""

import factory

from organisations.core import services
from organisations.models import Membership, MembershipRole, Organisation
from tests.lms.factories import UserFactory


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organisation {n}")
    slug = factory.Sequence(lambda n: f"organisation-{n}")
    country = "RO"


def make_member(organisation=None, user=None, role=MembershipRole.MEMBER) -> Membership:
    return services.set_membership(
        organisation=organisation or OrganisationFactory(),
        user=user or UserFactory(),
        role=role,
    )
