from django.urls import include, path

from organisations import views

app_name = "organisations"
urlpatterns = [
    path("", views.organisation_list, name="list"),
    path("<uuid:public_id>/", views.organisation_detail, name="detail"),
    path("<uuid:public_id>/units/", views.units, name="units"),
    path(
        "<uuid:public_id>/units/<uuid:unit_id>/remove",
        views.unit_remove_member,
        name="unit-remove-member",
    ),
    path("<uuid:public_id>/units/<uuid:unit_id>/delete", views.unit_delete, name="unit-delete"),
    path("<uuid:public_id>/assignments/", views.assignments, name="assignments"),
    # Each subject brings its own pages: invitations/, seats/, reports/, team/ (urls.py each).
    path("", include("organisations.invitations.urls")),
    path("", include("organisations.seats.urls")),
    path("", include("organisations.reports.urls")),
    path("", include("organisations.team.urls")),
]
