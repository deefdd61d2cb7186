"""REST API routes of the progress app, mounted under /api/."""

from django.urls import path

from progress import api_views

app_name = "progress-api"
urlpatterns = [
    path("me/statements/", api_views.MyStatementsView.as_view(), name="my-statements"),
    path("lrs-clients/", api_views.LRSClientListView.as_view(), name="lrs-clients"),
    path(
        "cmi5/sessions/<uuid:session_id>/abandon",
        api_views.AbandonSessionView.as_view(),
        name="abandon-session",
    ),
    path(
        "courses/<uuid:public_id>/units/<int:index>/waive",
        api_views.WaiveUnitView.as_view(),
        name="waive",
    ),
]
