"""Courses, their blocks and units, enrolments, and learning journeys.

Titles and summaries are language maps (``{"en": "...", "ro": "..."}``), as in xAPI and cmi5,
so that a course reads in each learner's language and its activity definitions can be written
from the same data. Every course, unit and journey has an activity IRI: the package's own when
it brings one (cmi5 course and AU ids), else one minted under SITE_URL.
"""

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from lms.api import PickedText, pick_language, pick_text


class Theme(models.Model):
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    name = models.JSONField(
        _("name"), help_text=_('Language map, e.g. {"en": "Child protection"}.')
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    translated_from = models.JSONField(
        _("translated from"), default=dict, blank=True, editable=False,
        help_text=_("Per field and language, the SHA-256 of the source text translated."),
    )  # fmt: skip

    class Meta:
        verbose_name = _("theme")
        verbose_name_plural = _("themes")
        ordering = ["order", "slug"]

    def __str__(self) -> str:
        return pick_language(self.name, "en") or self.slug

    def name_in(self, language: str) -> PickedText:
        return pick_text(self.name, language)


class CourseLevel(models.TextChoices):
    INTRODUCTORY = "introductory", _("Introductory")
    INTERMEDIATE = "intermediate", _("Intermediate")
    ADVANCED = "advanced", _("Advanced")


class CourseStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    ARCHIVED = "archived", _("Archived")


class Course(models.Model):
    public_id = models.UUIDField(
        _("public identifier"), default=uuid.uuid4, unique=True, editable=False
    )
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    activity_iri = models.CharField(
        _("activity IRI"),
        max_length=2000,
        unique=True,
        help_text=_("The cmi5 course id, or an IRI minted under the site's URL."),
    )
    title = models.JSONField(_("title"), help_text=_("Language map."))
    summary = models.JSONField(_("summary"), default=dict, blank=True, help_text=_("Language map."))
    languages = models.JSONField(
        _("languages"),
        default=list,
        blank=True,
        help_text=_("Language codes the course is offered in."),
    )
    themes = models.ManyToManyField(
        Theme, blank=True, related_name="courses", verbose_name=_("themes")
    )
    target_professions = models.JSONField(_("target professions"), default=list, blank=True)
    level = models.CharField(
        _("level"), max_length=20, choices=CourseLevel.choices, default=CourseLevel.INTRODUCTORY
    )
    estimated_minutes = models.PositiveIntegerField(_("estimated duration (minutes)"), default=0)
    cpd_hours = models.DecimalField(
        _("nominal CPD hours"), max_digits=6, decimal_places=2, default=0,
        validators=[MinValueValidator(0)],
    )  # fmt: skip
    status = models.CharField(
        _("status"), max_length=12, choices=CourseStatus.choices, default=CourseStatus.DRAFT
    )
    is_paid = models.BooleanField(
        _("paid"), default=False, help_text=_("A paid course needs a seat.")
    )
    price = models.DecimalField(
        _("price"), max_digits=10, decimal_places=2, default=0,
        help_text=_("The price of one seat shown in the catalogue; 0 when free."),
    )  # fmt: skip
    image = models.ImageField(
        _("image"), upload_to="courses/images/", blank=True,
        width_field="image_width", height_field="image_height",
        help_text=_("A picture for the catalogue and the course page."),
    )  # fmt: skip
    # Kept with the image, so that pages give its size without opening the file (the browser
    # keeps its place and the page does not jump as it loads).
    image_width = models.PositiveIntegerField(_("image width"), null=True, blank=True,
                                              editable=False)  # fmt: skip
    image_height = models.PositiveIntegerField(_("image height"), null=True, blank=True,
                                               editable=False)  # fmt: skip
    version = models.PositiveIntegerField(_("version"), default=1)
    content_path = models.CharField(
        _("content path"),
        max_length=255,
        blank=True,
        help_text=_("Where this version's package files are, under the content root."),
    )
    search_text = models.TextField(_("search text"), blank=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    translated_from = models.JSONField(
        _("translated from"), default=dict, blank=True, editable=False,
        help_text=_("Per field and language, the SHA-256 of the source text translated."),
    )  # fmt: skip

    class Meta:
        verbose_name = _("course")
        verbose_name_plural = _("courses")
        ordering = ["slug"]
        indexes = [models.Index(fields=["status", "slug"], name="courses_course_catalogue_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(price__gte=0), name="courses_course_price_positive"
            )
        ]

    def __str__(self) -> str:
        return pick_language(self.title, "en") or self.slug

    @property
    def source_language(self) -> str:
        """The language the course was written in: the first it is offered in ("" when
        unknown, or not loaded: a read with ``only()`` costs no query for it)."""
        if "languages" in self.get_deferred_fields() or not self.languages:
            return ""
        return str(self.languages[0])

    def title_in(self, language: str) -> PickedText:
        return pick_text(self.title, language, source_language=self.source_language)

    def summary_in(self, language: str) -> PickedText:
        return pick_text(self.summary, language, source_language=self.source_language)

    @property
    def lms_activity_iri(self) -> str:
        """The course object of the LMS's statements (cmi5 §9.4: minted by the LMS, never the
        publisher's course id)."""
        return f"{settings.SITE_URL}/xapi/activities/courses/{self.public_id}"


class Block(models.Model):
    """A cmi5 block: a group of units (and blocks) within a course (cmi5 §13.1.2)."""

    course = models.ForeignKey(
        Course, on_delete=models.CASCADE, related_name="blocks", verbose_name=_("course")
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent block"),
    )
    block_iri = models.CharField(_("block id"), max_length=2000)
    public_id = models.UUIDField(
        _("public identifier"), default=uuid.uuid4, unique=True, editable=False
    )
    title = models.JSONField(_("title"))
    order = models.PositiveIntegerField(_("order"))

    class Meta:
        verbose_name = _("block")
        verbose_name_plural = _("blocks")
        ordering = ["course", "order"]
        constraints = [
            models.UniqueConstraint(fields=["course", "block_iri"], name="courses_block_unique")
        ]

    def __str__(self) -> str:
        return pick_language(self.title, "en")

    @property
    def lms_activity_iri(self) -> str:
        """The block object of the LMS's statements (cmi5 §9.4: minted, not the publisher's)."""
        return f"{settings.SITE_URL}/xapi/activities/blocks/{self.public_id}"


class UnitKind(models.TextChoices):
    CMI5 = "cmi5", _("cmi5 assignable unit")
    XAPI = "xapi", _("xAPI package")
    LINK = "link", _("Link")
    VIDEO = "video", _("Video")
    DOCUMENT = "document", _("Document")


class LaunchMethod(models.TextChoices):
    ANY_WINDOW = "AnyWindow", _("Any window")
    OWN_WINDOW = "OwnWindow", _("Own window")


class MoveOn(models.TextChoices):
    """cmi5 §13.1.4 moveOn: what satisfies an assignable unit."""

    NOT_APPLICABLE = "NotApplicable", _("Not applicable")
    PASSED = "Passed", _("Passed")
    COMPLETED = "Completed", _("Completed")
    COMPLETED_AND_PASSED = "CompletedAndPassed", _("Completed and passed")
    COMPLETED_OR_PASSED = "CompletedOrPassed", _("Completed or passed")


class CourseUnit(models.Model):
    """An assignable unit: a cmi5 AU, an xAPI package, or content the platform tracks itself."""

    course = models.ForeignKey(
        Course, on_delete=models.CASCADE, related_name="units", verbose_name=_("course")
    )
    block = models.ForeignKey(
        Block,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="units",
        verbose_name=_("block"),
    )
    index = models.PositiveIntegerField(
        _("position"), help_text=_("0-based position in the course.")
    )
    kind = models.CharField(
        _("kind"), max_length=10, choices=UnitKind.choices, default=UnitKind.CMI5
    )
    activity_iri = models.CharField(
        _("activity IRI"), max_length=2000, help_text=_("The cmi5 AU id.")
    )
    public_id = models.UUIDField(
        _("public identifier"), default=uuid.uuid4, unique=True, editable=False
    )
    title = models.JSONField(_("title"))
    description = models.JSONField(_("description"), default=dict, blank=True)
    url = models.CharField(
        _("URL"), max_length=2000, help_text=_("Absolute, or relative to the package.")
    )
    launch_method = models.CharField(
        _("launch method"),
        max_length=10,
        choices=LaunchMethod.choices,
        default=LaunchMethod.ANY_WINDOW,
    )
    move_on = models.CharField(
        _("move on"), max_length=20, choices=MoveOn.choices, default=MoveOn.NOT_APPLICABLE
    )
    mastery_score = models.DecimalField(
        _("mastery score"), max_digits=5, decimal_places=4, null=True, blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(1)],
    )  # fmt: skip
    launch_parameters = models.TextField(_("launch parameters"), blank=True)
    entitlement_key = models.CharField(_("entitlement key"), max_length=255, blank=True)
    activity_type = models.CharField(_("activity type"), max_length=2000, blank=True)
    is_active = models.BooleanField(
        _("active"),
        default=True,
        help_text=_("Units a newer version dropped stay, inactive, for their records."),
    )

    translated_from = models.JSONField(
        _("translated from"), default=dict, blank=True, editable=False,
        help_text=_("Per field and language, the SHA-256 of the source text translated."),
    )  # fmt: skip

    class Meta:
        verbose_name = _("course unit")
        verbose_name_plural = _("course units")
        ordering = ["course", "index"]
        constraints = [
            models.UniqueConstraint(
                fields=["course", "activity_iri"], name="courses_unit_iri_unique"
            ),
        ]

    def __str__(self) -> str:
        return pick_language(self.title, "en")

    def title_in(self, language: str, source_language: str = "") -> PickedText:
        return pick_text(self.title, language, source_language=source_language)

    @property
    def lms_activity_iri(self) -> str:
        """The activityId the LMS gives the AU at launch (cmi5 §8.1.5: unique, minted by the LMS,
        never the publisher's id); stable across versions of the course."""
        return f"{settings.SITE_URL}/xapi/activities/units/{self.public_id}"


class Enrolment(models.Model):
    """A learner's enrolment in a course: one cmi5 registration (cmi5 §9.3.4)."""

    public_id = models.UUIDField(
        _("public identifier"), default=uuid.uuid4, unique=True, editable=False
    )
    course = models.ForeignKey(
        Course, on_delete=models.PROTECT, related_name="enrolments", verbose_name=_("course")
    )
    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="enrolments",
        verbose_name=_("learner"),
    )
    registration = models.UUIDField(
        _("registration"), default=uuid.uuid4, unique=True, editable=False
    )
    enrolled_at = models.DateTimeField(_("enrolled"), auto_now_add=True)

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        ordering = ["-enrolled_at"]
        constraints = [
            models.UniqueConstraint(fields=["course", "learner"], name="courses_enrolment_unique")
        ]

    def __str__(self) -> str:
        return f"{self.learner} — {self.course}"


class LearningJourney(models.Model):
    """An ordered set of courses, some required, with prerequisites between steps."""

    public_id = models.UUIDField(
        _("public identifier"), default=uuid.uuid4, unique=True, editable=False
    )
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    activity_iri = models.CharField(_("activity IRI"), max_length=2000, unique=True)
    title = models.JSONField(_("title"))
    summary = models.JSONField(_("summary"), default=dict, blank=True)
    audience = models.JSONField(
        _("who it is for"), default=dict, blank=True, help_text=_("Language map.")
    )
    themes = models.ManyToManyField(
        Theme, blank=True, related_name="journeys", verbose_name=_("themes")
    )
    target_professions = models.JSONField(_("target professions"), default=list, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=CourseStatus.choices, default=CourseStatus.DRAFT
    )

    translated_from = models.JSONField(
        _("translated from"), default=dict, blank=True, editable=False,
        help_text=_("Per field and language, the SHA-256 of the source text translated."),
    )  # fmt: skip

    class Meta:
        verbose_name = _("learning journey")
        verbose_name_plural = _("learning journeys")
        ordering = ["slug"]

    def __str__(self) -> str:
        return pick_language(self.title, "en") or self.slug

    def title_in(self, language: str) -> PickedText:
        return pick_text(self.title, language)

    def summary_in(self, language: str) -> PickedText:
        return pick_text(self.summary, language)

    def audience_in(self, language: str) -> PickedText:
        return pick_text(self.audience, language)


class JourneyEnrolment(models.Model):
    """A learner following a learning journey; its registration identifies the journey's
    xAPI statements (the journey's own ``satisfied``)."""

    journey = models.ForeignKey(
        LearningJourney,
        on_delete=models.PROTECT,
        related_name="enrolments",
        verbose_name=_("journey"),
    )
    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="journey_enrolments",
        verbose_name=_("learner"),
    )
    registration = models.UUIDField(
        _("registration"), default=uuid.uuid4, unique=True, editable=False
    )
    enrolled_at = models.DateTimeField(_("enrolled"), auto_now_add=True)

    class Meta:
        verbose_name = _("journey enrolment")
        verbose_name_plural = _("journey enrolments")
        ordering = ["-enrolled_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["journey", "learner"], name="courses_journey_enrolment_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.learner} — {self.journey}"


class JourneyStep(models.Model):
    journey = models.ForeignKey(
        LearningJourney, on_delete=models.CASCADE, related_name="steps", verbose_name=_("journey")
    )
    course = models.ForeignKey(
        Course, on_delete=models.PROTECT, related_name="journey_steps", verbose_name=_("course")
    )
    order = models.PositiveIntegerField(_("order"))
    required = models.BooleanField(_("required"), default=True)
    prerequisites = models.ManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        related_name="unlocks",
        verbose_name=_("prerequisites"),
        help_text=_("Steps that must be satisfied before this one opens."),
    )

    class Meta:
        verbose_name = _("journey step")
        verbose_name_plural = _("journey steps")
        ordering = ["journey", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["journey", "course"], name="courses_step_course_unique"
            ),
            models.UniqueConstraint(fields=["journey", "order"], name="courses_step_order_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.journey} #{self.order}: {self.course}"


class LaunchMode(models.TextChoices):
    """cmi5 §10.2.2 launchMode."""

    NORMAL = "Normal", _("Normal")
    BROWSE = "Browse", _("Browse")
    REVIEW = "Review", _("Review")


class SessionState(models.TextChoices):
    LAUNCHED = "launched", _("Launched")
    INITIALIZED = "initialized", _("Initialized")
    TERMINATED = "terminated", _("Terminated")
    ABANDONED = "abandoned", _("Abandoned")


class LaunchSession(models.Model):
    """One launch of an assignable unit for a learner (cmi5 §8): its fetch token, the credentials
    the AU receives from the fetch URL, and where the session stands."""

    public_id = models.UUIDField(_("session id"), default=uuid.uuid4, unique=True, editable=False)
    enrolment = models.ForeignKey(
        Enrolment, on_delete=models.CASCADE, related_name="sessions", verbose_name=_("enrolment")
    )
    unit = models.ForeignKey(
        CourseUnit, on_delete=models.PROTECT, related_name="sessions", verbose_name=_("unit")
    )
    registration = models.UUIDField(_("registration"))
    launch_mode = models.CharField(
        _("launch mode"), max_length=8, choices=LaunchMode.choices, default=LaunchMode.NORMAL
    )
    fetch_token = models.CharField(_("fetch token"), max_length=64, unique=True, editable=False)
    secret_hash = models.CharField(_("secret hash"), max_length=64, blank=True, editable=False)
    fetched_at = models.DateTimeField(_("token fetched"), null=True, blank=True)
    state = models.CharField(
        _("state"), max_length=12, choices=SessionState.choices, default=SessionState.LAUNCHED
    )
    return_url = models.CharField(_("return URL"), max_length=2000, blank=True)
    judged = models.BooleanField(
        _("passed or failed sent"),
        default=False,
        help_text=_("cmi5 §9.3: one passed or failed statement per session at most."),
    )
    launched_at = models.DateTimeField(_("launched"), auto_now_add=True)
    last_statement_at = models.DateTimeField(
        _("last statement"),
        null=True,
        blank=True,
        help_text=_(
            "When the AU last sent statements (cmi5 §9.5.4.2: an abandoned session's length)."
        ),
    )
    preferences_read = models.BooleanField(
        _("learner preferences read"),
        default=False,
        help_text=_("cmi5 §11: the AU reads the learner preferences before it initializes."),
    )

    class Meta:
        verbose_name = _("launch session")
        verbose_name_plural = _("launch sessions")
        ordering = ["-launched_at"]
        indexes = [
            models.Index(fields=["enrolment", "unit", "state"], name="courses_session_open_idx")
        ]

    def __str__(self) -> str:
        return f"{self.unit} — {self.public_id}"
