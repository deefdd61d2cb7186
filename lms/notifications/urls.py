"""/notifications/: the centre, the preferences, one-click unsubscribe."""

from django.urls import path

from lms.notifications import views

app_name = "notifications"

urlpatterns = [
    path("", views.centre, name="centre"),
    path("read-all/", views.mark_all_read, name="read-all"),
    path("<int:notification_id>/read/", views.mark_read, name="read"),
    path("<int:notification_id>/open", views.open_notification, name="open"),
    path("preferences/", views.preferences, name="preferences"),
    path("unsubscribe/<str:token>", views.unsubscribe, name="unsubscribe"),
]
