"""The core models: organisations, their members (``Membership``), units and unit memberships,
and course assignments. Seats, invitations and report exports have their own ``models.py``;
``organisations.models`` gathers them all for Django (one app label, ``organisations``)."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from lms.models import Profession


class OrganisationKind(models.TextChoices):
    NGO = "ngo", _("NGO")
    PUBLIC_BODY = "public_body", _("Public body")
    UNIVERSITY = "university", _("University")
    PROFESSIONAL_ASSOCIATION = "association", _("Professional association")
    COMPANY = "company", _("Company")
    OTHER = "other", _("Other")


class Organisation(models.Model):
    public_id = models.UUIDField(
        _("public identifier"), default=uuid.uuid4, editable=False, unique=True
    )
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    country = CountryField(_("country"), blank=True)
    kind = models.CharField(
        _("kind"), max_length=20, choices=OrganisationKind.choices, default=OrganisationKind.NGO
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        permissions = [
            ("manage_organisation", _("Can manage the organisation and see its members"))
        ]

    def __str__(self) -> str:
        return self.name


class MembershipRole(models.TextChoices):
    MEMBER = "member", _("Member")
    SUPERVISOR = "supervisor", _("Supervisor")
    ADMIN = "admin", _("Organisation admin")


class Membership(models.Model):
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("organisation"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("user"),
    )
    role = models.CharField(
        _("role"), max_length=20, choices=MembershipRole.choices, default=MembershipRole.MEMBER
    )
    job_title = models.CharField(_("job title"), max_length=200, blank=True)
    profession = models.CharField(
        _("profession"),
        max_length=32,
        choices=Profession.choices,
        blank=True,
        help_text=_("Empty: the profession on the member's own profile."),
    )
    joined_at = models.DateTimeField(_("joined"), auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["organisation", "user"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "user"], name="organisations_membership_unique"
            )
        ]
        indexes = [models.Index(fields=["user", "role"], name="organisations_member_role_idx")]

    def __str__(self) -> str:
        return f"{self.user} — {self.organisation} ({self.get_role_display()})"


class UnitKind(models.TextChoices):
    DEPARTMENT = "department", _("Department")
    REGIONAL_OFFICE = "regional_office", _("Regional office")
    TEAM = "team", _("Team")


class Unit(models.Model):
    """A part of an organisation (department, regional office, team); units form a tree."""

    public_id = models.UUIDField(
        _("public identifier"), default=uuid.uuid4, editable=False, unique=True
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="units", verbose_name=_("organisation")
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("part of"),
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(
        _("kind"), max_length=20, choices=UnitKind.choices, default=UnitKind.TEAM
    )

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["organisation", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "parent", "name"],
                name="organisations_unit_name_unique",
                nulls_distinct=False,
            ),
            models.CheckConstraint(
                condition=~models.Q(parent=models.F("pk")), name="organisations_unit_not_own_parent"
            ),
        ]
        permissions = [("supervise_unit", _("Can see the unit's members and their progress"))]

    def __str__(self) -> str:
        return self.name


class UnitMembership(models.Model):
    """A person in a unit; ``supervises`` makes them one of its supervisors."""

    unit = models.ForeignKey(
        Unit, on_delete=models.CASCADE, related_name="unit_memberships", verbose_name=_("unit")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="unit_memberships",
        verbose_name=_("user"),
    )
    supervises = models.BooleanField(_("supervises the unit"), default=False)

    class Meta:
        verbose_name = _("unit membership")
        verbose_name_plural = _("unit memberships")
        ordering = ["unit", "user"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "user"], name="organisations_unit_member_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.unit}"


class CourseAssignment(models.Model):
    """A course or a learning journey an organisation asks a member to take, by a due date."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="assignments",
        verbose_name=_("organisation"),
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="course_assignments",
        verbose_name=_("member"),
    )
    course = models.ForeignKey(
        "courses.Course",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("course"),
    )
    journey = models.ForeignKey(
        "courses.LearningJourney",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("learning journey"),
    )
    due_on = models.DateField(_("due"), null=True, blank=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("assigned by"),
    )
    assigned_at = models.DateTimeField(_("assigned"), auto_now_add=True)
    due_reminded_on = models.DateField(
        _("reminded of the due date"),
        null=True,
        blank=True,
        help_text=_("The due date the member was told is approaching (once per due date)."),
    )

    class Meta:
        verbose_name = _("course assignment")
        verbose_name_plural = _("course assignments")
        ordering = ["organisation", "member", "due_on"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(course__isnull=False, journey__isnull=True)
                | models.Q(course__isnull=True, journey__isnull=False),
                name="organisations_assignment_one_target",
            ),
            models.UniqueConstraint(
                fields=["organisation", "member", "course"],
                condition=models.Q(course__isnull=False),
                name="organisations_assignment_course_unique",
            ),
            models.UniqueConstraint(
                fields=["organisation", "member", "journey"],
                condition=models.Q(journey__isnull=False),
                name="organisations_assignment_journey_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member} — {self.course or self.journey}"
