"""Admin of the response templates for the management layer and administrators (the same people who
keep the solution library: ``Permission.KNOWLEDGE_MANAGE``). Uses are counted by the desk, read-only."""

from __future__ import annotations

from django import forms
from django.contrib import admin

from kesu.core.admin import ConfigurationEditors
from kesu.core.clock import clock_now
from kesu.core.errors import FieldError
from kesu.core.roles import Permission
from kesu.desk.actions import template_validate
from kesu.desk.models import ResponseTemplate, SuggestionFeedback


class TemplateEditors(ConfigurationEditors):
    """Whoever may manage the solution library manages the templates."""

    def _may_edit(self, request) -> bool:
        user = request.user
        return user.is_active and (user.is_superuser or user.can(Permission.KNOWLEDGE_MANAGE))


class ResponseTemplateForm(forms.ModelForm):
    class Meta:
        model = ResponseTemplate
        fields = ("name", "language", "severity", "service_type", "body", "active")

    def clean_body(self):
        body = self.cleaned_data.get("body", "")
        try:
            template_validate(body)
        except FieldError as error:
            raise forms.ValidationError(error.message) from None
        return body


@admin.register(ResponseTemplate)
class ResponseTemplateAdmin(TemplateEditors, admin.ModelAdmin):
    form = ResponseTemplateForm
    list_display = ("name", "language", "severity", "service_type", "active", "use_count", "updated_at", "updated_by")
    list_filter = ("language", "severity", "service_type", "active")
    search_fields = ("name", "body")
    readonly_fields = ("use_count", "updated_at", "updated_by")

    def save_model(self, request, obj, form, change):
        obj.updated_at = clock_now()
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(SuggestionFeedback)
class SuggestionFeedbackAdmin(TemplateEditors, admin.ModelAdmin):
    list_display = ("at", "complaint", "kind", "article", "similar", "verdict", "by")
    list_filter = ("kind", "verdict")
    list_select_related = ("complaint", "article", "similar", "by")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False
