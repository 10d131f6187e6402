"""Two consumers at once never send one delivery twice (PostgreSQL, real threads, a real SMTP server)."""

from __future__ import annotations

import pytest

from kesu.core.messages import Message
from kesu.core.roles import Role
from kesu.notifications.actions import notify
from kesu.notifications.delivery import deliveries_send_due, delivery_attempt
from kesu.notifications.models import Delivery, Notification
from tests.concurrency import at_once, postgresql_only
from tests.factories import T0, make_user


def _people(count: int) -> list:
    return [make_user(Role.HANDLER, f"c{n}", email=f"c{n}@centre.example") for n in range(count)]


@postgresql_only
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_consumers_sending_the_same_delivery_send_it_once(smtp, settings):
    settings.KESU_SMS_WEBHOOK_URL = ""
    people = _people(10)
    notify(recipients=people, kind="reminder", title=Message("notification.text", text="红色通道进度提醒"),  key="red:1", now=T0, urgent=True)

    for delivery in Delivery.objects.order_by("pk"):
        outcomes = at_once(
            lambda d=delivery: delivery_attempt(delivery_id=d.pk, now=T0),
            lambda d=delivery: delivery_attempt(delivery_id=d.pk, now=T0),
        )
        assert sorted(str(o and o.state) for o in outcomes) == ["None", "sent"]

    assert sorted(r for m in smtp.messages for r in m.recipients) == sorted(p.email for p in people)
    assert set(Delivery.objects.values_list("state", "attempts")) == {("sent", 1)}


@postgresql_only
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_sweeps_at_once_send_each_delivery_once(smtp, settings):
    settings.KESU_SMS_WEBHOOK_URL = ""
    people = _people(30)
    notify(recipients=people, kind="reminder", title=Message("notification.text", text="红色通道进度提醒"),  key="red:2", now=T0, urgent=True)

    counts = at_once(lambda: deliveries_send_due(now=T0), lambda: deliveries_send_due(now=T0))

    assert counts[0]["sent"] + counts[1]["sent"] == 30
    recipients = [r for m in smtp.messages for r in m.recipients]
    assert sorted(recipients) == sorted(p.email for p in people)  # each once, none twice
    assert set(Delivery.objects.values_list("state", "attempts")) == {("sent", 1)}


@postgresql_only
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_sweeps_telling_the_same_people_at_once_tell_each_once(settings):
    settings.KESU_SMS_WEBHOOK_URL = ""
    people = _people(5)

    for round_ in range(5):
        key = f"sla:{round_}:resolution:breached:1"
        created = at_once(
            *(
                lambda key=key: len(notify(recipients=people, kind="sla_breached", title=Message("notification.text", text="超时"),
                                           key=key, now=T0, urgent=True))
                for _ in range(3)
            )
        )
        assert sum(created) == 5, created

    assert Notification.objects.count() == 25
