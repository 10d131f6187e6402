"""Template filters of the web UI: role checks and the labels of stored codes."""

from __future__ import annotations

from django import template

from kesu.complaints.models import Channel
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
