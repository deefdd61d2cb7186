"""REST API of the courses app: the catalogue and package import."""

from typing import Any

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import generics, pagination, parsers, permissions, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from courses import selectors
from courses.forms import CatalogueFilterForm
from courses.launch import launch_unit
from courses.models import (
    Course,
    CourseStatus,
    CourseUnit,
    JourneyStep,
    LaunchMode,
    LearningJourney,
)
from courses.services import (
    EnrolmentRefused,
    enrol_learner,
    import_cmi5_package,
)
from lms.api import InvalidInput, User


class CourseSerializer(serializers.ModelSerializer):
    themes: serializers.SlugRelatedField = serializers.SlugRelatedField(
        many=True, read_only=True, slug_field="slug"
    )

    class Meta:
        model = Course
        fields = [
            "public_id", "slug", "activity_iri", "title", "summary", "languages", "themes",
            "target_professions", "level", "estimated_minutes", "cpd_hours", "is_paid", "version",
        ]  # fmt: skip


class CataloguePagination(pagination.PageNumberPagination):
    page_size = 20
    max_page_size = 100
    page_size_query_param = "page_size"


class CourseListView(generics.ListAPIView):
    """Published courses, with the catalogue's search and filters as query parameters:
    `q`, `theme` (slug), `language`, `profession`, `level`, `min_cpd`, `sort`
    (newest, cpd, shortest)."""

    serializer_class = CourseSerializer
    permission_classes = [permissions.AllowAny]
    pagination_class = CataloguePagination

    def get_queryset(self) -> Any:
        form = CatalogueFilterForm(self.request.query_params)
        if not form.is_valid():
            raise serializers.ValidationError(form.errors.get_json_data())
        return selectors.courses_for_catalogue(**form.cleaned_data)


class ImportSerializer(serializers.Serializer):
    package = serializers.FileField()
    publish = serializers.BooleanField(default=False)


class CourseImportView(APIView):
    """Staff: import a cmi5 package (multipart upload). 400 lists every reason for a refusal."""

    permission_classes = [permissions.IsAdminUser]
    parser_classes = [parsers.MultiPartParser]

    @extend_schema(
        request=ImportSerializer, responses={201: CourseSerializer, 200: CourseSerializer}
    )
    def post(self, request: Request) -> Response:
        serializer = ImportSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        publish = serializer.validated_data["publish"]
        # A PackageError is a 400 listing every reason under "package" (lms/errors.py).
        result = import_cmi5_package(
            source=serializer.validated_data["package"],
            status=CourseStatus.PUBLISHED if publish else CourseStatus.DRAFT,
        )
        return Response(
            CourseSerializer(result.course).data,
            status=status.HTTP_201_CREATED if result.created else status.HTTP_200_OK,
        )


class LaunchUrlSerializer(serializers.Serializer):
    learner = serializers.UUIDField(help_text="The learner's public id.")
    registration = serializers.UUIDField(required=False)
    launch_mode = serializers.ChoiceField(choices=LaunchMode.choices, default=LaunchMode.NORMAL)
    return_url = serializers.URLField(required=False, default="")


class LaunchUrlView(APIView):
    """Staff, portals and test tools: a cmi5 launch URL for a learner (enrolling them if needed).
    `index` is the unit's 0-based position in the course."""

    permission_classes = [permissions.IsAdminUser]

    @extend_schema(request=LaunchUrlSerializer, responses={201: OpenApiTypes.OBJECT})
    def post(self, request: Request, public_id: str, index: int) -> Response:
        serializer = LaunchUrlSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        unit = get_object_or_404(
            CourseUnit.objects.select_related("course"),
            course__public_id=public_id,
            index=index,
            is_active=True,
        )
        learner = get_object_or_404(User, public_id=data["learner"])
        try:
            enrol_learner(learner=learner, course=unit.course)
        except EnrolmentRefused as refusal:
            # The learner is input here, not the caller: a 400 on the field, not a 403.
            raise InvalidInput(refusal.message, code=refusal.code, field="learner") from refusal
        # A LaunchError is a 400, on "registration" when that is what is wrong (lms/errors.py).
        launch = launch_unit(
            learner=learner,
            unit=unit,
            registration=data.get("registration"),
            launch_mode=data["launch_mode"],
            return_url=data["return_url"],
        )
        return Response(
            {"url": launch.url, "session": str(launch.session.public_id)},
            status=status.HTTP_201_CREATED,
        )


class JourneySerializer(serializers.ModelSerializer):
    themes: serializers.SlugRelatedField = serializers.SlugRelatedField(
        many=True, read_only=True, slug_field="slug"
    )
    steps = serializers.SerializerMethodField()

    class Meta:
        model = LearningJourney
        fields = [
            "public_id",
            "slug",
            "activity_iri",
            "title",
            "summary",
            "audience",
            "themes",
            "steps",
        ]

    def get_steps(self, journey: LearningJourney) -> list[dict[str, Any]]:
        return [
            {"order": s.order, "course": s.course.slug, "required": s.required}
            for s in journey.steps.all()
        ]


class JourneyListView(generics.ListAPIView):
    """Published learning journeys, with `q` and `theme` as in the course catalogue."""

    serializer_class = JourneySerializer
    permission_classes = [permissions.AllowAny]
    pagination_class = CataloguePagination

    def get_queryset(self) -> Any:
        form = CatalogueFilterForm(self.request.query_params)
        if not form.is_valid():
            raise serializers.ValidationError(form.errors.get_json_data())
        return selectors.journeys_for_catalogue(**form.cleaned_data).prefetch_related(
            "themes", Prefetch("steps", queryset=JourneyStep.objects.select_related("course"))
        )
