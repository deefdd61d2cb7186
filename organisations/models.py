"""Organisations, their members and units, paid seats, invitations, course assignments and
report exports."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from lms.jobs import JobStatus
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


class SeatScope(models.TextChoices):
    CATALOGUE = "catalogue", _("The whole catalogue")
    LISTED = "listed", _("Listed courses and journeys")


class SeatPool(models.Model):
    """Seats an organisation bought: how many, for what, for how long, at what price."""

    public_id = models.UUIDField(
        _("public identifier"), default=uuid.uuid4, editable=False, unique=True
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="seat_pools",
        verbose_name=_("organisation"),
    )
    name = models.CharField(_("name"), max_length=200)
    seats = models.PositiveIntegerField(_("seats"))
    scope = models.CharField(
        _("scope"), max_length=12, choices=SeatScope.choices, default=SeatScope.CATALOGUE
    )
    courses = models.ManyToManyField(
        "courses.Course", blank=True, related_name="+", verbose_name=_("courses")
    )
    journeys = models.ManyToManyField(
        "courses.LearningJourney",
        blank=True,
        related_name="+",
        verbose_name=_("learning journeys"),
        help_text=_("A listed journey covers its courses."),
    )
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"))
    order_reference = models.CharField(_("order reference"), max_length=100, blank=True)
    price = models.DecimalField(_("price"), max_digits=12, decimal_places=2, default=0)
    currency = models.CharField(_("currency"), max_length=3, default="EUR")
    reusable = models.BooleanField(
        _("reusable"),
        default=True,
        help_text=_("A released seat returns to the pool; in a consumable pool it is used up."),
    )
    reclaim_after_days = models.PositiveIntegerField(
        _("reclaim unused seats after (days)"),
        null=True,
        blank=True,
        help_text=_("An assigned seat not activated within this many days returns to the pool."),
    )
    max_revocations = models.PositiveIntegerField(
        _("most revocations"), null=True, blank=True, help_text=_("Empty: no cap.")
    )
    renewed_from = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="renewal",
        verbose_name=_("renewal of"),
    )
    alerted_at_percent = models.PositiveSmallIntegerField(
        _("last utilisation alert (%)"), default=0, editable=False
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("seat pool")
        verbose_name_plural = _("seat pools")
        ordering = ["organisation", "-valid_until", "name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_until__gte=models.F("valid_from")),
                name="organisations_pool_period_ordered",
            ),
            models.CheckConstraint(
                condition=models.Q(price__gte=0), name="organisations_pool_price_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} — {self.name}"


class SeatStatus(models.TextChoices):
    ASSIGNED = "assigned", _("Assigned")
    ACTIVATED = "activated", _("Activated")
    RELEASED = "released", _("Released")
    REVOKED = "revoked", _("Revoked")
    RECLAIMED = "reclaimed", _("Reclaimed unused")


# Seats that hold a place in their pool now (released ones too, in a consumable pool).
HOLDING = (SeatStatus.ASSIGNED, SeatStatus.ACTIVATED)


class Seat(models.Model):
    """One member's seat from a pool. A seat that ends is kept (its history is the audit);
    giving the member a seat again makes a new row."""

    pool = models.ForeignKey(
        SeatPool, on_delete=models.PROTECT, related_name="seat_rows", verbose_name=_("pool")
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="seats",
        verbose_name=_("member"),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=SeatStatus.choices, default=SeatStatus.ASSIGNED
    )
    assigned_at = models.DateTimeField(_("assigned"))
    activated_at = models.DateTimeField(_("activated"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)

    class Meta:
        verbose_name = _("seat")
        verbose_name_plural = _("seats")
        ordering = ["pool", "assigned_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["pool", "member"],
                condition=models.Q(status__in=["assigned", "activated"]),
                name="organisations_one_held_seat_per_pool",
            )
        ]
        indexes = [models.Index(fields=["member", "status"], name="organisations_seat_member_idx")]

    def __str__(self) -> str:
        return f"{self.member} — {self.pool} ({self.get_status_display()})"


class SeatEvent(models.Model):
    """The history of a seat: every change, who made it, when."""

    seat = models.ForeignKey(
        Seat, on_delete=models.PROTECT, related_name="events", verbose_name=_("seat")
    )
    status = models.CharField(_("status"), max_length=12, choices=SeatStatus.choices)
    at = models.DateTimeField(_("at"), auto_now_add=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("seat event")
        verbose_name_plural = _("seat events")
        ordering = ["seat", "at", "id"]

    def __str__(self) -> str:
        return f"{self.seat_id} {self.status} {self.at:%Y-%m-%d}"


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


class InvitationStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    ACCEPTED = "accepted", _("Accepted")
    REVOKED = "revoked", _("Revoked")


class Invitation(models.Model):
    """An e-mailed invitation to join an organisation. Only the SHA-256 of its one-time token is
    kept; resending makes a new token (the old link stops working) and a new expiry."""

    public_id = models.UUIDField(
        _("public identifier"), default=uuid.uuid4, editable=False, unique=True
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="invitations",
        verbose_name=_("organisation"),
    )
    email = models.EmailField(_("e-mail address"))
    name = models.CharField(_("name"), max_length=200, blank=True)
    role = models.CharField(
        _("role"), max_length=20, choices=MembershipRole.choices, default=MembershipRole.MEMBER
    )
    job_title = models.CharField(_("job title"), max_length=200, blank=True)
    profession = models.CharField(
        _("profession"), max_length=32, choices=Profession.choices, blank=True
    )
    unit = models.ForeignKey(
        Unit,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("unit"),
    )
    token_hash = models.CharField(_("token hash"), max_length=64, unique=True, editable=False)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=InvitationStatus.choices,
        default=InvitationStatus.PENDING,
    )
    expires_at = models.DateTimeField(_("expires"))
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("invited by"),
    )
    sent_count = models.PositiveSmallIntegerField(_("times sent"), default=0)
    last_sent_at = models.DateTimeField(_("last sent"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("accepted by"),
    )
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["organisation", "-created_at"]
        constraints = [
            # One open invitation per address and organisation (resend it rather than add one).
            models.UniqueConstraint(
                fields=["organisation", "email"],
                condition=models.Q(status="pending"),
                name="organisations_one_pending_invitation",
            )
        ]

    def __str__(self) -> str:
        return f"{self.email} — {self.organisation} ({self.get_status_display()})"


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


class ReportKind(models.TextChoices):
    TEAM = "team", _("Team progress")
    SUMMARY = "summary", _("Organisation summary")
    COVERAGE = "coverage", _("Competence coverage")


class ReportFormat(models.TextChoices):
    CSV = "csv", "CSV"
    XLSX = "xlsx", "XLSX"
    PDF = "pdf", "PDF"


ExportStatus = JobStatus  # a report export is a background file job (lms.jobs)


class ReportExport(models.Model):
    """A report file built by a Celery task, with its progress; only its requester downloads it
    (and only while the scope that built it still holds)."""

    public_id = models.UUIDField(
        _("public identifier"), default=uuid.uuid4, editable=False, unique=True
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="report_exports",
        verbose_name=_("organisation"),
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("requested by"),
    )
    kind = models.CharField(_("report"), max_length=10, choices=ReportKind.choices)
    format = models.CharField(_("format"), max_length=5, choices=ReportFormat.choices)
    parameters = models.JSONField(_("parameters"), default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ExportStatus.choices, default=ExportStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    file = models.FileField(_("file"), upload_to="reports/%Y/%m/", blank=True)
    member_ids = models.JSONField(
        _("members in the file"),
        default=list,
        blank=True,
        help_text=_(
            "The people the built file holds: its download is refused once one of them is out "
            "of the requester's sight, and logged for each of them."
        ),
    )
    error = models.CharField(_("error"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("requested"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("report export")
        verbose_name_plural = _("report exports")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.format}) — {self.organisation}"
