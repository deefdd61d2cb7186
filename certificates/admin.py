from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from certificates import issuance
from certificates.models import (
    Accreditation,
    AccreditingBody,
    Accreditor,
    Certificate,
    CertificateTemplate,
    IssuanceRule,
)


class AccreditorInline(admin.TabularInline):
    model = Accreditor
    extra = 0
    raw_id_fields = ["user"]


@admin.register(AccreditingBody)
class AccreditingBodyAdmin(admin.ModelAdmin):
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
    changed only by the actions below, which go through certificates.issuance."""

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
        self, request: HttpRequest, queryset: QuerySet[Certificate]
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
                        by=request.user,  # type: ignore[arg-type]
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
    def reissue(self, request: HttpRequest, queryset: QuerySet[Certificate]) -> None:
        """A new certificate with the learner's current name replaces each selected one."""
        for certificate in queryset:
            try:
                new = issuance.reissue_certificate(certificate=certificate, by=request.user)  # type: ignore[arg-type]
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
