"""/translate/interface/: the status page, the PO download and import, and django-rosetta."""

from django.urls import URLPattern, include, path, re_path
from rosetta import urls as rosetta_urls

from lms.translation import views

app_name = "translation"

urlpatterns = [
    path("", views.status, name="status"),
    path("<str:language>/download/", views.download, name="download"),
    path("<str:language>/upload/", views.upload, name="upload"),
    path("<str:language>/apply/", views.apply, name="apply"),
]

# Rosetta's pages keep their own URL names (rosetta-form, rosetta-file-list …), outside the
# namespace, as its templates reverse them.
# Each of rosetta's views refuses a language the translator does not work on (rosetta itself
# knows only "translators-<ll>" groups, ROSETTA_LANGUAGE_GROUPS).
rosetta_patterns = [
    path(
        "rosetta/",
        include(
            [
                re_path(
                    str(pattern.pattern),
                    views.limited_to_own_languages(pattern.callback),
                    name=pattern.name,
                )
                for pattern in rosetta_urls.urlpatterns
                if isinstance(pattern, URLPattern)
            ]
        ),
    )
]
