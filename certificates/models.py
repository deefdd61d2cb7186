"""Accrediting bodies and their accreditors.

The first slice of the certificates app: enough for the accreditor role to exist. Accreditations,
issuance and certificates come with their own issue.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField


class AccreditingBody(models.Model):
    public_id = models.UUIDField(
        _("public identifier"), default=uuid.uuid4, editable=False, unique=True
    )
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    country = CountryField(_("country"), blank=True)
    website = models.URLField(_("website"), blank=True)

    class Meta:
        verbose_name = _("accrediting body")
        verbose_name_plural = _("accrediting bodies")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Accreditor(models.Model):
    """A person who audits, for one accrediting body, the records of its accreditations."""

    body = models.ForeignKey(
        AccreditingBody,
        on_delete=models.CASCADE,
        related_name="accreditors",
        verbose_name=_("body"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="accreditor_roles",
        verbose_name=_("user"),
    )
    added_at = models.DateTimeField(_("added"), auto_now_add=True)

    class Meta:
        verbose_name = _("accreditor")
        verbose_name_plural = _("accreditors")
        ordering = ["body", "user"]
        constraints = [
            models.UniqueConstraint(fields=["body", "user"], name="certificates_accreditor_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.body}"
