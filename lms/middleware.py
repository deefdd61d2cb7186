"""Middleware of the project."""

import re
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import resolve

from lms.errors import ApplicationError
from lms.languages import activate_preferred_language


class XAPIFastPathMiddleware:
    """Send ``/xapi/`` requests straight to their view, past the middleware below this one.

    The Learning Record Store has its own protocol stack (``progress.xapi``): HTTP Basic
    credentials of an LRS client, no cookies, no session, no CSRF token, no locale, no user.
    Sessions, locale, CSRF, authentication, messages and log-in throttling would only cost
    time on the hottest path of the site (each xAPI request is small and content sends many).
    Place it right after SecurityMiddleware and WhiteNoise, so HTTPS redirects, security
    headers and static files still apply.
    """

    prefix = "/xapi/"
    # Content builds resource URLs as `${endpoint}/statements`; with the launch's endpoint
    # ending in a slash that is `/xapi//statements` (Rustici's cmi5.js and the CATAPULT AUs do
    # it). Repeated slashes after the endpoint name the same resource.
    repeated_slashes = re.compile(r"/{2,}")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path_info.startswith(self.prefix):
            return self.get_response(request)
        path = self.repeated_slashes.sub("/", request.path_info)
        if path != request.path_info:
            request.path_info = path
            request.path = f"{request.META.get('SCRIPT_NAME', '').rstrip('/')}{path}"
        match = resolve(path)
        response: HttpResponse = match.func(request, *match.args, **match.kwargs)
        return response


class UserLanguageMiddleware:
    """A signed-in person reads every page in their own language, ``User.preferred_language``.

    ``LocaleMiddleware`` (before this) chose from the language cookie, then the browser's
    Accept-Language (RFC 9110 §12.5.4): what a visitor is offered on a first visit. Once
    signed in, the stored preference wins over both, on any device; switching language
    (``lms.views.set_language``) and the profile update it, so the cookie and the preference
    agree. A preference no longer offered (``PRACTICA_LANGUAGES``) is left to LocaleMiddleware.
    Place it after AuthenticationMiddleware. The REST API's token-authenticated requests have
    no session: ``lms.auth.LanguageTokenAuthentication`` does the same for them.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            activate_preferred_language(request, user.preferred_language)
        return self.get_response(request)


class ApplicationErrorMiddleware:
    """Answer an ``ApplicationError`` (lms/errors.py) that reaches a page with an error page of
    its kind's status, saying what went wrong, instead of a 500.

    A view that can show the error on its own page (a form error, a message) catches it
    first; this is for the rest. ``NotFound`` keeps the site's 404 page. The REST API has its
    own handler (``lms.api_views.exception_handler``) and the LRS its own protocol.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, ApplicationError):
            return None
        context = {"title": exception.title, "message": exception.message}
        return render(
            request,
            [f"{exception.status}.html", "error.html"],
            context,
            status=exception.status,
        )
