from django.contrib import admin

from frameworks.models import (
    Alignment,
    Association,
    Competence,
    Framework,
    ProficiencyLevel,
    RoleProfile,
    RoleTarget,
)


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


@admin.register(Alignment)
class AlignmentAdmin(admin.ModelAdmin):
    """Authors align a course, one of its units, or a journey to a competence (exactly one)."""

    list_display = ["competence", "course", "unit", "journey", "level", "relation"]
    list_filter = ["relation", "competence__framework"]
    search_fields = ["competence__human_coding_scheme", "course__slug", "journey__slug"]
    autocomplete_fields = ["competence", "course"]
    raw_id_fields = ["unit", "journey"]
    list_select_related = ["competence", "course", "unit", "journey"]


class RoleTargetInline(admin.TabularInline):
    model = RoleTarget
    extra = 1
    autocomplete_fields = ["competence"]


@admin.register(RoleProfile)
class RoleProfileAdmin(admin.ModelAdmin):
    list_display = ["slug", "__str__", "framework"]
    list_filter = ["framework"]
    search_fields = ["slug"]
    inlines = [RoleTargetInline]
