"""Demo data of the courses app: a theme, a small real cmi5 course (bundled: its unit sends
cmi5 statements from the page), a journey, and the demo learner enrolled."""

import io
import zipfile
from pathlib import Path

from courses.models import Course, CourseLevel, CourseStatus, LearningJourney, Theme
from courses.services import enrol_in_journey, enrol_learner, import_cmi5_package
from lms.api import DemoContext, Role

CONTENT = Path(__file__).resolve().parent / "demo_content"
COURSE_IRI = "urn:practica:demo:course:safeguarding-basics"


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
        slug="safeguarding", defaults={"name": {"en": "Safeguarding", "ro": "Protecția copilului"}}
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
            "title": {"en": "Safeguarding essentials (demo)", "ro": "Esențialul protecției (demo)"},
            "audience": {"en": "Anyone who works with children."},
            "status": CourseStatus.PUBLISHED,
        },
    )
    journey.steps.update_or_create(course=course, defaults={"order": 1, "required": True})
    journey.themes.add(theme)
    learner = context.users[Role.LEARNER]
    enrol_learner(learner=learner, course=course)
    enrol_in_journey(learner=learner, journey=journey)
