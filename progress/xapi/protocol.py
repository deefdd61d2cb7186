"""The xAPI HTTP protocol around every resource: versions, alternate syntax, CORS, errors.

xAPI 1.0.3 Communication §1 (requests, headers, alternate request syntax, encoding), §3.3
(versioning) and the corresponding clauses of xAPI 2.0 (IEEE 9274.1.1), which removed the
alternate request syntax.
"""

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs

from django.http import HttpRequest, HttpResponse

from lms.api import ApplicationError, code_for_status

# xAPI 1.0.3 Communication §3.3: every 1.0.x is accepted; answered as the newest patch we speak.
VERSION_1 = "1.0.3"
VERSION_2 = "2.0.0"
SUPPORTED_VERSIONS = (VERSION_2, VERSION_1, "1.0.2", "1.0.1", "1.0.0")

# The form parameters treated as headers by the alternate request syntax (§1.3).
ALTERNATE_HEADERS = {
    "authorization": "Authorization",
    "x-experience-api-version": "X-Experience-API-Version",
    "content-type": "Content-Type",
    "content-length": "Content-Length",
    "if-match": "If-Match",
    "if-none-match": "If-None-Match",
}
ALTERNATE_METHODS = frozenset({"GET", "PUT", "POST", "DELETE", "HEAD"})

CORS_HEADERS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Methods": "HEAD, GET, POST, PUT, DELETE, OPTIONS",
    "Access-Control-Allow-Headers": (
        "Authorization, Content-Type, If-Match, If-None-Match, X-Experience-API-Version, "
        "X-Experience-API-Hash"
    ),
    "Access-Control-Expose-Headers": (
        "ETag, Last-Modified, Content-Type, X-Experience-API-Version, "
        "X-Experience-API-Consistent-Through"
    ),
    "Access-Control-Max-Age": "86400",
}


class XAPIError(ApplicationError):
    """An error of the xAPI protocol itself, answered to the client with ``status`` and a
    message naming what is wrong. Only the protocol layer (``progress/xapi/``, the resource
    views) names a status; services raise the kinds of ``lms.api`` (``PreconditionFailed``,
    ``Conflict``...), which ``XAPIView.dispatch`` answers the same way."""

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message, code=code_for_status(status))
        self.status = status
        self.message: str = message
        self.headers = headers or {}


def bad_request(message: str) -> XAPIError:
    return XAPIError(400, message)


@dataclass
class XAPIRequest:
    """One xAPI request, with the alternate request syntax already unfolded into its parts."""

    method: str
    params: dict[str, str]
    headers: dict[str, str]
    body: bytes
    content_type: str
    version: str = ""
    response_version: str = VERSION_1
    django: HttpRequest | None = field(default=None, repr=False)
    client: Any = None
    au_session: Any = None  # a cmi5 launch session, when the credentials are an AU's

    @property
    def is_v2(self) -> bool:
        return self.version.startswith("2.")

    def header(self, name: str) -> str | None:
        return self.headers.get(name.lower())


NUL = "\x00"
ESCAPED_NUL = "\\u0000"  # in JSON text (an agent parameter)


def _single_params(query: dict[str, list[str]], where: str) -> dict[str, str]:
    params: dict[str, str] = {}
    for name, values in query.items():
        if len(values) > 1:
            raise bad_request(f"The {where} parameter {name!r} is given more than once.")
        if NUL in name or NUL in values[0] or ESCAPED_NUL in values[0]:
            # No identifier, IRI or agent has a NUL in it, and PostgreSQL stores none.
            raise bad_request(f"The {where} parameter {name!r} contains a NUL character (U+0000).")
        params[name] = values[0]
    return params


def parse_request(request: HttpRequest) -> XAPIRequest:
    """Unfold a Django request into an XAPIRequest (§1.3 alternate request syntax included)."""
    headers = {name.lower(): value for name, value in request.headers.items()}
    query = parse_qs(request.META.get("QUERY_STRING", ""), keep_blank_values=True)
    params = _single_params(query, "query")
    method = request.method or "GET"
    body = request.body
    content_type = headers.get("content-type", "")

    if method == "POST" and "method" in params:
        return _parse_alternate(request, params, headers, body, content_type)
    return XAPIRequest(
        method=method,
        params=params,
        headers=headers,
        body=body,
        content_type=content_type,
        django=request,
    )


def _parse_alternate(
    request: HttpRequest,
    params: dict[str, str],
    headers: dict[str, str],
    body: bytes,
    content_type: str,
) -> XAPIRequest:
    # §1.3.s3.b3: no query string parameter but "method".
    if set(params) != {"method"}:
        raise bad_request(
            "With the alternate request syntax, every parameter but 'method' must be a form "
            "parameter, not in the query string."
        )
    method = params["method"].upper()
    if method not in ALTERNATE_METHODS:
        raise bad_request(f"The method {params['method']!r} is not an xAPI method.")
    if not content_type.lower().startswith("application/x-www-form-urlencoded"):
        raise bad_request(
            "The alternate request syntax needs a body of type application/x-www-form-urlencoded."
        )
    try:
        # §1.3.s3.b5 and §1.4: the content is a UTF-8 string.
        form = parse_qs(body.decode("utf-8"), keep_blank_values=True, strict_parsing=False)
    except UnicodeDecodeError as exc:
        raise bad_request("The form body is not valid UTF-8.") from exc
    form_params = _single_params(form, "form")
    content = form_params.pop("content", "")
    new_headers = dict(headers)
    new_params: dict[str, str] = {}
    for name, value in form_params.items():
        header = ALTERNATE_HEADERS.get(name.lower())
        if header:
            new_headers[header.lower()] = value  # §1.3.s3.b7
        else:
            new_params[name] = value  # §1.3.s3.b14
    inner_type = new_headers.get("content-type", "")
    if inner_type.lower().startswith("application/x-www-form-urlencoded"):
        inner_type = "application/json"
        new_headers["content-type"] = inner_type
    return XAPIRequest(
        method=method,
        params=new_params,
        headers=new_headers,
        body=content.encode("utf-8"),
        content_type=inner_type,
        django=request,
        version="alternate",  # checked by negotiate_version
    )


def negotiate_version(xrequest: XAPIRequest) -> None:
    """§3.3: the request's X-Experience-API-Version must be one we speak; 400 otherwise."""
    alternate = xrequest.version == "alternate"
    value = (xrequest.header("X-Experience-API-Version") or "").strip()
    if not value:
        raise bad_request("The X-Experience-API-Version header is missing.")
    parts = value.split(".")
    if not (2 <= len(parts) <= 3 and all(p.isdigit() for p in parts)):
        raise bad_request(f"X-Experience-API-Version {value!r} is not a version number.")
    major_minor = ".".join(parts[:2])
    if major_minor == "1.0":
        xrequest.response_version = VERSION_1
    elif major_minor == "2.0":
        xrequest.response_version = VERSION_2
        if alternate:
            # xAPI 2.0 removed the alternate request syntax.
            raise bad_request("xAPI 2.0 has no alternate request syntax (method=).")
    else:
        raise bad_request(
            f"X-Experience-API-Version {value!r} is not supported; "
            f"this LRS speaks {', '.join(SUPPORTED_VERSIONS)}."
        )
    xrequest.version = value


def apply_common_headers(response: HttpResponse, version: str) -> HttpResponse:
    response["X-Experience-API-Version"] = version
    for name, value in CORS_HEADERS.items():
        response[name] = value
    return response


def parse_bool(params: dict[str, str], name: str, *, default: bool = False) -> bool:
    value = params.get(name)
    if value is None:
        return default
    if value.lower() == "true":
        return True
    if value.lower() == "false":
        return False
    raise bad_request(f"The parameter {name!r} must be true or false, not {value!r}.")
