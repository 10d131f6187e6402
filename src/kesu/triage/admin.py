from django.contrib import admin

from kesu.core.admin import ReadOnlyAdmin
from kesu.triage.models import Keyword, ModelVersion, PriorityRule, TriageSettings


@admin.register(TriageSettings)
class TriageSettingsAdmin(admin.ModelAdmin):
    list_display = ("emotion_threshold", "repeat_window_days", "repeat_similarity", "category_min_confidence")


@admin.register(Keyword)
class KeywordAdmin(admin.ModelAdmin):
    list_display = ("tag", "category", "is_active")
    list_filter = ("is_active", "category")
    search_fields = ("tag",)


@admin.register(PriorityRule)
class PriorityRuleAdmin(admin.ModelAdmin):
    list_display = ("category", "tier", "severity", "priority")
    list_filter = ("priority", "tier", "severity")


@admin.register(ModelVersion)
class ModelVersionAdmin(ReadOnlyAdmin):
    """Versions are made by `kesu triage train` and switched by `kesu triage activate`."""

    list_display = ("kind", "version", "is_active", "n_train", "trained_at")
    list_filter = ("kind", "is_active")
