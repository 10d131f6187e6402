"""SLA clocks of one complaint, computed from its events: a pure function (docs/architecture.md, "Deadlines are stored").

Eight monitored nodes from creation to follow-up (docs/architecture.md, "Time limits"):

    assignment           runs while the complaint waits unassigned (status ``new``)           派单
    acceptance           from each assignment until the handler starts handling               接单
    first_response       from creation until a handler first acts (start, contact, pend …)    首次响应
    first_contact        from creation until the customer is first contacted                 首次联系
    transfer_acceptance  from each transfer until the receiving group starts handling        转派接收
    resolution           from creation (and each reopen) until resolved                      解决
    closure              from each resolution until closed                                   结案
    follow_up            from closing until the follow-up visit                              回访

A running clock pauses while the complaint waits for the customer and resumes on their reply; it
pauses too while the complaint waits on a mass incident (an ``incident_linked`` event that says
``waits``: the incident's expected recovery is its deadline — ``incident_due_at``, moved by each
``incident_updated`` event — and resumes when it is unlinked). A
run ends *met* when it stopped within its target, *breached* otherwise. Targets are working time on
the policy's calendar unless the policy says "around the clock" (the red channel's 30 minutes).

Besides the clocks, :func:`clocks_compute` lists what is *due* at ``now`` — warnings, breaches,
escalation levels, the 48-hour escalation to a senior specialist and the red channel's hourly
reminders — minus what the events say was already recorded, and the instant the next thing falls
due (``next_due_at``). Recording is the caller's job (``sla/actions.py``); doing it twice is
impossible because what was recorded is read back from the events.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from kesu.sla.calendar import WorkCalendar, working_add, working_seconds

NODES = (
    "assignment",
    "acceptance",
    "first_response",
    "first_contact",
    "transfer_acceptance",
    "resolution",
    "closure",
    "follow_up",
)

OPEN_STATUSES = frozenset({"new", "assigned", "in_progress", "pending_customer"})
PAUSED_STATUS = "pending_customer"

# which event kinds start and stop each node (status changes are read from ``to_status``)
# (closing or merging before these cancels the node: see _replay)
_FIRST_RESPONSE_STOPS = frozenset({"started", "contacted", "reply_sent", "pended", "resolved"})
_FIRST_CONTACT_STOPS = frozenset({"contacted", "reply_sent", "pended"})
_FINISHED = frozenset({"resolved", "closed"})


@dataclass(frozen=True)
class ClockTarget:
    minutes: int
    around_the_clock: bool = False


@dataclass(frozen=True)
class EscalationLevel:
    """Level ``level`` is reached when a clock has been breached for ``after_minutes`` (working time);
    ``notify`` names who is told: handler, team_lead or manager."""

    level: int
    after_minutes: int
    notify: str


@dataclass(frozen=True)
class PolicySpec:
    name: str
    targets: Mapping[str, ClockTarget]
    warn_percent: int = 75
    levels: tuple[EscalationLevel, ...] = ()
    specialist_after_minutes: int | None = None  # around the clock, from creation, while unresolved
    remind_every_minutes: int | None = None  # around the clock, while open (red channel)


@dataclass(frozen=True)
class Fact:
    """What the clocks need of one event."""

    kind: str
    at: datetime
    to_status: str = ""
    data: Mapping[str, Any] = field(default_factory=dict)


@dataclass
class _Run:
    number: int
    started_at: datetime
    target: ClockTarget
    segments: list[list[datetime | None]] = field(default_factory=list)  # running [start, end)
    stopped_at: datetime | None = None
    cancelled: bool = False

    @property
    def running(self) -> bool:
        return self.stopped_at is None and bool(self.segments) and self.segments[-1][1] is None

    @property
    def paused(self) -> bool:
        return self.stopped_at is None and not self.running

    def pause(self, at: datetime) -> None:
        if self.running:
            self.segments[-1][1] = at

    def resume(self, at: datetime) -> None:
        if self.paused:
            self.segments.append([at, None])

    def stop(self, at: datetime) -> None:
        self.pause(at)
        self.stopped_at = at


@dataclass(slots=True)
class ClockView:
    """One clock as a handler sees it (its latest run)."""

    clock: str
    run: int
    state: str  # ok | warning | breached | met | paused | cancelled
    target_minutes: int
    around_the_clock: bool
    started_at: datetime
    due_at: datetime | None  # None while paused
    warn_at: datetime | None
    stopped_at: datetime | None
    elapsed_minutes: int
    overdue_minutes: int  # working minutes past due (0 when not breached)
    breached_runs: int  # runs of this clock that breached, this one included


@dataclass(frozen=True)
class Due:
    """Something to record now: ``kind`` is warned, breached, met, escalated, specialist or reminded."""

    kind: str
    clock: str = ""
    run: int = 0
    level: int = 0
    at: datetime | None = None  # when it fell due

    @property
    def key(self) -> tuple:
        return (self.kind, self.clock, self.run, self.level)


@dataclass(frozen=True)
class ClockReport:
    policy: str
    clocks: tuple[ClockView, ...]
    due: tuple[Due, ...]
    next_due_at: datetime | None
    paused: bool
    escalation_level: int
    # while it waits on a mass incident: the incident's expected recovery (its deadline shown to people)
    incident_due_at: datetime | None = None


def recorded_keys(facts: Iterable[Fact]) -> set[tuple]:
    """The warnings, breaches, escalations … already recorded as events."""
    keys: set[tuple] = set()
    for fact in facts:
        if fact.kind == "sla_warned":
            for item in fact.data.get("clocks", ()):
                keys.add(("warned", item["clock"], item["run"], 0))
        elif fact.kind == "sla_breached":
            for item in fact.data.get("clocks", ()):
                keys.add(("breached", item["clock"], item["run"], 0))
        elif fact.kind == "sla_met":
            for item in fact.data.get("clocks", ()):
                keys.add(("met", item["clock"], item["run"], 0))
        elif fact.kind == "escalated":
            if fact.data.get("specialist"):
                keys.add(("specialist", "", 0, 0))
            else:
                keys.add(("escalated", fact.data.get("clock", ""), int(fact.data.get("run", 0)),
                          int(fact.data.get("level", 0))))
        elif fact.kind == "reminded":
            keys.add(("reminded", "", 0, int(fact.data.get("reminder", 0))))
    return keys


class _Clocks:
    def __init__(self, policy: PolicySpec) -> None:
        self.policy = policy
        self.runs: dict[str, list[_Run]] = {node: [] for node in NODES}

    def current(self, node: str) -> _Run | None:
        runs = self.runs[node]
        return runs[-1] if runs and runs[-1].stopped_at is None else None

    def start(self, node: str, at: datetime, *, paused: bool, minutes: int | None = None) -> None:
        target = self.policy.targets.get(node)
        if target is None:
            return
        if minutes is not None:
            target = ClockTarget(minutes, target.around_the_clock)
        self.stop(node, at, cancel=True)
        run = _Run(number=len(self.runs[node]) + 1, started_at=at, target=target)
        if not paused:
            run.segments.append([at, None])
        self.runs[node].append(run)

    def stop(self, node: str, at: datetime, *, cancel: bool = False) -> None:
        run = self.current(node)
        if run is not None:
            run.stop(at)
            run.cancelled = cancel

    def each_current(self) -> Iterable[_Run]:
        for runs in self.runs.values():
            if runs and runs[-1].stopped_at is None:
                yield runs[-1]


def _instant(value: Any) -> datetime | None:
    return datetime.fromisoformat(value) if isinstance(value, str) and value else None


def _replay(facts: Sequence[Fact], policy: PolicySpec) -> tuple[_Clocks, str, datetime | None, bool, datetime | None]:
    """Replay the events. A run *ends* when its node is done (then it is met or breached) and is
    *cancelled* when the node no longer applies — e.g. the complaint was merged before anyone
    answered, reassigned before it was accepted, reopened before the follow-up visit. A cancelled run
    records nothing and counts neither as met nor as breached."""
    clocks = _Clocks(policy)
    status = ""
    created_at: datetime | None = None
    waits = False  # on a mass incident (ADR 0011): its own clocks pause, the incident's time applies
    waits_until: datetime | None = None  # the incident's expected recovery while it waits
    paused = False
    for fact in facts:
        at, kind = fact.at, fact.kind
        before = status
        was_paused = paused
        if fact.to_status:
            status = fact.to_status
        if kind == "incident_linked":
            waits = bool((fact.data or {}).get("waits"))
            waits_until = _instant((fact.data or {}).get("expected_recovery_at")) if waits else None
        elif kind == "incident_updated":
            if waits:
                waits_until = _instant((fact.data or {}).get("expected_recovery_at"))
        elif kind == "incident_unlinked" or status in _FINISHED:
            waits, waits_until = False, None
        paused = status == PAUSED_STATUS or waits
        if kind == "created":
            created_at = at
            clocks.start("first_response", at, paused=False)
            clocks.start("first_contact", at, paused=False)
            clocks.start("resolution", at, paused=False)
        if kind in _FIRST_RESPONSE_STOPS:
            clocks.stop("first_response", at)
        if kind in _FIRST_CONTACT_STOPS:
            clocks.stop("first_contact", at)
        if kind == "started":
            clocks.stop("transfer_acceptance", at)
        if kind == "transferred":  # a transfer during a transfer cancels the first one's clock
            minutes = fact.data.get("accept_minutes")
            clocks.start("transfer_acceptance", at, paused=False, minutes=int(minutes) if minutes else None)
        if kind == "reopened":
            clocks.stop("closure", at, cancel=True)
            clocks.stop("follow_up", at, cancel=True)
            clocks.start("resolution", at, paused=False)
        if kind == "resolved":
            clocks.stop("resolution", at)
            clocks.start("closure", at, paused=False)
        if kind == "closed":  # each closing asks for a follow-up visit
            clocks.stop("closure", at)
            clocks.start("follow_up", at, paused=False)
        if kind == "followed_up":
            clocks.stop("follow_up", at)
        # status-driven nodes
        if status != before:
            if before == "new":
                clocks.stop("assignment", at, cancel=status not in ("assigned", "in_progress"))
            if before == "assigned":
                clocks.stop("acceptance", at, cancel=kind != "started")
            if status == "new":
                clocks.start("assignment", at, paused=False)
            if status == "assigned":
                clocks.start("acceptance", at, paused=False)
            if status in _FINISHED:  # what is still running no longer applies
                for node in NODES:
                    if node not in ("closure", "follow_up"):
                        clocks.stop(node, at, cancel=True)
        elif kind in ("assigned", "transferred") and status == "assigned":  # reassigned: acceptance again
            clocks.start("acceptance", at, paused=False)
        for run in clocks.each_current():
            if paused:
                run.pause(at)
            elif was_paused:
                run.resume(at)
    return clocks, status, created_at, paused, waits_until


def _seconds(run: _Run, calendars: Calendars, until: datetime) -> int:
    calendar = calendars.pick(run.target)
    total = 0
    for start, end in run.segments:
        total += working_seconds(calendar, _at(start), end or until)
    return total


def _at(moment: datetime | None) -> datetime:
    """A segment's start (never None: only its end may be open)."""
    assert moment is not None
    return moment


@dataclass(frozen=True)
class Calendars:
    working: WorkCalendar
    always: WorkCalendar

    def pick(self, target: ClockTarget) -> WorkCalendar:
        return self.always if target.around_the_clock else self.working


def _view(node: str, run: _Run, runs: list[_Run], calendars: Calendars, policy: PolicySpec, now: datetime,
          recorded: set[tuple], due: list[Due], pending: list[datetime]) -> ClockView:
    calendar = calendars.pick(run.target)
    target = run.target.minutes * 60
    warn = target * policy.warn_percent // 100
    if run.stopped_at is not None:
        elapsed = _seconds(run, calendars, run.stopped_at)
        if run.cancelled:
            state = "cancelled"
        else:
            state = "met" if elapsed <= target else "breached"
            # a run's end is recorded once: a breach the sweep recorded while it ran, or a result
            # recorded under another policy, is not judged again
            if ("met", node, run.number, 0) not in recorded and ("breached", node, run.number, 0) not in recorded:
                due.append(Due(state, node, run.number, at=run.stopped_at))
        due_at = warn_at = None
        overdue = 0 if run.cancelled else max(0, elapsed - target)
    else:
        closed = 0
        for start, end in run.segments:
            if end is not None:
                closed += working_seconds(calendar, _at(start), end)
        if run.running:
            resumed = _at(run.segments[-1][0])
            due_at = working_add(calendar, resumed, max(0, target - closed))
            warn_at = working_add(calendar, resumed, max(0, warn - closed)) if warn > closed else None
            elapsed = closed + working_seconds(calendar, resumed, now)
        else:
            due_at = warn_at = None
            elapsed = closed
        if run.paused:
            state = "paused"
        elif elapsed >= target:
            state = "breached"
        elif elapsed >= warn:
            state = "warning"
        else:
            state = "ok"
        overdue = max(0, elapsed - target)
        if run.running:
            for kind, when in (("warned", warn_at), ("breached", due_at)):
                if when is None or (kind, node, run.number, 0) in recorded:
                    continue
                if when <= now:
                    due.append(Due(kind, node, run.number, at=when))
                else:
                    pending.append(when)
    earlier = sum(1 for r in runs[:-1] if ("breached", node, r.number, 0) in recorded)
    breached_runs = earlier + (state == "breached")
    return ClockView(
        clock=node, run=run.number, state=state, target_minutes=run.target.minutes,
        around_the_clock=run.target.around_the_clock, started_at=run.started_at, due_at=due_at,
        warn_at=warn_at, stopped_at=run.stopped_at, elapsed_minutes=elapsed // 60,
        overdue_minutes=overdue // 60, breached_runs=breached_runs,
    )


def _ended_due(node: str, run: _Run, calendars: Calendars, recorded: set[tuple], due: list[Due]) -> None:
    if run.cancelled or run.stopped_at is None:
        return
    if ("met", node, run.number, 0) in recorded or ("breached", node, run.number, 0) in recorded:
        return
    state = "met" if _seconds(run, calendars, run.stopped_at) <= run.target.minutes * 60 else "breached"
    due.append(Due(state, node, run.number, at=run.stopped_at))


def clocks_compute(
    facts: Sequence[Fact], policy: PolicySpec, calendars: Calendars, now: datetime
) -> ClockReport:
    """Every clock of a complaint at ``now``, what is due to be recorded, and the next due instant."""
    clocks, status, created_at, paused, waits_until = _replay(facts, policy)
    recorded = recorded_keys(facts)
    due: list[Due] = []
    pending: list[datetime] = []
    views = []
    for node in NODES:
        runs = clocks.runs[node]
        for run in runs[:-1]:  # earlier runs: their end may not be on record yet (a bulk replay)
            _ended_due(node, run, calendars, recorded, due)
        if runs:
            views.append(_view(node, runs[-1], runs, calendars, policy, now, recorded, due, pending))
    is_open = status in OPEN_STATUSES
    level = _ladder(views, policy, calendars, now, recorded, due, pending, is_open)
    if is_open and created_at is not None:
        if not paused:  # no escalation or reminder while we wait for the customer or an incident
            _specialist(created_at, policy, now, recorded, due, pending)
            _reminders(created_at, policy, now, recorded, due, pending)
    return ClockReport(
        policy=policy.name,
        clocks=tuple(views),
        due=tuple(due),
        next_due_at=min([d.at for d in due if d.at] + pending, default=None),
        paused=paused,
        escalation_level=level,
        incident_due_at=waits_until if status in OPEN_STATUSES else None,
    )


def _ladder(views, policy, calendars, now, recorded, due, pending, is_open) -> int:
    """Escalation levels, per breached clock run: level N once the run has been breached for the
    level's ``after_minutes`` (working time of its calendar). Returns the level reached by the runs
    still breached (a clock met or a complaint resolved leaves the ladder)."""
    if not is_open:
        return 0
    reached = 0
    for view in views:
        if view.state != "breached" or view.stopped_at is not None or view.due_at is None:
            continue
        calendar = calendars.pick(ClockTarget(view.target_minutes, view.around_the_clock))
        for level in policy.levels:
            if ("escalated", view.clock, view.run, level.level) in recorded:
                reached = max(reached, level.level)
                continue
            when = working_add(calendar, view.due_at, level.after_minutes * 60)
            if when <= now:
                due.append(Due("escalated", view.clock, view.run, level=level.level, at=when))
            else:
                pending.append(when)
    return reached


def _specialist(created_at, policy, now, recorded, due, pending) -> None:
    if policy.specialist_after_minutes is None or ("specialist", "", 0, 0) in recorded:
        return
    when = created_at + timedelta(minutes=policy.specialist_after_minutes)
    if when <= now:
        due.append(Due("specialist", at=when))
    else:
        pending.append(when)


def _reminders(created_at, policy, now, recorded, due, pending) -> None:
    every = policy.remind_every_minutes
    if not every:
        return
    step = timedelta(minutes=every)
    latest = int((now - created_at) / step)  # reminders that have fallen due: 1 … latest
    if latest >= 1 and ("reminded", "", 0, latest) not in recorded:
        # only the latest is sent: a late sweep does not fire a burst of stale reminders
        due.append(Due("reminded", level=latest, at=created_at + latest * step))
    pending.append(created_at + (latest + 1) * step)


def snapshot_marks(snapshot: dict) -> tuple[datetime | None, bool]:
    """What the queues select on, from a stored SLA snapshot (``Complaint.sla``): the earliest due
    instant of a running clock not yet breached (the next deadline), and whether a running clock is
    breached. Reminders and the specialist step are not deadlines (they are in ``next_due_at``)."""
    deadline: datetime | None = None
    breached = False
    for clock in snapshot.get("clocks") or ():
        if clock.get("stopped_at"):
            continue
        if clock.get("state") == "breached":
            breached = True
        elif clock.get("state") in ("ok", "warning") and clock.get("due_at"):
            due = datetime.fromisoformat(clock["due_at"])
            deadline = due if deadline is None or due < deadline else deadline
    return deadline, breached
