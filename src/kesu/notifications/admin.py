"""Notifications and deliveries in the admin: read-only (they are written by ``notify`` and jobs)."""

from django.contrib import admin

from kesu.core.admin import ReadOnlyAdmin
from kesu.notifications.models import ContactPoint, Delivery, Notification


class DeliveryInline(admin.TabularInline):
    model = Delivery
    extra = 0
    can_delete = False
    fields = ("channel", "state", "attempts", "not_before", "next_attempt_at", "sent_at", "last_error")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "recipient", "kind", "title", "complaint", "urgent", "read_at")
    list_filter = ("kind", "urgent")
    search_fields = ("title", "key", "recipient__username")
    list_select_related = ("recipient", "complaint")
    raw_id_fields = ("recipient", "complaint")
    date_hierarchy = "created_at"
    inlines = [DeliveryInline]


@admin.register(Delivery)
class DeliveryAdmin(ReadOnlyAdmin):
    list_display = ("id", "notification", "channel", "state", "attempts", "next_attempt_at", "sent_at", "last_error")
    list_filter = ("state", "channel")
    list_select_related = ("notification__recipient",)
    raw_id_fields = ("notification",)


@admin.register(ContactPoint)
class ContactPointAdmin(ReadOnlyAdmin):
    list_display = ("user", "phone", "email_enabled", "sms_enabled", "updated_at")
    list_filter = ("email_enabled", "sms_enabled")
    search_fields = ("user__username", "phone")
