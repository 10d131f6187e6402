"""Template filters of the web UI: role checks, the labels of stored codes, triage events in words."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext, gettext_noop

from kesu.complaints.models import Channel, RootCause
from kesu.triage import panel as triage_panel
from kesu.web.domain_text import status_label as _status_label

register = template.Library()


@register.filter
def can(user, permission: str) -> bool:
    """``{% if user|can:"complaint.create" %}``"""
    return bool(getattr(user, "is_authenticated", False) and user.can(permission))


@register.filter
def status_label(value: str) -> str:
    return _status_label(value or "")


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
