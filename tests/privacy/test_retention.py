"""Retention (issue 15 §5): off by default; an enabled policy anonymises complaints closed longer ago
than its period, in chunks; a dry run changes nothing; statistics stay."""

from __future__ import annotations

from datetime import timedelta

from kesu.complaints.models import Complaint, ComplaintEvent
from kesu.privacy.models import RetentionPolicy
from kesu.privacy.retention import retention_sweep
from tests.api.builders import complaint_in
from tests.factories import T0

LATER = T0 + timedelta(days=400)


def _closed(handler, n: int):
    return [complaint_in("closed", handler=handler, content=f"第{i}位客户：电话13800138{i:03d}") for i in range(n)]


def test_nothing_happens_without_an_enabled_policy(handler):
    _closed(handler, 2)
    RetentionPolicy.objects.create(months=12)  # created, not enabled
    assert retention_sweep(now=LATER).complaints == 0
    assert not Complaint.objects.filter(content="[已删除]").exists()


def test_dry_run_then_chunked_anonymisation_keeps_the_statistics(handler):
    closed = _closed(handler, 3)
    recent = complaint_in("closed", handler=handler, now=LATER - timedelta(days=10), content="最近的投诉")
    RetentionPolicy.objects.create(months=12, enabled=True)
    events = ComplaintEvent.objects.count()

    dry = retention_sweep(now=LATER, dry_run=True)
    assert (dry.complaints, dry.more) == (3, False)
    assert not Complaint.objects.filter(content="[已删除]").exists()

    first = retention_sweep(now=LATER, chunk=2)
    second = retention_sweep(now=LATER, chunk=2)
    assert (first.complaints, first.more, second.complaints) == (2, True, 1)
    assert set(Complaint.objects.filter(content="[已删除]").values_list("pk", flat=True)) == {c.pk for c in closed}
    assert Complaint.objects.get(pk=recent.pk).content == "最近的投诉"
    assert ComplaintEvent.objects.count() == events
    assert retention_sweep(now=LATER).complaints == 0  # done once
