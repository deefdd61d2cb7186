"""The error family (lms/errors.py): one status per kind, answered alike by the REST API's
exception handler and the pages' middleware; services and selectors name no HTTP status."""

import ast
import importlib
import pickle
import pkgutil
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.test import RequestFactory, override_settings
from django.urls import path
from rest_framework import permissions
from rest_framework.request import Request
from rest_framework.test import APIClient
from rest_framework.views import APIView

import lms.urls
from certificates.credentials.keys import SigningKeyUnavailableError
from courses.cmi5.package import PackageError
from courses.ports import EnrolmentRefused
from lms.api_views import exception_handler
from lms.errors import (
    KINDS,
    ApplicationError,
    Conflict,
    Gone,
    InvalidInput,
    NotAllowed,
    NotFound,
    PreconditionFailed,
    Unavailable,
    code_for_status,
)
from lms.jobs import JobUnavailableError
from lms.middleware import ApplicationErrorMiddleware
from organisations.invitations.tokens import (
    InvitationClosedError,
    InvitationProblem,
    InvitationRefusedError,
    InvitationUnknownError,
)
from organisations.seats.services import SeatError
from progress.cmi5 import Cmi5RuleError
from progress.xapi.protocol import XAPIError
from progress.xapi.validation import StatementValidationError

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
APPS = ("lms", "courses", "progress", "frameworks", "certificates", "organisations")

STATUSES = [
    (InvalidInput, 400),
    (NotAllowed, 403),
    (NotFound, 404),
    (Conflict, 409),
    (Gone, 410),
    (PreconditionFailed, 412),
    (Unavailable, 503),
]
KIND_BY_NAME = {kind.__name__: kind for kind, _status in STATUSES}


class RaisingApiView(APIView):
    permission_classes = [permissions.AllowAny]

    def get(self, request: Request, kind: str) -> HttpResponse:
        raise KIND_BY_NAME[kind]("Why it failed.", code="because")


def raising_page(request: HttpRequest, kind: str) -> HttpResponse:
    raise KIND_BY_NAME[kind]("Why it failed.")


def field_page(request: HttpRequest) -> HttpResponse:
    raise SeatError("This seat has already ended.")


urlpatterns = [
    path("errors/api/<str:kind>", RaisingApiView.as_view()),
    path("errors/page/<str:kind>", raising_page),
    path("errors/seat", field_page),
    *lms.urls.urlpatterns,  # the site shell's links ('home', the log-in) resolve
]
HERE = override_settings(ROOT_URLCONF=__name__)


def test_the_kinds_are_the_family_and_each_has_its_own_status():
    assert [kind for kind, _status in STATUSES] == list(KINDS)
    assert len({kind.status for kind in KINDS}) == len(KINDS)
    assert len({kind.default_code for kind in KINDS}) == len(KINDS)


@pytest.mark.parametrize(("kind", "status"), STATUSES)
def test_the_api_handler_answers_each_kind_with_its_status(kind, status):
    response = exception_handler(kind("Why it failed."), {})
    assert response is not None
    assert response.status_code == status
    assert response.data == {"detail": "Why it failed.", "code": kind.default_code}


@pytest.mark.parametrize(("kind", "status"), STATUSES)
def test_an_api_view_raising_a_kind_answers_json_with_its_status(kind, status):
    with HERE:
        response = APIClient().get(f"/errors/api/{kind.__name__}")
    assert response.status_code == status
    assert response.json() == {"detail": "Why it failed.", "code": "because"}


def test_an_error_naming_a_field_answers_the_field_and_its_messages():
    error = InvalidInput("Too long.", field="name", code="too_long")
    body = exception_handler(error, {}).data
    assert body == {
        "detail": "Too long.",
        "code": "too_long",
        "field": "name",
        "name": ["Too long."],
    }


def test_an_import_lists_every_reason_under_its_field():
    body = exception_handler(PackageError(["cmi5.xml: missing", "au: no url"]), {}).data
    assert body["package"] == ["cmi5.xml: missing", "au: no url"]
    assert body["field"] == "package"
    assert body["detail"] == "cmi5.xml: missing\nau: no url"


def test_extra_data_travels_in_the_body():
    body = exception_handler(Conflict("Taken.", extra={"held": 3}), {}).data
    assert body == {"detail": "Taken.", "code": "conflict", "extra": {"held": 3}}


def test_django_errors_keep_their_answers_in_the_api():
    assert exception_handler(Http404(), {}).status_code == 404
    assert exception_handler(PermissionDenied(), {}).status_code == 404


@pytest.mark.parametrize(("kind", "status"), STATUSES)
def test_a_page_raising_a_kind_shows_an_error_page_with_its_status(client, kind, status):
    with HERE:
        response = client.get(f"/errors/page/{kind.__name__}")
    assert response.status_code == status
    page = response.content.decode()
    assert "<html" in page  # the site's shell, not a bare answer
    if kind is NotFound:
        assert response.templates[0].name == "404.html"
    else:
        assert response.templates[0].name == "error.html"
        assert "Why it failed." in page
        assert str(kind.title) in page


def test_a_domain_error_on_a_page_is_its_kinds_page(client):
    with HERE:
        response = client.get("/errors/seat")
    assert response.status_code == 409
    assert "This seat has already ended." in response.content.decode()


def test_the_error_page_is_translated(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ro"
    with HERE:
        conflict = client.get("/errors/page/Conflict")
        missing = client.get("/errors/page/NotFound")
    assert conflict.status_code == 409
    assert '<html lang="ro">' in conflict.content.decode()
    assert "Mergi la pagina principală" in conflict.content.decode()
    assert missing.status_code == 404
    assert "Pagină negăsită" in missing.content.decode()


def test_the_middleware_leaves_other_errors_to_django():
    middleware = ApplicationErrorMiddleware(lambda request: HttpResponse())
    request = RequestFactory().get("/")
    assert middleware.process_exception(request, ValueError("boom")) is None
    assert middleware.process_exception(request, Http404()) is None


def test_the_middleware_is_installed_before_axes():
    names = settings.MIDDLEWARE
    assert "lms.middleware.ApplicationErrorMiddleware" in names
    assert names[-1] == "axes.middleware.AxesMiddleware"


@pytest.mark.parametrize(
    ("error", "kind"),
    [
        (SeatError("No seat."), Conflict),
        (JobUnavailableError("Gone away."), Conflict),
        (SigningKeyUnavailableError("Retired."), Unavailable),
        (EnrolmentRefused("No seat for you."), NotAllowed),
        (PackageError("bad"), InvalidInput),
        (StatementValidationError("statement.id", "must be a UUID"), InvalidInput),
        (Cmi5RuleError("9.3", "no", path="statements[1]"), NotAllowed),
        (InvitationUnknownError(InvitationProblem.UNKNOWN, "No such link."), NotFound),
        (InvitationClosedError(InvitationProblem.USED, "Used."), Gone),
        (InvitationRefusedError(InvitationProblem.WRONG_ACCOUNT, "Not you."), NotAllowed),
    ],
)
def test_domain_errors_are_of_their_kind(error, kind):
    assert isinstance(error, kind)
    assert exception_handler(error, {}).status_code == kind.status


def test_not_found_and_not_allowed_are_djangos_too():
    assert isinstance(NotFound(), Http404)
    assert isinstance(NotAllowed(), PermissionDenied)
    assert not isinstance(Conflict(), Http404 | PermissionDenied)


def test_a_statement_error_names_its_path():
    error = StatementValidationError("statement.actor.mbox", "must start with mailto:")
    assert str(error) == "statement.actor.mbox: must start with mailto:"
    body = exception_handler(error, {}).data
    assert body["statement.actor.mbox"] == ["must start with mailto:"]


def test_the_lrs_protocol_error_is_in_the_family_with_its_own_status():
    error = XAPIError(401, "Authentication is required.", {"WWW-Authenticate": "Basic"})
    assert isinstance(error, ApplicationError)
    assert (error.status, error.code, str(error)) == (401, "http_401", error.message)
    assert XAPIError(412, "If-Match").code == code_for_status(412) == "precondition_failed"


def test_errors_survive_pickling():
    for error in (
        SeatError("No seat.", code="no_seat"),
        InvitationClosedError(InvitationProblem.EXPIRED, "Expired."),
        StatementValidationError("statement", "empty"),
        XAPIError(409, "Conflict."),
        NotFound(),
    ):
        copy = pickle.loads(pickle.dumps(error))  # noqa: S301 - our own bytes
        assert type(copy) is type(error)
        assert (str(copy), copy.code, copy.status, copy.field) == (
            str(error),
            error.code,
            error.status,
            error.field,
        )


# --- one place for the statuses ---------------------------------------------------------------


def _modules():
    for app in APPS:
        package = importlib.import_module(app)
        for info in pkgutil.walk_packages(package.__path__, f"{app}."):
            if ".migrations" in info.name or ".management" in info.name:
                continue
            yield info.name


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def test_only_lms_errors_sets_a_status_on_an_application_error():
    for name in _modules():
        importlib.import_module(name)
    for cls in _subclasses(ApplicationError):
        if cls.__module__ == "lms.errors" or cls.__module__.startswith("tests."):
            continue
        assert "status" not in vars(cls), cls
        assert "status_code" not in vars(cls), cls


# The protocol layers that may speak HTTP: views, the API's and the pages' handlers, and the
# LRS's own protocol (progress/xapi/, its resource views).
def _may_speak_http(path: Path) -> bool:
    relative = path.relative_to(ROOT).as_posix()
    return (
        "views" in path.name
        or "views" in path.parts
        or path.name in ("urls.py", "admin.py")
        or "urls_" in path.name
        or relative in ("lms/errors.py", "lms/middleware.py")
        or relative.startswith("progress/xapi/")
        or "/migrations/" in relative
        or "/management/" in relative
    )


FORBIDDEN = {
    "django.http": {"Http404"},
    "django.core.exceptions": {"PermissionDenied"},
    "progress.xapi.protocol": {"XAPIError", "bad_request"},
}


def _http_imports(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module:
            names = {alias.name for alias in node.names}
            if node.module.startswith("rest_framework.exceptions"):
                found.append(node.module)
            elif node.module == "rest_framework" and "exceptions" in names:
                found.append("rest_framework.exceptions")
            found += [f"{node.module}.{n}" for n in names & FORBIDDEN.get(node.module, set())]
        elif isinstance(node, ast.Import):
            found += [a.name for a in node.names if a.name.startswith("rest_framework.exceptions")]
    return found


def test_services_and_selectors_raise_kinds_not_http_errors():
    checked = 0
    offenders = {}
    for app in APPS:
        for module in sorted((ROOT / app).rglob("*.py")):
            if _may_speak_http(module):
                continue
            checked += 1
            if found := _http_imports(module):
                offenders[module.relative_to(ROOT).as_posix()] = found
    assert checked > 50
    assert offenders == {}


def test_the_check_sees_an_offender(tmp_path):
    module = tmp_path / "services.py"
    module.write_text(
        "from django.http import Http404\nfrom rest_framework import exceptions, status\n"
    )
    assert _http_imports(module) == ["django.http.Http404", "rest_framework.exceptions"]
