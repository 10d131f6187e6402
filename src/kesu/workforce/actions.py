"""The workforce app's domain operations that read the database (simulation, forecasts from kesu's history)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings

from kesu.core.errors import FieldError
from kesu.workforce.selectors import actual_between, handlers_per_group, journeys_between
from kesu.workforce.simulation import Scenario, hour_of_week, model_build, simulate


def _zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def period_bounds(start: date, end: date) -> tuple[datetime, datetime]:
    """[start 00:00, end 24:00) in the centre's time zone (``end`` included)."""
    zone = _zone()
    return (datetime.combine(start, time(0), tzinfo=zone),
            datetime.combine(end + timedelta(days=1), time(0), tzinfo=zone))


def centre_simulate(*, start: date, end: date, scenarios: list[Scenario], replications: int, seed: int = 0) -> dict:
    """Simulate the centre over [start, end] as built from that period's history, today and each scenario."""
    if end < start:
        raise FieldError("--to", "workforce.period_order", start=start.isoformat(), end=end.isoformat())
    if not 1 <= replications <= 1000:
        raise FieldError("--replications", "workforce.replications", low=1, high=1000, got=replications)
    begin, finish = period_bounds(start, end)
    journeys, arrivals = journeys_between(begin, finish)
    if not journeys:
        raise FieldError("--from", "workforce.no_history", start=start.isoformat(), end=end.isoformat())
    zone = _zone()
    local = [at.astimezone(zone) for at in arrivals]
    model = model_build(journeys=journeys, arrival_hours=[hour_of_week(at.weekday(), at.hour) for at in local],
                        period_seconds=(finish - begin).total_seconds(),
                        start_hour_of_week=hour_of_week(begin.weekday(), begin.hour), handlers=handlers_per_group())
    result = {"from": start.isoformat(), "to": end.isoformat(), "replications": replications,
              "actual": actual_between(begin, finish), "today": simulate(model, Scenario(), replications, seed)}
    for scenario in scenarios:
        result.setdefault("scenarios", []).append(simulate(model, scenario, replications, seed))
    return result
