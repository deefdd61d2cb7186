"""Demo data of the organisations app: one organisation with a member, a supervisor and an
admin, a unit tree (a national office, two regional offices, three teams), the supervisor over
the North-East office, a dozen members in the teams at every stage of the demo courses (see
lms/demo.py), a pool of paid seats, the demo journey assigned to the learner with a due date,
the demo courses assigned to the members (the overdue ones' due date a week ago), and a pending
invitation. Due dates follow today, whenever the demo loads."""

from datetime import timedelta

from django.utils import timezone

from courses.models import Course, LearningJourney
from lms.api import DemoContext, DemoStage, DemoText, Role
from organisations.core import services
from organisations.core.models import MembershipRole, Organisation, OrganisationKind, Unit, UnitKind
from organisations.invitations.models import Invitation
from organisations.invitations.services import invite
from organisations.seats.models import SeatPool


def load(context: DemoContext) -> None:
    organisation, _created = Organisation.objects.update_or_create(
        slug="demo-child-protection-network",
        defaults={
            "name": context.text(ORGANISATION_NAME),
            "country": "RO",
            "kind": OrganisationKind.NGO,
        },
    )
    for role, membership_role, job_title in [
        (Role.LEARNER, MembershipRole.MEMBER, {"en": "Case worker", "ro": "Asistent social"}),
        (Role.SUPERVISOR, MembershipRole.SUPERVISOR, {"en": "Team leader", "ro": "Șef de echipă"}),
        (
            Role.ORGANISATION_ADMIN,
            MembershipRole.ADMIN,
            {"en": "Training coordinator", "ro": "Coordonator de formare"},
        ),
    ]:
        services.set_membership(
            organisation=organisation,
            user=context.users[role],
            role=membership_role,
            job_title=context.text(job_title),
        )
    # Ten catalogue seats for a year: the demo learner's paid courses take one.
    today = timezone.localdate()
    pool_name = context.text({"en": "Catalogue seats (demo)", "ro": "Locuri în catalog (demo)"})
    SeatPool.objects.update_or_create(
        organisation=organisation,
        order_reference="DEMO-2026",
        defaults={"name": pool_name},
        create_defaults={
            "name": pool_name,
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


NEWCOMER_EMAIL = "new.colleague@demo.practica.test"
ORGANISATION_NAME: DemoText = {
    "en": "Child Protection Network (demo)",
    "ro": "Rețeaua pentru Protecția Copilului (demo)",
}

# key (the English name), the names, the parent's key, kind: parents first.
_UNITS: list[tuple[str, DemoText, str | None, str]] = [
    ("National office", {"ro": "Biroul național"}, None, UnitKind.DEPARTMENT),
    ("North-East office", {"ro": "Biroul Nord-Est"}, "National office", UnitKind.REGIONAL_OFFICE),
    ("South office", {"ro": "Biroul Sud"}, "National office", UnitKind.REGIONAL_OFFICE),
    ("Case work team", {"ro": "Echipa de asistență socială"}, "North-East office", UnitKind.TEAM),
    ("Family support team", {"ro": "Echipa de sprijin pentru familii"}, "North-East office",
     UnitKind.TEAM),
    ("Helpline team", {"ro": "Echipa liniei de urgență"}, "South office", UnitKind.TEAM),
]  # fmt: skip


def _unit_tree(context: DemoContext, organisation: Organisation) -> dict[str, Unit]:
    """The demo's units by key, named in the demo's language; a unit is found by its name in
    either language, so that loading in the other language renames it."""
    existing = {u.name: u for u in Unit.objects.filter(organisation=organisation)}
    units: dict[str, Unit] = {}
    for key, translations, parent_key, kind in _UNITS:
        names = {"en": key, **translations}
        name = context.text(names)
        parent = units[parent_key] if parent_key else None
        unit = next((existing[n] for n in names.values() if n in existing), None)
        if unit is None:
            unit = services.create_unit(
                organisation=organisation, name=name, parent=parent, kind=kind
            )
        elif unit.parent_id != (parent.pk if parent else None):
            # An older demo had the regional office at the top.
            unit = services.move_unit(unit=unit, parent=parent)
        if unit.name != name:
            unit.name = name
            unit.save(update_fields=["name"])
        units[key] = unit
    return units


def _units_and_assignments(context: DemoContext, organisation: Organisation) -> None:
    units = _unit_tree(context, organisation)
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
    newcomer = context.text({"en": "New colleague", "ro": "Coleg nou"})
    if not Invitation.objects.filter(organisation=organisation).exists():
        invite(
            organisation=organisation,
            email=NEWCOMER_EMAIL,
            name=newcomer,
            unit=team,
            by=context.users[Role.ORGANISATION_ADMIN],
        )
    else:
        Invitation.objects.filter(organisation=organisation, email=NEWCOMER_EMAIL).update(
            name=newcomer
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
