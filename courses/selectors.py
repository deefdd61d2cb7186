"""Reads of the courses app: the catalogue."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q, QuerySet

from courses.models import Course, CourseStatus, LearningJourney, Theme
from courses.ports import accreditations
from lms.api import PickedText

ORDERINGS = {
    "newest": ("-created_at", "-id"),
    "cpd": ("-cpd_hours", "-id"),
    "shortest": ("estimated_minutes", "id"),
}


def courses_for_catalogue(
    *,
    q: str = "",
    theme: Theme | None = None,
    language: str = "",
    profession: str = "",
    level: str = "",
    min_cpd: Decimal | None = None,
    accredited: str = "",
    sort: str = "",
) -> QuerySet[Course]:
    """Published courses matching the filters; archived and draft courses never appear.
    Themes are prefetched, so a page of results costs a fixed number of queries."""
    courses = Course.objects.filter(status=CourseStatus.PUBLISHED)
    if q:
        for word in q.lower().split()[:8]:
            courses = courses.filter(search_text__contains=word)
    if theme is not None:
        courses = courses.filter(themes=theme)
    if language:
        courses = courses.filter(languages__contains=[language])
    if profession:
        courses = courses.filter(target_professions__contains=[profession])
    if level:
        courses = courses.filter(level=level)
    if min_cpd is not None:
        courses = courses.filter(cpd_hours__gte=min_cpd)
    if accredited:
        ids = accreditations().accredited_course_ids()
        courses = courses.filter(id__in=ids) if accredited == "yes" else courses.exclude(id__in=ids)
    return courses.order_by(*ORDERINGS.get(sort or "newest", ORDERINGS["newest"])).prefetch_related(
        "themes"
    )


def content_languages() -> list[str]:
    """The languages published courses are offered in, sorted (one query)."""
    found: set[str] = set()
    published = Course.objects.filter(status=CourseStatus.PUBLISHED)
    for languages in published.values_list("languages", flat=True).distinct():
        found.update(code for code in languages or [] if isinstance(code, str) and code)
    return sorted(found)


@dataclass(frozen=True)
class CatalogueEntry:
    slug: str
    title: PickedText
    summary: PickedText
    themes: list[PickedText]
    level: str
    cpd_hours: Decimal
    estimated_minutes: int
    is_paid: bool
    languages: list[str]
    # The course's picture (empty when it has none) and its size in pixels, when known.
    image_url: str = ""
    image_width: int | None = None
    image_height: int | None = None


def catalogue_entry(course: Course, language: str) -> CatalogueEntry:
    return CatalogueEntry(
        slug=course.slug,
        title=course.title_in(language),
        summary=course.summary_in(language),
        themes=[t.name_in(language) for t in course.themes.all()],
        level=course.get_level_display(),
        cpd_hours=course.cpd_hours,
        estimated_minutes=course.estimated_minutes,
        is_paid=course.is_paid,
        languages=course.languages,
        image_url=course.image.url if course.image else "",
        image_width=course.image_width,
        image_height=course.image_height,
    )


def journeys_for_catalogue(
    *, q: str = "", theme: Theme | None = None, **_ignored: object
) -> QuerySet[LearningJourney]:
    """Published journeys matching the search words (in any language of their title or
    summary) and the theme; the other course filters do not apply to journeys."""
    journeys = LearningJourney.objects.filter(status=CourseStatus.PUBLISHED)
    for word in q.lower().split()[:8]:
        journeys = journeys.filter(Q(title__icontains=word) | Q(summary__icontains=word))
    if theme is not None:
        journeys = journeys.filter(themes=theme)
    return journeys.order_by("slug")
