from django.urls import path

from certificates import views

app_name = "certificates"
urlpatterns = [path("", views.accreditor_workspace, name="workspace")]
