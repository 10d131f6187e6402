"""Template filters of the web UI: role checks, the labels of stored codes, triage events in words."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext, gettext_noop

from kesu.complaints.models import Channel, RootCause, Status
from kesu.triage import panel as triage_panel

register = template.Library()


@register.filter
def can(user, permission: str) -> bool:
    """``{% if user|can:"complaint.create" %}``"""
    return bool(getattr(user, "is_authenticated", False) and user.can(permission))


@register.filter
def status_label(value: str) -> str:
    try:
        return str(Status(value).label)
    except ValueError:
        return value or ""


@register.filter
def channel_label(value: str) -> str:
    try:
        return str(Channel(value).label)
    except ValueError:
        return value or ""


@register.filter
def root_cause_label(value: str) -> str:
    try:
        return str(RootCause(value).label)
    except ValueError:
        return value or ""


@register.filter
def red_kind_label(kind: str) -> str:
    return triage_panel.red_kind_label(kind)


@register.simple_tag
def triaged_summary(data, categories) -> str:
    """``{% triaged_summary event.data categories %}``: one line of what triage found."""
    return triage_panel.triaged_summary(data or {}, categories or {})


@register.simple_tag
def correction_lines(data, categories) -> list[str]:
    """``{% correction_lines event.data categories as lines %}``: what a correction changed."""
    return triage_panel.correction_lines(data or {}, categories or {})


@register.filter
def clock_label(value: str) -> str:
    from kesu.sla.notices import CLOCK_NAMES

    return gettext(CLOCK_NAMES.get(value, value))


@register.filter
def clock_list(items) -> str:
    """"First response, Resolution" from an SLA event's ``clocks`` (dicts or names)."""
    names = [item["clock"] if isinstance(item, dict) else item for item in items or ()]
    return ", ".join(clock_label(name) for name in names)


ROUTING_OUTCOMES = {
    "assigned": gettext_noop("assigned"),
    "no_handlers": gettext_noop("the group has no active handlers"),
    "no_senior_free": gettext_noop("no senior handler is free: waits in the group queue"),
    "no_handler_free": gettext_noop("no handler is online with free capacity: waits in the group queue"),
    "manual": gettext_noop("the group assigns by hand: waits in its queue"),
    "no_group": gettext_noop("no group: waits for someone to place it"),
    "error": gettext_noop("routing failed; the complaint stays where it was"),
}
STRATEGIES = {
    "round_robin": gettext_noop("round robin"),
    "least_load": gettext_noop("least load"),
    "skill_match": gettext_noop("skill match"),
    "senior": gettext_noop("senior handler"),
}


@register.filter
def routing_outcome(code: str) -> str:
    return gettext(ROUTING_OUTCOMES.get(code, code))


@register.filter
def strategy_label(code: str) -> str:
    return gettext(STRATEGIES.get(code, code))


@register.filter
def contact_channel_label(code: str) -> str:
    from kesu.web.forms import CONTACT_CHANNEL_LABELS

    return str(CONTACT_CHANNEL_LABELS.get(code, code))


@register.filter
def follow_up_label(code: str) -> str:
    from kesu.web.forms import FOLLOW_UP_LABELS

    return str(FOLLOW_UP_LABELS.get(code, code))


@register.filter
def rule_name(ref) -> str:
    """A routing rule named in an event (``{"id", "name", "name_en"}``), in the reader's language. An
    event stored before rules had English names reads the rule's current names."""
    from kesu.core.messages import localized
    from kesu.routing.models import RoutingRule

    if not isinstance(ref, dict):
        return str(ref or "")
    name, name_en = ref.get("name", ""), ref.get("name_en")
    if name_en is None and ref.get("id"):
        row = RoutingRule.objects.filter(pk=ref["id"]).values_list("name", "name_en").first()
        if row is not None and row[1]:
            name, name_en = row
    return localized(name, name_en or "")


@register.filter
def sla_policy_title(data) -> str:
    """The SLA policy an ``sla_applied`` event names: its title in the reader's language (stored with
    the event), else its name."""
    from kesu.core.messages import localized

    if not isinstance(data, dict):
        return str(data or "")
    return localized(data.get("title") or "", data.get("title_en") or "") or str(data.get("policy") or "")


@register.filter
def message(value) -> str:
    """A stored message (``{"code", "params"}``) in the reader's language; text stored before message
    ids is shown as it is."""
    from kesu.core.messages import message_render

    if isinstance(value, dict) and "code" in value:
        return message_render(str(value["code"]), value.get("params") or {})
    return str(value or "")


@register.simple_tag(takes_context=True)
def app_nav(context) -> str:
    """The main menu's entries that other apps bring: an app whose AppConfig has ``nav_template``
    (a template of ``<a>`` links, each guarded by its own role check) is rendered here, in the
    order of INSTALLED_APPS. Keeps base.html free of every app's menu."""
    from django.apps import apps
    from django.template.loader import get_template
    from django.utils.safestring import mark_safe

    parts = []
    for config in apps.get_app_configs():
        name = getattr(config, "nav_template", None)
        if name:
            parts.append(get_template(name).render(context.flatten(), context.get("request")))
    return mark_safe("".join(parts))


@register.simple_tag
def customer_brand() -> str:
    """The one name customers see (portal, survey): ``KESU_CUSTOMER_BRAND``, else "Customer service"
    in the reader's language."""
    from kesu.web.brand import brand_name

    return brand_name()


@register.filter
def awaiting_acceptance(complaint) -> bool:
    """A transferred complaint its receiving group has not accepted yet (from the stored clocks)."""
    from kesu.complaints.lifecycle import transfer_awaiting

    return transfer_awaiting(getattr(complaint, "sla", None))
