"""Reading what a person types into the call form: durations and start times. Pure."""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

from django.utils.dateparse import parse_datetime

from kesu.core.errors import FieldError
from kesu.core.messages import given

MAX_DURATION_SECONDS = 24 * 3600
_CLOCK = re.compile(r"^(?:(?P<h>\d+):)?(?P<m>\d+):(?P<s>\d{1,2})$")


def duration_parse(value: int | str | None) -> int:
    """Seconds from ``205``, ``"205"``, ``"3:25"`` or ``"1:03:25"``; 0 to 24 hours."""
    if value is None or (isinstance(value, str) and not value.strip()):
        raise FieldError("duration_seconds", "field.required")
    if isinstance(value, bool) or isinstance(value, float):
        raise FieldError("duration_seconds", "call.not_duration", value=given(value))
    if isinstance(value, int):
        seconds = value
    else:
        text = value.strip().replace("：", ":")
        clock = _CLOCK.match(text)
        if text.lstrip("-").isdigit():
            seconds = int(text)
        elif clock:
            if int(clock["s"]) > 59 or (clock["h"] is not None and int(clock["m"]) > 59):
                raise FieldError("duration_seconds", "call.not_duration", value=given(value))
            seconds = int(clock["h"] or 0) * 3600 + int(clock["m"]) * 60 + int(clock["s"])
        else:
            raise FieldError("duration_seconds", "call.not_duration", value=given(value))
    if seconds < 0:
        raise FieldError("duration_seconds", "call.negative", got=seconds)
    if seconds > MAX_DURATION_SECONDS:
        raise FieldError("duration_seconds", "call.too_long", got=seconds)
    return seconds


def moment_parse(value: datetime | str | None, *, zone: str) -> datetime:
    """An aware datetime from a datetime or an ISO text (``2026-03-02T09:15``); a time without a
    zone is read in the centre's time zone ``zone``."""
    if value is None or (isinstance(value, str) and not value.strip()):
        raise FieldError("started_at", "field.required")
    if isinstance(value, str):
        try:
            parsed = parse_datetime(value.strip().replace(" ", "T", 1))
        except ValueError:
            parsed = None
        if parsed is None:
            raise FieldError("started_at", "call.not_datetime", value=given(value))
        value = parsed
    if value.tzinfo is None:
        value = value.replace(tzinfo=ZoneInfo(zone))
    return value
