"""Writes of the courses app: importing cmi5 packages (cmi5 §13, §14) and enrolling learners."""

import shutil
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import IO

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils.text import slugify

from courses.cmi5.package import AssignableUnit, CourseStructure, PackageError, read_package
from courses.cmi5.package import Block as PackageBlock
from courses.models import (
    Block,
    Course,
    CourseStatus,
    CourseUnit,
    Enrolment,
    JourneyEnrolment,
    LearningJourney,
    Theme,
    UnitKind,
)
from courses.ports import EnrolmentRefused, enrolment_policy, lrs
from courses.signals import journey_joined
from lms.api import User, source_hash

__all__ = [
    "EnrolmentRefused",
    "ImportResult",
    "PackageError",
    "enrol_in_journey",
    "enrol_learner",
    "import_cmi5_package",
    "update_course_settings",
]


@dataclass(frozen=True)
class ImportResult:
    course: Course
    created: bool


def content_root() -> Path:
    return Path(settings.MEDIA_ROOT) / "content"


def _unique_slug(title: str) -> str:
    base = slugify(title)[:100] or "course"
    slug, number = base, 2
    while Course.objects.filter(slug=slug).exists():
        slug, number = f"{base}-{number}", number + 1
    return slug


def _search_text(*maps: dict[str, str]) -> str:
    return " ".join(text for language_map in maps for text in language_map.values()).lower()


def import_cmi5_package(
    *, source: Path | IO[bytes], status: str = CourseStatus.DRAFT
) -> ImportResult:
    """Import a cmi5 package, or a new version of a course already imported (same course id).

    The package is validated whole first (PackageError lists every reason); then its files are
    extracted into a directory of their own for this version and the course, blocks and units
    are written in one transaction. Units keep their rows across versions (matched by AU id),
    so enrolments and records stay attached; units a new version drops become inactive.
    """
    package = read_package(source)
    structure = package.structure
    existing = Course.objects.filter(activity_iri=structure.id).first()
    version = existing.version + 1 if existing else 1
    public_id = existing.public_id if existing else uuid.uuid4()
    relative = f"{public_id}/v{version}"
    target = content_root() / relative
    if package.is_zip:
        if target.exists():  # left by an earlier attempt that failed
            shutil.rmtree(target)
        package.extract_to(target)
    try:
        with transaction.atomic():
            return _write_course(
                structure,
                kind=UnitKind.XAPI if package.kind == "xapi" else UnitKind.CMI5,
                existing=existing,
                public_id=public_id,
                version=version,
                relative=relative,
                status=status,
            )
    except Exception:
        shutil.rmtree(target, ignore_errors=True)
        raise


@transaction.atomic
def update_course_settings(
    *,
    course: Course,
    title: dict[str, str],
    summary: dict[str, str],
    cpd_hours: Decimal,
    themes: Iterable[Theme],
    professions: list[str],
    level: str,
    price: Decimal,
    is_paid: bool,
    status: str,
    image: UploadedFile | None = None,
    clear_image: bool = False,
) -> Course:
    """Staff set what the package does not say: texts per language, CPD hours, themes,
    professions, level, image, price and status. Title and summary are language maps (empty
    languages dropped); the search text follows them."""
    course = Course.objects.select_for_update().get(pk=course.pk)
    before = {"title": course.title, "summary": course.summary}
    course.title = {code: text for code, text in title.items() if text}
    course.summary = {code: text for code, text in summary.items() if text}
    _record_translations(course, before)
    course.search_text = _search_text(course.title, course.summary)
    course.cpd_hours = cpd_hours
    course.target_professions = list(professions)
    course.level = level
    course.price = price
    course.is_paid = is_paid
    course.status = status
    if clear_image and course.image:
        course.image.delete(save=False)
    if image is not None:
        if course.image:
            course.image.delete(save=False)
        course.image.save(f"{course.public_id}{Path(image.name or '').suffix.lower()}", image,
                          save=False)  # fmt: skip
    course.save()
    course.themes.set(list(themes))
    return course


def _record_translations(course: Course, before: dict[str, dict[str, str]]) -> None:
    """A translation staff write or change here is made from today's source text: its hash is
    recorded, as on the translators' pages, so that it shows as out of date when the source
    changes (lms.content_translation)."""
    source = course.source_language or "en"
    hashes = {name: dict(texts) for name, texts in (course.translated_from or {}).items()}
    for name in ("title", "summary"):
        texts: dict[str, str] = getattr(course, name)
        source_text = texts.get(source, "")
        mine = hashes.setdefault(name, {})
        for language, text in texts.items():
            if language != source and text != before[name].get(language):
                mine[language] = source_hash(source_text)
        for language in [code for code in mine if code not in texts]:
            del mine[language]
    course.translated_from = hashes


def _write_course(
    structure: CourseStructure,
    *,
    kind: str = UnitKind.CMI5,
    existing: Course | None,
    public_id: uuid.UUID,
    version: int,
    relative: str,
    status: str,
) -> ImportResult:
    fields = {
        "title": structure.title,
        "summary": structure.description,
        "languages": sorted(structure.title),
        "version": version,
        "content_path": relative,
        "search_text": _search_text(structure.title, structure.description),
    }
    if existing is None:
        course = Course.objects.create(
            public_id=public_id,
            activity_iri=structure.id,
            slug=_unique_slug(next(iter(structure.title.values()), "course")),
            status=status,
            **fields,
        )
    else:
        course = Course.objects.select_for_update().get(pk=existing.pk)
        for name, value in fields.items():
            setattr(course, name, value)
        course.save()

    blocks_by_iri = {b.block_iri: b for b in course.blocks.all()}
    units_by_iri = {u.activity_iri: u for u in course.units.all()}
    seen_units: set[str] = set()
    order = 0

    def walk(children: tuple[PackageBlock | AssignableUnit, ...], parent: Block | None) -> None:
        nonlocal order
        for child in children:
            if isinstance(child, PackageBlock):
                block = blocks_by_iri.get(child.id) or Block(course=course, block_iri=child.id)
                block.parent, block.title, block.order = parent, child.title, order
                order += 1
                block.save()
                walk(child.children, block)
            else:
                _write_unit(
                    course,
                    child,
                    parent,
                    index=len(seen_units),
                    units_by_iri=units_by_iri,
                    kind=kind,
                )
                seen_units.add(child.id)

    walk(structure.children, None)
    course.units.exclude(activity_iri__in=seen_units).update(is_active=False)
    return ImportResult(course=course, created=existing is None)


def _write_unit(
    course: Course,
    au: AssignableUnit,
    block: Block | None,
    *,
    index: int,
    units_by_iri: dict[str, CourseUnit],
    kind: str,
) -> None:
    unit = units_by_iri.get(au.id) or CourseUnit(course=course, activity_iri=au.id)
    unit.block = block
    unit.index = index
    unit.kind = kind
    unit.title = au.title
    unit.description = au.description
    unit.url = au.url
    unit.launch_method = au.launch_method
    unit.move_on = au.move_on
    unit.mastery_score = au.mastery_score
    unit.launch_parameters = au.launch_parameters or ""
    unit.entitlement_key = au.entitlement_key or ""
    unit.activity_type = au.activity_type or ""
    unit.is_active = True
    unit.save()


@transaction.atomic
def enrol_learner(*, learner: User, course: Course) -> Enrolment:
    """Enrol ``learner`` (idempotent: an existing enrolment is returned). A registration is
    minted per enrolment (cmi5 §9.3.4). A paid course asks the enrolment policy first
    (EnrolmentRefused: nothing is enrolled)."""
    existing = Enrolment.objects.filter(learner=learner, course=course).first()
    if existing is not None:
        return existing
    enrolment_policy().check(learner=learner, course=course)
    try:
        with transaction.atomic():
            enrolment = Enrolment.objects.create(learner=learner, course=course)
            # cmi5 §9.6.1: moveOn is evaluated when the registration starts.
            lrs().start_registration(enrolment=enrolment)
            return enrolment
    except IntegrityError:
        return Enrolment.objects.get(learner=learner, course=course)


@transaction.atomic
def enrol_in_journey(*, learner: User, journey: LearningJourney) -> JourneyEnrolment:
    """Follow a learning journey (idempotent)."""
    try:
        with transaction.atomic():
            enrolment = JourneyEnrolment.objects.create(learner=learner, journey=journey)
    except IntegrityError:
        return JourneyEnrolment.objects.get(learner=learner, journey=journey)
    journey_joined.send(sender=JourneyEnrolment, enrolment=enrolment)
    return enrolment
