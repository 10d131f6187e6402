"""The settings area's writers: save, (de)activate or delete one row of a kind of setting through its
owning app's action, and record the change — who, when, the fields before and after — in the same
transaction. Nothing is recorded when nothing changed; a refused change writes nothing."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction

from kesu.core.errors import permission_require
from kesu.core.models import User
from kesu.core.roles import Permission
from kesu.settings_ui.kinds import Kind
from kesu.settings_ui.models import ChangeAction, SettingChange


def _record(
    kind: Kind, row: Any, action: str, before: dict | None, after: dict | None, by: User | None, now: datetime
) -> SettingChange:
    return SettingChange.objects.create(
        kind=kind.slug,
        object_id=row.pk,
        name=str(kind.name_of(row))[:200],
        action=action,
        by=by,
        at=now,
        before=before,
        after=after,
    )


def setting_save(*, kind: Kind, row: Any, values: dict[str, Any], by: User | None, now: datetime) -> Any:
    """Create (``row=None``) or change a row with ``values`` (the owning action's keyword arguments)."""
    permission_require(by, Permission.SETTINGS_MANAGE)
    with transaction.atomic():
        current = None
        if row is not None and row.pk is not None:
            current = kind.model.objects.select_for_update().get(pk=row.pk)
        before = kind.snapshot(current) if current is not None else None
        saved = kind.save(current, values, by, now)
        after = kind.snapshot(kind.model.objects.get(pk=saved.pk))
        if before is None:
            _record(kind, saved, ChangeAction.CREATED, None, after, by, now)
        elif before != after:
            toggled = kind.form.toggle
            action = ChangeAction.CHANGED
            if toggled and {k for k in after if after[k] != before.get(k)} == {toggled}:
                action = ChangeAction.ACTIVATED if after[toggled] else ChangeAction.DEACTIVATED
            _record(kind, saved, action, before, after, by, now)
    return saved


def setting_toggle(*, kind: Kind, row: Any, by: User | None, now: datetime) -> Any:
    """Deactivate an active row, or activate an inactive one (the kind's toggle field)."""
    name = kind.form.toggle
    if name is None:
        raise ValueError(f"{kind.slug} has nothing to switch")
    values = _current_values(kind, row, by)
    values[name] = not getattr(row, name)
    return setting_save(kind=kind, row=row, values=values, by=by, now=now)


def _current_values(kind: Kind, row: Any, by: User | None) -> dict[str, Any]:
    """The row's current values in the shape its form gives them (its form bound to its own values)."""
    bound = kind.form(
        data=_as_data(kind.form(instance=row, user=by), kind.form.initial_for(row)), instance=row, user=by
    )
    bound.is_valid()  # a stored row its form refuses: the action names the problem when saving
    return bound.values()


def _as_data(form: Any, initial: dict[str, Any]) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for name, field in form.fields.items():
        value = initial.get(name, "")
        if isinstance(value, bool):
            if value:
                data[name] = "on"
            continue
        prepared = field.prepare_value(value)
        data[name] = "" if prepared is None else prepared
    return data


def setting_delete(*, kind: Kind, row: Any, by: User | None, now: datetime) -> None:
    """Delete a row through its owning action; the change keeps the fields it had."""
    permission_require(by, Permission.SETTINGS_MANAGE)
    if kind.delete is None:
        raise ValueError(f"{kind.slug} rows are not deleted")
    with transaction.atomic():
        current = kind.model.objects.select_for_update().filter(pk=row.pk).first()
        if current is None:
            return
        before = kind.snapshot(current)
        _record(kind, current, ChangeAction.DELETED, before, None, by, now)
        kind.delete(current, by, now)


def calendar_holidays_import(
    *, kind: Kind, row: Any, country: str, year: int, by: User | None, now: datetime
) -> Any:
    """Import a year's official holidays into a calendar (the SLA app's import), recorded as a change."""
    from kesu.sla.actions import calendar_import

    permission_require(by, Permission.SETTINGS_MANAGE)
    with transaction.atomic():
        current = kind.model.objects.select_for_update().get(pk=row.pk)
        before = kind.snapshot(current)
        result = calendar_import(calendar_name=current.name, country=country, year=year, now=now)
        after = kind.snapshot(kind.model.objects.get(pk=row.pk))
        if after != before:
            _record(kind, current, ChangeAction.CHANGED, before, after, by, now)
    return result


def calendar_day_change(
    *, kind: Kind, row: Any, day: Any, day_kind: str | None, name: str = "", by: User | None, now: datetime
) -> None:
    """Enter a day by hand (``day_kind`` holiday / workday) or clear it (``None``), recorded as a change."""
    from kesu.sla.actions import calendar_day_clear, calendar_day_set
    from kesu.sla.models import CalendarDay

    permission_require(by, Permission.SETTINGS_MANAGE)

    def shown(entry: CalendarDay | None) -> list[str]:
        return [f"{entry.date} {entry.kind} {entry.name}".strip()] if entry is not None else []

    with transaction.atomic():
        current = kind.model.objects.select_for_update().get(pk=row.pk)
        before = shown(CalendarDay.objects.filter(calendar=current, date=day).first())
        if day_kind is None:
            calendar_day_clear(calendar_name=current.name, day=day, now=now)
        else:
            calendar_day_set(calendar_name=current.name, day=day, kind=day_kind, name=name, now=now)
        after = shown(CalendarDay.objects.filter(calendar=current, date=day).first())
        if after != before:
            _record(kind, current, ChangeAction.CHANGED, {"days": before}, {"days": after}, by, now)
