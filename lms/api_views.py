"""The API shell: the API root, the current user, the exception handler and the docs page."""

import functools
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, generics, permissions
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.views import APIView, set_rollback
from rest_framework.views import exception_handler as drf_exception_handler

from lms.errors import ApplicationError, error_body
from lms.models import User
from lms.serializers import MeSerializer
from lms.types import AuthenticatedRequest

HTTP_METHODS = ("get", "post", "put", "patch", "delete")


def exception_handler(exc: Exception, context: Mapping[str, Any]) -> Response | None:
    """One place that turns domain errors into HTTP answers (docs/style.md, "Where logic lives").

    An ``ApplicationError`` (lms/errors.py) answers its kind's status with
    ``{"detail", "code"}`` (and ``"field"`` with the field's messages under its name); Django's
    ValidationError from a service becomes a 400 naming the fields; Django's
    ``PermissionDenied`` and ``Http404`` a 404, as if the object did not exist.
    """
    if isinstance(exc, ApplicationError):
        set_rollback()
        return Response(error_body(exc), status=exc.status)
    if isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}
        exc = exceptions.ValidationError(detail=detail)
    elif isinstance(exc, DjangoPermissionDenied | Http404):
        exc = exceptions.NotFound()
    return drf_exception_handler(exc, dict(context))


class ApiRootView(APIView):
    """The entry points of the Practica API."""

    permission_classes = [permissions.AllowAny]

    @extend_schema(exclude=True)
    def get(self, request: Request) -> Response:
        return Response(
            {
                "me": reverse("api:me", request=request),
                "schema": reverse("api:schema", request=request),
                "docs": reverse("api:docs", request=request),
                "health": reverse("healthz", request=request),
            }
        )


class MeView(generics.RetrieveUpdateAPIView):
    """The authenticated user's profile: read it, or change the fields they may edit."""

    serializer_class = MeSerializer
    http_method_names = ["get", "patch", "head", "options"]
    request: AuthenticatedRequest

    def get_object(self) -> User:
        return self.request.user


@functools.cache
def _documented_operations() -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The schema's info and operations; the schema only changes with the code, so build once."""
    schema = SchemaGenerator().get_schema(request=None, public=True)
    operations = []
    for path, item in schema.get("paths", {}).items():
        for method in HTTP_METHODS:
            if method in item:
                op = item[method]
                operations.append(
                    {
                        "anchor": op.get("operationId", f"{method}-{path}"),
                        "method": method.upper(),
                        "path": path,
                        "summary": op.get("summary") or "",
                        "description": op.get("description") or "",
                        "parameters": op.get("parameters", []),
                        "responses": sorted(op.get("responses", {})),
                        "tags": op.get("tags", []),
                    }
                )
    return schema.get("info", {}), operations


def api_docs(request: HttpRequest) -> HttpResponse:
    """Human-readable API reference rendered on the server from the OpenAPI schema.

    It needs no JavaScript and loads nothing but the site's own stylesheet, unlike the usual
    Swagger UI bundle (about 1 MB), which matters for learners on slow connections.
    """
    info, operations = _documented_operations()
    return render(request, "lms/api_docs.html", {"info": info, "operations": operations})
