from django.contrib import admin

from kesu.core.admin import ReadOnlyAdmin
from kesu.customers.models import Customer, CustomerIdentity


class IdentityInline(admin.TabularInline):
    model = CustomerIdentity
    extra = 0
    can_delete = False

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Customer)
class CustomerAdmin(ReadOnlyAdmin):
    list_display = ("id", "name", "tier", "region", "created_at")
    list_filter = ("tier",)
    search_fields = ("name", "identities__value")
    inlines = [IdentityInline]
