from django.urls import path

from frameworks import api_views

app_name = "frameworks-api"
urlpatterns = [
    path("frameworks/", api_views.FrameworkListView.as_view(), name="list"),
    path("frameworks/import", api_views.FrameworkImportView.as_view(), name="import"),
    path("frameworks/<uuid:identifier>/case", api_views.FrameworkExportView.as_view(), name="case"),
]
