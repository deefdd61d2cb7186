from django.urls import path

from progress import dashboard

app_name = "progress"
urlpatterns = [path("", dashboard.dashboard, name="dashboard")]
