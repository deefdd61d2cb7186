"""REST API of the frameworks app: frameworks (list, staff import, CASE export), alignments,
role profiles, and the signed-in learner's competence profile and gaps."""

import uuid
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import translation
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import generics, parsers, permissions, serializers, status
from rest_framework.generics import get_object_or_404
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from courses.models import Course, CourseUnit, LearningJourney
from frameworks import selectors, services
from frameworks.case import export_package
from frameworks.models import Alignment, AlignmentRelation, Competence, Framework, RoleProfile
from frameworks.services import import_file
from frameworks.views import may_align


class FrameworkSerializer(serializers.ModelSerializer):
    jurisdiction = serializers.CharField(source="jurisdiction.code", read_only=True)

    class Meta:
        model = Framework
        fields = [
            "identifier",
            "uri",
            "title",
            "creator",
            "publisher",
            "jurisdiction",
            "language",
            "version",
            "adoption_status",
            "last_change",
        ]


class FrameworkListView(generics.ListAPIView):
    """The competence frameworks."""

    serializer_class = FrameworkSerializer
    permission_classes = [permissions.AllowAny]
    queryset = Framework.objects.all()
    pagination_class = None


class FrameworkImportSerializer(serializers.Serializer):
    file = serializers.FileField()
    format = serializers.ChoiceField(choices=["", "case", "moodle"], default="", required=False)


class FrameworkImportView(APIView):
    """Staff: import a CASE package (JSON) or a Moodle framework CSV. 400 lists every reason,
    with the JSON path or the CSV line; nothing is stored then."""

    permission_classes = [permissions.IsAdminUser]
    parser_classes = [parsers.MultiPartParser]

    @extend_schema(request=FrameworkImportSerializer, responses={201: FrameworkSerializer})
    def post(self, request: Request) -> Response:
        serializer = FrameworkImportSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        # A CaseError is a 400 listing every reason under "file" (lms/errors.py).
        framework = import_file(
            serializer.validated_data["file"].read(),
            file_format=serializer.validated_data["format"],
        )
        return Response(FrameworkSerializer(framework).data, status=status.HTTP_201_CREATED)


class FrameworkExportView(APIView):
    """The framework as a CASE 1.0 CFPackage."""

    permission_classes = [permissions.AllowAny]

    @extend_schema(responses={200: OpenApiTypes.OBJECT})
    def get(self, request: Request, identifier: Any) -> Response:
        framework = get_object_or_404(Framework, identifier=identifier)
        return Response(export_package(framework))


# --- alignments ---------------------------------------------------------------------------


class AlignmentSerializer(serializers.ModelSerializer):
    """An alignment names exactly one of course (slug), unit (public id) or journey (slug)."""

    competence = serializers.SlugRelatedField(
        slug_field="identifier", queryset=Competence.objects.all()
    )
    framework = serializers.UUIDField(source="competence.framework.identifier", read_only=True)
    course = serializers.SlugRelatedField(
        slug_field="slug", queryset=Course.objects.all(), required=False, allow_null=True
    )
    unit = serializers.SlugRelatedField(
        slug_field="public_id", queryset=CourseUnit.objects.all(), required=False, allow_null=True
    )
    journey = serializers.SlugRelatedField(
        slug_field="slug", queryset=LearningJourney.objects.all(), required=False, allow_null=True
    )
    relation = serializers.ChoiceField(
        choices=AlignmentRelation.choices, default=AlignmentRelation.TEACHES
    )

    class Meta:
        model = Alignment
        fields = ["id", "competence", "framework", "course", "unit", "journey", "level", "relation"]
        # Posting an alignment that exists updates it (services.align): no uniqueness check.
        validators: list[Any] = []

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        given = [k for k in ("course", "unit", "journey") if attrs.get(k) is not None]
        if len(given) != 1:
            raise serializers.ValidationError(
                {"course": ["Give exactly one of course, unit or journey."]}
            )
        return attrs


def _may_align_target(user: Any, *, course: Any = None, unit: Any = None, journey: Any = None):
    if journey is not None:
        return user.is_staff or user.has_perm("courses.change_learningjourney", journey)
    return may_align(user, course or unit.course)


class AlignmentListView(generics.ListCreateAPIView):
    """Alignments of courses, units and journeys to competences. Filter with ``course``
    (slug), ``journey`` (slug) or ``competence`` (identifier). Authors of the course (or staff)
    create them; an alignment already there for the same competence is updated."""

    serializer_class = AlignmentSerializer
    permission_classes = [permissions.IsAuthenticatedOrReadOnly]
    pagination_class = None

    def get_queryset(self) -> Any:
        rows = Alignment.objects.select_related(
            "competence__framework", "course", "unit", "journey"
        ).order_by("id")
        if course := self.request.query_params.get("course"):
            rows = rows.filter(Q(course__slug=course) | Q(unit__course__slug=course))
        if journey := self.request.query_params.get("journey"):
            rows = rows.filter(journey__slug=journey)
        if competence := self.request.query_params.get("competence"):
            try:
                rows = rows.filter(competence__identifier=uuid.UUID(competence))
            except ValueError:
                raise serializers.ValidationError(
                    {"competence": ["Must be a competence identifier (a UUID)."]}
                ) from None
        return rows

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        target = {k: data.get(k) for k in ("course", "unit", "journey")}
        if not _may_align_target(request.user, **target):
            return Response(
                {"detail": "You may not align this course or journey."},
                status=status.HTTP_403_FORBIDDEN,
            )
        try:
            alignment = services.align(
                competence=data["competence"],
                level=data.get("level"),
                relation=data["relation"],
                **target,
            )
        except ValidationError as error:
            return Response(error.message_dict, status=status.HTTP_400_BAD_REQUEST)
        return Response(AlignmentSerializer(alignment).data, status=status.HTTP_201_CREATED)


class AlignmentDetailView(generics.RetrieveDestroyAPIView):
    """One alignment; its course's authors (or staff) remove it."""

    serializer_class = AlignmentSerializer
    permission_classes = [permissions.IsAuthenticatedOrReadOnly]
    queryset = Alignment.objects.select_related("competence__framework", "course", "unit__course")

    def perform_destroy(self, instance: Alignment) -> None:
        target = {"course": instance.course, "unit": instance.unit, "journey": instance.journey}
        if not _may_align_target(self.request.user, **target):
            self.permission_denied(self.request, "You may not change this alignment.")
        services.remove_alignment(alignment=instance)


# --- role profiles and the learner's profile ----------------------------------------------


class RoleTargetSerializer(serializers.Serializer):
    competence = serializers.UUIDField(source="competence.identifier")
    code = serializers.CharField(source="competence.human_coding_scheme")
    level = serializers.IntegerField()


class RoleProfileSerializer(serializers.ModelSerializer):
    framework = serializers.UUIDField(source="framework.identifier")
    targets = RoleTargetSerializer(many=True)

    class Meta:
        model = RoleProfile
        fields = ["slug", "name", "description", "framework", "targets"]


class RoleProfileListView(generics.ListAPIView):
    """Role profiles: the target level per competence for a role, in one framework."""

    serializer_class = RoleProfileSerializer
    permission_classes = [permissions.AllowAny]
    pagination_class = None
    queryset = RoleProfile.objects.select_related("framework").prefetch_related(
        "targets__competence"
    )


class EvidenceSerializer(serializers.Serializer):
    record = serializers.UUIDField()
    title = serializers.CharField()
    completed_at = serializers.DateTimeField()
    relation = serializers.CharField()
    level = serializers.IntegerField()
    via = serializers.CharField(help_text="Empty when aligned to this competence.")
    aligned_to = serializers.CharField()


class ProfileEntrySerializer(serializers.Serializer):
    competence = serializers.UUIDField(source="competence.identifier")
    code = serializers.CharField(source="competence.human_coding_scheme")
    level = serializers.IntegerField(help_text="0 when there is only partial evidence.")
    achieved_at = serializers.DateTimeField(allow_null=True)
    evidence = EvidenceSerializer(many=True)
    partial = EvidenceSerializer(many=True)  # type: ignore[assignment]


class MyCompetencesView(APIView):
    """The signed-in learner's competence profile in a framework (``?framework=`` identifier):
    per competence the level reached, since when, and the completion records behind it."""

    @extend_schema(responses={200: ProfileEntrySerializer(many=True)})
    def get(self, request: Request) -> Response:
        framework = _framework_param(request)
        profile = selectors.competence_profile(
            request.user, framework, language=translation.get_language() or "en"
        )
        return Response(
            {
                "framework": str(framework.identifier),
                "competences": ProfileEntrySerializer(profile.entries, many=True).data,
            }
        )


def _framework_param(request: Request) -> Framework:
    value = request.query_params.get("framework", "")
    try:
        identifier = uuid.UUID(value)
    except ValueError:
        raise serializers.ValidationError(
            {"framework": ["Required: a framework identifier (a UUID)."]}
        ) from None
    return get_object_or_404(Framework, identifier=identifier)


class GapSerializer(serializers.Serializer):
    competence = serializers.UUIDField(source="competence.identifier")
    code = serializers.CharField(source="competence.human_coding_scheme")
    reached = serializers.IntegerField()
    target = serializers.IntegerField()


class RecommendationSerializer(serializers.Serializer):
    kind = serializers.CharField()
    slug = serializers.CharField()
    title = serializers.CharField()
    hours = serializers.DecimalField(max_digits=8, decimal_places=2)
    per_hour = serializers.DecimalField(max_digits=8, decimal_places=2)
    closes = serializers.SerializerMethodField()

    def get_closes(self, obj: selectors.Recommendation) -> list[str]:
        return [str(c.identifier) for c in obj.closes]


class MyGapsView(APIView):
    """The signed-in learner against a role profile (``?role=`` slug): competences met, gaps,
    and the courses and journeys that would close them, best gaps-per-hour first."""

    @extend_schema(responses={200: OpenApiTypes.OBJECT})
    def get(self, request: Request) -> Response:
        slug = request.query_params.get("role", "")
        if not slug:
            raise serializers.ValidationError({"role": ["Required: a role profile slug."]})
        role = get_object_or_404(RoleProfile.objects.select_related("framework"), slug=slug)
        result = selectors.gap_analysis(
            request.user, role, language=translation.get_language() or "en"
        )
        return Response(
            {
                "role": role.slug,
                "framework": str(role.framework.identifier),
                "met": GapSerializer(result.met, many=True).data,
                "gaps": GapSerializer(result.gaps, many=True).data,
                "recommendations": RecommendationSerializer(result.recommendations, many=True).data,
            }
        )
