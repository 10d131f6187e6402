"""Analytics benchmark: rollup upkeep per event, a full rebuild, and the server time of the KPI and
dashboard requests, at a given number of complaints (one size per run: each run has its own
throw-away database).

    python bench/analytics.py --complaints 100000                 # SQLite in a throw-away data folder
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/test python bench/analytics.py --complaints 1000000

The complaints and their events (created, assigned, started, first-response clock met or breached,
resolved, closed; some transfers and reopenings) are written with bulk inserts; the rollups are then
built by the production code (``rollup_rebuild``, the same batches the minute job runs). Requests are
timed in-process through Django's test client (server time: routing, auth, queries, rendering).

Targets (issue 12): every dashboard and KPI request < 500 ms p95 at 10M complaints and the 10M / 100k
ratio ≤ 2; rollup upkeep ≤ 0.5 ms per event amortised.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.append(str(Path(__file__).resolve().parent))
from support import bench_database  # noqa: E402

NOW = datetime(2026, 11, 30, 4, 0, tzinfo=UTC)
CHANNELS = ("phone", "chat", "email", "social")
REGIONS = ("广东省广州市", "广东省深圳市", "江苏省南京市", "浙江省杭州市", "山东省济南市", "四川省成都市",
           "河南省郑州市", "北京市朝阳区", "上海市浦东新区", "湖北省武汉市")
PRODUCTS = ("5G畅享套餐", "外卖订单", "会员自动续费", "智能手表", "扫地机器人", "宽带")


def setup_django(data_dir: str, database_url: str | None) -> None:
    os.environ["KESU_DATA_DIR"] = data_dir
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kesu.config.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def out(**values) -> None:
    print(json.dumps(values, ensure_ascii=False), flush=True)


class RowWriter:
    """Rows straight into a model's table, without model instances: ``executemany`` on SQLite,
    ``COPY`` on PostgreSQL (a 1M-complaint history in minutes, not the better part of an hour).
    Every concrete column is written: a value not given is the field's default, prepared once;
    datetimes and JSON are prepared as the ORM would (``adapt_datetimefield_value``,
    ``get_db_prep_save``)."""

    def __init__(self, model, *, with_id: bool) -> None:
        from django.db import connection, models

        self.connection = connection
        self.fields = [f for f in model._meta.concrete_fields if with_id or not f.primary_key]
        self.table = model._meta.db_table
        self.defaults: list = []
        self.kinds: list[str] = []
        for f in self.fields:
            default = f.get_db_prep_save(f.get_default(), connection)  # "" for text, None if null
            self.defaults.append(default)
            self.kinds.append("dt" if isinstance(f, models.DateTimeField) else
                              "json" if isinstance(f, models.JSONField) else "")
        self.names = [f.attname for f in self.fields]
        self.rows: list[tuple] = []

    def add(self, **values) -> None:
        adapt = self.connection.ops.adapt_datetimefield_value
        row = []
        for name, kind, default, f in zip(self.names, self.kinds, self.defaults, self.fields, strict=True):
            if name not in values:
                row.append(default)
                continue
            value = values[name]
            if value is not None and kind == "dt":
                value = adapt(value)
            elif kind == "json":
                value = f.get_db_prep_save(value, self.connection)
            row.append(value)
        self.rows.append(tuple(row))

    def flush(self) -> int:
        rows, self.rows = self.rows, []
        if not rows:
            return 0
        columns = ", ".join(self.connection.ops.quote_name(f.column) for f in self.fields)
        with self.connection.cursor() as cursor:
            if self.connection.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY {self.table} ({columns}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                marks = ", ".join(["%s"] * len(self.fields))
                cursor.executemany(f"INSERT INTO {self.table} ({columns}) VALUES ({marks})", rows)
        return len(rows)


def populate(n: int, seed: int = 1) -> int:
    """``n`` complaints over the year before NOW and their events, written in bulk (``RowWriter``).
    Returns the events written."""
    from django.core.management.color import no_style
    from django.db import connection, transaction
    from django.db.models import Max

    from kesu.complaints.models import Category, Complaint, ComplaintEvent
    from kesu.core.models import Group, User
    from kesu.customers.models import Customer
    from kesu.demo.organisation import organisation_ensure

    organisation_ensure()
    rng = random.Random(seed)
    categories = list(Category.objects.filter(parent__isnull=False).values_list("pk", flat=True))
    groups = list(Group.objects.values_list("pk", flat=True))[:5]
    handlers = [User.objects.create(username=f"bench{i}", role="handler") for i in range(30)]
    customers = [c.pk for c in Customer.objects.bulk_create(
        [Customer(name=f"客户{i}", region=rng.choice(REGIONS), created_at=NOW - timedelta(days=400),
                  birth_year=rng.choice((None, 1960, 1975, 1985, 1995, 2002))) for i in range(max(1, n // 10))],
        batch_size=5000)]
    cache_size = None
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:  # a big page cache for the 28 indexes of the complaints
            cache_size = cursor.execute("PRAGMA cache_size").fetchone()[0]
            cursor.execute("PRAGMA cache_size=-1000000")
    complaints_out, events_out = RowWriter(Complaint, with_id=True), RowWriter(ComplaintEvent, with_id=False)
    next_id = (Complaint.objects.aggregate(n=Max("id"))["n"] or 0) + 1
    events_total, chunk, start = 0, 20000, NOW - timedelta(days=365)
    span = 365 * 86400
    roots = ("process", "logistics", "product_defect")
    for base in range(0, n, chunk):
        for i in range(base, min(n, base + chunk)):
            at = start + timedelta(seconds=span * i / n + rng.random() * 60)
            handler = rng.choice(handlers)
            closed = at < NOW - timedelta(days=3) or rng.random() < 0.3
            channel = rng.choice(CHANNELS)
            pk = next_id
            next_id += 1
            complaints_out.add(
                id=pk, number=f"BN-{i:09d}", channel=channel, customer_id=rng.choice(customers),
                content="bench", category_id=rng.choice(categories), region=rng.choice(REGIONS),
                product=rng.choice(PRODUCTS), status="closed" if closed else "in_progress",
                group_id=rng.choice(groups), assignee_id=handler.pk, last_handler_id=handler.pk if closed else None,
                repeat_count=1 if rng.random() < 0.04 else 0, created_at=at, updated_at=at,
                resolved_at=at + timedelta(hours=30) if closed else None,
                closed_at=at + timedelta(hours=50) if closed else None)
            draw = rng.random()

            def event(kind, minutes, before, after, actor=None, pk=pk, at=at, **data):
                events_out.add(complaint_id=pk, kind=kind, at=at + timedelta(minutes=minutes),
                               from_status=before, to_status=after, actor_id=actor, data=data)

            ref = {"id": handler.pk, "username": handler.username, "name": handler.username}
            event("created", 0, "", "new", channel=channel)
            event("assigned", 5, "new", "assigned", assignee=[None, ref])
            event("started", 20, "assigned", "in_progress", actor=handler.pk)
            event("sla_met" if draw > 0.05 else "sla_breached", 21, "in_progress", "in_progress",
                  clocks=[{"clock": "first_response", "run": 1}])
            if draw < 0.08:
                event("transferred", 60, "in_progress", "assigned", assignee=[ref, ref], group=[None, None])
            if closed:
                event("resolved", 1800, "in_progress", "resolved", actor=handler.pk, root_cause=rng.choice(roots))
                event("closed", 3000, "resolved", "closed", actor=handler.pk)
                if 0.08 <= draw < 0.12:
                    event("reopened", 3100, "closed", "assigned", reason="x", reopen_count=1, assignee=ref)
                    event("resolved", 3200, "assigned", "resolved", actor=handler.pk, root_cause="process")
                    event("closed", 3300, "resolved", "closed", actor=handler.pk)
        with transaction.atomic():
            made = complaints_out.flush()
            events_total += events_out.flush()
        if (base // chunk) % 10 == 0 or base + made >= n:
            print(f"  populated {base + made:,}/{n:,} ({events_total:,} events)", file=sys.stderr, flush=True)
    with connection.cursor() as cursor:  # PostgreSQL: the id sequences after explicit ids
        for sql in connection.ops.sequence_reset_sql(no_style(), [Complaint, ComplaintEvent]):
            cursor.execute(sql)
        if cache_size is not None:  # the rebuild and the requests run with the production page cache
            cursor.execute(f"PRAGMA cache_size={int(cache_size)}")
    return events_total


def timed(fn, runs: int, cpu: list[float] | None = None) -> list[float]:
    """Wall times in ms; ``cpu``: the process's CPU times appended (on a shared, loaded machine the
    comparable figure: the wall time there is mostly waiting for a core)."""
    times = []
    for _ in range(runs):
        started, started_cpu = time.perf_counter(), time.process_time()
        fn()
        times.append((time.perf_counter() - started) * 1000)
        if cpu is not None:
            cpu.append((time.process_time() - started_cpu) * 1000)
    return times


def p95(values: list[float]) -> float:
    return sorted(values)[max(0, round(0.95 * len(values)) - 1)]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--complaints", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--data-dir", help="keep the SQLite database in this folder (a second run with the same "
                        "folder skips the insert and the rebuild and times the requests again)")
    parser.add_argument("--rebuild", action="store_true", help="with --data-dir: rebuild the rollups again")
    args = parser.parse_args()
    import contextlib

    with (contextlib.nullcontext(args.data_dir) if args.data_dir else tempfile.TemporaryDirectory()) as data_dir, \
            (contextlib.nullcontext(None) if args.data_dir else bench_database()) as database_url:
        Path(data_dir).mkdir(parents=True, exist_ok=True)
        setup_django(data_dir, database_url or os.environ.get("DATABASE_URL") if args.data_dir else database_url)
        from django.db import connection
        from django.test import Client

        from kesu.analytics.actions import rollup_rebuild, rollup_update
        from kesu.analytics.models import DailyFacts
        from kesu.complaints.models import Complaint, ComplaintEvent
        from kesu.core.actions import token_create, user_create
        from kesu.core.models import User

        fresh = not Complaint.objects.exists()
        if fresh:
            started = time.perf_counter()
            populate(args.complaints)
            out(database=connection.vendor, complaints=args.complaints, populate_s=round(time.perf_counter() - started, 1))
        else:
            out(database=connection.vendor, complaints=Complaint.objects.count(), kept=data_dir)
        if fresh or args.rebuild:
            events = ComplaintEvent.objects.count()
            started, started_cpu = time.perf_counter(), time.process_time()
            rollup_rebuild(now=NOW)
            rebuild, rebuild_cpu = time.perf_counter() - started, time.process_time() - started_cpu
            out(events=events, rebuild_s=round(rebuild, 1), per_event_ms=round(1000 * rebuild / events, 4),
                rebuild_cpu_s=round(rebuild_cpu, 1), cpu_per_event_ms=round(1000 * rebuild_cpu / events, 4),
                rollup_rows=DailyFacts.objects.count(), loadavg=Path("/proc/loadavg").read_text().split()[:3])

            # upkeep as the minute job sees it: a minute's worth of new events (1,000) on top of the history
            extra = populate_more(1000)
            started = time.perf_counter()
            rollup_update(now=NOW)
            upkeep = time.perf_counter() - started
            out(upkeep_events=extra, upkeep_ms_per_event=round(1000 * upkeep / max(extra, 1), 4),
                events_now=ComplaintEvent.objects.count())

        analyst = User.objects.filter(username="bench-analyst").first() or user_create(
            username="bench-analyst", role="analyst", password="bench-pass-1")
        token = token_create(user=analyst, now=NOW)
        api = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
        page = Client()
        page.force_login(analyst)
        periods = [("2026-11-01", "2026-11-30"), ("2026-09-01", "2026-11-30"), ("2025-12-01", "2026-11-30")]
        from kesu.complaints.models import Category

        category = Category.objects.filter(parent__isnull=False).order_by("pk").values_list("code", flat=True).first()
        results = {}
        for name, client, url in [
            ("kpis_api", api, "/api/v1/analytics/kpis?from={0}&to={1}"),
            ("kpis_api_group", api, "/api/v1/analytics/kpis?from={0}&to={1}&group=front-desk"),
            ("dashboard_page", page, "/analytics/?from={0}&to={1}"),
            ("dashboard_page_group", page, "/analytics/?from={0}&to={1}&group=front-desk"),  # a team lead's
            # scoped by a channel or a category: the scoped rollups (category × channel × group rows)
            ("dashboard_page_channel", page, "/analytics/?from={0}&to={1}&channel=phone"),
            ("dashboard_page_category", page, "/analytics/?from={0}&to={1}&category=" + str(category)),
            ("kpi_page", page, "/analytics/kpis/?from={0}&to={1}"),
            ("executive_page", page, "/analytics/executive/?from={0}&to={1}"),
        ]:
            times, cpu = [], []
            for date_from, date_to in periods:
                client.get(url.format(date_from, date_to))  # warm
                address = url.format(date_from, date_to)
                times += timed(lambda u=address, c=client: c.get(u), args.runs, cpu)
            results[name] = {"p50_ms": round(statistics.median(times), 1), "p95_ms": round(p95(times), 1),
                             "cpu_p50_ms": round(statistics.median(cpu), 1), "cpu_p95_ms": round(p95(cpu), 1)}
        out(requests=results, loadavg=Path("/proc/loadavg").read_text().split()[:3])


def populate_more(n: int) -> int:
    """About ``n`` new events: complaints created just now and walked a few steps."""
    from kesu.complaints.models import Complaint, ComplaintEvent

    base = Complaint.objects.order_by("-id").first()
    made = 0
    rows = []
    stamp = Complaint.objects.filter(number__startswith="BX-").count()
    for i in range(n // 4):
        complaint = Complaint.objects.create(
            number=f"BX-{stamp + i:09d}", channel="phone", customer_id=base.customer_id, content="bench",
            category_id=base.category_id, region=base.region, product=base.product, status="in_progress",
            group_id=base.group_id, created_at=NOW, updated_at=NOW)
        rows += [ComplaintEvent(complaint=complaint, kind=k, at=NOW, from_status=f, to_status=t, data={})
                 for k, f, t in (("created", "", "new"), ("assigned", "new", "assigned"),
                                 ("started", "assigned", "in_progress"), ("note", "in_progress", "in_progress"))]
        made += 4
    ComplaintEvent.objects.bulk_create(rows)
    return made


if __name__ == "__main__":
    main()
