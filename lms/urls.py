"""Root URL configuration."""

from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

from lms import api_views, views
from lms.translation.urls import rosetta_patterns

api_patterns = (
    [
        path("", api_views.ApiRootView.as_view(), name="root"),
        path("me/", api_views.MeView.as_view(), name="me"),
        path("schema/", SpectacularAPIView.as_view(), name="schema"),
        path("docs/", api_views.api_docs, name="docs"),
    ],
    "api",
)

account_patterns = [
    path("signup/", views.SignUpView.as_view(), name="signup"),
    path("signup/sent/", views.signup_sent, name="signup_sent"),
    path("verify/<uidb64>/<token>/", views.VerifyEmailView.as_view(), name="verify_email"),
    path(
        "profile/verify-again/",
        views.ResendVerificationView.as_view(),
        name="resend_verification",
    ),
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("profile/", views.ProfileView.as_view(), name="profile"),
    path("profile/api-token/", views.ApiTokenView.as_view(), name="api_token"),
    path(
        "profile/log-out-everywhere/",
        views.LogOutEverywhereView.as_view(),
        name="log_out_everywhere",
    ),
    path("password-change/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "password-change/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("password-reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "reset/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("accounts/", include(account_patterns)),
    path("i18n/setlang/", views.set_language, name="set_language"),
    path("healthz", views.healthz, name="healthz"),
    path("api/", include(api_patterns)),
    path("api/", include("progress.api_urls")),
    path("api/", include("courses.api_urls")),
    path("api/", include("frameworks.api_urls")),
    path("api/", include("organisations.api_urls")),
    path("frameworks/", include("frameworks.urls")),
    path("courses/", include("courses.urls")),
    path("content/", include("courses.content_urls")),
    path("cmi5/", include("courses.cmi5_urls")),
    path("learning/", include("progress.page_urls")),
    path("xapi/", include("progress.xapi.urls")),
    path("organisations/", include("organisations.urls")),
    path("notifications/", include("lms.notifications.urls")),
    path("translate/content/", include("lms.content_translation.urls")),
    path("", include("progress.chain_urls")),
    # /verify/, /credentials/, /certificates/, /cpd/, /accreditation/ (certificates/urls.py)
    path("", include("certificates.urls")),
    # The interface catalogue: status, PO import and export, and django-rosetta (lms/translation).
    path("translate/interface/", include(rosetta_patterns)),
    path("translate/interface/", include("lms.translation.urls")),
    path("admin/", admin.site.urls),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
