"""Synthetic arrival series for tests and benchmarks: weekly and intraday seasonality, trend, Chinese holidays
and make-up days, over-dispersed counts. Not used to choose any setting (the chooser backtests)."""

from __future__ import annotations

import math
from datetime import datetime, timedelta

import numpy as np

from kesu.workforce.forecast import day_infos

WEEKDAY_LEVEL = (1.15, 1.05, 1.0, 1.0, 0.95, 0.55, 0.45)


def arrivals_synthetic(*, start: datetime, days: int, interval_minutes: int = 30, level: float = 400.0,
                       seed: int = 0, trend_per_year: float = 0.15, dispersion: float = 20.0,
                       closed_sundays: bool = False) -> list[tuple[datetime, float]]:
    rng = np.random.default_rng(seed)
    slots = 1440 // interval_minutes
    hours = (np.arange(slots) + 0.5) * interval_minutes / 60
    shape = np.exp(-((hours - 10.5) ** 2) / 6) + 0.8 * np.exp(-((hours - 15) ** 2) / 5) + 0.05
    weekend_shape = np.exp(-((hours - 13) ** 2) / 10) + 0.05
    infos = day_infos([(start + timedelta(days=i)).date() for i in range(days)])
    rows = []
    drift = 0.0
    for i, info in enumerate(infos):
        day = start + timedelta(days=i)
        if closed_sundays and info.weekday == 6 and not info.makeup:
            continue
        drift = 0.9 * drift + rng.normal(0, 0.03)
        factor = WEEKDAY_LEVEL[0 if info.makeup else info.weekday]
        if info.holiday:
            factor = 0.35
        elif info.after_holiday:
            factor *= 1.4
        total = level * factor * (1 + trend_per_year * i / 365) * math.exp(drift)
        curve = weekend_shape if (info.weekday >= 5 and not info.makeup) or info.holiday else shape
        mean = total * curve / curve.sum()
        counts = rng.negative_binomial(dispersion, dispersion / (dispersion + mean))
        for slot in range(slots):
            rows.append((day + timedelta(minutes=slot * interval_minutes), float(counts[slot])))
    return rows
