from django.contrib import admin

from kesu.complaints.models import Category, Complaint, ComplaintEvent
from kesu.core.admin import ReadOnlyAdmin


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    """The category tree is configuration: administrators edit it here."""

    list_display = ("code", "name_zh", "name_en", "parent", "sort", "is_active")
    list_filter = ("is_active", "parent")
    list_editable = ("sort", "is_active")


@admin.register(Complaint)
class ComplaintAdmin(ReadOnlyAdmin):
    list_display = ("number", "status", "channel", "customer", "category", "group", "assignee", "created_at")
    list_filter = ("status", "channel", "severity", "priority")
    search_fields = ("number",)
    list_select_related = ("customer", "category", "group", "assignee")


@admin.register(ComplaintEvent)
class ComplaintEventAdmin(ReadOnlyAdmin):
    list_display = ("complaint", "kind", "actor", "at", "from_status", "to_status")
    list_filter = ("kind",)
    list_select_related = ("complaint", "actor")
