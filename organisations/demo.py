"""Demo data of the organisations app: one organisation with a member, a supervisor and an
admin, a unit tree (a national office, two regional offices, three teams), the supervisor over
the North-East office, a dozen members in the teams at every stage of the demo courses (see
lms/demo.py), a pool of paid seats, the demo journey assigned to the learner with a due date,
the demo courses assigned to the members (the overdue ones' due date a week ago), and a pending
invitation. Due dates follow today, whenever the demo loads."""

from datetime import timedelta

from django.utils import timezone

from courses.models import Course, LearningJourney
from lms.api import DemoContext, DemoStage, Role
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
    for member in context.members:
        services.set_membership(
            organisation=organisation, user=member.user, job_title=member.job_title
        )
    _units_and_assignments(context, organisation)
    context.notes.append(
        "Team report (supervisor, organisation admin): "
        f"/organisations/{organisation.public_id}/reports/team/"
    )


# name, parent's name, kind: parents first.
_UNITS = [
    ("National office", None, UnitKind.DEPARTMENT),
    ("North-East office", "National office", UnitKind.REGIONAL_OFFICE),
    ("South office", "National office", UnitKind.REGIONAL_OFFICE),
    ("Case work team", "North-East office", UnitKind.TEAM),
    ("Family support team", "North-East office", UnitKind.TEAM),
    ("Helpline team", "South office", UnitKind.TEAM),
]


def _unit_tree(organisation: Organisation) -> dict[str, Unit]:
    units = {u.name: u for u in Unit.objects.filter(organisation=organisation)}
    for name, parent_name, kind in _UNITS:
        parent = units[parent_name] if parent_name else None
        unit = units.get(name)
        if unit is None:
            units[name] = services.create_unit(
                organisation=organisation, name=name, parent=parent, kind=kind
            )
        elif unit.parent_id != (parent.pk if parent else None):
            # An older demo had the regional office at the top.
            units[name] = services.move_unit(unit=unit, parent=parent)
    return units


def _units_and_assignments(context: DemoContext, organisation: Organisation) -> None:
    units = _unit_tree(organisation)
    office, team = units["North-East office"], units["Case work team"]
    services.set_unit_membership(unit=team, user=context.users[Role.LEARNER])
    services.set_unit_membership(unit=office, user=context.users[Role.SUPERVISOR], supervises=True)
    for member in context.members:
        services.set_unit_membership(unit=units[member.team], user=member.user)
    _assign_courses(context, organisation)
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


def _assign_courses(context: DemoContext, organisation: Organisation) -> None:
    """The accredited course for most, due in a month, or a week ago for the overdue; the
    other course for those who completed it, due last week (they were on time)."""
    courses = {
        c.activity_iri: c
        for c in Course.objects.filter(
            activity_iri__in=[
                "urn:practica:demo:course:talking-with-children",
                "urn:practica:demo:course:working-with-families",
            ]
        )
    }
    talking = courses.get("urn:practica:demo:course:talking-with-children")
    families = courses.get("urn:practica:demo:course:working-with-families")
    if talking is None or families is None:
        return
    today = timezone.localdate()
    admin = context.users[Role.ORGANISATION_ADMIN]
    for course, stages, due_on in [
        (
            talking,
            (DemoStage.NOT_STARTED, DemoStage.IN_PROGRESS, DemoStage.CERTIFIED),
            today + timedelta(days=30),
        ),
        (talking, (DemoStage.OVERDUE,), today - timedelta(days=7)),
        (families, (DemoStage.COMPLETED,), today - timedelta(days=7)),
    ]:
        services.assign_course(
            organisation=organisation,
            members=context.members_at(*stages),
            course=course,
            due_on=due_on,
            by=admin,
        )
