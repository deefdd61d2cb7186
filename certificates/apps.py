from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CertificatesConfig(AppConfig):
    name = "certificates"
    verbose_name = _("Certificates and accreditation")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from certificates.selectors import roles_from_accreditation
        from lms.api import NavItem, Role, register_nav_item, register_role_provider

        register_role_provider("certificates", roles_from_accreditation)  # type: ignore[arg-type]
        register_nav_item(
            NavItem(
                _("Accreditation"), "certificates:workspace", frozenset({Role.ACCREDITOR}), order=45
            )
        )
