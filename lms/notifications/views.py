"""The notification centre, the preferences page and one-click unsubscribe."""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from lms.errors import InvalidInput
from lms.notifications import selectors, services
from lms.notifications.forms import PreferencesForm
from lms.notifications.tokens import TokenError, read_token
from lms.types import AuthenticatedHttpRequest


@login_required
def centre(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The person's notifications, newest first, a page at a time (``?before=<id>``)."""
    before = request.GET.get("before", "")
    page = selectors.notifications_for_user(
        request.user, before=int(before) if before.isdigit() else None
    )
    return render(
        request,
        "lms/notifications/centre.html",
        {"page": page, "first_page": not before.isdigit()},
    )


def _back(request: HttpRequest) -> HttpResponse:
    """Back to the centre's page the form was on."""
    before = request.POST.get("before", "")
    url = reverse("notifications:centre")
    return redirect(f"{url}?before={before}" if before.isdigit() else url)


@login_required
@require_POST
def mark_read(request: AuthenticatedHttpRequest, notification_id: int) -> HttpResponse:
    services.mark_read(user=request.user, notification_id=notification_id)
    return _back(request)


@login_required
@require_POST
def mark_all_read(request: AuthenticatedHttpRequest) -> HttpResponse:
    count = services.mark_all_read(user=request.user)
    if count:
        messages.success(request, _("Your notifications are all marked as read."))
    return _back(request)


def _safe(request: HttpRequest, url: str) -> bool:
    """Only this site: a path of it, or an address on its host (no other site, no scheme
    tricks)."""
    return bool(url) and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host(), *_site_hosts()}, require_https=False
    )


def _site_hosts() -> set[str]:
    host = urlsplit(settings.SITE_URL).netloc
    return {host} if host else set()


@login_required
def open_notification(request: AuthenticatedHttpRequest, notification_id: int) -> HttpResponse:
    """Mark it read and go where it points (a link of this site only; else the centre)."""
    notification = services.mark_read(user=request.user, notification_id=notification_id)
    if _safe(request, notification.url):
        return HttpResponseRedirect(notification.url)
    return redirect("notifications:centre")


@login_required
def preferences(request: AuthenticatedHttpRequest) -> HttpResponse:
    choices = selectors.preferences_for(request.user)
    form = PreferencesForm(request.POST or None, choices=choices)
    if request.method == "POST" and form.is_valid():
        services.set_preferences(user=request.user, choices=form.cleaned_data)
        messages.success(request, _("Your choices are saved."))
        return redirect("notifications:preferences")
    return render(request, "lms/notifications/preferences.html", {"form": form})


# RFC 8058 §3.2: the mail client POSTs without a session or CSRF token; the signed token in
# the address is the authority. A GET (a person, or a scanner following links) only shows a
# page with a button that POSTs the same body.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    try:
        wanted = read_token(token)
    except TokenError:
        raise InvalidInput(
            _(
                "This unsubscribe link is not valid or has expired. Log in and change your "
                "choices on the notification preferences page."
            ),
            code="bad_token",
        ) from None
    if request.method == "GET":
        response = render(request, "lms/notifications/unsubscribe.html")
    else:
        _user, labels = services.unsubscribe(user_id=wanted.user_id, kind_key=wanted.kind)
        response = render(request, "lms/notifications/unsubscribed.html", {"labels": labels})
    response["Cache-Control"] = "no-store"
    response["Referrer-Policy"] = "no-referrer"
    return response
