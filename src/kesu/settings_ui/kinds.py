"""The nine kinds of setting the settings area edits, each tied to its owning app's action.

A kind says which rows it lists, which form edits them, which action saves / deletes them (the
owning app's, so the validation and its messages are the API's and the admin's), and which fields a
change records. Secrets (the names of the variables holding a mailbox password or a webhook secret)
are recorded only as "changed", never with their value."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from kesu.channels.actions import mailbox_connection_editor, mailbox_save
from kesu.channels.models import Mailbox, WebhookSource
from kesu.channels.webhooks_in import source_save
from kesu.core.models import User
from kesu.desk.models import ResponseTemplate
from kesu.desk.template_actions import response_template_delete, response_template_save
from kesu.routing.actions import rule_create, rule_delete, rule_update
from kesu.routing.models import RoutingRule
from kesu.settings_ui import forms as setting_forms
from kesu.sla.actions import calendar_save
from kesu.sla.models import Calendar, SlaPolicy
from kesu.sla.policy_actions import policy_delete, policy_save
from kesu.surveys.actions import survey_settings
from kesu.surveys.models import SurveySettings
from kesu.surveys.settings_actions import survey_settings_save
from kesu.triage.config_actions import keyword_delete, keyword_save, priority_rule_delete, priority_rule_save
from kesu.triage.models import Keyword, PriorityRule

Save = Callable[[Any, dict[str, Any], User | None, datetime], models.Model]
Delete = Callable[[Any, User | None, datetime], None]


@dataclass(frozen=True)
class Column:
    title: Any
    value: Callable[[Any], Any]
    data: bool = True  # what people typed (shown as is), not the interface's wording


@dataclass(frozen=True)
class Kind:
    slug: str
    title: Any  # plural, shown as the list's heading and in the menu of the area
    singular: Any
    description: Any
    model: type[models.Model]
    form: type[setting_forms.SettingForm]
    fields: tuple[str, ...]  # what a change records
    columns: tuple[Column, ...]
    save: Save
    name_of: Callable[[Any], str]
    delete: Delete | None = None
    secrets: tuple[str, ...] = ()
    singleton: bool = False
    order: tuple[str, ...] = ()
    related: tuple[str, ...] = field(default=())
    prefetch: tuple[str, ...] = field(default=())
    may_create: Callable[[Any], bool] = lambda user: True  # noqa: E731  (who may add a row)
    extra: Callable[[Any], dict[str, Any]] | None = None  # recorded values that are not the row's own fields

    def rows(self):
        rows = self.model.objects.all()
        if self.related:
            rows = rows.select_related(*self.related)
        if self.prefetch:
            rows = rows.prefetch_related(*self.prefetch)
        return rows.order_by(*self.order) if self.order else rows

    def snapshot(self, row: Any) -> dict[str, Any]:
        """The recorded fields of ``row`` (related rows by their name; secrets as a short digest)."""
        data: dict[str, Any] = {}
        for name in self.fields:
            value = getattr(row, name)
            if isinstance(value, models.Model):
                value = getattr(value, "code", None) or getattr(value, "name", None) or str(value)
            if name in self.secrets:
                value = "•" * 6 + hashlib.sha256(str(value).encode()).hexdigest()[:6] if value else ""
            data[name] = value
        if self.extra is not None:
            data.update(self.extra(row))
        return data


def _yes(value: bool) -> Any:
    return _("yes") if value else _("no")


def _calendar_save(row: Calendar | None, values: dict[str, Any], by: User | None, now: datetime) -> Calendar:
    target = Calendar() if row is None else row
    for name, value in values.items():
        setattr(target, name, value)
    return calendar_save(calendar=target, now=now)


def _calendar_delete(row: Calendar, by: User | None, now: datetime) -> None:
    from django.db.models import ProtectedError

    from kesu.core.errors import DomainError

    if row.is_default:
        raise DomainError("settings.default_calendar")
    try:
        row.delete()
    except ProtectedError as error:
        raise DomainError("settings.in_use") from error


def _rule_save(
    row: RoutingRule | None, values: dict[str, Any], by: User | None, now: datetime
) -> RoutingRule:
    if row is None:
        return rule_create(by=by, now=now, **values)
    return rule_update(rule=row, by=by, now=now, **values)


def _survey_save(row: SurveySettings | None, values: dict[str, Any], by: User | None, now: datetime):
    return survey_settings_save(by=by, now=now, **values)


def _keyword_words(row: Keyword) -> str:
    words = row.words or []
    return "、".join(words[:6]) + ("…" if len(words) > 6 else "")


def _any(value: Any) -> Any:
    return value or _("any")


KINDS: dict[str, Kind] = {
    kind.slug: kind
    for kind in (
        Kind(
            slug="calendars",
            title=_("Working calendars"),
            singular=_("working calendar"),
            description=_("Working hours, holidays and make-up working days that time limits count in."),
            model=Calendar,
            form=setting_forms.CalendarForm,
            fields=("name", "title", "time_zone", "week", "makeup_periods", "country", "is_default"),
            columns=(
                Column(_("name"), lambda r: r.name),
                Column(_("title"), lambda r: r.title),
                Column(_("time zone"), lambda r: r.time_zone),
                Column(_("default calendar"), lambda r: _yes(r.is_default), data=False),
                Column(_("covered years"), lambda r: ", ".join(str(y.year) for y in r.years.all())),
            ),
            save=_calendar_save,
            delete=_calendar_delete,
            name_of=lambda r: r.name,
            order=("name",),
            prefetch=("years",),
            extra=lambda r: {
                "years": [f"{y.year}{'*' if y.estimated else ''}" for y in r.years.order_by("year")]
            },
        ),
        Kind(
            slug="sla-policies",
            title=_("SLA policies"),
            singular=_("SLA policy"),
            description=_(
                "Time limits chosen by priority, category, channel, red channel and tier; the first "
                "matching policy applies."
            ),
            model=SlaPolicy,
            form=setting_forms.PolicyForm,
            fields=(
                "name",
                "title",
                "title_en",
                "position",
                "enabled",
                "conditions",
                "targets",
                "levels",
                "warn_percent",
                "specialist_after_minutes",
                "remind_every_minutes",
                "calendar",
            ),
            columns=(
                Column(_("position"), lambda r: r.position),
                Column(_("name"), lambda r: r.name),
                Column(_("title"), lambda r: r.display_title),
                Column(_("enabled"), lambda r: _yes(r.enabled), data=False),
            ),
            save=lambda row, values, by, now: policy_save(policy=row, by=by, now=now, **values),
            delete=lambda row, by, now: policy_delete(policy=row, by=by, now=now),
            name_of=lambda r: r.name,
            order=("position", "id"),
            related=("calendar",),
        ),
        Kind(
            slug="routing-rules",
            title=_("Routing rules"),
            singular=_("routing rule"),
            description=_(
                "Which group a new complaint goes to, with which priority and assignment strategy; the "
                "first enabled matching rule wins."
            ),
            model=RoutingRule,
            form=setting_forms.RoutingRuleForm,
            fields=("name", "name_en", "position", "enabled", "conditions", "actions"),
            columns=(
                Column(_("position"), lambda r: r.position),
                Column(_("name"), lambda r: r.display_name),
                Column(_("enabled"), lambda r: _yes(r.enabled), data=False),
                Column(_("group"), lambda r: (r.actions or {}).get("group", "")),
            ),
            save=_rule_save,
            delete=lambda row, by, now: rule_delete(rule=row, by=by, now=now),
            name_of=lambda r: r.name,
            order=("position", "id"),
        ),
        Kind(
            slug="templates",
            title=_("Reply templates"),
            singular=_("response template"),
            description=_(
                "Reply texts by severity × service type × language, with variables the desk fills."
            ),
            model=ResponseTemplate,
            form=setting_forms.TemplateForm,
            fields=("name", "name_en", "language", "severity", "service_type", "body", "active"),
            columns=(
                Column(_("name"), lambda r: r.display_name),
                Column(_("language"), lambda r: r.get_language_display()),
                Column(_("severity"), lambda r: _any(r.get_severity_display()), data=False),
                Column(_("service type"), lambda r: _any(r.get_service_type_display()), data=False),
                Column(_("active"), lambda r: _yes(r.active), data=False),
                Column(_("times used"), lambda r: r.use_count),
            ),
            save=lambda row, values, by, now: response_template_save(template=row, by=by, now=now, **values),
            delete=lambda row, by, now: response_template_delete(template=row, by=by, now=now),
            name_of=lambda r: r.name,
        ),
        Kind(
            slug="keywords",
            title=_("Triage keywords"),
            singular=_("keyword"),
            description=_("Tags raised by words in a complaint's text, optionally pointing to a category."),
            model=Keyword,
            form=setting_forms.KeywordForm,
            fields=("tag", "words", "category", "is_active"),
            columns=(
                Column(_("tag"), lambda r: r.tag),
                Column(_("words"), _keyword_words),
                Column(_("category"), lambda r: r.category or "", data=False),
                Column(_("active"), lambda r: _yes(r.is_active), data=False),
            ),
            save=lambda row, values, by, now: keyword_save(keyword=row, by=by, now=now, **values),
            delete=lambda row, by, now: keyword_delete(keyword=row, by=by, now=now),
            name_of=lambda r: r.tag,
            order=("tag",),
            related=("category",),
        ),
        Kind(
            slug="priority-matrix",
            title=_("Priority matrix"),
            singular=_("priority matrix rule"),
            description=_(
                "Category × customer tier × severity → priority; blank means any, the most specific row wins."
            ),
            model=PriorityRule,
            form=setting_forms.PriorityRuleForm,
            fields=("category", "tier", "severity", "priority"),
            columns=(
                Column(_("category"), lambda r: r.category or _("any"), data=False),
                Column(_("tier"), lambda r: _any(r.get_tier_display()), data=False),
                Column(_("severity"), lambda r: _any(r.get_severity_display()), data=False),
                Column(_("priority"), lambda r: r.priority),
            ),
            save=lambda row, values, by, now: priority_rule_save(rule=row, by=by, now=now, **values),
            delete=lambda row, by, now: priority_rule_delete(rule=row, by=by, now=now),
            name_of=lambda r: (
                f"{r.category.code if r.category else '*'} × {r.tier or '*'} × {r.severity or '*'}"
            ),
            order=("category__code", "tier", "severity"),
            related=("category",),
        ),
        Kind(
            slug="surveys",
            title=_("Survey settings"),
            singular=_("survey settings"),
            description=_(
                "When a survey answer reopens a complaint, reminders, follow-up sampling, the public address."
            ),
            model=SurveySettings,
            form=setting_forms.SurveySettingsForm,
            fields=("reopen_at_or_below", "reminder_after_hours", "follow_up_sample_percent", "public_url"),
            columns=(),
            save=_survey_save,
            name_of=lambda r: "survey",
            singleton=True,
        ),
        Kind(
            slug="mailboxes",
            title=_("Mailboxes"),
            singular=_("mailbox"),
            description=_("IMAP mailboxes whose e-mails become complaints or replies."),
            model=Mailbox,
            form=setting_forms.MailboxForm,
            fields=(
                "name",
                "address",
                "host",
                "port",
                "security",
                "username",
                "password_env",
                "ca_file",
                "folder",
                "group",
                "enabled",
            ),
            columns=(
                Column(_("name"), lambda r: r.name),
                Column(_("address"), lambda r: r.address),
                Column(_("group"), lambda r: r.group or ""),
                Column(_("enabled"), lambda r: _yes(r.enabled), data=False),
            ),
            save=lambda row, values, by, now: mailbox_save(mailbox=row, by=by, now=now, **values),
            name_of=lambda r: r.name,
            secrets=("password_env",),
            may_create=mailbox_connection_editor,
            order=("name",),
            related=("group",),
        ),
        Kind(
            slug="webhook-sources",
            title=_("Webhook sources"),
            singular=_("webhook source"),
            description=_("Chat, social-media and SMS gateways that post customers' messages, signed."),
            model=WebhookSource,
            form=setting_forms.WebhookSourceForm,
            fields=("name", "channel", "secret_env", "group", "enabled"),
            columns=(
                Column(_("name"), lambda r: r.name),
                Column(_("channel"), lambda r: r.get_channel_display(), data=False),
                Column(_("group"), lambda r: r.group or ""),
                Column(_("enabled"), lambda r: _yes(r.enabled), data=False),
            ),
            save=lambda row, values, by, now: source_save(source=row, by=by, now=now, **values),
            name_of=lambda r: r.name,
            secrets=("secret_env",),
            order=("name",),
            related=("group",),
        ),
    )
}


def kind_get(slug: str) -> Kind | None:
    return KINDS.get(slug)


def singleton_row(kind: Kind) -> models.Model:
    """The one row of a singleton kind (created with its defaults the first time)."""
    return survey_settings()
