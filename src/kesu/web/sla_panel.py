"""The desk's SLA panel: the clocks of a complaint with translated names, states, overdue text and a
live countdown to each running clock's due instant.

The countdown is wall-clock time to the due instant (the instant itself is computed on the working
calendar); desk.js refreshes it every 30 seconds with the same wording as :func:`countdown_text`."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext

from kesu.sla.notices import CLOCK_NAMES

STATE_LABELS = {
    "ok": gettext_noop("Normal"),
    "warning": gettext_noop("Due soon"),
    "breached": gettext_noop("Overdue"),
    "met": gettext_noop("Met"),
    "paused": gettext_noop("Paused"),
    "cancelled": gettext_noop("No longer applies"),
}
COUNTING = ("ok", "warning", "breached")  # states whose due instant is still ahead or just passed


def _overdue(minutes: int) -> str:
    if minutes <= 0:
        return ""
    hours = minutes // 60
    if hours:
        return ngettext("overdue %(count)d hour", "overdue %(count)d hours", hours) % {"count": hours}
    return ngettext("overdue %(count)d minute", "overdue %(count)d minutes", minutes) % {"count": minutes}


def countdown_words() -> dict[str, str]:
    """The countdown's wording in the page's language (desk.js reads them from data attributes)."""
    return {
        "left": _("{time} left"),
        "over": _("overdue {time}"),
        "days": _("{d} d {h} h"),
        "hours": _("{h} h {m} min"),
        "minutes": _("{m} min"),
    }


def countdown_text(due_at: datetime, now: datetime, words: dict[str, str] | None = None) -> str:
    """"2 h 15 min left" / "overdue 35 min" (剩余 2小时15分 / 已超时 35分), to the minute."""
    words = words or countdown_words()
    seconds = (due_at - now).total_seconds()
    minutes = int(abs(seconds) // 60)
    days, rest = divmod(minutes, 60 * 24)
    hours, mins = divmod(rest, 60)
    if days:
        span = words["days"].format(d=days, h=hours)
    elif hours:
        span = words["hours"].format(h=hours, m=mins)
    else:
        span = words["minutes"].format(m=mins)
    return (words["left"] if seconds >= 0 else words["over"]).format(time=span)


def sla_panel(sla: dict[str, Any] | None, *, now: datetime | None = None) -> dict[str, Any] | None:
    if sla is None:
        return None
    words = countdown_words()
    rows = []
    for clock in sla["clocks"]:
        counting = bool(now and clock.get("due_at") and clock["state"] in COUNTING and not sla.get("paused"))
        rows.append({
            **clock,
            "label": _(CLOCK_NAMES.get(clock["clock"], clock["clock"])),
            "state_label": _(STATE_LABELS.get(clock["state"], clock["state"])),
            "overdue_label": _overdue(clock["overdue_minutes"]),
            "counting": counting,
            "countdown": countdown_text(clock["due_at"], now, words) if counting else "",
        })
    return {**sla, "rows": rows, "words": words}
