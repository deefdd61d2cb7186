"""The seat pages (views_seats.py), under /organisations/<organisation>/seats/, for the
organisation's admins."""

from django.urls import path

from organisations.seats import views as views_seats

urlpatterns = [
    path("<uuid:public_id>/seats/", views_seats.seat_pools, name="seats"),
    path("<uuid:public_id>/seats/<uuid:pool>/", views_seats.seat_pool, name="seat-pool"),
    path("<uuid:public_id>/seats/<uuid:pool>/assign", views_seats.assign, name="seat-assign"),
    path("<uuid:public_id>/seats/<uuid:pool>/renew", views_seats.renew, name="seat-renew"),
    path(
        "<uuid:public_id>/seats/<uuid:pool>/seats/<int:seat_id>/",
        views_seats.seat_history,
        name="seat-history",
    ),
    path(
        "<uuid:public_id>/seats/<uuid:pool>/seats/<int:seat_id>/release",
        views_seats.release,
        name="seat-release",
    ),
    path(
        "<uuid:public_id>/seats/<uuid:pool>/seats/<int:seat_id>/revoke",
        views_seats.revoke,
        name="seat-revoke",
    ),
]
