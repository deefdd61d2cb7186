"""Views behind log-in take a typed request (lms.types), so no mypy ignore comment is needed
where ``request.user`` is handed to a service or a scope function."""

from pathlib import Path

from django.conf import settings
from django.http import HttpRequest
from rest_framework.request import Request

from lms.api import AuthenticatedHttpRequest, AuthenticatedRequest

# Spelt apart, so that a search of the tree for the comment finds only real ones.
IGNORE = ": ".join(("type", "ignore"))
APPS = ("lms", "courses", "progress", "frameworks", "certificates", "organisations")


def test_the_typed_requests_are_the_framework_requests_with_a_user_annotation():
    assert issubclass(AuthenticatedHttpRequest, HttpRequest)
    assert issubclass(AuthenticatedRequest, Request)
    # Annotations only: Django and DRF build the requests, nothing is added at run time.
    assert "user" not in vars(AuthenticatedHttpRequest)
    assert "user" not in vars(AuthenticatedRequest)


def test_no_ignore_comment_is_left_on_request_user():
    found = [
        f"{path.relative_to(settings.BASE_DIR)}:{number}"
        for app in APPS
        for path in sorted((Path(settings.BASE_DIR) / app).rglob("*.py"))
        if "migrations" not in path.parts
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if IGNORE in line and "request.user" in line
    ]
    assert found == []
