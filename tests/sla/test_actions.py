"""SLA clocks on real complaints: stored deadlines, the sweep, escalation and notifications, walked
through weeks with a controlled clock (``now`` is passed to every action)."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection

from kesu.complaints.models import Complaint, EventKind
from kesu.core.errors import FieldError
from kesu.core.roles import Role
from kesu.notifications.models import Notification
from kesu.pipeline import transitions as actions
from kesu.sla.actions import sla_sweep
from kesu.sla.models import SlaPolicy
from kesu.sla.policies import policy_parse
from kesu.sla.selectors import complaint_clocks
from tests.factories import make_complaint, make_group, make_user

SH = ZoneInfo("Asia/Shanghai")
CALM = "请问我的订单什么时候发货，麻烦查一下。"


def local(*args) -> datetime:
    return datetime(*args, tzinfo=SH)


def clocks(complaint, now):
    complaint.refresh_from_db()
    return {c["clock"]: c for c in complaint_clocks(complaint, now=now)["clocks"]}


def kinds(complaint, *wanted):
    return [e.kind for e in complaint.events.order_by("at", "id") if not wanted or e.kind in wanted]


@pytest.fixture
def team(db):
    """A group with a handler, its team lead and the department's manager."""
    group = make_group("front")
    handler = make_user(Role.HANDLER, "handler", groups=[group], email="handler@example.com")
    lead = make_user(Role.HANDLER, "lead", groups=[group])
    manager = make_user(Role.MANAGER, "manager")
    group.lead = lead
    group.save()
    group.department.manager = manager
    group.department.save()
    return group, handler, lead, manager


def new(group, now, **fields):
    fields = {"content": CALM, "priority": "P3", "severity": "general", "group": group.code, **fields}
    return make_complaint(now=now, **fields)


def test_friday_evening_before_a_holiday_gets_deadlines_after_the_holiday(team):
    group, *_ = team
    # Friday 3 April 2026, 19:00; 4–6 April is the Qingming holiday (Monday 6 April off)
    complaint = new(group, local(2026, 4, 3, 19, 0))
    complaint.refresh_from_db()
    assert complaint.sla["policy"] == "standard"
    by_clock = clocks(complaint, local(2026, 4, 3, 19, 5))
    assert by_clock["assignment"]["due_at"] == local(2026, 4, 7, 11, 0)  # Tuesday, 120 working minutes
    # 24 working hours: Tue, Wed, Thu (3 × 450) + 90 minutes on Friday 10 April
    assert by_clock["first_response"]["due_at"] == local(2026, 4, 10, 10, 30)
    # 5 working days: Tue 7 … Mon 13 April 18:00
    assert by_clock["resolution"]["due_at"] == local(2026, 4, 13, 18, 0)
    # the next thing due: 48 natural hours unresolved (Sunday 19:00) → senior specialist; then the
    # assignment warning (75 % of 120 working minutes) on Tuesday 10:30
    assert complaint.next_due_at == local(2026, 4, 5, 19, 0)
    sla_sweep(now=local(2026, 4, 5, 19, 0))
    complaint.refresh_from_db()
    assert complaint.next_due_at == local(2026, 4, 7, 10, 30)
    assert kinds(complaint, EventKind.SLA_APPLIED) == [EventKind.SLA_APPLIED]


def test_the_api_shows_every_clock_with_state_and_overdue_hours(team, client):
    group, handler, *_ = team
    complaint = new(group, local(2026, 3, 2, 9, 0))
    from tests.factories import make_token

    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {make_token(handler)}"
    with _frozen(local(2026, 3, 2, 14, 30)):  # 4 working hours later: assignment (2 h) 2 h overdue
        body = client.get(f"/api/v1/complaints/{complaint.pk}").json()
    sla = body["sla"]
    assert sla["policy"] == "standard"
    assignment = next(c for c in sla["clocks"] if c["clock"] == "assignment")
    assert assignment["state"] == "breached"
    assert assignment["overdue"] == "overdue 2 hours"
    assert assignment["elapsed_minutes"] == 240
    assert {c["clock"] for c in sla["clocks"]} >= {"assignment", "first_response", "first_contact", "resolution"}


def _frozen(at: datetime):
    import time_machine

    return time_machine.travel(at, tick=False)


def test_the_sweep_warns_then_breaches_once_and_climbs_the_ladder(team):
    group, handler, lead, manager = team
    start = local(2026, 3, 2, 9, 0)
    complaint = new(group, start)
    actions.complaint_assign(complaint=complaint, assignee=handler, by=None, now=start + timedelta(minutes=10))
    # acceptance: 60 working minutes from 09:10 → warned at 09:55, breached at 10:10
    result = sla_sweep(now=local(2026, 3, 2, 9, 56))
    assert result.looked_at == 1
    complaint.refresh_from_db()
    assert kinds(complaint, EventKind.SLA_WARNED) == [EventKind.SLA_WARNED]
    assert Notification.objects.filter(recipient=handler, kind="sla_warned").count() == 1
    # sweeping again at the same moment records nothing new
    assert sla_sweep(now=local(2026, 3, 2, 9, 57)).recorded == 0
    sla_sweep(now=local(2026, 3, 2, 10, 15))
    assert kinds(complaint, EventKind.SLA_BREACHED, EventKind.ESCALATED) == [EventKind.SLA_BREACHED, EventKind.ESCALATED]
    complaint.refresh_from_db()
    assert complaint.escalation_level == 1
    # level 2 (team lead) 240 working minutes after the breach: 10:10 + 4 h over lunch → 15:40
    sla_sweep(now=local(2026, 3, 2, 15, 39))
    assert not Notification.objects.filter(recipient=lead, kind="sla_escalated").exists()
    sla_sweep(now=local(2026, 3, 2, 15, 41))
    assert Notification.objects.filter(recipient=lead, kind="sla_escalated").count() == 1
    # level 3 (manager) 480 working minutes after the breach: the next morning 10:40
    sla_sweep(now=local(2026, 3, 3, 10, 41))
    complaint.refresh_from_db()
    assert complaint.escalation_level == 3
    assert Notification.objects.filter(recipient=manager, kind="sla_escalated").count() == 1
    levels = [e.data["level"] for e in complaint.events.filter(kind=EventKind.ESCALATED)]
    assert levels == [1, 2, 3]


def test_starting_in_time_meets_the_clock_and_nothing_is_due_for_it(team):
    group, handler, *_ = team
    start = local(2026, 3, 2, 9, 0)
    complaint = new(group, start)
    actions.complaint_assign(complaint=complaint, assignee=handler, by=None, now=start + timedelta(minutes=10))
    actions.complaint_start(complaint=complaint, by=handler, now=start + timedelta(minutes=30))
    met = complaint.events.filter(kind=EventKind.SLA_MET).order_by("id")
    assert [c["clock"] for e in met for c in e.data["clocks"]] == ["assignment", "acceptance", "first_response"]
    by_clock = clocks(complaint, start + timedelta(hours=1))
    assert by_clock["acceptance"]["state"] == "met"
    assert sla_sweep(now=start + timedelta(hours=2)).recorded == 0


def test_waiting_for_the_customer_pauses_resolution_and_the_reply_resumes_it(team):
    group, handler, *_ = team
    start = local(2026, 3, 2, 9, 0)
    complaint = new(group, start)
    actions.complaint_assign(complaint=complaint, assignee=handler, by=None, now=start)
    actions.complaint_start(complaint=complaint, by=handler, now=start)
    actions.complaint_pend(complaint=complaint, by=handler, now=local(2026, 3, 2, 11, 0), reason="等待客户提供单号")
    paused = clocks(complaint, local(2026, 3, 9, 9, 0))
    assert paused["resolution"]["state"] == "paused"
    assert paused["resolution"]["elapsed_minutes"] == 120
    complaint.refresh_from_db()
    assert complaint.next_due_at is None or complaint.next_due_at > local(2026, 3, 9, 9, 0)
    # a week later the customer answers: the clock goes on from 120 of 2250 minutes
    actions.complaint_resume(complaint=complaint, by=handler, now=local(2026, 3, 9, 9, 0))
    resumed = clocks(complaint, local(2026, 3, 9, 9, 0))
    assert resumed["resolution"]["state"] == "ok"
    assert resumed["resolution"]["due_at"] == local(2026, 3, 13, 16, 0)  # 2130 minutes from Monday 09:00
    assert kinds(complaint, EventKind.SLA_PAUSED, EventKind.SLA_RESUMED) == [EventKind.SLA_PAUSED, EventKind.SLA_RESUMED]


def test_a_transfer_gives_the_receiving_group_its_time_limit_and_copies_the_coordinator(team):
    group, handler, lead, manager = team
    second = make_group("tech", layer="second_line")
    coordinator = make_user(Role.HANDLER, "coordinator")
    start = local(2026, 3, 2, 9, 0)
    complaint = new(group, start)
    actions.complaint_transfer(
        complaint=complaint, to_group=second, by=handler, now=start + timedelta(hours=1),
        reason="需要技术部门排查", done="已安抚客户", needed="排查断网原因", coordinator=coordinator, accept_minutes=30,
    )
    by_clock = clocks(complaint, start + timedelta(hours=1, minutes=5))
    assert by_clock["transfer_acceptance"]["target_minutes"] == 30
    assert by_clock["transfer_acceptance"]["due_at"] == start + timedelta(hours=1, minutes=30)
    event = complaint.events.get(kind=EventKind.TRANSFERRED)
    assert (event.data["done"], event.data["needed"], event.data["coordinator"]["username"]) == (
        "已安抚客户", "排查断网原因", "coordinator")
    assert Notification.objects.filter(recipient=coordinator, kind="transfer").count() == 1


def test_a_transfer_form_with_an_impossible_time_limit_is_refused_and_nothing_changes(team):
    group, handler, *_ = team
    complaint = new(group, local(2026, 3, 2, 9, 0))
    with pytest.raises(FieldError) as error:
        actions.complaint_transfer(
            complaint=complaint, to_group=make_group("other"), by=handler, now=local(2026, 3, 2, 10, 0),
            reason="x", accept_minutes=0,
        )
    assert error.value.field == "accept_minutes"
    complaint.refresh_from_db()
    assert complaint.group == group


def test_reopen_starts_resolution_again_and_returns_to_the_handler(team):
    group, handler, *_ = team
    start = local(2026, 3, 2, 9, 0)
    complaint = new(group, start)
    for step in ("assign", "start", "resolve", "close", "reopen"):
        at = start + timedelta(hours=1 + len(kinds(complaint)) / 10)
        match step:
            case "assign":
                actions.complaint_assign(complaint=complaint, assignee=handler, by=None, now=at)
            case "start":
                actions.complaint_start(complaint=complaint, by=handler, now=at)
            case "resolve":
                actions.complaint_resolve(complaint=complaint, by=handler, now=at, resolution="已退款")
            case "close":
                actions.complaint_close(complaint=complaint, by=handler, now=at)
            case "reopen":
                actions.complaint_reopen(complaint=complaint, by=None, now=local(2026, 3, 3, 9, 0), reason="客户不满意")
    complaint.refresh_from_db()
    assert complaint.assignee == handler
    by_clock = clocks(complaint, local(2026, 3, 3, 9, 30))
    assert by_clock["resolution"]["run"] == 2
    assert by_clock["resolution"]["due_at"] == local(2026, 3, 9, 18, 0)
    assert by_clock["acceptance"]["run"] == 2
    assert by_clock["follow_up"]["stopped_at"] is not None


def test_red_channel_answers_in_30_minutes_around_the_clock_and_reminds_every_hour(team):
    group, handler, lead, manager = team
    saturday_night = local(2026, 3, 7, 23, 0)
    complaint = new(group, saturday_night, content="店里起火了，有人受伤，我要报警！", priority="P1", severity="major")
    complaint.refresh_from_db()
    assert complaint.red_channel
    assert complaint.sla["policy"] == "red-channel"
    by_clock = clocks(complaint, saturday_night)
    assert by_clock["first_response"]["due_at"] == saturday_night + timedelta(minutes=30)
    assert by_clock["first_response"]["around_the_clock"]
    sla_sweep(now=saturday_night + timedelta(minutes=31))
    # unassigned, so the team lead hears at once (urgent: not held for working time), in one notice
    notice = Notification.objects.get(recipient=lead, urgent=True)
    assert notice.kind == "sla_escalated"  # the breach reached level 1 at once
    assert "派单时限已过" in notice.body  # in the centre's language (zh-hans by default)
    sla_sweep(now=saturday_night + timedelta(hours=1, minutes=1))
    sla_sweep(now=saturday_night + timedelta(hours=2, minutes=1))
    reminders = [e.data["reminder"] for e in complaint.events.filter(kind=EventKind.REMINDED)]
    assert reminders == [1, 2]
    # each reminder reaches the team lead (alone, or in one notice with an escalation due at the same time)
    assert Notification.objects.filter(recipient=lead, body__contains="请报告进度").count() == 2


def test_unresolved_after_48_hours_goes_to_a_senior_specialist_with_compensation_prereview(team):
    group, handler, *_ = team
    specialist = make_user(Role.SPECIALIST, "senior-specialist")
    start = local(2026, 3, 2, 9, 0)
    complaint = new(group, start)
    actions.complaint_assign(complaint=complaint, assignee=handler, by=None, now=start)
    actions.complaint_start(complaint=complaint, by=handler, now=start)
    sla_sweep(now=start + timedelta(hours=47))
    assert not complaint.events.filter(kind=EventKind.ESCALATED, data__specialist=True).exists()
    sla_sweep(now=start + timedelta(hours=48, minutes=1))
    event = complaint.events.get(kind=EventKind.ESCALATED, data__specialist=True)
    assert event.data["compensation_prereview"] is True
    assert "senior-specialist" in event.data["notified"]
    assert Notification.objects.filter(recipient=specialist, kind="sla_specialist").count() == 1


def test_a_calendar_without_the_year_keeps_the_complaint_and_says_why(team):
    group, *_ = team
    complaint = new(group, local(2031, 3, 3, 9, 0))
    complaint.refresh_from_db()
    assert complaint.sla["error"]["code"] == "calendar.not_covered_import"
    assert complaint.sla["error"]["params"]["year"] == 2031
    assert complaint.next_due_at == local(2031, 3, 3, 10, 0)  # looked at again in an hour
    assert Complaint.objects.filter(pk=complaint.pk).exists()


def test_policies_are_chosen_by_conditions_in_order(team):
    group, *_ = team
    urgent = new(group, local(2026, 3, 2, 9, 0), priority="P1")
    urgent.refresh_from_db()
    assert urgent.sla["policy"] == "priority"
    policy = SlaPolicy.objects.get(name="priority")
    policy.enabled = False
    policy.save()  # the policy cache of this process drops at once
    later = new(group, local(2026, 3, 2, 9, 0), priority="P1")
    later.refresh_from_db()
    assert later.sla["policy"] == "standard"


def test_an_invalid_policy_is_refused_naming_each_bad_part():
    with pytest.raises(FieldError) as error:
        policy_parse(
            id=None, name="bad", conditions={"colour": ["red"], "priority": ["P9"]},
            targets={"resolution": {"minutes": -5}, "lunch": 30},
            levels=[{"level": 4, "after_minutes": 0, "notify": "ceo"}], warn_percent=120,
        )
    fields = {field for field, _message in error.value.errors}
    assert fields == {
        "conditions.colour", "conditions.priority", "targets.resolution.minutes", "targets.lunch",
        "levels[0].level", "levels[0].notify", "warn_percent",
    }


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="row locks with SKIP LOCKED need PostgreSQL")
def test_two_sweepers_at_once_record_each_breach_once(team):
    import threading

    group, handler, *_ = team
    start = local(2026, 3, 2, 9, 0)
    complaints = [new(group, start) for _ in range(30)]
    assert all(Complaint.objects.get(pk=c.pk).next_due_at for c in complaints)
    barrier = threading.Barrier(2, timeout=60)
    errors: list[BaseException] = []

    def sweep():
        try:
            barrier.wait()
            sla_sweep(now=local(2026, 3, 2, 11, 30), chunk=7)
        except BaseException as error:  # a failing thread must fail the test, not vanish
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=sweep) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    for complaint in complaints:
        assert kinds(complaint, EventKind.SLA_BREACHED) == [EventKind.SLA_BREACHED]
        assert kinds(complaint, EventKind.SLA_WARNED) == [EventKind.SLA_WARNED]
    assert connection.vendor == "postgresql"


def test_the_sweep_is_a_periodic_job():
    from huey.contrib.djhuey import HUEY

    from kesu.sla import tasks

    periodic = HUEY._registry._periodic_tasks
    assert tasks.sla_sweep_every_minute.task_class in periodic
    assert tasks.sla_sweep_every_minute.task_class().validate_datetime(local(2026, 3, 2, 9, 17))  # every minute


def test_the_admin_refuses_an_invalid_policy_naming_the_bad_condition(db, client):
    manager = make_user(Role.MANAGER, "policy-editor")
    client.force_login(manager)
    response = client.post("/admin/sla/slapolicy/add/", {
        "name": "broken", "title": "", "position": 5, "enabled": "on",
        "conditions": '{"colour": ["red"]}', "targets": '{"resolution": {"minutes": 600}}',
        "warn_percent": 75, "levels": "[]", "specialist_after_minutes": "", "remind_every_minutes": "",
        "calendar": "",
    })
    assert response.status_code == 200  # the form again, with the error
    assert "conditions.colour: 未知的键 colour" in response.content.decode()
    assert not SlaPolicy.objects.filter(name="broken").exists()


def test_one_complaint_that_fails_does_not_stop_the_sweep_for_the_others(team, monkeypatch):
    from kesu.sla import actions as sla_actions

    group, *_ = team
    start = local(2026, 3, 2, 9, 0)
    broken, healthy = new(group, start), new(group, start)
    real_refresh = sla_actions.sla_refresh

    def refresh(complaint, **kwargs):  # fault injection: this one complaint's refresh raises
        if complaint.pk == broken.pk:
            raise RuntimeError("boom")
        return real_refresh(complaint, **kwargs)

    monkeypatch.setattr(sla_actions, "sla_refresh", refresh)
    now = local(2026, 3, 2, 11, 30)
    result = sla_sweep(now=now)
    assert result.looked_at == 1
    assert kinds(healthy, EventKind.SLA_BREACHED) == [EventKind.SLA_BREACHED]
    broken.refresh_from_db()
    assert broken.next_due_at == now + timedelta(hours=1)  # looked at again in an hour


def _sweep_queries(now) -> int:
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        sla_sweep(now=now)
    return len(queries)


def test_a_chunk_of_due_complaints_is_written_in_bulk_whatever_their_number(team):
    # the sweep's queries do not grow with the complaints due: their notices, deliveries, events and
    # deadlines are written together, one statement per table (a mass incident makes thousands due)
    group, handler, lead, _manager = team
    start = local(2026, 3, 2, 9, 0)
    few = [new(group, start) for _ in range(3)]  # the assignment clock warns at 10:30 (90 of 120 minutes)
    many = [new(group, start + timedelta(minutes=5)) for _ in range(12)]  # at 10:35
    queries_few = _sweep_queries(local(2026, 3, 2, 10, 32))
    queries_many = _sweep_queries(local(2026, 3, 2, 10, 37))
    assert queries_many <= queries_few  # (the first sweep may also fill a per-process cache)
    for complaint in [*few, *many]:
        assert kinds(complaint, EventKind.SLA_WARNED) == [EventKind.SLA_WARNED]
        warned = complaint.events.get(kind=EventKind.SLA_WARNED)
        assert warned.data["clocks"][0]["notified"] == ["lead"]  # no handler yet: the team lead
        complaint.refresh_from_db()
        assert complaint.next_due_at > local(2026, 3, 2, 10, 37)
    assert Notification.objects.filter(recipient=lead, kind="sla_warned").count() == 15


def test_a_chunk_whose_bulk_write_fails_is_swept_again_one_by_one(team, monkeypatch):
    from kesu.sla import actions as sla_actions

    group, *_ = team
    start = local(2026, 3, 2, 9, 0)
    complaints = [new(group, start) for _ in range(4)]

    def write(_batch):  # fault injection: the chunk's bulk write fails
        raise RuntimeError("bulk write failed")

    monkeypatch.setattr(sla_actions.SlaBatch, "write", write)
    result = sla_sweep(now=local(2026, 3, 2, 11, 30))
    assert result.looked_at == 4
    for complaint in complaints:  # each recorded once, by the one-by-one path
        assert kinds(complaint, EventKind.SLA_BREACHED) == [EventKind.SLA_BREACHED]
        assert kinds(complaint, EventKind.SLA_WARNED) == [EventKind.SLA_WARNED]
