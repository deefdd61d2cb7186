from typing import Any

from django.contrib import admin
from django.forms import BaseInlineFormSet
from django.http import HttpRequest

from organisations.core import services
from organisations.core.models import Membership, Organisation
from organisations.seats.models import Seat, SeatEvent, SeatPool


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    raw_id_fields = ["user"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "country", "created_at"]
    list_filter = ["kind", "country"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [MembershipInline]

    def save_formset(
        self, request: HttpRequest, form: Any, formset: BaseInlineFormSet, change: bool
    ) -> None:
        # Memberships go through the service, so that object permissions follow the role.
        organisation = form.instance
        for inline_form in formset.forms:
            if not inline_form.has_changed() and not inline_form.cleaned_data.get("DELETE"):
                continue
            data = inline_form.cleaned_data
            if not data.get("user"):
                continue
            if data.get("DELETE"):
                services.end_membership(organisation=organisation, user=data["user"])
            else:
                services.set_membership(
                    organisation=organisation,
                    user=data["user"],
                    role=data["role"],
                    job_title=data.get("job_title", ""),
                )


class SeatEventInline(admin.TabularInline):
    model = SeatEvent
    extra = 0
    can_delete = False
    readonly_fields = ["status", "at", "by", "note"]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(SeatPool)
class SeatPoolAdmin(admin.ModelAdmin):
    """Pools are bought and renewed here; seats are assigned through the services (row locks)."""

    list_display = ["name", "organisation", "seats", "scope", "valid_from", "valid_until"]
    list_filter = ["scope", "reusable"]
    search_fields = ["name", "order_reference", "organisation__name"]
    filter_horizontal = ["courses", "journeys"]


@admin.register(Seat)
class SeatAdmin(admin.ModelAdmin):
    """Read-only: a seat's changes go through organisations.seats, which keeps its history."""

    list_display = ["member", "pool", "status", "assigned_at", "activated_at", "ended_at"]
    list_filter = ["status"]
    list_select_related = ["member", "pool__organisation"]
    inlines = [SeatEventInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
