"""The settings area's forms: one per kind of setting. A form only turns what was typed into the
values the owning app's action takes (``values()``); the action validates them, and its
``FieldError`` is shown next to the field it names — the same message ids as the API's."""

from __future__ import annotations

import json
import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from kesu.channels.actions import mailbox_connection_editor
from kesu.channels.models import Mailbox, Security, WebhookChannel, WebhookSource
from kesu.complaints.models import Category, Priority, ServiceType, Severity
from kesu.core.errors import FieldError
from kesu.core.forms import DomainForm, time_in_range
from kesu.core.messages import Message
from kesu.core.models import Group
from kesu.core.storable import json_read
from kesu.customers.models import Tier
from kesu.desk.actions import VARIABLES
from kesu.desk.models import ResponseTemplate, TemplateLanguage
from kesu.routing.models import RoutingRule
from kesu.sla.calendar import WEEKDAYS
from kesu.sla.models import Calendar, DayKind, SlaPolicy
from kesu.surveys.models import SurveySettings
from kesu.triage.models import Keyword, PriorityRule


def label(model, field: str):
    """A model field's (translated) name: the forms reuse the models' wording."""
    return model._meta.get_field(field).verbose_name


class JSONText(forms.CharField):
    """A JSON value typed in a text area; a syntax error names the line and column."""

    widget = forms.Textarea(attrs={"rows": 5, "class": "mono", "spellcheck": "false"})

    def __init__(self, *, empty: Any = None, **kwargs: Any) -> None:
        self.empty = empty
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def prepare_value(self, value: Any) -> Any:
        if value is None or isinstance(value, str):
            return value
        return json.dumps(value, ensure_ascii=False)

    def to_python(self, value: Any) -> Any:
        text = super().to_python(value)
        if not text.strip():
            return self.empty
        try:
            return json_read(text)
        except json.JSONDecodeError as error:
            raise ValidationError(
                str(Message("settings.json", line=error.lineno, column=error.colno))
            ) from error


def _int(value: Any) -> Any:
    """A typed whole number, or the text as typed (the action names what is wrong with it)."""
    if isinstance(value, str) and re.fullmatch(r"-?[0-9]{1,12}", value.strip()):
        return int(value)
    return value if value not in ("", None) else None


class SettingForm(DomainForm):
    """Shared parts: the row being edited, write-only secrets, nested error paths named."""

    secret_fields: tuple[str, ...] = ()
    toggle: str | None = None  # the field that (de)activates a row, if the kind has one
    examples: dict[str, str] = {}  # shown as code after a field's help (not translated: it is typed as is)

    def __init__(self, *args: Any, instance: Any = None, user: Any = None, **kwargs: Any) -> None:
        self.instance = instance
        self.user = user
        super().__init__(*args, **kwargs)
        for name, example in self.examples.items():
            self.fields[name].example = example  # type: ignore[attr-defined]
        for name in self.secret_fields:
            field = self.fields[name]
            field.widget = forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"})
            if instance is not None and instance.pk is not None:
                field.required = False
                field.help_text = _("Write-only: leave empty to keep the current value.")

    @classmethod
    def initial_for(cls, obj: Any) -> dict[str, Any]:
        return {}

    def values(self) -> dict[str, Any]:
        return dict(self.cleaned_data)

    def secret(self, name: str) -> str:
        """The typed secret, or the stored one when left empty while editing."""
        typed = self.cleaned_data.get(name) or ""
        if not typed and self.instance is not None and self.instance.pk is not None:
            return getattr(self.instance, name)
        return typed

    def domain_field(self, field: str) -> str | None:
        root = re.split(r"[.\[]", field, maxsplit=1)[0]
        name = self.domain_fields.get(root, root)
        return name if name in self.fields else None

    def add_domain_error(self, error: FieldError) -> None:
        self.is_valid()
        for field_error in error.field_errors:
            name = self.domain_field(field_error.field)
            nested = field_error.field != name and ("." in field_error.field or "[" in field_error.field)
            text = f"{field_error.field}: {field_error.message}" if nested else field_error.message
            self.add_error(name, text)
            if name:
                self.fields[name].widget.attrs["aria-invalid"] = "true"


# ---- calendars ----------------------------------------------------------------------------------


def _periods_text(periods: list) -> str:
    return ", ".join(
        "-".join(pair) if isinstance(pair, list | tuple) else str(pair) for pair in periods or []
    )


def _periods_value(text: str) -> list:
    """ "09:00-12:00, 13:30-18:00" → [["09:00", "12:00"], ["13:30", "18:00"]]; a part that is not a
    pair is passed on as typed, for the calendar's validation to name it."""
    periods: list = []
    for part in re.split(r"[,，;；\s]+", text or ""):
        if part:
            periods.append(part.split("-", 1) if "-" in part else [part])
    return periods


class CalendarForm(SettingForm):
    name = forms.SlugField(label=label(Calendar, "name"), max_length=32)
    title = forms.CharField(label=label(Calendar, "title"), max_length=64)
    time_zone = forms.CharField(label=label(Calendar, "time_zone"), max_length=64, initial="Asia/Shanghai")
    country = forms.CharField(label=label(Calendar, "country"), max_length=8, required=False, initial="CN")
    makeup_periods = forms.CharField(
        label=label(Calendar, "makeup_periods"),
        required=False,
        help_text=_("e.g. 09:00-12:00, 13:30-18:00; empty: those of the first working weekday"),
    )
    is_default = forms.BooleanField(label=label(Calendar, "is_default"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for i in range(len(WEEKDAYS)):
            self.fields[f"day_{i}"] = forms.CharField(
                label=Message(f"calendar.day.{i}"),
                required=False,
                help_text=_("working periods, e.g. 09:00-12:00, 13:30-18:00; empty: a day off")
                if i == 0
                else "",
            )

    @property
    def day_fields(self) -> list:
        return [self[f"day_{i}"] for i in range(7)]

    @classmethod
    def initial_for(cls, obj: Calendar | None) -> dict[str, Any]:
        if obj is None:
            from kesu.sla.models import default_week

            return {
                "time_zone": "Asia/Shanghai",
                "country": "CN",
                **{f"day_{i}": _periods_text(p) for i, p in enumerate(default_week())},
            }
        return {
            "name": obj.name,
            "title": obj.title,
            "time_zone": obj.time_zone,
            "country": obj.country,
            "makeup_periods": _periods_text(obj.makeup_periods),
            "is_default": obj.is_default,
            **{f"day_{i}": _periods_text(p) for i, p in enumerate(obj.week or [])},
        }

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "name": data["name"],
            "title": data["title"],
            "time_zone": data["time_zone"].strip(),
            "country": (data.get("country") or "").strip().upper(),
            "makeup_periods": _periods_value(data.get("makeup_periods") or ""),
            "is_default": bool(data.get("is_default")),
            "week": [_periods_value(data.get(f"day_{i}") or "") for i in range(7)],
        }


class CalendarImportForm(forms.Form):
    """Import a year's official holidays and make-up days into a calendar (closes a coverage gap)."""

    country = forms.CharField(label=label(Calendar, "country"), max_length=8, initial="CN")
    year = forms.IntegerField(label=_("year"), min_value=1950, max_value=2100)


class CalendarDayForm(forms.Form):
    """Enter one day by hand: a holiday (off) or a make-up working day (调休)."""

    date = forms.DateField(validators=[time_in_range], label=_("date"), widget=forms.DateInput(attrs={"type": "date"}))
    kind = forms.ChoiceField(label=_("kind"), choices=DayKind.choices)
    name = forms.CharField(label=_("name"), max_length=64, required=False)


# ---- SLA policies -------------------------------------------------------------------------------


class PolicyForm(SettingForm):
    examples = {
        "conditions": '{"priority": ["P1", "P2"], "red_channel": true}',
        "targets": '{"resolution": {"minutes": 2250}, "first_response": {"minutes": 30, "around_the_clock": true}}',
        "levels": '[{"level": 1, "after_minutes": 0, "notify": "handler"}]',
    }
    name = forms.CharField(label=label(SlaPolicy, "name"), max_length=48)
    title = forms.CharField(label=label(SlaPolicy, "title"), max_length=100, required=False)
    title_en = forms.CharField(label=label(SlaPolicy, "title_en"), max_length=100, required=False)
    position = forms.CharField(label=label(SlaPolicy, "position"), initial="100")
    enabled = forms.BooleanField(label=label(SlaPolicy, "enabled"), required=False, initial=True)
    conditions = JSONText(
        label=label(SlaPolicy, "conditions"),
        empty={},
        help_text=_("all must hold; empty: every complaint"),
    )
    targets = JSONText(
        label=label(SlaPolicy, "targets"),
        empty={},
        help_text=_("the time limit per clock, in working minutes unless around the clock"),
    )
    levels = JSONText(
        label=label(SlaPolicy, "levels"),
        empty=[],
        help_text=_("who is told at each level, in minutes past a breach"),
    )
    warn_percent = forms.CharField(label=label(SlaPolicy, "warn_percent"), initial="75")
    specialist_after_minutes = forms.CharField(
        label=label(SlaPolicy, "specialist_after_minutes"), required=False
    )
    remind_every_minutes = forms.CharField(label=label(SlaPolicy, "remind_every_minutes"), required=False)
    calendar = forms.ModelChoiceField(
        Calendar.objects.all(),
        label=_("calendar"),
        required=False,
        help_text=_("empty: the default calendar"),
    )
    toggle = "enabled"

    @classmethod
    def initial_for(cls, obj: SlaPolicy | None) -> dict[str, Any]:
        if obj is None:
            return {"position": "100", "enabled": True, "warn_percent": "75"}
        return {
            "name": obj.name,
            "title": obj.title,
            "title_en": obj.title_en,
            "position": str(obj.position),
            "enabled": obj.enabled,
            "conditions": obj.conditions,
            "targets": obj.targets,
            "levels": obj.levels,
            "warn_percent": str(obj.warn_percent),
            "specialist_after_minutes": ""
            if obj.specialist_after_minutes is None
            else obj.specialist_after_minutes,
            "remind_every_minutes": "" if obj.remind_every_minutes is None else obj.remind_every_minutes,
            "calendar": obj.calendar_id,
        }

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            **data,
            "position": _int(data["position"]),
            "warn_percent": _int(data["warn_percent"]),
            "specialist_after_minutes": _int(data.get("specialist_after_minutes")),
            "remind_every_minutes": _int(data.get("remind_every_minutes")),
        }


# ---- routing rules ------------------------------------------------------------------------------


class RoutingRuleForm(SettingForm):
    examples = {
        "conditions": '[{"field": "category", "op": "in", "value": ["billing"]}]',
        "actions": '{"group": "billing-team", "priority": "P2", "strategy": "least_load"}',
    }
    name = forms.CharField(label=label(RoutingRule, "name"), max_length=100)
    name_en = forms.CharField(label=label(RoutingRule, "name_en"), max_length=100, required=False)
    position = forms.CharField(
        label=label(RoutingRule, "position"),
        required=False,
        help_text=_("lower runs first; empty: after the last rule"),
    )
    enabled = forms.BooleanField(label=label(RoutingRule, "enabled"), required=False, initial=True)
    conditions = JSONText(
        label=label(RoutingRule, "conditions"),
        empty=[],
        help_text=_("all must hold; empty: every complaint"),
    )
    actions = JSONText(
        label=label(RoutingRule, "actions"),
        empty={},
        help_text=_("the group, priority, assignment strategy and followers the rule sets"),
    )
    toggle = "enabled"

    @classmethod
    def initial_for(cls, obj: RoutingRule | None) -> dict[str, Any]:
        if obj is None:
            return {"enabled": True}
        return {
            "name": obj.name,
            "name_en": obj.name_en,
            "position": str(obj.position),
            "enabled": obj.enabled,
            "conditions": obj.conditions,
            "actions": obj.actions,
        }

    def values(self) -> dict[str, Any]:
        return {**self.cleaned_data, "position": _int(self.cleaned_data.get("position"))}


# ---- response templates -------------------------------------------------------------------------


class TemplateForm(SettingForm):
    examples = {"body": " ".join("{" + name + "}" for name in VARIABLES)}
    name = forms.CharField(label=label(ResponseTemplate, "name"), max_length=120)
    name_en = forms.CharField(label=label(ResponseTemplate, "name_en"), max_length=120, required=False)
    language = forms.ChoiceField(label=label(ResponseTemplate, "language"), choices=TemplateLanguage.choices)
    severity = forms.ChoiceField(
        label=label(ResponseTemplate, "severity"),
        required=False,
        choices=[("", _("any"))] + list(Severity.choices),
    )
    service_type = forms.ChoiceField(
        label=label(ResponseTemplate, "service_type"),
        required=False,
        choices=[("", _("any"))] + list(ServiceType.choices),
    )
    body = forms.CharField(
        label=label(ResponseTemplate, "body"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("variables the desk fills:"),
    )
    active = forms.BooleanField(label=label(ResponseTemplate, "active"), required=False, initial=True)
    toggle = "active"

    @classmethod
    def initial_for(cls, obj: ResponseTemplate | None) -> dict[str, Any]:
        if obj is None:
            return {"active": True, "language": TemplateLanguage.ZH_HANS}
        return {
            name: getattr(obj, name)
            for name in ("name", "name_en", "language", "severity", "service_type", "body", "active")
        }


# ---- triage keywords and the priority matrix ----------------------------------------------------


class KeywordForm(SettingForm):
    tag = forms.CharField(label=label(Keyword, "tag"), max_length=32)
    words = forms.CharField(
        label=label(Keyword, "words"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("one word or phrase per line (or separated by commas)"),
    )
    category = forms.ModelChoiceField(
        Category.objects.filter(is_active=True), label=_("category"), required=False
    )
    is_active = forms.BooleanField(label=_("active"), required=False, initial=True)
    toggle = "is_active"

    @classmethod
    def initial_for(cls, obj: Keyword | None) -> dict[str, Any]:
        if obj is None:
            return {"is_active": True}
        return {
            "tag": obj.tag,
            "words": "\n".join(obj.words or []),
            "category": obj.category_id,
            "is_active": obj.is_active,
        }

    def values(self) -> dict[str, Any]:
        words = [w for w in re.split(r"[\n,，、]+", self.cleaned_data.get("words") or "") if w.strip()]
        return {**self.cleaned_data, "words": words}


class PriorityRuleForm(SettingForm):
    category = forms.ModelChoiceField(
        Category.objects.filter(is_active=True), label=_("category"), required=False, empty_label=_("any")
    )
    tier = forms.ChoiceField(
        label=label(PriorityRule, "tier"), required=False, choices=[("", _("any"))] + list(Tier.choices)
    )
    severity = forms.ChoiceField(
        label=label(PriorityRule, "severity"),
        required=False,
        choices=[("", _("any"))] + list(Severity.choices),
    )
    priority = forms.ChoiceField(label=label(PriorityRule, "priority"), choices=Priority.choices)

    @classmethod
    def initial_for(cls, obj: PriorityRule | None) -> dict[str, Any]:
        if obj is None:
            return {}
        return {
            "category": obj.category_id,
            "tier": obj.tier,
            "severity": obj.severity,
            "priority": obj.priority,
        }


# ---- surveys ------------------------------------------------------------------------------------


class SurveySettingsForm(SettingForm):
    examples = {"public_url": "https://kesu.example.com"}
    reopen_at_or_below = forms.CharField(
        label=label(SurveySettings, "reopen_at_or_below"),
        help_text=_("a satisfaction score at or below this (1–5) reopens the complaint; 0 turns it off"),
    )
    reminder_after_hours = forms.CharField(label=label(SurveySettings, "reminder_after_hours"))
    follow_up_sample_percent = forms.CharField(label=label(SurveySettings, "follow_up_sample_percent"))
    public_url = forms.CharField(
        label=label(SurveySettings, "public_url"),
        max_length=200,
        help_text=_("the start of the survey links sent to customers, for example:"),
    )

    @classmethod
    def initial_for(cls, obj: SurveySettings | None) -> dict[str, Any]:
        if obj is None:
            return {}
        return {
            "reopen_at_or_below": obj.reopen_at_or_below,
            "reminder_after_hours": obj.reminder_after_hours,
            "follow_up_sample_percent": obj.follow_up_sample_percent,
            "public_url": obj.public_url,
        }

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            **{
                name: _int(data[name])
                for name in ("reopen_at_or_below", "reminder_after_hours", "follow_up_sample_percent")
            },
            "public_url": data["public_url"],
        }


# ---- channels -----------------------------------------------------------------------------------


class MailboxForm(SettingForm):
    examples = {"password_env": "KESU_MAILBOX_SUPPORT_PASSWORD"}
    name = forms.CharField(label=label(Mailbox, "name"), max_length=48)
    address = forms.CharField(label=label(Mailbox, "address"), max_length=254, required=False)
    host = forms.CharField(label=label(Mailbox, "host"), max_length=255)
    port = forms.CharField(label=label(Mailbox, "port"), initial="993")
    security = forms.ChoiceField(label=label(Mailbox, "security"), choices=Security.choices)
    username = forms.CharField(label=label(Mailbox, "username"), max_length=255)
    password_env = forms.CharField(
        label=label(Mailbox, "password_env"),
        max_length=64,
        help_text=_("the environment variable holding the password, for example:"),
    )
    ca_file = forms.CharField(label=label(Mailbox, "ca_file"), max_length=255, required=False)
    folder = forms.CharField(label=label(Mailbox, "folder"), max_length=255, initial="INBOX")
    group = forms.ModelChoiceField(Group.objects.all(), label=_("group"), required=False)
    enabled = forms.BooleanField(label=label(Mailbox, "enabled"), required=False, initial=True)
    secret_fields = ("password_env",)
    toggle = "enabled"
    CONNECTION = ("host", "port", "security", "username", "password_env", "ca_file")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not mailbox_connection_editor(self.user):
            # where a mailbox connects and with which password: administrators only (channels.actions)
            for name in self.CONNECTION:
                self.fields[name].disabled = True
                self.fields[name].required = False
                self.fields[name].help_text = _("Only an administrator may change this.")

    @classmethod
    def initial_for(cls, obj: Mailbox | None) -> dict[str, Any]:
        if obj is None:
            return {"port": "993", "security": Security.SSL, "folder": "INBOX", "enabled": True}
        return {
            "name": obj.name,
            "address": obj.address,
            "host": obj.host,
            "port": str(obj.port),
            "security": obj.security,
            "username": obj.username,
            "ca_file": obj.ca_file,
            "folder": obj.folder,
            "group": obj.group_id,
            "enabled": obj.enabled,
        }

    def values(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        if self.fields["host"].disabled and self.instance is not None and self.instance.pk is not None:
            data.update({name: getattr(self.instance, name) for name in self.CONNECTION})
        else:
            data["password_env"] = self.secret("password_env")
            data["port"] = _int(data.get("port"))
        return data


class WebhookSourceForm(SettingForm):
    examples = {"secret_env": "KESU_WEBHOOK_WECHAT_SECRET"}
    name = forms.CharField(label=label(WebhookSource, "name"), max_length=48)
    channel = forms.ChoiceField(label=label(WebhookSource, "channel"), choices=WebhookChannel.choices)
    secret_env = forms.CharField(
        label=label(WebhookSource, "secret_env"),
        max_length=64,
        help_text=_("the environment variable holding the signing secret, for example:"),
    )
    group = forms.ModelChoiceField(Group.objects.all(), label=_("group"), required=False)
    enabled = forms.BooleanField(label=label(WebhookSource, "enabled"), required=False, initial=True)
    secret_fields = ("secret_env",)
    toggle = "enabled"

    @classmethod
    def initial_for(cls, obj: WebhookSource | None) -> dict[str, Any]:
        if obj is None:
            return {"enabled": True}
        return {"name": obj.name, "channel": obj.channel, "group": obj.group_id, "enabled": obj.enabled}

    def values(self) -> dict[str, Any]:
        return {**self.cleaned_data, "secret_env": self.secret("secret_env")}
