"""A complaint walked through two weeks with the wall clock moved by time-machine: the API and the
minute job read the clock themselves, as in production."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import time_machine

from kesu.complaints.models import Complaint, EventKind
from kesu.core.roles import Role
from kesu.sla import tasks
from tests.factories import make_group, make_token, make_user

SH = ZoneInfo("Asia/Shanghai")


def at(*args) -> time_machine.travel:
    return time_machine.travel(datetime(*args, tzinfo=SH), tick=False)


def clocks(client, pk) -> dict:
    return {c["clock"]: c for c in client.get(f"/api/v1/complaints/{pk}").json()["sla"]["clocks"]}


def transition(client, pk, **body) -> None:
    response = client.post(f"/api/v1/complaints/{pk}/transitions", body, content_type="application/json")
    assert response.status_code == 200, response.json()


def test_two_weeks_of_a_complaint_through_the_api_and_the_minute_job(db, client):
    group = make_group("front")
    handler = make_user(Role.HANDLER, "walker", groups=[group])
    lead = make_user(Role.HANDLER, "walk-lead", groups=[group])
    group.lead = lead
    group.save()
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {make_token(handler)}"

    with at(2026, 9, 25, 19, 0):  # Friday evening; the Mid-Autumn holiday is that day, the weekend follows
        body = {"channel": "phone", "content": "请问我的账单为什么多了一笔费用", "priority": "P3", "severity": "general",
                "group": "front", "customer": {"name": "周敏", "phone": "13700001111"}}
        pk = client.post("/api/v1/complaints", body, content_type="application/json").json()["id"]
    with at(2026, 9, 27, 9, 0):  # Sunday 27 September is an ordinary Sunday: nothing runs
        assert clocks(client, pk)["assignment"]["elapsed_minutes"] == 0
        tasks.sla_sweep_every_minute.call_local()
        assert not Complaint.objects.get(pk=pk).events.filter(kind=EventKind.SLA_WARNED).exists()
    with at(2026, 9, 28, 11, 5):  # Monday: 125 working minutes, assignment (120) breached
        tasks.sla_sweep_every_minute.call_local()
        assignment = clocks(client, pk)["assignment"]
        assert assignment["state"] == "breached" and assignment["overdue"] == "overdue 5 minutes"
        transition(client, pk, action="assign", assignee="walker")
        transition(client, pk, action="start")
        transition(client, pk, action="pend", reason="请提供账单截图")
    with at(2026, 10, 8, 9, 0):  # after the National Day week the customer answers: the clock resumes
        assert clocks(client, pk)["resolution"]["state"] == "paused"
        transition(client, pk, action="resume", note="客户已提供截图")
        resolution = clocks(client, pk)["resolution"]
        assert resolution["state"] == "ok"
        # 125 working minutes before the pause (Monday 09:00–11:05); 2250 − 125 = 2125 left from
        # Thursday 8 October: Thu, Fri, Sat 10 (调休 working day), Mon 12 (4 × 450 = 1800), 325 more
        # on Tuesday 13 October: 09:00–12:00 (180) + 145 from 13:30 → 15:55
        assert datetime.fromisoformat(resolution["due_at"]) == datetime(2026, 10, 13, 15, 55, tzinfo=SH)
    with at(2026, 10, 9, 10, 0):
        transition(client, pk, action="resolve", resolution="多收的费用已退还", root_cause="billing_error")
        transition(client, pk, action="close")
    complaint = Complaint.objects.get(pk=pk)
    met = [c["clock"] for e in complaint.events.filter(kind=EventKind.SLA_MET) for c in e.data["clocks"]]
    assert {"acceptance", "first_response", "first_contact", "resolution", "closure"} <= set(met)
    breached = [c["clock"] for e in complaint.events.filter(kind=EventKind.SLA_BREACHED) for c in e.data["clocks"]]
    assert breached == ["assignment"]
