from __future__ import annotations

import re

import pytest

from kesu.complaints.models import Complaint

FORM = {
    "channel": "phone",
    "customer_name": "王芳",
    "phone": "139 0013 9000",
    "email": "",
    "tier": "",
    "subject": "冰箱不制冷",
    "content": "新买的冰箱三天就不制冷了，要求换货。",
    "category": "product-quality",
    "severity": "urgent",
    "priority": "P2",
    "region": "上海",
    "product": "BCD-300",
    "batch": "B2026-01",
    "order_number": "JD-123456",
    "amount_claimed": "2999.00",
    "group": "",
}


def _field_errors(page: str) -> dict[str, str]:
    """field id -> the inline error under it."""
    found = {}
    for block in re.findall(r'<div class="field has-error.*?</div>', page, flags=re.S):
        field = re.search(r'<label for="id_(\w+)"', block).group(1)
        found[field] = re.search(r'<p class="field-error" role="alert">(.*?)</p>', block).group(1)
    return found


@pytest.mark.django_db
def test_the_form_offers_the_choices(handler_client, group):
    page = handler_client.get("/complaints/new/").content.decode()

    assert '<option value="phone">电话</option>' in page
    assert '<option value="chat">在线客服</option>' in page
    assert '<option value="product-quality">产品问题 / 产品质量</option>' in page
    assert f'<option value="{group.code}">' in page
    # severity and priority start open: triage decides unless the handler chooses
    assert page.count('<option value="" selected>（由智能分拣判定）</option>') == 3
    assert '<option value="general">一般</option>' in page
    assert '<option value="P3">P3</option>' in page


@pytest.mark.django_db
def test_empty_content_and_a_bad_amount_are_both_shown_and_nothing_is_created(handler_client):
    # when the form is sent without content and with an amount that is not one
    response = handler_client.post("/complaints/new/", {**FORM, "content": "  ", "amount_claimed": "二十块"})

    # then both fields carry their error, the rest keeps what was typed, nothing is stored
    assert response.status_code == 422
    page = response.content.decode()
    errors = _field_errors(page)
    assert errors["content"] == "此项不能为空。"
    assert errors["amount_claimed"] == "“二十块”不是有效金额。"
    assert 'value="王芳"' in page
    assert 'value="二十块"' in page
    assert '<option value="urgent" selected>' in page
    assert '<option value="product-quality" selected>' in page
    assert Complaint.objects.count() == 0


@pytest.mark.django_db
def test_customer_errors_are_shown_next_to_the_customer_fields(handler_client):
    response = handler_client.post(
        "/complaints/new/", {**FORM, "customer_name": "", "phone": "", "email": ""}
    )

    assert response.status_code == 422
    assert (
        _field_errors(response.content.decode())["customer_name"]
        == "请至少填写客户姓名、电话或邮箱中的一项。"
    )
    assert Complaint.objects.count() == 0


@pytest.mark.django_db
def test_a_new_complaint_is_recorded_and_opens_its_detail_page(handler_client, handler, group):
    response = handler_client.post("/complaints/new/", {**FORM, "group": group.code})

    complaint = Complaint.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/complaints/{complaint.pk}/"
    assert complaint.created_by == handler
    assert complaint.customer.name == "王芳"
    assert str(complaint.amount_claimed) == "2999.00"
    assert complaint.category.code == "product-quality"
    assert complaint.group == group
    page = handler_client.get(response["Location"]).content.decode()
    assert f"投诉 {complaint.number} 已登记。" in page
    assert "冰箱不制冷" in page
    assert "13900139000" in page
