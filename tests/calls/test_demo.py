"""The demo's calls: phone complaints come with the calls they were taken on."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.db.models import Count

from kesu.calls.demo import calls_demo_seed
from kesu.calls.models import Call, Direction
from kesu.complaints.models import Complaint, EventKind
from kesu.demo.generator import demo_generate

NOW = datetime(2026, 3, 2, 4, 0, tzinfo=UTC)


@pytest.mark.django_db
def test_demo_phone_complaints_get_their_calls_once():
    demo_generate(complaints=400, seed=42, now=NOW)

    added = calls_demo_seed(NOW, count=120)

    assert added == Call.objects.count() == 120
    inbound = Call.objects.filter(direction=Direction.INBOUND, complaint__isnull=False).select_related("complaint")
    assert inbound.exists() and Call.objects.filter(direction=Direction.OUTBOUND).exists()
    for call in inbound:
        complaint = call.complaint
        assert complaint.channel == "phone"
        assert call.customer_id == complaint.customer_id
        assert call.started_at < complaint.created_at
        assert complaint.content in call.transcript
        assert call.handled_by_id == complaint.created_by_id
        assert complaint.customer.identities.filter(kind="phone", value=call.number).exists()
    linked = Call.objects.filter(complaint__isnull=False).count()
    assert Complaint.objects.filter(events__kind=EventKind.CALL).count() <= linked
    assert sum(1 for _ in Complaint.objects.filter(events__kind=EventKind.CALL)) == linked

    assert calls_demo_seed(NOW, count=120) == 0  # again (a second `make demo`): nothing added
    assert Call.objects.count() == 120
    inbound_per_complaint = (
        Call.objects.filter(direction=Direction.INBOUND, complaint__isnull=False)
        .values("complaint").annotate(n=Count("id")).values_list("n", flat=True)
    )
    assert set(inbound_per_complaint) == {1}
