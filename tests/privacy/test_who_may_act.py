"""Defect 3: who may act on a complaint. Once assigned, only the assignee, their group, the group's
lead, the department's manager and the management layer may move it on (KESU_COMPLAINT_ACTORS);
everyone else gets 403 and nothing changes. Analysts and the decision layer may not mark an article
used."""

from __future__ import annotations

import pytest

from kesu.complaints.models import Complaint, Status
from kesu.core.models import Department
from kesu.core.roles import Role
from kesu.knowledge.models import Article
from tests.api.builders import client_for, complaint_in, post_json
from tests.factories import make_user

RESOLVE = {"action": "resolve", "resolution": "已退款", "root_cause": "billing_error"}


@pytest.fixture
def stranger(db, other_group):
    """A handler of another group: may handle complaints, not this one."""
    return make_user(Role.HANDLER, "stranger", groups=[other_group])


def test_a_handler_of_another_group_may_not_resolve_or_close(handler, stranger):
    complaint = complaint_in("in_progress", handler=handler, group="front-desk")

    resolve = post_json(client_for(stranger), f"/api/v1/complaints/{complaint.pk}/transitions", RESOLVE)

    assert resolve.status_code == 403
    assert resolve.json()["code"] == "privacy.not_your_complaint"
    assert Complaint.objects.get(pk=complaint.pk).status == Status.IN_PROGRESS

    resolved = complaint_in("resolved", handler=handler, group="front-desk")
    close = post_json(client_for(stranger), f"/api/v1/complaints/{resolved.pk}/transitions", {"action": "close"})
    assert close.status_code == 403
    assert Complaint.objects.get(pk=resolved.pk).status == Status.RESOLVED


def test_the_bulk_close_refuses_complaints_of_others_row_by_row(handler, stranger):
    mine = complaint_in("resolved", handler=stranger)
    theirs = complaint_in("resolved", handler=handler, group="front-desk")

    response = post_json(client_for(stranger), "/api/v1/queues/bulk",
                         {"action": "close", "ids": [mine.pk, theirs.pk]})

    assert response.status_code == 200, response.content
    assert Complaint.objects.get(pk=mine.pk).status == Status.CLOSED
    assert Complaint.objects.get(pk=theirs.pk).status == Status.RESOLVED


@pytest.mark.parametrize("who", ["assignee", "group_member", "lead", "department_manager", "manager_role"])
def test_the_people_who_hold_the_complaint_may_resolve_it(handler, handler2, group, who):
    complaint = complaint_in("in_progress", handler=handler, group="front-desk")
    lead = make_user(Role.HANDLER, "lead1")
    boss = make_user(Role.SPECIALIST, "boss1")
    group.lead = lead
    group.save()
    Department.objects.filter(pk=group.department_id).update(manager=boss)
    actor = {
        "assignee": handler, "group_member": handler2, "lead": lead, "department_manager": boss,
        "manager_role": make_user(Role.MANAGER, "manager9"),
    }[who]

    response = post_json(client_for(actor), f"/api/v1/complaints/{complaint.pk}/transitions", RESOLVE)

    assert response.status_code == 200, response.content


def test_the_scope_is_configurable(settings, handler, handler2):
    settings.KESU_COMPLAINT_ACTORS = frozenset({"management"})  # group members no longer
    complaint = complaint_in("in_progress", handler=handler, group="front-desk")

    response = post_json(client_for(handler2), f"/api/v1/complaints/{complaint.pk}/transitions", RESOLVE)

    assert response.status_code == 403


def test_an_unassigned_complaint_may_be_picked_up_by_any_handler(stranger, handler):
    complaint = complaint_in("new", handler=handler, group="front-desk")
    response = post_json(client_for(stranger), f"/api/v1/complaints/{complaint.pk}/transitions",
                         {"action": "assign", "assignee": stranger.username})
    assert response.status_code == 200, response.content


@pytest.mark.parametrize("role", [Role.ANALYST, Role.DECISION])
def test_reading_roles_may_not_mark_an_article_used(db, role):
    article = _published_article()
    response = client_for(make_user(role, "reader")).post(f"/api/v1/knowledge/articles/{article.pk}/used")
    assert response.status_code == 403
    assert Article.objects.get(pk=article.pk).use_count == 0


def test_a_handler_marks_an_article_used(handler):
    article = _published_article()
    response = client_for(handler).post(f"/api/v1/knowledge/articles/{article.pk}/used")
    assert response.status_code == 200
    assert Article.objects.get(pk=article.pk).use_count == 1


def _published_article() -> Article:
    from kesu.core.clock import clock_now
    from kesu.knowledge.actions import article_save

    author = make_user(Role.MANAGER, "author1")
    return article_save(article=None, by=author, now=clock_now(), title="退款流程", body="先核实订单",
                        status="published")


