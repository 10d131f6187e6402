"""A complaint that waits on an incident: its own SLA clocks pause (the incident's time applies), it is
in no handler's queue but on the incident's list, and unlinking gives it back its clocks and queues.
Resolving closes every waiting complaint in chunks, each customer answered once even when run again."""

from __future__ import annotations

from datetime import datetime

import pytest
import time_machine
from django.urls import reverse

from kesu.channels.models import OutboundMessage
from kesu.complaints.models import Complaint, EventKind, Status
from kesu.core.errors import Conflict
from kesu.incidents.actions import incident_resolve
from kesu.incidents.models import Incident, IncidentLink
from kesu.pipeline.incidents import (
    incident_close_chunk,
    incident_resolve_run,
    incident_unlink,
    incident_withdraw,
)
from kesu.queues.definitions import Scope
from kesu.queues.selectors import queue_counts, scope_of
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


def test_an_unlinked_complaint_is_routed_into_its_groups_queue_with_its_clocks_running(manager, handler, routed,
                                                                                     client):
    # given: a complaint that waits on the incident — no group, in no handler's queue, its clocks paused
    with time_machine.travel(T0 + HOUR, tick=False):
        incident = declare(manager)
        waiting = broadband(now=T0 + HOUR)
    waiting.refresh_from_db()
    mine = scope_of(handler)
    assert waiting.group_id is None and waiting.sla["paused"]
    assert queue_counts(scope=mine, names=["group", "unassigned"], now=T0 + HOUR) == {"group": 0, "unassigned": 0}

    # when: a handler unlinks it with the one click on the complaint page, an hour later
    client.force_login(handler)
    with time_machine.travel(T0 + 2 * HOUR, tick=False):
        done = client.post(reverse("incidents:unlink", args=[incident.pk, waiting.pk]),
                           {"reason": "不是同一问题", "next": reverse("web:complaint_detail", args=[waiting.pk])})
    assert done.status_code == 302

    # then: the routing rule intake uses put it in the front desk's queue, after the unlink
    waiting.refresh_from_db()
    assert waiting.group == routed and waiting.status == Status.NEW
    kinds = list(waiting.events.order_by("at", "id").values_list("kind", flat=True))
    assert kinds.index(EventKind.INCIDENT_UNLINKED) < kinds.index(EventKind.ROUTED)
    assert queue_counts(scope=mine, names=["group", "unassigned"], now=T0 + 2 * HOUR) == {"group": 1, "unassigned": 1}
    # its own clocks run again from the policy: resumed at the unlink, counting from then on
    assert not waiting.sla["paused"] and clocks(waiting)["resolution"] == "ok"
    assert waiting.events.filter(kind=EventKind.SLA_RESUMED, at=T0 + 2 * HOUR).exists()
    from kesu.sla.actions import clock_report

    def elapsed(at):
        report = clock_report(waiting, now=at)
        return next(c.elapsed_minutes for c in report.clocks if c.clock == "resolution")

    assert elapsed(T0 + 3 * HOUR) == elapsed(T0 + 2 * HOUR) + 60
    assert waiting.sla_deadline_at is not None and waiting.next_due_at is not None


def test_withdrawing_an_incident_sends_its_waiting_complaints_to_the_queues(manager, handler, routed):
    with time_machine.travel(T0 + HOUR, tick=False):
        incident = declare(manager)
        waiting = [broadband(now=T0 + HOUR) for _ in range(3)]
    released = incident_withdraw(incident=incident, by=manager, now=T0 + 2 * HOUR, reason="declared by mistake",
                                 chunk=2)
    assert released == 3 and not Incident.objects.filter(pk=incident.pk).exists()
    for complaint in waiting:
        complaint.refresh_from_db()
        assert complaint.group == routed and not complaint.sla["paused"]
        assert complaint.events.get(kind=EventKind.INCIDENT_UNLINKED).data["reason"] == "declared by mistake"
        # nobody was told anything beyond the announcement
        assert complaint.events.filter(kind=EventKind.REPLY_SENT).count() == 1
    assert queue_counts(scope=scope_of(handler), names=["group"], now=T0 + 2 * HOUR) == {"group": 3}


def test_a_resolved_incident_cannot_be_withdrawn(manager):
    incident = declare(manager)
    incident_resolve(incident=incident, by=manager, now=T0 + HOUR, message=CLOSING, root_cause="third_party")
    with pytest.raises(Conflict):
        incident_withdraw(incident=Incident.objects.get(pk=incident.pk), by=manager, now=T0 + 2 * HOUR)


def test_a_waiting_complaint_is_due_when_its_incident_expects_recovery_and_moves_with_it(manager, handler, routed,
                                                                                       client):
    # given: an incident expected to be over at 17:00 (Shanghai), three complaints waiting on it and a
    # VIP's that a handler has (its own policy's deadline)
    with time_machine.travel(T0 + HOUR, tick=False):
        incident = declare(manager, expected=T0 + 8 * HOUR)
        waiting = [broadband(now=T0 + HOUR) for _ in range(3)]
        vip = broadband(now=T0 + HOUR, tier="vip")
    vip.refresh_from_db()
    vip_deadline = vip.sla_deadline_at
    for complaint in waiting:
        complaint.refresh_from_db()
        assert complaint.sla_deadline_at == T0 + 8 * HOUR
    assert vip_deadline is not None and vip_deadline != T0 + 8 * HOUR

    # when: an update moves the expected recovery to 20:00
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from kesu.incidents.actions import incident_update

    with CaptureQueriesContext(connection) as queries:
        incident_update(incident=incident, by=manager, now=T0 + 3 * HOUR, expected_recovery_at=T0 + 11 * HOUR,
                        announcement={"zh-hans": "抢修延长", "en": "Repairs take longer"})

    # then: every waiting complaint is due at 20:00, moved in bulk (one UPDATE of the complaints for all)
    for complaint in waiting:
        complaint.refresh_from_db()
        assert complaint.sla_deadline_at == T0 + 11 * HOUR
    updates = [q["sql"] for q in queries if q["sql"].startswith("UPDATE") and "sla_deadline_at" in q["sql"]]
    assert len(updates) == 1
    vip.refresh_from_db()
    assert vip.sla_deadline_at == vip_deadline
    # the desk shows it; a later recomputation (the sweep, a note) keeps it — it is read from the timeline
    client.force_login(handler)
    with time_machine.travel(T0 + 4 * HOUR, tick=False):
        page = client.get(reverse("web:complaint_detail", args=[waiting[0].pk])).content.decode()
    assert 'id="sla-incident-due"' in page and "2026-03-02 20:00" in page
    from kesu.sla.actions import sla_refresh

    sla_refresh(Complaint.objects.get(pk=waiting[0].pk), now=T0 + 4 * HOUR)
    assert Complaint.objects.get(pk=waiting[0].pk).sla_deadline_at == T0 + 11 * HOUR

    # when: one is unlinked, its own policy's deadline returns (its clocks run again)
    incident_unlink(incident=incident, complaint=waiting[1], by=handler, now=T0 + 4 * HOUR, reason="不是同一问题")
    released = Complaint.objects.get(pk=waiting[1].pk)
    due = [datetime.fromisoformat(c["due_at"]) for c in released.sla["clocks"]
           if c["state"] in ("ok", "warning") and c["due_at"]]
    assert released.sla_deadline_at == min(due) and released.sla_deadline_at != T0 + 11 * HOUR


def test_kesu_incidents_withdraw_sends_the_waiting_complaints_to_the_queues(manager, routed, capsys):
    from kesu.cli import main

    with time_machine.travel(T0 + HOUR, tick=False):
        incident = declare(manager)
        waiting = broadband(now=T0 + HOUR)
    with time_machine.travel(T0 + 2 * HOUR, tick=False):
        code = main(["incidents", "withdraw", str(incident.pk), "--reason", "declared by mistake"])
    assert (code, capsys.readouterr().out) == (0, "withdrawn: 1 complaints back in normal handling\n")
    waiting.refresh_from_db()
    assert waiting.group == routed and not waiting.sla["paused"]
    assert not Incident.objects.filter(pk=incident.pk).exists()


def test_a_process_that_still_knows_a_withdrawn_incident_routes_the_new_complaint(manager, routed):
    import time

    from kesu.incidents import matching

    incident = declare(manager)
    stale = matching.scopes_active()
    incident_withdraw(incident=incident, by=manager, now=T0 + HOUR)
    matching._cached = (time.monotonic(), stale)  # another process compiled the scopes before the withdrawal
    try:
        complaint = broadband(now=T0 + HOUR)
    finally:
        matching.scopes_reset()
    assert complaint.group == routed and not IncidentLink.objects.filter(complaint=complaint).exists()


def test_a_waiting_complaint_has_its_sla_policy_applied_once(manager):
    with time_machine.travel(T0 + HOUR, tick=False):
        declare(manager)
        waiting = broadband(now=T0 + HOUR)
    assert waiting.events.filter(kind=EventKind.SLA_APPLIED).count() == 1
