from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FrameworksConfig(AppConfig):
    name = "frameworks"
    verbose_name = _("Competence frameworks")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from frameworks import translations

        translations.register()
        from courses.api import register_course_section
        from frameworks.views import course_section
        from lms.api import NavItem, Role, register_nav_item

        register_nav_item(NavItem(_("Frameworks"), "frameworks:list", order=40, public=True))
        register_nav_item(
            NavItem(_("My competences"), "frameworks:mine", frozenset({Role.LEARNER}), order=25)
        )
        register_nav_item(
            NavItem(_("Import a framework"), "frameworks:import", frozenset({Role.STAFF}), order=86)
        )
        register_course_section("frameworks.competences", course_section)
