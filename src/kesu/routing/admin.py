"""Admin for routing rules and group routing: the same validation and history as the API, through the actions."""

from __future__ import annotations

from django import forms
from django.contrib import admin

from kesu.core.admin import ReadOnlyAdmin
from kesu.core.clock import clock_now
from kesu.core.errors import FieldError
from kesu.core.roles import Permission
from kesu.routing.actions import (
    group_routing_remove,
    group_routing_set,
    rule_create,
    rule_delete,
    rule_update,
    rule_validate,
)
from kesu.routing.models import ComplaintFollower, GroupRouting, RoutingChange, RoutingRule


def _form_field(name: str, form: forms.ModelForm) -> str | None:
    """The form field a rule error belongs to (``conditions[1].op`` → ``conditions``)."""
    head = name.split(".")[0].split("[")[0]
    return head if head in form.fields else None


class RoutingRuleForm(forms.ModelForm):
    class Meta:
        model = RoutingRule
        fields = ("name", "name_en", "position", "enabled", "conditions", "actions")

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        try:
            data.update(rule_validate(
                name=data.get("name"), name_en=data.get("name_en") or "", position=data.get("position"),
                enabled=data.get("enabled"),
                conditions=data.get("conditions"), actions=data.get("actions"),
            ))
        except FieldError as error:
            for name, message in error.errors:
                self.add_error(_form_field(name, self), f"{name}: {message}")
        return data


def _may_manage(request) -> bool:
    """The management layer and administrators (the API's ``routing.manage``)."""
    user = request.user
    return user.is_active and (user.is_superuser or (hasattr(user, "can") and user.can(Permission.ROUTING_MANAGE)))


class _ManagersSee:
    def has_module_permission(self, request):
        return _may_manage(request)

    def has_view_permission(self, request, obj=None):
        return _may_manage(request)


class _ThroughActions(_ManagersSee, admin.ModelAdmin):
    actions = None  # no bulk delete around the actions

    def has_add_permission(self, request):
        return _may_manage(request)

    def has_change_permission(self, request, obj=None):
        return _may_manage(request)

    def has_delete_permission(self, request, obj=None):
        return _may_manage(request) and obj is not None


@admin.register(RoutingRule)
class RoutingRuleAdmin(_ThroughActions):
    form = RoutingRuleForm
    list_display = ("position", "name", "name_en", "enabled", "updated_at", "updated_by")
    list_display_links = ("name",)
    list_filter = ("enabled",)
    ordering = ("position", "id")

    def save_model(self, request, obj, form, change):
        fields = {name: form.cleaned_data[name]
                  for name in ("name", "name_en", "position", "enabled", "conditions", "actions")}
        if change:
            saved = rule_update(rule=obj, by=request.user, now=clock_now(), **fields)
        else:
            saved = rule_create(by=request.user, now=clock_now(), **fields)
        obj.pk = saved.pk
        obj.refresh_from_db()

    def delete_model(self, request, obj):
        rule_delete(rule=obj, by=request.user, now=clock_now())


class GroupRoutingForm(forms.ModelForm):
    class Meta:
        model = GroupRouting
        fields = ("group", "strategy", "auto_assign", "is_default")


@admin.register(GroupRouting)
class GroupRoutingAdmin(_ThroughActions):
    form = GroupRoutingForm
    list_display = ("group", "strategy", "auto_assign", "is_default", "last_assigned", "updated_at")
    list_filter = ("strategy", "auto_assign")

    def get_readonly_fields(self, request, obj=None):
        return ("group",) if obj is not None else ()

    def save_model(self, request, obj, form, change):
        saved = group_routing_set(group=obj.group, by=request.user, now=clock_now(), strategy=obj.strategy,
                                  auto_assign=obj.auto_assign, is_default=obj.is_default)
        obj.pk = saved.pk
        obj.refresh_from_db()

    def delete_model(self, request, obj):
        group_routing_remove(group=obj.group, by=request.user, now=clock_now())


@admin.register(RoutingChange)
class RoutingChangeAdmin(_ManagersSee, ReadOnlyAdmin):
    """The versions of the routing configuration (written by the actions)."""

    list_display = ("at", "target", "name", "kind", "by")
    list_filter = ("target", "kind")


@admin.register(ComplaintFollower)
class ComplaintFollowerAdmin(_ManagersSee, ReadOnlyAdmin):
    list_display = ("complaint", "user", "reason", "added_at")
    list_select_related = ("complaint", "user")
