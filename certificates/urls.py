from django.urls import path

from certificates.audit.views import workspace as views
from certificates.credentials.views import staff as staff_views

app_name = "certificates"
urlpatterns = [
    path("", views.accreditor_workspace, name="workspace"),
    path("issue/", staff_views.issue, name="issue"),
]
