"""Template filters of the call pages."""

from __future__ import annotations

from django import template

from kesu.calls.models import duration_format

register = template.Library()


@register.filter
def call_duration(seconds) -> str:
    """``{{ 205|call_duration }}`` → ``3:25``"""
    try:
        return duration_format(int(seconds or 0))
    except (TypeError, ValueError):
        return ""
