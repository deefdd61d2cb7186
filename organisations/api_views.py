"""REST API of the organisations app: the members an admin or supervisor may see (the same
scope as the members page), and seat pools, their seats, assignment, release, revocation and
renewal, for the organisation's admins (anyone else gets 404, as if the organisation did not
exist; an anonymous caller gets 401).

Errors, the same way on every seat endpoint:

- 404: the organisation, the pool or the member is not one the caller may see (a member is
  known to a pool when they belong to its organisation or once had one of its seats);
- 400, naming the field: the request itself is wrong (a missing reason, a period that ends
  before it starts, fewer seats than are held now);
- 409, with a ``detail`` message and a ``code``: the seat or the pool does not allow the change
  now (the member holds no seat of the pool, the seat has ended, the pool's revocations are all
  used, the pool has been renewed already): a ``SeatError`` from ``organisations.seats``, a
  ``Conflict`` that the API's exception handler answers (lms/errors.py).
"""

from decimal import Decimal
from typing import Any

from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
)
from rest_framework import generics, pagination, serializers, status
from rest_framework.generics import get_object_or_404
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from lms.api import AuthenticatedRequest, User
from organisations.core import selectors
from organisations.core.models import Membership, MembershipRole, Unit, UnitMembership
from organisations.core.scope import get_scope_for_user, subtree
from organisations.seats import selectors as seat_selectors
from organisations.seats.models import Seat, SeatPool, SeatStatus
from organisations.seats.services import (
    SeatError,
    assign_seats,
    pool_use,
    release_seat,
    renew_pool,
    revoke_seat,
)


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
    def get(self, request: AuthenticatedRequest, organisation: Any) -> Response:
        found = selectors.get_managed_organisation(request.user, organisation)
        rows = []
        for pool, used in seat_selectors.seat_pools_with_use(found):
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
    def post(self, request: AuthenticatedRequest, organisation: Any, pool: Any) -> Response:
        found = selectors.get_managed_organisation(request.user, organisation)
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
        refused = assign_seats(pool=seat_pool, members=members, by=request.user)
        return Response({"assigned": len(members) - len(refused), "refused": refused})


_CONFLICT = OpenApiResponse(description="The seat or the pool does not allow the change now.")
_NOT_FOUND = OpenApiResponse(description="Not an organisation, pool or member the caller manages.")


def _managed_pool(request: AuthenticatedRequest, organisation: Any, pool: Any) -> SeatPool:
    found = selectors.get_managed_organisation(request.user, organisation)
    return get_object_or_404(SeatPool, organisation=found, public_id=pool)


def _held_seat(pool: SeatPool, member: Any) -> Seat:
    """The seat the member holds in ``pool``: 404 for someone unknown to the pool, 409 for a
    member who holds none."""
    seat = seat_selectors.held_seat_of(pool, member)
    if seat is not None:
        return seat
    if not seat_selectors.is_known_to_pool(pool, member):
        raise Http404
    raise SeatError(_("This member holds no seat of this pool."), code="no_seat")


class SeatSerializer(serializers.ModelSerializer):
    member = serializers.UUIDField(source="member.public_id", help_text="The member's public id.")
    name = serializers.SerializerMethodField()

    class Meta:
        model = Seat
        fields = ["member", "name", "status", "assigned_at", "activated_at", "ended_at"]

    def get_name(self, seat: Seat) -> str:
        return str(seat.member)


class _OldestFirst(pagination.CursorPagination):
    ordering = "id"


class MemberUnitSerializer(serializers.Serializer):
    id = serializers.UUIDField(help_text="The unit's public id.")
    name = serializers.CharField()
    supervises = serializers.BooleanField(help_text="The member is one of its supervisors.")


class MemberSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(
        source="user.public_id", help_text="The member's public id, as the seat endpoints take it."
    )
    name = serializers.CharField(source="user.display_name")
    email = serializers.EmailField(source="user.email")
    units = serializers.SerializerMethodField()

    class Meta:
        model = Membership
        fields = ["id", "name", "email", "role", "job_title", "joined_at", "units"]

    @extend_schema_field(MemberUnitSerializer(many=True))
    def get_units(self, membership: Membership) -> list[dict[str, Any]]:
        return self.context["units"].get(membership.user_id, [])


class MemberListView(generics.ListAPIView):
    """The members of the organisation the caller may see: all of them for its admins, the
    members of the units a supervisor supervises and of every unit below for a supervisor
    (the members page's scope); 404 for anyone else. Cursor pages, oldest membership first.
    ``unit`` keeps the members of a unit and of the units below it; ``role`` one role."""

    serializer_class = MemberSerializer
    pagination_class = _OldestFirst
    request: AuthenticatedRequest

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "unit", type=OpenApiTypes.UUID, required=False, description="A unit's public id."
            ),
            OpenApiParameter("role", enum=MembershipRole.values, required=False),
        ],
        responses={200: MemberSerializer(many=True), 404: _NOT_FOUND},
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    def get_queryset(self) -> Any:
        scope = get_scope_for_user(self.request.user, self.kwargs["organisation"])
        found = scope.memberships().select_related("user")
        errors: dict[str, list[str]] = {}
        role = self.request.query_params.get("role")
        if role is not None:
            if role in MembershipRole.values:
                found = found.filter(role=role)
            else:
                errors["role"] = [
                    _("One of: %(roles)s.") % {"roles": ", ".join(MembershipRole.values)}
                ]
        unit_id = self.request.query_params.get("unit")
        if unit_id is not None:
            units = list(Unit.objects.filter(organisation=scope.organisation))
            unit = next((u for u in units if str(u.public_id) == unit_id.strip().lower()), None)
            if unit is None:
                errors["unit"] = [_("Not a unit of this organisation.")]
            else:
                wanted = subtree({unit.pk}, units)
                found = found.filter(
                    user__in=UnitMembership.objects.filter(unit__in=wanted).values("user")
                )
        if errors:
            raise serializers.ValidationError(errors)
        self.scope = scope
        return found

    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context(), "units": getattr(self, "units", {})}

    def paginate_queryset(self, queryset: Any) -> Any:
        page = super().paginate_queryset(queryset)
        units: dict[int, list[dict[str, Any]]] = {}
        for user_id, public_id, name, supervises in UnitMembership.objects.filter(
            unit__organisation=self.scope.organisation,
            user_id__in=[m.user_id for m in page or ()],
        ).values_list("user_id", "unit__public_id", "unit__name", "supervises"):
            units.setdefault(user_id, []).append(
                {"id": public_id, "name": name, "supervises": supervises}
            )
        for found in units.values():
            found.sort(key=lambda u: u["name"].casefold())
        self.units = units
        return page


class PoolSeatsView(generics.ListAPIView):
    """The pool's seats, held and ended, in the order they were assigned (cursor pages):
    member, name, status, dates. ``status`` keeps the seats in one status."""

    serializer_class = SeatSerializer
    pagination_class = _OldestFirst
    request: AuthenticatedRequest

    @extend_schema(
        parameters=[OpenApiParameter("status", enum=SeatStatus.values, required=False)],
        responses={200: SeatSerializer(many=True), 404: _NOT_FOUND},
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    def get_queryset(self) -> Any:
        pool = _managed_pool(self.request, self.kwargs["organisation"], self.kwargs["pool"])
        found = Seat.objects.filter(pool=pool).select_related("member")
        wanted = self.request.query_params.get("status")
        if wanted is not None:
            if wanted not in SeatStatus.values:
                known = ", ".join(SeatStatus.values)
                raise serializers.ValidationError(
                    {"status": [_("One of: %(statuses)s.") % {"statuses": known}]}
                )
            found = found.filter(status=wanted)
        return found


class ReleaseSeatView(APIView):
    """Release the seat the member holds: back to a reusable pool, used up in a consumable
    one. Answers the seat."""

    @extend_schema(request=None, responses={200: SeatSerializer, 404: _NOT_FOUND, 409: _CONFLICT})
    def post(
        self, request: AuthenticatedRequest, organisation: Any, pool: Any, member: Any
    ) -> Response:
        seat = _held_seat(_managed_pool(request, organisation, pool), member)
        seat = release_seat(seat=seat, by=request.user)
        return Response(SeatSerializer(seat).data)


class RevokeSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=300, help_text="Kept in the seat's history.")


class RevokeSeatView(APIView):
    """Revoke the seat the member holds, with a reason (within the pool's cap on revocations):
    the place returns to the pool. Answers the seat."""

    @extend_schema(
        request=RevokeSerializer,
        responses={200: SeatSerializer, 404: _NOT_FOUND, 409: _CONFLICT},
    )
    def post(
        self, request: AuthenticatedRequest, organisation: Any, pool: Any, member: Any
    ) -> Response:
        seat = _held_seat(_managed_pool(request, organisation, pool), member)
        serializer = RevokeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        seat = revoke_seat(
            seat=seat,
            by=request.user,
            note=serializer.validated_data["reason"],
        )
        return Response(SeatSerializer(seat).data)


class RenewSerializer(serializers.Serializer):
    seats = serializers.IntegerField(min_value=1)
    valid_from = serializers.DateField()
    valid_until = serializers.DateField()
    order_reference = serializers.CharField(
        max_length=100, required=False, allow_blank=True, default=""
    )
    price = serializers.DecimalField(
        max_digits=12, decimal_places=2, min_value=Decimal(0), required=False, default=Decimal(0)
    )

    def validate_seats(self, seats: int) -> int:
        held = self.context["held"]
        if seats < held:
            raise serializers.ValidationError(
                ngettext(
                    "%(held)s seat is held now and moves to the renewal: renew at least as many.",
                    "%(held)s seats are held now and move to the renewal: renew at least as many.",
                    held,
                )
                % {"held": held}
            )
        return seats

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs["valid_until"] < attrs["valid_from"]:
            raise serializers.ValidationError(
                {"valid_until": [_("The period must end on or after its first day.")]}
            )
        return attrs


class RenewPoolView(APIView):
    """Renew the pool: a new period with the same scope and rules, to which the held seats
    move. Answers the new pool (201)."""

    @extend_schema(
        request=RenewSerializer,
        responses={201: SeatPoolSerializer, 404: _NOT_FOUND, 409: _CONFLICT},
    )
    def post(self, request: AuthenticatedRequest, organisation: Any, pool: Any) -> Response:
        seat_pool = _managed_pool(request, organisation, pool)
        serializer = RenewSerializer(
            data=request.data, context={"held": seat_selectors.held_count(seat_pool)}
        )
        serializer.is_valid(raise_exception=True)
        renewed = renew_pool(pool=seat_pool, by=request.user, **serializer.validated_data)
        use = pool_use(renewed)
        renewed.used, renewed.free = use.used, use.free  # type: ignore[attr-defined]
        return Response(SeatPoolSerializer(renewed).data, status=status.HTTP_201_CREATED)
