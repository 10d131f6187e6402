"""The admin lists notifications and their deliveries, read-only."""

from __future__ import annotations

import pytest

from kesu.core.messages import Message
from kesu.core.roles import Role
from kesu.notifications.actions import notify
from tests.factories import T0, make_complaint, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(make_user(Role.ADMIN, "root"))
    return client


def test_notifications_and_deliveries_are_listed_read_only(admin_client, lead):
    (notification,) = notify(recipients=[lead], kind="escalated", title=Message("notification.text", text="升级到三级"),  key="esc:1",
                             now=T0, complaint=make_complaint())
    delivery = notification.deliveries.get()

    listing = admin_client.get("/admin/notifications/notification/")
    assert listing.status_code == 200 and "升级到三级" in listing.content.decode()
    detail = admin_client.get(f"/admin/notifications/notification/{notification.pk}/change/")
    assert detail.status_code == 200 and b'name="_save"' not in detail.content
    assert admin_client.get("/admin/notifications/delivery/").status_code == 200
    assert admin_client.get(f"/admin/notifications/delivery/{delivery.pk}/change/").status_code == 200
    assert admin_client.get("/admin/notifications/notification/add/").status_code == 403
    assert admin_client.get("/admin/notifications/contactpoint/").status_code == 200
    response = admin_client.post(f"/admin/notifications/delivery/{delivery.pk}/delete/", {"post": "yes"})
    assert response.status_code == 403
