from django.contrib import admin

from courses.models import (
    Course,
    CourseUnit,
    Enrolment,
    JourneyStep,
    LearningJourney,
    Theme,
)


class CourseUnitInline(admin.TabularInline):
    model = CourseUnit
    extra = 0
    fields = ["index", "kind", "activity_iri", "url", "move_on", "mastery_score", "is_active"]


@admin.register(Course)
class CourseAdmin(admin.ModelAdmin):
    list_display = ["slug", "status", "level", "cpd_hours", "is_paid", "version", "updated_at"]
    list_filter = ["status", "level", "is_paid", "themes"]
    search_fields = ["slug", "activity_iri", "search_text"]
    readonly_fields = ["public_id", "version", "content_path", "created_at", "updated_at"]
    filter_horizontal = ["themes"]
    inlines = [CourseUnitInline]


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    list_display = ["slug", "order"]


class JourneyStepInline(admin.TabularInline):
    model = JourneyStep
    extra = 0
    raw_id_fields = ["course"]


@admin.register(LearningJourney)
class LearningJourneyAdmin(admin.ModelAdmin):
    list_display = ["slug", "status"]
    inlines = [JourneyStepInline]


@admin.register(Enrolment)
class EnrolmentAdmin(admin.ModelAdmin):
    list_display = ["course", "learner", "enrolled_at"]
    raw_id_fields = ["course", "learner"]
    readonly_fields = ["registration", "public_id"]
