"""Reads of the settings area: a setting's history with what changed, the calendars' coverage."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.utils.translation import gettext_lazy as _

from kesu.core.messages import Message
from kesu.settings_ui.kinds import Kind
from kesu.settings_ui.models import SettingChange
from kesu.sla.calendars import calendar_coverage_gaps

COVERAGE_DAYS = 365  # a calendar must cover the coming year
HISTORY_LIMIT = 200  # changes shown on a history page, newest first


@dataclass(frozen=True)
class FieldChange:
    field: str
    label: Any
    before: str
    after: str


def _shown(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return str(Message("word.yes" if value else "word.no"))
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return str(value) if value != "" else "—"


EXTRA_LABELS = {"years": _("covered years"), "days": _("holidays and make-up days")}


def field_labels(kind: Kind) -> dict[str, Any]:
    return {**EXTRA_LABELS, **{name: field.label for name, field in kind.form().fields.items()}}


def change_fields(
    kind: Kind, change: SettingChange, labels: dict[str, Any] | None = None
) -> list[FieldChange]:
    """The fields a change touched (every recorded field for a creation or a deletion)."""
    before, after = change.before or {}, change.after or {}
    labels = field_labels(kind) if labels is None else labels
    out = []
    for name in dict.fromkeys([*before, *after]):
        if change.before is not None and change.after is not None and before.get(name) == after.get(name):
            continue
        out.append(
            FieldChange(
                name,
                labels.get(name, name),
                _shown(before.get(name)) if change.before is not None else "",
                _shown(after.get(name)) if change.after is not None else "",
            )
        )
    return out


def setting_history(
    kind: Kind, object_id: int, *, limit: int = HISTORY_LIMIT
) -> list[tuple[SettingChange, list[FieldChange]]]:
    """The newest ``limit`` changes of one row, each with the fields it touched."""
    changes = SettingChange.objects.filter(kind=kind.slug, object_id=object_id).select_related("by")
    labels = field_labels(kind)
    return [
        (change, change_fields(kind, change, labels)) for change in changes.order_by("-at", "-id")[:limit]
    ]


def recent_changes(limit: int = 10) -> list[SettingChange]:
    return list(SettingChange.objects.select_related("by").order_by("-at", "-id")[:limit])


def coverage_warnings(*, now: datetime, calendar: str | None = None) -> list[Message]:
    """Each year of the coming one a calendar lacks (or has only estimated), as messages."""
    out = []
    for gap in calendar_coverage_gaps(now=now, days=COVERAGE_DAYS):
        if calendar is not None and gap.calendar != calendar:
            continue
        code = "settings.calendar_estimated" if gap.estimated else "calendar.not_covered"
        out.append(Message(code, calendar=gap.calendar, year=gap.year))
    return out


def calendar_days(calendar: Any, *, now: datetime) -> list[Any]:
    """The calendar's holidays and make-up days from this year on (imported and entered by hand)."""
    return list(calendar.days.filter(date__year__gte=now.year).order_by("date"))
