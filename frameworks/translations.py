"""The frameworks app's texts that translators translate (lms content translations)."""

from django.utils.translation import gettext_lazy as _

from frameworks.models import Competence, Framework, ProficiencyLevel, RoleProfile
from lms.api import TextKind, Translatable, TranslatableField, register_translatable

NAME = TranslatableField("name", _("Name"))


def register() -> None:
    register_translatable(
        Translatable(
            key="framework", label=_("competence framework"), model=Framework,
            fields=(
                TranslatableField("title", _("Title"), kind=TextKind.PLAIN),
                TranslatableField("description", _("Description"), TextKind.PLAIN, long=True),
            ),
            source_language=lambda f: f.language or "en", describe=lambda f: f.title,
        )
    )  # fmt: skip
    register_translatable(
        Translatable(
            key="competence", label=_("competence"), model=Competence,
            fields=(TranslatableField("full_statement", _("Statement"), long=True),),
            source_language=lambda c: c.framework.language or "en",
            describe=lambda c: f"{c.framework.title}: {c.human_coding_scheme or c.pk}",
            queryset=lambda: Competence.objects.select_related("framework"),
        )
    )  # fmt: skip
    register_translatable(
        Translatable(
            key="level", label=_("proficiency level"), model=ProficiencyLevel, fields=(NAME,),
            source_language=lambda lv: "en", describe=str,
        )
    )  # fmt: skip
    register_translatable(
        Translatable(
            key="role", label=_("role profile"), model=RoleProfile,
            fields=(NAME, TranslatableField("description", _("Description"), long=True)),
            source_language=lambda r: "en", describe=lambda r: r.name_in("en"),
        )
    )  # fmt: skip
