"""Every answer carries the headers a security scanner expects, and each kind of resource its
Content-Security-Policy (lms/security.py): checked over every URL the site has."""

import uuid
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import URLPattern, URLResolver, get_resolver

from courses.models import Course
from lms.security import ADMIN_POLICY, API_POLICY, CONTENT_POLICY, PAGE_POLICY
from tests.lms.factories import UserFactory
from tests.paths import CMI5

pytestmark = pytest.mark.django_db

# A value for each kind of path parameter: enough to reach the view (most answer 404).
SAMPLES = {"uuid": str(uuid.uuid4()), "slug": "x", "int": "1", "str": "x", "path": "x/y"}


def _urls(resolver: URLResolver, prefix: str = "") -> list[str]:
    found: list[str] = []
    for entry in resolver.url_patterns:
        route = str(entry.pattern)
        if isinstance(entry, URLResolver):
            found += _urls(entry, prefix + route)
        elif isinstance(entry, URLPattern):
            found.append(prefix + route)
    return found


def _concrete(route: str) -> str:
    """A path for a route: converters replaced by sample values, regex anchors dropped."""
    import re

    path = re.sub(r"<(?:(\w+):)?\w+>", lambda m: SAMPLES.get(m.group(1) or "str", "x"), route)
    path = re.sub(r"\(\?P<fmt>[^)]*\)", "pdf", path)
    path = re.sub(r"\(\?P<\w+>[^)]*\)", "x", path)
    return "/" + path.replace("^", "").replace("$", "").replace("\\.", ".")


def _expected_policy(path: str, content_type: str) -> str:
    if path.startswith("/content/"):
        return CONTENT_POLICY
    if path.startswith("/admin/"):
        return ADMIN_POLICY
    if path.startswith(("/xapi/", "/api/")) and not content_type.startswith("text/html"):
        return API_POLICY
    return PAGE_POLICY


def _check(response, path: str) -> None:
    content_type = response.get("Content-Type", "")
    assert response["Content-Security-Policy"] == _expected_policy(path, content_type), path
    assert "camera=()" in response["Permissions-Policy"], path
    assert response["X-Content-Type-Options"] == "nosniff", path
    assert response["Referrer-Policy"] == "same-origin", path
    if not path.startswith(("/content/", "/xapi/", "/cmi5/")):
        assert response["Cross-Origin-Resource-Policy"] == "same-origin", path


@pytest.mark.parametrize("signed_in", [False, True], ids=["anonymous", "staff"])
def test_every_url_answers_with_the_security_headers(client, signed_in):
    if signed_in:
        client.force_login(UserFactory(is_staff=True, is_superuser=True))
    paths = sorted({_concrete(route) for route in _urls(get_resolver())})
    assert len(paths) > 100
    for path in paths:
        response = client.get(path)
        assert response.status_code < 500, path
        _check(response, path)


def test_a_page_allows_no_script_and_a_content_file_runs_sandboxed(client, settings):
    """The two policies the issue names, read off real answers."""
    page = client.get("/courses/")
    policy = page["Content-Security-Policy"]
    assert "script-src 'none'" in policy
    assert "frame-ancestors 'none'" in policy
    assert "'unsafe-inline'" not in policy
    call_command(
        "import_course",
        str(CMI5 / "single_au_basic_responsive.zip"),
        "--publish",
        stdout=StringIO(),
    )
    course = Course.objects.get()
    content = client.get(f"/content/{course.content_path}/index.html")
    sandbox = content["Content-Security-Policy"]
    assert sandbox.startswith("sandbox allow-scripts")
    assert "allow-same-origin" not in sandbox  # its scripts cannot act as the signed-in user
    assert content["Access-Control-Allow-Origin"] == "*"
    for close in content._resource_closers:  # not content.close(): it would end the test's
        close()  # database connection (request_finished)
