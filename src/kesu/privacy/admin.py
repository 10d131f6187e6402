from django.contrib import admin

from kesu.privacy.models import AccessLog, RetentionPolicy


@admin.register(RetentionPolicy)
class RetentionPolicyAdmin(admin.ModelAdmin):
    list_display = ("category", "channel", "months", "enabled")
    list_filter = ("enabled", "channel")


@admin.register(AccessLog)
class AccessLogAdmin(admin.ModelAdmin):
    """Read-only: the access log is append-only."""

    list_display = ("at", "username", "action", "object_type", "object_id", "field", "ip", "channel", "reason")
    list_filter = ("action", "channel")
    search_fields = ("username", "object_id", "reason")

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
