"""The admin edits configuration (the category tree) but cannot change complaints behind the actions' back."""

from __future__ import annotations

import pytest

from kesu.complaints.models import Category
from kesu.core.roles import Role
from tests.factories import make_complaint, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(make_user(Role.ADMIN, "root"))
    return client


def test_admin_edits_the_category_tree(admin_client):
    category = Category.objects.get(code="service-attitude")
    response = admin_client.post(
        f"/admin/complaints/category/{category.pk}/change/",
        {"code": "service-attitude", "name_zh": "服务态度差", "name_en": "Rude service", "parent": category.parent_id,
         "sort": 1, "is_active": "on"},
    )
    assert response.status_code == 302
    category.refresh_from_db()
    assert category.name_zh == "服务态度差"


def test_admin_shows_complaints_read_only(admin_client):
    complaint = make_complaint()
    page = admin_client.get(f"/admin/complaints/complaint/{complaint.pk}/change/")
    assert page.status_code == 200
    assert complaint.number.encode() in page.content
    assert b'name="_save"' not in page.content
    assert admin_client.get("/admin/complaints/complaint/add/").status_code == 403
    assert admin_client.post(f"/admin/complaints/complaint/{complaint.pk}/delete/", {"post": "yes"}).status_code == 403


def test_handlers_cannot_open_the_admin(client):
    client.force_login(make_user(Role.HANDLER))
    assert client.get("/admin/").status_code == 302
