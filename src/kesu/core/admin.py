"""Django admin for configuration data (administrators only). Complaints are read-only here."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from kesu.core.models import ApiToken, Department, Group, HandlerProfile, User


class ReadOnlyAdmin(admin.ModelAdmin):
    """Complaints change only through actions (web UI, API, CLI); the admin only shows them."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(User)
class KesuUserAdmin(UserAdmin):
    list_display = ("username", "display_name", "role", "is_active", "last_login")
    list_filter = ("role", "is_active")
    fieldsets = (*UserAdmin.fieldsets, ("kesu", {"fields": ("role", "display_name")}))


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ("code", "name")


@admin.register(Group)
class GroupAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "department", "layer")
    list_filter = ("layer", "department")


@admin.register(HandlerProfile)
class HandlerProfileAdmin(admin.ModelAdmin):
    list_display = ("user", "availability", "is_senior", "seniority", "capacity")
    list_filter = ("availability", "is_senior", "groups")
    filter_horizontal = ("groups",)


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("prefix", "user", "name", "created_at", "revoked_at")
    readonly_fields = ("prefix", "digest", "user", "created_at")
