"""The workforce app's domain operations that read the database (simulation, forecasts from kesu's history)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction

from kesu.core.errors import FieldError, FieldErrors
from kesu.core.storable import iso_day
from kesu.workforce.models import SimulationRun, StoredForecast
from kesu.workforce.selectors import actual_between, handlers_per_group, journeys_between
from kesu.workforce.simulation import Scenario, hour_of_week, model_build, simulate


def _zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def period_bounds(start: date, end: date) -> tuple[datetime, datetime]:
    """[start 00:00, end 24:00) in the centre's time zone (``end`` included)."""
    zone = _zone()
    return (datetime.combine(start, time(0), tzinfo=zone),
            datetime.combine(end + timedelta(days=1), time(0), tzinfo=zone))


def centre_simulate(*, start: date, end: date, scenarios: list[Scenario], replications: int, seed: int = 0,
                    progress: Callable[[], None] | None = None) -> dict:
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
              "actual": actual_between(begin, finish),
              "today": simulate(model, Scenario(), replications, seed, progress)}
    for scenario in scenarios:
        result.setdefault("scenarios", []).append(simulate(model, scenario, replications, seed, progress))
    return result


def forecast_refresh(*, now: datetime, scope: str = "") -> StoredForecast:
    """Compute the arrivals forecast of ``scope`` (all complaints, a channel's or a category's) from kesu's
    history and store it (the page reads the newest one of the scope)."""
    from kesu.workforce.page_data import forecast_payload

    payload = forecast_payload(now=now, scope=scope)
    with transaction.atomic():
        stored = StoredForecast.objects.create(computed_at=now, payload=payload, scope=scope)
        StoredForecast.objects.filter(computed_at__lt=now - timedelta(days=30)).delete()
    return stored


def forecast_scopes(*, now: datetime) -> list[tuple[str, str]]:
    """(scope, label) of every forecast the page offers: all complaints, then each channel and each category
    with complaints in the last half-year."""
    from kesu.complaints.models import Category, Channel, Complaint
    from kesu.workforce.page_data import HISTORY_DAYS

    recent = Complaint.objects.filter(created_at__gte=now - timedelta(days=HISTORY_DAYS), created_at__lt=now)
    channels = set(recent.values_list("channel", flat=True).distinct())
    categories = set(recent.values_list("category__code", flat=True).distinct())
    labels = dict(Channel.choices)
    scopes = [("", "")]
    scopes += [(f"channel:{c}", str(labels.get(c, c))) for c in Channel.values if c in channels]
    scopes += [(f"category:{c.code}", c.name) for c in Category.objects.filter(code__in=categories).order_by("code")]
    return scopes


def forecast_refresh_all(*, now: datetime) -> int:
    """The daily job: every scope's forecast, and the staffing page's needs for all complaints and each
    channel at each interval (the page then only reads them); how many forecasts were stored."""
    from kesu.workforce.erlang import staffing_erlang_c
    from kesu.workforce.page_data import STAFFING_INTERVALS, staffing_store

    count = 0
    for scope, _label in forecast_scopes(now=now):
        forecast_refresh(now=now, scope=scope)
        count += 1
        if scope == "" or scope.startswith("channel:"):  # the staffing page's choices, ready for the day
            for interval in STAFFING_INTERVALS:
                staffing_store(now=now, interval_minutes=interval, channel=scope.partition(":")[2],
                               staffing=staffing_erlang_c)
    return count


# the page's bounds: the job runs outside the request, but a month × 20 replications takes about a minute
# (README, Performance), so 200 replications of a quarter is already a long wait
SIMULATION_MAX_REPLICATIONS = 200
SIMULATION_MAX_DAYS = 92


def simulation_form_check(*, data: dict, groups: list[str]) -> dict:
    """Check the simulation page's form (every bad field named); the job's parameters."""
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
    return {"from": start.isoformat(), "to": end.isoformat(), "replications": int(replications),
            "scenario": {"name": "scenario", "handlers": handlers, "volume": volume / 100, "faster": faster}}


def simulation_params_run(params: dict, progress: Callable[[], None] | None = None) -> dict:
    """Run today and the scenario of checked parameters side by side."""
    scenario = Scenario(**params["scenario"])
    try:
        return centre_simulate(start=date.fromisoformat(params["from"]), end=date.fromisoformat(params["to"]),
                               scenarios=[scenario], replications=params["replications"], progress=progress)
    except FieldError as error:
        field_name = {"--from": "from", "--to": "to", "--replications": "replications"}.get(error.field, error.field)
        raise FieldErrors([FieldError(field_name, error.code, **error.params)]) from None


def simulation_form_run(*, data: dict, groups: list[str]) -> dict:
    """Check the form and run it here (the command line and tests; the page queues a job instead)."""
    return simulation_params_run(simulation_form_check(data=data, groups=groups))


def simulation_queue(*, data: dict, groups: list[str], by, now: datetime) -> SimulationRun:
    """Check the form, record the run and queue its job (after the commit)."""
    params = simulation_form_check(data=data, groups=groups)
    with transaction.atomic():
        run = SimulationRun.objects.create(created_at=now, created_by=by, params=params,
                                           total=params["replications"] * 2)
        transaction.on_commit(lambda: _enqueue(run.pk))
    return run


def _enqueue(run_id: int) -> None:
    from kesu.workforce.tasks import simulation_job

    simulation_job(run_id)


def simulation_execute(run_id: int, *, now: Callable[[], datetime]) -> SimulationRun:
    """The job: run the simulation, writing its progress (replications done) as it goes; the result, or
    the reason it could not run, at the end."""
    run = SimulationRun.objects.get(pk=run_id)
    if run.state in (SimulationRun.State.DONE, SimulationRun.State.FAILED):
        return run
    SimulationRun.objects.filter(pk=run_id).update(state=SimulationRun.State.RUNNING, started_at=now(), done=0)
    done = 0

    def step() -> None:
        nonlocal done
        done += 1
        SimulationRun.objects.filter(pk=run_id).update(done=done)

    try:
        result = simulation_params_run(run.params, step)
    except FieldErrors as errors:
        first = errors.field_errors[0]
        SimulationRun.objects.filter(pk=run_id).update(
            state=SimulationRun.State.FAILED, finished_at=now(), error={"code": first.code, "params": first.params})
    else:
        SimulationRun.objects.filter(pk=run_id).update(
            state=SimulationRun.State.DONE, finished_at=now(), done=run.total, result=result)
    run.refresh_from_db()
    return run


def _form_date(value: str, name: str, errors: list) -> date | None:
    try:
        return iso_day(value.strip())
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
