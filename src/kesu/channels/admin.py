"""Admin of the channels: the management layer and administrators edit mailboxes, webhook sources and
subscribers (through the actions, with their validation); messages in and out, the failed intakes and
the webhook deliveries (the delivery log) are read-only."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.http import FileResponse, Http404
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from kesu.channels.mailboxes import (
    MAILBOX_ADMIN_FIELDS,
    MAILBOX_EDITORS,
    mailbox_connection_editor,
    mailbox_save,
    mailbox_validate,
)
from kesu.channels.models import (
    FailedIntake,
    InboundMessage,
    Mailbox,
    OutboundMessage,
    Outcome,
    WebhookDelivery,
    WebhookEvent,
    WebhookMessage,
    WebhookSource,
    WebhookSubscriber,
)
from kesu.channels.webhooks_in import source_save, source_validate
from kesu.channels.webhooks_out import subscriber_save, subscriber_validate
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
            # a field shown read-only (to a manager) keeps the mailbox's value
            data.update(mailbox_validate(**{name: data.get(name, getattr(self.instance, name)) for name in SETTINGS}))
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

    def has_add_permission(self, request):
        # a new mailbox names a server and a password: administrators only
        return super().has_add_permission(request) and mailbox_connection_editor(request.user)

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        if not mailbox_connection_editor(request.user):  # managers: enable, group and folder only
            fields = (*fields, *MAILBOX_ADMIN_FIELDS)
        return fields

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
    list_display = ("created_at", "complaint", "channel", "to", "subject", "state", "attempts", "sent_at", "last_error")
    list_filter = ("channel", "state")
    list_select_related = ("complaint",)
    search_fields = ("message_id", "to", "subject")
    raw_id_fields = ("complaint",)


# webhooks


class WebhookSourceForm(forms.ModelForm):
    class Meta:
        model = WebhookSource
        fields = ("name", "channel", "secret_env", "group", "enabled")

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        try:
            data.update(source_validate(name=data.get("name"), channel=data.get("channel"),
                                        secret_env=data.get("secret_env")))
        except FieldError as error:
            for name, message in error.errors:
                self.add_error(name if name in self.fields else None, message)
        return data


@admin.register(WebhookSource)
class WebhookSourceAdmin(EditorsOnly, admin.ModelAdmin):
    form = WebhookSourceForm
    list_display = ("name", "channel", "secret_env", "group", "enabled", "updated_at")
    list_filter = ("channel", "enabled")
    readonly_fields = ("endpoint", "updated_at", "updated_by")
    actions = None

    @admin.display(description=_("address to post to"))
    def endpoint(self, obj):
        return f"/api/v1/channels/webhooks/{obj.name}" if obj and obj.name else "—"

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        saved = source_save(
            source=WebhookSource.objects.get(pk=obj.pk) if change else None, by=request.user, now=clock_now(),
            name=data["name"], channel=data["channel"], secret_env=data["secret_env"], group=data.get("group"),
            enabled=data.get("enabled", True),
        )
        obj.pk = saved.pk
        obj.refresh_from_db()


@admin.register(WebhookMessage)
class WebhookMessageAdmin(ReadOnlyForEditors, admin.ModelAdmin):
    list_display = ("received_at", "source", "message_id", "thread_id", "outcome", "complaint")
    list_filter = ("outcome", "source")
    list_select_related = ("source", "complaint")
    search_fields = ("message_id", "thread_id")
    raw_id_fields = ("complaint",)


class WebhookSubscriberForm(forms.ModelForm):
    url = forms.URLField(label=_("address"), max_length=500, assume_scheme="https")
    events = forms.MultipleChoiceField(label=_("events"), choices=WebhookEvent.choices,
                                       widget=forms.CheckboxSelectMultiple)

    class Meta:
        model = WebhookSubscriber
        fields = ("name", "url", "secret_env", "events", "enabled")

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        try:
            data.update(subscriber_validate(name=data.get("name"), url=data.get("url"),
                                            secret_env=data.get("secret_env"), events=data.get("events") or ()))
        except FieldError as error:
            for name, message in error.errors:
                self.add_error(name if name in self.fields else None, message)
        return data


class DeliveryInline(ReadOnlyForEditors, admin.TabularInline):
    """The subscriber's latest deliveries, on its page (the full log: the deliveries' own list)."""
    model = WebhookDelivery
    fields = ("created_at", "event_type", "complaint", "state", "attempts", "last_status_code", "last_error",
              "sent_at")
    readonly_fields = fields
    ordering = ("-created_at", "-id")
    extra = 0
    max_num = 0
    can_delete = False
    show_change_link = True

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("complaint")


@admin.register(WebhookSubscriber)
class WebhookSubscriberAdmin(EditorsOnly, admin.ModelAdmin):
    form = WebhookSubscriberForm
    list_display = ("name", "url", "events", "enabled", "updated_at")
    list_filter = ("enabled",)
    readonly_fields = ("created_at", "updated_at", "updated_by")
    actions = None
    inlines = (DeliveryInline,)

    def get_inlines(self, request, obj):
        return self.inlines if obj is not None else ()

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        saved, secret = subscriber_save(
            subscriber=WebhookSubscriber.objects.get(pk=obj.pk) if change else None, by=request.user,
            now=clock_now(), name=data["name"], url=data["url"], secret_env=data.get("secret_env", ""),
            events=data.get("events") or (), enabled=data.get("enabled", True),
        )
        obj.pk = saved.pk
        obj.refresh_from_db()
        if secret:  # shown this once: kesu never shows it again
            messages.warning(request, _("The signing secret of %(name)s is %(secret)s — copy it now, it is not "
                                        "shown again.") % {"name": saved.name, "secret": secret})


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(ReadOnlyForEditors, admin.ModelAdmin):
    list_display = ("created_at", "subscriber", "event_type", "complaint", "state", "attempts", "last_status_code",
                    "next_attempt_at", "sent_at", "last_error")
    list_filter = ("state", "event_type", "subscriber")
    list_select_related = ("subscriber", "complaint")
    search_fields = ("uuid",)
    raw_id_fields = ("complaint",)
    date_hierarchy = "created_at"
