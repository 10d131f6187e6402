"""Arrival forecasts: a day × interval grid, candidate models, a rolling-origin chooser and the evaluate protocol.

Pure (numpy, statsmodels, scikit-learn; no Django). Each candidate forecasts one whole day from the days
before it. Models that forecast the day's total (ETS, the calendar regression, their mean) spread it over
the intervals with the intraday profile of the same kind of day (weekday, holiday) over recent weeks.
The chooser backtests every candidate by rolling origin on the training days only and keeps the one with
the lowest mean MASE over the interval and daily levels.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import lru_cache

import numpy as np

MINUTES_PER_DAY = 1440
BASELINES = ("seasonal_naive", "mean_4_weeks")
CANDIDATES = ("seasonal_naive", "mean_4_weeks", "mean_8_weeks", "ets", "regression", "combined")
MIN_TRAIN_DAYS = 35
BACKTEST_DAYS = 28
HALF_LIFE_DAYS = 56.0
REGRESSION_DAYS = 364
ETS_REFIT_DAYS = 28


class ForecastError(ValueError):
    """The series cannot be forecast as asked (too short, an interval that does not fit)."""


@lru_cache(maxsize=64)
def _calendar_year(country: str, year: int) -> tuple[frozenset[date], frozenset[date]]:
    from kesu.sla.schedules import schedule_read

    try:
        schedule = schedule_read(country, year)
    except Exception:  # a year the package does not know: no holidays
        return frozenset(), frozenset()
    holidays = frozenset(day for day in schedule.holidays if day.weekday() < 5)
    return holidays, frozenset(schedule.workdays)


@dataclass(frozen=True)
class DayInfo:
    weekday: int
    holiday: bool  # a weekday off (statutory holiday, 调休 day off)
    makeup: bool  # a weekend day worked (调休上班)
    after_holiday: bool

    @property
    def kind(self) -> int:
        """Which days share an intraday profile: 7 = holiday, a make-up day works like a Monday."""
        if self.holiday:
            return 7
        if self.makeup:
            return 0
        return self.weekday


def day_infos(days: Sequence[date], country: str = "CN") -> list[DayInfo]:
    infos = []
    previous_off = False
    for day in days:
        holidays, workdays = _calendar_year(country, day.year)
        holiday = day in holidays
        makeup = day in workdays
        infos.append(DayInfo(day.weekday(), holiday, makeup, previous_off and not holiday))
        previous_off = holiday
    return infos


@dataclass
class Grid:
    """Counts per day (rows) and interval (columns); ``present`` is False for a day with no rows (closed)."""

    start: date
    interval_minutes: int
    counts: np.ndarray
    present: np.ndarray
    infos: list[DayInfo] = field(default_factory=list)
    ets_params: dict = field(default_factory=dict, repr=False)

    @property
    def days(self) -> list[date]:
        return [self.start + timedelta(days=i) for i in range(self.counts.shape[0])]

    @property
    def slots(self) -> int:
        return self.counts.shape[1]


def interval_infer(timestamps: Sequence[datetime]) -> int:
    """The smallest gap in minutes between two consecutive distinct timestamps of one day (30 if none)."""
    ordered = sorted(set(timestamps))
    gaps = [
        (b - a).total_seconds() / 60 for a, b in zip(ordered, ordered[1:], strict=False) if a.date() == b.date()
    ]
    positive = [g for g in gaps if g > 0]
    if not positive:
        return 30
    gap = min(positive)
    for candidate in (1, 5, 10, 15, 20, 30, 60, 120, 180, 240, 360, 480, 720, 1440):
        if gap <= candidate:
            return candidate
    return MINUTES_PER_DAY


def grid_build(rows: Sequence[tuple[datetime, float]], interval_minutes: int | None = None,
               country: str = "CN") -> Grid:
    """Sum ``rows`` into day × interval buckets (finer rows summed up); days with no row are closed."""
    local = [(at.replace(tzinfo=None), count) for at, count in rows]
    inferred = interval_infer([at for at, _ in local])
    interval = interval_minutes or inferred
    if interval <= 0 or MINUTES_PER_DAY % interval:
        raise ForecastError(f"--interval-minutes {interval} does not divide a day (1440 minutes)")
    if interval < inferred:
        raise ForecastError(f"--interval-minutes {interval} is finer than the file's {inferred}-minute rows")
    first = min(at for at, _ in local).date()
    last = max(at for at, _ in local).date()
    n_days = (last - first).days + 1
    slots = MINUTES_PER_DAY // interval
    counts = np.zeros((n_days, slots))
    present = np.zeros(n_days, dtype=bool)
    for at, count in local:
        day = (at.date() - first).days
        counts[day, (at.hour * 60 + at.minute) // interval] += count
        present[day] = True
    days = [first + timedelta(days=i) for i in range(n_days)]
    return Grid(first, interval, counts, present, day_infos(days, country))


# --- the candidates -----------------------------------------------------------------------------------


def _same_kind_days(grid: Grid, target: int, weeks: int, kind: bool = False) -> list[int]:
    """The last ``weeks`` present days before ``target`` on the same weekday (or of the same kind)."""
    found = []
    if kind:
        want = grid.infos[target].kind
        for day in range(target - 1, -1, -1):
            if grid.present[day] and grid.infos[day].kind == want:
                found.append(day)
                if len(found) == weeks:
                    break
        return found
    for day in range(target - 7, -1, -7):
        if grid.present[day]:
            found.append(day)
            if len(found) == weeks:
                break
    return found


def seasonal_naive(grid: Grid, target: int) -> np.ndarray:
    return grid.counts[target - 7].copy() if target >= 7 else grid.counts[:target].mean(axis=0)


def mean_weeks(grid: Grid, target: int, weeks: int) -> np.ndarray:
    days = _same_kind_days(grid, target, weeks)
    if not days:
        return seasonal_naive(grid, target)
    return grid.counts[days].mean(axis=0)


def profile(grid: Grid, target: int, weeks: int = 8) -> np.ndarray:
    """The intraday shares of the recent days of the target's kind (every recent day when too few)."""
    days = [d for d in _same_kind_days(grid, target, weeks, kind=True) if grid.counts[d].sum() > 0]
    if len(days) < 2:
        days = [d for d in range(max(0, target - 28), target) if grid.counts[d].sum() > 0]
    if not days:
        return np.full(grid.slots, 1 / grid.slots)
    summed = grid.counts[days].sum(axis=0)
    return summed / summed.sum()


def _weights(n: int) -> np.ndarray:
    age = np.arange(n)[::-1]
    return 0.5 ** (age / HALF_LIFE_DAYS)


def _features(infos: Sequence[DayInfo], index: np.ndarray) -> np.ndarray:
    rows = []
    for info, t in zip(infos, index, strict=True):
        weekday = [0.0] * 7
        weekday[0 if info.makeup else info.weekday] = 1.0
        rows.append([*weekday, float(info.holiday), float(info.after_holiday), t / 365.0])
    return np.asarray(rows)


def regression_total(grid: Grid, target: int) -> float:
    """A log-linear regression of the daily total on weekday, holiday, make-up day, the day after a holiday
    and trend, fitted by weighted least squares to the last year (recent days weigh more, half-life 8 weeks)."""
    first = max(0, target - REGRESSION_DAYS)
    index = np.arange(first, target)
    totals = grid.counts[first:target].sum(axis=1)
    keep = grid.present[first:target]
    x = np.hstack([_features(grid.infos[first:target], index), np.ones((len(index), 1))])[keep]
    y = np.log1p(totals[keep])
    root = np.sqrt(_weights(len(index))[keep])[:, None]
    ridge = 1e-3 * np.eye(x.shape[1])
    coef = np.linalg.solve((x * root).T @ (x * root) + ridge, (x * root).T @ (y * root.ravel()))
    residual = y - x @ coef
    variance = float(np.average(residual ** 2, weights=root.ravel() ** 2)) if len(y) else 0.0
    row = np.hstack([_features([grid.infos[target]], np.array([target])), [[1.0]]])
    return float(max(np.expm1(row @ coef + variance / 2)[0], 0.0))


def _holiday_ratio(grid: Grid, target: int) -> float:
    """How a holiday's total compares with the same weekday's usual total, from the holidays seen so far."""
    ratios = []
    totals = grid.counts[:target].sum(axis=1)
    for day in range(7, target):
        if grid.infos[day].holiday:
            usual = [totals[d] for d in (day - 7, day - 14) if d >= 0 and not grid.infos[d].holiday]
            if usual and np.mean(usual) > 0:
                ratios.append(totals[day] / np.mean(usual))
    return float(np.median(ratios)) if ratios else 0.5


def ets_total(grid: Grid, target: int) -> float:
    """Holt–Winters (additive damped trend, weekly season) on the daily totals of the last year; holidays in
    the history are replaced by the week before, a holiday target is scaled by the holiday ratio."""
    from statsmodels.tsa.holtwinters import ExponentialSmoothing

    first = max(0, target - REGRESSION_DAYS)
    totals = grid.counts[first:target].sum(axis=1).astype(float)
    for i in range(len(totals)):
        if grid.infos[first + i].holiday or grid.infos[first + i].makeup:
            totals[i] = totals[i - 7] if i >= 7 else totals[i]
    if len(totals) < 21:
        return float(totals[-7:].mean())
    params = grid.ets_params.get(target // ETS_REFIT_DAYS)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = ExponentialSmoothing(
            totals, trend="add", damped_trend=True, seasonal="add", seasonal_periods=7,
            initialization_method="estimated" if params is None else "known",
            **({} if params is None else {"initial_level": params[4], "initial_trend": params[5],
                                            "initial_seasonal": params[6]}),
        )
        if params is None:  # optimise the smoothing parameters every few weeks, filter with them in between
            fitted = model.fit()
            found = fitted.params
            grid.ets_params[target // ETS_REFIT_DAYS] = (
                found["smoothing_level"], found["smoothing_trend"], found["smoothing_seasonal"],
                found["damping_trend"], found["initial_level"], found["initial_trend"], found["initial_seasons"],
            )
        else:
            fitted = model.fit(smoothing_level=params[0], smoothing_trend=params[1], smoothing_seasonal=params[2],
                               damping_trend=params[3], optimized=False)
        value = float(fitted.forecast(1)[0])
    info = grid.infos[target]
    if info.holiday:
        value *= _holiday_ratio(grid, target)
    elif info.makeup:
        monday = [totals[i] for i in range(len(totals) - 1, max(-1, len(totals) - 29), -1)
                  if grid.infos[first + i].weekday == 0]
        value = float(np.mean(monday)) if monday else value
    return max(value, 0.0)


def _closed_weekday(grid: Grid, target: int) -> bool:
    """The centre was closed on this weekday the last four weeks (and the day is no make-up working day)."""
    if grid.infos[target].makeup or target < 28:
        return False
    return not any(grid.present[target - 7 * k] for k in range(1, 5))


def candidate_forecasts(grid: Grid, target: int, names: Sequence[str]) -> dict[str, np.ndarray]:
    """Each named candidate's forecast of day ``target`` from the days before it."""
    out: dict[str, np.ndarray] = {}
    shares: np.ndarray | None = None
    totals: dict[str, float] = {}
    for name in names:
        if name == "seasonal_naive":
            out[name] = seasonal_naive(grid, target)
        elif name == "mean_4_weeks":
            out[name] = mean_weeks(grid, target, 4)
        elif name == "mean_8_weeks":
            out[name] = mean_weeks(grid, target, 8)
        elif _closed_weekday(grid, target):
            out[name] = np.zeros(grid.slots)
        else:
            if shares is None:
                shares = profile(grid, target)
            if name in ("ets", "combined") and "ets" not in totals:
                totals["ets"] = ets_total(grid, target)
            if name in ("regression", "combined") and "regression" not in totals:
                totals["regression"] = regression_total(grid, target)
            total = (totals["ets"] + totals["regression"]) / 2 if name == "combined" else totals[name]
            out[name] = total * shares
    return out


# --- accuracy -----------------------------------------------------------------------------------------


def scales(grid: Grid, end: int) -> tuple[float, float]:
    """The in-sample MAE of the weekly seasonal naive on days before ``end``: (interval, daily)."""
    counts = grid.counts[:end]
    if counts.shape[0] <= 7:
        raise ForecastError("the series needs more than a week before the held-out days")
    interval = float(np.abs(counts[7:] - counts[:-7]).mean())
    totals = counts.sum(axis=1)
    daily = float(np.abs(totals[7:] - totals[:-7]).mean())
    return interval or 1.0, daily or 1.0


def accuracy(actual: np.ndarray, predicted: np.ndarray, scale: float) -> dict[str, float]:
    error = actual - predicted
    mae = float(np.abs(error).mean())
    return {"mae": round(mae, 4), "rmse": round(float(np.sqrt((error ** 2).mean())), 4),
            "mase": round(mae / scale, 4)}


def _score(actual: np.ndarray, predicted: np.ndarray, interval_scale: float, daily_scale: float) -> float:
    interval = np.abs(actual - predicted).mean() / interval_scale
    daily = np.abs(actual.sum(axis=1) - predicted.sum(axis=1)).mean() / daily_scale
    return float(interval + daily) / 2


def choose(grid: Grid, end: int, progress: Callable[[str], None] | None = None) -> tuple[str, dict[str, float]]:
    """Backtest every candidate by rolling origin over the last training days before ``end``; the best name
    and every candidate's score (mean of interval and daily MASE)."""
    if end < MIN_TRAIN_DAYS:
        raise ForecastError(f"the training part has {end} days; at least {MIN_TRAIN_DAYS} are needed")
    origins = list(range(max(MIN_TRAIN_DAYS - 7, end - min(BACKTEST_DAYS, end // 4)), end))
    interval_scale, daily_scale = scales(grid, origins[0])
    forecasts: dict[str, list[np.ndarray]] = {name: [] for name in CANDIDATES}
    for i, day in enumerate(origins):
        for name, values in candidate_forecasts(grid, day, CANDIDATES).items():
            forecasts[name].append(values)
        if progress and (i + 1) % 7 == 0:
            progress(f"backtest {i + 1}/{len(origins)} days")
    actual = grid.counts[origins]
    scores = {name: round(_score(actual, np.asarray(values), interval_scale, daily_scale), 4)
              for name, values in forecasts.items()}
    return min(scores, key=lambda name: (scores[name], CANDIDATES.index(name))), scores


def evaluate(grid: Grid, progress: Callable[[str], None] | None = None) -> dict:
    """The protocol of ``kesu forecast evaluate``: the last 20 % of days held out, each forecast one day ahead
    from everything before it; MAE, RMSE and MASE (scaled by the in-sample weekly seasonal naive) at the
    interval level and for daily totals, for the chosen model and the two baselines."""
    n_days = grid.counts.shape[0]
    n_test = max(1, math.ceil(0.2 * n_days))
    first_test = n_days - n_test
    chosen, scores = choose(grid, first_test, progress)
    names = tuple(dict.fromkeys((chosen, *BASELINES)))
    predicted: dict[str, list[np.ndarray]] = {name: [] for name in names}
    for i, day in enumerate(range(first_test, n_days)):
        for name, values in candidate_forecasts(grid, day, names).items():
            predicted[name].append(values)
        if progress and (i + 1) % 7 == 0:
            progress(f"held-out {i + 1}/{n_test} days")
    interval_scale, daily_scale = scales(grid, first_test)
    actual = grid.counts[first_test:]
    report: dict = {"chosen": chosen, "interval": {}, "daily": {}}
    for key, name in (("model", chosen), ("seasonal_naive", "seasonal_naive"), ("mean_4_weeks", "mean_4_weeks")):
        values = np.asarray(predicted[name])
        report["interval"][key] = accuracy(actual.ravel(), values.ravel(), interval_scale)
        report["daily"][key] = accuracy(actual.sum(axis=1), values.sum(axis=1), daily_scale)
    report["interval_minutes"] = grid.interval_minutes
    report["days"] = {"train": first_test, "test": n_test}
    report["backtest"] = scores
    return report


@dataclass(frozen=True)
class Forecast:
    day: date
    values: np.ndarray
    low80: np.ndarray
    high80: np.ndarray
    low95: np.ndarray
    high95: np.ndarray


def forecast_days(grid: Grid, model: str, horizon: int, residual_scale: float) -> list[Forecast]:
    """Forecast ``horizon`` days after the grid, each from the previous (forecast) days, with 80 / 95 %
    intervals from the backtest's interval-level residual spread (wider the further ahead) and Poisson noise."""
    extended = Grid(grid.start, grid.interval_minutes, grid.counts.copy(), grid.present.copy(), list(grid.infos))
    out = []
    last = grid.days[-1]
    for step in range(1, horizon + 1):
        day = last + timedelta(days=step)
        extended.infos.append(day_infos([day])[0])
        extended.counts = np.vstack([extended.counts, np.zeros(grid.slots)])
        extended.present = np.append(extended.present, True)
        target = extended.counts.shape[0] - 1
        values = np.clip(candidate_forecasts(extended, target, (model,))[model], 0, None)
        extended.counts[target] = values
        spread = np.sqrt(values + (residual_scale * math.sqrt(step)) ** 2)
        out.append(Forecast(day, values, np.clip(values - 1.2816 * spread, 0, None), values + 1.2816 * spread,
                            np.clip(values - 1.96 * spread, 0, None), values + 1.96 * spread))
    return out
