"""A long history, fast: add N closed complaints (with their customers, identities and events) to an
existing data folder, so intake and the sweeps can be measured against 1,000,000 rows without the
demo's full walk through every lifecycle step.

    KESU_DATA_DIR=/tmp/k1m kesu demo --complaints 500 --no-serve     # the demo's organisation and rules
    KESU_DATA_DIR=/tmp/k1m python bench/history.py --complaints 1000000

Each added complaint is closed, handled by one of the demo's handlers in one of its groups, created
within the last year by one of ``complaints / 3`` customers (each with a phone number), and has a
``created`` and a ``closed`` event: the rows a year of a large centre leaves behind. What is open
(the work in progress) stays what the demo made — a long history does not mean a long queue.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

CHUNK = 20_000


def history_fill(count: int, *, seed: int = 5, progress=None) -> float:
    """Add ``count`` closed complaints; returns the seconds it took."""
    from django.db import transaction

    from kesu.complaints.models import Complaint, ComplaintEvent
    from kesu.core.clock import clock_now
    from kesu.core.models import HandlerProfile
    from kesu.customers.models import Customer, CustomerIdentity
    from kesu.demo.bulk import ids_reserve, rows_insert

    started = time.perf_counter()
    rng = random.Random(seed)
    now = clock_now()
    handlers = [(p.user_id, g) for p in HandlerProfile.objects.prefetch_related("groups") for g in p.groups.all()]
    if not handlers:
        raise SystemExit("no handlers in their groups: load the demo first (kesu demo --complaints 500 --no-serve)")
    customers_wanted = max(1, count // 3)
    customer_ids: list[int] = []
    for start in range(0, customers_wanted, CHUNK):
        with transaction.atomic():
            batch = [Customer(name="历史客户", tier="regular", region="", created_at=now - timedelta(days=400))
                     for _ in range(min(CHUNK, customers_wanted - start))]
            for customer, pk in zip(batch, ids_reserve(Customer, len(batch)), strict=True):
                customer.pk = pk
            rows_insert(Customer, batch)
            rows_insert(CustomerIdentity, [CustomerIdentity(customer_id=c.pk, kind="phone", value=f"188{c.pk:08d}")
                                           for c in batch])
            customer_ids.extend(c.pk for c in batch)
    serial = Complaint.objects.count()
    done = 0
    for start in range(0, count, CHUNK):
        with transaction.atomic():
            batch = []
            for i in range(start, min(count, start + CHUNK)):
                created = now - timedelta(days=365 * rng.random() + 1)
                closed = created + timedelta(hours=rng.uniform(2, 96))
                handler, group = rng.choice(handlers)
                batch.append(Complaint(
                    number=f"KS-H-{serial + i:09d}", channel=rng.choice(["phone", "chat", "email", "web"]),
                    customer_id=rng.choice(customer_ids), content="宽带断网，已上门维修恢复。", status="closed",
                    group=group, assignee_id=handler, last_handler_id=handler, created_at=created,
                    updated_at=closed, assigned_at=created + timedelta(minutes=20), resolved_at=closed,
                    closed_at=closed, sla={}, resolution="已修复",
                ))
            for complaint, pk in zip(batch, ids_reserve(Complaint, len(batch)), strict=True):
                complaint.pk = pk
            rows_insert(Complaint, batch)
            events = []
            for c in batch:
                events.append(ComplaintEvent(complaint_id=c.pk, kind="created", at=c.created_at, from_status="",
                                             to_status="new", data={}))
                events.append(ComplaintEvent(complaint_id=c.pk, kind="closed", at=c.closed_at,
                                             from_status="resolved", to_status="closed", data={}))
            rows_insert(ComplaintEvent, events)
        done += len(batch)
        if progress is not None:
            progress(done)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--complaints", type=int, default=1_000_000)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kesu.config.settings")
    import django

    django.setup()
    from kesu.demo.generator import ProgressBar

    bar = ProgressBar(total=args.complaints, stream=sys.stderr)
    seconds = history_fill(args.complaints, progress=bar.update)
    bar.close()
    from kesu.complaints.models import Complaint

    print(f"added {args.complaints:,} closed complaints in {seconds:.0f} s; {Complaint.objects.count():,} in all")


if __name__ == "__main__":
    main()
