"""SLA benchmark: deadline computation per core, and a sweep with 1,000 complaints due among
10,000 and among 1,000,000 open complaints.

    python bench/sla_sweep.py                          # SQLite in a throw-away data folder
    python bench/sla_sweep.py --open 10000 1000000 --due 1000
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/test python bench/sla_sweep.py

Targets (issue "Routing, assignment, SLA clocks …"): deadline computation ≥ 5,000 complaints/s per
core; the sweep among 1,000,000 open complaints takes at most twice as long as among 10,000 (cost
grows with what is due, not with what is open: ``next_due_at`` is indexed).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.append(str(Path(__file__).resolve().parent))
from support import bench_database  # noqa: E402

NOW = datetime(2026, 3, 4, 3, 0, tzinfo=UTC)  # Wednesday 11:00 in Shanghai


def setup_django(data_dir: str, database_url: str | None) -> None:
    os.environ["KESU_DATA_DIR"] = data_dir
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kesu.config.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def print_json(**values) -> None:
    print(json.dumps(values, ensure_ascii=False), flush=True)


def part_deadlines(seconds: float = 3.0) -> None:
    """``clocks_compute`` on typical timelines with the default calendar and policy (no database)."""
    from kesu.sla.actions import _calendars
    from kesu.sla.clocks import Fact, clocks_compute
    from kesu.sla.context import sla_policies

    policy = next(p for p in sla_policies() if p.spec.name == "standard")
    calendars = _calendars(policy)
    start = NOW - timedelta(days=1)
    timelines = [
        [Fact("created", start, "new")],
        [Fact("created", start, "new"), Fact("assigned", start + timedelta(minutes=20), "assigned"),
         Fact("started", start + timedelta(minutes=50), "in_progress")],
        [Fact("created", start, "new"), Fact("assigned", start + timedelta(minutes=20), "assigned"),
         Fact("started", start + timedelta(minutes=50), "in_progress"),
         Fact("pended", start + timedelta(hours=2), "pending_customer"),
         Fact("resumed", start + timedelta(hours=20), "in_progress"),
         Fact("transferred", start + timedelta(hours=21), "new", {"accept_minutes": 60}),
         Fact("assigned", start + timedelta(hours=22), "assigned")],
    ]
    done = 0
    began = time.perf_counter()
    while time.perf_counter() - began < seconds:
        for facts in timelines:
            clocks_compute(facts, policy.spec, calendars, NOW)
        done += len(timelines)
    rate = done / (time.perf_counter() - began)
    print_json(part="deadline computation", complaints_per_second=round(rate), target=5000,
               timelines="1, 3 and 7 events (created / assigned+started / pend, resume, transfer)")


def _fill(total_open: int, due: int) -> None:
    """``total_open`` open complaints; ``due`` of them have just fallen due (created 100 working
    minutes before NOW, unassigned: the assignment warning at 90 minutes is due), the others fall due
    later. Like every complaint after intake, they carry their policy (``sla``)."""
    from django.db import transaction
    from tests.factories import make_user

    from kesu.complaints.models import Complaint, ComplaintEvent
    from kesu.core.models import Department, Group
    from kesu.core.roles import Role
    from kesu.customers.models import Customer
    from kesu.demo.bulk import ids_reserve, rows_insert

    department, _ = Department.objects.get_or_create(code="bench", defaults={"name": "bench"})
    group, _ = Group.objects.get_or_create(code="bench", defaults={"name": "bench", "department": department})
    if group.lead_id is None:
        group.lead = make_user(Role.HANDLER, "bench-lead")
        group.save()
        department.manager = make_user(Role.MANAGER, "bench-manager")
        department.save()
    customer = Customer.objects.create(name="客户", tier="regular", region="", created_at=NOW)
    created = NOW - timedelta(minutes=100)  # Wednesday 09:20 in Shanghai
    later = NOW + timedelta(days=30)
    snapshot = {"policy": "standard", "calendar": "", "paused": False, "clocks": []}
    chunk = 20_000
    existing = Complaint.objects.count()
    for start in range(0, total_open, chunk):
        with transaction.atomic():
            batch = []
            for i in range(start, min(total_open, start + chunk)):
                is_due = i < due
                batch.append(Complaint(
                    number=f"KS-S-{existing + i:08d}", channel="phone", customer=customer, group=group,
                    content="宽带断网三天了", created_at=created, updated_at=created, sla=snapshot,
                    next_due_at=created + timedelta(minutes=90) if is_due else later,
                ))
            for complaint, pk in zip(batch, ids_reserve(Complaint, len(batch)), strict=True):
                complaint.pk = pk
            rows_insert(Complaint, batch)
            events = [ComplaintEvent(complaint=c, kind="created", at=created, to_status="new", data={})
                      for c in batch if c.next_due_at < NOW]
            rows_insert(ComplaintEvent, events)


def part_sweep(total_open: int, due: int) -> float:
    from django.db import connection

    from kesu.complaints.models import Complaint, ComplaintEvent
    from kesu.sla.actions import sla_sweep

    with connection.cursor() as cursor:  # a clean slate for each size
        for table in ("notifications_delivery", "notifications_notification", "complaints_complaintevent",
                      "complaints_complaint"):
            cursor.execute(f"DELETE FROM {table}")
    began = time.perf_counter()
    _fill(total_open, due)
    filled = time.perf_counter() - began
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    began = time.perf_counter()
    result = sla_sweep(now=NOW)
    seconds = time.perf_counter() - began
    assert result.looked_at == due, result
    assert not Complaint.objects.filter(next_due_at__lte=NOW).exists()
    events = ComplaintEvent.objects.exclude(kind="created").count()
    print_json(part="sweep", open_complaints=total_open, due=due, seconds=round(seconds, 2),
               ms_per_due_complaint=round(seconds * 1000 / due, 2), events_recorded=events,
               fill_seconds=round(filled, 1))
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--open", type=int, nargs="+", default=[10_000, 1_000_000])
    parser.add_argument("--due", type=int, default=1000)
    parser.add_argument("--only", choices=["deadlines", "sweep"])
    args = parser.parse_args()
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    with tempfile.TemporaryDirectory() as data_dir, bench_database() as database_url:
        setup_django(data_dir, database_url)
        from django.db import connection

        print_json(database=connection.vendor)
        if args.only in (None, "deadlines"):
            part_deadlines()
        if args.only in (None, "sweep"):
            times = [part_sweep(size, args.due) for size in args.open]
            if len(times) > 1:
                print_json(part="sweep ratio", largest_over_smallest=round(times[-1] / times[0], 2), target="≤ 2")


if __name__ == "__main__":
    main()
