"""Reading SLA clocks for the API and the desk: computed live at ``now`` from the events."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from kesu.complaints.models import Complaint, ComplaintEvent
from kesu.sla.calendar import CalendarError
from kesu.sla.clocks import ClockReport, ClockView

logger = logging.getLogger(__name__)


def overdue_text(view: ClockView) -> str:
    """"normal" or "overdue N hours" (docs/architecture.md, "Time limits"), in working hours of the clock's calendar."""
    if view.overdue_minutes <= 0:
        return "normal"
    hours = view.overdue_minutes // 60
    if hours >= 1:
        return f"overdue {hours} hour" if hours == 1 else f"overdue {hours} hours"
    return f"overdue {view.overdue_minutes} minutes"


def clock_dict(view: ClockView) -> dict[str, Any]:
    return {
        "clock": view.clock,
        "run": view.run,
        "state": view.state,
        "target_minutes": view.target_minutes,
        "around_the_clock": view.around_the_clock,
        "started_at": view.started_at,
        "due_at": view.due_at,
        "warn_at": view.warn_at,
        "stopped_at": view.stopped_at,
        "elapsed_minutes": view.elapsed_minutes,
        "overdue_minutes": view.overdue_minutes,
        "overdue": overdue_text(view),
        "breached_runs": view.breached_runs,
    }


def complaint_clocks(
    complaint: Complaint, *, now: datetime, events: Sequence[ComplaintEvent] | None = None,
    report: ClockReport | None = None,
) -> dict[str, Any] | None:
    """Every clock of ``complaint`` at ``now`` with its policy, or None when no policy applies.
    ``report``: the clocks at ``now`` when the caller computed them already (intake's SLA step)."""
    from kesu.sla.actions import clock_report, policy_of

    policy = policy_of(complaint)
    if policy is None:
        return None
    body: dict[str, Any] = {
        "policy": policy.spec.name,
        "calendar": policy.calendar or "default",
        "next_due_at": complaint.next_due_at,
        "escalation_level": complaint.escalation_level,
        "paused": False,
        "incident_due_at": None,
        "error": "",
        "clocks": [],
    }
    try:
        report = report or clock_report(complaint, now=now, events=events)
    except CalendarError as error:
        body["error"] = str(error)
        return body
    if report is not None:
        body["paused"] = report.paused
        body["incident_due_at"] = report.incident_due_at  # it waits on a mass incident: due at its recovery
        body["clocks"] = [clock_dict(view) for view in report.clocks]
    return body
