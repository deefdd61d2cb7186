from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgressConfig(AppConfig):
    name = "progress"
    verbose_name = _("Progress and learning records")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from courses.api import register_lrs_port
        from progress.lms_port import DatabaseLRS

        register_lrs_port(DatabaseLRS())

        from courses.api import (
            register_course_section,
            register_course_standing,
            register_unit_states,
        )
        from progress.course_views import course_section, course_standing, unit_states

        register_unit_states(unit_states)
        register_course_standing(course_standing)
        register_course_section("progress", course_section)

        from courses.api import journey_joined
        from progress.journeys import on_journey_joined

        journey_joined.connect(on_journey_joined, dispatch_uid="progress.journey_joined")

        from django.utils.translation import gettext_lazy as _

        from lms.api import NavItem, Role, register_home_section, register_nav_item
        from progress.home import home_section

        register_home_section("progress.learning", home_section, order=10)
        register_nav_item(
            NavItem(_("My learning"), "progress:dashboard", frozenset({Role.LEARNER}), order=20)
        )
