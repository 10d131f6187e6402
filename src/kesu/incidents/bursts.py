"""Burst detection (the job runs every 5 minutes): are there more complaints in the last hour or the
last day, per category × region, tag × region and product, than the same weekday and hour over the
past 8 weeks explain?

- Baseline days: the same weekday in each of the past 8 weeks, on the working calendar — a past day
  of another kind (a holiday on a weekday, a make-up working day on a weekend) is left out, and a
  day that is itself unusual (a holiday, a make-up day) is compared with the most recent 8 past days
  of its own kind. The same window (last hour, last 24 hours) is counted on each baseline day.
- Test: the upper tail of a Poisson with the baseline mean (a negative binomial when the baseline
  varies more than a Poisson would), with a floor on the mean so that an empty baseline does not make
  every handful a burst, and a minimum count.
- A burst becomes one suggestion: the last hour before the last day, the most significant key first; a key whose complaints are mostly
  in a suggestion of this run or a recent one (open, dismissed or declared) is left out, so a
  dismissed burst does not return for the same window, and one burst notifies once.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db import transaction
from scipy.stats import nbinom, poisson

from kesu.complaints.models import Complaint
from kesu.core.messages import Message
from kesu.core.models import User
from kesu.core.roles import Permission, Role
from kesu.incidents.models import BurstSuggestion
from kesu.notifications.actions import notify
from kesu.sla.calendar import CalendarError, WorkCalendar
from kesu.sla.calendars import calendar_load

WEEKS = 8
WINDOWS = {"hour": timedelta(hours=1), "day": timedelta(days=1)}


@dataclass(frozen=True)
class BurstSettings:
    """Chosen by leave-one-scenario-out cross-validation on generated arrivals (bench/burst_tuning.py,
    docs/architecture.md "Burst detection"): the highest recall with at most one false suggestion a
    week. Many keys are tested every 5 minutes, so the false-alarm rate per test is tiny; the floor
    on the expected count, not the minimum count, is what keeps a handful from being a burst."""

    alpha: float = 1e-10
    min_count: dict = field(default_factory=lambda: {"hour": 3, "day": 8})
    mean_floor: dict = field(default_factory=lambda: {"hour": 0.5, "day": 2.0})
    overlap: float = 0.5


@dataclass
class DetectResult:
    examined: int = 0
    created: list[BurstSuggestion] = field(default_factory=list)


def _working_day(cal: WorkCalendar | None, day: date) -> tuple[bool, bool]:
    """(is a working day, is usual for its weekday)."""
    if cal is None:
        return day.weekday() < 5, True
    usual = bool(cal.week[day.weekday()])
    if day in cal.holidays:
        return False, not usual
    if day in cal.workdays:
        return True, usual
    return usual, True


def baseline_offsets(cal: WorkCalendar | None, today: date) -> list[timedelta]:
    """How far back each baseline day is from today (whole days)."""
    working, usual = _working_day(cal, today)
    offsets: list[timedelta] = []
    if usual:
        for week in range(1, WEEKS + 1):
            day = today - timedelta(weeks=week)
            if _working_day(cal, day) == (working, True):
                offsets.append(timedelta(weeks=week))
        return offsets
    back = 1
    while len(offsets) < WEEKS and back <= 7 * WEEKS * 2:
        day = today - timedelta(days=back)
        if _working_day(cal, day)[0] == working:
            offsets.append(timedelta(days=back))
        back += 1
    return offsets


def _calendar() -> WorkCalendar | None:
    try:
        return calendar_load(None)
    except CalendarError:
        return None


def _keys(category: str | None, region: str, product: str, tags) -> list[tuple[str, str, str]]:
    keys = []
    if category and region:
        keys.append(("category_region", category, region))
    if region:
        keys.extend(("tag_region", tag, region) for tag in (tags or ()) if isinstance(tag, str))
    if product:
        keys.append(("product", product, ""))
    return keys


def _count(start: datetime, end: datetime, *, ids: bool) -> dict:
    """Complaints created in [start, end) per key and window (the hour is the window's last hour)."""
    hour_start = end - WINDOWS["hour"]
    counts: dict = {"hour": Counter(), "day": Counter()}
    members: dict = {"hour": defaultdict(list), "day": defaultdict(list)}
    # the merged ones are skipped here, not in SQL: "merged_into IS NULL" made SQLite read the whole
    # table through the merged_into index (nearly every row) instead of the created_at range
    rows = Complaint.objects.filter(created_at__gte=start, created_at__lt=end).order_by() \
        .values_list("pk", "created_at", "category__code", "region", "product", "tags", "merged_into_id")
    for pk, created, category, region, product, tags, merged in rows.iterator(chunk_size=5000):
        if merged is not None:
            continue
        for key in _keys(category, region, product, tags):
            counts["day"][key] += 1
            if ids:
                members["day"][key].append(pk)
            if created >= hour_start:
                counts["hour"][key] += 1
                if ids:
                    members["hour"][key].append(pk)
    return {"counts": counts, "members": members}


def upper_tail(count: int, baseline: list[int], floor: float) -> tuple[float, float]:
    """(expected, P[X >= count]) for the baseline counts."""
    n = len(baseline)
    mean = sum(baseline) / n if n else 0.0
    expected = max(mean, floor)
    var = sum((c - mean) ** 2 for c in baseline) / (n - 1) if n > 1 else mean
    if var > expected * 1.2:  # over-dispersed: a negative binomial with the same mean and variance
        r = expected ** 2 / (var - expected)
        return expected, float(nbinom.sf(count - 1, r, r / (r + expected)))
    return expected, float(poisson.sf(count - 1, expected))


def _shared_words(ids: list[int], limit: int = 6) -> list[str]:
    from kesu.triage.text import text_normalise, words

    texts = list(Complaint.objects.filter(pk__in=ids[:60]).values_list("content", flat=True))
    seen: Counter = Counter()
    for text in texts:
        seen.update({w for w in words(text_normalise(text)) if len(w) >= 2 and not w.isdigit()})
    return [w for w, n in seen.most_common(limit * 2) if n >= max(2, len(texts) // 3)][:limit]


def bursts_detect(*, now: datetime, settings: BurstSettings | None = None, notify_managers: bool = True) -> DetectResult:
    settings = settings or BurstSettings()
    cal = _calendar()
    local_today = now.astimezone(cal.tz).date() if cal is not None else now.date()
    offsets = baseline_offsets(cal, local_today)
    day = WINDOWS["day"]
    recent = _count(now - day, now, ids=True)
    baselines = [_count(now - off - day, now - off, ids=False)["counts"] for off in offsets]
    result = DetectResult()
    candidates = []
    for window in ("hour", "day"):
        for key, count in recent["counts"][window].items():
            result.examined += 1
            if count < settings.min_count[window]:
                continue
            history = [b[window].get(key, 0) for b in baselines]
            expected, p = upper_tail(count, history, settings.mean_floor[window])
            if p < settings.alpha:
                candidates.append((window != "hour", p, -count, window, key, count, expected))
    if not candidates:
        return result
    candidates.sort()
    recent_taken = [set(s.complaint_ids) for s in BurstSuggestion.objects.filter(window_end__gt=now - day)]
    with transaction.atomic():
        for _day, p, _neg, window, (dimension, value, region), count, expected in candidates:
            ids = recent["members"][window][(dimension, value, region)]
            idset = set(ids)
            if any(len(idset & taken) >= settings.overlap * len(idset) for taken in recent_taken):
                continue
            start = now - WINDOWS[window]
            suggestion, created = BurstSuggestion.objects.get_or_create(
                key=f"{dimension}|{value}|{region}|{window}|{start:%Y-%m-%dT%H:%M}",
                defaults=dict(dimension=dimension, value=value[:128], region=region[:64], window=window,
                              window_start=start, window_end=now, count=count, expected=round(expected, 2),
                              p_value=p if p > 0 else math.ulp(0.0), complaint_ids=ids[:1000],
                              words=_shared_words(ids), created_at=now))
            recent_taken.append(idset)
            if created:
                result.created.append(suggestion)
                if notify_managers:
                    _notify(suggestion, now)
    return result


def _notify(suggestion: BurstSuggestion, now: datetime) -> None:
    managers = [u for u in User.objects.filter(is_active=True, role__in=(Role.MANAGER, Role.ADMIN))
                if u.can(Permission.INCIDENT_MANAGE)]
    window = Message("incident.window.hour" if suggestion.window == "hour" else "incident.window.day")
    notify(
        recipients=managers, kind="incident_burst",
        title=Message("notice.burst", count=suggestion.count, value=suggestion.value,
                      region=suggestion.region or "-"),
        body=Message("notice.burst_body", count=suggestion.count, window=window,
                     expected=f"{suggestion.expected:.1f}", words="、".join(suggestion.words) or "-"),
        key=f"burst:{suggestion.pk}", now=now,
    )
