"""What `kesu calendar …` does: argument types (no Django needed to build the parser) and one
function per sub-command that returns the line to print. ``kesu.cli`` only parses and prints."""

from __future__ import annotations

import argparse
from datetime import datetime


def aware_datetime(value: str) -> datetime:
    """argparse type: an ISO 8601 date-time with a UTC offset (2026-09-30T16:00:00+08:00)."""
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError as error:
        raise argparse.ArgumentTypeError(
            f"{value!r} is not an ISO 8601 date-time with offset, e.g. 2026-09-30T16:00:00+08:00"
        ) from error
    if parsed.tzinfo is None:
        raise argparse.ArgumentTypeError(
            f"{value!r} has no UTC offset; add one, e.g. {parsed:%Y-%m-%dT%H:%M:%S}+08:00"
        )
    return parsed


def working_minutes(value: str) -> int:
    """argparse type: a whole number of minutes, 0 or more."""
    try:
        minutes = int(value)
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number of minutes") from error
    if minutes < 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more, got {minutes}")
    return minutes


def minutes_text(seconds: int) -> str:
    """Working minutes as printed: ``95`` when whole, else two decimals at most (``95.5``, ``95.17``)."""
    if seconds % 60 == 0:
        return str(seconds // 60)
    return f"{seconds / 60:.2f}".rstrip("0")


def calendar_import_line(*, calendar_name: str | None, country: str, year: int, now: datetime) -> str:
    from kesu.sla.actions import calendar_import

    result = calendar_import(calendar_name=calendar_name, country=country, year=year, now=now)
    line = (
        f"calendar {result.calendar!r}: {result.year} imported from the holidays package ({result.country}): "
        f"{result.holidays} days off, {result.workdays} make-up working days"
    )
    if result.kept_manual:
        line += f"; kept {result.kept_manual} days entered by hand"
    if result.estimated:
        line += "; estimated: the package has no official schedule for that year yet, check it when published"
    return line


def calendar_add_line(*, calendar_name: str | None, start: datetime, minutes: int) -> str:
    """The instant ``minutes`` working minutes after ``start``, ISO 8601 in the calendar's zone."""
    from kesu.sla.calendar import working_add
    from kesu.sla.calendars import calendar_load

    return working_add(calendar_load(calendar_name), start, minutes * 60).isoformat()


def calendar_between_line(*, calendar_name: str | None, start: datetime, end: datetime) -> str:
    """The working minutes in ``[start, end)``."""
    from kesu.sla.calendar import working_seconds
    from kesu.sla.calendars import calendar_load

    return minutes_text(working_seconds(calendar_load(calendar_name), start, end))
