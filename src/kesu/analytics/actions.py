"""The writers of the analytics app: bring the rollups up to date, rebuild them, set KPI targets and
tell the owners of a KPI that crossed a threshold (once per period)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache
from itertools import repeat
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q

from kesu.analytics import rollup
from kesu.analytics.models import (
    DAILY_COUNTERS,
    HANDLER_COUNTERS,
    SCOPE_KEYS,
    CategoryDaily,
    CauseDaily,
    CentreCause,
    CentreDaily,
    CentreMix,
    CentrePlace,
    CentreProduct,
    CentreSla,
    CentreTag,
    ChannelDaily,
    DailyFacts,
    GroupCause,
    GroupDaily,
    GroupPlace,
    GroupProduct,
    GroupSla,
    GroupTag,
    HandlerDaily,
    KpiAlert,
    KpiTarget,
    PlaceDaily,
    ProductDaily,
    SlaDaily,
    TagDaily,
    Watermark,
)
from kesu.complaints.models import Complaint, ComplaintEvent
from kesu.core.errors import FieldError
from kesu.core.models import User
from kesu.surveys.models import Survey

BATCH = 20000  # events per transaction (the job when behind, a rebuild): fewer round trips, buckets merged
ANSWER_GRACE = timedelta(seconds=5)  # answers younger than this wait for the next run (late commits)

TABLES: dict[str, tuple[type, tuple[str, ...], tuple[str, ...]]] = {
    rollup.FACTS: (DailyFacts, ("day", *SCOPE_KEYS), DAILY_COUNTERS),
    rollup.PLACE: (PlaceDaily, ("day", "region", *SCOPE_KEYS), ("created",)),
    rollup.PRODUCT: (ProductDaily, ("day", "product", "batch", *SCOPE_KEYS), ("created",)),
    rollup.TAG: (TagDaily, ("day", "tag", *SCOPE_KEYS), ("created",)),
    rollup.CAUSE: (CauseDaily, ("day", "root_cause", *SCOPE_KEYS), ("resolved",)),
    # the centre-wide twins (the scope keys summed away)
    "centre:" + rollup.FACTS: (CentreDaily, ("day",), DAILY_COUNTERS),
    "centre:mix": (CentreMix, ("day", "category_id", "channel"), ("created",)),
    "centre:" + rollup.PLACE: (CentrePlace, ("day", "region"), ("created",)),
    "centre:" + rollup.PRODUCT: (CentreProduct, ("day", "product", "batch"), ("created",)),
    "centre:" + rollup.TAG: (CentreTag, ("day", "tag"), ("created",)),
    "centre:" + rollup.CAUSE: (CentreCause, ("day", "root_cause"), ("resolved",)),
    "centre:" + rollup.SLA: (CentreSla, ("day", "clock"), ("met", "breached")),
    # the one-group twins (category and channel summed away, the group first)
    "group:" + rollup.FACTS: (GroupDaily, ("group_id", "day"), DAILY_COUNTERS),
    # the one-channel and one-category twins of the daily facts
    "channel:" + rollup.FACTS: (ChannelDaily, ("channel", "day"), DAILY_COUNTERS),
    "category:" + rollup.FACTS: (CategoryDaily, ("category_id", "day"), DAILY_COUNTERS),
    "group:" + rollup.PLACE: (GroupPlace, ("group_id", "day", "region"), ("created",)),
    "group:" + rollup.PRODUCT: (GroupProduct, ("group_id", "day", "product", "batch"), ("created",)),
    "group:" + rollup.TAG: (GroupTag, ("group_id", "day", "tag"), ("created",)),
    "group:" + rollup.CAUSE: (GroupCause, ("group_id", "day", "root_cause"), ("resolved",)),
    "group:" + rollup.SLA: (GroupSla, ("group_id", "day", "clock"), ("met", "breached")),
    rollup.SLA: (SlaDaily, ("day", "clock", *SCOPE_KEYS), ("met", "breached")),
    rollup.HANDLER: (HandlerDaily, ("day", "handler_id", "group_id"), HANDLER_COUNTERS),
}
ROLLUP_MODELS = tuple(model for model, _keys, _counters in TABLES.values())


def centre_zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def working_day_test() -> Callable[[date], bool]:
    """Is a day a working day on the default calendar (a day outside its years: Monday–Friday)."""
    from kesu.sla.calendar import CalendarNotCovered, periods_on
    from kesu.sla.calendars import calendar_load

    cal = calendar_load()

    @cache
    def working(day: date) -> bool:
        try:
            return bool(periods_on(cal, day))
        except CalendarNotCovered:
            return day.weekday() < 5

    return working


CENTRE_TWIN = {table: "centre:" + table for table in TABLES if "centre:" + table in TABLES}
GROUP_TWIN = {table: "group:" + table for table in TABLES if "group:" + table in TABLES}


def _merge(out: rollup.Deltas, key: tuple, counts: dict[str, int]) -> None:
    bucket = out.get(key)
    if bucket is None:
        out[key] = dict(counts)
        return
    for name, value in counts.items():
        bucket[name] = bucket.get(name, 0) + value


def centre_deltas(deltas: rollup.Deltas) -> rollup.Deltas:
    """``deltas`` and, for each scoped table, its centre-wide twin's deltas (the last three key
    parts, the scope keys, summed away); for the daily facts also the mixes' twin (the group summed
    away, complaints created only) and its one-channel and one-category twins, and for the daily
    facts and the region / product / tag / cause / SLA rollups their one-group twins (category and
    channel summed away)."""
    out: rollup.Deltas = dict(deltas)
    scope = len(SCOPE_KEYS)
    for (table, key), counts in deltas.items():
        centre = CENTRE_TWIN.get(table)
        if centre is not None:
            _merge(out, (centre, key[:-scope]), counts)
        group = GROUP_TWIN.get(table)
        if group is not None:  # (group, day, dimension …): the scope keys are the last three
            _merge(out, (group, (key[-1], *key[:-scope])), counts)
        if table == rollup.FACTS:  # (day, category, channel, group)
            _merge(out, ("channel:" + table, (key[2], key[0])), counts)
            _merge(out, ("category:" + table, (key[1], key[0])), counts)
            if counts.get("created"):  # the mixes' twin: day × category × channel
                _merge(out, ("centre:mix", key[:3]), {"created": counts["created"]})
    return out


def deltas_apply(deltas: rollup.Deltas) -> int:
    """Add the deltas to the rollup rows (insert or add), in the caller's transaction: one
    ``INSERT … ON CONFLICT DO UPDATE`` per table (``_upsert``). The keys of one statement are
    distinct (``deltas`` is a dict), as PostgreSQL needs."""
    by_table: dict[str, list[tuple[tuple, dict[str, int]]]] = {}
    deltas = centre_deltas(deltas)
    for (table, key), counts in deltas.items():
        if any(counts.values()):
            by_table.setdefault(table, []).append((key, counts))
    with connection.cursor() as cursor:
        for table, rows in by_table.items():
            model, keys, counters = TABLES[table]
            _upsert(cursor, model, keys, counters, [(*key, *map(counts.get, counters, repeat(0)))
                                                    for key, counts in rows])
    return sum(len(rows) for rows in by_table.values())


def _upsert(cursor, model: type, keys: tuple[str, ...], counters: tuple[str, ...], rows: list[tuple]) -> None:
    """Insert ``rows`` (keys then counters) or add their counters to the rows already there.
    PostgreSQL: one statement whatever the number of rows, each column sent as one array and
    ``unnest``-ed on the server (no per-row SQL text, no temporary table). SQLite: ``executemany``
    of a one-row statement (prepared once, bound row by row by the driver; no
    multi-kilobyte SQL to rewrite and parse per chunk)."""
    name = model._meta.db_table
    columns = (*keys, *counters)
    update = ", ".join(f"{c} = {name}.{c} + excluded.{c}" for c in counters)
    conflict = f"ON CONFLICT ({', '.join(keys)}) DO UPDATE SET {update}"
    if connection.vendor == "postgresql":
        types = [model._meta.get_field(c).db_type(connection) for c in columns]
        arrays = ", ".join(f"%s::{t}[]" for t in types)
        cursor.execute(f"INSERT INTO {name} ({', '.join(columns)}) SELECT * FROM unnest({arrays}) {conflict}",
                       [list(column) for column in zip(*rows, strict=True)])
        return
    marks = ", ".join(["%s"] * len(columns))
    day = columns.index("day")
    cursor.executemany(f"INSERT INTO {name} ({', '.join(columns)}) VALUES ({marks}) {conflict}",
                       [(*row[:day], row[day].isoformat(), *row[day + 1:]) for row in rows])


def _plain_rows(queryset) -> list[tuple]:
    """``queryset``'s rows through a plain cursor (no per-field converters: the callers convert)."""
    from django.core.exceptions import EmptyResultSet

    try:
        sql, params = queryset.query.sql_with_params()
    except EmptyResultSet:  # e.g. ``pk__in`` an empty set: no surveys since a partial rebuild's day
        return []
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _aware(at: datetime | str) -> datetime:
    from datetime import UTC

    if isinstance(at, str):  # SQLite without its type converters
        at = datetime.fromisoformat(at)
    return at if at.tzinfo is not None else at.replace(tzinfo=UTC)  # SQLite keeps UTC without an offset


def _json(value):
    import json

    return json.loads(value) if isinstance(value, str | bytes) else value


def _complaint_rows(ids) -> dict[int, rollup.ComplaintRow]:
    rows = _plain_rows(Complaint.objects.filter(pk__in=ids).values_list(
        "id", "created_at", "category_id", "channel", "group_id", "region", "product", "batch", "repeat_count",
        "last_handler_id", "customer__birth_year", "tags",
    ))
    out = {row[0]: rollup.ComplaintRow(row[0], _aware(row[1]), *row[2:11], tags=rollup.tags_clean(_json(row[11])))
           for row in rows}
    repeats = [pk for pk, row in out.items() if row.repeat_count > 0]
    if repeats:
        from dataclasses import replace

        from kesu.triage.models import RepeatLink

        handlers: dict[int, int] = {}
        links = RepeatLink.objects.filter(complaint_id__in=repeats).order_by("complaint_id", "earlier_id")
        for complaint_id, handler_id in links.values_list("complaint_id", "earlier__last_handler_id"):
            if handler_id is not None:
                handlers.setdefault(complaint_id, handler_id)
        for complaint_id, handler_id in handlers.items():
            out[complaint_id] = replace(out[complaint_id], repeat_of_handler=handler_id)
    return out


# the kinds whose ``data`` the rollups read (the others' JSON is not decoded: most events are these)
DATA_KINDS = frozenset(("assigned", "transferred", "resolved", "reopened", "sla_met", "sla_breached"))


def _event_rows(queryset) -> list[rollup.EventRow]:
    """The events of ``queryset`` as rows, read through a plain cursor (no model field converters):
    the JSON decoded only for the kinds that need it."""
    rows = _plain_rows(queryset.values_list(
        "id", "complaint_id", "kind", "actor_id", "at", "from_status", "to_status", "data"))
    return [rollup.EventRow(pk, complaint_id, kind, actor_id, _aware(at), from_status, to_status,
                            (_json(data) or {}) if kind in DATA_KINDS else {})
            for pk, complaint_id, kind, actor_id, at, from_status, to_status, data in rows]


def _watermark(name: str) -> Watermark:
    Watermark.objects.get_or_create(name=name)
    return Watermark.objects.select_for_update().get(name=name)


def _events_step(*, now: datetime, batch: int, day_from: date | None = None, upto: int | None = None,
                 after: int | None = None) -> tuple[int, int]:
    """Count one batch of events after the watermark (or, for a partial rebuild, after ``after`` up to
    ``upto`` without moving the watermark). Returns (events counted, last id)."""
    mark = None
    if after is None:
        mark = _watermark("events")
        after = mark.last_id
    queryset = ComplaintEvent.objects.filter(id__gt=after).order_by("id")
    if upto is not None:
        queryset = queryset.filter(id__lte=upto)
    events = _event_rows(queryset[:batch])
    if not events:
        return 0, after
    ids = {event.complaint_id for event in events}
    earlier = _event_rows(
        ComplaintEvent.objects.filter(complaint_id__in=ids, id__lte=after, kind__in=rollup.HISTORY_KINDS).order_by("id")
    )
    deltas = rollup.event_deltas(
        earlier + events, complaints=_complaint_rows(ids), history={}, tz=centre_zone(),
        is_working_day=working_day_test(), count_from_id=after, day_from=day_from,
    )
    deltas_apply(deltas)
    last = events[-1].id
    if mark is not None:
        mark.last_id, mark.updated_at = last, now
        mark.save(update_fields=["last_id", "updated_at"])
    return len(events), last


def _survey_rows(queryset) -> list[rollup.SurveyRow]:
    return [
        rollup.SurveyRow(*row)
        for row in queryset.values_list("id", "complaint_id", "sent_at", "answered_at", "satisfaction", "nps")
    ]


def _surveys_sent_step(*, now: datetime, batch: int) -> int:
    mark = _watermark("surveys")
    surveys = _survey_rows(Survey.objects.filter(id__gt=mark.last_id).order_by("id")[:batch])
    if not surveys:
        return 0
    complaints = _complaint_rows({s.complaint_id for s in surveys})
    deltas_apply(rollup.survey_sent_deltas(surveys, complaints=complaints, tz=centre_zone()))
    mark.last_id, mark.updated_at = surveys[-1].id, now
    mark.save(update_fields=["last_id", "updated_at"])
    return len(surveys)


def _answers_after(mark_at: datetime | None, mark_id: int) -> Q:
    if mark_at is None:
        return Q(answered_at__isnull=False)
    return Q(answered_at__gt=mark_at) | Q(answered_at=mark_at, id__gt=mark_id)


def _surveys_answered_step(*, now: datetime, batch: int) -> int:
    mark = _watermark("answers")
    queryset = Survey.objects.filter(_answers_after(mark.last_at, mark.last_id), answered_at__lte=now - ANSWER_GRACE)
    surveys = _survey_rows(queryset.order_by("answered_at", "id")[:batch])
    if not surveys:
        return 0
    complaints = _complaint_rows({s.complaint_id for s in surveys})
    deltas_apply(rollup.survey_answer_deltas(surveys, complaints=complaints, tz=centre_zone()))
    mark.last_at, mark.last_id, mark.updated_at = surveys[-1].answered_at, surveys[-1].id, now
    mark.save(update_fields=["last_at", "last_id", "updated_at"])
    return len(surveys)


@dataclass
class UpdateResult:
    events: int = 0
    surveys_sent: int = 0
    surveys_answered: int = 0


def rollup_update(*, now: datetime, batch: int = BATCH, max_batches: int | None = None,
                  progress: Callable[[int], None] | None = None) -> UpdateResult:
    """Bring the rollups up to date. Each batch counts its deltas and moves its watermark in one
    transaction (the watermark row locked), so a crash loses nothing and a re-run counts nothing twice."""
    result = UpdateResult()
    done = 0
    while max_batches is None or done < max_batches:
        with transaction.atomic():
            counted, _last = _events_step(now=now, batch=batch)
        result.events += counted
        done += 1
        if progress and counted:
            progress(counted)
        if counted < batch:
            break
    while True:
        with transaction.atomic():
            counted = _surveys_sent_step(now=now, batch=batch)
        result.surveys_sent += counted
        if counted < batch:
            break
    while True:
        with transaction.atomic():
            counted = _surveys_answered_step(now=now, batch=batch)
        result.surveys_answered += counted
        if counted < batch:
            break
    return result


def rollup_rebuild(*, now: datetime, day_from: date | None = None, batch: int = BATCH,
                   progress: Callable[[int], None] | None = None) -> UpdateResult:
    """Rebuild the rollups: all of them, or (``day_from``) the buckets of that day and later.

    A full rebuild empties the rollups and resets the watermarks in one transaction, then counts
    everything again batch by batch (the periodic job may help; the watermark keeps them apart).
    A partial rebuild holds the watermark rows locked while it deletes and recounts the days from
    ``day_from`` up to the watermark, then the usual update continues from there."""
    if day_from is None:
        with transaction.atomic():
            for name in ("events", "surveys", "answers"):
                _watermark(name)
            for model in ROLLUP_MODELS:
                model.objects.all().delete()
            Watermark.objects.update(last_id=0, last_at=None, updated_at=now)
        return rollup_update(now=now, batch=batch, progress=progress)
    result = UpdateResult()
    tz = centre_zone()
    with transaction.atomic():
        marks = {name: _watermark(name) for name in ("events", "surveys", "answers")}
        for model in ROLLUP_MODELS:
            model.objects.filter(day__gte=day_from).delete()
        start = datetime.combine(day_from, datetime.min.time(), tzinfo=tz)
        first = ComplaintEvent.objects.filter(at__gte=start).order_by("id").values_list("id", flat=True).first()
        after = (first - 1) if first else marks["events"].last_id
        while after < marks["events"].last_id:
            counted, after = _events_step(now=now, batch=batch, day_from=day_from, after=after,
                                          upto=marks["events"].last_id)
            result.events += counted
            if progress and counted:
                progress(counted)
            if not counted:
                break
        sent = _survey_rows(Survey.objects.filter(id__lte=marks["surveys"].last_id, sent_at__gte=start))
        answered = _survey_rows(Survey.objects.filter(answered_at__gte=start).exclude(
            _answers_after(marks["answers"].last_at, marks["answers"].last_id)))
        complaints = _complaint_rows({s.complaint_id for s in sent + answered})
        deltas_apply(rollup.survey_sent_deltas(sent, complaints=complaints, tz=tz, day_from=day_from))
        deltas_apply(rollup.survey_answer_deltas(answered, complaints=complaints, tz=tz, day_from=day_from))
        result.surveys_sent, result.surveys_answered = len(sent), len(answered)
    more = rollup_update(now=now, batch=batch, progress=progress)
    result.events += more.events
    return result


def kpi_target_set(*, kpi: str, target: float, amber: float, red: float, by: User | None, now: datetime,
                   owners: list[User] | None = None) -> KpiTarget:
    """Set a KPI's target and thresholds. Higher-is-better KPIs need red ≤ amber ≤ target; the
    lower-is-better ones (repeat rate, reopen rate) target ≤ amber ≤ red."""
    from kesu.analytics.kpis import KPIS

    definition = KPIS.get(kpi)
    if definition is None:
        raise FieldError("kpi", "analytics.kpi_unknown", kpi=kpi, known=", ".join(KPIS))
    for field, value in (("target", target), ("amber", amber), ("red", red)):
        if value is None or not definition.low <= value <= definition.high:
            raise FieldError(field, "field.out_of_range", low=definition.low, high=definition.high, got=value)
    ordered = (red <= amber <= target) if definition.higher_is_better else (target <= amber <= red)
    if not ordered:
        raise FieldError("amber", "analytics.thresholds_order", kpi=kpi)
    with transaction.atomic():
        row, _created = KpiTarget.objects.update_or_create(
            kpi=kpi, defaults={"target": target, "amber": amber, "red": red, "updated_at": now, "updated_by": by}
        )
        if owners is not None:
            row.owners.set(owners)
    return row


def kpi_alerts_send(*, period: str, kpis: dict, now: datetime) -> list[KpiAlert]:
    """Tell the owners of each KPI in amber or red, once per period and state."""
    from kesu.core.messages import Message
    from kesu.notifications.actions import notify

    sent = []
    for name, kpi in kpis.items():
        if kpi["state"] not in ("amber", "red"):
            continue
        with transaction.atomic():
            alert, created = KpiAlert.objects.get_or_create(
                kpi=name, period=period, state=kpi["state"], defaults={"value": kpi["value"], "created_at": now}
            )
            if not created:
                continue
            target = KpiTarget.objects.filter(kpi=name).first()
            owners = list(target.owners.all()) if target else []
            if not owners:
                owners = list(User.objects.filter(role="decision", is_active=True))
            notify(
                recipients=owners, kind="kpi_alert",
                title=Message("notice.kpi_alert", kpi=Message(f"kpi.{name}"), state=Message(f"kpi.state.{kpi['state']}"),
                              period=period),
                body=Message("notice.kpi_alert_body", value=kpi["value"], target=kpi["target"]),
                key=f"kpi_alert:{name}:{period}:{kpi['state']}", now=now,
            )
            sent.append(alert)
    return sent


def kpi_alerts_check(*, now: datetime) -> list[KpiAlert]:
    """The current month's KPIs (up to today) against their targets; owners told once per month."""
    from kesu.analytics.selectors import kpis_for_period

    if not KpiTarget.objects.exists():
        return []
    today = now.astimezone(centre_zone()).date()
    kpis = kpis_for_period(date_from=today.replace(day=1), date_to=today)
    return kpi_alerts_send(period=f"{today:%Y-%m}", kpis=kpis, now=now)
