"""Competence frameworks shaped after 1EdTech CASE 1.0 (CFDocument, CFItem, CFAssociation).

Identifiers are the CASE UUIDs, so re-importing updates by identifier and associations may
point to items of other frameworks (crosswalks) before those are imported.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField


class Framework(models.Model):
    """A CASE CFDocument."""

    identifier = models.UUIDField(_("identifier"), unique=True)
    uri = models.CharField(_("URI"), max_length=2000, blank=True)
    title = models.CharField(_("title"), max_length=500)
    creator = models.CharField(_("creator"), max_length=500, blank=True)
    publisher = models.CharField(_("publisher"), max_length=500, blank=True)
    description = models.TextField(_("description"), blank=True)
    jurisdiction = CountryField(_("jurisdiction"), blank=True)
    language = models.CharField(_("language"), max_length=20, blank=True)
    version = models.CharField(_("version"), max_length=100, blank=True)
    adoption_status = models.CharField(_("adoption status"), max_length=100, blank=True)
    licence_uri = models.CharField(_("licence"), max_length=2000, blank=True)
    last_change = models.DateTimeField(_("last change"), null=True, blank=True)
    extra = models.JSONField(_("other CASE properties"), default=dict, blank=True)

    class Meta:
        verbose_name = _("competence framework")
        verbose_name_plural = _("competence frameworks")
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


class Competence(models.Model):
    """A CASE CFItem: a domain, capability, indicator... of a framework, in a tree."""

    framework = models.ForeignKey(
        Framework, on_delete=models.CASCADE, related_name="competences", verbose_name=_("framework")
    )
    identifier = models.UUIDField(_("identifier"), unique=True)
    uri = models.CharField(_("URI"), max_length=2000, blank=True)
    full_statement = models.JSONField(_("full statement"), help_text=_("Language map."))
    abbreviated_statement = models.CharField(_("abbreviated statement"), max_length=500, blank=True)
    human_coding_scheme = models.CharField(_("code"), max_length=100, blank=True)
    item_type = models.CharField(_("item type"), max_length=200, blank=True)
    education_level = models.JSONField(_("education or career level"), default=list, blank=True)
    parent = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent"),
    )
    order = models.IntegerField(_("order"), default=0)
    last_change = models.DateTimeField(_("last change"), null=True, blank=True)
    extra = models.JSONField(_("other CASE properties"), default=dict, blank=True)

    class Meta:
        verbose_name = _("competence")
        verbose_name_plural = _("competences")
        ordering = ["framework", "order", "human_coding_scheme"]

    def __str__(self) -> str:
        text = next(iter(self.full_statement.values()), "")
        return f"{self.human_coding_scheme} {text}".strip()


class AssociationType(models.TextChoices):
    """CASE 1.0 associationType values Practica uses."""

    IS_CHILD_OF = "isChildOf", _("is child of")
    IS_PART_OF = "isPartOf", _("is part of")
    IS_PEER_OF = "isPeerOf", _("is peer of")
    EXACT_MATCH_OF = "exactMatchOf", _("exact match of")
    IS_RELATED_TO = "isRelatedTo", _("is related to")
    PRECEDES = "precedes", _("precedes")
    REPLACED_BY = "replacedBy", _("replaced by")
    EXEMPLAR = "exemplar", _("exemplar")
    HAS_SKILL_LEVEL = "hasSkillLevel", _("has skill level")


class Association(models.Model):
    """A CASE CFAssociation. Origin and destination are kept as CASE node references (so a
    crosswalk to a framework not imported yet stays resolvable)."""

    identifier = models.UUIDField(_("identifier"), unique=True)
    framework = models.ForeignKey(
        Framework,
        on_delete=models.CASCADE,
        related_name="associations",
        verbose_name=_("framework"),
    )
    uri = models.CharField(_("URI"), max_length=2000, blank=True)
    association_type = models.CharField(_("type"), max_length=20, choices=AssociationType.choices)
    origin_identifier = models.UUIDField(_("origin"))
    origin = models.JSONField(
        _("origin node"), help_text=_("The CASE LinkURI: title, identifier, uri.")
    )
    destination_identifier = models.UUIDField(_("destination"))
    destination = models.JSONField(_("destination node"))
    sequence_number = models.IntegerField(_("sequence number"), null=True, blank=True)
    last_change = models.DateTimeField(_("last change"), null=True, blank=True)

    class Meta:
        verbose_name = _("competence association")
        verbose_name_plural = _("competence associations")
        ordering = ["framework", "sequence_number"]
        indexes = [
            models.Index(
                fields=["origin_identifier", "association_type"], name="frameworks_assoc_origin_idx"
            ),
            models.Index(
                fields=["destination_identifier", "association_type"],
                name="frameworks_assoc_dest_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.origin_identifier} {self.association_type} {self.destination_identifier}"


class ProficiencyLevel(models.Model):
    """One step of a framework's ordered proficiency scale (e.g. 1 to 4)."""

    framework = models.ForeignKey(
        Framework, on_delete=models.CASCADE, related_name="levels", verbose_name=_("framework")
    )
    rank = models.PositiveSmallIntegerField(_("rank"), help_text=_("1 is the lowest."))
    name = models.JSONField(_("name"), help_text=_("Language map."))

    class Meta:
        verbose_name = _("proficiency level")
        verbose_name_plural = _("proficiency levels")
        ordering = ["framework", "rank"]
        constraints = [
            models.UniqueConstraint(
                fields=["framework", "rank"], name="frameworks_level_rank_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.rank}. {next(iter(self.name.values()), '')}"
