"""Authentication helpers."""

from django.http import HttpRequest


def axes_username(request: HttpRequest, credentials: dict[str, str] | None = None) -> str:
    """The key django-axes counts failures under: the e-mail address, case-folded.

    Without this, "A@x.org" and "a@x.org" would be separate counters for the same account.
    """
    value = ""
    if credentials:
        value = credentials.get("username") or credentials.get("email") or ""
    elif request is not None and request.method == "POST":
        value = request.POST.get("username", "")
    return value.strip().casefold()
