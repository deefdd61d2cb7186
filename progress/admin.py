from typing import Any

from django import forms
from django.contrib import admin, messages
from django.http import HttpRequest

from progress.clients import create_lrs_client
from progress.models import Activity, LRSClient, LRSScope, Statement


class LRSClientForm(forms.ModelForm):
    scopes = forms.MultipleChoiceField(
        choices=LRSScope.choices, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = LRSClient
        fields = ["name", "scopes", "user", "is_active"]


@admin.register(LRSClient)
class LRSClientAdmin(admin.ModelAdmin):
    form = LRSClientForm
    list_display = ["name", "key", "is_active", "created_at"]
    list_filter = ["is_active"]
    search_fields = ["name", "key"]
    readonly_fields = ["key", "public_id", "created_at"]
    raw_id_fields = ["user"]

    def save_model(self, request: HttpRequest, obj: LRSClient, form: Any, change: bool) -> None:
        if change:
            super().save_model(request, obj, form, change)
            return
        new = create_lrs_client(name=obj.name, scopes=obj.scopes, user=obj.user)
        obj.pk, obj.key = new.client.pk, new.client.key
        messages.warning(
            request,
            f"Key: {new.client.key} — Secret: {new.secret} (shown only now; keep it safe).",
        )


@admin.register(Statement)
class StatementAdmin(admin.ModelAdmin):
    list_display = ["statement_id", "stored", "version", "client", "voided"]
    list_filter = ["voided", "version"]
    search_fields = ["statement_id"]
    readonly_fields = [f.name for f in Statement._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Activity)
class ActivityAdmin(admin.ModelAdmin):
    list_display = ["iri", "updated"]
    search_fields = ["iri"]
