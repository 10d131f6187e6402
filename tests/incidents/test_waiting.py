"""A complaint that waits on an incident: its own SLA clocks pause (the incident's time applies), it is
in no handler's queue but on the incident's list, and unlinking gives it back its clocks and queues.
Resolving closes every waiting complaint in chunks, each customer answered once even when run again."""

from __future__ import annotations

import pytest
import time_machine

from kesu.channels.models import OutboundMessage
from kesu.complaints.models import Complaint, EventKind, Status
from kesu.incidents.actions import incident_resolve, incident_unlink
from kesu.incidents.models import Incident, IncidentLink
from kesu.pipeline.incidents import incident_close_chunk, incident_resolve_run
from kesu.queues.definitions import Scope
from kesu.queues.selectors import queue_counts
from kesu.surveys.models import Survey
from tests.factories import T0
from tests.incidents.conftest import HOUR, broadband, declare

pytestmark = pytest.mark.django_db

CLOSING = {"zh-hans": "光缆已修复，宽带恢复", "en": "The fibre is repaired"}


def clocks(complaint) -> dict[str, str]:
    complaint.refresh_from_db()
    return {c["clock"]: c["state"] for c in complaint.sla["clocks"]}


def test_a_waiting_complaint_pauses_its_clocks_and_is_in_no_queue(manager, handler, routed):
    with time_machine.travel(T0 + HOUR, tick=False):
        incident = declare(manager)
        waiting = broadband(now=T0 + HOUR)
        other = broadband(now=T0 + HOUR, region="广东省深圳市福田区")  # outside the scope: routed
    # the announcement was its first response; every other clock is paused
    assert waiting.sla["paused"] and clocks(waiting)["resolution"] == "paused"
    assert set(clocks(waiting).values()) == {"paused", "met"}
    assert not other.sla["paused"]
    everyone = Scope(user_id=manager.pk)  # a manager sees the shared queues of the whole centre
    assert queue_counts(scope=everyone, names=["unassigned"], now=T0 + HOUR) == {"unassigned": 1}
    # a day later its own clocks have not run out: nothing is overdue or escalated
    from kesu.sla.actions import sla_sweep

    sla_sweep(now=T0 + 30 * HOUR)
    waiting.refresh_from_db()
    assert not waiting.sla_breached and waiting.escalation_level == 0
    assert queue_counts(scope=everyone, names=["overdue"], now=T0 + 30 * HOUR)["overdue"] <= 1

    incident_unlink(incident=incident, complaint=waiting, by=manager, now=T0 + 2 * HOUR, reason="not broadband")
    assert not Complaint.objects.get(pk=waiting.pk).sla["paused"]
    assert "running" in clocks(waiting).values() or "ok" in clocks(waiting).values()
    assert queue_counts(scope=everyone, names=["unassigned"], now=T0 + 2 * HOUR) == {"unassigned": 2}


def test_resolving_closes_every_waiting_complaint_with_one_reply_each_even_when_run_twice(manager):
    with time_machine.travel(T0 + HOUR, tick=False):
        incident = declare(manager)
        web = [broadband(now=T0 + HOUR) for _ in range(5)]
        mail = broadband(now=T0 + HOUR, channel="email", email="li@example.com")
        sms = broadband(now=T0 + HOUR, channel="sms")
        vip = broadband(now=T0 + HOUR, tier="vip")  # with a handler: not closed by the incident
    incident_resolve(incident=incident, by=manager, now=T0 + 3 * HOUR, message=CLOSING, root_cause="third_party")
    first = incident_resolve_run(incident_id=incident.pk, now=T0 + 3 * HOUR, chunk=3)
    again = incident_resolve_run(incident_id=incident.pk, now=T0 + 4 * HOUR, chunk=3)
    assert (first, again) == (7, 0)
    # one chunk claimed again (a job that ran twice at once) marks nothing and answers nobody
    ids = list(IncidentLink.objects.filter(incident=incident).values_list("pk", flat=True))
    assert incident_close_chunk(incident_id=incident.pk, link_ids=ids, now=T0 + 4 * HOUR) == 0

    for complaint in [*web, mail, sms]:
        complaint.refresh_from_db()
        assert complaint.status == Status.CLOSED and complaint.root_cause == "third_party"
        closing = [e for e in complaint.events.filter(kind=EventKind.REPLY_SENT) if "光缆已修复" in e.data["text"]]
        assert len(closing) == 1
        kinds = list(complaint.events.values_list("kind", flat=True))
        assert kinds.index(EventKind.RESOLVED) < kinds.index(EventKind.CLOSED)
        assert Survey.objects.filter(complaint=complaint).count() == 1
        assert clocks(complaint)["resolution"] == "met"  # paused while it waited: the incident's time applied
    vip.refresh_from_db()
    assert vip.status != Status.CLOSED
    # the e-mail customer: the closing message threaded on their complaint, then the survey's invitation
    sent = list(OutboundMessage.objects.filter(complaint=mail).order_by("id"))
    assert ["光缆已修复" in m.body for m in sent] == [False, True, False]
    assert sent[1].in_reply_to == sent[0].in_reply_to and mail.number in sent[1].subject
    assert sent[2].survey_id == Survey.objects.get(complaint=mail).pk
    stored = Incident.objects.get(pk=incident.pk)
    assert (stored.resolve_done, stored.resolve_total) == (7, 7) and stored.resolved_at == T0 + 3 * HOUR
