"""The supervisor's and admin's to-do (lms.todo): members in their scope who are overdue, for
each organisation, linked to the team report where they send reminders; and, for admins, seat
pools near their cap (``seats.todo``). The scopes are read once for both."""

from django.urls import reverse
from django.utils.translation import gettext as _

from lms.api import TodoItem, User
from organisations.core.scope import scopes_for_user
from organisations.reports.reminders import overdue_members
from organisations.seats.todo import seats_todo


def organisation_todo(user: User) -> list[TodoItem]:
    """Five queries at most: the scopes (three), the overdue members of all of them (one) and
    the seat pools of the administered organisations (one)."""
    scopes = scopes_for_user(user)
    if not scopes:
        return []
    counts = overdue_members(scopes)
    overdue = [
        TodoItem(
            _("Overdue members in %(organisation)s") % {"organisation": scope.organisation.name},
            reverse("organisations:team-report", args=[scope.organisation.public_id]),
            counts.get(scope.organisation.pk, 0),
        )
        for scope in scopes
    ]
    return overdue + seats_todo([scope.organisation for scope in scopes if scope.whole])
