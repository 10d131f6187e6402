"""The workforce app's domain operations that read the database (simulation, forecasts from kesu's history)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction

from kesu.core.errors import FieldError, FieldErrors
from kesu.workforce.models import StoredForecast
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


def forecast_refresh(*, now: datetime) -> StoredForecast:
    """Compute the arrivals forecast from kesu's history and store it (the page reads the newest one)."""
    from kesu.workforce.page_data import forecast_payload

    payload = forecast_payload(now=now)
    with transaction.atomic():
        stored = StoredForecast.objects.create(computed_at=now, payload=payload)
        StoredForecast.objects.filter(computed_at__lt=now - timedelta(days=30)).delete()
    return stored


SIMULATION_MAX_REPLICATIONS = 20
SIMULATION_MAX_DAYS = 31


def simulation_form_run(*, data: dict, groups: list[str]) -> dict:
    """Check the simulation page's form (every bad field named) and run today and the scenario side by side."""
    errors: list[FieldError] = []
    start = _form_date(data.get("from", ""), "from", errors)
    end = _form_date(data.get("to", ""), "to", errors)
    replications = _form_number(data.get("replications", ""), "replications", errors, int, 1,
                                 SIMULATION_MAX_REPLICATIONS)
    volume = _form_number(data.get("volume", "") or "0", "volume", errors, float, -90, 500)
    handlers = {}
    for group in groups:
        change = _form_number(data.get(f"handlers_{group}", "") or "0", f"handlers_{group}", errors, int, -100, 100)
        if change:
            handlers[group] = int(change)
    faster = {}
    stage = data.get("faster_group", "")
    percent = _form_number(data.get("faster_percent", "") or "0", "faster_percent", errors, float, 0, 90)
    if stage and stage not in groups:
        errors.append(FieldError("faster_group", "workforce.form_choice", got=stage))
    elif stage and percent:
        faster[stage] = 1 - percent / 100
    if start and end and end < start:
        errors.append(FieldError("to", "workforce.period_order", start=start.isoformat(), end=end.isoformat()))
    elif start and end and (end - start).days + 1 > SIMULATION_MAX_DAYS:
        errors.append(FieldError("to", "workforce.form_period", high=SIMULATION_MAX_DAYS))
    if errors:
        raise FieldErrors(errors)
    assert start and end and replications is not None and volume is not None
    scenario = Scenario(name="scenario", handlers=handlers, volume=volume / 100, faster=faster)
    try:
        return centre_simulate(start=start, end=end, scenarios=[scenario], replications=int(replications))
    except FieldError as error:
        field_name = {"--from": "from", "--to": "to", "--replications": "replications"}.get(error.field, error.field)
        raise FieldErrors([FieldError(field_name, error.code, **error.params)]) from None


def _form_date(value: str, name: str, errors: list) -> date | None:
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        errors.append(FieldError(name, "workforce.form_date", got=value))
        return None


def _form_number(value: str, name: str, errors: list, kind, low, high):
    try:
        number = kind(str(value).strip())
    except ValueError:
        errors.append(FieldError(name, "workforce.form_number", got=value, low=low, high=high))
        return None
    if not low <= number <= high:
        errors.append(FieldError(name, "workforce.form_number", got=value, low=low, high=high))
        return None
    return number
