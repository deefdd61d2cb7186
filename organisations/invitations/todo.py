"""A signed-in person's invitations on the to-do list (lms.todo): those addressed to their
confirmed address, still pending and not expired, linked to the page where they accept them.
"""

from django.urls import reverse
from django.utils.translation import gettext as _

from lms.api import TodoItem, User
from organisations.invitations.selectors import invitations_for_user


def invitations_todo(user: User) -> list[TodoItem]:
    """One query (none while the address is not confirmed)."""
    return [
        TodoItem(
            _("Invitations to join an organisation"),
            reverse("organisations:my-invitations"),
            invitations_for_user(user).count(),
        )
    ]
