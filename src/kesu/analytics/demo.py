"""The analytics part of ``kesu demo``: survey answers on closed complaints, customers' birth years,
product batches and suppliers, three improvement measures (one whose effect the base year holds,
see ``kesu.demo.generator.IMPROVEMENT_EFFECT``), default KPI targets, then the rollups."""

from __future__ import annotations

import hashlib
import random
from datetime import datetime, timedelta

from django.db import transaction

SUPPLIERS = ("深圳华信电子", "东莞立达精密", "苏州新源科技", "宁波恒达物流", "成都天府制造")
SATISFACTION_WEIGHTS = ((5, 46), (4, 30), (3, 12), (2, 7), (1, 5))
RESPONSE_RATE = 0.38
DEFAULT_TARGETS = {  # the requirements' targets where they name one (docs/kpis.md); (target, amber, red)
    "first_response_timeliness": (0.95, 0.92, 0.88),
    "first_contact_resolution": (0.85, 0.82, 0.78),
    "closure_within_5_working_days": (0.90, 0.87, 0.83),
    "repeat_rate": (0.05, 0.06, 0.08),
    "satisfaction": (4.5, 4.3, 4.0),
    "survey_response_rate": (0.35, 0.30, 0.25),
    "nps": (30, 20, 10),
    "reopen_rate": (0.03, 0.05, 0.08),
}


def _draw(number: str, salt: str) -> float:
    return int(hashlib.sha256(f"{salt}:{number}".encode()).hexdigest()[:8], 16) / 0xFFFFFFFF


def surveys_populate(*, seed: int) -> int:
    """One survey per closed complaint; about 38 % answered; two in five of the reopened complaints were
    reopened by a "not satisfied" answer."""
    from kesu.complaints.models import ComplaintEvent
    from kesu.surveys.models import Survey

    rng = random.Random(seed)
    reopened = set(ComplaintEvent.objects.filter(kind="reopened").values_list("complaint_id", flat=True))
    rows = []
    scores, weights = zip(*SATISFACTION_WEIGHTS, strict=True)
    closings = ComplaintEvent.objects.filter(kind="closed").order_by("id").values_list(
        "complaint_id", "complaint__number", "at", "complaint__reopen_count")
    seen: set[int] = set()
    for complaint_id, number, at, _reopens in closings.iterator(chunk_size=5000):
        if complaint_id in seen:
            continue
        seen.add(complaint_id)
        unhappy = complaint_id in reopened and _draw(number, "unhappy") < 0.4  # some reopens came from the survey
        answered = unhappy or rng.random() < RESPONSE_RATE
        satisfaction = rng.choice((1, 2)) if unhappy else rng.choices(scores, weights)[0] if answered else None
        nps = None
        if answered and rng.random() < 0.8:
            nps = min(10, max(0, round(satisfaction * 2 + rng.gauss(0, 1.3)))) if satisfaction else None
        digest = hashlib.sha256(f"demo-survey:{number}".encode()).hexdigest()
        rows.append(Survey(
            complaint_id=complaint_id, cycle=0, salt=digest[:16], digest=digest, channel="link",
            sent_at=at, answered_at=at + timedelta(hours=rng.randint(1, 72)) if answered else None,
            satisfaction=satisfaction, nps=nps, solved=(not unhappy) if answered else None,
            comment="问题没有解决" if unhappy else "", reopened=unhappy,
        ))
    Survey.objects.bulk_create(rows, batch_size=2000)

    return len(rows)


def birth_years_populate(*, seed: int, now: datetime) -> int:
    from kesu.customers.models import Customer

    rng = random.Random(seed + 1)
    updated = []
    for customer in Customer.objects.filter(birth_year__isnull=True).only("id").iterator(chunk_size=5000):
        if rng.random() < 0.78:
            customer.birth_year = now.year - min(80, max(18, round(rng.gauss(38, 12))))
            updated.append(customer)
    Customer.objects.bulk_update(updated, ["birth_year"], batch_size=2000)
    return len(updated)


def batches_populate() -> int:
    from kesu.analytics.models import Batch
    from kesu.complaints.models import Complaint

    pairs = Complaint.objects.exclude(batch="").values_list("product", "batch").distinct()
    rows = [Batch(product=p, code=b, supplier=SUPPLIERS[int(_draw(p + b, "supplier") * len(SUPPLIERS)) % len(SUPPLIERS)])
            for p, b in pairs]
    Batch.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


def measures_populate(*, now: datetime) -> int:
    from kesu.analytics.models import ImprovementMeasure, MetricKind
    from kesu.core.models import User
    from kesu.demo.generator import IMPROVEMENT_EFFECT

    owner = User.objects.filter(username="manager").first()
    effect = IMPROVEMENT_EFFECT
    start = (now - timedelta(days=effect["days_before_now"])).date()
    measures = [
        ImprovementMeasure(
            title="广东处理效率专项：工单超时自动升级与专人跟进", owner=owner, start=start, window_days=140,
            scope={"category": effect["category"], "region": effect["region"]},
            control_scope={"category": effect["category"], "region_not": effect["region"]},
            metric=MetricKind.VOLUME, expected_effect=-0.3, cost=30000, handling_cost=80, created_at=now,
        ),
        ImprovementMeasure(
            title="服务态度培训（全体一线）", owner=owner, start=(now - timedelta(days=100)).date(), window_days=90,
            scope={"category": "service-attitude"}, control_scope={"category": "product-consultation"},
            metric=MetricKind.VOLUME, expected_effect=-0.15,
            cost=20000, handling_cost=80, created_at=now,
        ),
        ImprovementMeasure(
            title="结案前回访确认，降低重开", owner=owner, start=(now - timedelta(days=90)).date(), window_days=56,
            scope={}, metric=MetricKind.REOPEN_RATE, expected_effect=-0.02, cost=8000, handling_cost=80,
            created_at=now,
        ),
    ]
    ImprovementMeasure.objects.bulk_create(measures)
    return len(measures)


def targets_populate(*, now: datetime) -> None:
    from kesu.analytics.actions import kpi_target_set

    for kpi, (target, amber, red) in DEFAULT_TARGETS.items():
        kpi_target_set(kpi=kpi, target=target, amber=amber, red=red, by=None, now=now)


def demo_populate(*, seed: int, complaints: int, now: datetime) -> None:
    from kesu.analytics.actions import rollup_rebuild
    from kesu.analytics.models import ImprovementMeasure
    from kesu.complaints.models import ComplaintEvent

    if ImprovementMeasure.objects.exists():
        print("Analytics demo data is there already.")
        return
    print("Analytics: surveys, birth years, batches, improvement measures …", flush=True)
    with transaction.atomic():
        surveys = surveys_populate(seed=seed)
        people = birth_years_populate(seed=seed, now=now)
        batches = batches_populate()
        measures = measures_populate(now=now)
        targets_populate(now=now)
    print(f"  {surveys:,} surveys, {people:,} birth years, {batches:,} batches, {measures} measures")
    total = ComplaintEvent.objects.count()
    done = 0

    def step(counted: int) -> None:
        nonlocal done
        done += counted
        print(f"\r  rollups: {done:,}/{total:,} events", end="", flush=True)

    rollup_rebuild(now=now, progress=step)
    print()
