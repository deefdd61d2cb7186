"""The base of every xAPI resource view: parse, negotiate the version, authenticate, answer.

Errors are precise 4xx answers with a JSON body ``{"error": ..., "message": ...}``; nothing of the
server's internals leaks (docs/style.md, "Seen in the field, not to copy").
"""

from collections.abc import Callable
from typing import Any, ClassVar

import orjson
from django.http import HttpRequest, HttpResponse
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.csrf import csrf_exempt

from lms.api import ApplicationError
from progress.xapi.auth import authenticate
from progress.xapi.protocol import (
    VERSION_1,
    XAPIError,
    XAPIRequest,
    apply_common_headers,
    negotiate_version,
    parse_request,
)

JSON = "application/json"


def json_response(data: Any, status: int = 200, **headers: str) -> HttpResponse:
    response = HttpResponse(orjson.dumps(data), content_type=JSON, status=status)
    for name, value in headers.items():
        response[name.replace("_", "-")] = value
    return response


def error_response(error: ApplicationError, version: str) -> HttpResponse:
    """``{"error": status, "message": ...}`` with the status of the error's kind
    (lms/errors.py); an ``XAPIError`` carries its own status and headers."""
    response = json_response({"error": error.status, "message": str(error)}, error.status)
    headers = error.headers if isinstance(error, XAPIError) else {}
    for name, value in headers.items():
        response[name] = value
    return apply_common_headers(response, version)


@method_decorator(csrf_exempt, name="dispatch")
class XAPIView(View):
    """Subclasses define ``get``/``put``/``post``/``delete`` taking an XAPIRequest."""

    requires_version: ClassVar[bool] = True
    requires_auth: ClassVar[bool] = True
    http_method_names = ["get", "head", "put", "post", "delete", "options"]

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.method == "OPTIONS":
            # CORS preflight: answered without credentials or version (Fetch standard).
            return apply_common_headers(HttpResponse(status=204), VERSION_1)
        version = VERSION_1
        try:
            xrequest = parse_request(request)
            if self.requires_version:
                negotiate_version(xrequest)
                version = xrequest.response_version
            if self.requires_auth:
                xrequest.client = authenticate(xrequest)
            handler = self._handler(xrequest.method)
            response = handler(xrequest)
        except ApplicationError as error:
            # The protocol's own XAPIError and every domain error of the services below.
            return error_response(error, version)
        if xrequest.method == "HEAD":
            # Communication §1.1: as GET, without the body.
            response.content = b""
        return apply_common_headers(response, version)

    def _handler(self, method: str) -> Callable[[XAPIRequest], HttpResponse]:
        name = "get" if method == "HEAD" else method.lower()
        handler = getattr(self, f"xapi_{name}", None)
        if handler is None:
            raise XAPIError(405, f"{method} is not allowed on this resource.")
        return handler
