"""Pages of the site shell: home, accounts, profile, language switch and the health check."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.forms import ModelForm
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    HttpResponseRedirect,
    JsonResponse,
)
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST
from django.views.generic import FormView, TemplateView, UpdateView
from django.views.i18n import set_language as django_set_language

from lms import health, services, verification
from lms.auth import suggested_signup_email
from lms.forms import (
    ConfirmEmailForm,
    EmailAuthenticationForm,
    ProfileForm,
    QueuedPasswordResetForm,
    SignUpForm,
)
from lms.home import home_sections
from lms.models import User
from lms.types import AuthenticatedHttpRequest


def _with_language_cookie(response: HttpResponse, language: str) -> HttpResponse:
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        samesite="Lax",
    )
    return response


class HomeView(TemplateView):
    """The front page for visitors; for a signed-in person, the sections the apps contribute
    (lms.home) and their to-do list (lms.todo, in the context as ``todo``)."""

    template_name = "lms/home.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        if isinstance(self.request.user, User):
            context["home_sections"] = home_sections(self.request)  # type: ignore[arg-type]
        return context


def _safe_next(request: HttpRequest) -> str:
    """Where to go afterwards (an invitation, say): only a path on this site."""
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    safe = url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return wanted if safe and wanted.startswith("/") else ""


class SignUpView(FormView):
    """Sign-up answers the same whether the address had an account or not: "we sent you an
    e-mail" (lms.verification). The new account logs in with the link from that e-mail."""

    template_name = "registration/signup.html"
    form_class = SignUpForm

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.user.is_authenticated:
            return redirect("home")
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "next_path": _safe_next(self.request)}

    def get_initial(self) -> dict[str, Any]:
        """The address of the invitation the visitor came from, if any (``lms.auth``)."""
        return {**super().get_initial(), "email": suggested_signup_email(self.request)}

    def form_valid(self, form: SignUpForm) -> HttpResponse:
        try:
            form.save()
        except ValidationError:
            return self.form_invalid(form)
        self.request.session["signup_email"] = form.cleaned_data["email"]
        suggested_signup_email(self.request, forget=True)
        return redirect("signup_sent")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "next": _safe_next(self.request)}


@never_cache
@require_GET
def signup_sent(request: HttpRequest) -> HttpResponse:
    """The one answer to a sign-up: look in your inbox."""
    email = request.session.get("signup_email", "")
    return render(request, "registration/signup_sent.html", {"email": email})


class VerifyEmailView(View):
    """GET: the confirm page of a verification link; POST, with the account's password:
    verified and logged in, on to ``next``. A link that is not (or no longer) valid says so."""

    template_name = "registration/verify_email.html"

    account: User

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        account = verification.user_for_link(kwargs["uidb64"], kwargs["token"])
        if account is None:
            done = request.user.is_authenticated and request.user.email_verified
            return render(
                request,
                "registration/verify_email_invalid.html",
                {"already_verified": done},
                status=200 if done else 410,
            )
        self.account = account
        return super().dispatch(request, *args, **kwargs)

    def _page(self, form: ConfirmEmailForm, status: int = 200) -> HttpResponse:
        context = {"form": form, "account": self.account, "next": _safe_next(self.request)}
        response = render(self.request, self.template_name, context, status=status)
        response["Cache-Control"] = "no-store"
        return response

    def get(self, request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
        return self._page(ConfirmEmailForm(user=self.account, request=request))

    def post(self, request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
        form = ConfirmEmailForm(request.POST, user=self.account, request=request)
        if not form.is_valid():
            return self._page(form, status=400)
        verification.verify_email(user=self.account)
        if request.user.is_authenticated and request.user.pk != self.account.pk:
            logout(request)
        login(request, self.account, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(
            request,
            _("Thank you: %(email)s is confirmed. Welcome to Practica, %(name)s.")
            % {"email": self.account.email, "name": self.account},
        )
        translation.activate(self.account.preferred_language)
        target = _safe_next(request) or str(reverse_lazy("home"))
        return _with_language_cookie(redirect(target), self.account.preferred_language)


class ResendVerificationView(LoginRequiredMixin, View):
    """POST: e-mail the verification link again (at most once in a few minutes)."""

    def post(self, request: AuthenticatedHttpRequest) -> HttpResponse:
        user = request.user
        if user.email_verified:
            messages.info(request, _("Your e-mail address is confirmed already."))
        elif verification.send_verification(user, next_path=_safe_next(request)):
            messages.success(
                request,
                _("We sent a new link to %(email)s. It may take a few minutes to arrive.")
                % {"email": user.email},
            )
        else:
            messages.info(
                request,
                _(
                    "We sent a link to %(email)s a moment ago. Give it a few minutes, and look "
                    "in the spam folder too."
                )
                % {"email": user.email},
            )
        return redirect(_safe_next(request) or "profile")


class LoginView(auth_views.LoginView):
    form_class = EmailAuthenticationForm
    redirect_authenticated_user = True

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        response = super().form_valid(form)
        user = form.get_user()
        # The user's own language wins over whatever the browser was showing before.
        return _with_language_cookie(response, user.preferred_language)


class PasswordResetView(auth_views.PasswordResetView):
    form_class = QueuedPasswordResetForm


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Django's: the link came to the address, so following it confirms the address too (the
    way out for someone whose address another person signed up with; lms.verification)."""

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        verification.verify_email(user=form.user)
        return response


class ProfileView(LoginRequiredMixin, UpdateView):
    template_name = "lms/profile.html"
    form_class = ProfileForm
    success_url = reverse_lazy("profile")
    request: AuthenticatedHttpRequest

    def get_object(self, queryset: Any = None) -> User:
        return self.request.user

    def form_valid(self, form: ModelForm[User]) -> HttpResponse:
        user = form.save()
        messages.success(self.request, _("Your profile was saved."))
        translation.activate(user.preferred_language)
        return _with_language_cookie(
            HttpResponseRedirect(self.get_success_url()), user.preferred_language
        )


class ApiTokenView(LoginRequiredMixin, View):
    """POST: replace the user's API token and show the new one, once."""

    def get(self, request: HttpRequest) -> HttpResponse:
        # Reached again after a language switch or a reload: the token is not shown twice.
        return redirect("profile")

    def post(self, request: AuthenticatedHttpRequest) -> HttpResponse:
        token = services.replace_api_token(user=request.user)
        response = render(request, "lms/api_token.html", {"token": token})
        response["Cache-Control"] = "no-store"
        return response


class LogOutEverywhereView(LoginRequiredMixin, View):
    """POST: end every session of the user, this one included, and revoke their API tokens."""

    def post(self, request: AuthenticatedHttpRequest) -> HttpResponse:
        services.log_out_everywhere(user=request.user)
        logout(request)
        messages.success(
            request,
            _("You are logged out on every device, and your API token no longer works."),
        )
        return redirect("login")


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Django's set_language, and for a logged-in user, remember the choice in their profile."""
    response = django_set_language(request)
    language = request.POST.get("language", "")
    if language not in dict(settings.LANGUAGES):
        # Django's check_for_language accepts any installed app's catalogue (django-rosetta
        # ships a test language, "xx"): only the site's languages are kept.
        response.cookies.pop(settings.LANGUAGE_COOKIE_NAME, None)
        return response
    if request.user.is_authenticated:
        services.update_profile(user=request.user, preferred_language=language)
    return response


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness and readiness for load balancers and monitoring: 200 when all is well, else 503."""
    checks = [health.check_database(), health.check_broker()]
    heartbeat = health.last_worker_heartbeat()
    body: dict[str, Any] = {
        "status": "ok" if all(c.ok for c in checks) else "error",
        **{c.name: {"ok": c.ok, "detail": c.detail} for c in checks},
        "worker_last_seen": heartbeat.seen_at.isoformat() if heartbeat else None,
    }
    return JsonResponse(body, status=200 if body["status"] == "ok" else 503)
