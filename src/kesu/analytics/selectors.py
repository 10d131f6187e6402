"""The reads of the analytics app: KPIs and chart series for a period and a scope, from the rollups
only (plus the open complaints for the ageing buckets). Other apps (workforce, incidents) read
complaint history through these functions.

With ``DATABASE_REPLICA_URL`` set, every read here goes to the replica (``analytics/routers.py``)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import Q, Sum

from kesu.analytics.kpis import kpis_compute
from kesu.analytics.models import (
    AGE_COUNTERS,
    DAILY_COUNTERS,
    FACT_COUNTERS,
    HOUR_COUNTERS,
    Batch,
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
    KpiTarget,
    PlaceDaily,
    ProductDaily,
    SlaDaily,
    TagDaily,
    Watermark,
)


@dataclass(frozen=True)
class Scope:
    """A dashboard's period (local days, both included) and scope."""

    date_from: date
    date_to: date
    group_id: int | None = None
    channel: str = ""
    category_id: int | None = None

    def facts_filter(self) -> Q:
        """The period and the scope, for every rollup that carries the scope keys (``SCOPE_KEYS``)."""
        q = Q(day__gte=self.date_from, day__lte=self.date_to)
        if self.group_id:
            q &= Q(group_id=self.group_id)
        if self.channel:
            q &= Q(channel=self.channel)
        if self.category_id:
            q &= Q(category_id=self.category_id)
        return q

    @property
    def scoped(self) -> bool:
        return bool(self.group_id or self.channel or self.category_id)

    def rows(self, scoped_model: type, centre_model: type, group_model: type | None = None):
        """The rollup rows of the period and scope: the centre-wide twin without a scope, the
        one-group twin (``group_model``) for a group alone."""
        if group_model is not None and self.group_id and not self.channel and not self.category_id:
            return group_model.objects.filter(group_id=self.group_id, day__gte=self.date_from, day__lte=self.date_to)
        if self.scoped:
            return scoped_model.objects.filter(self.facts_filter())
        return centre_model.objects.filter(day__gte=self.date_from, day__lte=self.date_to)

    def facts(self):
        """The daily facts of the period and scope: the centre's, one group's, one channel's or one
        category's twin (one row a day) when the scope is that alone, else the scoped rows."""
        alone = [key for key in ("group_id", "channel", "category_id") if getattr(self, key)]
        if alone == ["channel"]:
            return ChannelDaily.objects.filter(channel=self.channel, day__gte=self.date_from, day__lte=self.date_to)
        if alone == ["category_id"]:
            return CategoryDaily.objects.filter(category_id=self.category_id, day__gte=self.date_from,
                                                day__lte=self.date_to)
        return self.rows(DailyFacts, CentreDaily, GroupDaily)

    def shifted(self, days: int) -> Scope:
        return Scope(self.date_from - timedelta(days=days), self.date_to - timedelta(days=days),
                     self.group_id, self.channel, self.category_id)


def targets_map() -> dict[str, dict[str, float]]:
    return {row.kpi: {"target": row.target, "amber": row.amber, "red": row.red} for row in KpiTarget.objects.all()}


_SHARED: ContextVar[dict | None] = ContextVar("analytics_shared_reads", default=None)


@contextmanager
def reads_shared() -> Iterator[None]:
    """Within this block the selectors share their reads of the daily facts: one query by day (every
    counter) serves the KPIs, the trend, the heat map, the age groups and the backlog, one query by
    category × channel both mixes and the Pareto (a page reads each rollup row once or twice, not
    a dozen times)."""
    token = _SHARED.set({})
    try:
        yield
    finally:
        _SHARED.reset(token)


def _shared(key: tuple, compute: Callable[[], Any]) -> Any:
    memo = _SHARED.get()
    if memo is None:
        return compute()
    if key not in memo:
        memo[key] = compute()
    return memo[key]


def _plain_rows(queryset) -> list[tuple]:
    """``queryset``'s rows through a plain cursor: no per-value converters (a year of daily rows is
    ~18,000 values; the ORM's converters cost more than the query)."""
    from django.db import connections

    sql, params = queryset.query.sql_with_params()
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _day(value: date | str) -> date:
    return value if isinstance(value, date) else date.fromisoformat(value)  # SQLite: text


def facts_by_day(scope: Scope, names: tuple[str, ...], *, alone: bool = False) -> dict[date, dict[str, int]]:
    """The counters ``names`` per day of the scope (inside ``reads_shared``: every counter, read once;
    ``alone``: just ``names``, not shared — a period nothing else on the page reads)."""
    if _SHARED.get() is not None and not alone:
        names = DAILY_COUNTERS

    def compute() -> dict[date, dict[str, int]]:
        queryset = scope.facts()
        if queryset.model is DailyFacts:
            queryset = queryset.values("day").annotate(**{name: Sum(name) for name in names})
        # (a twin has one row a day: nothing to sum)
        rows = _plain_rows(queryset.order_by().values_list("day", *names))
        return {_day(row[0]): dict(zip(names, (int(value or 0) for value in row[1:]), strict=True)) for row in rows}

    return compute() if alone else _shared(("days", scope), compute)


def facts_counters(scope: Scope) -> dict[str, int]:
    if _SHARED.get() is not None:
        totals = dict.fromkeys(FACT_COUNTERS, 0)
        for counters in facts_by_day(scope, FACT_COUNTERS).values():
            for name in FACT_COUNTERS:
                totals[name] += counters[name]
        return totals
    totals = scope.facts().aggregate(**{name: Sum(name) for name in FACT_COUNTERS})
    return {name: int(value or 0) for name, value in totals.items()}


def kpis_for_period(*, date_from: date, date_to: date, group_id: int | None = None) -> dict[str, dict[str, Any]]:
    """Every KPI of the period (``kesu analytics kpis``, ``GET /api/v1/analytics/kpis``)."""
    return kpis_compute(facts_counters(Scope(date_from, date_to, group_id)), targets_map())


def _bucket(day: date, grain: str) -> date:
    if grain == "week":
        return day - timedelta(days=day.weekday())
    if grain == "month":
        return day.replace(day=1)
    return day


def volume_trend(scope: Scope, *, grain: str = "day") -> list[dict[str, Any]]:
    """Complaints created per day / week / month, with the same period a year earlier."""
    def series(s: Scope, alone: bool = False) -> dict[date, int]:
        out: dict[date, int] = defaultdict(int)
        for day, counters in facts_by_day(s, ("created",), alone=alone).items():
            if counters["created"]:
                out[_bucket(day, grain)] += counters["created"]
        return out

    now_series, year_ago = series(scope), series(scope.shifted(364), alone=True)  # only its counts
    keys = sorted(now_series)
    return [
        {"period": key.isoformat(), "created": now_series[key],
         "year_earlier": year_ago.get(_bucket(key - timedelta(days=364), grain), 0)}
        for key in keys
    ]


def mix(scope: Scope, field: str) -> list[dict[str, Any]]:
    """Created complaints by ``category_id`` or ``channel``, largest first."""
    # without a group: the day × category × channel twin (same filter, no group key)
    model = DailyFacts if scope.group_id else CentreMix
    rows = _shared(("mix", scope), lambda: list(model.objects.filter(scope.facts_filter()).values(
        "category_id", "channel").annotate(n=Sum("created")).order_by()))
    out: dict[Any, int] = defaultdict(int)
    for row in rows:
        out[row[field]] += int(row["n"] or 0)
    return [{"key": key, "created": n} for key, n in sorted(out.items(), key=lambda kv: (-kv[1], str(kv[0]))) if n]


def heat_map(scope: Scope) -> list[list[int]]:
    """[weekday 0–6][hour 0–23] complaints created in the scope (a day's row holds 24 hour counters)."""
    grid = [[0] * 24 for _ in range(7)]
    for day, counters in facts_by_day(scope, HOUR_COUNTERS).items():
        line = grid[day.weekday()]
        for hour, name in enumerate(HOUR_COUNTERS):
            line[hour] += counters[name]
    return grid


def pareto(items: list[tuple[str, int]]) -> list[dict[str, Any]]:
    """Largest first, each with its cumulative share (the 80 % line)."""
    items = sorted(((k, n) for k, n in items if n), key=lambda item: -item[1])
    total = sum(n for _k, n in items) or 1
    running, out = 0, []
    for key, n in items:
        running += n
        out.append({"key": key, "count": n, "cumulative": round(running / total, 4)})
    return out


def pareto_categories(scope: Scope) -> list[dict[str, Any]]:
    return pareto([(row["key"], row["created"]) for row in mix(scope, "category_id")])


def pareto_root_causes(scope: Scope) -> list[dict[str, Any]]:
    rows = scope.rows(CauseDaily, CentreCause, GroupCause).values("root_cause").annotate(n=Sum("resolved")).order_by()
    return pareto([(row["root_cause"], int(row["n"] or 0)) for row in rows])


def pareto_tags(scope: Scope) -> list[dict[str, Any]]:
    """Created complaints by tag (a complaint counts under each of its tags), with the 80 % line."""
    rows = scope.rows(TagDaily, CentreTag, GroupTag).values("tag").annotate(n=Sum("created")).order_by()
    return pareto([(row["tag"], int(row["n"] or 0)) for row in rows])


def province_of(region: str) -> str:
    """The province part of a region text (广东省广州市 → 广东省; 北京市朝阳区 → 北京市)."""
    for mark in ("自治区", "省", "市"):
        at = region.find(mark)
        if at > 0:
            return region[: at + len(mark)]
    return region


CITY_MARKS = ("自治州", "地区", "盟", "市")


def city_of(rest: str) -> str:
    """The city part of a region text without its province (广州市天河区 → 广州市; 朝阳区 → 朝阳区,
    a municipality's district standing for its city)."""
    for mark in CITY_MARKS:
        at = rest.find(mark)
        if at > 0:
            return rest[: at + len(mark)]
    return rest


def places(scope: Scope, *, province: str = "", city: str = "") -> list[dict[str, Any]]:
    """Drill-down province → city → district: the provinces, the cities of one province, or the
    districts of one city (each level keyed by its own name; "" when the text names no district)."""
    return _shared(("places", scope, province, city), lambda: _places(scope, province, city))


def _places(scope: Scope, province: str, city: str) -> list[dict[str, Any]]:
    rows = scope.rows(PlaceDaily, CentrePlace, GroupPlace)
    if province:
        rows = rows.filter(region__startswith=province + city)
    rows = rows.values("region").annotate(n=Sum("created")).order_by()
    out: dict[str, int] = defaultdict(int)
    for row in rows:
        region, n = row["region"], int(row["n"] or 0)
        top = province_of(region)
        if not province:
            out[top] += n
        elif top == province:
            rest = region[len(top):]
            if not city:
                out[city_of(rest) or top] += n
            elif city_of(rest) == city:
                out[rest[len(city):]] += n
    return [{"key": k, "created": n} for k, n in sorted(out.items(), key=lambda kv: (-kv[1], kv[0]))]


def products(scope: Scope, *, product: str = "", batch: str = "") -> list[dict[str, Any]]:
    """Drill-down: products, the batches of one product, or the supplier of one batch."""
    return _shared(("products", scope, product, batch), lambda: _products(scope, product, batch))


def _products(scope: Scope, product: str, batch: str) -> list[dict[str, Any]]:
    rows = scope.rows(ProductDaily, CentreProduct, GroupProduct)
    if product:
        rows = rows.filter(product=product)
    if batch:
        rows = rows.filter(batch=batch)
    field = "batch" if product else "product"
    rows = rows.values(field).annotate(n=Sum("created")).order_by()
    out = sorted(({"key": row[field], "created": int(row["n"] or 0)} for row in rows if row["n"]),
                 key=lambda row: (-row["created"], row["key"]))
    if product:
        suppliers = dict(Batch.objects.filter(product=product).values_list("code", "supplier"))
        for row in out:
            row["supplier"] = suppliers.get(row["key"], "")
    return out


def age_groups(scope: Scope) -> list[dict[str, Any]]:
    """Complaints created in the scope by the customer's age group (youngest first, unknown last)."""
    from kesu.analytics.rollup import AGE_COLUMNS

    totals = dict.fromkeys(AGE_COUNTERS, 0)
    for counters in facts_by_day(scope, AGE_COUNTERS).values():
        for name in AGE_COUNTERS:
            totals[name] += counters[name]
    return [{"key": label, "created": totals[column]} for label, column in AGE_COLUMNS.items()]


def backlog_series(scope: Scope) -> list[dict[str, Any]]:
    """Open complaints in the scope at the end of each day of the period (the running sum of
    ``open_delta``)."""
    before = Scope(date.min, scope.date_from - timedelta(days=1), scope.group_id, scope.channel, scope.category_id)
    start = before.facts().aggregate(n=Sum("open_delta"))["n"] or 0
    out, running = [], int(start)
    for day, counters in sorted(facts_by_day(scope, ("open_delta",)).items()):
        running += counters["open_delta"]
        out.append({"day": day.isoformat(), "open": running})
    return out


AGE_BUCKETS = ((1, "<1d"), (3, "1-3d"), (7, "3-7d"), (30, "7-30d"), (None, ">30d"))


def ageing(scope: Scope, *, today: date) -> list[dict[str, Any]]:
    """Open (not yet closed) complaints in the scope (its period aside) by age in local days since
    creation: "<1d" created today, "1-3d" one or two days ago, … (from ``open_created``, counted on
    the day of creation: a read of the rollups, not of the complaints)."""
    recent_from = today - timedelta(days=AGE_BUCKETS[-2][0] - 1)
    whole = Scope(date.min, today, scope.group_id, scope.channel, scope.category_id)
    old = whole.facts().filter(day__lt=recent_from).aggregate(
        n=Sum("open_created"))["n"] or 0
    recent = Scope(recent_from, today, scope.group_id, scope.channel, scope.category_id)
    rows = recent.facts().values("day").annotate(n=Sum("open_created")).order_by()
    counts = dict.fromkeys((label for _d, label in AGE_BUCKETS), 0)
    counts[AGE_BUCKETS[-1][1]] = int(old)
    for row in rows:
        age = (today - row["day"]).days
        label = next(label for days, label in AGE_BUCKETS if days is None or age < days)
        counts[label] += int(row["n"] or 0)
    return [{"key": label, "open": n} for label, n in counts.items()]


def sla_attainment(scope: Scope) -> list[dict[str, Any]]:
    """SLA clocks met and breached per node in the period and scope (by the day each was decided)."""
    rows = scope.rows(SlaDaily, CentreSla, GroupSla).values("clock").annotate(
        met=Sum("met"), breached=Sum("breached")).order_by("clock")
    out = []
    for row in rows:
        decided = int(row["met"] or 0) + int(row["breached"] or 0)
        out.append({"key": row["clock"], "met": int(row["met"] or 0), "breached": int(row["breached"] or 0),
                    "rate": round(int(row["met"] or 0) / decided, 4) if decided else None})
    return out


def rollup_lag(*, now: datetime) -> dict[str, Any]:
    """How far the rollups are behind: events not yet counted and the last update."""
    from kesu.complaints.models import ComplaintEvent

    mark = Watermark.objects.filter(name="events").first()
    last_id = mark.last_id if mark else 0
    behind = ComplaintEvent.objects.filter(id__gt=last_id).count()
    return {"events_behind": behind, "updated_at": mark.updated_at.isoformat() if mark and mark.updated_at else None}


def _local_today(now: datetime) -> date:
    from kesu.analytics.actions import centre_zone

    return now.astimezone(centre_zone()).date()


def dashboard(scope: Scope, *, grain: str = "day", now: datetime) -> dict[str, Any]:
    """Everything the dashboard shows, from the rollups."""
    return {
        "trend": volume_trend(scope, grain=grain),
        "categories": mix(scope, "category_id"),
        "channels": mix(scope, "channel"),
        "heat_map": heat_map(scope),
        "pareto_categories": pareto_categories(scope),
        "pareto_root_causes": pareto_root_causes(scope),
        "pareto_tags": pareto_tags(scope),
        "provinces": places(scope),
        "products": products(scope),
        "age_groups": age_groups(scope),
        "backlog": backlog_series(scope),
        "ageing": ageing(scope, today=_local_today(now)),
        "sla": sla_attainment(scope),
        "kpis": kpis_compute(facts_counters(scope), targets_map()),
    }


