"""The CPD ledger: entries, requirement rule sets and their requirements, registrations."""

import uuid
import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from certificates.credentials.models import AccreditingBody, Certificate
from lms.api import PickedText, pick_text


def validate_time_zone(value: str) -> None:
    """An IANA time zone name, e.g. Europe/Bucharest."""
    if value not in zoneinfo.available_timezones():
        raise ValidationError(_("%(zone)s is not a known time zone."), params={"zone": value})


class CpdSource(models.TextChoices):
    CERTIFICATE = "certificate", _("certificate from this platform")
    EXTERNAL = "external", _("external activity")


class CpdActivityKind(models.TextChoices):
    COURSE = "course", _("course or e-learning")
    WORKSHOP = "workshop", _("workshop or training")
    CONFERENCE = "conference", _("conference or seminar")
    SUPERVISION = "supervision", _("supervision or intervision")
    PEER_GROUP = "peer_group", _("peer learning group")
    READING = "reading", _("reading or self-study")
    RESEARCH = "research", _("research or publication")
    TEACHING = "teaching", _("teaching or presenting")
    OTHER = "other", _("other")


class DiscussionStatus(models.TextChoices):
    NONE = "none", _("no discussion")
    PENDING = "pending", _("awaiting confirmation")
    CONFIRMED = "confirmed", _("confirmed")
    DECLINED = "declined", _("declined")


class CpdEntry(models.Model):
    """One line of a learner's CPD ledger: a certificate issued here (made automatically) or an
    external activity the learner logs, with what was learnt, its impact on practice, an optional
    discussion with a peer or supervisor (who confirms it on the platform) and an evidence file."""

    public_id = models.UUIDField(
        _("public identifier"), default=uuid.uuid4, editable=False, unique=True
    )
    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="cpd_entries",
        verbose_name=_("learner"),
    )
    source = models.CharField(
        _("source"), max_length=20, choices=CpdSource.choices, default=CpdSource.EXTERNAL
    )
    certificate = models.OneToOneField(
        Certificate,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="cpd_entry",
        verbose_name=_("certificate"),
    )
    title = models.CharField(_("activity"), max_length=300)
    kind = models.CharField(
        _("type of activity"),
        max_length=20,
        choices=CpdActivityKind.choices,
        default=CpdActivityKind.OTHER,
    )
    provider = models.CharField(_("provider"), max_length=200, blank=True)
    participatory = models.BooleanField(
        _("participatory"),
        default=False,
        help_text=_("Learning with others, e.g. a workshop, a conference or a peer group."),
    )
    structured = models.BooleanField(
        _("structured"),
        default=False,
        help_text=_("With set learning outcomes, e.g. a course, rather than reading on your own."),
    )
    date = models.DateField(_("date"), help_text=_("When the activity ended."))
    occurred_at = models.DateTimeField(
        _("completed at"),
        null=True,
        blank=True,
        help_text=_(
            "For a certificate: when the course was completed, so that each body counts it on "
            "the day it was in the body's time zone."
        ),
    )
    hours = models.DecimalField(_("hours"), max_digits=6, decimal_places=2)
    learning = models.TextField(_("what I learnt"), blank=True)
    impact = models.TextField(_("impact on my practice"), blank=True)
    discussion_with = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="cpd_discussions",
        verbose_name=_("discussed with"),
    )
    discussion_email = models.EmailField(
        _("discussed with (e-mail address)"),
        blank=True,
        help_text=_(
            "The address the learner named. The person is linked once they have an account "
            "with this address, verified; until then they are asked by e-mail to create one."
        ),
    )
    discussion_notes = models.TextField(_("what we discussed"), blank=True)
    discussion_status = models.CharField(
        _("discussion"),
        max_length=10,
        choices=DiscussionStatus.choices,
        default=DiscussionStatus.NONE,
    )
    discussion_response = models.TextField(_("peer's comment"), blank=True)
    discussion_answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    evidence = models.FileField(_("evidence"), upload_to="cpd/evidence/%Y/", blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("CPD entry")
        verbose_name_plural = _("CPD entries")
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["learner", "date"], name="certificates_cpd_ledger_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(hours__gt=0), name="certificates_cpd_hours_positive"
            ),
            # A platform entry comes from a certificate; an external one never does.
            models.CheckConstraint(
                condition=(models.Q(source="certificate") & models.Q(certificate__isnull=False))
                | (models.Q(source="external") & models.Q(certificate__isnull=True)),
                name="certificates_cpd_source_certificate",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.title} ({self.hours} h)"

    @property
    def has_reflection(self) -> bool:
        """A written reflection: both what was learnt and its impact on practice."""
        return bool(self.learning.strip() and self.impact.strip())

    @property
    def discussion_confirmed(self) -> bool:
        return self.discussion_status == DiscussionStatus.CONFIRMED


class CycleKind(models.TextChoices):
    ROLLING = "rolling", _("repeating cycles of a number of years")
    FIXED = "fixed", _("one cycle ending on a given date")


class RequirementRuleSet(models.Model):
    """What an accrediting body or regulator requires of the people who report CPD to it, per
    cycle: configured in the admin, evaluated by ``certificates.cpd``."""

    public_id = models.UUIDField(
        _("public identifier"), default=uuid.uuid4, editable=False, unique=True
    )
    body = models.ForeignKey(
        AccreditingBody,
        on_delete=models.CASCADE,
        related_name="rule_sets",
        verbose_name=_("body"),
    )
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    description = models.TextField(_("description"), blank=True)
    cycle_kind = models.CharField(
        _("cycle"), max_length=10, choices=CycleKind.choices, default=CycleKind.ROLLING
    )
    cycle_years = models.PositiveSmallIntegerField(
        _("cycle length (years)"),
        default=1,
        help_text=_("1 for yearly cycles, 3 for three-yearly ones."),
    )
    cycle_start = models.DateField(
        _("a cycle starts on"),
        help_text=_(
            "The first day of one cycle; the others follow every cycle length. For a cycle "
            "ending on a given date, its first day."
        ),
    )
    cycle_end = models.DateField(
        _("the cycle ends on"),
        null=True,
        blank=True,
        help_text=_("For a one-off cycle: its last day."),
    )
    per_learner = models.BooleanField(
        _("cycles start when the learner registers"),
        default=False,
        help_text=_("Each person's cycles run from the day they registered with the body."),
    )
    time_zone = models.CharField(
        _("time zone"),
        max_length=60,
        default="Europe/Bucharest",
        validators=[validate_time_zone],
        help_text=_("Dates and cycle boundaries are read in this time zone."),
    )
    is_active = models.BooleanField(_("active"), default=True)

    translations = models.JSONField(
        _("translations"), default=dict, blank=True,
        help_text=_('Per field, a language map of its translations: {"name": {"ro": "..."}}.'),
    )  # fmt: skip
    translated_from = models.JSONField(
        _("translated from"), default=dict, blank=True, editable=False,
        help_text=_("Per field and language, the SHA-256 of the source text translated."),
    )  # fmt: skip

    class Meta:
        verbose_name = _("CPD requirement rule set")
        verbose_name_plural = _("CPD requirement rule sets")
        ordering = ["body__name", "name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(cycle_years__gte=1) & models.Q(cycle_years__lte=10),
                name="certificates_ruleset_cycle_years",
            ),
            models.CheckConstraint(
                condition=models.Q(cycle_kind="rolling")
                | (
                    models.Q(cycle_end__isnull=False)
                    & models.Q(cycle_end__gt=models.F("cycle_start"))
                ),
                name="certificates_ruleset_fixed_end",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.body}: {self.name}"

    @property
    def source_language(self) -> str:
        """Rule sets are written in the site's default language."""
        return settings.LANGUAGE_CODE.split("-")[0]

    def text_in(self, field: str, language: str) -> PickedText:
        """``name`` or ``description`` in ``language``, from its translations."""
        source = self.source_language
        texts = {source: str(getattr(self, field)), **(self.translations or {}).get(field, {})}
        return pick_text(texts, language, source_language=source)

    def name_in(self, language: str) -> PickedText:
        return self.text_in("name", language)


class RequirementKind(models.TextChoices):
    HOURS = "hours", _("minimum hours (or points)")
    HOURS_OF_TYPE = "hours_of_type", _("minimum hours (or points) of a type")
    ENTRIES = "entries", _("minimum number of entries")
    REFLECTIONS = "reflections", _("entries with a written reflection")
    DISCUSSIONS = "discussions", _("entries with a confirmed peer discussion")
    MAX_GAP = "max_gap", _("longest gap between entries (days)")


class RequirementPeriod(models.TextChoices):
    CYCLE = "cycle", _("in the cycle")
    YEAR = "year", _("in each year of the cycle")


class CpdType(models.TextChoices):
    PARTICIPATORY = "participatory", _("participatory")
    NON_PARTICIPATORY = "non_participatory", _("non-participatory")
    STRUCTURED = "structured", _("structured")
    UNSTRUCTURED = "unstructured", _("unstructured")
    PLATFORM = "platform", _("certificates from this platform")


class Requirement(models.Model):
    """One rule of a rule set, e.g. "35 hours in the cycle" or "20 participatory hours"."""

    rule_set = models.ForeignKey(
        RequirementRuleSet,
        on_delete=models.CASCADE,
        related_name="requirements",
        verbose_name=_("rule set"),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    kind = models.CharField(_("rule"), max_length=20, choices=RequirementKind.choices)
    amount = models.DecimalField(
        _("amount"),
        max_digits=8,
        decimal_places=2,
        help_text=_("Hours or points in the body's unit, a number of entries, or days."),
    )
    activity_type = models.CharField(_("type"), max_length=20, choices=CpdType.choices, blank=True)
    period = models.CharField(
        _("period"),
        max_length=10,
        choices=RequirementPeriod.choices,
        default=RequirementPeriod.CYCLE,
    )

    class Meta:
        verbose_name = _("CPD requirement")
        verbose_name_plural = _("CPD requirements")
        ordering = ["rule_set", "position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount__gt=0), name="certificates_requirement_amount"
            ),
            models.CheckConstraint(
                condition=~models.Q(kind="hours_of_type") | ~models.Q(activity_type=""),
                name="certificates_requirement_type_named",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.rule_set_id}: {self.kind} {self.amount}"


class CpdRegistration(models.Model):
    """That a learner reports CPD to a rule set's body (with their number at the body)."""

    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="cpd_registrations",
        verbose_name=_("learner"),
    )
    rule_set = models.ForeignKey(
        RequirementRuleSet,
        on_delete=models.CASCADE,
        related_name="registrations",
        verbose_name=_("rule set"),
    )
    registered_on = models.DateField(_("registered on"))
    number = models.CharField(_("registration number"), max_length=60, blank=True)
    reminded_for = models.DateField(
        _("reminded for the cycle ending"),
        null=True,
        blank=True,
        help_text=_("The last day of the cycle the last reminder was about."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    withdrawn_on = models.DateField(
        _("withdrawn on"),
        null=True,
        blank=True,
        help_text=_(
            "The learner stopped reporting to the body. A profile sampled in an audit is kept "
            "(withdrawn), for the audit; any other is deleted."
        ),
    )

    class Meta:
        verbose_name = _("CPD registration")
        verbose_name_plural = _("CPD registrations")
        ordering = ["rule_set", "learner"]
        constraints = [
            models.UniqueConstraint(
                fields=["learner", "rule_set"], name="certificates_cpd_registration_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.learner_id} → {self.rule_set_id}"
