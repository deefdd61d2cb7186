from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganisationsConfig(AppConfig):
    name = "organisations"
    verbose_name = _("Organisations")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from courses.api import register_enrolment_policy
        from lms.api import (
            NavItem,
            Role,
            register_nav_item,
            register_role_provider,
            register_todo_provider,
        )
        from organisations.core.selectors import roles_from_memberships
        from organisations.invitations.todo import invitations_todo
        from organisations.reports.todo import organisation_todo
        from organisations.seats.services import SeatEnrolmentPolicy

        register_enrolment_policy(SeatEnrolmentPolicy())
        # What each subject tells people of (lms.api.notify).
        from organisations.invitations import notifications as invitation_kinds
        from organisations.reports import notifications as report_kinds
        from organisations.seats import notifications as seat_kinds

        for subject in (invitation_kinds, seat_kinds, report_kinds):
            subject.register_kinds()

        register_role_provider("organisations", roles_from_memberships)  # type: ignore[arg-type]
        # Every signed-in person: invitations to their own address.
        register_todo_provider("organisations.invitations", invitations_todo)
        register_todo_provider(
            "organisations",
            organisation_todo,
            roles=frozenset({Role.SUPERVISOR, Role.ORGANISATION_ADMIN}),
        )
        register_nav_item(
            NavItem(
                _("Organisations"),
                "organisations:list",
                frozenset({Role.SUPERVISOR, Role.ORGANISATION_ADMIN}),
                order=40,
            )
        )
