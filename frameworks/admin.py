from django.contrib import admin

from frameworks.models import Association, Competence, Framework, ProficiencyLevel


class LevelInline(admin.TabularInline):
    model = ProficiencyLevel
    extra = 0


@admin.register(Framework)
class FrameworkAdmin(admin.ModelAdmin):
    list_display = ["title", "jurisdiction", "version", "adoption_status", "last_change"]
    search_fields = ["title", "identifier"]
    inlines = [LevelInline]


@admin.register(Competence)
class CompetenceAdmin(admin.ModelAdmin):
    list_display = ["human_coding_scheme", "__str__", "framework", "item_type"]
    list_filter = ["framework"]
    search_fields = ["human_coding_scheme", "identifier"]
    raw_id_fields = ["parent"]


@admin.register(Association)
class AssociationAdmin(admin.ModelAdmin):
    list_display = ["association_type", "origin_identifier", "destination_identifier", "framework"]
    list_filter = ["association_type", "framework"]
