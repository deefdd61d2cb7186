"""Demo data of the organisations app: one organisation with a member, a supervisor and an
admin, a regional office with a team the supervisor leads, a pool of paid seats, the demo
journey assigned to the learner with a due date, and a pending invitation."""

from datetime import timedelta

from django.utils import timezone

from courses.models import LearningJourney
from lms.api import DemoContext, Role
from organisations.core import services
from organisations.core.models import MembershipRole, Organisation, OrganisationKind, Unit, UnitKind
from organisations.invitations.models import Invitation
from organisations.invitations.services import invite
from organisations.seats.models import SeatPool


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
    _units_and_assignments(context, organisation)


def _units_and_assignments(context: DemoContext, organisation: Organisation) -> None:
    office = Unit.objects.filter(organisation=organisation, name="North-East office").first()
    if office is None:
        office = services.create_unit(
            organisation=organisation, name="North-East office", kind=UnitKind.REGIONAL_OFFICE
        )
    team = Unit.objects.filter(organisation=organisation, name="Case work team").first()
    if team is None:
        team = services.create_unit(organisation=organisation, name="Case work team", parent=office)
    services.set_unit_membership(unit=team, user=context.users[Role.LEARNER])
    services.set_unit_membership(unit=office, user=context.users[Role.SUPERVISOR], supervises=True)
    journey = LearningJourney.objects.filter(slug="safeguarding-essentials").first()
    if journey is not None:
        services.assign_course(
            organisation=organisation,
            members=[context.users[Role.LEARNER]],
            journey=journey,
            due_on=timezone.localdate() + timedelta(days=14),
            by=context.users[Role.ORGANISATION_ADMIN],
        )
    if not Invitation.objects.filter(organisation=organisation).exists():
        invite(
            organisation=organisation,
            email="new.colleague@demo.practica.test",
            name="New colleague",
            unit=team,
            by=context.users[Role.ORGANISATION_ADMIN],
        )
