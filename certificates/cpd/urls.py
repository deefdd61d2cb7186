"""The learner's CPD pages, mounted at /cpd/ by lms.urls (names without a namespace, ``cpd-``)."""

from django.urls import path, re_path

from certificates.cpd import views as views_cpd

urlpatterns = [
    path("", views_cpd.ledger, name="cpd-ledger"),
    path("register", views_cpd.register, name="cpd-register"),
    path("entries/new", views_cpd.entry_new, name="cpd-entry-new"),
    path("entries/<uuid:public_id>/edit", views_cpd.entry_edit, name="cpd-entry-edit"),
    path("entries/<uuid:public_id>/delete", views_cpd.entry_delete, name="cpd-entry-delete"),
    path("entries/<uuid:public_id>/evidence", views_cpd.entry_evidence, name="cpd-entry-evidence"),
    path("confirmations/", views_cpd.confirmations, name="cpd-confirmations"),
    path(
        "confirmations/<uuid:public_id>/answer",
        views_cpd.confirmation_answer,
        name="cpd-confirmation-answer",
    ),
    re_path(
        r"^(?P<slug>[-a-zA-Z0-9_]+)/transcript\.(?P<fmt>pdf|csv|jwt)$",
        views_cpd.transcript,
        name="cpd-transcript",
    ),
    path("<slug:slug>/transcript", views_cpd.transcript_pick, name="cpd-transcript-other"),
    path("<slug:slug>/unregister", views_cpd.unregister, name="cpd-unregister"),
]
