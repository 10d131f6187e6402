"""The admin of webhooks: managers edit sources and subscribers through the actions (a generated
secret is shown once); the deliveries are a read-only log."""

from __future__ import annotations

import pytest

from kesu.channels.models import WebhookDelivery, WebhookSource, WebhookSubscriber
from kesu.channels.webhooks_out import subscriber_save
from kesu.core.roles import Role
from tests.factories import T0, make_complaint, make_user

pytestmark = pytest.mark.django_db

SOURCE = {"name": "wechat", "channel": "chat", "secret_env": "KESU_WEBHOOK_WECHAT_SECRET", "enabled": "on"}
SUBSCRIBER = {"name": "crm", "url": "https://crm.example.cn/hooks", "secret_env": "",
              "events": ["complaint.created", "sla.breached"], "enabled": "on"}


@pytest.fixture
def manager_client(client):
    client.force_login(make_user(Role.MANAGER, "lead"))
    return client


def test_a_manager_adds_a_source(manager_client):
    response = manager_client.post("/admin/channels/webhooksource/add/", SOURCE)

    assert response.status_code == 302
    source = WebhookSource.objects.get()
    assert (source.channel, source.secret_env, source.updated_by.username) == (
        "chat", "KESU_WEBHOOK_WECHAT_SECRET", "lead")


def test_a_bad_secret_variable_is_refused_naming_it(manager_client):
    page = manager_client.post("/admin/channels/webhooksource/add/", {**SOURCE, "secret_env": "KESU_SECRET_KEY"})

    assert page.status_code == 200 and "以 KESU_WEBHOOK_ 开头" in page.content.decode()
    assert not WebhookSource.objects.exists()


def test_a_new_subscriber_gets_a_secret_shown_once(manager_client):
    response = manager_client.post("/admin/channels/webhooksubscriber/add/", SUBSCRIBER, follow=True)

    subscriber = WebhookSubscriber.objects.get()
    assert subscriber.events == ["complaint.created", "sla.breached"]
    assert subscriber.secret and subscriber.secret in response.content.decode()
    change = manager_client.get(f"/admin/channels/webhooksubscriber/{subscriber.pk}/change/")
    assert subscriber.secret not in change.content.decode()


def test_deliveries_are_read_only_and_listed_on_their_subscriber(manager_client):
    subscriber, _secret = subscriber_save(subscriber=None, by=None, now=T0, name="crm",
                                          url="https://crm.example.cn/hooks", events=["complaint.created"])
    complaint = make_complaint()
    delivery = WebhookDelivery.objects.get()

    page = manager_client.get(f"/admin/channels/webhooksubscriber/{subscriber.pk}/change/").content.decode()
    assert complaint.number in page and "complaint.created" in page
    assert manager_client.get("/admin/channels/webhookdelivery/").status_code == 200
    assert manager_client.get(f"/admin/channels/webhookdelivery/{delivery.pk}/change/").status_code == 200
    assert manager_client.post(f"/admin/channels/webhookdelivery/{delivery.pk}/change/",
                               {"state": "sent"}).status_code == 403
    assert WebhookDelivery.objects.get().state == "pending"


def test_a_handler_cannot_see_webhooks(client):
    client.force_login(make_user(Role.HANDLER, "h"))
    for url in ("/admin/channels/webhooksource/", "/admin/channels/webhooksubscriber/",
                "/admin/channels/webhookdelivery/"):
        assert client.get(url).status_code in (302, 403)
    assert client.post("/admin/channels/webhooksource/add/", SOURCE).status_code in (302, 403)
    assert not WebhookSource.objects.exists()


def test_a_subscriber_with_deliveries_can_be_changed(manager_client):
    subscriber, _secret = subscriber_save(subscriber=None, by=None, now=T0, name="crm",
                                          url="https://crm.example.cn/hooks", events=["complaint.created"])
    make_complaint()
    form = {**SUBSCRIBER, "url": "https://crm.example.cn/v2/hooks", "deliveries-TOTAL_FORMS": "1",
            "deliveries-INITIAL_FORMS": "1", "deliveries-MIN_NUM_FORMS": "0", "deliveries-MAX_NUM_FORMS": "0",
            "deliveries-0-id": str(WebhookDelivery.objects.get().pk), "deliveries-0-subscriber": str(subscriber.pk)}

    response = manager_client.post(f"/admin/channels/webhooksubscriber/{subscriber.pk}/change/", form)

    assert response.status_code == 302, response.content.decode()[-2000:]
    subscriber.refresh_from_db()
    assert subscriber.url == "https://crm.example.cn/v2/hooks"
    assert WebhookDelivery.objects.count() == 1
