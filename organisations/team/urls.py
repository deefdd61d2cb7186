"""Team pages reading certificates, inside the ``organisations`` namespace."""

from django.urls import path

from organisations.team import views

urlpatterns = [
    path("<uuid:public_id>/audits/", views.audit_outcomes, name="audit-outcomes"),
    path("<uuid:public_id>/access-log/", views.access_log, name="access-log"),
    path("<uuid:public_id>/cpd/", views.team_cpd, name="team-cpd"),
]
