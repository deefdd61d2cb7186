from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FrameworksConfig(AppConfig):
    name = "frameworks"
    verbose_name = _("Competence frameworks")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from lms.api import NavItem, Role, register_nav_item

        register_nav_item(
            NavItem(_("Import a framework"), "frameworks:import", frozenset({Role.STAFF}), order=86)
        )
