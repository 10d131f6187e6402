"""Writers of the SLA app."""

from __future__ import annotations

import functools
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F

from kesu.channels.webhooks_out import webhook_sla_due
from kesu.complaints.models import Complaint, ComplaintEvent, EventKind
from kesu.complaints.records import complaints_for_update, event_new
from kesu.complaints.taxonomy import category_parents
from kesu.core.bulk import rows_create, rows_update
from kesu.core.errors import FieldError, FieldErrors
from kesu.core.messages import given
from kesu.notifications.actions import Notice, notify_many
from kesu.sla.calendar import CalendarError, WorkCalendar, calendar_always
from kesu.sla.calendars import calendar_cache_reset, calendar_load
from kesu.sla.clocks import Calendars, ClockReport, Fact, clocks_compute, snapshot_marks
from kesu.sla.context import sla_policies
from kesu.sla.models import SOURCE_MANUAL, Calendar, CalendarDay, CalendarYear, DayKind
from kesu.sla.notices import sla_notices, sla_notify
from kesu.sla.policies import ComplaintFacts, Policy, policy_select
from kesu.sla.schedules import schedule_read, schedule_store

logger = logging.getLogger(__name__)

# calendars


@dataclass(frozen=True)
class ImportResult:
    calendar: str
    country: str
    year: int
    holidays: int  # days off stored from the package (weekends included)
    workdays: int  # make-up working days stored from the package
    kept_manual: int  # days of that year entered by hand, kept as they were
    estimated: bool  # the package only guessed this year (no official schedule yet)


def _calendar_get(name: str | None) -> Calendar:
    row = Calendar.objects.filter(name=name).first() if name else Calendar.objects.filter(is_default=True).first()
    if row is None:
        raise CalendarError("calendar.unknown", name=name) if name else CalendarError("calendar.no_default")
    return row


def calendar_touch(*, calendar: Calendar, now: datetime) -> None:
    """Record that ``calendar`` (its rows, days or years) changed: every process reloads it."""
    Calendar.objects.filter(pk=calendar.pk).update(version=F("version") + 1, updated_at=now)
    transaction.on_commit(calendar_cache_reset)


def calendar_save(*, calendar: Calendar, now: datetime) -> Calendar:
    """Validate and save a calendar's own fields; ticking ``is_default`` unticks the previous default."""
    try:
        calendar.full_clean()
    except ValidationError as error:
        raise FieldErrors(
            [FieldError(name, "field.invalid", text=" ".join(messages)) for name, messages in error.message_dict.items()]
        ) from error
    with transaction.atomic():
        if calendar.is_default:
            Calendar.objects.filter(is_default=True).exclude(pk=calendar.pk).update(
                is_default=False, version=F("version") + 1, updated_at=now
            )
        calendar.updated_at = now
        calendar.save()
        calendar_touch(calendar=calendar, now=now)
    calendar.refresh_from_db(fields=["version"])
    return calendar


def calendar_import(*, calendar_name: str | None, country: str, year: int, now: datetime) -> ImportResult:
    """Load ``country``'s holidays and make-up working days of ``year`` from the ``holidays`` package.

    Idempotent: replaces the days of that year that came from the package, keeps those entered by
    hand, and marks the year covered.
    """
    schedule = schedule_read(country, year)
    with transaction.atomic():
        calendar = _calendar_get(calendar_name)
        counts = schedule_store(day_model=CalendarDay, year_model=CalendarYear, calendar=calendar,
                                schedule=schedule, now=now, manual=SOURCE_MANUAL)
        calendar_touch(calendar=calendar, now=now)
    return ImportResult(
        calendar=calendar.name, country=schedule.country, year=year, holidays=counts.holidays,
        workdays=counts.workdays, kept_manual=counts.kept_manual, estimated=schedule.estimated,
    )


def calendar_day_set(
    *, calendar_name: str | None, day: date, kind: str, name: str = "", now: datetime
) -> CalendarDay:
    """Enter ``day`` by hand as a holiday or a make-up working day; a later import keeps it."""
    if kind not in DayKind.values:
        raise FieldError("kind", "field.unknown", value=given(kind), choices=list(DayKind.values))
    if len(name) > 64:
        raise FieldError("name", "field.too_long", limit=64, got=len(name))
    with transaction.atomic():
        calendar = _calendar_get(calendar_name)
        row, _created = CalendarDay.objects.update_or_create(
            calendar=calendar, date=day, defaults={"kind": kind, "name": name, "source": SOURCE_MANUAL}
        )
        calendar_touch(calendar=calendar, now=now)
    return row


def calendar_day_clear(*, calendar_name: str | None, day: date, now: datetime) -> bool:
    """Make ``day`` an ordinary day of the week again; False if it was one already."""
    with transaction.atomic():
        calendar = _calendar_get(calendar_name)
        deleted, _ = CalendarDay.objects.filter(calendar=calendar, date=day).delete()
        if deleted:
            calendar_touch(calendar=calendar, now=now)
    return bool(deleted)


def calendar_year_cover(*, calendar_name: str | None, year: int, now: datetime) -> CalendarYear:
    """Declare ``year`` covered after entering its days by hand (no package import)."""
    if not 1950 <= year <= 2100:
        raise FieldError("year", "field.out_of_range", low=1950, high=2100, got=given(year))
    with transaction.atomic():
        calendar = _calendar_get(calendar_name)
        row, _created = CalendarYear.objects.update_or_create(
            calendar=calendar, year=year, defaults={"source": SOURCE_MANUAL, "estimated": False, "imported_at": now}
        )
        calendar_touch(calendar=calendar, now=now)
    return row


# clocks: recomputed on every change of a complaint and by the sweep (docs/architecture.md, "Deadlines are stored")

SWEEP_CHUNK = 500
RETRY_AFTER = timedelta(hours=1)  # a complaint whose calendar is not covered is looked at again


def complaint_facts(complaint: Complaint, *, tier: str | None = None) -> ComplaintFacts:
    parents = category_parents()
    codes: set[str] = set()
    code = complaint.category.code if complaint.category_id else ""
    while code and code not in codes:
        codes.add(code)
        code = parents.get(code, "")
    return ComplaintFacts(
        priority=complaint.priority, channel=complaint.channel, tier=tier or complaint.customer.tier,
        categories=frozenset(codes), red_channel=complaint.red_channel,
    )


def _fact(event: ComplaintEvent) -> Fact:
    return Fact(kind=event.kind, at=event.at, to_status=event.to_status, data=event.data)


def _calendars(policy: Policy) -> Calendars:
    working = calendar_load(policy.calendar)
    return Calendars(working=working, always=_always(working.tz))


@functools.lru_cache(maxsize=32)
def _always(tz) -> WorkCalendar:
    """The around-the-clock calendar of ``tz`` (immutable: one per process and zone)."""
    return calendar_always(tz)


def policy_of(complaint: Complaint) -> Policy | None:
    """The policy that applies to ``complaint`` now (the first whose conditions hold)."""
    return policy_select(sla_policies(), complaint_facts(complaint))


def clock_report(
    complaint: Complaint, *, now: datetime, events: Sequence[ComplaintEvent] | None = None
) -> ClockReport | None:
    """The clocks of ``complaint`` at ``now`` (read-only; for the API and the desk)."""
    policy = policy_of(complaint)
    if policy is None:
        return None
    events = complaint.events.all() if events is None else events
    return clocks_compute([_fact(e) for e in events], policy.spec, _calendars(policy), now)


def _snapshot(report: ClockReport, policy: Policy) -> dict[str, Any]:
    return {
        "policy": policy.spec.name,
        "calendar": policy.calendar or "",
        "paused": report.paused,
        "clocks": [
            {
                "clock": c.clock, "run": c.run, "state": c.state, "target_minutes": c.target_minutes,
                "around_the_clock": c.around_the_clock, "started_at": _iso(c.started_at), "due_at": _iso(c.due_at),
                "warn_at": _iso(c.warn_at), "stopped_at": _iso(c.stopped_at), "elapsed_minutes": c.elapsed_minutes,
            }
            for c in report.clocks
        ],
    }


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def _event(complaint: Complaint, kind: str, now: datetime, **data: Any) -> ComplaintEvent:
    return event_new(complaint, kind, now=now, data=data)


_DUE_EVENT = {"warned": EventKind.SLA_WARNED, "breached": EventKind.SLA_BREACHED, "met": EventKind.SLA_MET}


def _due_events(complaint: Complaint, report: ClockReport, told: dict, now: datetime) -> list[ComplaintEvent]:
    """One event per kind of clock change (all the clocks it concerns), one per escalation step."""
    by_kind: dict[str, list[dict]] = {}
    steps: list[ComplaintEvent] = []
    for due in report.due:
        if due.kind in _DUE_EVENT:
            by_kind.setdefault(due.kind, []).append(
                {"clock": due.clock, "run": due.run, "due_at": _iso(due.at), "notified": told.get(due.key, [])}
            )
        elif due.kind == "escalated":
            steps.append(_event(complaint, EventKind.ESCALATED, now, level=due.level, clock=due.clock, run=due.run,
                                due_at=_iso(due.at), notified=told.get(due.key, [])))
        elif due.kind == "specialist":
            steps.append(_event(complaint, EventKind.ESCALATED, now, specialist=True, compensation_prereview=True,
                                 due_at=_iso(due.at), notified=told.get(due.key, [])))
        elif due.kind == "reminded":
            steps.append(_event(complaint, EventKind.REMINDED, now, reminder=due.level, due_at=_iso(due.at),
                                 notified=told.get(due.key, [])))
    clock_events = [_event(complaint, _DUE_EVENT[kind], now, clocks=clocks) for kind, clocks in by_kind.items()]
    return clock_events + steps


SLA_FIELDS = ["sla", "next_due_at", "escalation_level", "sla_deadline_at", "sla_breached"]


@dataclass
class SlaBatch:
    """What ``sla_refresh`` leaves to its caller to write at once: the notifications (and their
    deliveries), the events and the complaints' SLA fields — a sweep's whole chunk, or intake's one
    complaint with the routing's events and fields (``fields``)."""

    notices: list[Notice] = field(default_factory=list)
    events: list[ComplaintEvent] = field(default_factory=list)
    complaints: list[Complaint] = field(default_factory=list)

    def write(self, fields: Sequence[str] = SLA_FIELDS) -> None:
        notify_many(self.notices)
        rows_create(ComplaintEvent, self.events)  # one INSERT (in batches of the database's limit)
        rows_update(Complaint, self.complaints, fields)  # one prepared UPDATE, run per row


@dataclass(frozen=True)
class Refresh:
    report: ClockReport | None
    recorded: tuple[str, ...]  # the kinds of the events written


def sla_refresh(
    complaint: Complaint, *, now: datetime, events: Sequence[ComplaintEvent] | None = None,
    batch: SlaBatch | None = None,
) -> Refresh:
    """Recompute the clocks of ``complaint`` (locked by the caller, in its transaction): record what
    fell due (once: what was recorded is read back from the events), notify, store the deadlines and
    ``next_due_at``. ``events``: the complaint's whole timeline when the caller holds it already.
    ``batch`` (the sweep): the notices, events and SLA fields are added to it, for the caller to
    write with its other complaints', instead of written here."""
    events = list(complaint.events.order_by("at", "id")) if events is None else list(events)
    previous = complaint.sla or {}
    policy = policy_of(complaint)
    written: list[ComplaintEvent] = []
    notices: list[Notice] | None = None if batch is None else []
    report = None
    if policy is None:
        if previous.get("policy"):
            written.append(_event(complaint, EventKind.SLA_APPLIED, now, policy=None, previous=previous["policy"]))
        complaint.sla, complaint.next_due_at = {}, None
        complaint.sla_deadline_at, complaint.sla_breached = None, False
    else:
        if previous.get("policy") != policy.spec.name:
            written.append(_event(
                complaint, EventKind.SLA_APPLIED, now, policy=policy.spec.name, previous=previous.get("policy"),
                title=policy.titles[0], title_en=policy.titles[1], calendar=policy.calendar or "",
                targets={name: t.minutes for name, t in policy.spec.targets.items()},
            ))
        try:
            report = _record(complaint, policy, events, written, previous, now, notices)
        except CalendarError as error:
            logger.warning("SLA of %s not computed: %s", complaint.number, error)
            complaint.sla = {"policy": policy.spec.name, "error": error.message_obj.as_data(), "clocks": [],
                             "paused": bool(previous.get("paused"))}
            complaint.next_due_at = now + RETRY_AFTER
    if batch is not None:
        batch.notices.extend(notices or ())
        batch.events.extend(written)
        batch.complaints.append(complaint)
    else:
        if written:
            ComplaintEvent.objects.bulk_create(written)  # one INSERT for all
        complaint.save(update_fields=SLA_FIELDS)
    return Refresh(report, tuple(event.kind for event in written))


def sla_refresh_many(complaints: Sequence[Complaint], *, now: datetime,
                     timelines: dict[int, list[ComplaintEvent]]) -> int:
    """``sla_refresh`` for many complaints (locked by the caller, each timeline given whole): the same
    clocks, events and notices, written together through one :class:`SlaBatch`. Returns how many
    events were written."""
    batch = SlaBatch()
    for complaint in complaints:
        sla_refresh(complaint, now=now, events=timelines.get(complaint.pk, ()), batch=batch)
    batch.write()
    return len(batch.events)


def _record(complaint, policy: Policy, events: list, written: list, previous: dict, now: datetime,
            notices: list[Notice] | None = None) -> ClockReport:
    """Compute, record the pause/resume and what fell due (appending to ``written``), snapshot."""
    calendars = _calendars(policy)
    report = clocks_compute([_fact(e) for e in [*events, *written]], policy.spec, calendars, now)
    if previous.get("policy") and bool(previous.get("paused")) != report.paused:
        kind = EventKind.SLA_PAUSED if report.paused else EventKind.SLA_RESUMED
        written.append(_event(complaint, kind, now, clocks=[c.clock for c in report.clocks if c.stopped_at is None]))
    if report.due:
        levels = {level.level: level.notify for level in policy.spec.levels}
        if notices is None:
            told = sla_notify(complaint, report.due, levels=levels, now=now)
        else:  # the sweep writes them with its chunk's
            told, due_notices = sla_notices(complaint, report.due, levels=levels, now=now)
            notices.extend(due_notices)
        written.extend(_due_events(complaint, report, told, now))
        webhook_sla_due(complaint, written, now=now)
        report = clocks_compute([_fact(e) for e in [*events, *written]], policy.spec, calendars, now)
    complaint.sla = _snapshot(report, policy)
    complaint.next_due_at = report.next_due_at
    complaint.escalation_level = report.escalation_level
    complaint.sla_deadline_at, complaint.sla_breached = _marks(complaint.sla, report)
    return report


def _marks(snapshot: dict, report: ClockReport) -> tuple[datetime | None, bool]:
    """The stored deadline and breach: a complaint that waits on a mass incident is due when the
    incident expects recovery (its own clocks are paused meanwhile)."""
    deadline, breached = snapshot_marks(snapshot)
    return (report.incident_due_at or deadline), breached


def sla_backfill(complaint: Complaint, events: Sequence[ComplaintEvent], *, tier: str, now: datetime) -> list[ComplaintEvent]:
    """For bulk writers (the demo): the SLA events ``complaint``'s timeline would have had, each at the
    instant it fell due, without notifying anyone; fills the complaint's SLA fields. Nothing is saved."""
    policy = policy_select(sla_policies(), complaint_facts(complaint, tier=tier))
    if policy is None:
        return []
    calendars = _calendars(policy)
    created = events[0].at
    added = [ComplaintEvent(complaint=complaint, kind=EventKind.SLA_APPLIED, at=created, from_status="new",
                            to_status="new", data={"policy": policy.spec.name, "previous": None,
                                                   "calendar": policy.calendar or ""})]
    timeline = sorted([*events, *added], key=lambda e: e.at)
    for _round in range(3):  # the ladder's levels come due once the breach is on record
        report = clocks_compute([_fact(e) for e in timeline], policy.spec, calendars, now)
        if not report.due:
            break
        known = list(timeline)
        for due in report.due:
            at = max(due.at or now, created)
            event = _due_events(complaint, ClockReport(policy.spec.name, (), (due,), None, False, 0), {}, at)[0]
            event.from_status = event.to_status = _status_at(known, at)
            added.append(event)
            timeline.append(event)
        timeline.sort(key=lambda e: e.at)
    complaint.sla = _snapshot(report, policy)
    complaint.next_due_at = report.next_due_at
    complaint.escalation_level = report.escalation_level
    complaint.sla_deadline_at, complaint.sla_breached = _marks(complaint.sla, report)
    return added[:1] + sorted(added[1:], key=lambda e: e.at)


def _status_at(timeline: Sequence[ComplaintEvent], at: datetime) -> str:
    status = ""
    for event in timeline:
        if event.at > at:
            break
        status = event.to_status or status
    return status


@dataclass(frozen=True)
class SweepResult:
    looked_at: int
    recorded: int


def sla_sweep(*, now: datetime, chunk: int = SWEEP_CHUNK) -> SweepResult:
    """Act on every complaint whose ``next_due_at`` has come, ``chunk`` at a time; idempotent and safe
    with two sweepers at once (each row is locked or skipped, and what was recorded is read back from
    the events, so it is never recorded twice). Cost grows with what is due, not with what is open.

    One transaction per chunk (ADR 0015): the due rows are locked together (rows another sweeper
    holds are skipped), their timelines read in one query, and each complaint is refreshed in a
    savepoint of its own, so one that fails is rolled back alone and looked at again in an hour."""
    looked_at = recorded = 0
    passed: set[int] = set()  # still due after their turn (taken by another sweeper, or retrying)
    while True:
        ids = list(
            Complaint.objects.filter(next_due_at__lte=now).exclude(pk__in=passed)
            .order_by("next_due_at", "id").values_list("pk", flat=True)[:chunk]
        )
        if not ids:
            return SweepResult(looked_at, recorded)
        with transaction.atomic():
            locked = _sla_locked_chunk(ids, now)
            passed.update(set(ids) - {c.pk for c in locked})
            try:
                with transaction.atomic():  # the chunk's writes in bulk
                    outcome = _sweep_chunk(locked, now, bulk=True)
            except Exception:  # a complaint or the bulk write failed: the chunk again, one complaint at a time
                logger.warning("SLA sweep: a chunk failed in bulk; its complaints again one by one", exc_info=True)
                outcome = _sweep_chunk(_sla_locked_chunk([c.pk for c in locked], now), now, bulk=False)
            done, count, still_due, failed = outcome
            looked_at += done
            recorded += count
            passed.update(still_due)
            if failed:
                passed.update(failed)
                Complaint.objects.filter(pk__in=failed, next_due_at__lte=now).update(next_due_at=now + RETRY_AFTER)


def _sweep_chunk(locked: list[Complaint], now: datetime, *, bulk: bool) -> tuple[int, int, list[int], list[int]]:
    """Refresh the locked complaints. ``bulk``: their notices, events and SLA fields are written
    together at the end (one INSERT or UPDATE per table), and any failure raises, for the caller to
    undo the chunk and run it again without ``bulk``: each complaint in a savepoint of its own, one
    that fails rolled back alone. Returns how many were refreshed, the events recorded, those still
    due and those that failed."""
    timelines = _timelines([c.pk for c in locked])
    batch = SlaBatch() if bulk else None
    done = recorded = 0
    still_due: list[int] = []
    failed: list[int] = []
    for complaint in locked:
        events = timelines.get(complaint.pk, [])
        if batch is not None:
            refresh = sla_refresh(complaint, now=now, events=events, batch=batch)
        else:
            try:
                with transaction.atomic():  # a savepoint: a failure undoes this complaint only
                    refresh = sla_refresh(complaint, now=now, events=events)
            except Exception:  # one complaint that fails (a bug, a deadlock) must not stop the others
                logger.exception("SLA sweep of complaint %s failed; it is looked at again in an hour",
                                 complaint.pk)
                failed.append(complaint.pk)
                continue
        done += 1
        recorded += len(refresh.recorded)
        if complaint.next_due_at is not None and complaint.next_due_at <= now:
            still_due.append(complaint.pk)
    if batch is not None:
        batch.write()
    return done, recorded, still_due, failed


def _sla_locked_chunk(ids: list[int], now: datetime) -> list[Complaint]:
    """The complaints of ``ids`` still due, locked in id order; rows another sweeper holds are skipped."""
    return list(
        complaints_for_update(skip_locked=True)
        .select_related("customer", "category", "assignee", "group__lead", "group__department__manager")
        .filter(pk__in=ids, next_due_at__lte=now)
        .order_by("pk")
    )


def _timelines(ids: list[int]) -> dict[int, list[ComplaintEvent]]:
    """The events of ``ids``, each complaint's in time order, in one query."""
    timelines: dict[int, list[ComplaintEvent]] = {}
    for event in ComplaintEvent.objects.filter(complaint_id__in=ids).order_by("complaint_id", "at", "id"):
        timelines.setdefault(event.complaint_id, []).append(event)
    return timelines
