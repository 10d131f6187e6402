"""Intake at scale (issue 16): its cost does not grow with the history, and the configuration it
reads on every complaint comes from per-process caches that a change reaches by its version."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext

from kesu.complaints.models import Complaint, ComplaintEvent, Status
from kesu.core import configcache
from kesu.core.models import ConfigVersion
from kesu.demo.bulk import ids_reserve, rows_insert
from kesu.pipeline.transitions import complaint_pend, complaint_start
from kesu.routing.actions import rule_create
from kesu.routing.assignment import RUNNING, group_candidates
from kesu.routing.models import RoutingRule
from tests.factories import T0
from tests.routing.conftest import customer, intake, staff

LATER = T0 + timedelta(hours=1)


def _history(complaint: Complaint, count: int, *, assignee) -> None:
    """``count`` closed complaints of ``complaint``'s customer, handled by ``assignee``, before the
    repeat window (bulk, as years of a busy centre leave them)."""
    rows = []
    for i in range(count):
        at = T0 - timedelta(days=400 + i % 300)
        rows.append(Complaint(number=f"KS-HIST-{complaint.pk}-{i:06d}", channel="phone", customer=complaint.customer,
                              content="宽带断网", status=Status.CLOSED, group=complaint.group, assignee=assignee,
                              created_at=at, updated_at=at, closed_at=at, sla={}))
    for row, pk in zip(rows, ids_reserve(Complaint, len(rows)), strict=True):
        row.pk = pk
    rows_insert(Complaint, rows)
    rows_insert(ComplaintEvent, [ComplaintEvent(complaint_id=r.pk, kind="created", at=r.created_at, to_status="new",
                                                data={}) for r in rows])


def _queries_of_one_intake(**overrides) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        intake(now=LATER, **overrides)
    return [q["sql"][:90] for q in queries.captured_queries]


def test_intake_reads_the_same_rows_with_a_long_history_as_with_none(desk, manager, monkeypatch):
    # given: a group that assigns by least load, a rule, and a returning customer (each new complaint
    # a repeat of the earlier ones); the cached versions are not read again during the test
    monkeypatch.setattr(configcache, "CHECK_EVERY", 3600.0)
    handler = staff("wang", groups=[desk])
    rule_create(by=manager, now=T0, name="宽带", conditions=[{"field": "channel", "op": "is", "value": "web"}],
                actions={"priority": "P2"})
    returning = customer()
    first = intake(customer=returning, group="desk", content="又断网了，第一次投诉", now=T0)
    intake(group="desk", now=T0)  # caches warm
    before = _queries_of_one_intake(customer=returning, group="desk", content="又断网了，第二次投诉")

    # when: the customer and the handler have 2,000 closed complaints behind them
    _history(first, 2000, assignee=handler)

    # then: the next intake of the same kind runs exactly as many queries
    after = _queries_of_one_intake(customer=returning, group="desk", content="又断网了，第三次投诉")
    assert len(after) == len(before), (before, after)
    assert any("COUNT(" in sql for sql in after)  # routing counted the handler's load
    # 27 before issue 16 (with routing), 22 before routing's and the SLA's writes went together; the
    # triage savepoint only where a failed statement aborts the transaction (not SQLite)
    assert len(before) <= 17 + (0 if connection.vendor == "sqlite" else 2)


def test_least_load_counts_only_running_complaints_and_agrees_with_a_recount(desk):
    # given: a handler who holds five complaints, one of them waiting for the customer, and a long
    # closed history
    handler = staff("li", groups=[desk])
    held = [intake(group="desk", now=T0 + timedelta(minutes=i)) for i in range(5)]
    assert {c.assignee_id for c in Complaint.objects.filter(pk__in=[c.pk for c in held])} == {handler.pk}
    complaint_start(complaint=held[0], by=handler, now=LATER)
    complaint_pend(complaint=held[0], by=handler, now=LATER, reason="等客户提供订单截图")
    _history(held[1], 500, assignee=handler)

    # when: routing counts the load
    (candidate,) = group_candidates(desk, lock=False)

    # then: the load is the recount of the complaints whose clock runs, history aside
    assert candidate.load == Complaint.objects.filter(assignee=handler, status__in=RUNNING).count() == 4


def test_a_rule_changed_by_another_process_reaches_intake_by_its_version(desk, manager, monkeypatch):
    # given: a rule for the web channel, cached by this process
    monkeypatch.setattr(configcache, "CHECK_EVERY", 0.0)
    staff("zhou", groups=[desk])
    rule = rule_create(by=manager, now=T0, name="网页", conditions=[{"field": "channel", "op": "is", "value": "web"}],
                       actions={"priority": "P1"})
    assert intake(channel="web", now=LATER).priority == "P1"
    cached = ConfigVersion.objects.get(name="routing").version

    # when: another process disables the rule (its row changes, this process gets no signal)
    RoutingRule.objects.filter(pk=rule.pk).update(enabled=False)
    assert intake(channel="web", now=LATER).priority == "P1"  # the same version: the cached rules
    ConfigVersion.objects.filter(name="routing").update(version=cached + 1)  # what its config_changed did

    # then: the next intake no longer applies it
    assert intake(channel="web", now=LATER).priority != "P1"


def test_the_cursor_of_round_robin_does_not_invalidate_the_routing_cache(desk):
    staff("sun", groups=[desk])
    intake(now=T0)
    version = ConfigVersion.objects.filter(name="routing").values_list("version", flat=True).first()
    intake(now=LATER)  # moves the group's round-robin cursor
    assert ConfigVersion.objects.filter(name="routing").values_list("version", flat=True).first() == version


def test_the_timeline_intake_answers_with_is_the_one_stored(desk, client):
    # intake writes routing's and the SLA's events together and answers with the timeline it holds
    # instead of reading it back: what it answered is what a later read finds, line for line
    from tests.factories import make_token

    handler = staff("qian", groups=[desk])
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {make_token(handler)}"
    body = {"channel": "web", "content": "宽带又断网了，三天都没人来修", "group": "desk",
            "customer": {"name": "钱女士", "phone": "13912345678"}}
    created = client.post("/api/v1/complaints", body, content_type="application/json")
    assert created.status_code == 201, created.content
    stored = client.get(created["Location"]).json()
    answered = created.json()
    assert [e["kind"] for e in answered["timeline"]] == [
        "created", "triaged", "routed", "assigned", "sla_applied", "sla_met"]  # assigned at once: met
    assert answered["timeline"] == stored["timeline"]
    for field in ("status", "assignee", "group", "priority"):
        assert answered[field] == stored[field], field
    assert [c["state"] for c in answered["sla"]["clocks"]] == [c["state"] for c in stored["sla"]["clocks"]]
    # the same instant (the answer keeps the calendar's zone, as it did before issue 16)
    assert datetime.fromisoformat(answered["next_due_at"]) == datetime.fromisoformat(stored["next_due_at"])
    complaint = Complaint.objects.get(pk=answered["id"])
    assert complaint.assignee_id == handler.pk and complaint.sla["policy"]


def test_a_first_time_customer_is_not_compared_with_earlier_complaints_but_a_returning_one_is(desk):
    # given a customer who complains for the first time
    newcomer = customer()
    intake(group="desk", now=T0)  # caches warm
    with CaptureQueriesContext(connection) as first:
        earlier = intake(customer=newcomer, group="desk", content="宽带断网，报修两次没人上门", now=T0)
    # then intake read no earlier complaints (the customer was created by this intake)
    assert not [q for q in first.captured_queries if "created_at\" >=" in q["sql"]]
    # when the same customer complains again, then the earlier complaint is read and linked
    with CaptureQueriesContext(connection) as again:
        repeat = intake(customer=newcomer, group="desk", content="宽带还是断网，报修两次没人上门", now=LATER)
    assert [q for q in again.captured_queries if "created_at\" >=" in q["sql"]]
    assert list(repeat.repeat_links.values_list("earlier_id", flat=True)) == [earlier.pk]
    assert repeat.repeat_count == 1
