from django.urls import path

from frameworks import views

app_name = "frameworks"
urlpatterns = [path("import/", views.import_framework, name="import")]
