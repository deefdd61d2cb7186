"""A learner's certificates, mounted at /certificates/ by lms.urls."""

from django.urls import path

from certificates.credentials.views import learner as views_learner

app_name = "my-certificates"
urlpatterns = [
    path("", views_learner.my_certificates, name="list"),
    path("<uuid:public_id>.pdf", views_learner.certificate_pdf, name="pdf"),
]
