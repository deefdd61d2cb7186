"""Writes of the organisations app. Role changes grant and withdraw object permissions here:
this is the only code that calls guardian's ``assign_perm`` / ``remove_perm`` for this app."""

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from guardian.shortcuts import assign_perm, remove_perm

from courses.models import Course, LearningJourney
from lms.models import User
from organisations.core.models import (
    CourseAssignment,
    Membership,
    MembershipRole,
    Organisation,
    Unit,
    UnitKind,
    UnitMembership,
)
from organisations.core.permissions import ROLE_PERMISSIONS, OrganisationPermission, UnitPermission


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
    profession: str = "",
) -> Membership:
    """Make ``user`` a member of ``organisation`` with ``role`` (creating or changing it). A
    plain member supervises no unit: a supervisor made a member loses their units' supervision
    (and so the sight of those units' people) at once."""
    membership, _created = Membership.objects.update_or_create(
        organisation=organisation,
        user=user,
        defaults={"role": role, "job_title": job_title, "profession": profession},
    )
    membership.full_clean()
    if role == MembershipRole.MEMBER:
        supervised = UnitMembership.objects.filter(
            unit__organisation=organisation, user=user, supervises=True
        ).select_related("unit")
        for unit_membership in supervised:
            remove_perm(UnitPermission.SUPERVISE.value, user, unit_membership.unit)
        supervised.update(supervises=False)
    _sync_permissions(organisation=organisation, user=user, role=role)
    return membership


@transaction.atomic
def end_membership(*, organisation: Organisation, user: User) -> None:
    """The person leaves: their units, their supervision and their permissions go with them."""
    for unit_membership in UnitMembership.objects.filter(
        unit__organisation=organisation, user=user
    ):
        remove_perm(UnitPermission.SUPERVISE.value, user, unit_membership.unit)
    UnitMembership.objects.filter(unit__organisation=organisation, user=user).delete()
    Membership.objects.filter(organisation=organisation, user=user).delete()
    _sync_permissions(organisation=organisation, user=user, role=None)


@transaction.atomic
def create_unit(
    *,
    organisation: Organisation,
    name: str,
    parent: Unit | None = None,
    kind: str = UnitKind.TEAM,
) -> Unit:
    if parent is not None and parent.organisation_id != organisation.pk:
        raise ValidationError({"parent": _("The parent unit belongs to another organisation.")})
    unit = Unit(organisation=organisation, name=name.strip(), parent=parent, kind=kind)
    unit.full_clean()
    unit.save()
    return unit


@transaction.atomic
def move_unit(*, unit: Unit, parent: Unit | None) -> Unit:
    """Put ``unit`` under ``parent`` (None: at the top). Refuses a cycle."""
    if parent is not None:
        if parent.organisation_id != unit.organisation_id:
            raise ValidationError({"parent": _("The parent unit belongs to another organisation.")})
        ancestor: Unit | None = parent
        while ancestor is not None:
            if ancestor.pk == unit.pk:
                raise ValidationError({"parent": _("A unit cannot be placed inside itself.")})
            ancestor = ancestor.parent
    unit.parent = parent
    unit.full_clean()
    unit.save(update_fields=["parent"])
    return unit


@transaction.atomic
def delete_unit(*, unit: Unit) -> None:
    """Delete an empty unit (no sub-units); its people stay members of the organisation."""
    if unit.children.exists():
        raise ValidationError(_("Move or delete its sub-units first."))
    for unit_membership in unit.unit_memberships.select_related("user"):
        remove_perm(UnitPermission.SUPERVISE.value, unit_membership.user, unit)
    unit.delete()


@transaction.atomic
def set_unit_membership(*, unit: Unit, user: User, supervises: bool = False) -> UnitMembership:
    """Put a member of the unit's organisation in ``unit``; ``supervises`` grants the unit's
    supervision (and the supervisor role, unless they are an admin); withdrawing it removes it."""
    membership = Membership.objects.filter(organisation_id=unit.organisation_id, user=user).first()
    if membership is None:
        raise ValidationError({"user": _("Only members of the organisation can join its units.")})
    unit_membership, _created = UnitMembership.objects.update_or_create(
        unit=unit, user=user, defaults={"supervises": supervises}
    )
    if supervises:
        assign_perm(UnitPermission.SUPERVISE.value, user, unit)
        if membership.role == MembershipRole.MEMBER:
            membership.role = MembershipRole.SUPERVISOR
            membership.save(update_fields=["role"])
            _sync_permissions(organisation=unit.organisation, user=user, role=membership.role)
    else:
        remove_perm(UnitPermission.SUPERVISE.value, user, unit)
    return unit_membership


@transaction.atomic
def remove_from_unit(*, unit: Unit, user: User) -> None:
    remove_perm(UnitPermission.SUPERVISE.value, user, unit)
    UnitMembership.objects.filter(unit=unit, user=user).delete()


@transaction.atomic
def assign_course(
    *,
    organisation: Organisation,
    members: Iterable[User],
    course: Course | None = None,
    journey: LearningJourney | None = None,
    due_on: date | None = None,
    by: User | None = None,
) -> int:
    """Ask ``members`` to take ``course`` or ``journey`` by ``due_on`` (creating or moving the
    due date). Returns how many were assigned. Every one must be a member."""
    if (course is None) == (journey is None):
        raise ValidationError(_("Assign either a course or a learning journey."))
    people = list(members)
    belonging = set(
        Membership.objects.filter(organisation=organisation, user__in=people).values_list(
            "user_id", flat=True
        )
    )
    strangers = [p for p in people if p.pk not in belonging]
    if strangers:
        raise ValidationError(
            {
                "members": _("Not members of this organisation: %(names)s")
                % {"names": ", ".join(p.display_name or str(p.public_id) for p in strangers)}
            }
        )
    target = {"course": course} if course is not None else {"journey": journey}
    existing = {
        a.member_id: a
        for a in CourseAssignment.objects.filter(
            organisation=organisation, member__in=people, **target
        )
    }
    new = [
        CourseAssignment(
            organisation=organisation, member=p, due_on=due_on, assigned_by=by, **target
        )
        for p in people
        if p.pk not in existing
    ]
    CourseAssignment.objects.bulk_create(new)
    moved = [a for a in existing.values() if a.due_on != due_on]
    for assignment in moved:
        assignment.due_on = due_on
    CourseAssignment.objects.bulk_update(moved, ["due_on"])
    return len(people)
