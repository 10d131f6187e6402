"""The compensation matrix and approval limits, edited by management; proposals are read-only here."""

from django.contrib import admin

from kesu.compensation.models import ApprovalLimit, CompensationEvent, CompensationRule, Proposal
from kesu.core.admin import ConfigurationEditors, ReadOnlyAdmin


@admin.register(CompensationRule)
class CompensationRuleAdmin(ConfigurationEditors, admin.ModelAdmin):
    list_display = ("position", "category", "severity", "min_amount", "max_amount", "remedies")
    list_editable = ("min_amount", "max_amount")
    list_display_links = ("position",)
    list_filter = ("severity", "category")


@admin.register(ApprovalLimit)
class ApprovalLimitAdmin(ConfigurationEditors, admin.ModelAdmin):
    list_display = ("role", "max_amount")


class CompensationEventInline(admin.TabularInline):
    model = CompensationEvent
    extra = 0
    can_delete = False
    readonly_fields = ("kind", "actor", "at", "data")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Proposal)
class ProposalAdmin(ReadOnlyAdmin):
    list_display = ("complaint", "amount", "status", "needs_approval_by", "proposed_by", "created_at")
    list_filter = ("status", "needs_approval_by")
    inlines = [CompensationEventInline]
