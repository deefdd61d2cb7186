from django.urls import path

from certificates import staff_views, views

app_name = "certificates"
urlpatterns = [
    path("", views.accreditor_workspace, name="workspace"),
    path("issue/", staff_views.issue, name="issue"),
]
