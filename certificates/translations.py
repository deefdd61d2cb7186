"""The certificates app's texts that translators translate (lms content translations)."""

from django.utils.translation import gettext_lazy as _

from certificates.cpd.models import RequirementRuleSet
from certificates.credentials.models import CertificateTemplate
from lms.api import TextKind, Translatable, TranslatableField, register_translatable


def register() -> None:
    register_translatable(
        Translatable(
            key="ruleset", label=_("CPD rule set"), model=RequirementRuleSet,
            fields=(
                TranslatableField("name", _("Name"), kind=TextKind.PLAIN),
                TranslatableField("description", _("Description"), TextKind.PLAIN, long=True),
            ),
            source_language=lambda r: r.source_language, describe=lambda r: r.name,
        )
    )  # fmt: skip
    register_translatable(
        Translatable(
            key="certificate", label=_("certificate template"), model=CertificateTemplate,
            fields=(TranslatableField("heading", _("Certificate heading")),),
            source_language=lambda t: "en", describe=lambda t: t.name,
        )
    )  # fmt: skip
