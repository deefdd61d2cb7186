"""The published head of the record chain: a page and an API value, with its time."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from drf_spectacular.utils import extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from progress.models import ChainEntry


def _head() -> dict[str, Any]:
    head = ChainEntry.objects.order_by("-sequence").first()
    if head is None:
        return {"sequence": 0, "entry_hash": None, "recorded_at": None}
    return {
        "sequence": head.sequence,
        "entry_hash": head.entry_hash,
        "recorded_at": head.recorded_at.isoformat(),
    }


def chain_head_page(request: HttpRequest) -> HttpResponse:
    """Public: save the hash and time; later, `verify_records --head HASH` proves that nothing
    before it changed."""
    return render(request, "progress/chain_head.html", {"head": _head()})


class ChainHeadView(APIView):
    """The newest entry of the chain of completion records and certificate events. Public."""

    authentication_classes: list[Any] = []
    permission_classes = [AllowAny]

    @extend_schema(responses={200: dict})
    def get(self, request: Request) -> Response:
        return Response(_head())
