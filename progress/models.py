"""The Learning Record Store: clients, statements and their filter index, activities, documents.

Statements are immutable: the JSON as stored (with the LRS-assigned id, stored, authority and
version) is kept as text and returned as is for ``format=exact``. Every query filter of GET
statements (xAPI 1.0.3 Communication §2.1.3) is answered from ``StatementIndex``: one narrow row
per (filter key, statement), where the key is a 128-bit digest of the filter's kind and value, so
that each filter is a range scan of one composite primary key, newest first.
"""

import uuid
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class LRSScope(models.TextChoices):
    """xAPI 1.0.3 Communication §4.2 (OAuth Authorization Scope), used for all credentials."""

    STATEMENTS_WRITE = "statements/write", _("Write statements")
    STATEMENTS_READ = "statements/read", _("Read any statement")
    STATEMENTS_READ_MINE = "statements/read/mine", _("Read statements written by this client")
    STATE = "state", _("Read and write state documents")
    DEFINE = "define", _("Define activities and actors")
    PROFILE = "profile", _("Read and write profile documents")
    ALL_READ = "all/read", _("Read everything")
    ALL = "all", _("Everything")


class LRSClient(models.Model):
    """Credentials of a system that talks xAPI to the LRS (HTTP Basic: key and secret)."""

    public_id = models.UUIDField(
        _("public identifier"), default=uuid.uuid4, unique=True, editable=False
    )
    name = models.CharField(_("name"), max_length=200)
    key = models.CharField(_("key"), max_length=64, unique=True, editable=False)
    secret_hash = models.CharField(
        _("secret hash"),
        max_length=128,
        editable=False,
        help_text=_("HMAC-SHA-256 of the secret; the secret itself is shown once, at creation."),
    )
    scopes = models.JSONField(_("scopes"), default=list)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="lrs_clients",
        verbose_name=_("owner"),
        help_text=_("The person responsible for these credentials, if any."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("LRS client")
        verbose_name_plural = _("LRS clients")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name

    def authority(self) -> dict[str, object]:
        """The Agent set as ``authority`` of what this client stores (xAPI 1.0.3 Data §2.4.9)."""
        return {
            "objectType": "Agent",
            "name": self.name,
            "account": {"homePage": settings.SITE_URL, "name": f"lrs-client/{self.public_id}"},
        }


class Statement(models.Model):
    statement_id = models.UUIDField(_("statement id"), unique=True)
    payload = models.TextField(_("statement JSON"), help_text=_("As stored; never changed."))
    stored = models.DateTimeField(_("stored"), db_index=True)
    version = models.CharField(_("xAPI version"), max_length=16)
    client = models.ForeignKey(
        LRSClient,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="statements",
        verbose_name=_("stored by"),
    )
    object_statement_id = models.UUIDField(
        _("targeted statement"),
        null=True,
        blank=True,
        help_text=_("The id in the object's StatementRef, if the object is one."),
    )
    is_voiding = models.BooleanField(_("voids another"), default=False)
    voided = models.BooleanField(_("voided"), default=False)
    attachment_hashes = models.JSONField(_("attachment hashes"), default=list, blank=True)

    class Meta:
        verbose_name = _("statement")
        verbose_name_plural = _("statements")
        ordering = ["-id"]
        indexes = [
            models.Index(
                fields=["object_statement_id"],
                name="progress_stmt_target_idx",
                condition=models.Q(object_statement_id__isnull=False),
            ),
            models.Index(fields=["client", "id"], name="progress_stmt_client_idx"),
        ]

    def __str__(self) -> str:
        return str(self.statement_id)


class StatementIndex(models.Model):
    """One filter key of one statement (see ``progress.xapi.keys``).

    Only the composite primary key is indexed, and the foreign key is not enforced by the
    database: ten rows per statement are written on the hot path, and statements are never
    deleted (they are voided). Keys are recomputed from a statement's payload when needed.
    """

    pk = models.CompositePrimaryKey("key", "statement")
    key = models.UUIDField(_("filter key"))
    statement = models.ForeignKey(
        Statement,
        on_delete=models.DO_NOTHING,
        related_name="+",
        db_constraint=False,
        db_index=False,
    )

    class Meta:
        verbose_name = _("statement index entry")
        verbose_name_plural = _("statement index entries")

    def __str__(self) -> str:
        return f"{self.key} -> {self.statement_id}"


class Attachment(models.Model):
    """Attachment content, stored once per SHA-2 hash whatever the number of statements."""

    sha2 = models.CharField(_("SHA-2 hash"), max_length=128, unique=True)
    content_type = models.CharField(_("content type"), max_length=255)
    content = models.BinaryField(_("content"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.sha2


class Activity(models.Model):
    """The canonical definition of an activity, merged from statements (Communication §2.5)."""

    key = models.UUIDField(_("IRI digest"), unique=True)
    iri = models.TextField(_("activity IRI"))
    definition = models.JSONField(_("definition"), default=dict)
    updated = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["iri"]

    def __str__(self) -> str:
        return self.iri


class DocumentKind(models.TextChoices):
    STATE = "state", _("State")
    ACTIVITY_PROFILE = "activity_profile", _("Activity profile")
    AGENT_PROFILE = "agent_profile", _("Agent profile")


class Document(models.Model):
    """A State, Activity Profile or Agent Profile document (Communication §2.2 to §2.7).

    ``scope`` is a digest of what identifies the set of documents it belongs to (kind, activity,
    agent, registration), so that one index answers single-document and list requests.
    """

    kind = models.CharField(_("kind"), max_length=20, choices=DocumentKind.choices)
    scope = models.UUIDField(_("scope digest"))
    document_id = models.TextField(_("document id"))
    activity_iri = models.TextField(_("activity IRI"), blank=True)
    agent = models.JSONField(_("agent"), null=True, blank=True)
    registration = models.UUIDField(_("registration"), null=True, blank=True)
    content = models.BinaryField(_("content"))
    content_type = models.CharField(_("content type"), max_length=255)
    etag = models.CharField(_("ETag"), max_length=64)
    updated = models.DateTimeField(_("updated"))
    writer = models.CharField(
        _("created by"),
        max_length=80,
        blank=True,
        help_text=_(
            "Who created the document: an LRS client's key, or the cmi5 content of a course. "
            "Content may change only what it created (cmi5 §8.2.2)."
        ),
    )

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["scope", "document_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["scope", "document_id"], name="progress_document_unique"
            )
        ]
        indexes = [models.Index(fields=["scope", "updated"], name="progress_document_since_idx")]

    def __str__(self) -> str:
        return f"{self.kind}: {self.document_id}"


class ProgressStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    COMPLETED = "completed", _("Completed")
    PASSED = "passed", _("Passed")
    FAILED = "failed", _("Failed")
    SATISFIED = "satisfied", _("Satisfied")
    WAIVED = "waived", _("Waived")


class UnitProgress(models.Model):
    """Where a learner stands in one unit of one enrolment, projected from statements."""

    enrolment = models.ForeignKey(
        "courses.Enrolment",
        on_delete=models.CASCADE,
        related_name="unit_progress",
        verbose_name=_("enrolment"),
    )
    unit = models.ForeignKey(
        "courses.CourseUnit",
        on_delete=models.CASCADE,
        related_name="progress",
        verbose_name=_("unit"),
    )
    completed = models.BooleanField(_("completed"), default=False)
    passed = models.BooleanField(_("passed"), default=False)
    failed = models.BooleanField(_("failed"), default=False)
    satisfied = models.BooleanField(_("satisfied"), default=False)
    waived = models.BooleanField(_("waived"), default=False)
    score_scaled = models.DecimalField(
        _("score"), max_digits=6, decimal_places=4, null=True, blank=True
    )
    time_spent = models.DurationField(_("time spent"), default=timedelta)
    open_session_time = models.DurationField(
        _("time in the open session"),
        default=timedelta,
        help_text=_("Reported by completed/passed/failed until terminated gives the session's."),
    )
    last_activity_at = models.DateTimeField(_("last activity"), null=True, blank=True)
    evidence = models.JSONField(
        _("evidence"), default=list, help_text=_("Ids of the statements that decided it.")
    )

    class Meta:
        verbose_name = _("unit progress")
        verbose_name_plural = _("unit progress")
        constraints = [
            models.UniqueConstraint(
                fields=["enrolment", "unit"], name="progress_unit_progress_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.enrolment} / {self.unit}"

    @property
    def status(self) -> ProgressStatus:
        """The one word a learner or supervisor reads: the most advanced state reached."""
        for reached, status in (
            (self.waived, ProgressStatus.WAIVED),
            (self.satisfied, ProgressStatus.SATISFIED),
            (self.passed, ProgressStatus.PASSED),
            (self.failed, ProgressStatus.FAILED),
            (self.completed, ProgressStatus.COMPLETED),
            (self.last_activity_at is not None, ProgressStatus.IN_PROGRESS),
        ):
            if reached:
                return status
        return ProgressStatus.NOT_STARTED


class CompletionRecord(models.Model):
    """The fact that a learner satisfied a course or a learning journey: written once, never
    edited (docs/architecture.md, "How data flows")."""

    public_id = models.UUIDField(
        _("public identifier"), default=uuid.uuid4, unique=True, editable=False
    )
    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="completion_records",
        verbose_name=_("learner"),
    )
    course = models.ForeignKey(
        "courses.Course",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="completion_records",
        verbose_name=_("course"),
    )
    journey = models.ForeignKey(
        "courses.LearningJourney",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="completion_records",
        verbose_name=_("learning journey"),
    )
    registration = models.UUIDField(_("registration"))
    completed_at = models.DateTimeField(_("completed"))
    score_scaled = models.DecimalField(
        _("score"), max_digits=6, decimal_places=4, null=True, blank=True
    )
    time_spent = models.DurationField(_("time spent"), default=timedelta)
    evidence = models.JSONField(_("evidence"), help_text=_("Ids of the statements behind it."))
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        verbose_name = _("completion record")
        verbose_name_plural = _("completion records")
        ordering = ["-completed_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["course", "registration"], name="progress_completion_once"
            ),
            models.UniqueConstraint(
                fields=["journey", "registration"], name="progress_journey_completion_once"
            ),
            models.CheckConstraint(
                condition=models.Q(course__isnull=False, journey__isnull=True)
                | models.Q(course__isnull=True, journey__isnull=False),
                name="progress_completion_of_one_thing",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.learner} — {self.course or self.journey} ({self.completed_at:%Y-%m-%d})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        # A completion is a fact: corrections are new records (a revocation), never edits.
        if not self._state.adding:
            raise ValueError("A CompletionRecord is never edited once written.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise ValueError("A CompletionRecord is never deleted.")


class BlockSatisfaction(models.Model):
    """A block's moveOn was met in a registration; its "satisfied" statement was written once."""

    enrolment = models.ForeignKey(
        "courses.Enrolment", on_delete=models.CASCADE, related_name="+", verbose_name=_("enrolment")
    )
    block = models.ForeignKey(
        "courses.Block", on_delete=models.CASCADE, related_name="+", verbose_name=_("block")
    )
    statement_id = models.UUIDField(_("satisfied statement"))
    satisfied_at = models.DateTimeField(_("satisfied"), auto_now_add=True)

    class Meta:
        verbose_name = _("block satisfaction")
        verbose_name_plural = _("block satisfactions")
        constraints = [
            models.UniqueConstraint(fields=["enrolment", "block"], name="progress_block_once")
        ]

    def __str__(self) -> str:
        return f"{self.enrolment} / {self.block}"


class ChainEntry(models.Model):
    """One entry of the append-only, hash-chained log of completion records and certificate
    events (docs/architecture.md, "How data flows").

    ``content`` is the canonical JSON of the fact as written; ``content_hash`` its SHA-256;
    ``entry_hash`` = SHA-256 of (sequence, kind, subject, content hash, previous entry's hash,
    time). Editing, deleting or inserting a row breaks a hash that ``verify_records`` checks."""

    sequence = models.PositiveBigIntegerField(_("sequence"), unique=True)
    kind = models.CharField(_("kind"), max_length=40)
    subject = models.UUIDField(_("subject"), help_text=_("The public id of the record or event."))
    content = models.TextField(_("canonical content"))
    content_hash = models.CharField(_("content hash"), max_length=64)
    previous_hash = models.CharField(_("previous entry's hash"), max_length=64, unique=True)
    entry_hash = models.CharField(_("entry hash"), max_length=64, unique=True)
    recorded_at = models.DateTimeField(_("recorded"))

    class Meta:
        verbose_name = _("chain entry")
        verbose_name_plural = _("chain entries")
        ordering = ["sequence"]
        indexes = [models.Index(fields=["kind", "subject"], name="progress_chain_subject_idx")]

    def __str__(self) -> str:
        return f"{self.sequence} {self.kind} {self.entry_hash[:12]}"
