"""Accrediting bodies and their accreditors, accreditations, issuance rules, certificates (frozen
PDF, signed Open Badges 3.0 credential, status list entry) and the site's signing keys."""

import uuid
import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_countries.fields import CountryField

from lms.jobs import JobStatus


def validate_time_zone(value: str) -> None:
    """An IANA time zone name, e.g. Europe/Bucharest."""
    if value not in zoneinfo.available_timezones():
        raise ValidationError(_("%(zone)s is not a known time zone."), params={"zone": value})


class CpdUnit(models.TextChoices):
    HOURS = "hours", _("hours")
    POINTS = "points", _("points")


class AccreditingBody(models.Model):
    public_id = models.UUIDField(
        _("public identifier"), default=uuid.uuid4, editable=False, unique=True
    )
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    country = CountryField(_("country"), blank=True)
    website = models.URLField(_("website"), blank=True)
    logo = models.FileField(
        _("logo"), upload_to="bodies/", blank=True, help_text=_("PNG or JPEG, printed on PDFs.")
    )
    cpd_unit = models.CharField(
        _("CPD unit"), max_length=10, choices=CpdUnit.choices, default=CpdUnit.HOURS
    )
    points_per_hour = models.DecimalField(
        _("points per hour"),
        max_digits=6,
        decimal_places=2,
        default=1,
        help_text=_("The rate between the body's points and hours of learning."),
    )

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


class AccreditationStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    SUSPENDED = "suspended", _("Suspended")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Accreditation(models.Model):
    """A body's accreditation of a course or a learning journey, for a period."""

    public_id = models.UUIDField(
        _("public identifier"), default=uuid.uuid4, editable=False, unique=True
    )
    body = models.ForeignKey(
        AccreditingBody,
        on_delete=models.PROTECT,
        related_name="accreditations",
        verbose_name=_("body"),
    )
    course = models.ForeignKey(
        "courses.Course",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("course"),
    )
    journey = models.ForeignKey(
        "courses.LearningJourney",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("learning journey"),
    )
    reference = models.CharField(_("reference number"), max_length=100)
    cpd_value = models.DecimalField(
        _("CPD value"),
        max_digits=6,
        decimal_places=2,
        help_text=_("In the body's unit (hours or points)."),
    )
    learning_outcomes = models.JSONField(
        _("learning outcomes"), default=dict, blank=True, help_text=_("Language map.")
    )
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=AccreditationStatus.choices,
        default=AccreditationStatus.ACTIVE,
    )

    class Meta:
        verbose_name = _("accreditation")
        verbose_name_plural = _("accreditations")
        ordering = ["body", "reference"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(course__isnull=False, journey__isnull=True)
                | models.Q(course__isnull=True, journey__isnull=False),
                name="certificates_accreditation_one_target",
            ),
            models.UniqueConstraint(
                fields=["body", "reference"], name="certificates_accreditation_reference_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(valid_until__isnull=True)
                | models.Q(valid_until__gte=models.F("valid_from")),
                name="certificates_accreditation_period_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.body} {self.reference}"


class CertificateTemplate(models.Model):
    """How a certificate looks: its heading and signatories. A certificate keeps what its
    template said when it was issued (its snapshot); editing the template changes only later
    ones."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    heading = models.JSONField(
        _("heading"), default=dict, blank=True, help_text=_("Language map; empty: the default.")
    )
    signatories = models.JSONField(
        _("signatories"),
        default=list,
        blank=True,
        help_text=_('A list of {"name": ..., "title": ...}.'),
    )

    class Meta:
        verbose_name = _("certificate template")
        verbose_name_plural = _("certificate templates")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class IssuanceRule(models.Model):
    """When a completion earns a certificate."""

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
    accreditation = models.ForeignKey(
        Accreditation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="rules",
        verbose_name=_("accreditation"),
    )
    template = models.ForeignKey(
        CertificateTemplate,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="rules",
        verbose_name=_("template"),
    )
    minimum_score = models.DecimalField(
        _("minimum score"),
        max_digits=5,
        decimal_places=4,
        null=True,
        blank=True,
        help_text=_("Scaled, 0 to 1; empty: any completion."),
    )
    deadline = models.DateField(
        _("deadline"), null=True, blank=True, help_text=_("Completions after it do not count.")
    )
    validity_months = models.PositiveSmallIntegerField(
        _("valid for (months)"), null=True, blank=True, help_text=_("Empty: does not expire.")
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("issuance rule")
        verbose_name_plural = _("issuance rules")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(course__isnull=False, journey__isnull=True)
                | models.Q(course__isnull=True, journey__isnull=False),
                name="certificates_rule_one_target",
            ),
            models.CheckConstraint(
                condition=models.Q(minimum_score__isnull=True)
                | models.Q(minimum_score__gte=0, minimum_score__lte=1),
                name="certificates_rule_score_scaled",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.course or self.journey}"


class CertificateStatus(models.TextChoices):
    VALID = "valid", _("Valid")
    REVOKED = "revoked", _("Revoked")
    REPLACED = "replaced", _("Replaced")


class Certificate(models.Model):
    """A certificate as issued: frozen. Its snapshot, PDF (with its SHA-256) and signed
    credential never change; revocation and replacement are recorded beside them."""

    public_id = models.UUIDField(
        _("public identifier"), default=uuid.uuid4, editable=False, unique=True
    )
    serial = models.CharField(_("serial"), max_length=20, unique=True, editable=False)
    verification_code = models.CharField(
        _("verification code"), max_length=32, unique=True, editable=False
    )
    record = models.ForeignKey(
        "progress.CompletionRecord",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("completion record"),
    )
    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="certificates",
        verbose_name=_("learner"),
    )
    rule = models.ForeignKey(
        IssuanceRule,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="certificates",
        verbose_name=_("rule"),
    )
    accreditation = models.ForeignKey(
        Accreditation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="certificates",
        verbose_name=_("accreditation"),
    )
    issued_at = models.DateTimeField(_("issued"))
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    language = models.CharField(_("language"), max_length=10)
    snapshot = models.JSONField(
        _("snapshot"), help_text=_("What the certificate shows, as issued.")
    )
    pdf = models.FileField(_("PDF"), upload_to="certificates/%Y/", blank=True)
    pdf_sha256 = models.CharField(_("PDF SHA-256"), max_length=64, blank=True)
    credential = models.TextField(
        _("signed credential"), blank=True, help_text=_("Open Badges 3.0, as a VC-JWT.")
    )
    status_index = models.PositiveIntegerField(_("status list index"), unique=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=CertificateStatus.choices,
        default=CertificateStatus.VALID,
    )
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revocation_reason = models.CharField(_("revocation reason"), max_length=500, blank=True)
    replaced_by = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="replaces",
        verbose_name=_("replaced by"),
    )
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("issued by"),
        help_text=_("Staff who issued it by hand; empty when a rule did."),
    )
    renewal_reminded_at = models.DateTimeField(_("renewal reminder sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["-issued_at"]
        constraints = [
            # One standing certificate per completion record: a retried or duplicated task
            # cannot make a second one; a reissue replaces the first.
            models.UniqueConstraint(
                fields=["record"],
                condition=~models.Q(status="replaced"),
                name="certificates_one_per_record",
            )
        ]
        indexes = [models.Index(fields=["learner", "status"], name="certificates_learner_idx")]

    def __str__(self) -> str:
        return self.serial


class SerialCounter(models.Model):
    """The last serial number given in a year (locked while a certificate is numbered)."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    last = models.PositiveIntegerField(_("last number"), default=0)

    class Meta:
        verbose_name = _("serial counter")
        verbose_name_plural = _("serial counters")

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


class SigningKey(models.Model):
    """A key the site signs credentials with: RSA 2048 signing RS256 (OB 3.0 §8.2.3 names RS256
    as the minimum), or Ed25519 signing EdDSA for keys made before the switch (decision 0010).
    The newest active RS256 key signs; retired keys stay published so that what they signed
    stays verifiable, each with its own algorithm."""

    class Algorithm(models.TextChoices):
        # JWS "alg" values (RFC 7518 §3.1, RFC 8037 §3.1): names, not prose, so not translated.
        RS256 = "RS256", "RS256 (RSA, SHA-256)"
        EDDSA = "EdDSA", "EdDSA (Ed25519)"

    kid = models.CharField(_("key id"), max_length=64, unique=True)
    algorithm = models.CharField(
        _("algorithm"),
        max_length=8,
        choices=Algorithm.choices,
        default=Algorithm.RS256,
        help_text=_("The JWS algorithm of everything this key signs."),
    )
    private_key = models.TextField(
        _("private key"), help_text=_("PKCS#8 PEM, encrypted with a key derived from SECRET_KEY.")
    )
    public_jwk = models.JSONField(_("public key (JWK)"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    retired_at = models.DateTimeField(_("retired"), null=True, blank=True)

    class Meta:
        verbose_name = _("signing key")
        verbose_name_plural = _("signing keys")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.kid


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


# --- the CPD ledger (issue 9) -------------------------------------------------------------------


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
