from django.contrib import admin

from certificates.models import AccreditingBody, Accreditor


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
