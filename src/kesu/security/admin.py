from django.contrib import admin

from kesu.security.models import SecurityEvent, Throttle


@admin.register(Throttle)
class ThrottleAdmin(admin.ModelAdmin):
    """Locked account names and addresses; delete a row to unlock it."""

    list_display = ("key", "failures", "locked_until")
    search_fields = ("key",)
    readonly_fields = ("key", "failures", "first_failure_at", "locked_until")

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(SecurityEvent)
class SecurityEventAdmin(admin.ModelAdmin):
    list_display = ("at", "kind", "username", "ip", "path")
    list_filter = ("kind",)
    search_fields = ("username", "ip")

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
