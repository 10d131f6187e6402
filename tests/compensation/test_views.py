"""The compensation pages: the desk panel, proposing, the approval queue, decisions and the matrix.

The pages are read in English: the Chinese of the new wording reaches the catalogue when it is merged."""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine

from kesu.compensation.actions import proposal_create
from kesu.compensation.models import CompensationRule, Proposal, ProposalStatus
from kesu.complaints.models import Category, ComplaintEvent, EventKind
from kesu.core.roles import Role
from kesu.notifications.models import Notification
from tests.factories import T0, make_complaint, make_user

LATER = T0 + timedelta(hours=2)


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(LATER, tick=False):
        yield


@pytest.fixture
def complaint(db, handler):
    return make_complaint(by=handler, category="logistics-delay", severity="urgent")


@pytest.fixture
def client(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


@pytest.fixture
def handler_client(client, handler):
    client.force_login(handler)
    return client


def _login(client, user):
    client.force_login(user)
    return client


def _text(response) -> str:
    """The page's text as a reader sees it: tags dropped, white space collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


def _propose(client, complaint, **data):
    return client.post(f"/compensation/complaints/{complaint.pk}/propose/", data)


def test_the_desk_panel_shows_the_matrix_suggestion_and_the_users_authority(handler_client, complaint):
    CompensationRule.objects.create(category=Category.objects.get(code="logistics-delay"), severity="urgent",
                                    remedies=["退运费", "补发优惠券"], min_amount=Decimal("20"), max_amount=Decimal("200"))
    page = handler_client.get(f"/complaints/{complaint.pk}/").content.decode()
    assert "Your approval authority: 500 yuan" in page
    assert "20–200 yuan" in page
    assert "退运费" in page and "补发优惠券" in page


def test_within_authority_is_approved_at_once_and_on_the_timeline(handler_client, complaint):
    response = _propose(handler_client, complaint, amount="120.50", remedy="退运费", reason="延误三天")
    assert response.status_code == 302
    page = handler_client.get(response["Location"]).content.decode()
    assert "120.50 yuan" in page
    assert "Approved" in page
    event = ComplaintEvent.objects.get(complaint=complaint, kind=EventKind.COMPENSATION)
    assert event.data["action"] == "proposed" and event.data["amount"] == "120.50"
    assert event.data["status"] == "approved" and event.data["remedy"] == "退运费"


def test_above_authority_shows_pending_for_the_approver_and_notifies(handler_client, handler, complaint, manager):
    response = _propose(handler_client, complaint, amount="800", remedy="全额退款", reason="商品破损")
    assert response.status_code == 302
    page = handler_client.get(response["Location"]).content.decode()
    assert "Awaiting approval — manager" in page
    assert "exceeds your authority" in page
    proposal = Proposal.objects.get()
    assert proposal.status == ProposalStatus.PENDING and proposal.amount == Decimal("800.00")
    assert [n.recipient for n in Notification.objects.filter(kind="compensation_pending")] == [manager]


@pytest.mark.parametrize(
    ("amount", "words"),
    [("-5", "greater than 0"), ("1e9", "must not exceed 1,000,000 yuan"), ("12.345", "at most two decimal places"),
     ("abc", "is not an amount"), ("", "Enter the amount")],
)
def test_a_bad_amount_is_refused_with_a_message_at_the_amount(handler_client, complaint, amount, words):
    response = _propose(handler_client, complaint, amount=amount, remedy="退款")
    assert response.status_code == 422
    page = response.content.decode()
    assert words in page
    assert 'name="amount"' in page and 'aria-invalid="true"' in page
    assert Proposal.objects.count() == 0


def test_htmx_errors_come_back_as_the_panel_alone(handler_client, complaint):
    response = handler_client.post(f"/compensation/complaints/{complaint.pk}/propose/",
                                   {"amount": "100", "remedy": ""}, HTTP_HX_REQUEST="true")
    assert response.status_code == 422
    page = response.content.decode()
    assert page.lstrip().startswith('<section class="card compensation-panel"')
    assert "Say what the customer is offered" in page


def test_a_manager_approves_from_the_queue(client, handler, complaint, manager):
    proposal = proposal_create(complaint=complaint, by=handler, amount="6000", remedy="全额退款", now=T0)
    _login(client, manager)
    queue = client.get("/compensation/approvals/").content.decode()
    assert complaint.number in queue and "6,000 yuan" in queue and "全额退款" in queue
    response = client.post(f"/compensation/proposals/{proposal.pk}/decision/", {"decision": "approve"})
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert (proposal.status, proposal.decided_by) == (ProposalStatus.APPROVED, manager)
    page = _text(client.get(f"/complaints/{complaint.pk}/"))
    assert "6,000 yuan Approved" in page and "manager1 approved" in page
    actions = [e.data["action"] for e in ComplaintEvent.objects.filter(kind=EventKind.COMPENSATION)]
    assert actions == ["proposed", "approved"]


def test_reject_without_a_reason_says_a_reason_is_needed(client, handler, complaint, manager):
    proposal = proposal_create(complaint=complaint, by=handler, amount="900", remedy="退款", now=T0)
    _login(client, manager)
    response = client.post(f"/compensation/proposals/{proposal.pk}/decision/", {"decision": "reject"},
                           HTTP_HX_REQUEST="true")
    assert response.status_code == 422
    assert "A rejection needs a reason" in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.PENDING

    response = client.post(f"/compensation/proposals/{proposal.pk}/decision/",
                           {"decision": "reject", f"p{proposal.pk}-reason": "已线下退款"}, follow=True)
    proposal.refresh_from_db()
    assert (proposal.status, proposal.decision_reason) == (ProposalStatus.REJECTED, "已线下退款")
    assert "rejected" in response.content.decode()


def test_someone_without_the_authority_is_refused_with_the_actions_message(client, handler, complaint):
    senior = make_user(Role.HANDLER, "senior1", is_senior=True)
    proposal = proposal_create(complaint=complaint, by=handler, amount="6000", remedy="退款", now=T0)
    _login(client, senior)
    assert complaint.number not in client.get("/compensation/approvals/").content.decode()
    response = client.post(f"/compensation/proposals/{proposal.pk}/decision/", {"decision": "approve"},
                           HTTP_HX_REQUEST="true")
    assert response.status_code == 403
    assert "Your approval authority is 5,000 yuan" in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.PENDING


def test_the_proposer_withdraws(handler_client, handler, complaint):
    proposal = proposal_create(complaint=complaint, by=handler, amount="900", remedy="退款", now=T0)
    page = handler_client.post(f"/compensation/proposals/{proposal.pk}/withdrawal/", follow=True).content.decode()
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.WITHDRAWN
    assert "Withdrawn" in page


def test_the_approval_queue_costs_the_same_however_long(client, handler, manager, django_assert_num_queries):
    _login(client, manager)
    complaint = make_complaint(by=handler)
    proposal_create(complaint=complaint, by=handler, amount="900", remedy="退款", now=T0)
    client.get("/compensation/approvals/")  # warm the per-process caches
    with django_assert_num_queries(6) as first:
        client.get("/compensation/approvals/")
    for i in range(5):
        proposal_create(complaint=make_complaint(by=handler), by=make_user(Role.HANDLER, f"other{i}"), amount=f"{600 + i}",
                        remedy="退款", now=T0)
    with django_assert_num_queries(len(first.captured_queries)):
        page = client.get("/compensation/approvals/").content.decode()
    assert page.count('class="approval-row') == 6


def test_the_matrix_is_edited_by_managers_only(client, handler, manager):
    _login(client, handler)
    assert client.get("/compensation/matrix/new/").status_code == 403
    _login(client, manager)
    response = client.post("/compensation/matrix/new/", {
        "category": Category.objects.get(code="logistics-delay").pk, "severity": "major",
        "min_amount": "300", "max_amount": "100", "remedies_text": "全额退款"})
    assert response.status_code == 422
    assert "must not be below the minimum amount" in response.content.decode()
    response = client.post("/compensation/matrix/new/", {
        "category": "", "severity": "fatal", "min_amount": "-1", "max_amount": "1.005", "remedies_text": ""})
    assert response.status_code == 422
    assert CompensationRule.objects.count() == 0
    response = client.post("/compensation/matrix/new/", {
        "category": Category.objects.get(code="logistics-delay").pk, "severity": "major",
        "min_amount": "100", "max_amount": "1000", "remedies_text": "全额退款\n补发商品\n"})
    assert response.status_code == 302
    rule = CompensationRule.objects.get()
    assert rule.remedies == ["全额退款", "补发商品"] and rule.max_amount == Decimal("1000")
    assert "全额退款" in client.get("/compensation/matrix/").content.decode()


def test_the_demo_matrix_suggests_for_every_default_category_and_severity(db):
    from kesu.compensation.demo import compensation_demo_seed
    from kesu.compensation.selectors import complaint_suggestions

    assert compensation_demo_seed(T0) > 20
    assert compensation_demo_seed(T0) == 0  # once
    complaint = make_complaint(category="logistics-delay", severity="major")
    assert complaint_suggestions(complaint)[0].remedies == ("退还运费", "按订单金额 10% 补偿")


def test_the_demo_proposes_through_the_action_some_waiting_for_a_manager(db, handler, manager):
    from kesu.compensation.demo import compensation_demo_proposals
    from kesu.pipeline.transitions import complaint_transition

    for code in ("logistics-delay", "logistics-damage", "product-quality"):
        complaint = make_complaint(category=code)
        complaint_transition(complaint=complaint, action="assign", assignee=handler.username, by=manager, now=T0)

    assert compensation_demo_proposals(LATER) == 3
    assert compensation_demo_proposals(LATER) == 0  # once
    # one per open complaint, of the proposal's category where there is one (the first-line handler's
    # authority is 500 yuan)
    statuses = dict(Proposal.objects.values_list("amount", "status"))
    assert statuses == {Decimal("20"): ProposalStatus.APPROVED, Decimal("68"): ProposalStatus.APPROVED,
                        Decimal("800"): ProposalStatus.PENDING}
    assert Proposal.objects.get(amount=20).complaint.category.code == "logistics-delay"
    assert ComplaintEvent.objects.filter(kind=EventKind.COMPENSATION).count() == 3


def test_the_timeline_snippet_says_what_happened(db, handler, manager, complaint):
    from django.template.loader import render_to_string
    from django.utils import translation

    proposal = proposal_create(complaint=complaint, by=handler, amount="800", remedy="退运费", reason="延误", now=T0)
    from kesu.compensation.actions import proposal_decide

    proposal_decide(proposal=proposal, by=manager, approve=False, reason="已补发", now=LATER)
    events = ComplaintEvent.objects.filter(complaint=complaint, kind=EventKind.COMPENSATION).order_by("id")
    with translation.override("en"):
        lines = [" ".join(render_to_string("compensation/_timeline_event.html", {"d": e.data}).split())
                 for e in events]
    assert lines[0].startswith("Proposed compensation of 800 yuan: 退运费.")
    assert "Awaiting approval — manager" in lines[0]
    assert lines[1].startswith("Rejected compensation of 800 yuan: 退运费.") and "已补发" in lines[1]


def test_a_manager_decides_on_the_desk_panel_and_returns_to_the_complaint(client, handler, manager, complaint):
    proposal = proposal_create(complaint=complaint, by=handler, amount="900", remedy="退款", now=T0)
    _login(client, manager)
    page = client.get(f"/complaints/{complaint.pk}/").content.decode()
    assert f'action="/compensation/proposals/{proposal.pk}/decision/"' in page  # the panel offers the decision
    response = client.post(f"/compensation/proposals/{proposal.pk}/decision/",
                           {"decision": "reject", "next": f"/complaints/{complaint.pk}/"}, follow=True)
    assert response.redirect_chain[-1][0] == f"/complaints/{complaint.pk}/"
    assert "A rejection needs a reason" in _text(response)
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.PENDING
