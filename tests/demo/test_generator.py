"""``kesu demo``'s year of complaints: what someone opening the demo would notice."""

from __future__ import annotations

import re
from collections import Counter
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.db import transaction

from kesu.complaints.models import Complaint, ComplaintEvent, EventKind, Status
from kesu.core.models import User
from kesu.customers.models import Customer, CustomerIdentity, IdentityKind, Tier
from kesu.demo.generator import demo_generate
from kesu.pipeline.transitions import complaint_assign, complaint_reopen
from tests.demo.conftest import NOW

pytestmark = pytest.mark.django_db


def _share(counter: Counter, key: str) -> float:
    return counter[key] / sum(counter.values())


def test_category_and_channel_mixes_follow_the_seeds(demo):
    # given a demo year (600 complaints)
    # when we count categories and channels
    complaints = Complaint.objects.all()
    categories = Counter(complaints.values_list("category__code", flat=True))
    channels = Counter(complaints.values_list("channel", flat=True))

    # then they follow 42/28/19/11 and 36/31/23/10 within a sampling tolerance
    expected_categories = {
        "service-attitude": 0.42,
        "product-consultation": 0.28,
        "handling-efficiency": 0.19,
        "solution-compensation": 0.11,
    }
    assert set(categories) == set(expected_categories)
    for code, share in expected_categories.items():
        assert _share(categories, code) == pytest.approx(share, abs=0.06), code
    expected_channels = {"phone": 0.36, "chat": 0.31, "email": 0.23, "social": 0.10}
    assert set(channels) == set(expected_channels)
    for channel, share in expected_channels.items():
        assert _share(channels, channel) == pytest.approx(share, abs=0.06), channel


def test_weekends_are_about_a_third_quieter_than_weekdays(demo):
    zone = ZoneInfo(settings.TIME_ZONE)
    per_day = Counter(
        t.astimezone(zone).date() for t in Complaint.objects.values_list("created_at", flat=True)
    )
    first, last = (NOW - timedelta(days=364)).astimezone(zone).date(), NOW.astimezone(zone).date()
    days = [first + timedelta(days=i) for i in range((last - first).days)]  # whole days only
    weekdays = [per_day[d] for d in days if d.weekday() < 5]
    weekends = [per_day[d] for d in days if d.weekday() >= 5]

    weekday_mean = sum(weekdays) / len(weekdays)
    weekend_mean = sum(weekends) / len(weekends)

    assert weekend_mean < 0.85 * weekday_mean
    assert weekend_mean > 0.5 * weekday_mean


def test_arrivals_peak_in_business_hours(demo):
    zone = ZoneInfo(settings.TIME_ZONE)
    hours = Counter(t.astimezone(zone).hour for t in Complaint.objects.values_list("created_at", flat=True))
    peak = sum(hours[h] for h in (9, 10, 14, 15)) / 4
    night = sum(hours[h] for h in range(0, 6)) / 6
    lunch = hours[12]
    overall = sum(hours.values()) / 24

    assert peak > 1.6 * overall
    assert peak > 5 * night
    assert peak > lunch


def test_every_history_replays_to_the_complaint_as_it_stands(demo):
    complaints = {c.pk: c for c in Complaint.objects.all()}
    events: dict[int, list[ComplaintEvent]] = {pk: [] for pk in complaints}
    for event in ComplaintEvent.objects.order_by("at", "id"):
        events[event.complaint_id].append(event)

    for pk, complaint in complaints.items():
        timeline = events[pk]
        # it starts with "created" at the complaint's creation time
        first = timeline[0]
        assert (first.kind, first.from_status, first.to_status) == (EventKind.CREATED, "", Status.NEW)
        assert first.at == complaint.created_at
        assert sum(e.kind == EventKind.CREATED for e in timeline) == 1
        # every step starts where the previous one ended, in time order, never in the future
        status, previous_at = Status.NEW, first.at
        for event in timeline[1:]:
            assert event.from_status == status, (complaint.number, event.kind)
            assert previous_at <= event.at <= NOW
            status, previous_at = event.to_status, event.at
        # and ends in the complaint's current status, at its last update
        assert status == complaint.status, complaint.number
        # the SLA's records (warnings, breaches … at the time they fell due) do not change the complaint
        timeline = [e for e in timeline if not e.kind.startswith("sla_") and e.kind not in ("escalated", "reminded")]
        assert complaint.updated_at == timeline[-1].at
        assert complaint.created_at > NOW - timedelta(days=365)
        assert complaint.reopen_count == sum(e.kind == EventKind.REOPENED for e in timeline)
        if complaint.status in (Status.RESOLVED, Status.CLOSED) and complaint.merged_into_id is None:
            assert complaint.resolution and complaint.resolved_at and complaint.last_handler_id
        if complaint.status == Status.CLOSED:
            assert complaint.closed_at == max(e.at for e in timeline if e.to_status == Status.CLOSED)
        if complaint.status in (Status.ASSIGNED, Status.IN_PROGRESS, Status.PENDING_CUSTOMER):
            assert complaint.assignee_id is not None


def test_every_status_appears_and_old_complaints_are_closed(demo):
    statuses = Counter(Complaint.objects.values_list("status", flat=True))
    assert set(statuses) == set(Status.values)
    assert demo.statuses == {status: statuses[status] for status in Status.values}

    older = Complaint.objects.filter(created_at__lt=NOW - timedelta(days=60))
    finished = older.filter(status__in=[Status.RESOLVED, Status.CLOSED]).count()
    assert finished / older.count() > 0.95
    # what is still new is recent
    newest = Complaint.objects.filter(status=Status.NEW).order_by("created_at").first()
    assert newest.created_at > NOW - timedelta(days=120)


def test_handling_shows_transfers_reopens_and_merged_duplicates(demo):
    kinds = Counter(ComplaintEvent.objects.values_list("kind", flat=True))
    for kind in (
        EventKind.TRANSFERRED,
        EventKind.REOPENED,
        EventKind.PENDED,
        EventKind.NOTE,
        EventKind.MERGED,
    ):
        assert kinds[kind] > 0, kind
    assert kinds[EventKind.MERGED] == kinds[EventKind.MERGE_RECEIVED] == demo.merged

    second_line = Complaint.objects.filter(group__layer="second_line")
    assert second_line.exists()
    assert second_line.count() < 0.3 * Complaint.objects.count()  # the first line closes most

    for duplicate in Complaint.objects.filter(merged_into__isnull=False).select_related("merged_into"):
        primary = duplicate.merged_into
        assert duplicate.status == Status.CLOSED
        assert duplicate.customer_id == primary.customer_id
        assert primary.created_at <= duplicate.created_at
        assert primary.merged_into_id is None
        assert primary.events.filter(kind=EventKind.MERGE_RECEIVED, data__duplicate__id=duplicate.pk).exists()


def test_customers_look_chinese_and_some_come_back(demo):
    customers = Customer.objects.all()
    assert all(re.fullmatch(r"[\u4e00-\u9fff]{2,4}", c.name) for c in customers)
    assert all(c.region for c in customers)
    phones = CustomerIdentity.objects.filter(kind=IdentityKind.PHONE).values_list("value", flat=True)
    assert phones and all(re.fullmatch(r"1[3-9]\d{9}", p) for p in phones)
    assert CustomerIdentity.objects.filter(kind=IdentityKind.EMAIL).exists()
    assert not customers.filter(identities__isnull=True).exists()  # everyone can be found again
    vip = customers.filter(tier=Tier.VIP).count() / customers.count()
    assert 0.01 < vip < 0.12

    complaints_per_customer = Counter(Complaint.objects.values_list("customer_id", flat=True))
    repeaters = [c for c, n in complaints_per_customer.items() if n > 1]
    assert len(repeaters) >= 20
    assert demo.customers == customers.count() < demo.complaints


def test_contents_vary_and_name_products_orders_and_amounts(demo):
    complaints = Complaint.objects.all()
    contents = list(complaints.values_list("content", flat=True))
    assert len(set(contents)) > 0.95 * len(contents)
    assert len(set(complaints.values_list("subject", flat=True))) > 60
    assert len(set(complaints.values_list("product", flat=True))) > 15
    assert complaints.exclude(order_number="").count() > 0.3 * len(contents)
    compensation = complaints.filter(category__code="solution-compensation")
    assert compensation.filter(amount_claimed__isnull=False).count() > 0.5 * compensation.count()
    assert all(re.search(r"[\u4e00-\u9fff]", content) for content in contents)


def test_numbers_are_unique_and_follow_creation_order_within_a_year(demo):
    rows = list(Complaint.objects.order_by("created_at", "id").values_list("number", "created_at"))
    numbers = [number for number, _ in rows]
    assert len(set(numbers)) == len(numbers) == 600
    assert all(re.fullmatch(r"KS-\d{4}-\d{6}", number) for number in numbers)
    zone = ZoneInfo(settings.TIME_ZONE)
    by_year: dict[str, list[int]] = {}
    for number, created_at in rows:
        _, year, sequence = number.split("-")
        assert int(year) == created_at.astimezone(zone).year
        by_year.setdefault(year, []).append(int(sequence))
    assert set(by_year) == {"2025", "2026"}
    for sequences in by_year.values():
        assert sequences == sorted(sequences)


def test_demo_complaints_can_be_handled_through_the_actions(demo):
    # given a demo complaint waiting in the queue and a closed one
    handler = User.objects.get(username="handler")
    waiting = Complaint.objects.filter(status=Status.NEW, group__code="front-desk").first()
    closed = Complaint.objects.filter(status=Status.CLOSED, merged_into__isnull=True).first()

    # when a handler takes the first and a customer reopens the second
    taken = complaint_assign(complaint=waiting, assignee=handler, by=handler, now=NOW)
    reopened = complaint_reopen(complaint=closed, by=handler, now=NOW, reason="客户来电：问题又出现了")

    # then the actions accept them as they are
    assert taken.status == Status.ASSIGNED
    assert reopened.status == Status.ASSIGNED and reopened.assignee_id == closed.last_handler_id


def _snapshot() -> list[tuple]:
    def strip_ids(value):
        if isinstance(value, dict):
            return {k: strip_ids(v) for k, v in value.items() if k != "id"}
        if isinstance(value, list):
            return [strip_ids(v) for v in value]
        return value

    complaints = Complaint.objects.select_related("customer", "category", "assignee").order_by("number")
    return [
        (
            c.number,
            c.channel,
            c.category.code,
            c.status,
            c.created_at,
            c.subject,
            c.content,
            c.amount_claimed,
            c.customer.name,
            c.assignee.username if c.assignee else None,
            [
                (e.kind, e.at, e.actor.username if e.actor else None, strip_ids(e.data))
                for e in c.events.all()
            ],
        )
        for c in complaints.prefetch_related("events__actor")
    ]


def _generated(seed: int) -> list[tuple]:
    with transaction.atomic():
        demo_generate(complaints=150, seed=seed, now=NOW)
        snapshot = _snapshot()
        transaction.set_rollback(True)
    return snapshot


def test_the_same_seed_gives_the_same_year(db):
    first = _generated(7)
    again = _generated(7)
    other = _generated(8)

    assert len(first) == 150
    assert first == again
    assert first != other


def test_progress_is_reported_per_chunk_and_nothing_is_a_no_op(db):
    seen: list[int] = []
    summary = demo_generate(complaints=120, seed=1, now=NOW, progress=seen.append)
    assert seen == [120]
    assert summary.complaints == Complaint.objects.count() == 120
    assert summary.events == ComplaintEvent.objects.count()
    assert summary.seconds > 0 and summary.per_second > 0
    assert "120 complaints" in str(summary)

    empty = demo_generate(complaints=0, seed=1, now=NOW)
    assert empty.complaints == 0 and Complaint.objects.count() == 120


def test_a_second_run_adds_a_second_year_without_clashing(db):
    demo_generate(complaints=100, seed=3, now=NOW)
    demo_generate(complaints=100, seed=3, now=NOW)  # same seed: same phones, numbers continue

    assert Complaint.objects.count() == 200
    assert Complaint.objects.values("number").distinct().count() == 200
    assert User.objects.filter(username="handler").count() == 1


def test_now_must_be_aware(db):
    with pytest.raises(ValueError):
        demo_generate(complaints=10, now=NOW.replace(tzinfo=None))
