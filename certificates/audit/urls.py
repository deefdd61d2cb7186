"""The accreditor's audit pages, included by the lead under ``/accreditation/`` (no app
namespace: the names are prefixed ``audit-``)."""

from django.urls import path

from certificates.audit.views import records as audit_views

urlpatterns = [
    path("records/<uuid:record_id>/", audit_views.record_audit, name="audit-record"),
    path("<uuid:public_id>/", audit_views.accreditation_audit, name="audit-accreditation"),
    path("<uuid:public_id>/bundles/new", audit_views.bundle_new, name="audit-bundle-new"),
    path("bundles/<uuid:bundle_id>/", audit_views.bundle_detail, name="audit-bundle"),
    path(
        "bundles/<uuid:bundle_id>/download",
        audit_views.bundle_download,
        name="audit-bundle-download",
    ),
]
