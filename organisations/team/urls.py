from django.urls import path

from organisations.team import cpd_views as views_cpd
from organisations.team import views as views_audit

urlpatterns = [
    path("<uuid:public_id>/audits/", views_audit.audit_outcomes, name="audit-outcomes"),
    path("<uuid:public_id>/access-log/", views_audit.access_log, name="access-log"),
    path("<uuid:public_id>/cpd/", views_cpd.team_cpd, name="team-cpd"),
]
