"""Which complaint is in which queue, for whom."""

from __future__ import annotations

from datetime import timedelta

import pytest

from kesu.complaints.models import Complaint
from kesu.core.roles import Role
from kesu.pipeline.transitions import complaint_transition
from kesu.queues.definitions import QUEUES, Scope, queue_condition, queues_available
from kesu.queues.selectors import queue_counts, scope_of
from tests.factories import T0, make_complaint, make_group, make_user

NOW = T0 + timedelta(hours=1)


def _members(name: str, user) -> set[str]:
    condition = queue_condition(name, scope=scope_of(user), now=NOW)
    if condition is None:
        return set()
    return set(Complaint.objects.filter(condition).values_list("number", flat=True))


def _sla(complaint, **stored) -> None:
    """What the SLA stores on a complaint for the queues (next deadline, breach)."""
    Complaint.objects.filter(pk=complaint.pk).update(**stored)


@pytest.fixture
def centre(db, handler, group):
    """handler1 works in front-desk; back-office is another group of the same department; the
    warehouse is in another department."""
    back_office = make_group("back-office")
    warehouse = make_group("warehouse", department="logistics")
    colleague = make_user(Role.HANDLER, "colleague", groups=[warehouse])
    by = handler

    def new(**fields):
        return make_complaint(by=by, group=fields.pop("group", group.code), **fields)

    c = {}
    c["mine"] = new(subject="分给我的")
    complaint_transition(complaint=c["mine"], action="assign", assignee="handler1", by=by, now=T0)
    c["unassigned"] = new(subject="组里没人接")
    c["elsewhere"] = new(subject="别的部门", group=warehouse.code)
    complaint_transition(complaint=c["elsewhere"], action="assign", assignee="colleague", by=by, now=T0)
    c["due_soon"] = new(subject="快到期")
    c["overdue"] = new(subject="已超时")
    c["red"] = new(subject="红色通道")
    c["repeat"] = new(subject="重复投诉")
    c["waiting"] = new(subject="等客户")
    for action in ("assign", "start", "pend"):
        complaint_transition(complaint=c["waiting"], action=action, assignee="handler1", by=by, now=T0, reason="等照片")
    c["transferred"] = new(subject="转来的", group=warehouse.code)
    complaint_transition(
        complaint=c["transferred"], action="transfer", group=back_office.code, reason="需要后台处理", by=colleague, now=T0
    )
    c["moved_inside"] = new(subject="部门内转组")  # front-desk → back-office: not "transferred in"
    complaint_transition(
        complaint=c["moved_inside"], action="transfer", group=back_office.code, reason="转后台", by=by, now=T0
    )
    c["closed"] = new(subject="已结案")
    for action in ("assign", "start"):
        complaint_transition(complaint=c["closed"], action=action, assignee="handler1", by=by, now=T0)
    complaint_transition(
        complaint=c["closed"], action="resolve", resolution="已退款", root_cause="logistics", by=by, now=T0
    )
    complaint_transition(complaint=c["closed"], action="close", by=by, now=T0)
    # given the SLA's stored results: nothing due for days, except …
    Complaint.objects.update(sla_deadline_at=NOW + timedelta(days=3), sla_breached=False, red_channel=False,
                             repeat_count=0)
    _sla(c["due_soon"], sla_deadline_at=NOW + timedelta(hours=3))
    _sla(c["overdue"], sla_breached=True, sla_deadline_at=NOW + timedelta(hours=1))
    _sla(c["closed"], sla_deadline_at=NOW + timedelta(hours=1), sla_breached=True, red_channel=True)
    Complaint.objects.filter(pk=c["red"].pk).update(red_channel=True)
    Complaint.objects.filter(pk=c["repeat"].pk).update(repeat_count=2)
    return {key: complaint.number for key, complaint in c.items()}


@pytest.mark.django_db
def test_each_complaint_is_in_its_queues_and_no_others(centre, handler):
    mine_or_my_groups = {"mine", "unassigned", "due_soon", "overdue", "red", "repeat", "waiting"}
    expected = {
        "mine": {"mine", "waiting"},
        "group": mine_or_my_groups,
        "unassigned": {"unassigned", "due_soon", "overdue", "red", "repeat"},
        "due_soon": {"due_soon"},
        "overdue": {"overdue"},
        "red": {"red"},
        "repeats": {"repeat"},
        "waiting": {"waiting"},
        # in back-office (handler1's department), transferred in from the warehouse; not the complaint
        # moved from front-desk to back-office inside the department
        "transferred": {"transferred"},
    }
    for name in QUEUES:
        assert _members(name, handler) == {centre[key] for key in expected[name]}, name
    # the closed complaint, red and escalated as it is, is in none; the other department's neither
    assert not any(centre["closed"] in _members(name, handler) for name in QUEUES)
    assert not any(centre["elsewhere"] in _members(name, handler) for name in QUEUES)


@pytest.mark.django_db
def test_someone_in_no_group_sees_the_shared_queues_of_the_whole_centre(centre):
    manager = make_user(Role.MANAGER, "boss")

    assert "group" not in queues_available(scope_of(manager))
    assert _members("unassigned", manager) == {
        centre[key] for key in ("unassigned", "due_soon", "overdue", "red", "repeat", "transferred", "moved_inside")
    }
    assert _members("overdue", manager) == {centre["overdue"]}
    assert _members("mine", manager) == set()


@pytest.mark.django_db
def test_a_department_manager_sees_what_was_transferred_to_the_department(centre):
    from kesu.core.models import Department

    manager = make_user(Role.MANAGER, "dept-boss")
    Department.objects.filter(code="service-centre").update(manager=manager)

    assert _members("transferred", manager) == {centre["transferred"]}


@pytest.mark.django_db
def test_counts_match_the_queues_and_stop_at_the_cap(centre, handler, django_assert_num_queries):
    scope = scope_of(handler)
    names = queues_available(scope)

    with django_assert_num_queries(1):
        counts = queue_counts(scope=scope, names=names, now=NOW)

    assert counts == {name: len(_members(name, handler)) for name in names}
    assert counts["group"] == 7
    # a count stops one past the cap: "2+" costs reading three rows, not all of them
    assert queue_counts(scope=scope, names=["group", "red"], now=NOW, cap=2) == {"group": 3, "red": 1}


def test_the_scope_decides_which_queues_are_offered():
    nobody = Scope(user_id=1)
    assert queues_available(nobody) == ["mine", "unassigned", "due_soon", "overdue", "red", "repeats", "waiting"]
    assert queue_condition("group", scope=nobody, now=NOW) is None
    with pytest.raises(KeyError):
        queue_condition("everything", scope=nobody, now=NOW)


@pytest.mark.django_db
@pytest.mark.parametrize("name", list(QUEUES))
def test_no_queue_walks_the_whole_history(handler, name):
    """The queues' condition is written as the partial indexes' (complaints/models.py): SQLite can
    then use them (it cannot for ``status IN (…)`` with bound values), so no queue page scans every
    complaint ever recorded: each reads the complaints through an index lookup or walks an index of
    the open complaints only."""
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL's planner chooses by statistics; the SQLite plan is the fragile one")
    scope = scope_of(handler)
    query = Complaint.objects.filter(queue_condition(name, scope=scope, now=NOW)).order_by("-created_at", "-id")
    sql, params = query.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        steps = [str(row[-1]) for row in cursor.fetchall()]
    scans = [step for step in steps if step.startswith("SCAN complaints_complaint")]
    assert all("USING INDEX complaint_open_" in step for step in scans), steps
    if name == "mine":
        assert any("complaint_open_assignee" in step for step in steps), steps


@pytest.mark.django_db
def test_due_soon_and_overdue_follow_the_clocks_not_the_escalation_ladder(handler, group):
    from kesu.sla.actions import sla_sweep
    from kesu.sla.context import sla_context_reset
    from kesu.sla.models import SlaPolicy

    # given a policy whose first escalation comes an hour after a breach (managers may set it so)
    SlaPolicy.objects.filter(name="standard").update(levels=[{"level": 1, "after_minutes": 60, "notify": "handler"}])
    sla_context_reset()
    # a complaint at Monday 09:00: assignment due 11:00 (120 working minutes)
    complaint = make_complaint(by=handler, group=group.code)

    def queues_at(moment):
        return {name for name in ("due_soon", "overdue") if complaint.number in _numbers(handler, name, moment)}

    # then at 10:00 the assignment deadline is an hour away
    assert queues_at(T0 + timedelta(hours=1)) == {"due_soon"}
    # at 11:10 the sweep records the breach: overdue, although the ladder has not started
    sla_sweep(now=T0 + timedelta(hours=2, minutes=10))
    stored = Complaint.objects.get(pk=complaint.pk)
    assert stored.escalation_level == 0 and stored.sla_breached
    assert queues_at(T0 + timedelta(hours=2, minutes=10)) == {"overdue"}
    # once assigned the breached clock stops: no longer overdue, and acceptance is due within the hour
    complaint_transition(complaint=stored, action="assign", assignee="handler1", by=handler,
                         now=T0 + timedelta(hours=2, minutes=15))
    assert queues_at(T0 + timedelta(hours=2, minutes=20)) == {"due_soon"}
    # accepted (handling started): the next deadline is the first response, days away
    complaint_transition(complaint=Complaint.objects.get(pk=complaint.pk), action="start", by=handler,
                         now=T0 + timedelta(hours=2, minutes=30))
    assert queues_at(T0 + timedelta(hours=2, minutes=40)) == set()


def _numbers(user, name, now) -> set[str]:
    condition = queue_condition(name, scope=scope_of(user), now=now)
    return set(Complaint.objects.filter(condition).values_list("number", flat=True))


def test_the_queues_read_deadlines_not_reminders_from_the_snapshot():
    from datetime import UTC, datetime

    from kesu.sla.clocks import snapshot_marks

    at = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    snapshot = {"clocks": [
        {"clock": "assignment", "state": "met", "due_at": at.isoformat(), "stopped_at": at.isoformat()},
        {"clock": "first_response", "state": "warning", "due_at": (at + timedelta(hours=5)).isoformat(),
         "stopped_at": None},
        {"clock": "resolution", "state": "ok", "due_at": (at + timedelta(days=2)).isoformat(), "stopped_at": None},
        {"clock": "first_contact", "state": "paused", "due_at": None, "stopped_at": None},
    ]}
    assert snapshot_marks(snapshot) == (at + timedelta(hours=5), False)
    snapshot["clocks"][2]["state"] = "breached"
    assert snapshot_marks(snapshot) == (at + timedelta(hours=5), True)
    assert snapshot_marks({}) == (None, False)
