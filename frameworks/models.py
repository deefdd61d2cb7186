"""Competence frameworks shaped after 1EdTech CASE 1.0 (CFDocument, CFItem, CFAssociation).

Identifiers are the CASE UUIDs, so re-importing updates by identifier and associations may
point to items of other frameworks (crosswalks) before those are imported.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from lms.api import PickedText, pick_language, pick_text


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

    translations = models.JSONField(
        _("translations"), default=dict, blank=True,
        help_text=_('Per field, a language map of its translations: {"title": {"ro": "..."}}.'),
    )  # fmt: skip
    translated_from = models.JSONField(
        _("translated from"), default=dict, blank=True, editable=False,
        help_text=_("Per field and language, the SHA-256 of the source text translated."),
    )  # fmt: skip

    class Meta:
        verbose_name = _("competence framework")
        verbose_name_plural = _("competence frameworks")
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    def text_in(self, field: str, language: str) -> PickedText:
        """``title`` or ``description`` in ``language`` (the text itself is in the
        framework's own language, its translations in ``translations``)."""
        source = self.language or "en"
        texts = {source: str(getattr(self, field)), **(self.translations or {}).get(field, {})}
        return pick_text(texts, language, source_language=source)

    def title_in(self, language: str) -> PickedText:
        return self.text_in("title", language)


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

    translated_from = models.JSONField(
        _("translated from"), default=dict, blank=True, editable=False,
        help_text=_("Per field and language, the SHA-256 of the source text translated."),
    )  # fmt: skip

    class Meta:
        verbose_name = _("competence")
        verbose_name_plural = _("competences")
        ordering = ["framework", "order", "human_coding_scheme"]

    def __str__(self) -> str:
        return f"{self.human_coding_scheme} {self.statement_in('en')}".strip()

    def statement_in(self, language: str) -> PickedText:
        return pick_text(self.full_statement, language)

    @property
    def short_name(self) -> str:
        """The abbreviated statement, or the full statement where there is none."""
        return self.abbreviated_statement or next(iter(self.full_statement.values()), "")


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

    translated_from = models.JSONField(
        _("translated from"), default=dict, blank=True, editable=False,
        help_text=_("Per field and language, the SHA-256 of the source text translated."),
    )  # fmt: skip

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
        return f"{self.rank}. {pick_language(self.name, 'en')}"

    def name_in(self, language: str) -> PickedText:
        return pick_text(self.name, language)


class AlignmentRelation(models.TextChoices):
    """How a course, unit or journey relates to a competence (after CASE / Open Badges
    alignment: the learning develops it, or its assessment checks it)."""

    TEACHES = "teaches", _("teaches")
    ASSESSES = "assesses", _("assesses")


class Alignment(models.Model):
    """An author's statement that completing a course, a unit or a journey is evidence of a
    competence at a level of the competence's framework."""

    competence = models.ForeignKey(
        Competence,
        on_delete=models.CASCADE,
        related_name="alignments",
        verbose_name=_("competence"),
    )
    course = models.ForeignKey(
        "courses.Course",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="alignments",
        verbose_name=_("course"),
    )
    unit = models.ForeignKey(
        "courses.CourseUnit",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="alignments",
        verbose_name=_("unit"),
    )
    journey = models.ForeignKey(
        "courses.LearningJourney",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="alignments",
        verbose_name=_("learning journey"),
    )
    level = models.PositiveSmallIntegerField(
        _("level"),
        null=True,
        blank=True,
        help_text=_("Rank on the framework's proficiency scale; empty counts as the first."),
    )
    relation = models.CharField(
        _("relation"),
        max_length=10,
        choices=AlignmentRelation.choices,
        default=AlignmentRelation.TEACHES,
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("alignment")
        verbose_name_plural = _("alignments")
        ordering = ["competence__order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(course__isnull=False, unit__isnull=True, journey__isnull=True)
                | models.Q(course__isnull=True, unit__isnull=False, journey__isnull=True)
                | models.Q(course__isnull=True, unit__isnull=True, journey__isnull=False),
                name="frameworks_alignment_of_one_thing",
            ),
            models.UniqueConstraint(
                fields=["course", "competence"],
                condition=models.Q(course__isnull=False),
                name="frameworks_alignment_course_unique",
            ),
            models.UniqueConstraint(
                fields=["unit", "competence"],
                condition=models.Q(unit__isnull=False),
                name="frameworks_alignment_unit_unique",
            ),
            models.UniqueConstraint(
                fields=["journey", "competence"],
                condition=models.Q(journey__isnull=False),
                name="frameworks_alignment_journey_unique",
            ),
        ]

    def __str__(self) -> str:
        target = self.course or self.unit or self.journey
        return f"{target} → {self.competence} ({self.get_relation_display()})"

    @property
    def rank(self) -> int:
        return self.level or 1

    def clean(self) -> None:
        from django.core.exceptions import ValidationError  # noqa: PLC0415

        targets = [t for t in (self.course_id, self.unit_id, self.journey_id) if t]
        if len(targets) != 1:
            raise ValidationError(_("Align exactly one course, unit or learning journey."))
        if self.level is not None and self.competence_id is not None:
            ranks = set(
                ProficiencyLevel.objects.filter(
                    framework_id=self.competence.framework_id
                ).values_list("rank", flat=True)
            )
            if ranks and self.level not in ranks:
                raise ValidationError(
                    {"level": _("This framework's levels are %(ranks)s.")
                     % {"ranks": ", ".join(str(r) for r in sorted(ranks))}}
                )  # fmt: skip


class RoleProfile(models.Model):
    """The target level per competence for a role (e.g. child protection case worker), in one
    framework."""

    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    framework = models.ForeignKey(
        Framework,
        on_delete=models.CASCADE,
        related_name="role_profiles",
        verbose_name=_("framework"),
    )
    name = models.JSONField(_("name"), help_text=_("Language map."))
    description = models.JSONField(
        _("description"), default=dict, blank=True, help_text=_("Language map.")
    )

    translated_from = models.JSONField(
        _("translated from"), default=dict, blank=True, editable=False,
        help_text=_("Per field and language, the SHA-256 of the source text translated."),
    )  # fmt: skip

    class Meta:
        verbose_name = _("role profile")
        verbose_name_plural = _("role profiles")
        ordering = ["slug"]

    def __str__(self) -> str:
        return pick_language(self.name, "en") or self.slug

    def name_in(self, language: str) -> PickedText:
        return pick_text(self.name, language) or PickedText(self.slug)


class RoleTarget(models.Model):
    """One competence a role needs, and the level it needs."""

    profile = models.ForeignKey(
        RoleProfile, on_delete=models.CASCADE, related_name="targets", verbose_name=_("profile")
    )
    competence = models.ForeignKey(
        Competence, on_delete=models.CASCADE, related_name="+", verbose_name=_("competence")
    )
    level = models.PositiveSmallIntegerField(_("target level"), default=1)

    class Meta:
        verbose_name = _("role target")
        verbose_name_plural = _("role targets")
        ordering = ["profile", "competence__order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["profile", "competence"], name="frameworks_role_target_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(level__gte=1), name="frameworks_role_target_level_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.profile}: {self.competence} ≥ {self.level}"
