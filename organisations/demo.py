"""Demo data of the organisations app: one organisation with a member, a supervisor and an admin."""

from lms.api import Role
from lms.demo import DemoContext
from organisations import services
from organisations.models import MembershipRole, Organisation, OrganisationKind


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
