"""Erasure from the admin pages as a request approved by a second administrator (issue 15 §4): filed by an
administrator or the data-protection officer, never approved by whoever filed it, and once approved the
person's name, phone and e-mail are gone from the complaint's pages and API."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import translation

from kesu.complaints.models import Complaint
from kesu.core.roles import Role
from kesu.customers.actions import CustomerHandles
from kesu.privacy.models import AccessLog, ErasureRequest
from tests.api.builders import client_for, complaint_in
from tests.factories import make_user

NAME, PHONE, EMAIL = "欧阳修远", "13712345678", "ouyang@example.com"
SECRETS = (NAME, PHONE, EMAIL)


def _complaint(handler):
    return complaint_in(
        "in_progress",
        handler=handler,
        content=f"我是{NAME}，电话{PHONE}，邮箱{EMAIL}",
        customer=CustomerHandles(name=NAME, phone=PHONE, email=EMAIL),
    )


def _web(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _file(client: Client, *, kind="phone", value=PHONE, reason="客户来电要求删除个人信息"):
    return client.post("/privacy/erasure/", {"kind": kind, "value": value, "reason": reason})


@pytest.fixture
def admins(db):
    return make_user(Role.ADMIN, "admin_a"), make_user(Role.ADMIN, "admin_b")


def test_an_admin_files_a_request_by_phone_and_it_is_listed_without_the_number(handler, admins):
    complaint = _complaint(handler)
    first, _second = admins
    client = _web(first)

    response = _file(client, value="137 1234 5678")

    assert response.status_code == 302
    request = ErasureRequest.objects.get()
    assert request.customer_id == complaint.customer_id and request.status == "pending"
    page = client.get("/privacy/erasure/").content.decode()
    assert "客户来电要求删除个人信息" in page and f"#{complaint.customer_id}" in page
    assert PHONE not in page and NAME not in page  # the list shows the masked name, never the number
    assert 'href="/privacy/erasure/"' in client.get("/privacy/access-log/").content.decode()  # the menu entry
    assert Complaint.objects.get(pk=complaint.pk).content.startswith(f"我是{NAME}")  # nothing erased yet


def test_filing_names_what_is_wrong(handler, admins):
    _complaint(handler)
    client = _web(admins[0])

    nobody = _file(client, kind="email", value="nobody@example.com")
    no_reason = _file(client, reason=" ")
    assert nobody.status_code == 422 and "没有这位客户" in nobody.content.decode()
    assert no_reason.status_code == 422 and "理由" in no_reason.content.decode()
    assert _file(client).status_code == 302
    twice = _file(client, kind="email", value=EMAIL)
    assert twice.status_code == 422 and "已有一个待批准的删除申请" in twice.content.decode()
    assert ErasureRequest.objects.count() == 1


def test_the_requester_may_never_approve_their_own_request(handler, admins):
    complaint = _complaint(handler)
    first, _second = admins
    client = _web(first)
    _file(client)
    request = ErasureRequest.objects.get()

    refused = client.post(f"/privacy/erasure/{request.pk}/approve")
    with translation.override("en"):
        refused_en = client.post(f"/privacy/erasure/{request.pk}/approve", HTTP_ACCEPT_LANGUAGE="en")

    assert refused.status_code == 403 and "第二位管理员" in refused.content.decode()
    assert (
        refused_en.status_code == 403
        and "a second administrator must approve it" in refused_en.content.decode()
    )
    request.refresh_from_db()
    assert request.status == "pending"
    assert Complaint.objects.get(pk=complaint.pk).customer.name == NAME


def test_a_second_admin_approves_and_the_person_is_gone_from_pages_and_api(handler, admins):
    complaint = _complaint(handler)
    first, second = admins
    _file(_web(first), reason=f"{NAME}本人来电要求删除")  # the request's own text names the person too
    request = ErasureRequest.objects.get()
    desk = f"/complaints/{complaint.pk}/"
    api = client_for(second)
    assert NAME in _web(second).get(desk).content.decode()  # an administrator sees full data before

    approved = _web(second).post(f"/privacy/erasure/{request.pk}/approve")

    assert approved.status_code == 302
    request.refresh_from_db()
    assert request.status == "approved" and request.decided_by == second
    pages = [desk, f"/customers/{complaint.customer_id}/", "/", "/privacy/erasure/"]
    for url in pages:
        response = _web(second).get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        for secret in SECRETS:
            assert secret not in html, (url, secret)
    for url in (f"/api/v1/complaints/{complaint.pk}", f"/api/v1/customers/{complaint.customer_id}"):
        response = api.get(url)
        assert response.status_code == 200, url
        for secret in SECRETS:
            assert secret not in response.content.decode(), (url, secret)
    assert Complaint.objects.filter(pk=complaint.pk).exists()  # anonymised, not deleted: statistics stay
    erasures = AccessLog.objects.filter(action="erasure", object_id=str(complaint.customer_id))
    assert [(e.username, e.reason) for e in erasures] == [("admin_b", "")]  # only the fact
    again = _web(second).post(f"/privacy/erasure/{request.pk}/approve")
    assert again.status_code == 409


def test_an_admin_rejects_with_a_reason_and_nothing_is_erased(handler, admins):
    complaint = _complaint(handler)
    first, second = admins
    _file(_web(first))
    request = ErasureRequest.objects.get()
    client = _web(second)

    no_reason = client.post(f"/privacy/erasure/{request.pk}/reject", {"reason": ""})
    rejected = client.post(f"/privacy/erasure/{request.pk}/reject", {"reason": "客户仍有未结投诉，依法保留"})

    assert no_reason.status_code == 422
    assert rejected.status_code == 302
    request.refresh_from_db()
    assert request.status == "rejected" and request.decision_reason == "客户仍有未结投诉，依法保留"
    assert Complaint.objects.get(pk=complaint.pk).customer.name == NAME
    assert client.post(f"/privacy/erasure/{request.pk}/approve").status_code == 409
    assert not AccessLog.objects.filter(action="erasure").exists()


def test_the_data_protection_officer_files_but_only_an_administrator_decides(handler, admins):
    complaint = _complaint(handler)
    dpo = make_user(Role.DPO, "dpo1")
    client = _web(dpo)
    assert _file(client).status_code == 302
    request = ErasureRequest.objects.get()

    assert client.post(f"/privacy/erasure/{request.pk}/approve").status_code == 403
    assert _web(admins[0]).post(f"/privacy/erasure/{request.pk}/approve").status_code == 302
    assert Complaint.objects.get(pk=complaint.pk).customer.name == f"已删除客户 #{complaint.customer_id}"


@pytest.mark.parametrize("role", [Role.HANDLER, Role.MANAGER, Role.ANALYST, Role.DECISION])
def test_a_non_admin_gets_403_everywhere(handler, admins, role):
    complaint = _complaint(handler)
    _file(_web(admins[0]))
    request = ErasureRequest.objects.get()
    client = _web(make_user(role, f"someone_{role}"))

    assert client.get("/privacy/erasure/").status_code == 403
    assert _file(client).status_code == 403
    assert client.post(f"/privacy/erasure/{request.pk}/approve").status_code == 403
    assert client.post(f"/privacy/erasure/{request.pk}/reject", {"reason": "不行"}).status_code == 403
    assert client.post("/privacy/erasure/999999/approve").status_code == 403
    assert ErasureRequest.objects.get().status == "pending"
    assert Complaint.objects.get(pk=complaint.pk).customer.name == NAME
    assert 'href="/privacy/erasure/"' not in client.get("/").content.decode()
