"""REST API of the organisations app: seat pools and seat assignment, for the organisation's
admins (anyone else gets 404, as if the organisation did not exist)."""

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.generics import get_object_or_404
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from lms.api import User
from organisations import selectors
from organisations.models import Membership, SeatPool
from organisations.seats import assign_seats


class SeatPoolSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id")
    used = serializers.IntegerField()
    free = serializers.IntegerField()

    class Meta:
        model = SeatPool
        fields = [
            "id", "name", "seats", "used", "free", "scope", "valid_from", "valid_until",
            "order_reference", "price", "currency", "reusable",
        ]  # fmt: skip


class SeatPoolListView(APIView):
    """The organisation's seat pools with the seats used and free."""

    @extend_schema(responses={200: SeatPoolSerializer(many=True)})
    def get(self, request: Request, organisation: Any) -> Response:
        found = selectors.get_managed_organisation(request.user, organisation)  # type: ignore[arg-type]
        rows = []
        for pool, used in selectors.seat_pools_with_use(found):
            pool.used, pool.free = used, max(pool.seats - used, 0)  # type: ignore[attr-defined]
            rows.append(pool)
        return Response(SeatPoolSerializer(rows, many=True).data)


class AssignSerializer(serializers.Serializer):
    members = serializers.ListField(
        child=serializers.UUIDField(), min_length=1, help_text="Members' public ids."
    )


class AssignSeatsView(APIView):
    """Assign seats of a pool to members (each in its own locked transaction): answers how many
    were assigned and why the others were refused."""

    @extend_schema(request=AssignSerializer, responses={200: dict})
    def post(self, request: Request, organisation: Any, pool: Any) -> Response:
        found = selectors.get_managed_organisation(request.user, organisation)  # type: ignore[arg-type]
        seat_pool = get_object_or_404(SeatPool, organisation=found, public_id=pool)
        serializer = AssignSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        wanted = set(serializer.validated_data["members"])
        members = list(User.objects.filter(public_id__in=wanted))
        members_here = set(
            Membership.objects.filter(organisation=found, user__in=members).values_list(
                "user__public_id", flat=True
            )
        )
        unknown = sorted(str(m) for m in wanted - members_here)
        if unknown:
            return Response(
                {"members": [f"Not members of this organisation: {', '.join(unknown)}"]},
                status=status.HTTP_400_BAD_REQUEST,
            )
        refused = assign_seats(pool=seat_pool, members=members, by=request.user)  # type: ignore[arg-type]
        return Response({"assigned": len(members) - len(refused), "refused": refused})
