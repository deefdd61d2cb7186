from django.urls import path

from organisations import views_audit

urlpatterns = [
    path("<uuid:public_id>/audits/", views_audit.audit_outcomes, name="audit-outcomes"),
    path("<uuid:public_id>/access-log/", views_audit.access_log, name="access-log"),
]
