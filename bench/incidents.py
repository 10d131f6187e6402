"""Mass-incident benchmarks (issue 13):

- matching: the incidents step of the intake with 100 active incidents (precompiled scopes), per
  complaint, and the whole intake with and without them;
- resolve: resolving an incident with 10,000 linked complaints waiting on it (answer, resolve, close,
  SLA, survey each; chunks of 500, bulk writes);
- bursts: one burst-detection run with 1,000,000 complaints in the database;
- replay: burst detection replayed hourly over the demo year's last weeks: false suggestions per week.

    python bench/incidents.py matching resolve            # SQLite in a throw-away data folder
    python bench/incidents.py resolve --sms 0.5           # half of them SMS complaints (an SMS each)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/test python bench/incidents.py resolve
    python bench/incidents.py bursts --total 1000000
    python bench/incidents.py replay --weeks 8
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

NOW = datetime(2026, 3, 4, 3, 0, tzinfo=UTC)  # Wednesday 11:00 in Shanghai
DISTRICTS = ["南山区", "福田区", "宝安区", "龙岗区", "罗湖区", "天河区", "越秀区", "海淀区", "朝阳区", "浦东新区"]
CITIES = ["广东省深圳市", "广东省广州市", "北京市", "上海市", "浙江省杭州市", "四川省成都市", "湖北省武汉市"]
PRODUCTS = ["宽带", "5G套餐", "固话", "IPTV", "冰箱", "空调", "洗衣机", "手机"]


def setup_django(data_dir: str, database_url: str | None) -> None:
    os.environ["KESU_DATA_DIR"] = data_dir
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kesu.config.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _manager():
    from kesu.core.actions import user_create
    from kesu.core.models import User

    return User.objects.filter(username="bench-manager").first() or user_create(
        username="bench-manager", role="manager", password="bench-pass-123")


def _declare_many(n: int, now: datetime):
    from kesu.incidents.actions import incident_declare

    boss = _manager()
    rng = random.Random(3)
    for i in range(n):
        scope = {"regions": [rng.choice(CITIES) + rng.choice(DISTRICTS)], "products": [rng.choice(PRODUCTS)],
                 "keywords": [rng.choice(["断网", "停电", "信号差", "无法登录", "漏水"]), f"故障{i}"]}
        incident_declare(by=boss, now=now, title=f"事件{i}", kind="outage",
                         announcement={"zh-hans": f"公告{i}", "en": f"Notice {i}"}, scope=scope,
                         starts_at=now - timedelta(hours=1))


def bench_matching(count: int) -> dict:
    from kesu.complaints.drafts import ComplaintDraft
    from kesu.customers.actions import CustomerHandles
    from kesu.incidents.matching import scopes_active, scopes_reset
    from kesu.pipeline.intake import complaint_create

    rng = random.Random(5)

    def draft(i):
        return ComplaintDraft(channel="phone", content=f"订单的冰箱送到时外箱破损，要求换货（{i}）",
                              region=rng.choice(CITIES) + rng.choice(DISTRICTS), product="冰箱",
                              customer=CustomerHandles(name="王先生", phone=f"137{i:08d}"))

    def intake_times(offset: int) -> list[float]:
        times = []
        for i in range(count):
            start = time.perf_counter()
            complaint_create(draft=draft(offset + i), by=None, now=NOW + timedelta(seconds=offset + i))
            times.append(time.perf_counter() - start)
        return times

    without = intake_times(0)
    _declare_many(100, NOW - timedelta(minutes=30))
    scopes_reset()
    assert len(scopes_active()) == 100
    with_incidents = intake_times(count)
    # the matching alone (what every intake pays; a match then writes a link and a reply)
    from kesu.complaints.models import Complaint
    from kesu.incidents.matching import best_match

    sample = list(Complaint.objects.select_related("customer", "category").order_by("-id")[:count])
    step = []
    matched = 0
    for complaint in sample:
        start = time.perf_counter()
        matched += best_match(complaint, at=NOW + timedelta(hours=1)) is not None
        step.append(time.perf_counter() - start)
    return {
        "complaints": count, "active_incidents": 100, "matched": matched,
        "step_ms_median": round(statistics.median(step) * 1000, 3),
        "step_ms_p99": round(sorted(step)[int(0.99 * (len(step) - 1))] * 1000, 3),
        "intake_ms_median_without": round(statistics.median(without) * 1000, 2),
        "intake_ms_median_with_100": round(statistics.median(with_incidents) * 1000, 2),
    }


def _bulk_linked(n: int, now: datetime, sms_share: float = 0.0):
    """An incident with ``n`` linked complaints waiting on it (bulk-written: the intake is measured
    elsewhere)."""
    from kesu.complaints.models import Complaint, ComplaintEvent, EventKind
    from kesu.customers.models import Customer
    from kesu.incidents.actions import incident_declare, incident_resolve
    from kesu.incidents.models import How, IncidentLink

    boss = _manager()
    incident = incident_declare(by=boss, now=now, title="南山区宽带中断", kind="outage",
                                announcement={"zh-hans": "南山区光缆中断", "en": "Fibre cut"},
                                scope={"regions": ["广东省深圳市南山区"], "keywords": ["宽带"]},
                                starts_at=now - timedelta(hours=2)).incident
    customers = Customer.objects.bulk_create([Customer(name=f"客户{i}", region="广东省深圳市南山区", created_at=now)
                                              for i in range(n)], batch_size=2000)
    every = round(1 / sms_share) if sms_share else 0  # every n-th complaint came by SMS
    if every:
        from kesu.customers.models import CustomerIdentity

        CustomerIdentity.objects.bulk_create([
            CustomerIdentity(customer=c, kind="phone", value=f"139{i:08d}")
            for i, c in enumerate(customers) if i % every == 0], batch_size=2000)
    complaints = Complaint.objects.bulk_create([
        Complaint(number=f"KS-2026-9{i:05d}", channel="sms" if every and i % every == 0 else "web", customer=c, content="宽带断网", region=c.region,
                  created_at=now - timedelta(minutes=30), updated_at=now) for i, c in enumerate(customers)],
        batch_size=2000)
    ComplaintEvent.objects.bulk_create([
        ComplaintEvent(complaint=c, kind=kind, at=c.created_at, to_status="new", data=data)
        for c in complaints for kind, data in ((EventKind.CREATED, {}), (EventKind.INCIDENT_LINKED, {
            "incident": {"id": incident.pk, "title": incident.title}, "how": "intake", "waits": True}))],
        batch_size=2000)
    IncidentLink.objects.bulk_create([
        IncidentLink(incident=incident, complaint=c, how=How.INTAKE, linked_at=now, answered_version=1)
        for c in complaints], batch_size=2000)
    # their SLA as the intake leaves it: the clocks paused while they wait on the incident
    from kesu.sla.actions import sla_refresh_many

    for start in range(0, n, 1000):
        part = list(Complaint.objects.filter(pk__in=[c.pk for c in complaints[start:start + 1000]])
                    .select_related("customer", "category"))
        timelines: dict = {}
        for event in ComplaintEvent.objects.filter(complaint__in=part).order_by("at", "id"):
            timelines.setdefault(event.complaint_id, []).append(event)
        sla_refresh_many(part, now=now - timedelta(minutes=30), timelines=timelines)
    incident_resolve(incident=incident, by=boss, now=now + timedelta(hours=1),
                     message={"zh-hans": "已修复", "en": "Repaired"}, root_cause="third_party")
    return incident


def bench_resolve(linked: int, sms_share: float = 0.0) -> dict:
    from kesu.complaints.models import Complaint
    from kesu.pipeline.incidents import incident_resolve_run

    incident = _bulk_linked(linked, NOW, sms_share)
    start = time.perf_counter()
    done = incident_resolve_run(incident_id=incident.pk, now=NOW + timedelta(hours=1),
                                progress=lambda d: print(f"  closed {d}", file=sys.stderr, flush=True)
                                if d % 2000 == 0 else None)
    seconds = time.perf_counter() - start
    assert Complaint.objects.filter(status="closed").count() == linked
    from kesu.channels.models import OutboundMessage

    sms = OutboundMessage.objects.filter(channel="sms").count()
    return {"linked": linked, "closed": done, "sms": sms, "seconds": round(seconds, 1),
            "per_second": round(done / seconds)}


def _bulk_year(total: int) -> None:
    """``total`` complaints over the past year, written by a raw batched INSERT (every column from the
    model's defaults, then number, time, category, region, product, tags varied): Django's
    ``bulk_create`` wrote 100,000 in 11 minutes on the shared machine, this is ~20× faster."""
    from django.db import connection, transaction

    from kesu.complaints.models import Category, Complaint
    from kesu.customers.models import Customer

    rng = random.Random(11)
    customer = Customer.objects.create(name="批量客户", created_at=NOW)
    categories = list(Category.objects.filter(parent__isnull=False).values_list("pk", flat=True))
    template = Complaint(number="", channel="phone", customer=customer, content="x", created_at=NOW, updated_at=NOW)
    fields = [f for f in Complaint._meta.concrete_fields if not f.primary_key]
    base = {f.attname: f.get_db_prep_save(getattr(template, f.attname), connection) for f in fields}
    by_name = {f.attname: f for f in fields}
    quote = connection.ops.quote_name
    sql = (f"INSERT INTO {quote(Complaint._meta.db_table)} ({', '.join(quote(f.column) for f in fields)}) "
           f"VALUES ({', '.join(['%s'] * len(fields))})")
    written = 0
    while written < total:
        rows = []
        for i in range(written, min(total, written + 20000)):
            at = NOW - timedelta(seconds=rng.randrange(365 * 86400))
            varied = {"number": f"KS-B-{i:08d}", "created_at": at, "updated_at": at,
                      "category_id": rng.choice(categories), "region": rng.choice(CITIES),
                      "product": rng.choice(PRODUCTS), "tags": [rng.choice(["退款", "态度", "延误", "质量"])]}
            row = dict(base)
            for name, value in varied.items():
                row[name] = by_name[name].get_db_prep_save(value, connection)
            rows.append([row[f.attname] for f in fields])
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.executemany(sql, rows)
        written += len(rows)
        if written % 100000 == 0:
            print(f"  {written} complaints written", file=sys.stderr, flush=True)


def bench_bursts(total: int) -> dict:
    from kesu.incidents.bursts import bursts_detect

    start = time.perf_counter()
    _bulk_year(total)
    written = time.perf_counter() - start
    runs = []
    for k in range(3):
        start = time.perf_counter()
        result = bursts_detect(now=NOW + timedelta(minutes=5 * k), notify_managers=False)
        runs.append(time.perf_counter() - start)
    return {"complaints": total, "write_seconds": round(written), "run_seconds": [round(r, 2) for r in runs],
            "groups_examined": result.examined, "suggestions": len(result.created)}


def bench_replay(weeks: int, complaints: int) -> dict:
    """The demo year, then burst detection every hour over its last ``weeks`` weeks (no incident in
    the demo year: every suggestion is a false one)."""
    from kesu.demo.generator import demo_generate
    from kesu.incidents.bursts import bursts_detect
    from kesu.incidents.models import BurstSuggestion

    start = time.perf_counter()
    demo_generate(complaints=complaints, seed=42, now=NOW)
    generated = time.perf_counter() - start
    start = time.perf_counter()
    at = NOW - timedelta(weeks=weeks)
    runs = 0
    while at < NOW:
        bursts_detect(now=at, notify_managers=False)
        runs += 1
        at += timedelta(hours=1)
    false = BurstSuggestion.objects.count()
    return {"demo_complaints": complaints, "weeks_replayed": weeks, "runs": runs,
            "false_suggestions": false, "per_week": round(false / weeks, 2),
            "generate_seconds": round(generated), "replay_seconds": round(time.perf_counter() - start),
            "examples": [f"{s.dimension} {s.value} {s.region} {s.window}: {s.count} vs {s.expected}"
                         for s in BurstSuggestion.objects.all()[:5]]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("parts", nargs="+", choices=["matching", "resolve", "bursts", "replay"])
    parser.add_argument("--count", type=int, default=300, help="intakes measured (matching)")
    parser.add_argument("--linked", type=int, default=10000)
    parser.add_argument("--total", type=int, default=1000000)
    parser.add_argument("--weeks", type=int, default=8)
    parser.add_argument("--complaints", type=int, default=20000, help="demo year size (replay)")
    parser.add_argument("--sms", type=float, default=0.0, help="share of SMS complaints (resolve)")
    args = parser.parse_args()
    if args.sms:  # an SMS gateway configured, so that the SMS replies are written (not sent here)
        os.environ.setdefault("KESU_SMS_WEBHOOK_URL", "http://127.0.0.1:9/sms")
    results = {}
    for part in args.parts:
        with tempfile.TemporaryDirectory(prefix="kesu-bench-incidents-") as data_dir, \
                bench_database() as database_url:
            if "django" in sys.modules:
                from django.db import connections

                connections.close_all()
                from django.conf import settings

                settings.DATABASES["default"].update(_db(data_dir, database_url))
                from django.core.management import call_command

                call_command("migrate", verbosity=0)
            else:
                setup_django(data_dir, database_url)
            from kesu.incidents.matching import scopes_reset

            scopes_reset()
            engine = "postgresql" if database_url else "sqlite"
            print(f"== {part} ({engine})", file=sys.stderr, flush=True)
            if part == "matching":
                results[part] = bench_matching(args.count)
            elif part == "resolve":
                results[part] = bench_resolve(args.linked, args.sms)
            elif part == "bursts":
                results[part] = bench_bursts(args.total)
            else:
                results[part] = bench_replay(args.weeks, args.complaints)
            results[part]["database"] = engine
            print(json.dumps({part: results[part]}, ensure_ascii=False), flush=True)


def _db(data_dir: str, database_url: str | None) -> dict:
    import dj_database_url

    if database_url:
        return dj_database_url.parse(database_url)
    return {"ENGINE": "django.db.backends.sqlite3", "NAME": str(Path(data_dir) / "kesu.sqlite3")}


if __name__ == "__main__":
    main()
