"""The learner's CPD to-do (lms.todo): discussions other learners named them in that await
their confirmation."""

from django.urls import reverse
from django.utils.translation import gettext as _

from certificates.cpd.selectors import confirmations_for
from lms.api import TodoItem, User


def cpd_todo(user: User) -> list[TodoItem]:
    """One query."""
    return [
        TodoItem(
            _("CPD discussions to confirm"),
            reverse("cpd-confirmations"),
            confirmations_for(user).count(),
        )
    ]
