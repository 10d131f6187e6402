"""When demo complaints arrive: a year of timestamps with the complaint centre's rhythm.

Local time (the centre's zone, Asia/Shanghai by default): peaks at 09–11 and 14–16, quiet nights,
weekends about 30% lower than weekdays, a slow rise over the year, a lull over the Spring Festival
and the online-shopping peaks of 618 and 双十一. Pure: give it a random generator and ``now``.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta
from itertools import accumulate
from zoneinfo import ZoneInfo

# relative arrivals per local hour 0..23
# fmt: off
HOUR_WEIGHTS: tuple[float, ...] = (
    0.16, 0.10, 0.07, 0.06, 0.06, 0.09, 0.22, 0.50, 0.95, 1.55, 1.65, 1.25,
    0.80, 0.95, 1.50, 1.60, 1.25, 1.00, 0.80, 0.78, 0.72, 0.58, 0.42, 0.26,
)
# fmt: on
WEEKEND_FACTOR = 0.7
PEAK_HOURS = (9, 10, 14, 15)

# first day of the Spring Festival (the holiday lull runs from the day before to day six)
# fmt: off
SPRING_FESTIVAL: tuple[date, ...] = (
    date(2023, 1, 22), date(2024, 2, 10), date(2025, 1, 29), date(2026, 2, 17), date(2027, 2, 6),
    date(2028, 1, 26), date(2029, 2, 13), date(2030, 2, 3), date(2031, 1, 23), date(2032, 2, 11),
)
# fmt: on

_HOUR_CUM = tuple(accumulate(HOUR_WEIGHTS))


def day_weight(day: date, *, progress: float) -> float:
    """Relative arrivals on ``day``; ``progress`` is 0 a year ago and 1 today (volume grows ~25%)."""
    weight = 0.9 + 0.25 * progress
    if day.weekday() >= 5:
        weight *= WEEKEND_FACTOR
    if (day.month, day.day) in ((11, 11), (11, 12), (11, 13)):
        weight *= 1.8
    elif (day.month, day.day) in ((6, 18), (6, 19)):
        weight *= 1.4
    for festival in SPRING_FESTIVAL:
        if -1 <= (day - festival).days <= 6:
            weight *= 0.55
    return weight


def arrivals_sample(rng: random.Random, *, count: int, now: datetime, zone: str) -> list[datetime]:
    """``count`` aware UTC datetimes in the 365 days before ``now``, sorted, with the profile above."""
    if now.tzinfo is None:
        raise ValueError("now must be an aware datetime")
    tz = ZoneInfo(zone)
    start = now - timedelta(days=365)
    first, last = start.astimezone(tz).date(), now.astimezone(tz).date()
    days = [first + timedelta(days=i) for i in range((last - first).days + 1)]
    span = max(len(days) - 1, 1)
    day_cum = list(accumulate(day_weight(day, progress=i / span) for i, day in enumerate(days)))
    result: list[datetime] = []
    while len(result) < count:
        need = count - len(result)
        picked_days = rng.choices(days, cum_weights=day_cum, k=need)
        picked_hours = rng.choices(range(24), cum_weights=_HOUR_CUM, k=need)
        for day, hour in zip(picked_days, picked_hours, strict=True):
            local = datetime.combine(day, time(hour, rng.randrange(60), rng.randrange(60)), tzinfo=tz)
            moment = local.astimezone(UTC)
            if start < moment <= now:  # the first and last day are partial
                result.append(moment)
    result.sort()
    return result
