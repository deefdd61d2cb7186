"""Staff's course to-do (lms.todo): imported courses still in draft, which learners cannot see
until someone checks their settings and publishes them.

Imports run while the page waits (``import_cmi5_package``, the framework import too), whole or
nothing, so no import is ever left queued or half done: a draft is what an import leaves for
staff to finish.
"""

from django.urls import reverse
from django.utils.translation import gettext as _

from courses.models import Course, CourseStatus
from lms.api import TodoItem, User


def drafts_todo(user: User) -> list[TodoItem]:
    """One query: the courses in draft, linked to the import page that lists them."""
    return [
        TodoItem(
            _("Imported courses waiting to be published"),
            reverse("courses:import") + "#drafts",
            Course.objects.filter(status=CourseStatus.DRAFT).count(),
        )
    ]
