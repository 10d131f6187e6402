"""Template filters of the web UI: role checks, the labels of stored codes, triage events in words."""

from __future__ import annotations

from django import template

from kesu.complaints.models import Channel
from kesu.web import triage_text
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
def red_kind_label(kind: str) -> str:
    return triage_text.red_kind_label(kind)


@register.simple_tag
def triaged_summary(data, categories) -> str:
    """``{% triaged_summary event.data categories %}``: one line of what triage found."""
    return triage_text.triaged_summary(data or {}, categories or {})


@register.simple_tag
def correction_lines(data, categories) -> list[str]:
    """``{% correction_lines event.data categories as lines %}``: what a correction changed."""
    return triage_text.correction_lines(data or {}, categories or {})
