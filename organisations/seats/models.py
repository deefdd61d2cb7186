"""Paid seats: pools, the seats assigned from them and every change of a seat (append-only)."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from organisations.core.models import Organisation


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
