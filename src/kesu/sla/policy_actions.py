"""Writers of the SLA policies (the settings area edits them; the API's and the admin's validation
is the same ``policy_parse``). Each save raises the version "sla" through the signals in ``apps.py``,
so the next complaint is timed by the new policy (ADR 0015)."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from django.db import transaction

from kesu.complaints.models import Category
from kesu.core.errors import FieldError, FieldErrors, permission_require
from kesu.core.messages import given
from kesu.core.models import User
from kesu.core.roles import Permission
from kesu.sla.models import Calendar, SlaPolicy
from kesu.sla.policies import policy_parse

POSITION_MAX = 32767


def policy_validate(
    *,
    name: Any,
    title: Any = "",
    title_en: Any = "",
    position: Any = 100,
    enabled: Any = True,
    conditions: Any = None,
    targets: Any = None,
    levels: Any = None,
    warn_percent: Any = 75,
    specialist_after_minutes: Any = None,
    remind_every_minutes: Any = None,
    calendar: Calendar | None = None,
    policy_id: int | None = None,
) -> dict[str, Any]:
    """A policy's fields as they would be stored; raises FieldErrors naming every bad part at once."""
    errors: list[FieldError] = []
    name = name.strip() if isinstance(name, str) else ""
    if not re.fullmatch(r"[-a-zA-Z0-9_]{1,48}", name):
        errors.append(FieldError("name", "field.name_format", limit=48))
    elif SlaPolicy.objects.filter(name=name).exclude(pk=policy_id).exists():
        errors.append(FieldError("name", "field.name_taken", name=name))
    for field, value in (("title", title), ("title_en", title_en)):
        if not isinstance(value, str):
            errors.append(FieldError(field, "field.not_text", got=given(value)))
        elif len(value.strip()) > 100:
            errors.append(FieldError(field, "field.too_long", limit=100, got=len(value.strip())))
    if isinstance(position, bool) or not isinstance(position, int) or not 0 <= position <= POSITION_MAX:
        errors.append(
            FieldError("position", "field.out_of_range", low=0, high=POSITION_MAX, got=given(position))
        )
    if not isinstance(enabled, bool):
        errors.append(FieldError("enabled", "field.not_boolean", got=given(enabled)))
    conditions = {} if conditions is None else conditions
    levels = [] if levels is None else levels
    try:
        policy_parse(
            id=policy_id,
            name=name,
            conditions=conditions,
            targets=targets,
            levels=levels,
            warn_percent=warn_percent,
            specialist_after_minutes=specialist_after_minutes,
            remind_every_minutes=remind_every_minutes,
            known_categories=frozenset(Category.objects.values_list("code", flat=True)),
        )
    except FieldError as error:
        errors.extend(error.field_errors)
    if errors:
        raise FieldErrors(errors)
    return {
        "name": name,
        "title": title.strip(),
        "title_en": title_en.strip(),
        "position": position,
        "enabled": enabled,
        "conditions": conditions,
        "targets": targets,
        "levels": levels,
        "warn_percent": warn_percent,
        "specialist_after_minutes": specialist_after_minutes,
        "remind_every_minutes": remind_every_minutes,
        "calendar": calendar,
    }


def policy_save(*, policy: SlaPolicy | None, by: User | None, now: datetime, **fields: Any) -> SlaPolicy:
    """Create (``policy=None``) or change an SLA policy; refused with every bad part named."""
    if by is not None:
        permission_require(by, Permission.SETTINGS_MANAGE)
    with transaction.atomic():
        row = SlaPolicy() if policy is None else SlaPolicy.objects.select_for_update().get(pk=policy.pk)
        clean = policy_validate(**fields, policy_id=row.pk)
        for name, value in clean.items():
            setattr(row, name, value)
        row.updated_at = now
        row.save()
    return row


def policy_delete(*, policy: SlaPolicy, by: User | None, now: datetime) -> None:
    if by is not None:
        permission_require(by, Permission.SETTINGS_MANAGE)
    SlaPolicy.objects.filter(pk=policy.pk).delete()
