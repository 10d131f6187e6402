from django.contrib import admin
from django.db import models

from kesu.core.admin import ConfigurationEditors
from kesu.surveys.models import FollowUpTask, Survey, SurveySettings


@admin.register(SurveySettings)
class SurveySettingsAdmin(ConfigurationEditors, admin.ModelAdmin):
    list_display = ("reopen_at_or_below", "reminder_after_hours", "follow_up_sample_percent", "public_url")
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def has_add_permission(self, request, obj=None):  # one row
        return super().has_add_permission(request) and not SurveySettings.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False


class ShownToEditors(ConfigurationEditors):
    """Managers and administrators may look; nobody edits here (rows change through the actions)."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Survey)
class SurveyAdmin(ShownToEditors, admin.ModelAdmin):
    """Answers are the customers': readable, never edited."""

    list_display = ("complaint", "cycle", "channel", "sent_at", "reminded_at", "answered_at", "satisfaction", "nps",
                    "solved", "reopened")
    list_filter = ("channel", "solved", "reopened")
    search_fields = ("complaint__number",)
    exclude = ("salt", "digest")
    list_select_related = ("complaint",)


@admin.register(FollowUpTask)
class FollowUpTaskAdmin(ShownToEditors, admin.ModelAdmin):
    list_display = ("complaint", "cycle", "assignee", "due_at", "done_at", "outcome")
    list_filter = ("outcome",)
    search_fields = ("complaint__number",)
    list_select_related = ("complaint", "assignee")
