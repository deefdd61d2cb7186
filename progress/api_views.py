"""REST API of the progress app: a learner reads their own xAPI statements."""

from typing import Any
from urllib.parse import urlencode

import orjson
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, pagination, permissions, serializers
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from courses.models import CourseUnit, Enrolment, LaunchSession
from lms.api import AuthenticatedRequest
from progress import projection, selectors
from progress.clients import create_lrs_client
from progress.models import LRSClient, LRSScope
from progress.xapi.keys import ACTIVITY, AGENT, VERB, agent_ifi, digest
from progress.xapi.validation import validate_iri


class MyStatementsView(APIView):
    """The authenticated learner's own statements (actor = their xAPI account), newest first.

    The answer is an xAPI StatementResult: `statements`, and `more`, the URL of the next page.
    """

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        parameters=[
            OpenApiParameter("verb", OpenApiTypes.URI, description="Only this verb (IRI)."),
            OpenApiParameter("activity", OpenApiTypes.URI, description="Only this activity."),
            OpenApiParameter("limit", OpenApiTypes.INT, description="At most this many (max 500)."),
            OpenApiParameter("cursor", OpenApiTypes.STR, description="From `more`."),
        ],
        responses={200: OpenApiTypes.OBJECT},
    )
    def get(self, request: AuthenticatedRequest) -> HttpResponse:
        params = request.query_params
        ifi = agent_ifi({"account": request.user.xapi_account()})
        keys = [digest(AGENT, ifi or "")]
        # A StatementValidationError names its parameter: a 400 on that field (lms/errors.py).
        if "verb" in params:
            validate_iri(params["verb"], "verb")
            keys.append(digest(VERB, params["verb"]))
        if "activity" in params:
            validate_iri(params["activity"], "activity")
            keys.append(digest(ACTIVITY, params["activity"]))
        limit = params.get("limit", "100")
        if not limit.isdigit():
            raise ValidationError({"limit": ["A non-negative integer."]})
        after = None
        if "cursor" in params:
            try:
                after = selectors.decode_cursor(params["cursor"])
            except ValueError as exc:
                raise ValidationError({"cursor": ["Not a cursor this API made."]}) from exc
        rows, more = selectors.query_statements(
            selectors.StatementQuery(keys=tuple(keys), limit=int(limit) or 100, after=after)
        )
        more_url = ""
        if more:
            next_params: dict[str, Any] = {k: v for k, v in params.items() if k != "cursor"}
            next_params["cursor"] = selectors.encode_cursor(rows[-1].id)
            more_url = f"{reverse('progress-api:my-statements')}?{urlencode(next_params)}"
        body = (
            b'{"statements":['
            + b",".join(r.payload.encode() for r in rows)
            + b'],"more":'
            + orjson.dumps(more_url)
            + b"}"
        )
        return HttpResponse(body, content_type="application/json")


class LRSClientSerializer(serializers.ModelSerializer):
    scopes = serializers.ListField(
        child=serializers.ChoiceField(choices=LRSScope.choices), allow_empty=False
    )

    class Meta:
        model = LRSClient
        fields = ["public_id", "name", "key", "scopes", "is_active", "created_at"]
        read_only_fields = ["public_id", "key", "is_active", "created_at"]


class _NewestFirst(pagination.CursorPagination):
    ordering = "-id"


class LRSClientListView(generics.ListCreateAPIView):
    """Staff: list the LRS credentials, or create new ones (the secret is in the answer once)."""

    permission_classes = [permissions.IsAdminUser]
    serializer_class = LRSClientSerializer
    queryset = LRSClient.objects.all()
    pagination_class = _NewestFirst

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        new = create_lrs_client(
            name=serializer.validated_data["name"],
            scopes=serializer.validated_data["scopes"],
            user=request.user,
        )
        body = {**LRSClientSerializer(new.client).data, "secret": new.secret}
        return Response(body, status=201, headers={"Cache-Control": "no-store"})


class WaiveSerializer(serializers.Serializer):
    learner = serializers.UUIDField(help_text="The learner's public id.")
    reason = serializers.ChoiceField(choices=[(r, r) for r in projection.WAIVE_REASONS])


class WaiveUnitView(APIView):
    """Staff: waive a course unit for an enrolled learner (cmi5 §9.3.7); 201 when waived now,
    200 when it was waived already."""

    permission_classes = [permissions.IsAdminUser]

    @extend_schema(request=WaiveSerializer, responses={200: None, 201: None})
    def post(self, request: Request, public_id: str, index: int) -> Response:
        serializer = WaiveSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        unit = get_object_or_404(
            CourseUnit.objects.select_related("course"),
            course__public_id=public_id,
            index=index,
            is_active=True,
        )
        enrolment = get_object_or_404(
            Enrolment, course=unit.course, learner__public_id=serializer.validated_data["learner"]
        )
        waived = projection.waive_unit(
            enrolment=enrolment, unit=unit, reason=serializer.validated_data["reason"]
        )
        return Response(status=201 if waived else 200)


class AbandonSessionView(APIView):
    """Staff, portals and test tools: end a launch session that will never terminate
    (cmi5 §9.3.6: the LMS records "abandoned" once). 204; 404 for an unknown session."""

    permission_classes = [permissions.IsAdminUser]

    @extend_schema(request=None, responses={204: None})
    def post(self, request: Request, session_id: str) -> Response:
        session = get_object_or_404(LaunchSession, public_id=session_id)
        projection.abandon(session=session)
        return Response(status=204)
