"""App config of the project itself: system checks and navigation entries."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LmsConfig(AppConfig):
    name = "lms"
    verbose_name = _("Practica")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from lms import checks  # noqa: F401  (registers the system checks)
        from lms.content_translation.selectors import translator_roles
        from lms.navigation import NavItem, Role, register_nav_item, register_role_provider
        from lms.notifications import tasks  # noqa: F401  (registers the digest tasks)

        register_role_provider("lms.translator", translator_roles)
        register_nav_item(
            NavItem(
                _("Content translations"),
                "content_translation:index",
                frozenset({Role.TRANSLATOR, Role.STAFF}),
                order=89,
            )
        )
        register_nav_item(
            NavItem(_("Administration"), "admin:index", frozenset({Role.STAFF}), order=90)
        )
