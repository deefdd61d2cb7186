"""Demo data of the courses app: a theme, a small real cmi5 course (bundled: its unit sends
cmi5 statements from the page), two short courses of links and documents the platform tracks
itself (one accredited, one not), a journey of two steps, the demo learner and the demo
organisation's members enrolled (progress/demo.py then records what each has done)."""

import io
import zipfile
from pathlib import Path
from typing import Any

from courses.models import (
    Course,
    CourseLevel,
    CourseStatus,
    CourseUnit,
    LearningJourney,
    MoveOn,
    Theme,
    UnitKind,
)
from courses.services import (
    _search_text,
    enrol_in_journey,
    enrol_learner,
    import_cmi5_package,
)
from lms.api import DemoContext, DemoStage, Role

CONTENT = Path(__file__).resolve().parent / "demo_content"
COURSE_IRI = "urn:practica:demo:course:safeguarding-basics"
# Accredited (certificates/demo.py): completing it issues a certificate. Two units.
TALKING_IRI = "urn:practica:demo:course:talking-with-children"
# Not accredited: completing it issues nothing. One unit.
FAMILIES_IRI = "urn:practica:demo:course:working-with-families"

_PLATFORM_COURSES: list[dict[str, Any]] = [
    {
        "activity_iri": TALKING_IRI,
        "slug": "talking-with-children-demo",
        "title": {
            "en": "Talking with children (demo)",
            "ro": "Cum vorbești cu copiii (demo)",
            "uk": "Розмова з дітьми (демо)",
        },
        "summary": {
            "en": "How to listen to a child who tells you something worrying, and what to say "
            "and not to say. A short video and a conversation guide.",
            "ro": "Cum asculți un copil care îți spune ceva îngrijorător și ce să spui sau să nu "
            "spui. Un videoclip scurt și un ghid de conversație.",
            "uk": "Як вислухати дитину, яка розповідає вам щось тривожне, і що казати, а чого "
            "не казати. Коротке відео та посібник для розмови.",
        },
        "minutes": 20,
        "cpd_hours": 2,
        "units": [
            (
                UnitKind.VIDEO,
                "listen-first",
                {"en": "Listen first", "ro": "Mai întâi ascultă", "uk": "Спершу вислухайте"},
                "https://example.org/demo/listen-first",
            ),
            (
                UnitKind.DOCUMENT,
                "conversation-guide",
                {
                    "en": "A conversation guide",
                    "ro": "Ghid de conversație",
                    "uk": "Посібник для розмови",
                },
                "https://example.org/demo/conversation-guide.pdf",
            ),
        ],
    },
    {
        "activity_iri": FAMILIES_IRI,
        "slug": "working-with-families-demo",
        "title": {
            "en": "Working with families (demo)",
            "ro": "Lucrul cu familiile (demo)",
            "uk": "Робота з родинами (демо)",
        },
        "summary": {
            "en": "Family group conferences: bringing the wider family together to plan for a "
            "child's safety. One reading.",
            "ro": "Conferința grupului familial: familia extinsă se reunește ca să plănuiască "
            "siguranța copilului. O lectură.",
            "uk": "Сімейні групові конференції: ширша родина збирається разом, щоб спланувати "
            "безпеку дитини. Одне читання.",
        },
        "minutes": 15,
        "cpd_hours": 1,
        "units": [
            (
                UnitKind.LINK,
                "family-group-conferences",
                {
                    "en": "Family group conferences",
                    "ro": "Conferința grupului familial",
                    "uk": "Сімейні групові конференції",
                },
                "https://example.org/demo/family-group-conferences",
            ),
        ],
    },
]


def _platform_course(spec: dict[str, Any], theme: Theme) -> Course:
    course, _created = Course.objects.update_or_create(
        activity_iri=spec["activity_iri"],
        defaults={
            "slug": spec["slug"],
            "title": spec["title"],
            "summary": spec["summary"],
            "languages": ["en", "ro", "uk"],
            "target_professions": ["social_worker", "psychologist", "ngo_staff"],
            "level": CourseLevel.INTRODUCTORY,
            "estimated_minutes": spec["minutes"],
            "cpd_hours": spec["cpd_hours"],
            "status": CourseStatus.PUBLISHED,
            # As an imported course's: found by the catalogue's search.
            "search_text": _search_text(spec["title"], spec["summary"]),
        },
    )
    for index, (kind, name, title, url) in enumerate(spec["units"]):
        CourseUnit.objects.update_or_create(
            course=course,
            activity_iri=f"{spec['activity_iri']}:{name}",
            defaults={
                "index": index,
                "kind": kind,
                "title": title,
                "url": url,
                "move_on": MoveOn.COMPLETED,
            },
        )
    course.themes.add(theme)
    return course


def demo_package() -> io.BytesIO:
    """The bundled demo course as a cmi5 zip package, built from courses/demo_content/."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(CONTENT.iterdir()):
            archive.write(path, path.name)
    buffer.seek(0)
    return buffer


def load(context: DemoContext) -> None:
    theme, _ = Theme.objects.update_or_create(
        slug="safeguarding",
        defaults={
            "name": {"en": "Safeguarding", "ro": "Protecția copilului", "uk": "Захист дітей"}
        },
    )
    course = Course.objects.filter(activity_iri=COURSE_IRI).first()
    if course is None:
        course = import_cmi5_package(source=demo_package(), status=CourseStatus.PUBLISHED).course
    Course.objects.filter(pk=course.pk).update(
        level=CourseLevel.INTRODUCTORY,
        estimated_minutes=5,
        cpd_hours=1,
        target_professions=["social_worker", "teacher", "police", "ngo_staff"],
    )
    course.themes.add(theme)
    journey, _ = LearningJourney.objects.update_or_create(
        slug="safeguarding-essentials",
        defaults={
            "activity_iri": "urn:practica:demo:journey:safeguarding-essentials",
            "title": {
                "en": "Safeguarding essentials (demo)",
                "ro": "Esențialul protecției (demo)",
                "uk": "Основи захисту дітей (демо)",
            },
            "summary": {
                "en": "Two short courses: recognising and reporting concerns, then talking with "
                "the child.",
                "ro": "Două cursuri scurte: recunoști și semnalezi îngrijorările, apoi vorbești "
                "cu copilul.",
                "uk": "Два короткі курси: як розпізнати тривожні ознаки й повідомити про них, а "
                "потім як говорити з дитиною.",
            },
            "audience": {
                "en": "Anyone who works with children.",
                "ro": "Oricine lucrează cu copii.",
                "uk": "Усі, хто працює з дітьми.",
            },
            "status": CourseStatus.PUBLISHED,
        },
    )
    talking, families = (_platform_course(spec, theme) for spec in _PLATFORM_COURSES)
    journey.steps.update_or_create(course=course, defaults={"order": 1, "required": True})
    journey.steps.update_or_create(course=talking, defaults={"order": 2, "required": True})
    journey.themes.add(theme)
    learner = context.users[Role.LEARNER]
    enrol_learner(learner=learner, course=course)
    enrol_learner(learner=learner, course=talking)
    enrol_in_journey(learner=learner, journey=journey)
    # The organisation's members: the completed ones took the course without a certificate.
    for member in context.members:
        enrol_learner(
            learner=member.user,
            course=families if member.stage == DemoStage.COMPLETED else talking,
        )
