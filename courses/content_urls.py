"""Package content, served from the site's own origin under /content/."""

from django.urls import path

from courses import views

app_name = "content"
urlpatterns = [path("<path:path>", views.content_file, name="file")]
