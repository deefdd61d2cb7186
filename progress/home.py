"""The learner's part of the home page (lms.home): courses in progress with the unit to resume,
and the journeys they follow with their next step. The reads are the dashboard's
(``progress.dashboard``), so the home and "My learning" tell the same story."""

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import SafeString

from lms.api import AuthenticatedHttpRequest
from progress.dashboard import journeys_for, learning_for


def home_section(request: AuthenticatedHttpRequest) -> SafeString:
    """Nine queries, whatever the number of courses and journeys; empty for someone who has
    enrolled in nothing (the home page then points to the catalogue)."""
    language = translation.get_language() or "en"
    in_progress, completed = learning_for(request.user, language)
    journeys = [line for line in journeys_for(request.user, language) if not line.state.satisfied]
    if not (in_progress or completed or journeys):
        return SafeString("")
    return render_to_string(
        "progress/home_section.html",
        {"in_progress": in_progress, "completed": completed, "journeys": journeys},
        request=request,
    )
