from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoursesConfig(AppConfig):
    name = "courses"
    verbose_name = _("Courses")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from courses import translations

        translations.register()
        from courses.todo import drafts_todo
        from lms.api import NavItem, Role, register_nav_item, register_todo_provider

        register_nav_item(NavItem(_("Courses"), "courses:catalogue", public=True, order=10))
        register_nav_item(
            NavItem(_("Import a course"), "courses:import", frozenset({Role.STAFF}), order=85)
        )
        register_todo_provider("courses.drafts", drafts_todo, roles=frozenset({Role.STAFF}))
