"""Re-triaging existing complaints after a configuration change (`kesu triage backfill`): in chunks,
through the same action, an event only where the outcome changed, never undoing a person's decision;
and the stored severity / priority agree with the triage panel unless an event says why."""

from __future__ import annotations

from datetime import timedelta

import pytest

from kesu.cli import main
from kesu.complaints.models import Complaint, EventKind
from kesu.customers.actions import CustomerHandles
from kesu.triage.actions import complaint_correct, triage_backfill
from kesu.triage.models import Keyword
from kesu.triage.selectors import triage_latest
from tests.factories import T0, make_complaint

pytestmark = pytest.mark.django_db


def _triaged(complaint) -> int:
    return complaint.events.filter(kind=EventKind.TRIAGED).count()


def _complaints():
    return [
        make_complaint(content="充电宝鼓包了，充电时很烫", now=T0, customer=CustomerHandles(phone="13800000001")),
        make_complaint(content="请问营业时间是几点", now=T0 + timedelta(minutes=1),
                       customer=CustomerHandles(phone="13800000002")),
        make_complaint(content="快递三天没到，请尽快处理", now=T0 + timedelta(days=3),
                       customer=CustomerHandles(phone="13800000003")),
    ]


def test_backfill_writes_an_event_only_where_the_outcome_changed():
    swollen, calm, parcel = _complaints()
    # nothing changed since intake: nothing is written
    report = triage_backfill(now=T0 + timedelta(days=4))
    assert (report.examined, report.changed, report.failed) == (3, 0, 0)
    assert [_triaged(c) for c in (swollen, calm, parcel)] == [1, 1, 1]

    # a manager adds a keyword: only the complaint that holds it changes
    Keyword.objects.create(tag="鼓包", words=["鼓包"])
    progress = []
    report = triage_backfill(now=T0 + timedelta(days=5), chunk=2, progress=lambda done, total: progress.append(
        (done, total)))
    assert (report.examined, report.changed) == (3, 1)
    assert progress == [(2, 3), (3, 3)]  # one call per chunk
    assert [_triaged(c) for c in (swollen, calm, parcel)] == [2, 1, 1]
    assert Complaint.objects.get(pk=swollen.pk).tags == ["鼓包"]


def test_backfill_sets_again_only_what_triage_owns():
    swollen, _calm, _parcel = _complaints()
    # a handler corrected the severity: it is theirs now
    from tests.factories import make_user

    handler = make_user("handler", "backfiller")
    complaint_correct(complaint=swollen, by=handler, now=T0 + timedelta(hours=1), severity="urgent", reason="VIP")
    Keyword.objects.create(tag="鼓包", words=["鼓包"])

    triage_backfill(now=T0 + timedelta(days=5))

    stored = Complaint.objects.get(pk=swollen.pk)
    assert stored.severity == "urgent"  # not put back to triage's "general"
    latest = stored.events.filter(kind=EventKind.TRIAGED).order_by("-id").first()
    assert "severity" not in latest.data["applied"] and "priority" in latest.data["applied"]
    assert latest.data["result"]["severity"] == {
        "value": "urgent", "found": "general", "source": "given",
        "reasons": [{"code": "triage.severity.kept", "params": {
            "severity": {"code": "triage.level.urgent", "params": {}},
            "found": {"code": "triage.level.general", "params": {}}}},
            {"code": "triage.severity.none", "params": {}}],
    }


def test_backfill_from_a_date_and_only_open_complaints(capsys):
    swollen, calm, parcel = _complaints()
    Keyword.objects.create(tag="营业", words=["营业时间", "三天没到"])
    from kesu.pipeline.transitions import complaint_transition
    from tests.factories import make_user

    handler = make_user("handler", "closer")
    for step, params in (("assign", {"assignee": handler}), ("start", {}),
                         ("resolve", {"resolution": "已答复", "root_cause": "other"}), ("close", {})):
        complaint_transition(complaint=Complaint.objects.get(pk=calm.pk), action=step, by=handler,
                             now=T0 + timedelta(hours=2), **params)

    # only open complaints created from day 2: the parcel
    assert main(["triage", "backfill", "--from", "2026-03-04", "--only-open"]) == 0
    captured = capsys.readouterr()
    assert "1 complaints triaged again: 1 changed" in captured.out
    assert "[" in captured.err and "1/1" in captured.err  # the progress bar
    assert [_triaged(c) for c in (swollen, calm, parcel)] == [1, 1, 2]


def test_the_stored_severity_and_the_triage_result_agree_after_intake():
    # a person sets the severity at intake; triage finds otherwise and says so, without contradicting it
    complaint = make_complaint(content="孩子用你们的热水壶烫伤了手，我要投诉到12315", severity="urgent", now=T0)
    result = triage_latest(complaint)
    assert (complaint.severity, result["severity"]["value"], result["severity"]["found"]) == (
        "urgent", "urgent", "major")
    assert result["severity"]["reasons"][0]["code"] == "triage.severity.kept"
    # and the priority triage decided follows the severity the complaint holds
    assert result["priority"]["value"] == complaint.priority


def test_every_demo_complaint_agrees_with_its_triage_result():
    from datetime import UTC, datetime

    from kesu.demo.generator import demo_generate

    demo_generate(complaints=300, seed=7, now=datetime(2026, 3, 2, 4, 0, tzinfo=UTC))
    disagree = []
    for complaint in Complaint.objects.prefetch_related("events"):
        result = triage_latest(complaint)
        if result and "error" not in result and (result["severity"]["value"], result["priority"]["value"]) != (
                complaint.severity, complaint.priority):
            disagree.append(complaint.number)
    assert disagree == []
