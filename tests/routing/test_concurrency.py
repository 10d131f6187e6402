"""Concurrent intake on PostgreSQL: no handler above capacity, no complaint assigned twice.

Intakes already queue on the row of the yearly complaint number, so the races the routing locks
must win are intake against the hand-out of waiting complaints, and the hand-outs of two groups
that share handlers against each other. Without the locks this test fails (each handler ends up
with 10 complaints instead of 5).
"""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

import pytest

from kesu.complaints.models import Complaint, ComplaintEvent, EventKind, Status
from kesu.pipeline.intake import complaint_create
from kesu.routing.actions import complaint_reassign_waiting, group_routing_set
from tests.concurrency import postgresql_only, together
from tests.factories import T0, make_draft, make_group
from tests.routing.conftest import customer, profile_set, staff

THREADS, PER_THREAD, CAPACITY, WAITING = 8, 10, 5, 30


@postgresql_only
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_intake_never_exceeds_capacity_nor_assigns_twice():
    # given two automatically assigning groups that share three handlers of capacity 5
    front, back = make_group("front"), make_group("back")
    group_routing_set(group=front, by=None, now=T0, strategy="least_load")
    group_routing_set(group=back, by=None, now=T0, strategy="round_robin")
    handlers = [staff(f"h{i}", groups=[front, back], capacity=CAPACITY, availability="off_shift") for i in range(3)]
    customers = [[customer() for _ in range(PER_THREAD)] for _ in range(THREADS)]
    # and complaints that came in before the shift began, waiting in both queues
    for i in range(WAITING):
        complaint_create(draft=make_draft(customer=customer(), group="front" if i % 2 else "back"), by=None,
                         now=T0 - timedelta(minutes=30 - i))
    for handler in handlers:
        profile_set(handler, availability="online")

    def intakes(t: int):
        def work() -> None:
            for i in range(PER_THREAD):
                draft = make_draft(customer=customers[t][i], group="front" if t % 2 else "back")
                complaint_create(draft=draft, by=None, now=T0 + timedelta(seconds=t * PER_THREAD + i))
        return work

    def hand_out_waiting(group):
        def work() -> None:
            for i in range(10):
                complaint_reassign_waiting(group=group, now=T0 + timedelta(seconds=i))
        return work

    # when the shift begins: eight threads record ten complaints each while four others hand out the
    # waiting ones (two per group)
    _, raised = together([intakes(t) for t in range(THREADS)]
                       + [hand_out_waiting(group) for group in (front, back, front, back)])

    # then every intake succeeded and routing never failed
    assert raised == []
    total = WAITING + THREADS * PER_THREAD
    assert Complaint.objects.count() == total
    errors = [e.data for e in ComplaintEvent.objects.filter(kind=EventKind.ROUTED) if "error" in e.data]
    assert errors == []
    # nobody holds more than their capacity, and the capacity is used
    loads = Counter(Complaint.objects.filter(assignee__isnull=False).values_list("assignee__username", flat=True))
    assert loads == {h.username: CAPACITY for h in handlers}
    # each complaint was assigned at most once, and the assigned ones are exactly those with an event
    assigned_events = Counter(ComplaintEvent.objects.filter(kind=EventKind.ASSIGNED).values_list("complaint_id",
                                                                                                   flat=True))
    assert max(assigned_events.values()) == 1
    assert set(assigned_events) == set(Complaint.objects.filter(assignee__isnull=False).values_list("id", flat=True))
    # the rest wait, unassigned, in their group
    waiting = Complaint.objects.filter(assignee__isnull=True)
    assert waiting.count() == total - 3 * CAPACITY
    assert set(waiting.values_list("status", flat=True)) == {Status.NEW}
    assert not waiting.filter(group__isnull=True).exists()
