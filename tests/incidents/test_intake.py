"""Recognition at intake: a complaint in an active incident's scope is linked, answered on its
channel with the announcement, and waits on the incident; the exceptions still go to a handler."""

from __future__ import annotations

from decimal import Decimal

import pytest

from kesu.channels.models import OutboundMessage
from kesu.complaints.models import Complaint, EventKind, Status
from kesu.incidents.actions import incident_link
from kesu.incidents.models import IncidentLink
from kesu.pipeline.incidents import incident_unlink
from tests.factories import T0
from tests.incidents.conftest import HOUR, broadband, declare

pytestmark = pytest.mark.django_db


def kinds(complaint):
    return list(complaint.events.values_list("kind", flat=True))


def test_a_matching_complaint_is_linked_answered_and_waits_on_the_incident(manager, routed):
    incident = declare(manager)
    complaint = broadband(now=T0 + HOUR)

    link = IncidentLink.objects.get(complaint=complaint)
    assert link.incident == incident and link.waits and link.how == "intake"
    assert {r["on"] for r in link.reasons} == {"region", "words"}
    reply = complaint.events.get(kind=EventKind.REPLY_SENT)
    assert "南山区光缆被挖断" in reply.data["text"] and "A fibre cut in Nanshan" in reply.data["text"]
    assert "预计恢复时间" in reply.data["text"]
    stored = Complaint.objects.get(pk=complaint.pk)
    assert stored.group is None and stored.assignee is None  # no handler's queue
    assert EventKind.ROUTED not in kinds(stored)
    assert EventKind.INCIDENT_LINKED in kinds(stored)


def test_an_email_complaint_is_answered_by_a_threaded_email(manager):
    declare(manager)
    complaint = broadband(now=T0 + HOUR, channel="email", email="li@example.com")
    outbound = OutboundMessage.objects.get(complaint=complaint)
    assert outbound.to == "li@example.com" and complaint.number in outbound.subject
    assert "南山区光缆被挖断" in outbound.body


def test_region_named_in_the_text_matches_too(manager):
    declare(manager)
    complaint = broadband(now=T0 + HOUR, region="", content="我在南山这边，宽带断网了")
    link = IncidentLink.objects.get(complaint=complaint)
    assert {"on": "region", "value": "广东省深圳市南山区", "from": "text"} in link.reasons


def test_outside_the_scope_or_before_the_start_nothing_is_linked(manager, routed):
    declare(manager)
    elsewhere = broadband(now=T0 + HOUR, region="广东省广州市天河区")
    unrelated = broadband(now=T0 + HOUR, content="快递三天没到，要求退款")
    assert not IncidentLink.objects.filter(complaint__in=[elsewhere, unrelated]).exists()
    assert Complaint.objects.get(pk=elsewhere.pk).group == routed
    early = broadband(now=T0 - 2 * HOUR)  # before the incident's start
    assert not IncidentLink.objects.filter(complaint=early).exists()


@pytest.mark.parametrize(
    ("draft", "reason"),
    [
        ({"tier": "vip"}, "vip"),
        ({"amount": Decimal("2000")}, "compensation"),
    ],
)
def test_the_exceptions_go_to_a_handler_with_the_incident_shown(manager, routed, draft, reason):
    declare(manager)
    complaint = broadband(now=T0 + HOUR, **draft)
    link = IncidentLink.objects.get(complaint=complaint)
    assert not link.waits and link.exception == reason
    assert EventKind.ROUTED in kinds(complaint)
    assert EventKind.REPLY_SENT not in kinds(complaint)


def test_a_repeat_after_the_expected_time_goes_to_a_handler(manager, routed):
    declare(manager, expected=T0 + 2 * HOUR)
    first = broadband(now=T0 + HOUR)
    phone = first.customer.identities.get().value
    from kesu.customers.actions import CustomerHandles
    from tests.factories import make_complaint

    again = make_complaint(now=T0 + 3 * HOUR, channel="web", content="还是断网，宽带上不了网", region="广东省深圳市南山区",
                           customer=CustomerHandles(name="李雷", phone=phone))
    assert again.customer_id == first.customer_id
    link = IncidentLink.objects.get(complaint=again)
    assert not link.waits and link.exception == "repeat_after_expected"
    assert Complaint.objects.get(pk=again.pk).group == routed


def test_link_and_unlink_by_hand_are_events_with_the_reason(manager, handler):
    incident = declare(manager)
    complaint = broadband(now=T0 + HOUR, region="广东省广州市天河区")
    incident_link(incident=incident, complaint=complaint, by=handler, now=T0 + 2 * HOUR, reason="客户说在南山上班")
    linked = complaint.events.get(kind=EventKind.INCIDENT_LINKED)
    assert linked.data["reason"] == "客户说在南山上班" and linked.actor == handler
    incident_unlink(incident=incident, complaint=complaint, by=handler, now=T0 + 3 * HOUR, reason="不是同一问题")
    assert complaint.events.get(kind=EventKind.INCIDENT_UNLINKED).data["reason"] == "不是同一问题"
    assert not IncidentLink.objects.filter(complaint=complaint).exists()


def test_declaring_links_the_open_complaints_already_in_scope(manager):
    before = [broadband(now=T0 - HOUR // 2) for _ in range(3)]
    broadband(now=T0 - HOUR // 2, region="广东省广州市天河区")
    from kesu.incidents.actions import incident_declare
    from tests.incidents.conftest import ANNOUNCEMENT, SCOPE

    declared = incident_declare(by=manager, now=T0, title="t", kind="outage", announcement=ANNOUNCEMENT, scope=SCOPE,
                                starts_at=T0 - HOUR, link_matching=True)
    assert declared.linked == 3
    assert set(IncidentLink.objects.values_list("complaint_id", flat=True)) == {c.pk for c in before}
    assert all(c.events.filter(kind=EventKind.REPLY_SENT).count() == 1 for c in before)
    assert Status.NEW in set(Complaint.objects.values_list("status", flat=True))
