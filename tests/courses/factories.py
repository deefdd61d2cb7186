"""Factories of the courses app."""

import factory

from courses.models import Course, CourseStatus, Theme


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
