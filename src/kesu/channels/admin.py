"""Admin of the e-mail channel: the management layer and administrators edit mailboxes (through the
action, with its validation); messages in and out and the failed intakes are read-only."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.http import FileResponse, Http404
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from kesu.channels.actions import MAILBOX_EDITORS, mailbox_save, mailbox_validate
from kesu.channels.models import FailedIntake, InboundMessage, Mailbox, OutboundMessage, Outcome
from kesu.core.admin import ConfigurationEditors
from kesu.core.clock import clock_now
from kesu.core.errors import FieldError

SETTINGS = ("name", "address", "host", "port", "security", "ca_file", "username", "password_env", "folder",
            "max_message_bytes")


class EditorsOnly(ConfigurationEditors):
    editor_roles = MAILBOX_EDITORS


class ReadOnlyForEditors(EditorsOnly):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class MailboxForm(forms.ModelForm):
    class Meta:
        model = Mailbox
        fields = (*SETTINGS, "group", "enabled")

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        try:
            data.update(mailbox_validate(**{name: data.get(name) for name in SETTINGS}))
        except FieldError as error:
            for name, message in error.errors:
                self.add_error(name if name in self.fields else None, message)
        return data


@admin.register(Mailbox)
class MailboxAdmin(EditorsOnly, admin.ModelAdmin):
    form = MailboxForm
    list_display = ("name", "address", "host", "username", "folder", "group", "enabled", "last_polled_at",
                    "last_error")
    list_filter = ("enabled",)
    readonly_fields = ("uid_validity", "last_uid", "last_polled_at", "last_error", "last_error_at", "updated_at",
                       "updated_by")
    actions = None

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        saved = mailbox_save(
            mailbox=Mailbox.objects.get(pk=obj.pk) if change else None, by=request.user, now=clock_now(),
            group=data.get("group"), enabled=data.get("enabled", True), **{name: data[name] for name in SETTINGS},
        )
        obj.pk = saved.pk
        obj.refresh_from_db()


def _raw_link(inbound: InboundMessage) -> str:
    if not inbound.raw:
        return "—"
    url = reverse("admin:channels_failedintake_raw", args=[inbound.pk])
    return format_html('<a href="{}">{}</a>', url, inbound.raw.name)


class InboundAdminBase(ReadOnlyForEditors, admin.ModelAdmin):
    list_select_related = ("mailbox", "complaint")
    search_fields = ("message_id", "from_address", "subject")
    date_hierarchy = "received_at"
    raw_id_fields = ("complaint",)
    readonly_fields = ("raw_message",)

    @admin.display(description=_("raw message"))
    def raw_message(self, obj):
        return _raw_link(obj)


@admin.register(InboundMessage)
class InboundMessageAdmin(InboundAdminBase):
    list_display = ("received_at", "mailbox", "from_address", "subject", "outcome", "complaint", "reason")
    list_filter = ("outcome", "mailbox")


@admin.register(FailedIntake)
class FailedIntakeAdmin(InboundAdminBase):
    """Messages that could not be taken in: the reason, and the raw message to download."""

    list_display = ("received_at", "mailbox", "uid", "from_address", "subject", "reason", "raw_message")
    list_filter = ("mailbox",)

    def get_queryset(self, request):
        return super().get_queryset(request).filter(outcome=Outcome.FAILED)

    def get_urls(self):
        raw = path("<int:pk>/raw/", self.admin_site.admin_view(self.raw_view), name="channels_failedintake_raw")
        return [raw, *super().get_urls()]

    def raw_view(self, request, pk: int):
        inbound = InboundMessage.objects.filter(pk=pk).first()
        if not self._may_edit(request) or inbound is None or not inbound.raw:
            raise Http404("no kept message")
        return FileResponse(inbound.raw.open("rb"), as_attachment=True, content_type="message/rfc822",
                            filename=f"failed-intake-{inbound.pk}.eml")


@admin.register(OutboundMessage)
class OutboundMessageAdmin(ReadOnlyForEditors, admin.ModelAdmin):
    list_display = ("created_at", "complaint", "to", "subject", "state", "attempts", "sent_at", "last_error")
    list_filter = ("state",)
    list_select_related = ("complaint",)
    search_fields = ("message_id", "to", "subject")
    raw_id_fields = ("complaint",)
