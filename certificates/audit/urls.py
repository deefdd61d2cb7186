"""URLs of certificates.audit, mounted at /accreditation/ by certificates.urls:

- ``urlpatterns``, no namespace (names ``audit-…``): an accreditation's audit, records, evidence
  bundles, audit rounds of accreditations and of CPD rule sets;
- ``learner_patterns``, no namespace (names ``audit-request…``), mounted at
  /certificates/audit-requests/: the learner's answers to auditors' requests;
- ``workspace_patterns``, namespace ``certificates`` (with the staff's issue page): the
  accreditor's workspace.
"""

from django.urls import path

from certificates.audit.views import answers as answers_views
from certificates.audit.views import records as audit_views
from certificates.audit.views import rounds as rounds_views
from certificates.audit.views import workspace as views

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
    path(
        "rounds/<uuid:round_id>/answers/<uuid:answer_id>/file",
        answers_views.round_answer_file,
        name="audit-round-answer-file",
    ),
]

# Mounted at /certificates/audit-requests/: the learner's side of the auditors' requests.
learner_patterns = [
    path("", answers_views.requests_list, name="audit-requests"),
    path("<uuid:round_id>/<int:sample_id>/", answers_views.request_detail, name="audit-request"),
    path("answers/<uuid:answer_id>/file", answers_views.own_answer_file, name="audit-answer-file"),
]

workspace_patterns = [
    path("", views.accreditor_workspace, name="workspace"),
]
