from django.urls import path

from frameworks import api_views

app_name = "frameworks-api"
urlpatterns = [
    path("frameworks/", api_views.FrameworkListView.as_view(), name="list"),
    path("frameworks/import", api_views.FrameworkImportView.as_view(), name="import"),
    path("frameworks/<uuid:identifier>/case", api_views.FrameworkExportView.as_view(), name="case"),
    path("alignments/", api_views.AlignmentListView.as_view(), name="alignments"),
    path("alignments/<int:pk>", api_views.AlignmentDetailView.as_view(), name="alignment"),
    path("role-profiles/", api_views.RoleProfileListView.as_view(), name="role-profiles"),
    path("me/competences/", api_views.MyCompetencesView.as_view(), name="my-competences"),
    path("me/gaps/", api_views.MyGapsView.as_view(), name="my-gaps"),
]
