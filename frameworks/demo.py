"""Demo data of the frameworks app: a child-protection framework of our own writing, a second
country's framework with a crosswalk to it, a role profile, and the demo course's alignments
(the text is in demo_data.py). Runs after the courses demo; idempotent."""

import orjson

from courses.models import Course
from frameworks.case import import_package
from frameworks.demo_data import DEMO_ALIGNMENTS, DEMO_ROLE_PROFILES, child_protection_packages
from frameworks.models import Competence
from frameworks.services import align, set_role_profile
from lms.api import DemoContext


def _competence(framework: str, code: str) -> Competence:
    return Competence.objects.get(framework__identifier=framework, human_coding_scheme=code)


def load(context: DemoContext) -> None:
    for package in child_protection_packages():
        import_package(orjson.dumps(package))
    for profile in DEMO_ROLE_PROFILES:
        set_role_profile(
            slug=profile["slug"],
            framework=_competence(profile["framework"], profile["targets"][0][0]).framework,
            name=profile["name"],
            description=profile["description"],
            targets=[(_competence(profile["framework"], c), lvl) for c, lvl in profile["targets"]],
        )
    for row in DEMO_ALIGNMENTS:
        course = Course.objects.filter(activity_iri=row["course_iri"]).first()
        if course is not None:
            align(
                competence=_competence(row["framework"], row["code"]),
                course=course,
                level=row["level"],
                relation=row["relation"],
            )
    context.notes.append(
        "Competences: /frameworks/ (two frameworks and a crosswalk); a learner's gaps at "
        "/frameworks/mine/?role=child-protection-case-worker"
    )
