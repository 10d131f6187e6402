"""Jobs: the nightly risk re-scoring of every open complaint, and one complaint's re-score after its events."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from kesu.core.clock import clock_now


@db_periodic_task(crontab(hour="2", minute="30"))
def risk_nightly() -> int:
    from kesu.workforce.risk_actions import risk_score

    return risk_score(now=clock_now())


@db_task()
def risk_rescore(complaint_id: int) -> int:
    from kesu.workforce.risk_actions import risk_score

    return risk_score(now=clock_now(), complaint_ids=[complaint_id])


@db_periodic_task(crontab(hour="3", minute="15"))
def forecast_nightly() -> int:
    """Refresh the stored arrivals forecasts the forecast page shows (daily): all complaints, and each
    channel's and category's. Returns how many were stored."""
    from kesu.workforce.actions import forecast_refresh_all

    return forecast_refresh_all(now=clock_now())


@db_task()
def simulation_job(run_id: int) -> str:
    """Run a simulation the page queued (progress and result in its SimulationRun)."""
    from kesu.workforce.actions import simulation_execute

    return simulation_execute(run_id, now=clock_now).state


@db_periodic_task(crontab(minute="20"))
def resolution_hourly() -> int:
    """Refresh the resolution-time quantiles the "likely resolved by" of open complaints reads."""
    from kesu.workforce.predictions import resolution_refresh

    return resolution_refresh(now=clock_now())


@db_periodic_task(crontab(minute="50", hour="*/3"))
def process_predictions_job() -> int:
    """Retrain the process model on the closed complaints and store each open complaint's next step and
    expected end (the desk's panel reads them)."""
    from kesu.workforce.process_predictions import process_predictions_refresh

    return process_predictions_refresh(now=clock_now())
