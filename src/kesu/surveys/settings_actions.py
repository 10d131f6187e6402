"""Writer of the survey settings (one row), edited by the management layer in the settings area."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from django.db import transaction

from kesu.core.errors import FieldError, FieldErrors, permission_require
from kesu.core.messages import given
from kesu.core.models import User
from kesu.core.roles import Permission
from kesu.surveys.actions import survey_settings
from kesu.surveys.models import SurveySettings

RANGES = {
    "reopen_at_or_below": (0, 5),
    "reminder_after_hours": (1, 24 * 30),
    "follow_up_sample_percent": (0, 100),
}


def survey_settings_validate(**fields: Any) -> dict[str, Any]:
    """The survey settings as they would be stored; raises FieldErrors naming every bad field."""
    errors: list[FieldError] = []
    clean: dict[str, Any] = {}
    for name, (low, high) in RANGES.items():
        value = fields.get(name)
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            errors.append(FieldError(name, "field.out_of_range", low=low, high=high, got=given(value)))
        clean[name] = value
    url = fields.get("public_url")
    url = url.strip().rstrip("/") if isinstance(url, str) else ""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc or len(url) > 200:
        errors.append(FieldError("public_url", "settings.url", example="https://kesu.example.com"))
    clean["public_url"] = url
    if errors:
        raise FieldErrors(errors)
    return clean


def survey_settings_save(*, by: User | None, now: datetime, **fields: Any) -> SurveySettings:
    """Change the survey settings (the row is created with its defaults the first time)."""
    if by is not None:
        permission_require(by, Permission.SETTINGS_MANAGE)
    clean = survey_settings_validate(**fields)
    with transaction.atomic():
        survey_settings()
        row = SurveySettings.objects.select_for_update().get(pk=1)
        for name, value in clean.items():
            setattr(row, name, value)
        row.save()
    return row
