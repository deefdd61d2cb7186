"""Template context shared by every page: the site's name, the user's roles, navigation and
to-do list."""

from django.conf import settings
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from lms.models import User
from lms.navigation import ROLE_LABELS, Role, navigation_for, roles_for_request
from lms.todo import todo_count_for_request, todo_for_request


def _unread(request: HttpRequest) -> int:
    """The counter kept on the user's row (lms.notifications.services): the row is read for
    every signed-in request anyway, so the menu's count costs no query."""
    user = request.user
    return user.unread_notifications if isinstance(user, User) and user.is_active else 0


def site(request: HttpRequest) -> dict[str, object]:
    # Lazy and computed once: a page that does not render the navigation pays nothing.
    def roles() -> frozenset[Role]:
        return roles_for_request(request)

    return {
        "SITE_URL": settings.SITE_URL,
        "role_labels": SimpleLazyObject(lambda: [str(ROLE_LABELS[r]) for r in sorted(roles())]),
        "main_navigation": SimpleLazyObject(lambda: navigation_for(roles())),
        # The entries a user has because of a role (not those every visitor has).
        "work_navigation": SimpleLazyObject(
            lambda: [item for item in navigation_for(roles()) if not item.public]
        ),
        # What waits for the user (lms.todo): its items on home; the navigation's total, cached
        # for a minute, which spares every other page the providers' queries.
        "todo": SimpleLazyObject(lambda: todo_for_request(request)),
        # How many of the user's notifications are unread (no query: a counter on the user).
        "unread_notifications": SimpleLazyObject(lambda: _unread(request)),
        "todo_total": SimpleLazyObject(lambda: todo_count_for_request(request)),
    }
