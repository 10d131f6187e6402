"""notify: who is told, in the app and by which outside channels, when, and not twice within the decay."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import translation

from kesu.core.errors import FieldError, NotPermitted
from kesu.core.messages import Message
from kesu.core.roles import Role
from kesu.notifications.actions import (
    contact_point_set,
    notification_read,
    notifications_read_all,
    notify,
)
from kesu.notifications.models import Delivery, Notification
from tests.factories import T0, make_complaint, make_user
from tests.notifications.conftest import use_sms

pytestmark = pytest.mark.django_db

MINUTE = timedelta(minutes=1)


def _notify(recipients, *, now=T0, key="sla:1:resolution:breached:1", **kwargs):
    fields = {"kind": "sla_breached", "title": Message("notification.text", text="投诉超时"),
              "body": Message("notification.text", text="处理时限已过"), "key": key, "now": now}
    fields.update(kwargs)
    return notify(recipients=recipients, **fields)


def _channels(user) -> list[str]:
    return sorted(Delivery.objects.filter(notification__recipient=user).values_list("channel", flat=True))


def test_each_recipient_gets_the_notice_in_the_app_and_by_the_channels_they_can_receive(settings, lead):
    # given SMS is configured; the lead has an email address and a phone, a handler only an email,
    # an analyst neither
    use_sms(settings, "http://127.0.0.1:9/sms")
    handler = make_user(Role.HANDLER, "h-mail", email="h@centre.example")
    analyst = make_user(Role.ANALYST, "a-none")
    complaint = make_complaint()

    # when
    created = _notify([lead, handler, analyst], complaint=complaint)

    # then every one has the notice in the app, about the complaint
    assert {n.recipient for n in created} == {lead, handler, analyst}
    assert all(n.complaint == complaint and n.title == "投诉超时" and n.read_at is None for n in created)
    # and it goes out by each channel the person has
    assert _channels(lead) == ["email", "sms"]
    assert _channels(handler) == ["email"]
    assert _channels(analyst) == []


def test_without_an_sms_webhook_no_sms_is_planned(settings, lead):
    settings.KESU_SMS_WEBHOOK_URL = ""

    _notify([lead])

    assert _channels(lead) == ["email"]


def test_a_person_who_turned_a_channel_off_is_not_sent_by_it(settings, lead):
    use_sms(settings, "http://127.0.0.1:9/sms")
    contact_point_set(user=lead, email_enabled=False, now=T0)

    _notify([lead])

    assert _channels(lead) == ["sms"]
    assert Notification.objects.filter(recipient=lead).count() == 1  # the app still shows it


def test_a_person_named_twice_and_inactive_people_and_none_are_handled(lead):
    gone = make_user(Role.HANDLER, "gone", email="gone@centre.example")
    gone.is_active = False
    gone.save()

    created = _notify([lead, None, lead, gone])

    assert [n.recipient for n in created] == [lead]


def test_the_same_key_within_the_decay_period_is_not_repeated(settings, lead):
    settings.KESU_NOTIFY_DECAY_MINUTES = 60
    other = make_user(Role.MANAGER, "manager2", email="m2@centre.example")

    # given the lead was told at 09:00
    assert len(_notify([lead], now=T0)) == 1

    # when the sweep says the same thing again at 09:59 to the lead and another manager
    again = _notify([lead, other], now=T0 + 59 * MINUTE)

    # then only the one who had not heard it is told
    assert [n.recipient for n in again] == [other]
    assert Notification.objects.filter(recipient=lead).count() == 1
    assert Delivery.objects.filter(notification__recipient=lead).count() == 1

    # and a different key is a different notice
    assert len(_notify([lead], now=T0 + 59 * MINUTE, key="sla:1:resolution:breached:2")) == 1

    # and once the decay period is over the same notice is repeated
    assert len(_notify([lead], now=T0 + 61 * MINUTE)) == 1
    assert Notification.objects.filter(recipient=lead, key="sla:1:resolution:breached:1").count() == 2


def test_the_decay_period_comes_from_the_settings(settings, lead):
    settings.KESU_NOTIFY_DECAY_MINUTES = 5

    _notify([lead], now=T0)

    assert _notify([lead], now=T0 + 4 * MINUTE) == []
    assert len(_notify([lead], now=T0 + 6 * MINUTE)) == 1


def test_urgent_notices_may_be_sent_at_once(lead):
    (notification,) = _notify([lead], now=T0 + timedelta(days=5), urgent=True)  # a Saturday

    delivery = notification.deliveries.get()
    assert notification.urgent is True
    assert delivery.not_before == T0 + timedelta(days=5)
    assert delivery.next_attempt_at == delivery.not_before
    assert delivery.state == "pending" and delivery.attempts == 0


def test_a_notice_inside_working_time_may_be_sent_at_once(lead):
    (notification,) = _notify([lead], now=T0 + 90 * MINUTE)  # Monday 10:30

    assert notification.deliveries.get().not_before == T0 + 90 * MINUTE


@pytest.mark.parametrize(
    ("field", "value"), [("kind", ""), ("key", ""), ("kind", "长" * 33)]
)
def test_a_notice_without_kind_or_key_is_refused(lead, field, value):
    with pytest.raises(FieldError) as error:
        _notify([lead], **{field: value})

    assert error.value.field == field
    assert Notification.objects.count() == 0


def test_reading_a_notice(lead):
    (notification,) = _notify([lead])
    other = make_user(Role.HANDLER, "nosy")

    with pytest.raises(NotPermitted):
        notification_read(notification=notification, by=other, now=T0 + MINUTE)

    notification_read(notification=notification, by=lead, now=T0 + MINUTE)
    notification_read(notification=notification, by=lead, now=T0 + 9 * MINUTE)

    notification.refresh_from_db()
    assert notification.read_at == T0 + MINUTE  # the first reading counts


def test_reading_all_notices_of_a_person(lead):
    other = make_user(Role.HANDLER, "other")
    for number in range(3):
        _notify([lead, other], key=f"k{number}")

    assert notifications_read_all(user=lead, now=T0 + MINUTE) == 3
    assert notifications_read_all(user=lead, now=T0 + 2 * MINUTE) == 0

    assert Notification.objects.filter(recipient=lead, read_at=T0 + MINUTE).count() == 3
    assert Notification.objects.filter(recipient=other, read_at__isnull=True).count() == 3


@pytest.mark.parametrize("phone", ["12ab", "1234", "+" + "1" * 20])
def test_a_phone_number_must_be_digits(lead, phone):
    with pytest.raises(FieldError) as error:
        contact_point_set(user=lead, phone=phone, now=T0)

    assert error.value.field == "phone"


def test_a_phone_number_is_kept_without_spaces_and_dashes(lead):
    contact = contact_point_set(user=lead, phone="+86 138-0013-8000", now=T0)

    assert contact.phone == "+8613800138000"
    assert contact.email_enabled and contact.sms_enabled


def test_a_notice_on_saturday_waits_for_monday_morning_unless_urgent(lead):
    saturday = T0 + timedelta(days=5, hours=2)  # Saturday 2026-03-07 11:00 in Shanghai

    (later,) = _notify([lead], now=saturday, key="transfer:1")
    (urgent,) = _notify([lead], now=saturday, key="red:1", urgent=True)

    monday_9am = T0 + timedelta(days=7)  # Monday 2026-03-09 09:00 in Shanghai
    assert later.deliveries.get().not_before == monday_9am
    assert later.deliveries.get().next_attempt_at == monday_9am
    assert urgent.deliveries.get().not_before == saturday
    assert later.read_at is None  # the bell shows both at once


def test_a_notice_after_hours_waits_for_the_next_working_period(lead):
    friday_evening = T0 + timedelta(days=4, hours=10)  # Friday 19:00
    lunch = T0 + timedelta(hours=3, minutes=30)  # Monday 12:30, the lunch break

    (evening,) = _notify([lead], now=friday_evening, key="a")
    (noon,) = _notify([lead], now=lunch, key="b")

    assert evening.deliveries.get().not_before == T0 + timedelta(days=7)
    assert noon.deliveries.get().not_before == T0 + timedelta(hours=4, minutes=30)  # 13:30


def test_a_day_the_calendar_does_not_cover_does_not_hold_the_notice_back(lead, caplog):
    saturday_2030 = T0.replace(year=2030, month=1, day=5)  # the default calendar covers 2025–2027

    (notification,) = _notify([lead], now=saturday_2030)

    assert notification.deliveries.get().not_before == saturday_2030
    assert "2030" in caplog.text and "sent at once" in caplog.text


def test_a_notice_is_worded_in_the_readers_language_when_shown(lead):
    # a notice written while the centre works in Chinese reads in English for an English reader
    (notice,) = _notify([lead], title=Message("notice.survey_reopened", number="KS-2026-000007"),
                        body=Message("notice.survey_reopened_body", score=1, solved=Message("word.no"), comment=""))

    notice.refresh_from_db()
    assert notice.title_message == {"code": "notice.survey_reopened", "params": {"number": "KS-2026-000007"}}
    with translation.override("en"):
        assert notice.title_text == "KS-2026-000007 reopened: the customer is not satisfied"
        assert notice.body_text.startswith("Satisfaction 1/5, problem solved: no.")
    with translation.override("zh-hans"):
        assert notice.title_text == "KS-2026-000007 已重新打开：客户不满意"
        assert "否" in notice.body_text


def test_stored_notices_written_as_text_get_their_message_ids(lead):
    # given notices stored before message ids, in Chinese and in English
    import importlib

    backfill = importlib.import_module("kesu.notifications.migrations.0003_messages_notification_backfill")
    rows = [
        Notification.objects.create(recipient=lead, kind="survey_reopened", title="KS-2026-000007 已重新打开：客户不满意",
                                    body="满意度 1/5，问题已解决：否。太慢了", key="a", created_at=T0),
        Notification.objects.create(recipient=lead, kind="compensation_pending",
                                    title="KS-2026-000008: compensation of 9,000.00 yuan awaits approval",
                                    body="退款\n(flagged for compensation pre-review)", key="b", created_at=T0),
        Notification.objects.create(recipient=lead, kind="something_else", title="自由文本", body="", key="c",
                                    created_at=T0),
    ]

    # when the data migration runs
    from django.apps import apps as live_apps

    backfill.forwards(live_apps, None)

    # then each reads in the reader's language
    survey, compensation, other = (Notification.objects.get(pk=row.pk) for row in rows)
    assert survey.title_message["code"] == "notice.survey_reopened"
    assert compensation.title_message == {
        "code": "notice.compensation_pending", "params": {"number": "KS-2026-000008", "amount": "9,000.00"}}
    with translation.override("en"):
        assert survey.title_text == "KS-2026-000007 reopened: the customer is not satisfied"
        assert survey.body_text == "Satisfaction 1/5, problem solved: no. 太慢了"
        assert compensation.body_text == "退款\n(flagged for compensation pre-review)"
        assert other.title_text == "自由文本"
    with translation.override("zh-hans"):
        assert compensation.title_text.startswith("KS-2026-000008")
        assert "9,000.00" in compensation.title_text and "compensation" not in compensation.title_text


def test_many_notices_written_at_once_are_told_as_one_by_one_would(settings, lead):
    """The sweeps' bulk path (notify_many): each notice once per person and key, the decay holding
    across the batch and against what was sent before, deliveries by each person's channels."""
    from kesu.notifications.actions import notice_of, notify_many

    settings.KESU_SMS_WEBHOOK_URL = ""
    handler = make_user(Role.HANDLER, "h-bulk", email="hb@centre.example")
    title = Message("notification.text", text="投诉超时")
    _notify([handler], key="sla:1:x")  # told before, within the decay: not again

    def notice(people, key, now=T0 + MINUTE):
        return notice_of(recipients=people, kind="sla_breached", title=title, key=key, now=now)

    created = notify_many([
        notice([handler, lead], "sla:1:x"),   # the handler was told: only the lead
        notice([handler, None], "sla:2:x"),   # new key: the handler
        notice([handler], "sla:2:x"),         # the same key again in the batch: skipped
        notice([lead, lead], "sla:3:x"),      # a person named twice: once
    ])

    assert sorted((n.recipient.username, n.key) for n in created) == [
        ("h-bulk", "sla:2:x"), (lead.username, "sla:1:x"), (lead.username, "sla:3:x")]
    assert Notification.objects.filter(recipient=handler).count() == 2
    assert _channels(handler) == ["email", "email"]
    assert notify_many([notice([handler], "sla:2:x")]) == []  # still within the decay
    later = T0 + timedelta(minutes=settings.KESU_NOTIFY_DECAY_MINUTES + 5)
    assert len(notify_many([notice([handler], "sla:2:x", now=later)])) == 1
