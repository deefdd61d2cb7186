"""The accreditor's audit rounds, to be included by the lead under ``/accreditation/`` next to
``urls_audit`` (no app namespace: the names are prefixed ``audit-round``)."""

from django.urls import path

from certificates.audit.views import rounds as rounds_views

urlpatterns = [
    path("<uuid:public_id>/rounds/new", rounds_views.round_new, name="audit-round-new"),
    path("rounds/<uuid:round_id>/", rounds_views.round_detail, name="audit-round"),
    path(
        "rounds/<uuid:round_id>/samples/<int:sample_id>/decide",
        rounds_views.round_decide,
        name="audit-round-decide",
    ),
    path("rounds/<uuid:round_id>/close", rounds_views.round_close, name="audit-round-close"),
    path("cpd/<uuid:public_id>/rounds/new", rounds_views.cpd_round_new, name="audit-cpd-round-new"),
    path(
        "rounds/<uuid:round_id>/profiles/<int:sample_id>/",
        rounds_views.cpd_profile,
        name="audit-cpd-profile",
    ),
    path(
        "rounds/<uuid:round_id>/profiles/<int:sample_id>/entries/<uuid:entry_id>/evidence",
        rounds_views.cpd_evidence,
        name="audit-cpd-evidence",
    ),
]
