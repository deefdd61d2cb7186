"""Accrediting bodies, accreditations, issuance rules and templates, certificates (frozen PDF,
signed Open Badges 3.0 credential, status list entry), serial counters and the site's signing
keys."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField


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

    translated_from = models.JSONField(
        _("translated from"), default=dict, blank=True, editable=False,
        help_text=_("Per field and language, the SHA-256 of the source text translated."),
    )  # fmt: skip

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
