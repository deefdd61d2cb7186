"""Factories of the frameworks app, and a helper that completes a course the real way."""

import uuid

import factory

from courses.models import CourseUnit, UnitKind
from courses.ports import lrs
from courses.services import enrol_learner
from frameworks.models import (
    Association,
    AssociationType,
    Competence,
    Framework,
    ProficiencyLevel,
)
from tests.courses.factories import CourseFactory


class FrameworkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Framework
        skip_postgeneration_save = True

    identifier = factory.LazyFunction(uuid.uuid4)
    title = factory.Sequence(lambda n: f"Framework {n}")
    language = "en"

    @factory.post_generation
    def levels(self, create, extracted, **kwargs):
        """Four levels unless ``levels=[...names]`` says otherwise."""
        names = extracted if extracted is not None else ["Aware", "Able", "Skilled", "Expert"]
        for rank, name in enumerate(names, start=1):
            ProficiencyLevel.objects.create(framework=self, rank=rank, name={"en": name})


class CompetenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Competence

    framework = factory.SubFactory(FrameworkFactory)
    identifier = factory.LazyFunction(uuid.uuid4)
    human_coding_scheme = factory.Sequence(lambda n: f"{n}")
    full_statement = factory.LazyAttribute(lambda o: {"en": f"Competence {o.human_coding_scheme}"})
    order = factory.Sequence(int)


def link(origin: Competence, kind: str, destination: Competence) -> Association:
    """A CASE association between two competences, kept in the origin's framework."""
    return Association.objects.create(
        identifier=uuid.uuid4(),
        framework=origin.framework,
        association_type=kind,
        origin_identifier=origin.identifier,
        origin={"identifier": str(origin.identifier), "uri": "", "title": str(origin)},
        destination_identifier=destination.identifier,
        destination={"identifier": str(destination.identifier), "uri": "", "title": ""},
    )


EXACT = AssociationType.EXACT_MATCH_OF
RELATED = AssociationType.IS_RELATED_TO
REPLACED = AssociationType.REPLACED_BY


def course_with_link(**kwargs):
    """A published course of one link unit (done when the learner marks it done)."""
    course = CourseFactory(**kwargs)
    CourseUnit.objects.create(
        course=course, index=0, kind=UnitKind.LINK, activity_iri=f"{course.activity_iri}/link",
        title={"en": "Reading"}, url="https://example.org/reading", move_on="Completed",
    )  # fmt: skip
    return course


def complete(learner, course):
    """Enrol and complete every unit through the LRS, as the learner's clicks would: the
    projection writes the CompletionRecord."""
    enrolment = enrol_learner(learner=learner, course=course)
    for unit in course.units.all():
        lrs().record_platform_unit(enrolment=enrolment, unit=unit, done=True)
    return enrolment
