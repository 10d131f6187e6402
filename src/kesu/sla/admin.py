"""Admin of the working calendars: the management layer and administrators edit them."""

from django.contrib import admin

from kesu.core.admin import ConfigurationEditors
from kesu.core.clock import clock_now
from kesu.sla.actions import calendar_save, calendar_touch
from kesu.sla.models import SOURCE_MANUAL, Calendar, CalendarDay, CalendarYear, SlaPolicy


class CalendarDayInline(ConfigurationEditors, admin.TabularInline):
    model = CalendarDay
    fields = ("date", "kind", "name", "source")
    readonly_fields = ("source",)
    extra = 1


class CalendarYearInline(ConfigurationEditors, admin.TabularInline):
    model = CalendarYear
    fields = ("year", "source", "estimated", "imported_at")
    readonly_fields = ("source", "estimated", "imported_at")
    extra = 0


@admin.register(Calendar)
class CalendarAdmin(ConfigurationEditors, admin.ModelAdmin):
    list_display = ("name", "title", "time_zone", "is_default", "updated_at")
    fields = ("name", "title", "time_zone", "week", "makeup_periods", "country", "is_default")
    inlines = (CalendarYearInline, CalendarDayInline)
    actions = None  # no bulk delete: it would bypass the default calendar's protection

    def has_delete_permission(self, request, obj=None):
        return self._may_edit(request) and not (obj is not None and obj.is_default)

    def save_model(self, request, obj, form, change):
        calendar_save(calendar=obj, now=clock_now())

    def save_formset(self, request, form, formset, change):
        """Rows added or changed here are manual: a later import keeps them."""
        now = clock_now()
        for row in formset.save(commit=False):
            row.source = SOURCE_MANUAL
            if isinstance(row, CalendarYear):
                row.estimated, row.imported_at = False, now
            row.save()
        for row in formset.deleted_objects:
            row.delete()

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        calendar_touch(calendar=form.instance, now=clock_now())


@admin.register(SlaPolicy)
class SlaPolicyAdmin(ConfigurationEditors, admin.ModelAdmin):
    """Policies are validated as a whole (SlaPolicy.clean → policy_parse): every bad part is named."""

    list_display = ("name", "title", "position", "enabled", "warn_percent", "calendar", "updated_at")
    list_editable = ("position", "enabled")
    fields = ("name", "title", "position", "enabled", "conditions", "targets", "warn_percent", "levels",
              "specialist_after_minutes", "remind_every_minutes", "calendar")

    def save_model(self, request, obj, form, change):
        obj.updated_at = clock_now()
        super().save_model(request, obj, form, change)
