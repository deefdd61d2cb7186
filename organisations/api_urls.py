from django.urls import path

from organisations import api_views

app_name = "organisations-api"
urlpatterns = [
    path(
        "organisations/<uuid:organisation>/members/",
        api_views.MemberListView.as_view(),
        name="members",
    ),
    path(
        "organisations/<uuid:organisation>/seat-pools/",
        api_views.SeatPoolListView.as_view(),
        name="seat-pools",
    ),
    path(
        "organisations/<uuid:organisation>/seat-pools/<uuid:pool>/assign",
        api_views.AssignSeatsView.as_view(),
        name="assign-seats",
    ),
    path(
        "organisations/<uuid:organisation>/seat-pools/<uuid:pool>/seats/",
        api_views.PoolSeatsView.as_view(),
        name="pool-seats",
    ),
    path(
        "organisations/<uuid:organisation>/seat-pools/<uuid:pool>/seats/<uuid:member>/release",
        api_views.ReleaseSeatView.as_view(),
        name="release-seat",
    ),
    path(
        "organisations/<uuid:organisation>/seat-pools/<uuid:pool>/seats/<uuid:member>/revoke",
        api_views.RevokeSeatView.as_view(),
        name="revoke-seat",
    ),
    path(
        "organisations/<uuid:organisation>/seat-pools/<uuid:pool>/renew",
        api_views.RenewPoolView.as_view(),
        name="renew-pool",
    ),
]
