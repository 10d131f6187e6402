"""The SLA clocks as a pure function of a complaint's events (no database)."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from kesu.sla.calendar import WorkCalendar, calendar_always
from kesu.sla.clocks import Calendars, ClockTarget, EscalationLevel, Fact, PolicySpec, clocks_compute

SH = ZoneInfo("Asia/Shanghai")
DAY = ((540, 720), (810, 1080))  # 09:00–12:00, 13:30–18:00
WORK = WorkCalendar(name="test", tz=SH, week=(DAY,) * 5 + ((), ()), years=frozenset({2026}))
CALENDARS = Calendars(working=WORK, always=calendar_always(SH))
MON = datetime(2026, 3, 2, 9, 0, tzinfo=SH)  # Monday

POLICY = PolicySpec(
    name="standard",
    targets={
        "assignment": ClockTarget(120),
        "acceptance": ClockTarget(60),
        "first_response": ClockTarget(1440),
        "first_contact": ClockTarget(1440),
        "transfer_acceptance": ClockTarget(240),
        "resolution": ClockTarget(2250),
        "closure": ClockTarget(1350),
        "follow_up": ClockTarget(2250),
    },
    warn_percent=75,
    levels=(EscalationLevel(1, 0, "handler"), EscalationLevel(2, 240, "team_lead"), EscalationLevel(3, 480, "manager")),
    specialist_after_minutes=48 * 60,
)
RED = PolicySpec(
    name="red",
    targets={"first_response": ClockTarget(30, around_the_clock=True), "resolution": ClockTarget(1440, True)},
    remind_every_minutes=60,
)


def at(hours: float = 0, *, days: int = 0, start: datetime = MON) -> datetime:
    return start + timedelta(days=days, hours=hours)


def fact(kind: str, when: datetime, to_status: str = "", **data) -> Fact:
    return Fact(kind=kind, at=when, to_status=to_status, data=data)


def clock(report, name):
    return next(c for c in report.clocks if c.clock == name)


def test_a_new_complaint_runs_assignment_first_response_and_resolution_on_working_time():
    # given a complaint created on Monday 09:00
    facts = [fact("created", MON, "new")]
    # when we look at 10:00
    report = clocks_compute(facts, POLICY, CALENDARS, at(1))
    # then assignment is due at 11:00 (120 working minutes), resolution after 5 working days
    assert clock(report, "assignment").due_at == at(2)
    assert clock(report, "assignment").elapsed_minutes == 60
    assert clock(report, "assignment").state == "ok"
    assert clock(report, "resolution").due_at == datetime(2026, 3, 6, 18, 0, tzinfo=SH)
    # the next thing due is the assignment warning at 75 % (90 working minutes → 10:30)
    assert report.next_due_at == at(1.5)
    assert {c.clock for c in report.clocks} == {"assignment", "first_response", "first_contact", "resolution"}


def test_warning_then_breach_are_due_once_each_and_not_again_once_recorded():
    facts = [fact("created", MON, "new")]
    report = clocks_compute(facts, POLICY, CALENDARS, at(1.6))
    assert [(d.kind, d.clock) for d in report.due] == [("warned", "assignment")]
    assert clock(report, "assignment").state == "warning"
    facts.append(fact("sla_warned", at(1.6), "new", clocks=[{"clock": "assignment", "run": 1}]))
    report = clocks_compute(facts, POLICY, CALENDARS, at(1.7))
    assert report.due == ()
    assert report.next_due_at == at(2)  # the breach
    report = clocks_compute(facts, POLICY, CALENDARS, at(2.5))
    assert [(d.kind, d.clock) for d in report.due] == [("breached", "assignment"), ("escalated", "assignment")]
    assert clock(report, "assignment").state == "breached"
    assert clock(report, "assignment").overdue_minutes == 30


def test_escalation_levels_follow_the_overdue_working_time():
    facts = [
        fact("created", MON, "new"),
        fact("sla_warned", at(1.5), "new", clocks=[{"clock": "assignment", "run": 1}]),
        fact("sla_breached", at(2), "new", clocks=[{"clock": "assignment", "run": 1}]),
        fact("escalated", at(2), "new", level=1, clock="assignment", run=1),
    ]
    # due at 11:00; level 2 after 240 working minutes overdue: 11:00 + 4 h over lunch → 16:30
    report = clocks_compute(facts, POLICY, CALENDARS, at(3))
    assert report.escalation_level == 1
    assert report.next_due_at == at(7.5)
    report = clocks_compute(facts, POLICY, CALENDARS, at(7.5))
    assert [(d.kind, d.level) for d in report.due] == [("escalated", 2)]


def test_pending_customer_pauses_resolution_and_the_reply_resumes_it():
    facts = [
        fact("created", MON, "new"),
        fact("assigned", at(0.5), "assigned"),
        fact("started", at(1), "in_progress"),
        fact("pended", at(2), "pending_customer"),  # 11:00, one working hour elapsed... two
    ]
    paused = clocks_compute(facts, POLICY, CALENDARS, at(2, days=3))
    resolution = clock(paused, "resolution")
    assert resolution.state == "paused" and resolution.due_at is None
    assert resolution.elapsed_minutes == 120
    assert paused.paused
    facts.append(fact("resumed", at(0, days=3), "in_progress"))  # Thursday 09:00
    resumed = clock(clocks_compute(facts, POLICY, CALENDARS, at(1, days=3)), "resolution")
    assert resumed.state == "ok"
    # 2250 − 120 = 2130 working minutes from Thursday 5 March 09:00: Thu, Fri, Mon, Tue (4 × 450 =
    # 1800) leave 330 for Wednesday 11 March: 09:00–12:00 (180) + 150 from 13:30 → 16:00
    assert resumed.due_at == datetime(2026, 3, 11, 16, 0, tzinfo=SH)


def test_stopped_clocks_are_met_or_breached_and_the_result_is_due_for_recording():
    facts = [
        fact("created", MON, "new"),
        fact("assigned", at(3), "assigned"),  # assignment took 3 h (target 2 h): breached
        fact("started", at(3.25), "in_progress"),  # acceptance 15 min (target 1 h): met
    ]
    report = clocks_compute(facts, POLICY, CALENDARS, at(3.5))
    assert clock(report, "assignment").state == "breached"
    assert clock(report, "acceptance").state == "met"
    assert clock(report, "first_response").state == "met"
    kinds = {(d.kind, d.clock) for d in report.due}
    assert ("breached", "assignment") in kinds and ("met", "acceptance") in kinds
    assert ("met", "first_response") in kinds


def test_reopen_starts_a_second_resolution_run_and_closing_asks_for_a_follow_up():
    facts = [
        fact("created", MON, "new"),
        fact("assigned", at(0.1), "assigned"),
        fact("started", at(0.2), "in_progress"),
        fact("resolved", at(1), "resolved"),
        fact("closed", at(2), "closed"),
    ]
    closed = clocks_compute(facts, POLICY, CALENDARS, at(3))
    assert clock(closed, "follow_up").state == "ok"
    assert clock(closed, "closure").state == "met"
    facts.append(fact("reopened", at(4), "assigned"))
    reopened = clocks_compute(facts, POLICY, CALENDARS, at(5))
    assert clock(reopened, "resolution").run == 2
    assert clock(reopened, "resolution").state == "ok"
    assert clock(reopened, "acceptance").run == 2
    assert clock(reopened, "follow_up").stopped_at == at(4)


def test_transfer_gets_its_own_acceptance_limit_from_the_form():
    facts = [
        fact("created", MON, "new"),
        fact("transferred", at(1), "new", accept_minutes=30),
    ]
    report = clocks_compute(facts, POLICY, CALENDARS, at(1.1))
    transfer = clock(report, "transfer_acceptance")
    assert transfer.target_minutes == 30
    assert transfer.due_at == at(1.5)
    facts.append(fact("started", at(1.4), "in_progress"))
    assert clock(clocks_compute(facts, POLICY, CALENDARS, at(2)), "transfer_acceptance").state == "met"


def test_red_channel_counts_around_the_clock_and_reminds_every_hour():
    saturday_night = datetime(2026, 3, 7, 23, 0, tzinfo=SH)
    facts = [fact("created", saturday_night, "new")]
    report = clocks_compute(facts, RED, CALENDARS, saturday_night + timedelta(minutes=10))
    assert clock(report, "first_response").due_at == saturday_night + timedelta(minutes=30)
    # three hours later, unanswered: one reminder (the third), not a burst of three
    report = clocks_compute(facts, RED, CALENDARS, saturday_night + timedelta(hours=3, minutes=5))
    reminders = [d for d in report.due if d.kind == "reminded"]
    assert [d.level for d in reminders] == [3]
    first_response = [{"clock": "first_response", "run": 1}]
    facts += [
        fact("sla_warned", saturday_night + timedelta(minutes=23), "new", clocks=first_response),
        fact("sla_breached", saturday_night + timedelta(minutes=30), "new", clocks=first_response),
        fact("reminded", saturday_night + timedelta(hours=3, minutes=5), "new", reminder=3),
    ]
    report = clocks_compute(facts, RED, CALENDARS, saturday_night + timedelta(hours=3, minutes=6))
    assert not [d for d in report.due if d.kind == "reminded"]
    assert report.next_due_at == saturday_night + timedelta(hours=4)


def test_unresolved_after_48_hours_escalates_to_a_specialist_once():
    facts = [fact("created", MON, "new"), fact("assigned", at(0.1), "assigned"), fact("started", at(0.2), "in_progress")]
    report = clocks_compute(facts, POLICY, CALENDARS, at(48))
    assert [d.kind for d in report.due if d.kind == "specialist"] == ["specialist"]
    facts.append(fact("escalated", at(48), "in_progress", specialist=True))
    assert not [d for d in clocks_compute(facts, POLICY, CALENDARS, at(49)).due if d.kind == "specialist"]


def test_a_resolved_complaint_has_nothing_due_but_closure():
    facts = [
        fact("created", MON, "new"), fact("assigned", at(0.1), "assigned"), fact("started", at(0.2), "in_progress"),
        fact("resolved", at(1), "resolved"),
    ]
    report = clocks_compute(facts, POLICY, CALENDARS, at(1.1))
    running = [c.clock for c in report.clocks if c.stopped_at is None]
    assert running == ["closure"]


@pytest.mark.parametrize("status_kind", ["closed", "merged"])
def test_closing_or_merging_stops_every_running_clock(status_kind):
    facts = [fact("created", MON, "new"), fact(status_kind, at(1), "closed")]
    report = clocks_compute(facts, POLICY, CALENDARS, at(2))
    running = {c.clock for c in report.clocks if c.stopped_at is None}
    assert running <= {"follow_up"}
    assert ("follow_up" in running) == (status_kind == "closed")


def test_a_node_that_no_longer_applies_is_cancelled_and_recorded_neither_met_nor_breached():
    facts = [
        fact("created", MON, "new"),
        fact("merged", at(30), "closed"),  # merged as a duplicate, long after every limit, unanswered
    ]
    report = clocks_compute(facts, POLICY, CALENDARS, at(31))
    assert {c.clock: c.state for c in report.clocks} == {
        "assignment": "cancelled", "first_response": "cancelled", "first_contact": "cancelled",
        "resolution": "cancelled",
    }
    assert report.due == ()


def test_reopening_cancels_the_pending_follow_up_and_reassigning_cancels_acceptance():
    facts = [
        fact("created", MON, "new"),
        fact("assigned", at(0.1), "assigned"),
        fact("assigned", at(0.2), "assigned"),  # reassigned before the first handler accepted
        fact("started", at(0.3), "in_progress"),
        fact("resolved", at(1), "resolved"),
        fact("closed", at(2), "closed"),
        fact("reopened", at(3), "assigned"),
    ]
    report = clocks_compute(facts, POLICY, CALENDARS, at(3.1))
    met = {(d.clock, d.run) for d in report.due if d.kind == "met"}
    assert ("acceptance", 1) not in met and ("acceptance", 2) in met
    assert ("follow_up", 1) not in met and ("closure", 1) in met
    assert clock(report, "follow_up").state == "cancelled"


def test_each_breach_climbs_its_own_ladder():
    facts = [
        fact("created", MON, "new"),
        fact("assigned", at(3), "assigned"),  # assignment breached at 11:00 (recorded, escalated)
        fact("sla_breached", at(3), "assigned", clocks=[{"clock": "assignment", "run": 1}]),
        fact("escalated", at(3), "assigned", level=1, clock="assignment", run=1),
    ]
    # acceptance (60 working minutes from 12:00 → 14:30) is breached later: its own level 1 is due
    report = clocks_compute(facts, POLICY, CALENDARS, at(5.6))
    assert ("escalated", "acceptance", 1) in [(d.kind, d.clock, d.level) for d in report.due]
    # and once the acceptance is met, the complaint leaves the ladder
    facts.append(fact("started", at(6), "in_progress"))
    assert clocks_compute(facts, POLICY, CALENDARS, at(6.1)).escalation_level == 0


def test_a_result_recorded_under_one_policy_is_not_judged_again_under_another():
    facts = [
        fact("created", MON, "new"),
        fact("assigned", at(1.5), "assigned"),  # 90 minutes: met under the standard 120
        fact("sla_met", at(1.5), "assigned", clocks=[{"clock": "assignment", "run": 1}]),
    ]
    stricter = PolicySpec(name="p1", targets={"assignment": ClockTarget(60)})
    report = clocks_compute(facts, stricter, CALENDARS, at(2))
    assert not [d for d in report.due if d.clock == "assignment"]


def test_red_channel_reminders_wait_while_the_customer_is_waited_for():
    saturday_night = datetime(2026, 3, 7, 23, 0, tzinfo=SH)
    facts = [
        fact("created", saturday_night, "new"),
        fact("assigned", saturday_night + timedelta(minutes=5), "assigned"),
        fact("started", saturday_night + timedelta(minutes=6), "in_progress"),
        fact("pended", saturday_night + timedelta(minutes=10), "pending_customer"),
    ]
    report = clocks_compute(facts, RED, CALENDARS, saturday_night + timedelta(hours=5))
    assert not [d for d in report.due if d.kind == "reminded"]
