"""REST API of the frameworks app: list, import (staff), export as CASE."""

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import generics, parsers, permissions, serializers, status
from rest_framework.generics import get_object_or_404
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from frameworks.case import CaseError, export_package, import_file
from frameworks.models import Framework


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
        try:
            framework = import_file(
                serializer.validated_data["file"].read(),
                file_format=serializer.validated_data["format"],
            )
        except CaseError as error:
            return Response({"file": error.errors}, status=status.HTTP_400_BAD_REQUEST)
        return Response(FrameworkSerializer(framework).data, status=status.HTTP_201_CREATED)


class FrameworkExportView(APIView):
    """The framework as a CASE 1.0 CFPackage."""

    permission_classes = [permissions.AllowAny]

    @extend_schema(responses={200: OpenApiTypes.OBJECT})
    def get(self, request: Request, identifier: Any) -> Response:
        framework = get_object_or_404(Framework, identifier=identifier)
        return Response(export_package(framework))
