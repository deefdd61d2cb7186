from django.urls import path

from organisations import api_views

app_name = "organisations-api"
urlpatterns = [
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
]
