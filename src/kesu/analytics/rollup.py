"""The pure core of the rollups: from a batch of events (and survey rows) to counter deltas.

Nothing here reads the database or the clock. ``analytics/actions.py`` loads what a batch needs
(the events, the complaints they concern, the earlier events of those complaints), calls
:func:`event_deltas` / :func:`survey_deltas`, and adds the result to the rollup tables in the same
transaction that moves the watermark.

Attribution: an event counts on the local day it happened and in the bucket of the complaint's
category, channel, group, region and product as they are when the event is counted (a later
correction of a category moves nothing until ``kesu analytics rebuild``).

The definitions (docs/kpis.md):

* first resolution: the complaint's first ``resolved`` event;
* first-contact resolution (FCR): a first resolution by the handler the complaint was first assigned
  to, with no transfer before it, and no reopening within 7 days after it (a reopening within 7 days
  takes the FCR back, on the resolution's day);
* first closing within 5 working days: the number of working days (default working calendar) after
  the day of creation up to and including the day of the first closing is at most 5;
* backlog: ``open_delta`` is +1 when a complaint enters a status other than closed from none or
  from closed, −1 when it enters closed; the backlog at the end of a day is the running sum.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, tzinfo
from typing import Any

FCR_WINDOW = timedelta(days=7)
CLOSURE_WORKING_DAYS = 5

# bucket keys: (table, key tuple)
FACTS = "facts"  # (day, category_id, channel, group_id); hours and age groups are counters of it
PLACE = "place"  # (day, region, category_id, channel, group_id)
PRODUCT = "product"  # (day, product, batch, category_id, channel, group_id)
TAG = "tag"  # (day, tag, category_id, channel, group_id)
CAUSE = "cause"  # (day, root_cause, category_id, channel, group_id)
SLA = "sla"  # (day, clock, category_id, channel, group_id)
HANDLER = "handler"  # (day, handler_id, group_id)

Deltas = dict[tuple[str, tuple], dict[str, int]]


@dataclass(frozen=True)
class ComplaintRow:
    """What the rollups need of a complaint."""

    id: int
    created_at: datetime
    category_id: int | None
    channel: str
    group_id: int | None
    region: str
    product: str
    batch: str
    repeat_count: int
    last_handler_id: int | None = None
    birth_year: int | None = None
    repeat_of_handler: int | None = None  # who had resolved the complaint this one repeats
    tags: tuple[str, ...] = ()


@dataclass(frozen=True)
class EventRow:
    id: int
    complaint_id: int
    kind: str
    actor_id: int | None
    at: datetime
    from_status: str
    to_status: str
    data: dict[str, Any]


@dataclass(frozen=True)
class SurveyRow:
    id: int
    complaint_id: int
    sent_at: datetime
    answered_at: datetime | None
    satisfaction: int | None
    nps: int | None


@dataclass
class History:
    """A complaint's state as far as its events have been walked."""

    first_assignee: int | None = None
    holder: int | None = None
    transferred: bool = False
    first_resolved_at: datetime | None = None
    fcr: bool = False
    last_resolver: int | None = None
    closed: bool = False


# the kinds whose earlier occurrences matter to later events of the same complaint
HISTORY_KINDS = ("assigned", "transferred", "resolved", "reopened", "closed")


def _ref_id(value: Any) -> int | None:
    return value.get("id") if isinstance(value, dict) else None


def _is_open(status: str) -> bool:
    return status not in ("", "closed")


def _add(deltas: Deltas, table: str, key: tuple, **counts: int) -> None:
    """Add ``counts`` to a bucket (a zero count may stay in it: a bucket whose counts are all zero
    is not written)."""
    bucket = deltas.get((table, key))
    if bucket is None:
        deltas[(table, key)] = counts  # a fresh dict (keyword arguments)
        return
    for name, value in counts.items():
        bucket[name] = bucket.get(name, 0) + value


AGE_GROUPS = ((25, "<25"), (35, "25-34"), (45, "35-44"), (55, "45-54"), (65, "55-64"), (200, "65+"))


AGE_COLUMNS = dict(zip([label for _limit, label in AGE_GROUPS] + ["unknown"],
                       ("age_lt25", "age_25_34", "age_35_44", "age_45_54", "age_55_64", "age_65p", "age_unknown"),
                       strict=True))


def age_group(birth_year: int | None, year: int) -> str:
    if not birth_year:
        return "unknown"
    age = year - birth_year
    return next(label for limit, label in AGE_GROUPS if age < limit)


TAG_MAX = 64


def tags_clean(tags: object) -> tuple[str, ...]:
    """A complaint's tags as the rollup keys them: distinct non-empty strings, cut to 64 characters."""
    if not isinstance(tags, list | tuple):
        return ()
    return tuple(sorted({str(tag)[:TAG_MAX] for tag in tags if tag}))


def working_days_after(is_working_day: Callable[[date], bool], start: date, end: date) -> int:
    """Working days in ``(start, end]``."""
    days, day = 0, start
    while day < end:
        day += timedelta(days=1)
        days += is_working_day(day)
    return days


def event_deltas(
    events: Iterable[EventRow],
    *,
    complaints: dict[int, ComplaintRow],
    history: dict[int, History],
    tz: tzinfo,
    is_working_day: Callable[[date], bool],
    count_from_id: int,
    day_from: date | None = None,
) -> Deltas:
    """Walk ``events`` (in id order, including the earlier history events of the same complaints) and
    return the deltas of those with ``id > count_from_id``. ``history`` is updated in place.
    ``day_from``: keep only deltas on that day or later (a partial rebuild)."""
    deltas: Deltas = {}

    def local(at: datetime) -> datetime:
        return at.astimezone(tz)

    for event in events:
        complaint = complaints.get(event.complaint_id)
        if complaint is None:
            continue
        state = history.setdefault(event.complaint_id, History())
        counted = event.id > count_from_id
        day = local(event.at).date()
        facts_key = (complaint.category_id or 0, complaint.channel, complaint.group_id or 0)
        out: list[tuple[str, tuple, dict[str, int]]] = []
        kind = event.kind
        if event.to_status and counted:
            delta = _is_open(event.to_status) - _is_open(event.from_status)
            if delta:
                out.append((FACTS, (day, *facts_key), {"open_delta": delta}))
                # the open complaints by the day they were created (the ageing buckets)
                out.append((FACTS, (local(complaint.created_at).date(), *facts_key), {"open_created": delta}))
        if kind == "created" and counted:
            hour = f"h{local(event.at).hour:02d}"
            age = AGE_COLUMNS[age_group(complaint.birth_year, day.year)]
            out.append((FACTS, (day, *facts_key), {"created": 1, "repeat": int(complaint.repeat_count > 0),
                                                   hour: 1, age: 1}))
            if complaint.repeat_of_handler is not None:
                out.append((HANDLER, (day, complaint.repeat_of_handler, complaint.group_id or 0), {"repeat": 1}))
            out.append((PLACE, (day, complaint.region, *facts_key), {"created": 1}))
            out.append((PRODUCT, (day, complaint.product, complaint.batch, *facts_key), {"created": 1}))
            for tag in complaint.tags:
                out.append((TAG, (day, tag, *facts_key), {"created": 1}))
        elif kind == "assigned":
            pair = event.data.get("assignee") or [None, None]
            new = _ref_id(pair[1]) if isinstance(pair, list) and len(pair) > 1 else None
            if state.first_assignee is None:
                state.first_assignee = new
            state.holder = new
        elif kind == "transferred":
            pair = event.data.get("assignee") or [None, None]
            state.holder = _ref_id(pair[1]) if isinstance(pair, list) and len(pair) > 1 else None
            if state.first_resolved_at is None:
                state.transferred = True
            if counted:
                out.append((FACTS, (day, *facts_key), {"transferred": 1}))
        elif kind == "resolved":
            resolver = event.actor_id or state.holder
            if state.first_resolved_at is None:
                state.first_resolved_at = event.at
                state.fcr = (
                    not state.transferred and resolver is not None and resolver == state.first_assignee
                )
                if counted:
                    out.append((FACTS, (day, *facts_key), {"first_resolved": 1, "fcr": int(state.fcr)}))
                    out.append((CAUSE, (day, event.data.get("root_cause") or "", *facts_key), {"resolved": 1}))
            state.last_resolver = resolver
            if counted and resolver is not None:
                out.append((HANDLER, (day, resolver, complaint.group_id or 0), {"resolved": 1}))
        elif kind == "reopened":
            if event.data.get("reopen_count") == 1 and counted:
                out.append((FACTS, (day, *facts_key), {"reopened_first": 1}))
            if state.fcr and state.first_resolved_at is not None and event.at - state.first_resolved_at <= FCR_WINDOW:
                state.fcr = False
                if counted:
                    resolved_day = local(state.first_resolved_at).date()
                    out.append((FACTS, (resolved_day, *facts_key), {"fcr": -1}))
            if counted and state.last_resolver is not None:
                out.append((HANDLER, (day, state.last_resolver, complaint.group_id or 0), {"reopened": 1}))
            state.holder = _ref_id(event.data.get("assignee"))
        elif kind == "closed":
            if not state.closed:
                state.closed = True
                if counted:
                    created_day = local(complaint.created_at).date()
                    within = working_days_after(is_working_day, created_day, day) <= CLOSURE_WORKING_DAYS
                    out.append((FACTS, (day, *facts_key), {"closed_first": 1, "closed_5wd": int(within)}))
        elif kind in ("sla_met", "sla_breached") and counted:
            met = kind == "sla_met"
            for clock in event.data.get("clocks") or []:
                name = clock.get("clock", "")
                out.append((SLA, (day, name, *facts_key), {"met": int(met), "breached": int(not met)}))
                if name == "first_response":
                    out.append((FACTS, (day, *facts_key), {"fr_met": int(met), "fr_breached": int(not met)}))
                if name == "resolution" and state.holder is not None:
                    out.append((HANDLER, (day, state.holder, complaint.group_id or 0),
                                {"res_met": int(met), "res_breached": int(not met)}))
        for table, key, counts in out:
            if day_from is None or key[0] >= day_from:
                _add(deltas, table, key, **counts)
    return deltas


def survey_sent_deltas(
    surveys: Iterable[SurveyRow], *, complaints: dict[int, ComplaintRow], tz: tzinfo, day_from: date | None = None
) -> Deltas:
    deltas: Deltas = {}
    for survey in surveys:
        complaint = complaints.get(survey.complaint_id)
        if complaint is None:
            continue
        day = survey.sent_at.astimezone(tz).date()
        if day_from is None or day >= day_from:
            key = (day, complaint.category_id or 0, complaint.channel, complaint.group_id or 0)
            _add(deltas, FACTS, key, surveys_sent=1)
    return deltas


def survey_answer_deltas(
    surveys: Iterable[SurveyRow], *, complaints: dict[int, ComplaintRow], tz: tzinfo, day_from: date | None = None
) -> Deltas:
    deltas: Deltas = {}
    for survey in surveys:
        complaint = complaints.get(survey.complaint_id)
        if complaint is None or survey.answered_at is None:
            continue
        day = survey.answered_at.astimezone(tz).date()
        if day_from is not None and day < day_from:
            continue
        key = (day, complaint.category_id or 0, complaint.channel, complaint.group_id or 0)
        counts = {"surveys_answered": 1}
        if survey.satisfaction is not None:
            counts |= {"sat_answers": 1, "sat_sum": survey.satisfaction}
        if survey.nps is not None:
            counts |= {"nps_answers": 1, "nps_promoters": int(survey.nps >= 9), "nps_detractors": int(survey.nps <= 6)}
        _add(deltas, FACTS, key, **counts)
        if complaint.last_handler_id is not None and survey.satisfaction is not None:
            _add(deltas, HANDLER, (day, complaint.last_handler_id, complaint.group_id or 0),
                 sat_answers=1, praise=int(survey.satisfaction == 5))
    return deltas


def deltas_merge(into: Deltas, more: Deltas) -> Deltas:
    for key, counts in more.items():
        bucket = into.setdefault(key, {})
        for name, value in counts.items():
            bucket[name] = bucket.get(name, 0) + value
    return into


@dataclass
class FeedResult:
    events: int = 0
    surveys_sent: int = 0
    surveys_answered: int = 0
    buckets: int = 0
    caught_up: bool = True
    extra: dict[str, int] = field(default_factory=dict)
