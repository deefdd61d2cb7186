from django.urls import path

from courses import views

app_name = "courses"
urlpatterns = [
    path("", views.catalogue, name="catalogue"),
    path("import/", views.import_course, name="import"),
    path("import/sample-course.zip", views.sample_package, name="sample-package"),
    path("journeys/<slug:slug>/", views.journey_detail, name="journey"),
    path("journeys/<slug:slug>/follow", views.journey_join, name="journey-join"),
    path("<slug:slug>/", views.course_detail, name="detail"),
    path("<slug:slug>/settings", views.course_settings, name="settings"),
    path("<slug:slug>/enrol", views.enrol, name="enrol"),
    path("<slug:slug>/units/<int:index>/launch", views.launch, name="launch"),
    path("<slug:slug>/units/<int:index>/", views.unit_page, name="unit"),
]
