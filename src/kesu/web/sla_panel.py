"""The desk's SLA panel: the clocks of a complaint with translated names, states and overdue text."""

from __future__ import annotations

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


def _overdue(minutes: int) -> str:
    if minutes <= 0:
        return ""
    hours = minutes // 60
    if hours:
        return ngettext("overdue %(count)d hour", "overdue %(count)d hours", hours) % {"count": hours}
    return ngettext("overdue %(count)d minute", "overdue %(count)d minutes", minutes) % {"count": minutes}


def sla_panel(sla: dict[str, Any] | None) -> dict[str, Any] | None:
    if sla is None:
        return None
    rows = [
        {
            **clock,
            "label": _(CLOCK_NAMES.get(clock["clock"], clock["clock"])),
            "state_label": _(STATE_LABELS.get(clock["state"], clock["state"])),
            "overdue_label": _overdue(clock["overdue_minutes"]),
        }
        for clock in sla["clocks"]
    ]
    return {**sla, "rows": rows}
