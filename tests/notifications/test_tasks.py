"""After the commit, each delivery is handed to the job queue for its time; the minute sweep and the
job both end in the same claimed send."""

from __future__ import annotations

from datetime import UTC, timedelta

import pytest
import time_machine

from kesu.core.messages import Message
from kesu.notifications import tasks
from kesu.notifications.actions import notify
from kesu.notifications.models import Delivery
from tests.factories import T0

pytestmark = pytest.mark.django_db

SATURDAY = T0 + timedelta(days=5, hours=2)  # Saturday 2026-03-07 11:00 in Shanghai
MONDAY_9AM = T0 + timedelta(days=7)




def _tell(lead, *, key: str, urgent: bool):
    return notify(recipients=[lead], kind="reminder", title=Message("notification.text", text=f"提醒 {key}"),  key=key, now=SATURDAY,
                  urgent=urgent)[0]


def test_nothing_is_sent_before_the_commit(smtp, settings, lead, jobs_run_in_process, django_capture_on_commit_callbacks):
    settings.KESU_SMS_WEBHOOK_URL = ""
    with time_machine.travel(SATURDAY, tick=False):
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            _tell(lead, key="red", urgent=True)

    assert smtp.messages == []  # the transaction might still roll back
    assert len(callbacks) == 1


def test_after_the_commit_urgent_goes_at_once_and_the_rest_is_scheduled_for_working_time(
    smtp, settings, lead, jobs_run_in_process, django_capture_on_commit_callbacks
):
    settings.KESU_SMS_WEBHOOK_URL = ""
    with time_machine.travel(SATURDAY, tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            urgent = _tell(lead, key="red", urgent=True)
            later = _tell(lead, key="transfer", urgent=False)

        # the urgent email reached the mail server straight from its job
        assert [m.subject for m in smtp.messages] == ["提醒 red"]
        assert urgent.deliveries.get().state == "sent"

        # the other waits in the job schedule for Monday 09:00
        (scheduled,) = jobs_run_in_process.scheduled()
        assert scheduled.name.endswith("delivery_send")
        assert scheduled.args == (later.deliveries.get().pk,)
        assert scheduled.eta.replace(tzinfo=UTC) == MONDAY_9AM

        # and the minute sweep leaves it alone until then
        tasks.deliveries_due.call_local()
        assert later.deliveries.get().state == "pending"

    # on Monday morning the job sends it
    with time_machine.travel(MONDAY_9AM, tick=False):
        scheduled.execute()
    assert [m.subject for m in smtp.messages] == ["提醒 red", "提醒 transfer"]


def test_the_sweep_sends_a_delivery_whose_job_was_lost(smtp, settings, lead):
    # given a delivery recorded but never enqueued (no on-commit run here: the job is "lost")
    settings.KESU_SMS_WEBHOOK_URL = ""
    with time_machine.travel(SATURDAY, tick=False):
        notification = _tell(lead, key="red", urgent=True)

    # when the periodic task runs a minute later
    with time_machine.travel(SATURDAY + timedelta(minutes=1), tick=False):
        tasks.deliveries_due.call_local()

    assert [m.subject for m in smtp.messages] == ["提醒 red"]
    assert Delivery.objects.get(notification=notification).sent_at == SATURDAY + timedelta(minutes=1)


def test_a_job_store_that_is_down_does_not_lose_the_notice(settings, lead, monkeypatch, django_capture_on_commit_callbacks):
    settings.KESU_SMS_WEBHOOK_URL = ""

    def broken(*args, **kwargs):
        raise ConnectionError("redis is down")

    monkeypatch.setattr(tasks.delivery_send, "schedule", broken)
    with django_capture_on_commit_callbacks(execute=True):
        notification = _tell(lead, key="red", urgent=True)

    # the notice and its delivery are kept for the sweep
    assert Delivery.objects.get(notification=notification).state == "pending"
