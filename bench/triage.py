"""Triage benchmark: full triage of one complaint, model load, jieba start-up, repeat candidates.

    python bench/triage.py                 # all parts; SQLite in a throw-away data folder
    python bench/triage.py --history 1000000 --probes 200
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/test python bench/triage.py --only repeats

Targets (issue "Triage engine"): ≥ 1,000 complaints/s full triage on one core (everything but the
database), model load < 200 ms, jieba's start-up reported and kept out of requests, repeat
candidates among 1,000,000 earlier complaints < 20 ms per complaint.

The model part trains on ../shared/data/dev/finance_complaints_train.csv and triages the texts of
..._dev.csv; it is skipped with a message when the shared data is not there.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("KESU_SHARED_DATA", ROOT.parent / "shared" / "data"))


sys.path.insert(0, str(Path(__file__).resolve().parent))
from support import bench_database  # noqa: E402


def setup_django(data_dir: str, database_url: str | None) -> None:
    os.environ["KESU_DATA_DIR"] = data_dir
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "kesu.config.settings"
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def rows(path: Path) -> list[tuple[str, str]]:
    with path.open(encoding="utf-8") as f:
        return [(r[0], r[-1]) for r in csv.reader(f) if r]


def print_json(**values) -> None:
    print(json.dumps(values, ensure_ascii=False), flush=True)


def part_engine() -> None:
    """Everything triage does to one complaint, without the database."""
    from kesu.triage.text import jieba_warm

    jieba_seconds = jieba_warm()
    print_json(part="jieba start-up", seconds=round(jieba_seconds, 3),
               note="paid once per process at start (kesu serve / worker / wsgi), never in a request")
    from kesu.triage.classifier import CategoryModel
    from kesu.triage.defaults import KEYWORDS, PRIORITY_MATRIX, REQUIRED_FIELDS
    from kesu.triage.engine import EarlierComplaint, TriageContext, TriageInput, triage_run
    from kesu.triage.keywords import KeywordMatcher, KeywordRule
    from kesu.triage.severity import MatrixCell

    train_path, dev_path = SHARED / "dev" / "finance_complaints_train.csv", SHARED / "dev" / "finance_complaints_dev.csv"
    if not train_path.exists():
        print(f"skipped the model part: {train_path} is not there")
        return
    train, dev = rows(train_path), rows(dev_path)
    model = CategoryModel().fit([t for t, _ in train], [label for _, label in train])
    with tempfile.TemporaryDirectory() as folder:
        model.save(Path(folder))
        loads = []
        for _ in range(5):
            t = time.perf_counter()
            loaded = CategoryModel.load(Path(folder))
            loads.append(time.perf_counter() - t)
        print_json(part="model load", ms_median=round(statistics.median(loads) * 1000, 1),
                   ms_max=round(max(loads) * 1000, 1), target_ms=200)
    labels = frozenset(label for _, label in train)
    context = TriageContext(
        keywords=KeywordMatcher([KeywordRule(tag, words, code) for tag, (words, code) in KEYWORDS.items()]),
        matrix=tuple(MatrixCell(*cell) for cell in PRIORITY_MATRIX),
        required_fields=REQUIRED_FIELDS, parents={}, known_categories=labels, model=loaded, model_version="1",
    )
    rng = random.Random(3)
    now = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)
    inputs = []
    for text, _label in dev:
        # each complaint compared with a few earlier ones of its customer, as intake does
        earlier = tuple(
            EarlierComplaint(id=i, number=f"KS-2026-{i:06d}", text=rng.choice(dev)[0],
                             created_at=now - timedelta(days=i))
            for i in range(rng.choice([0, 0, 1, 3]))
        )
        inputs.append(TriageInput(subject="", content=text, tier=rng.choice(["regular", "vip"]), earlier=earlier,
                                  fields={"content": text}, created_at=now))
    for inp in inputs[:50]:
        triage_run(inp, context)
    rounds = 3
    t, cpu = time.perf_counter(), time.process_time()
    for _ in range(rounds):
        for inp in inputs:
            triage_run(inp, context)
    seconds, cpu_seconds = time.perf_counter() - t, time.process_time() - cpu
    print_json(part="full triage (no database)", complaints=len(inputs) * rounds,
               per_second=round(len(inputs) * rounds / seconds), ms_each=round(seconds / (len(inputs) * rounds) * 1000, 3),
               per_cpu_second=round(len(inputs) * rounds / cpu_seconds),
               mean_chars=round(statistics.mean(len(i.content) for i in inputs)), target_per_second=1000,
               model_settings=loaded.settings.name if loaded.settings else "")
    from kesu.triage.emotion import emotion_temperature
    from kesu.triage.redchannel import red_channel_detect

    texts = [inp.content for inp in inputs]
    for name, function in (("red channel", red_channel_detect), ("emotion temperature", emotion_temperature),
                           ("category model", loaded.predict_one)):
        cpu = time.process_time()
        for text in texts:
            function(text)
        spent = time.process_time() - cpu
        print_json(part=f"{name} alone", per_cpu_second=round(len(texts) / spent),
                   us_each=round(spent / len(texts) * 1e6))


def part_repeats(history: int, probes: int) -> None:
    """Candidate repeats of a new complaint among ``history`` earlier complaints in the database."""
    from django.db import transaction

    from kesu.complaints.models import Complaint
    from kesu.customers.models import Customer
    from kesu.demo.bulk import ids_reserve, rows_insert
    from kesu.triage.actions import triage_input_for
    from kesu.triage.context import triage_context
    from kesu.triage.engine import _repeats

    rng = random.Random(5)
    now = datetime(2026, 11, 1, 2, 0, tzinfo=UTC)
    customers_count = max(1, history // 5)
    texts = [
        "宽带从周一开始断网，报修两次都没有人上门处理", "冰箱送到时外箱破损，门把手断裂，要求换货",
        "客服电话等了四十分钟才接通，接线员态度很差", "套餐被莫名其妙扣费，我从来没有订购过这个业务",
        "快递显示已签收但我根本没有收到，物流客服一直推脱", "信用卡年费没有提前告知就扣了，要求退还",
    ]
    started = time.perf_counter()
    chunk = 20_000
    for start in range(0, customers_count, chunk):
        with transaction.atomic():
            people = [Customer(name=f"客户{i}", tier="regular", region="", created_at=now)
                      for i in range(start, min(customers_count, start + chunk))]
            for person, pk in zip(people, ids_reserve(Customer, len(people)), strict=True):
                person.pk = pk
            rows_insert(Customer, people)
    customer_ids = list(Customer.objects.values_list("id", flat=True))
    for start in range(0, history, chunk):
        with transaction.atomic():
            batch = []
            for i in range(start, min(history, start + chunk)):
                at = now - timedelta(minutes=rng.randrange(365 * 24 * 60))
                batch.append(Complaint(
                    number=f"KS-B-{i:08d}", channel="phone", customer_id=rng.choice(customer_ids),
                    content=rng.choice(texts) + f"（{i}）", created_at=at, updated_at=at,
                ))
            for complaint, pk in zip(batch, ids_reserve(Complaint, len(batch)), strict=True):
                complaint.pk = pk
            rows_insert(Complaint, batch)
    print_json(part="repeats: history written", complaints=history, customers=customers_count,
               seconds=round(time.perf_counter() - started, 1))
    context = triage_context()
    probe_customers = rng.sample(customer_ids, probes)
    timings = []
    found = 0
    for customer_id in probe_customers:
        probe = Complaint(customer=Customer.objects.get(pk=customer_id), content=rng.choice(texts) + "，还是没解决！",
                          subject="", created_at=now, updated_at=now)
        probe.pk = -1
        t = time.perf_counter()
        inp = triage_input_for(probe, category_given="", window_days=30)
        repeats = _repeats(inp, context)
        timings.append(time.perf_counter() - t)
        found += bool(repeats)
    timings.sort()
    print_json(part="repeat candidates", history=history, probes=probes,
               ms_median=round(statistics.median(timings) * 1000, 2),
               ms_p99=round(timings[int(0.99 * (len(timings) - 1))] * 1000, 2),
               probes_with_a_repeat=found, target_ms=20,
               how="B-tree index (customer, created_at): the customer's complaints in the window, then text similarity")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--history", type=int, default=1_000_000)
    parser.add_argument("--probes", type=int, default=200)
    parser.add_argument("--only", choices=["engine", "repeats"])
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as data_dir, bench_database() as database_url:
        setup_django(data_dir, database_url)
        from django.db import connection

        print_json(database=connection.vendor)
        if args.only in (None, "engine"):
            part_engine()
        if args.only in (None, "repeats"):
            part_repeats(args.history, args.probes)


if __name__ == "__main__":
    main()
