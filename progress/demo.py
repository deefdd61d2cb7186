"""Demo data of the progress app: what the demo people have done in the platform's own units,
recorded as the platform records it when they open a unit and mark it done (the LRS port's
``record_platform_unit``, progress/lms_port.py): xAPI statements in the LRS, projected into
progress and completion records exactly as in production. Runs after the courses demo (which
enrols them); idempotent: a unit already opened is not opened again, nor one done done again."""

from courses.models import Course, CourseUnit, Enrolment
from lms.api import DemoContext, DemoStage, Role, User
from progress.lms_port import DatabaseLRS
from progress.models import UnitProgress

TALKING_IRI = "urn:practica:demo:course:talking-with-children"
FAMILIES_IRI = "urn:practica:demo:course:working-with-families"

# How many units of the course each stage opened, and how many it marked done.
_DONE = {
    DemoStage.NOT_STARTED: (0, 0),
    DemoStage.IN_PROGRESS: (1, 1),
    DemoStage.OVERDUE: (1, 0),
    DemoStage.COMPLETED: (99, 99),
    DemoStage.CERTIFIED: (99, 99),
}


def load(context: DemoContext) -> None:
    courses = {
        c.activity_iri: c
        for c in Course.objects.filter(activity_iri__in=[TALKING_IRI, FAMILIES_IRI])
    }
    if len(courses) != 2:
        return
    plan: list[tuple[User, Course, str]] = [
        # The demo learner is halfway through the journey: its second course is done.
        (context.users[Role.LEARNER], courses[TALKING_IRI], DemoStage.CERTIFIED),
    ]
    for member in context.members:
        iri = FAMILIES_IRI if member.stage == DemoStage.COMPLETED else TALKING_IRI
        plan.append((member.user, courses[iri], member.stage))
    enrolments = {
        (e.learner_id, e.course_id): e
        for e in Enrolment.objects.filter(
            learner__in=[user for user, _course, _stage in plan], course__in=courses.values()
        ).select_related("course", "learner")
    }
    units = {
        course.pk: list(CourseUnit.objects.filter(course=course, is_active=True).order_by("index"))
        for course in courses.values()
    }
    progress = {
        (p.enrolment_id, p.unit_id): p.completed
        for p in UnitProgress.objects.filter(enrolment__in=enrolments.values())
    }
    port = DatabaseLRS()
    for user, course, stage in plan:
        enrolment = enrolments.get((user.pk, course.pk))
        if enrolment is None:
            continue
        opened, done = _DONE[stage]
        for position, unit in enumerate(units[course.pk]):
            if position >= opened:
                break
            key = (enrolment.pk, unit.pk)
            if key not in progress:
                port.record_platform_unit(enrolment=enrolment, unit=unit, done=False)
            if position < done and not progress.get(key, False):
                port.record_platform_unit(enrolment=enrolment, unit=unit, done=True)
