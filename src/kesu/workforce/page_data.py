"""What the operations pages show, read from kesu's own history: the event log of recent complaints, and a
week of staffing (forecast arrivals × handling time × target → agents per interval, against the handlers
the working calendar makes available)."""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd
from django.conf import settings
from django.db.models import Avg

from kesu.complaints.models import Complaint, ComplaintEvent, EventKind
from kesu.workforce.forecast import candidate_forecasts, choose, grid_build

LIFECYCLE = (EventKind.CREATED, EventKind.ASSIGNED, EventKind.STARTED, EventKind.PENDED, EventKind.RESUMED,
             EventKind.TRANSFERRED, EventKind.ESCALATED, EventKind.RESOLVED, EventKind.REOPENED, EventKind.CLOSED)
HISTORY_DAYS = 182
DEFAULT_AHT_SECONDS = 600.0
TARGET, ANSWER_SECONDS, SHRINKAGE = 0.8, 60.0, 0.3


def kesu_log_frame(*, start: datetime, end: datetime) -> pd.DataFrame:
    """The lifecycle events of the complaints created in [start, end) as a case_id, activity, at log."""
    rows = list(ComplaintEvent.objects.filter(complaint__created_at__gte=start, complaint__created_at__lt=end,
                                              kind__in=LIFECYCLE)
                .order_by("complaint_id", "at", "id").values_list("complaint__number", "kind", "at"))
    frame = pd.DataFrame(rows, columns=["case_id", "activity", "at"])
    if len(frame):
        frame["at"] = pd.to_datetime(frame["at"], utc=True).dt.tz_localize(None)
    frame["order"] = np.arange(len(frame))
    frame["seq"] = frame.groupby("case_id", sort=False).cumcount() if len(frame) else []
    return frame


@dataclass
class StaffingWeek:
    days: list[str]
    slots: list[str]
    needed: list[list[int]]  # per day, per slot: positions needed
    available: list[list[int]]
    model: str
    aht_seconds: float

    @property
    def rows(self) -> list[dict]:
        out = []
        for d, day in enumerate(self.days):
            cells = [{"needed": n, "available": a, "gap": a - n} for n, a in
                     zip(self.needed[d], self.available[d], strict=True)]
            out.append({"day": day, "cells": cells})
        return out


STAFFING_INTERVALS = (30, 60)


def staffing_week(*, now: datetime, staffing: Callable, interval_minutes: int = 30,
                  channel: str = "") -> StaffingWeek:
    """Forecast the next 7 days of arrivals per interval (of one channel, or all) from the last half-year,
    staff them. Handling time: the mean call for phone and for all channels together, else the default."""
    needed = staffing_needed(now=now, staffing=staffing, interval_minutes=interval_minutes, channel=channel)
    return _week(now, needed, interval_minutes)


def staffing_week_stored(*, now: datetime, interval_minutes: int = 30, channel: str = "") -> StaffingWeek:
    """``staffing_week`` (Erlang C) for the page: the positions needed are computed once a day (Beijing)
    per channel and interval — by the forecast job, or by the day's first request — and stored; the
    handlers available (their number and the working calendar) are read on each request."""
    from kesu.workforce.erlang import staffing_erlang_c
    from kesu.workforce.models import StoredStaffing

    day = now.astimezone(ZoneInfo(settings.TIME_ZONE)).date()
    stored = StoredStaffing.objects.filter(day=day, channel=channel, interval_minutes=interval_minutes).first()
    if stored is None:
        stored = staffing_store(now=now, interval_minutes=interval_minutes, channel=channel,
                                staffing=staffing_erlang_c)
    return _week(now, stored.payload, interval_minutes)


def staffing_store(*, now: datetime, interval_minutes: int, channel: str, staffing: Callable):
    """Compute and store (replacing the day's) the positions needed; older days are removed."""
    from kesu.workforce.models import StoredStaffing

    day = now.astimezone(ZoneInfo(settings.TIME_ZONE)).date()
    payload = staffing_needed(now=now, staffing=staffing, interval_minutes=interval_minutes, channel=channel)
    stored, _created = StoredStaffing.objects.update_or_create(
        day=day, channel=channel, interval_minutes=interval_minutes,
        defaults={"payload": payload, "computed_at": now})
    StoredStaffing.objects.filter(day__lt=day).delete()
    return stored


def staffing_needed(*, now: datetime, staffing: Callable, interval_minutes: int = 30, channel: str = "") -> dict:
    """The forecast part of the staffing week (the costly part): positions needed per day and slot of the
    next 7 days, the forecast model, the handling time."""
    zone = ZoneInfo(settings.TIME_ZONE)
    created = Complaint.objects.filter(created_at__gte=now - timedelta(days=HISTORY_DAYS), created_at__lt=now)
    if channel:
        created = created.filter(channel=channel)
    rows = [(at.astimezone(zone).replace(tzinfo=None), 1.0) for at in created.values_list("created_at", flat=True)]
    aht = float(_aht()) if channel in ("", "phone") else DEFAULT_AHT_SECONDS
    slots = 24 * 60 // interval_minutes
    days = _days(now)
    if len(rows) < 50:
        return {"needed": [[0] * slots for _ in days], "model": "none", "aht_seconds": aht}
    last = max(at for at, _count in rows)
    rows += [(last + timedelta(seconds=1), 0.0), (last + timedelta(seconds=2), 0.0)]  # raw times, not buckets
    grid = grid_build(rows, interval_minutes)
    model, _scores = choose(grid, grid.counts.shape[0])
    forecast = _forecast(grid, model, days)
    needed = [[staffing(arrivals=float(v), interval_seconds=interval_minutes * 60, aht_seconds=aht, target=TARGET,
                        answer_seconds=ANSWER_SECONDS, shrinkage=SHRINKAGE).positions for v in values]
              for values in forecast]
    return {"needed": needed, "model": model, "aht_seconds": aht}


def _days(now: datetime) -> list:
    today = now.astimezone(ZoneInfo(settings.TIME_ZONE)).date()
    return [today + timedelta(days=i) for i in range(1, 8)]


def _week(now: datetime, needed: dict, interval_minutes: int) -> StaffingWeek:
    """The stored or computed needs beside the handlers the working calendar makes available."""
    from kesu.core.models import HandlerProfile
    from kesu.sla.calendar import is_working_time
    from kesu.sla.calendars import calendar_load

    zone = ZoneInfo(settings.TIME_ZONE)
    slots = [f"{h:02d}:{m:02d}" for h in range(24) for m in range(0, 60, interval_minutes)]
    days = _days(now)
    handlers = HandlerProfile.objects.filter(user__is_active=True).count()
    try:
        calendar = calendar_load()
    except Exception:
        calendar = None
    available = []
    for day in days:
        line = []
        for slot in range(len(slots)):
            at = datetime(day.year, day.month, day.day, tzinfo=zone) + timedelta(minutes=slot * interval_minutes)
            working = True if calendar is None else _working(is_working_time, calendar, at)
            line.append(handlers if working else 0)
        available.append(line)
    return StaffingWeek([d.isoformat() for d in days], slots, needed["needed"], available, needed["model"],
                        needed["aht_seconds"])


def _working(is_working_time, calendar, at) -> bool:
    try:
        return is_working_time(calendar, at)
    except Exception:  # a year the calendar does not cover: count it as working time
        return True


def _forecast(grid, model: str, days) -> list[np.ndarray]:
    from kesu.workforce.forecast import Grid, day_infos

    extended = Grid(grid.start, grid.interval_minutes, grid.counts.copy(), grid.present.copy(), list(grid.infos))
    last = grid.days[-1]
    out = []
    step = last
    while step < days[-1]:
        step += timedelta(days=1)
        extended.infos.append(day_infos([step])[0])
        extended.counts = np.vstack([extended.counts, np.zeros(grid.slots)])
        extended.present = np.append(extended.present, True)
        target = extended.counts.shape[0] - 1
        values = np.clip(candidate_forecasts(extended, target, (model,))[model], 0, None)
        extended.counts[target] = values
        if step in days:
            out.append(values)
    return out


def _aht() -> float:
    """Handling time measured from kesu's own calls (their mean duration); a default without calls."""
    from kesu.calls.models import Call

    mean = Call.objects.aggregate(mean=Avg("duration_seconds"))["mean"]
    return float(mean) if mean else DEFAULT_AHT_SECONDS


def staffing_xlsx(week: StaffingWeek) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "staffing"
    sheet.append(["day", "interval", "needed", "available", "gap"])
    for d, day in enumerate(week.days):
        for s, slot in enumerate(week.slots):
            sheet.append([day, slot, week.needed[d][s], week.available[d][s],
                          week.available[d][s] - week.needed[d][s]])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


FORECAST_DAYS = 14
FORECAST_INTERVAL_MINUTES = 30
MIN_FORECAST_ROWS = 50


def scope_filter(scope: str) -> dict:
    """The complaint filter of a forecast scope ("", "channel:<code>", "category:<code>")."""
    kind, _, code = scope.partition(":")
    if kind == "channel":
        return {"channel": code}
    if kind == "category":
        return {"category__code": code}
    return {}


def forecast_payload(*, now: datetime, scope: str = "") -> dict:
    """The forecast page's numbers from kesu's own history (complaints created in the last half-year):
    the model the rolling-origin backtest chooses on the first 80 % of days, its held-out MASE beside the
    two baselines', the daily totals of the next 14 days and tomorrow's 30-minute slots, each with 80 / 95 %
    intervals. ``{"model": None}`` when the history is too short to forecast."""
    import math

    from kesu.workforce.forecast import ForecastError, evaluate, forecast_days

    zone = ZoneInfo(settings.TIME_ZONE)
    today = now.astimezone(zone).date()
    start = datetime(today.year, today.month, today.day, tzinfo=zone) - timedelta(days=HISTORY_DAYS)
    end = datetime(today.year, today.month, today.day, tzinfo=zone)  # whole days only: today is not over
    created = Complaint.objects.filter(created_at__gte=start, created_at__lt=end, **scope_filter(scope))
    rows = [(at.astimezone(zone).replace(tzinfo=None), 1.0) for at in created.values_list("created_at", flat=True)]
    empty = {"model": None, "history_rows": len(rows), "computed_at": now.isoformat()}
    if len(rows) < MIN_FORECAST_ROWS:
        return empty
    rows.append(((end - timedelta(minutes=1)).replace(tzinfo=None), 0.0))  # the grid ends yesterday
    # raw arrival times, not a file of buckets: a sparse scope must not look like hourly rows
    rows.append(((end - timedelta(minutes=2)).replace(tzinfo=None), 0.0))
    grid = grid_build(rows, FORECAST_INTERVAL_MINUTES)
    try:
        report = evaluate(grid)
    except ForecastError:
        return empty
    model = report["chosen"]
    interval_rmse = report["interval"]["model"]["rmse"]
    daily_rmse = report["daily"]["model"]["rmse"]
    # the history ends yesterday: step 1 is today (not over yet), the page shows tomorrow onwards
    forecasts = forecast_days(grid, model, FORECAST_DAYS + 1, interval_rmse)
    days = []
    for step, item in enumerate(forecasts[1:], start=2):
        total = float(item.values.sum())
        spread = math.sqrt(total + (daily_rmse * math.sqrt(step)) ** 2)
        days.append({"day": item.day.isoformat(), "value": round(total, 1),
                     "low80": round(max(total - 1.2816 * spread, 0.0), 1), "high80": round(total + 1.2816 * spread, 1),
                     "low95": round(max(total - 1.96 * spread, 0.0), 1), "high95": round(total + 1.96 * spread, 1)})
    first = forecasts[1]
    slots = [f"{(s * FORECAST_INTERVAL_MINUTES) // 60:02d}:{(s * FORECAST_INTERVAL_MINUTES) % 60:02d}"
             for s in range(grid.slots)]
    tomorrow = {"day": first.day.isoformat(), "slots": slots,
                **{key: [round(float(v), 2) for v in getattr(first, key)]
                   for key in ("values", "low80", "high80", "low95", "high95")}}
    return {"model": model, "history_rows": len(rows) - 2, "computed_at": now.isoformat(),
            "train_days": report["days"]["train"], "test_days": report["days"]["test"],
            "accuracy": {"interval": report["interval"], "daily": report["daily"]}, "days": days,
            "tomorrow": tomorrow}
