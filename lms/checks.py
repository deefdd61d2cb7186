"""System checks that report a misconfiguration before the first request does."""

from collections.abc import Sequence
from typing import Any
from urllib.parse import urlsplit

from django.apps import AppConfig
from django.conf import settings
from django.core.checks import Error, Tags, Warning, register


@register(Tags.compatibility)
def check_site_url(app_configs: Sequence[AppConfig] | None, **kwargs: Any) -> list[Error]:
    """SITE_URL is the base of every IRI the site mints (xAPI 1.0.3 §2.2): it must be absolute."""
    parts = urlsplit(settings.SITE_URL)
    if parts.scheme not in {"http", "https"} or not parts.netloc:
        return [
            Error(
                f"SITE_URL must be an absolute http(s) URL, not {settings.SITE_URL!r}.",
                hint="Set SITE_URL to the public base URL, e.g. https://learn.example.org",
                id="lms.E001",
            )
        ]
    if parts.path not in {"", "/"} or parts.query or parts.fragment:
        return [Error("SITE_URL must not have a path, query or fragment.", id="lms.E002")]
    return []


@register(Tags.security, deploy=True)
def check_site_url_https(app_configs: Sequence[AppConfig] | None, **kwargs: Any) -> list[Warning]:
    if settings.HTTPS_ONLY and not settings.SITE_URL.startswith("https://"):
        return [
            Warning(
                "HTTPS_ONLY is on but SITE_URL is not https: minted IRIs and e-mailed links "
                "would point to plain HTTP.",
                id="lms.W001",
            )
        ]
    return []
