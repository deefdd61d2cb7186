from django.urls import path

from frameworks import views

app_name = "frameworks"
urlpatterns = [
    path("", views.framework_list, name="list"),
    path("import/", views.import_framework, name="import"),
    path("import/sample-framework.json", views.sample_framework, name="sample"),
    path("mine/", views.my_competences, name="mine"),
    path("courses/<slug:slug>/", views.course_alignments, name="course-alignments"),
    path(
        "courses/<slug:slug>/<int:pk>/remove",
        views.remove_alignment,
        name="course-alignment-remove",
    ),
    path("<uuid:identifier>/", views.framework_detail, name="detail"),
]
