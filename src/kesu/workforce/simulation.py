"""A discrete-event model of the centre (simpy): pure, fed with journeys read from the event history.

A *journey* is one resolved complaint of the period: the groups it passed through with the time it spent in
each (handling, pending and queueing as they happened), its SLA allowance, whether it was reopened. Arrivals
follow the period's weekday × hour rates (a Poisson process); each arrival draws a journey of the period
(empirical distributions that keep the category / group / duration mix together). A group holds a number
of concurrent slots — its handlers × the concurrent complaints a handler carried at the period's peak — and
a complaint waits for a slot of each group it visits. Scenarios change handlers per group, the volume, the
speed of a group's stage, or the SLA allowance.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

HOUR = 3600.0
WEEK = 7 * 24 * HOUR
WARM_UP_DAYS = 30


@dataclass(frozen=True)
class Journey:
    stages: tuple[tuple[str, float], ...]  # (group code, seconds in the group)
    allowance: float | None  # seconds from creation to the SLA deadline
    reopened: bool
    created: float = 0.0  # seconds after the period's start (history only)
    resolved: float = 0.0


@dataclass
class Scenario:
    name: str = "today"
    handlers: dict[str, int] = field(default_factory=dict)  # group → ± handlers
    volume: float = 0.0  # + x (0.1 = 10 % more arrivals)
    faster: dict[str, float] = field(default_factory=dict)  # group → factor on its stage time (0.8 = 20 % faster)
    sla_factor: float = 1.0  # another SLA policy: the allowance × this

    @classmethod
    def from_dict(cls, data: dict, name: str = "scenario") -> Scenario:
        if not isinstance(data, dict):
            raise ValueError("the scenario must be a JSON object")
        unknown = set(data) - {"name", "handlers", "volume", "faster", "sla_factor"}
        if unknown:
            raise ValueError(f"unknown key {sorted(unknown)[0]!r} (handlers, volume, faster, sla_factor)")
        handlers = data.get("handlers", {})
        faster = data.get("faster", {})
        if not isinstance(handlers, dict) or not all(isinstance(v, int) for v in handlers.values()):
            raise ValueError("handlers: give {\"group code\": ±whole number}")
        if not isinstance(faster, dict) or not all(isinstance(v, int | float) and v > 0 for v in faster.values()):
            raise ValueError("faster: give {\"group code\": factor above 0}, e.g. 0.8")
        volume = data.get("volume", 0.0)
        if not isinstance(volume, int | float) or volume <= -1:
            raise ValueError("volume: give a number above -1, e.g. 0.1 for 10 % more")
        sla_factor = data.get("sla_factor", 1.0)
        if not isinstance(sla_factor, int | float) or sla_factor <= 0:
            raise ValueError("sla_factor: give a number above 0")
        return cls(str(data.get("name", name)), handlers, float(volume), faster, float(sla_factor))


@dataclass
class CentreModel:
    rates: np.ndarray  # arrivals per second by hour of week (168)
    journeys: list[Journey]
    handlers: dict[str, int]
    slots_per_handler: dict[str, float]
    period_seconds: float
    start_hour_of_week: int  # the hour of week at which the period starts


def hour_of_week(weekday: int, hour: int) -> int:
    return weekday * 24 + hour


def peak_concurrency(journeys: list[Journey]) -> dict[str, int]:
    """The most complaints each group held at once in the history."""
    points: dict[str, list[tuple[float, int]]] = defaultdict(list)
    for journey in journeys:
        at = journey.created
        for group, seconds in journey.stages:
            points[group].append((at, 1))
            points[group].append((at + seconds, -1))
            at += seconds
    peaks = {}
    for group, changes in points.items():
        level = peak = 0
        for _at, step in sorted(changes):
            level += step
            peak = max(peak, level)
        peaks[group] = peak
    return peaks


def model_build(*, journeys: list[Journey], arrival_hours: list[int], period_seconds: float,
                start_hour_of_week: int, handlers: dict[str, int]) -> CentreModel:
    """Rates from the arrivals' hours of week over the period; slots from the peak concurrency per group."""
    weeks = period_seconds / WEEK
    counts = np.bincount(np.asarray(arrival_hours, dtype=int), minlength=168).astype(float)
    rates = counts / max(weeks, 1e-9) / HOUR
    peaks = peak_concurrency(journeys)
    slots_per_handler = {}
    staffed = {}
    for group, peak in peaks.items():
        people = max(1, handlers.get(group, 0))
        staffed[group] = people
        slots_per_handler[group] = max(1.0, peak / people)
    return CentreModel(rates, journeys, staffed, slots_per_handler, period_seconds, start_hour_of_week)


def _replicate(model: CentreModel, scenario: Scenario, seed: int) -> dict:
    import simpy

    rng = np.random.default_rng(seed)
    env = simpy.Environment()
    warm = WARM_UP_DAYS * 24 * HOUR
    horizon = warm + model.period_seconds
    slots = {}
    for group, people in model.handlers.items():
        count = max(0, people + scenario.handlers.get(group, 0))
        slots[group] = simpy.Resource(env, capacity=max(1, math.ceil(count * model.slots_per_handler[group])))
    busy: dict[str, float] = defaultdict(float)
    waits: dict[str, list[float]] = defaultdict(list)
    done: dict[str, int] = defaultdict(int)
    breaches: dict[str, list[bool]] = defaultdict(list)
    resolutions: list[float] = []
    in_period = [0]
    scale = 1 + scenario.volume
    peak_rate = float(model.rates.max()) * scale
    journeys = model.journeys

    def complaint(journey: Journey):
        arrived = env.now
        last_group = ""
        for group, seconds in journey.stages:
            resource = slots.get(group)
            seconds *= scenario.faster.get(group, 1.0)
            if resource is None:
                yield env.timeout(seconds)
                continue
            with resource.request() as request:
                queued = env.now
                yield request
                if queued >= warm:
                    waits[group].append(env.now - queued)
                start = env.now
                yield env.timeout(seconds)
                busy[group] += max(0.0, min(env.now, horizon) - max(start, warm))
            if env.now >= warm:
                done[group] += 1
            last_group = group
        if warm <= env.now < horizon:
            in_period[0] += 1
            resolutions.append(env.now - arrived)
            if journey.allowance is not None and last_group:
                breaches[last_group].append(env.now - arrived > journey.allowance * scenario.sla_factor)

    def arrivals():
        # thinning of a Poisson process with the hour-of-week rates
        if peak_rate <= 0:
            return
        while True:
            yield env.timeout(rng.exponential(1 / peak_rate))
            if env.now >= horizon:
                return
            hour = (model.start_hour_of_week + int((env.now - warm) // HOUR)) % 168
            if rng.random() < model.rates[hour] * scale / peak_rate:
                env.process(complaint(journeys[rng.integers(len(journeys))]))

    env.process(arrivals())
    env.run(until=horizon + 365 * 24 * HOUR)  # let the period's complaints finish (resolved after it: not counted)
    stages = {}
    for group, resource in slots.items():
        stages[group] = {
            "utilisation": busy[group] / (resource.capacity * model.period_seconds),
            "waiting_hours": float(np.mean(waits[group])) / HOUR if waits[group] else 0.0,
            "throughput": done[group],
            "sla_breach_share": float(np.mean(breaches[group])) if breaches[group] else 0.0,
            "slots": resource.capacity,
        }
    return {"throughput": in_period[0],
            "median_resolution_hours": float(np.median(resolutions)) / HOUR if resolutions else 0.0,
            "stages": stages}


def _summary(values: list[float]) -> dict:
    array = np.asarray(values, dtype=float)
    mean = float(array.mean())
    half = 1.96 * float(array.std(ddof=1)) / math.sqrt(len(array)) if len(array) > 1 else 0.0
    return {"mean": round(mean, 3), "ci95": [round(mean - half, 3), round(mean + half, 3)]}


def simulate(model: CentreModel, scenario: Scenario, replications: int, seed: int = 0,
             progress: Callable[[], None] | None = None) -> dict:
    """R replications: throughput and median resolution time with 95 % confidence intervals; per stage
    utilisation, waiting, throughput, SLA-breach share; the bottleneck (the busiest group). ``progress``
    is called after each replication."""
    runs = []
    for r in range(replications):
        runs.append(_replicate(model, scenario, seed + r))
        if progress is not None:
            progress()
    groups = sorted({g for run in runs for g in run["stages"]})
    stages = []
    for group in groups:
        rows = [run["stages"][group] for run in runs if group in run["stages"]]
        stages.append({
            "group": group,
            "slots": rows[0]["slots"],
            "utilisation": _summary([r["utilisation"] for r in rows]),
            "waiting_hours": _summary([r["waiting_hours"] for r in rows]),
            "throughput": _summary([r["throughput"] for r in rows]),
            "sla_breach_share": _summary([r["sla_breach_share"] for r in rows]),
        })
    bottleneck = max(stages, key=lambda s: s["utilisation"]["mean"])["group"] if stages else None
    return {
        "scenario": scenario.name,
        "throughput": _summary([run["throughput"] for run in runs]),
        "median_resolution_hours": _summary([run["median_resolution_hours"] for run in runs]),
        "stages": stages,
        "bottleneck": bottleneck,
    }
