"""Django admin for configuration data (administrators only). Complaints are read-only here."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import Group as AuthGroup

from kesu.core.models import ApiToken, Department, Group, HandlerProfile, User
from kesu.core.roles import Role

# kesu gives rights by role, not by Django's permission groups: one "groups" entry (the handling
# groups) instead of two
if admin.site.is_registered(AuthGroup):
    admin.site.unregister(AuthGroup)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Complaints change only through actions (web UI, API, CLI); the admin only shows them."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ConfigurationEditors:
    """Admin access for the management layer and administrators: configuration (calendars, SLA
    policies, mailboxes …) is theirs to edit. Django's per-model permissions are not used."""

    editor_roles: tuple[str, ...] = (Role.MANAGER, Role.ADMIN)

    def _may_edit(self, request) -> bool:
        user = request.user
        return user.is_active and (user.is_superuser or getattr(user, "role", "") in self.editor_roles)

    def has_module_permission(self, request):
        return self._may_edit(request)

    def has_view_permission(self, request, obj=None):
        return self._may_edit(request)

    def has_add_permission(self, request, obj=None):
        return self._may_edit(request)

    def has_change_permission(self, request, obj=None):
        return self._may_edit(request)

    def has_delete_permission(self, request, obj=None):
        return self._may_edit(request)


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
    list_display = ("prefix", "user", "name", "created_at", "expires_at", "read_only", "revoked_at")
    readonly_fields = ("prefix", "digest", "user", "created_at")
