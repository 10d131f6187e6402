"""The demo's SLA history: what the sweep would have recorded, at the time it fell due."""

from __future__ import annotations

from kesu.complaints.models import Complaint, ComplaintEvent, EventKind
from kesu.sla.actions import sla_sweep
from tests.demo.conftest import NOW


def test_every_open_complaint_has_its_deadlines_and_the_sweep_has_nothing_to_catch_up(demo):
    open_complaints = Complaint.objects.exclude(status__in=["resolved", "closed"])
    assert open_complaints.exists()
    # open and not yet through every step of the ladder: something still falls due
    assert open_complaints.filter(next_due_at__gt=NOW).exists()
    assert all(c.sla.get("clocks") for c in open_complaints)
    assert not Complaint.objects.filter(next_due_at__lte=NOW).exists()
    assert sla_sweep(now=NOW).looked_at == 0


def test_the_history_holds_met_and_breached_clocks_and_escalations(demo):
    kinds = set(ComplaintEvent.objects.values_list("kind", flat=True).distinct())
    assert {EventKind.SLA_APPLIED, EventKind.SLA_MET, EventKind.SLA_BREACHED, EventKind.ESCALATED} <= kinds
    applied = ComplaintEvent.objects.filter(kind=EventKind.SLA_APPLIED).count()
    assert applied == Complaint.objects.count()
    # a record is never in the future, and never before its complaint
    for event in ComplaintEvent.objects.filter(kind__startswith="sla_").select_related("complaint")[:2000]:
        assert event.complaint.created_at <= event.at <= NOW
