"""Public verification routes, mounted at the site root by lms.urls."""

from django.urls import path

from certificates.credentials.views import verify as views_verify

urlpatterns = [
    path("verify/", views_verify.verify_start, name="verify-start"),
    path("verify/<str:code>", views_verify.verify_page, name="verify"),
    path("api/verify/<str:code>", views_verify.VerifyApiView.as_view(), name="api-verify"),
]
