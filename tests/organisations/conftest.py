"""An organisation with a tree of units, supervisors and learning, shared by scope and report
tests.

    Child Protection Network
      North region            (supervised by north_lead)
        Team A                ann (member)
        Team B                bob (member), supervised by b_lead
      Head office             cat (member)
    Another organisation      dan (member), its admin
"""

from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.utils import timezone

from courses.models import CourseUnit, JourneyStep, UnitKind
from courses.ports import lrs
from courses.services import enrol_in_journey, enrol_learner
from lms.models import User
from organisations.core import services
from organisations.models import MembershipRole, Organisation, Unit
from tests.courses.factories import CourseFactory, JourneyFactory
from tests.lms.factories import UserFactory
from tests.organisations.factories import OrganisationFactory, make_member


def two_unit_course(**kwargs):
    """A course of two link units (each done when the learner marks it done)."""
    course = CourseFactory(**kwargs)
    for index in range(2):
        CourseUnit.objects.create(
            course=course, index=index, kind=UnitKind.LINK,
            activity_iri=f"{course.activity_iri}/link/{index}", title={"en": f"Part {index}"},
            url="https://example.org/reading", move_on="Completed",
        )  # fmt: skip
    return course


def mark_done(learner, course, units=None):
    enrolment = enrol_learner(learner=learner, course=course)
    for unit in list(course.units.order_by("index"))[:units]:
        lrs().record_platform_unit(enrolment=enrolment, unit=unit, done=True)
    return enrolment


@dataclass
class World:
    org: Organisation
    other: Organisation
    north: Unit
    team_a: Unit
    team_b: Unit
    head_office: Unit
    admin: User
    north_lead: User
    b_lead: User
    ann: User
    bob: User
    cat: User
    dan: User
    other_admin: User
    plain_supervisor: User  # supervisor role, no unit


@pytest.fixture
def world(db) -> World:
    org = OrganisationFactory(name="Child Protection Network")
    other = OrganisationFactory(name="Another organisation")
    north = services.create_unit(organisation=org, name="North region", kind="regional_office")
    team_a = services.create_unit(organisation=org, name="Team A", parent=north)
    team_b = services.create_unit(organisation=org, name="Team B", parent=north)
    head_office = services.create_unit(organisation=org, name="Head office", kind="department")

    def person(name, organisation=org, role=MembershipRole.MEMBER, **extra):
        extra.setdefault("profession", "other")
        user = UserFactory(display_name=name, **extra)
        make_member(organisation, user=user, role=role)
        return user

    w = World(
        org=org, other=other, north=north, team_a=team_a, team_b=team_b, head_office=head_office,
        admin=person("Ada Admin", role=MembershipRole.ADMIN),
        north_lead=person("Nora North"), b_lead=person("Bea Lead"),
        ann=person("Ann Ionescu", profession="social_worker", country="RO"),
        bob=person("Bob Petrović", profession="psychologist", country="RS"),
        cat=person("Cat Popa", profession="social_worker", country="RO"),
        dan=person("Dan Other", organisation=other),
        other_admin=person("Olga Other", organisation=other, role=MembershipRole.ADMIN),
        plain_supervisor=person("Sam Unitless", role=MembershipRole.SUPERVISOR),
    )  # fmt: skip
    services.set_unit_membership(unit=north, user=w.north_lead, supervises=True)
    services.set_unit_membership(unit=team_b, user=w.b_lead, supervises=True)
    services.set_unit_membership(unit=team_a, user=w.ann)
    services.set_unit_membership(unit=team_b, user=w.bob)
    services.set_unit_membership(unit=head_office, user=w.cat)
    return w


@dataclass
class Learning:
    safeguarding: object
    interviewing: object
    journey: object


@pytest.fixture
def learning(world) -> Learning:
    """Ann completed Safeguarding (and so the journey); Bob is half-way; Cat was assigned it,
    due yesterday, and has not started; Interviewing is assigned to Bob, due next month."""
    safeguarding = two_unit_course(slug="safeguarding", cpd_hours=4)
    interviewing = two_unit_course(slug="interviewing", cpd_hours=2)
    journey = JourneyFactory(slug="foundations")
    JourneyStep.objects.create(journey=journey, course=safeguarding, order=1, required=True)
    today = timezone.localdate()
    enrol_in_journey(learner=world.ann, journey=journey)
    mark_done(world.ann, safeguarding)
    mark_done(world.bob, safeguarding, units=1)
    services.assign_course(
        organisation=world.org, members=[world.cat], course=safeguarding,
        due_on=today - timedelta(days=1), by=world.admin,
    )  # fmt: skip
    services.assign_course(
        organisation=world.org, members=[world.bob], course=interviewing,
        due_on=today + timedelta(days=30), by=world.admin,
    )  # fmt: skip
    return Learning(safeguarding, interviewing, journey)
