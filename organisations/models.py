"""Organisations and their members' roles.

This is the first slice of the organisations app: enough for roles to exist and to carry scope.
Units, teams, seats and invitations come with their own issue.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField


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
