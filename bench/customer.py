"""Desk and customer pages benchmark: the complaint's desk page and the customer's 360° page, in a
centre of 1,000,000 complaints, for a customer who has 500 of them.

    python bench/customer.py                              # SQLite, 1,000,000 complaints (fill ≈ 5–10 min)
    python bench/customer.py --complaints 100000 --runs 10
    python bench/customer.py --keep /tmp/customer-db      # fill once, measure again quickly
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/test python bench/customer.py

Targets (issue 17): the desk page ≤ 300 ms server time p95 with 1,000,000 complaints; the customer
page ≤ 300 ms for a customer with 500 complaints. The centre is bench/queues.py's fill (most
complaints closed over two years, 6,000 open); on top, one customer gets 500 complaints (12 open)
with their events and 25 compensation proposals. Each page is fetched with Django's test client as
a logged-in handler, ``--runs`` times after a warm-up; the median and p95 server time and the
number of queries are printed.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

sys.path.append(str(Path(__file__).resolve().parent))
from sla_sweep import NOW, print_json, setup_django  # noqa: E402
from support import bench_database  # noqa: E402

from queues import fill  # noqa: E402

HISTORY = 500


def loyal_customer(handler, *, complaints: int = HISTORY, seed: int = 11):
    """One customer with ``complaints`` complaints across channels (the newest 12 open), two events
    each, and a compensation proposal on every 20th; returns (customer, an open complaint)."""
    from django.db import transaction

    from kesu.compensation.models import Proposal
    from kesu.complaints.models import Complaint, ComplaintEvent
    from kesu.customers.models import Customer, CustomerIdentity
    from kesu.demo.bulk import ids_reserve, rows_insert

    rng = random.Random(seed)
    with transaction.atomic():
        customer = Customer.objects.create(name="常客 张伟", tier="vip", region="上海", created_at=NOW - timedelta(days=900))
        CustomerIdentity.objects.create(customer=customer, kind="phone", value="13800009999")
        CustomerIdentity.objects.create(customer=customer, kind="email", value="loyal@example.cn")
        batch = []
        for i in range(complaints):
            is_open = i >= complaints - 12
            created = NOW - timedelta(days=730) + timedelta(days=730) * (i / complaints)
            batch.append(Complaint(
                number=f"KS-C-{i:06d}", channel=rng.choice(("phone", "web", "chat", "email")), customer=customer,
                subject=f"老客户投诉 {i}", content="宽带又断了，这个月第三次。", priority="P2",
                status=rng.choice(("assigned", "in_progress")) if is_open else "closed",
                group_id=handler.handler_profile.groups.first().pk, assignee=handler, created_at=created,
                updated_at=created, closed_at=None if is_open else created + timedelta(days=2),
                resolution="" if is_open else "已上门检修线路。", reopen_count=1 if i % 17 == 0 else 0,
                repeat_count=1 if i % 5 == 0 else 0, next_due_at=NOW + timedelta(hours=6) if is_open else None,
                sla={} if not is_open else {"policy": "standard", "clocks": [], "paused": False},
            ))
        for complaint, pk in zip(batch, ids_reserve(Complaint, len(batch)), strict=True):
            complaint.pk = pk
        rows_insert(Complaint, batch)
        events, proposals = [], []
        for c in batch:
            events.append(ComplaintEvent(complaint=c, kind="created", at=c.created_at, to_status="new", data={}))
            events.append(ComplaintEvent(complaint=c, kind="assigned", at=c.created_at + timedelta(minutes=9),
                                         from_status="new", to_status="assigned", data={}))
            if c.number.endswith("0") and int(c.number[-6:]) % 20 == 0:
                proposals.append(Proposal(complaint=c, proposed_by=handler, amount=50, remedy="话费补偿",
                                          status="approved", created_at=c.created_at + timedelta(hours=3)))
        rows_insert(ComplaintEvent, events)
        Proposal.objects.bulk_create(proposals)
    return customer, batch[-1]


def measure(client, url: str, runs: int) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times, queries = [], 0
    for run in range(runs + 1):
        with CaptureQueriesContext(connection) as captured:
            began = time.perf_counter()
            response = client.get(url)
            elapsed = time.perf_counter() - began
        assert response.status_code == 200, (url, response.status_code)
        if run:  # the first is a warm-up
            times.append(elapsed * 1000)
        queries = len(captured)
    times.sort()
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    return {"median_ms": round(statistics.median(times), 1), "p95_ms": round(p95, 1), "queries": queries}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--complaints", type=int, default=1_000_000)
    parser.add_argument("--open", type=int, default=6_000)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--keep", metavar="DIR", help="SQLite: keep the filled database in DIR and reuse it next time")
    args = parser.parse_args()
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    with tempfile.TemporaryDirectory() as scratch, bench_database() as database_url:
        data_dir = args.keep if args.keep and not database_url else scratch
        setup_django(data_dir, database_url)
        from django.conf import settings
        from django.db import connection
        from django.test import Client

        settings.ALLOWED_HOSTS = ["*"]
        settings.DEBUG = False
        settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
        print_json(database=connection.vendor, complaints=args.complaints, open=args.open, history=HISTORY)
        began = time.perf_counter()
        from kesu.complaints.models import Complaint
        from kesu.core.models import User
        from kesu.customers.models import Customer

        if User.objects.filter(username="bench-manager").exists():  # --keep: filled before
            handler = User.objects.get(username="h00")
        else:
            handler, _manager = fill(args.complaints, args.open)
        if not Customer.objects.filter(name="常客 张伟").exists():
            customer, open_complaint = loyal_customer(handler)
        else:
            customer = Customer.objects.get(name="常客 张伟")
            open_complaint = Complaint.objects.filter(customer=customer).order_by("-created_at").first()
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        print_json(part="fill", seconds=round(time.perf_counter() - began, 1))
        other = Complaint.objects.exclude(customer=customer).filter(status="in_progress").order_by("-id").first()
        import time_machine

        with time_machine.travel(NOW, tick=True):
            client = Client()
            client.force_login(handler)
            for name, url in (
                ("desk page, customer with 500 complaints", f"/complaints/{open_complaint.pk}/"),
                ("desk page, another open complaint", f"/complaints/{other.pk}/"),
                ("customer page, 500 complaints", f"/customers/{customer.pk}/"),
                ("customer list", "/customers/"),
                ("customer list, search by phone", "/customers/?q=13800009999"),
            ):
                print_json(page=name, **measure(client, url, args.runs))


if __name__ == "__main__":
    main()
