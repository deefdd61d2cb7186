from django.urls import path

from lms.content_translation import views

app_name = "content_translation"

urlpatterns = [
    path("", views.index, name="index"),
    path("<str:language>/", views.language_work, name="language"),
    path("<str:language>/export/", views.export, name="export"),
    path("<str:language>/import/", views.import_file, name="import"),
    path("<str:language>/<slug:key>/<int:pk>/", views.edit, name="edit"),
]
