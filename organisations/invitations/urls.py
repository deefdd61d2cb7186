"""Invitation pages, inside the ``organisations`` namespace (under /organisations/)."""

from django.urls import URLPattern, path

from organisations.invitations import views

urlpatterns: list[URLPattern] = [
    path("<uuid:public_id>/invitations/", views.invitation_list, name="invitations"),
    path("invitations/template.csv", views.invitation_csv_template, name="invitations-template"),
    path(
        "<uuid:public_id>/invitations/preview/",
        views.invitations_preview,
        name="invitations-preview",
    ),
    path(
        "<uuid:public_id>/invitations/confirm/",
        views.invitations_confirm,
        name="invitations-confirm",
    ),
    path(
        "<uuid:public_id>/invitations/<uuid:invitation_id>/resend/",
        views.invitation_resend,
        name="invitation-resend",
    ),
    path(
        "<uuid:public_id>/invitations/<uuid:invitation_id>/revoke/",
        views.invitation_revoke,
        name="invitation-revoke",
    ),
    # A signed-in person's own invitations (the to-do links here), accepted without the link.
    path("invitations/mine/", views.my_invitations, name="my-invitations"),
    path(
        "invitations/mine/<uuid:invitation_id>/accept",
        views.my_invitation_accept,
        name="my-invitation-accept",
    ),
    # The link in the e-mail; the token is never stored, only its SHA-256.
    path("invitations/accept/<str:token>/", views.invitation_accept, name="invitation-accept"),
]
