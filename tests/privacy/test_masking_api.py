"""Masking by role in the API, reveal with a reason, and the access log (issue 15 §1–3)."""

from __future__ import annotations

from kesu.core.roles import Role
from kesu.customers.actions import CustomerHandles
from kesu.privacy.models import AccessLog
from tests.api.builders import client_for, complaint_in, post_json
from tests.factories import make_user

PHONE, EMAIL, NAME = "13800138000", "zhang@qq.com", "张伟"
CONTENT = "我是张伟，电话13800138000，邮箱zhang@qq.com，身份证11010519491231002X，卡号4111 1111 1111 1111"


def _complaint(handler):
    return complaint_in("in_progress", handler=handler, content=CONTENT,
                        customer=CustomerHandles(name=NAME, phone=PHONE, email=EMAIL))


def test_an_analyst_sees_masked_data_everywhere_in_the_api(handler, analyst_client):
    complaint = _complaint(handler)

    detail = analyst_client.get(f"/api/v1/complaints/{complaint.pk}").json()
    listed = analyst_client.get("/api/v1/complaints").json()["items"][0]
    customer = analyst_client.get(f"/api/v1/customers/{complaint.customer_id}").json()
    customers = analyst_client.get("/api/v1/customers").json()["items"]

    text = str([detail, listed, customer, customers])
    for secret in (PHONE, EMAIL, NAME, "11010519491231002X", "4111 1111 1111 1111"):
        assert secret not in text
    assert detail["customer"]["name"] == "张*"
    assert "138****8000" in detail["content"] and "z***@qq.com" in detail["content"]
    assert {i["value"] for i in customer["identities"]} == {"138****8000", "z***@qq.com"}


def test_the_assignee_sees_full_data_a_handler_of_another_group_does_not(handler, handler_client, other_group):
    complaint = _complaint(handler)
    stranger = make_user(Role.HANDLER, "stranger", groups=[other_group])
    assert handler_client.get(f"/api/v1/complaints/{complaint.pk}").json()["content"] == CONTENT
    seen = client_for(stranger).get(f"/api/v1/complaints/{complaint.pk}").json()
    assert PHONE not in seen["content"]


def test_search_by_the_full_phone_number_still_finds_the_customer(handler, analyst_client):
    complaint = _complaint(handler)
    found = analyst_client.get("/api/v1/customers", {"q": PHONE}).json()["items"]
    assert [c["id"] for c in found] == [complaint.customer_id]
    assert found[0]["name"] == "张*"


def test_reveal_needs_a_reason_and_is_logged(handler, db):
    complaint = _complaint(handler)
    manager = make_user(Role.MANAGER, "boss")
    client = client_for(make_user(Role.HANDLER, "h9"))
    body = {"object_type": "customer", "object_id": complaint.customer_id, "field": "phone"}

    refused = post_json(client, "/api/v1/privacy/reveal", {**body, "reason": ""})
    revealed = post_json(client, "/api/v1/privacy/reveal", {**body, "reason": "客户要求回电"})

    assert refused.status_code == 422 and refused.json()["detail"][0]["loc"][-1] == "reason"
    assert revealed.status_code == 200 and revealed.json()["value"] == PHONE
    line = AccessLog.objects.get(action="reveal")
    assert (line.username, line.field, line.reason, line.object_id) == ("h9", "phone", "客户要求回电",
                                                                       str(complaint.customer_id))
    assert client_for(manager).get(f"/api/v1/complaints/{complaint.pk}").json()["content"] == CONTENT


def test_analysts_may_not_reveal(handler, analyst_client):
    complaint = _complaint(handler)
    response = post_json(analyst_client, "/api/v1/privacy/reveal", {
        "object_type": "customer", "object_id": complaint.customer_id, "field": "phone", "reason": "好奇"})
    assert response.status_code == 403
    assert not AccessLog.objects.filter(action="reveal").exists()


def test_views_are_logged_and_the_log_is_for_admins_and_the_dpo(handler, analyst_client):
    complaint = _complaint(handler)
    analyst_client.get(f"/api/v1/complaints/{complaint.pk}")
    analyst_client.get(f"/api/v1/customers/{complaint.customer_id}")

    dpo = client_for(make_user(Role.DPO, "dpo1"))
    admin = client_for(make_user(Role.ADMIN, "admin1"))
    log = dpo.get("/api/v1/privacy/access-log").json()
    csv = admin.get("/api/v1/privacy/access-log.csv")

    assert [(i["username"], i["action"], i["object_type"]) for i in log["items"]] == [
        ("analyst1", "customer_view", "customer"), ("analyst1", "complaint_view", "complaint")]
    assert log["items"][0]["ip"] == "127.0.0.1" and log["items"][0]["channel"] == "api"
    assert csv.status_code == 200 and "analyst1,complaint_view" in csv.content.decode("utf-8-sig")
    assert analyst_client.get("/api/v1/privacy/access-log").status_code == 403
    assert handler  # handlers may not read it either
    assert client_for(handler).get("/api/v1/privacy/access-log").status_code == 403


def test_the_access_log_is_append_only(handler, analyst_client):
    import pytest

    from kesu.core.appendonly import AppendOnlyError

    complaint = _complaint(handler)
    analyst_client.get(f"/api/v1/complaints/{complaint.pk}")
    with pytest.raises(AppendOnlyError):
        AccessLog.objects.all().delete()
    with pytest.raises(AppendOnlyError):
        AccessLog.objects.update(reason="x")
