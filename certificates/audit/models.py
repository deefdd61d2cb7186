"""Accreditors, the access log, audit rounds and their samples, evidence bundles."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from certificates.credentials.models import Accreditation, AccreditingBody
from lms.api import JobStatus


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


class AccessAction(models.TextChoices):
    VIEW_ACCREDITATION = "view_accreditation", _("Viewed an accreditation's records")
    VIEW_RECORD = "view_record", _("Viewed a completion record")
    VIEW_PROFILE = "view_profile", _("Viewed a CPD profile")
    EXPORT = "export", _("Exported records")
    EXPORT_PERSONAL = "export_personal", _("Exported personal data")


class AccessLogEntry(models.Model):
    """That an auditor saw a learner's completion data (append-only). One row per learner seen
    per page, so that an organisation can later show its members who looked at their records
    (certificates cannot point at organisations: it stores the learner, organisations reads)."""

    at = models.DateTimeField(_("at"), db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("seen by"),
    )
    action = models.CharField(_("action"), max_length=30, choices=AccessAction.choices)
    accreditation = models.ForeignKey(
        Accreditation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("accreditation"),
    )
    record = models.ForeignKey(
        "progress.CompletionRecord",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("completion record"),
    )
    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("learner"),
        help_text=_("The person whose data was seen."),
    )
    detail = models.TextField(_("detail"), blank=True)
    context = models.CharField(
        _("context"),
        max_length=80,
        blank=True,
        db_index=True,
        help_text=_(
            "Where the access happened, e.g. organisation:<id> for an organisation's export; "
            "empty for an accreditor's audit."
        ),
    )

    class Meta:
        verbose_name = _("access log entry")
        verbose_name_plural = _("access log entries")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["learner", "at"], name="certificates_access_who_idx")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.user_id} {self.action}"


class AuditRoundStatus(models.TextChoices):
    OPEN = "open", _("open")
    CLOSED = "closed", _("closed")


class AuditRound(models.Model):
    """A round of an accreditor's audit: a reproducible random sample of an accreditation's
    completion records, or of the CPD profiles of the people who report to a rule set (the seed
    is kept and shown, so anyone can draw the same sample again from the same population)."""

    public_id = models.UUIDField(
        _("public identifier"), default=uuid.uuid4, editable=False, unique=True
    )
    accreditation = models.ForeignKey(
        Accreditation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="audit_rounds",
        verbose_name=_("accreditation"),
    )
    rule_set = models.ForeignKey(
        "RequirementRuleSet",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="audit_rounds",
        verbose_name=_("CPD rule set"),
        help_text=_("For an audit of CPD profiles instead of an accreditation's records."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    seed = models.BigIntegerField(
        _("seed"),
        help_text=_("The random seed of the sample; the same seed draws the same sample."),
    )
    size = models.PositiveIntegerField(
        _("sample size"), null=True, blank=True, help_text=_("A number of records to draw.")
    )
    percent = models.DecimalField(
        _("sample percentage"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("A share of the records to draw, rounded up."),
    )
    exclude_joined_within_days = models.PositiveIntegerField(
        _("exclude people who joined within (days)"), null=True, blank=True
    )
    population = models.PositiveIntegerField(
        _("population"), default=0, help_text=_("How many records the sample was drawn from.")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=AuditRoundStatus.choices, default=AuditRoundStatus.OPEN
    )
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    class Meta:
        verbose_name = _("audit round")
        verbose_name_plural = _("audit rounds")
        ordering = ["-created_at", "-id"]
        constraints = [
            # A round is sized either by a number or by a percentage, never both nor neither.
            models.CheckConstraint(
                condition=(models.Q(size__isnull=False) & models.Q(percent__isnull=True))
                | (models.Q(size__isnull=True) & models.Q(percent__isnull=False)),
                name="certificates_round_size_or_percent",
            ),
            models.CheckConstraint(
                condition=models.Q(percent__isnull=True)
                | (models.Q(percent__gt=0) & models.Q(percent__lte=100)),
                name="certificates_round_percent_range",
            ),
            # A round audits an accreditation's records or a rule set's CPD profiles.
            models.CheckConstraint(
                condition=(models.Q(accreditation__isnull=False) & models.Q(rule_set__isnull=True))
                | (models.Q(accreditation__isnull=True) & models.Q(rule_set__isnull=False)),
                name="certificates_round_one_subject",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.accreditation_id} {self.created_at:%Y-%m-%d} ({self.seed})"


class AuditDecision(models.TextChoices):
    PENDING = "pending", _("pending")
    ACCEPTED = "accepted", pgettext_lazy("audit decision", "accepted")
    MORE_INFORMATION = "more_information", _("more information requested")
    REJECTED = "rejected", _("rejected")


class AuditSample(models.Model):
    """A completion record (or a CPD profile: a person's registration with a rule set) drawn in
    an audit round, and the auditor's decision on it."""

    round = models.ForeignKey(
        AuditRound, on_delete=models.CASCADE, related_name="samples", verbose_name=_("round")
    )
    record = models.ForeignKey(
        "progress.CompletionRecord",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("completion record"),
    )
    registration = models.ForeignKey(
        "CpdRegistration",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="audit_samples",
        verbose_name=_("CPD profile"),
    )
    redrawn = models.BooleanField(
        _("drawn again"),
        default=False,
        help_text=_("Drawn again because the previous round gave feedback on it."),
    )
    decision = models.CharField(
        _("decision"),
        max_length=20,
        choices=AuditDecision.choices,
        default=AuditDecision.PENDING,
    )
    notes = models.TextField(_("auditor's notes"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)

    class Meta:
        verbose_name = _("audit sample")
        verbose_name_plural = _("audit samples")
        ordering = ["round", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "record"], name="certificates_sample_once_per_round"
            ),
            models.UniqueConstraint(
                fields=["round", "registration"], name="certificates_profile_once_per_round"
            ),
            models.CheckConstraint(
                condition=(models.Q(record__isnull=False) & models.Q(registration__isnull=True))
                | (models.Q(record__isnull=True) & models.Q(registration__isnull=False)),
                name="certificates_sample_one_subject",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.round_id}: {self.record_id} {self.decision}"


class AuditAnswer(models.Model):
    """A learner's answer to an auditor's request for more information about one of their
    sampled records or their CPD profile: a text and, optionally, a file (stored, like CPD
    evidence, under an unguessable name and handed out only through the pages' access checks).
    Kept as sent: an auditor relies on what they read."""

    public_id = models.UUIDField(
        _("public identifier"), default=uuid.uuid4, editable=False, unique=True
    )
    sample = models.ForeignKey(
        AuditSample, on_delete=models.PROTECT, related_name="answers", verbose_name=_("sample")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("author"),
    )
    text = models.TextField(_("answer"))
    file = models.FileField(_("file"), upload_to="audit/answers/%Y/", blank=True)
    created_at = models.DateTimeField(_("sent"), auto_now_add=True)

    class Meta:
        verbose_name = _("answer to an auditor")
        verbose_name_plural = _("answers to auditors")
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["sample", "created_at"], name="certificates_answer_sample_idx")
        ]

    def __str__(self) -> str:
        return f"{self.sample_id} {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def file_name(self) -> str:
        """The name the file was uploaded with (stored as ``<random>-<name>``)."""
        name = (self.file.name or "").rsplit("/", 1)[-1]
        return name.split("-", 1)[-1] if "-" in name else name


BundleStatus = JobStatus  # an evidence bundle is a background file job (lms.jobs)


class EvidenceBundle(models.Model):
    """A ZIP of an accreditation's evidence for an accreditor to check offline: the records (CSV),
    their statements (JSON), the certificates' PDFs and credentials, and a manifest with the
    chain hashes. Either the completions of a period or an audit round's sample."""

    public_id = models.UUIDField(
        _("public identifier"), default=uuid.uuid4, editable=False, unique=True
    )
    accreditation = models.ForeignKey(
        Accreditation,
        on_delete=models.PROTECT,
        related_name="evidence_bundles",
        verbose_name=_("accreditation"),
    )
    audit_round = models.ForeignKey(
        AuditRound,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="evidence_bundles",
        verbose_name=_("audit round"),
        help_text=_("When set, the bundle holds the round's sample instead of a period."),
    )
    start = models.DateField(_("from"), null=True, blank=True)
    end = models.DateField(_("to"), null=True, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("requested by"),
    )
    requested_at = models.DateTimeField(_("requested"), auto_now_add=True)
    status = models.CharField(
        _("status"), max_length=10, choices=BundleStatus.choices, default=BundleStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    records = models.PositiveIntegerField(_("records"), default=0)
    file = models.FileField(_("file"), upload_to="evidence/%Y/", blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    error = models.CharField(_("error"), max_length=500, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("evidence bundle")
        verbose_name_plural = _("evidence bundles")
        ordering = ["-requested_at", "-id"]

    def __str__(self) -> str:
        return f"{self.accreditation_id} {self.requested_at:%Y-%m-%d %H:%M} {self.status}"
