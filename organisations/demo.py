"""Demo data of the organisations app: one organisation with a member, a supervisor and an
admin, and a pool of paid seats."""

from datetime import timedelta

from django.utils import timezone

from lms.api import Role
from lms.demo import DemoContext
from organisations import services
from organisations.models import MembershipRole, Organisation, OrganisationKind, SeatPool


def load(context: DemoContext) -> None:
    organisation, _created = Organisation.objects.update_or_create(
        slug="demo-child-protection-network",
        defaults={
            "name": "Child Protection Network (demo)",
            "country": "RO",
            "kind": OrganisationKind.NGO,
        },
    )
    for role, membership_role, job_title in [
        (Role.LEARNER, MembershipRole.MEMBER, "Case worker"),
        (Role.SUPERVISOR, MembershipRole.SUPERVISOR, "Team leader"),
        (Role.ORGANISATION_ADMIN, MembershipRole.ADMIN, "Training coordinator"),
    ]:
        services.set_membership(
            organisation=organisation,
            user=context.users[role],
            role=membership_role,
            job_title=job_title,
        )
    # Ten catalogue seats for a year: the demo learner's paid courses take one.
    today = timezone.localdate()
    SeatPool.objects.get_or_create(
        organisation=organisation,
        order_reference="DEMO-2026",
        defaults={
            "name": "Catalogue seats (demo)",
            "seats": 10,
            "valid_from": today,
            "valid_until": today + timedelta(days=365),
            "price": 1500,
            "reclaim_after_days": 30,
        },
    )
