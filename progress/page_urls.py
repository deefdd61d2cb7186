from django.urls import path

from progress import course_views, dashboard

app_name = "progress"
urlpatterns = [
    path("", dashboard.dashboard, name="dashboard"),
    path("courses/<slug:slug>/learners/", course_views.course_learners, name="course-learners"),
    path(
        "courses/<slug:slug>/learners/<uuid:learner>/",
        course_views.course_learner,
        name="course-learner",
    ),
    path(
        "courses/<slug:slug>/learners/<uuid:learner>/sessions/<uuid:session>/abandon",
        course_views.abandon_session,
        name="abandon-session",
    ),
    path(
        "courses/<slug:slug>/learners/<uuid:learner>/units/<int:index>/waive",
        course_views.waive_unit,
        name="waive-unit",
    ),
]
