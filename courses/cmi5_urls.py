"""cmi5 endpoints of the LMS (the fetch URL, cmi5 §8.2)."""

from django.urls import path

from courses import views

urlpatterns = [path("fetch/<str:token>", views.cmi5_fetch, name="cmi5-fetch")]
