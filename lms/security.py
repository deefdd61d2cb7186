"""The security headers of every answer, by the kind of resource, in one place.

- Pages: a strict Content-Security-Policy. Practica has no JavaScript of its own, no inline
  style and no third-party resource, so the policy allows its own files and nothing else, no
  script at all.
- The admin (Django's, with its own scripts and inline styles): its own files only.
- Package content (``/content/``): served in a sandbox (no same origin), so a package's scripts
  cannot read the site's cookies nor act as whoever opens it; they reach the LRS with the token
  their launch gives them, over CORS (courses.views.content_file, docs/decisions/0014).
- Every answer: Permissions-Policy (no camera, microphone, location...), and the
  Cross-Origin-Resource-Policy a scanner expects; SecurityMiddleware adds nosniff, the referrer
  policy, COOP and, with HTTPS_ONLY, HSTS; XFrameOptionsMiddleware adds X-Frame-Options.

A small middleware rather than django-csp: the policy is chosen by the kind of resource (pages,
admin, content, the LRS), which is one dictionary here and several decorators there.
"""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

PAGE_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'none'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "frame-src 'self'",
    ]
)
ADMIN_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'self'",
    ]
)
# No allow-same-origin: the content runs in an opaque origin of its own.
CONTENT_POLICY = (
    "sandbox allow-scripts allow-forms allow-popups allow-popups-to-escape-sandbox "
    "allow-modals allow-downloads allow-presentation allow-pointer-lock; "
    "object-src 'none'; base-uri 'self'; frame-ancestors 'self'"
)
# An LRS answer is JSON or a document: nothing in it may run if a browser ever shows it.
API_POLICY = "default-src 'none'; frame-ancestors 'none'; sandbox"
PERMISSIONS_POLICY = (
    "camera=(), microphone=(), geolocation=(), payment=(), usb=(), serial=(), "
    "bluetooth=(), magnetometer=(), gyroscope=(), accelerometer=(), interest-cohort=()"
)

_BY_PREFIX = (
    ("/content/", CONTENT_POLICY),
    ("/admin/", ADMIN_POLICY),
    ("/xapi/", API_POLICY),
    ("/api/", API_POLICY),
)


def policy_for(path: str, content_type: str) -> str:
    for prefix, policy in _BY_PREFIX:
        if path.startswith(prefix):
            if prefix == "/api/" and content_type.startswith("text/html"):
                return PAGE_POLICY  # /api/docs/ is a page
            return policy
    return PAGE_POLICY


class SecurityHeadersMiddleware:
    """Put first (before the LRS's fast path), so that every answer carries the headers."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        content_type = response.get("Content-Type", "")
        response.headers.setdefault(
            "Content-Security-Policy", policy_for(request.path_info, content_type)
        )
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        if not request.path_info.startswith(("/content/", "/xapi/", "/cmi5/", "/static/")):
            response.headers.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        return response
