"""The LRS endpoint, mounted at /xapi/ (Communication Appendix B: table of all resources)."""

from django.urls import path

from progress.xapi.resources import statements as views
from progress.xapi.resources.documents import ActivityProfileView, AgentProfileView, StateView

app_name = "xapi"
urlpatterns = [
    path("statements", views.StatementsView.as_view(), name="statements"),
    path("activities", views.ActivitiesView.as_view(), name="activities"),
    path("agents", views.AgentsView.as_view(), name="agents"),
    path("about", views.AboutView.as_view(), name="about"),
    path("activities/state", StateView.as_view(), name="state"),
    path("activities/profile", ActivityProfileView.as_view(), name="activity_profile"),
    path("agents/profile", AgentProfileView.as_view(), name="agent_profile"),
]
