from django.urls import include, path

from organisations import views

app_name = "organisations"
urlpatterns = [
    path("", views.organisation_list, name="list"),
    path("<uuid:public_id>/", views.organisation_detail, name="detail"),
    # Invitations (views_invitations.py) and seat pages (views_seats.py) have their own modules.
    path("", include("organisations.urls_invitations")),
    path("", include("organisations.urls_seats")),
]
