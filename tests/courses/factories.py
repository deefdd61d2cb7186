"""Factories of the courses app."""

import factory

from courses.models import Course, CourseStatus, CourseUnit, LearningJourney, Theme


class ThemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Theme

    slug = factory.Sequence(lambda n: f"theme-{n}")
    name = factory.LazyAttribute(lambda o: {"en": o.slug.replace("-", " ").title()})


class CourseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Course

    slug = factory.Sequence(lambda n: f"course-{n}")
    activity_iri = factory.LazyAttribute(lambda o: f"https://learn.example.org/courses/{o.slug}")
    title = factory.LazyAttribute(lambda o: {"en": f"Course {o.slug}", "ro": f"Curs {o.slug}"})
    summary = factory.LazyAttribute(lambda o: {"en": f"About {o.slug}"})
    languages = factory.LazyFunction(lambda: ["en", "ro"])
    status = CourseStatus.PUBLISHED
    search_text = factory.LazyAttribute(
        lambda o: " ".join([*o.title.values(), *o.summary.values()]).lower()
    )


class JourneyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LearningJourney

    slug = factory.Sequence(lambda n: f"journey-{n}")
    activity_iri = factory.LazyAttribute(lambda o: f"https://learn.example.org/journeys/{o.slug}")
    title = factory.LazyAttribute(lambda o: {"en": f"Journey {o.slug}"})
    status = CourseStatus.PUBLISHED


def course_with_unit(**kwargs):
    """A published course with one cmi5 unit, moveOn Completed."""
    course = CourseFactory(**kwargs)
    CourseUnit.objects.create(
        course=course, index=0, activity_iri=f"{course.activity_iri}/au/1",
        title={"en": "Unit"}, url="https://example.org/au.html", move_on="Completed",
    )  # fmt: skip
    return course
