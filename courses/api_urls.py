from django.urls import path

from courses import api_views

app_name = "courses-api"
urlpatterns = [
    path("courses/", api_views.CourseListView.as_view(), name="list"),
    path("courses/import", api_views.CourseImportView.as_view(), name="import"),
    path("journeys/", api_views.JourneyListView.as_view(), name="journeys"),
    path(
        "courses/<uuid:public_id>/units/<int:index>/launch-url",
        api_views.LaunchUrlView.as_view(),
        name="launch-url",
    ),
]
