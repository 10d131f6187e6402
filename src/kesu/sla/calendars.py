"""Working calendars as the maths uses them: loaded from the rows once per process and cached.

Every change to a calendar, its days or its years bumps ``Calendar.version`` (the actions and the
admin do it). The cache compares the versions with one small query at most every ``TTL`` seconds,
so another process's edit is seen within ``TTL``; this process's own edits reset it at once.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from kesu.sla.calendar import CalendarError, WorkCalendar, periods_parse, week_parse
from kesu.sla.models import Calendar, CalendarDay, DayKind

TTL = 30.0
_lock = threading.Lock()


@dataclass
class _Cache:
    checked_at: float
    signature: tuple  # ((id, name, version, is_default), …) of every calendar
    default: str | None
    calendars: dict[str, WorkCalendar] = field(default_factory=dict)


_cache: _Cache | None = None


def _signature() -> tuple:
    return tuple(Calendar.objects.order_by("pk").values_list("pk", "name", "version", "is_default"))


def _current() -> _Cache:
    global _cache
    cache = _cache
    now = time.monotonic()
    if cache is not None and now - cache.checked_at <= TTL:
        return cache
    signature = _signature()
    if cache is not None and signature == cache.signature:
        cache.checked_at = now
        return cache
    default = next((name for _pk, name, _version, is_default in signature if is_default), None)
    cache = _Cache(checked_at=now, signature=signature, default=default)
    with _lock:
        _cache = cache
    return cache


def work_calendar_build(row: Calendar) -> WorkCalendar:
    """The WorkCalendar of a Calendar row (2 queries: its days and its years)."""
    try:
        tz = ZoneInfo(row.time_zone)
    except Exception as error:
        raise CalendarError("calendar.zone_unknown", calendar=row.name, zone=row.time_zone) from error
    holidays, workdays = set(), set()
    for day, kind in CalendarDay.objects.filter(calendar=row).values_list("date", "kind"):
        (holidays if kind == DayKind.HOLIDAY else workdays).add(day)
    try:
        return WorkCalendar(
            name=row.name, tz=tz, week=week_parse(row.week),
            holidays=frozenset(holidays), workdays=frozenset(workdays),
            makeup_periods=periods_parse(row.makeup_periods or [], "make-up day"),
            years=frozenset(row.years.values_list("year", flat=True)),
            country=row.country,
        )
    except CalendarError as error:
        raise CalendarError("calendar.in", calendar=row.name, error=error.message_obj) from error


def calendar_load(name: str | None = None) -> WorkCalendar:
    """The calendar called ``name`` (None: the default one), cached in this process."""
    cache = _current()
    key = name or cache.default
    if key is None:
        raise CalendarError("calendar.no_default")
    calendar = cache.calendars.get(key)
    if calendar is None:
        row = Calendar.objects.filter(name=key).first()
        if row is None:
            raise CalendarError("calendar.unknown", name=key)
        calendar = cache.calendars[key] = work_calendar_build(row)
    return calendar


def calendar_cache_reset(**_kwargs) -> None:
    global _cache
    with _lock:
        _cache = None


# --- selectors ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class CoverageGap:
    calendar: str
    year: int
    needed_from: date
    estimated: bool  # entered, but only the package's estimate (no official schedule yet)

    def __str__(self) -> str:
        if self.estimated:
            return (f"calendar {self.calendar!r} has only estimated holidays for {self.year} (needed from "
                    f"{self.needed_from}); re-import them once the official schedule is published, or check "
                    f"them by hand")
        return f"calendar {self.calendar!r} has no holidays entered for {self.year} (needed from {self.needed_from})"


def calendar_coverage_gaps(*, now: datetime, days: int = 60) -> list[CoverageGap]:
    """Per calendar, each year among the next ``days`` days it lacks or has only estimated."""
    gaps = []
    for row in Calendar.objects.prefetch_related("years").order_by("-is_default", "name"):
        today = now.astimezone(ZoneInfo(row.time_zone)).date()
        last = today + timedelta(days=days)
        entered = {y.year: y for y in row.years.all()}
        for year in range(today.year, last.year + 1):
            needed_from = max(today, date(year, 1, 1))
            if year not in entered or entered[year].estimated:
                gaps.append(CoverageGap(row.name, year, needed_from, estimated=year in entered))
    return gaps


def calendar_coverage_warnings(*, now: datetime, days: int = 60) -> list[str]:
    """One message per calendar and year it lacks among the next ``days`` days (and per year in
    that window whose holidays were only estimated by the package)."""
    return [str(gap) for gap in calendar_coverage_gaps(now=now, days=days)]
