"""The courses app's texts that translators translate (lms content translations)."""

from django.utils.translation import gettext_lazy as _

from courses.models import Course, CourseUnit, LearningJourney, Theme
from lms.api import Translatable, TranslatableField, register_translatable

TITLE = TranslatableField("title", _("Title"))
SUMMARY = TranslatableField("summary", _("Summary"), long=True)


def register() -> None:
    register_translatable(
        Translatable(
            key="course", label=_("course"), model=Course, fields=(TITLE, SUMMARY),
            source_language=lambda c: c.source_language, describe=lambda c: c.title_in("en"),
        )
    )  # fmt: skip
    register_translatable(
        Translatable(
            key="unit", label=_("unit"), model=CourseUnit, fields=(TITLE,),
            source_language=lambda u: u.course.source_language,
            describe=lambda u: f"{u.course.title_in('en')} — {u.title_in('en')}",
            queryset=lambda: CourseUnit.objects.filter(is_active=True)
            .select_related("course").order_by("course__slug", "index"),
        )
    )  # fmt: skip
    register_translatable(
        Translatable(
            key="journey", label=_("learning journey"), model=LearningJourney,
            fields=(TITLE, SUMMARY, TranslatableField("audience", _("Who it is for"), long=True)),
            source_language=lambda j: "en", describe=lambda j: j.title_in("en"),
        )
    )  # fmt: skip
    register_translatable(
        Translatable(
            key="theme", label=_("theme"), model=Theme,
            fields=(TranslatableField("name", _("Name")),),
            source_language=lambda t: "en", describe=lambda t: t.name_in("en"),
        )
    )  # fmt: skip
