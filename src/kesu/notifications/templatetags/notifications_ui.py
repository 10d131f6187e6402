"""The bell in the header of every page, and the labels of notification kinds."""

from __future__ import annotations

from django import template

from kesu.notifications.kinds import kind_label
from kesu.notifications.selectors import unread_count

register = template.Library()

BELL_MAX = 99


@register.inclusion_tag("notifications/_bell.html", takes_context=True)
def notification_bell(context, oob: bool = False) -> dict:
    """``{% notification_bell %}``: the bell with the signed-in user's unread count (one query)."""
    user = context["user"]
    count = unread_count(user=user) if user.is_authenticated else 0
    return {"count": count, "shown": f"{BELL_MAX}+" if count > BELL_MAX else str(count), "oob": oob}


@register.filter
def notification_kind(kind: str) -> str:
    return kind_label(kind)
