from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import ValidationError
from django.db.models import QuerySet, URLField
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from certificates.credentials import services as issuance
from certificates.models import (
    Accreditation,
    AccreditingBody,
    Accreditor,
    Certificate,
    CertificateTemplate,
    CpdEntry,
    CpdRegistration,
    CpdSource,
    CycleKind,
    IssuanceRule,
    Requirement,
    RequirementKind,
    RequirementPeriod,
    RequirementRuleSet,
)
from lms.api import AuthenticatedHttpRequest


class AccreditorInline(admin.TabularInline):
    model = Accreditor
    extra = 0
    raw_id_fields = ["user"]


@admin.register(AccreditingBody)
class AccreditingBodyAdmin(admin.ModelAdmin):
    # A website typed without a scheme is read as https:// (Django 6's default, asked for now).
    formfield_overrides = {URLField: {"assume_scheme": "https"}}
    list_display = ["name", "country", "website"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [AccreditorInline]


@admin.register(Accreditation)
class AccreditationAdmin(admin.ModelAdmin):
    list_display = ["reference", "body", "course", "journey", "cpd_value", "valid_from",
                    "valid_until", "status"]  # fmt: skip
    list_filter = ["status", "body"]
    list_select_related = ["body", "course", "journey"]
    search_fields = ["reference", "body__name", "course__slug", "journey__slug"]
    raw_id_fields = ["course", "journey"]
    readonly_fields = ["public_id"]


@admin.register(CertificateTemplate)
class CertificateTemplateAdmin(admin.ModelAdmin):
    """Editing a template changes only certificates issued afterwards (each keeps a snapshot)."""

    list_display = ["name"]
    search_fields = ["name"]


@admin.register(IssuanceRule)
class IssuanceRuleAdmin(admin.ModelAdmin):
    list_display = ["__str__", "accreditation", "template", "minimum_score", "deadline",
                    "validity_months", "is_active"]  # fmt: skip
    list_filter = ["is_active"]
    list_select_related = ["course", "journey", "accreditation__body", "template"]
    raw_id_fields = ["course", "journey"]


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        max_length=issuance.MAX_REASON_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Shown to whoever verifies the certificate."),
    )


@admin.register(Certificate)
class CertificateAdmin(admin.ModelAdmin):
    """Read-only: certificates are issued by rules (or by staff at /accreditation/issue/), and
    changed only by the actions below, which go through certificates.credentials.services."""

    list_display = ["serial", "learner", "status", "issued_at", "expires_at", "accreditation"]
    list_filter = ["status", "accreditation__body"]
    list_select_related = ["learner", "accreditation__body"]
    search_fields = ["serial", "verification_code", "learner__display_name", "learner__email"]
    date_hierarchy = "issued_at"
    actions = ["revoke", "reissue"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_revoke_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("certificates.change_certificate")

    @admin.action(description=gettext_lazy("Revoke"), permissions=["revoke"])
    def revoke(
        self, request: AuthenticatedHttpRequest, queryset: QuerySet[Certificate]
    ) -> TemplateResponse | None:
        """Asks for the reason on a page of its own, then revokes each selected certificate."""
        form = RevokeForm(request.POST if "apply" in request.POST else None)
        if form.is_bound and form.is_valid():
            done = 0
            for certificate in queryset:
                try:
                    issuance.revoke_certificate(
                        certificate=certificate,
                        reason=form.cleaned_data["reason"],
                        by=request.user,
                    )
                    done += 1
                except ValidationError as error:
                    self.message_user(
                        request,
                        f"{certificate.serial}: {' '.join(error.messages)}",
                        messages.WARNING,
                    )
            if done:
                self.message_user(
                    request,
                    ngettext(
                        "%(count)d certificate revoked.", "%(count)d certificates revoked.", done
                    )
                    % {"count": done},
                    messages.SUCCESS,
                )
            return None
        return TemplateResponse(
            request,
            "certificates/admin/revoke.html",
            {
                **self.admin_site.each_context(request),
                "title": _("Revoke certificates"),
                "opts": self.model._meta,
                "form": form,
                "certificates": queryset.select_related("learner"),
                "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            },
        )

    @admin.action(description=gettext_lazy("Reissue (name correction)"), permissions=["revoke"])
    def reissue(self, request: AuthenticatedHttpRequest, queryset: QuerySet[Certificate]) -> None:
        """A new certificate with the learner's current name replaces each selected one."""
        for certificate in queryset:
            try:
                new = issuance.reissue_certificate(certificate=certificate, by=request.user)
            except ValidationError as error:
                self.message_user(
                    request, f"{certificate.serial}: {' '.join(error.messages)}", messages.WARNING
                )
            else:
                self.message_user(
                    request,
                    _("%(old)s replaced by %(new)s.")
                    % {"old": certificate.serial, "new": new.serial},
                    messages.SUCCESS,
                )


# --- the CPD ledger (issue 9) -------------------------------------------------------------------


class RequirementRuleSetForm(forms.ModelForm):
    """The checks the database constraints make, said in words, and a few it cannot make."""

    class Meta:
        model = RequirementRuleSet
        fields = ["body", "name", "slug", "description", "cycle_kind", "cycle_years",
                  "cycle_start", "cycle_end", "per_learner", "time_zone", "is_active"]  # fmt: skip

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind, start, end = data.get("cycle_kind"), data.get("cycle_start"), data.get("cycle_end")
        if kind == CycleKind.FIXED:
            if end is None:
                self.add_error("cycle_end", _("A one-off cycle needs its last day."))
            elif start is not None and end <= start:
                self.add_error("cycle_end", _("The last day comes after the first."))
            if data.get("per_learner"):
                self.add_error("per_learner", _("A one-off cycle has the same dates for everyone."))
        elif end is not None:
            self.add_error(
                "cycle_end", _("Only a one-off cycle ends on a given date; leave this empty.")
            )
        return data


class RequirementForm(forms.ModelForm):
    class Meta:
        model = Requirement
        fields = ["position", "kind", "amount", "activity_type", "period"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind, amount = data.get("kind"), data.get("amount")
        if kind == RequirementKind.HOURS_OF_TYPE and not data.get("activity_type"):
            self.add_error("activity_type", _("Say which type of activity counts."))
        if kind != RequirementKind.HOURS_OF_TYPE and data.get("activity_type"):
            self.add_error("activity_type", _("Only a rule of hours of a type has a type."))
        if amount is not None and amount <= 0:
            self.add_error("amount", _("Enter more than 0."))
        counted = (
            RequirementKind.ENTRIES,
            RequirementKind.REFLECTIONS,
            RequirementKind.DISCUSSIONS,
            RequirementKind.MAX_GAP,
        )
        if kind in counted and amount is not None and amount != amount.to_integral_value():
            self.add_error("amount", _("Enter a whole number."))
        if kind == RequirementKind.MAX_GAP and data.get("period") == RequirementPeriod.YEAR:
            self.add_error("period", _("The longest gap is counted over the whole cycle."))
        return data


class RequirementInline(admin.TabularInline):
    model = Requirement
    form = RequirementForm
    extra = 1
    fields = ["position", "kind", "amount", "activity_type", "period"]


@admin.register(RequirementRuleSet)
class RequirementRuleSetAdmin(admin.ModelAdmin):
    """A body's CPD requirements, configured here without code; ``certificates.cpd`` reads
    them."""

    form = RequirementRuleSetForm
    list_display = ["name", "body", "cycle_kind", "cycle_years", "cycle_start", "cycle_end",
                    "per_learner", "time_zone", "is_active"]  # fmt: skip
    list_filter = ["is_active", "cycle_kind", "body"]
    list_select_related = ["body"]
    search_fields = ["name", "slug", "body__name"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["public_id"]
    inlines = [RequirementInline]


@admin.register(CpdRegistration)
class CpdRegistrationAdmin(admin.ModelAdmin):
    list_display = ["learner", "rule_set", "registered_on", "number", "reminded_for"]
    list_filter = ["rule_set__body", "rule_set"]
    list_select_related = ["learner", "rule_set__body"]
    search_fields = ["learner__display_name", "learner__email", "number"]
    raw_id_fields = ["learner"]
    readonly_fields = ["reminded_for", "created_at"]


@admin.register(CpdEntry)
class CpdEntryAdmin(admin.ModelAdmin):
    """Read-only: learners keep their ledgers (``certificates.cpd.services``), certificates make
    their own entries. Staff may delete an external activity (e.g. on a learner's request)."""

    list_display = ["date", "learner", "title", "source", "hours", "participatory", "structured",
                    "discussion_status"]  # fmt: skip
    list_filter = ["source", "kind", "participatory", "structured", "discussion_status"]
    list_select_related = ["learner"]
    search_fields = ["title", "learner__display_name", "learner__email"]
    date_hierarchy = "date"

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [field.name for field in CpdEntry._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and obj.source != CpdSource.EXTERNAL:
            return False
        return super().has_delete_permission(request, obj)
