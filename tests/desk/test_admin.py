"""The management layer keeps the response templates in the admin; a typo in a variable is refused."""

from __future__ import annotations

import pytest

from kesu.core.roles import Role
from kesu.desk.models import ResponseTemplate
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def _form(**overrides):
    data = {"name": "售后·补发通知", "language": "zh-hans", "severity": "", "service_type": "after_sale",
            "body": "{customer_name}您好，工单 {number} 的补发商品已寄出。", "active": "on"}
    data.update(overrides)
    return data


def test_a_manager_adds_a_template_and_the_editor_is_recorded(client):
    manager = make_user(Role.MANAGER, "zhao")
    client.force_login(manager)

    response = client.post("/admin/desk/responsetemplate/add/", _form())

    assert response.status_code == 302
    template = ResponseTemplate.objects.get(name="售后·补发通知")
    assert (template.updated_by, template.use_count, template.severity) == (manager, 0, "")


def test_an_unknown_variable_is_refused_with_its_name(client):
    client.force_login(make_user(Role.MANAGER, "zhao"))

    response = client.post("/admin/desk/responsetemplate/add/", _form(body="{custmer_name}您好"))

    assert response.status_code == 200
    assert "未知变量 {custmer_name}" in response.content.decode()
    assert not ResponseTemplate.objects.filter(name="售后·补发通知").exists()


def test_a_handler_may_not_edit_templates(client):
    client.force_login(make_user(Role.HANDLER, "wang"))

    assert client.get("/admin/desk/responsetemplate/").status_code == 302  # to the admin's login
    assert client.post("/admin/desk/responsetemplate/add/", _form()).status_code == 302
    assert not ResponseTemplate.objects.filter(name="售后·补发通知").exists()
