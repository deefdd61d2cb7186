from django.urls import path

from organisations import views_audit, views_cpd

urlpatterns = [
    path("<uuid:public_id>/audits/", views_audit.audit_outcomes, name="audit-outcomes"),
    path("<uuid:public_id>/access-log/", views_audit.access_log, name="access-log"),
    path("<uuid:public_id>/cpd/", views_cpd.team_cpd, name="team-cpd"),
]
