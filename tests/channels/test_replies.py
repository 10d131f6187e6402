"""Replies from the desk go out by SMTP (a real aiosmtpd server) after the commit, answer the customer's
last message, carry the complaint number, and are retried when the mail server fails."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.utils import translation

from kesu.channels.actions import customer_message_landed, mailbox_poll
from kesu.channels.models import OutboundMessage
from kesu.channels.replies import MAX_SEND_ATTEMPTS, complaint_reply_send, outbound_attempt, outbound_send_due
from kesu.complaints.models import Complaint, EventKind
from kesu.core.errors import FieldError, InvalidTransition, NotPermitted
from kesu.core.roles import Role
from kesu.customers.actions import CustomerHandles
from kesu.notifications.models import Notification
from kesu.pipeline.transitions import complaint_assign, complaint_merge, complaint_pend, complaint_start
from tests.channels.conftest import use_smtp
from tests.channels.messages import CUSTOMER, mail, sender
from tests.channels.servers import SmtpServer, free_port
from tests.factories import T0, make_complaint, make_user

pytestmark = pytest.mark.django_db

LATER = T0 + timedelta(minutes=5)




@pytest.fixture
def email_complaint(dovecot, mailbox):
    """A complaint taken in from the customer's e-mail ``<first@example.cn>``."""
    dovecot.append(mailbox.username, mail(msgid="<first@example.cn>", subject="快递延误投诉",
                                          references="<older@example.cn>"))
    assert mailbox_poll(mailbox=mailbox, now=T0).outcomes["created"] == 1
    return Complaint.objects.get()


def test_a_reply_reaches_the_mail_server_threaded_to_the_customers_message(
    email_complaint, handler, smtp, jobs_run_in_process, django_capture_on_commit_callbacks
):
    # when the handler replies
    with time_machine.travel(LATER, tick=False), django_capture_on_commit_callbacks(execute=True):
        reply = complaint_reply_send(complaint=email_complaint, by=handler, text="您好，已为您催件，明天送达。", now=LATER)

    # then the mail server got one message, to the customer, answering their message
    (sent,) = smtp.messages
    number = email_complaint.number
    assert sent["Subject"] == f"Re: [{number}] 快递延误投诉"
    assert smtp.envelopes == [("support@centre.example", [CUSTOMER])]
    assert sent["In-Reply-To"] == "<first@example.cn>"
    assert sent["References"].split() == ["<older@example.cn>", "<first@example.cn>"]
    assert sent["Message-ID"] == f"<{reply.outbound.message_id}>"
    assert reply.outbound.message_id.endswith("@centre.example")
    assert sent.get_content_charset() == "utf-8" and sent.get_content().strip() == "您好，已为您催件，明天送达。"
    # and it is on the timeline and recorded as sent
    event = email_complaint.events.get(kind=EventKind.REPLY_SENT)
    assert (event.actor, event.data["text"], event.data["to"], event.data["sent"]) == (
        handler, "您好，已为您催件，明天送达。", CUSTOMER, True)
    reply.outbound.refresh_from_db()
    assert (reply.outbound.state, reply.outbound.sent_at, reply.outbound.attempts) == ("sent", LATER, 1)


def test_nothing_is_sent_before_the_commit(email_complaint, handler, smtp, jobs_run_in_process,
                                           django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        complaint_reply_send(complaint=email_complaint, by=handler, text="稍后回复", now=LATER)

    assert smtp.messages == [] and len(callbacks) == 1  # the transaction might still roll back


def test_the_customers_answer_to_our_reply_lands_on_the_complaint_and_resumes_it(
    dovecot, mailbox, email_complaint, handler, smtp, jobs_run_in_process, django_capture_on_commit_callbacks
):
    # given the complaint waits for the customer after our e-mail
    complaint_assign(complaint=email_complaint, assignee=handler, by=None, now=LATER)
    complaint_start(complaint=email_complaint, by=handler, now=LATER)
    with time_machine.travel(LATER, tick=False), django_capture_on_commit_callbacks(execute=True):
        reply = complaint_reply_send(complaint=email_complaint, by=handler, text="请提供订单号。", now=LATER)
    complaint_pend(complaint=email_complaint, by=handler, now=LATER, reason="等待订单号")

    # when the customer answers what they received (their mail program keeps the thread, not the subject)
    (ours,) = smtp.messages
    dovecot.append(mailbox.username, mail(subject="Re: 快递", body="订单号 998877\n\nOn Mon wrote:\n> 请提供订单号。",
                                          in_reply_to=ours["Message-ID"],
                                          references=f"{ours['References']} {ours['Message-ID']}"))
    mailbox_poll(mailbox=mailbox, now=LATER + timedelta(hours=2))

    # then it is a message on the same complaint, which runs again
    email_complaint.refresh_from_db()
    assert email_complaint.status == "in_progress"
    message = email_complaint.events.filter(kind=EventKind.CUSTOMER_MESSAGE).last()
    assert (message.data["text"], message.data["threaded_by"]) == ("订单号 998877", "in_reply_to")
    assert reply.outbound.message_id in ours["Message-ID"]
    assert Complaint.objects.count() == 1


def test_a_failing_mail_server_is_retried_with_back_off(email_complaint, handler, settings):
    with SmtpServer(fail_next=2) as flaky:
        use_smtp(settings, flaky.port)
        reply = complaint_reply_send(complaint=email_complaint, by=handler, text="您好", now=LATER)
        outbound_id = reply.outbound.pk

        # the first attempt meets a temporary failure: kept, with the error, tried again a minute later
        assert outbound_attempt(outbound_id=outbound_id, now=LATER) == "pending"
        failed_once = OutboundMessage.objects.get(pk=outbound_id)
        assert "451" in failed_once.last_error and failed_once.next_attempt_at == LATER + timedelta(minutes=1)
        assert outbound_send_due(now=LATER + timedelta(seconds=30)) == {}  # not due yet

        # the second fails again (two minutes now); the third goes through
        assert outbound_send_due(now=LATER + timedelta(minutes=1)) == {"pending": 1}
        assert OutboundMessage.objects.get(pk=outbound_id).next_attempt_at == LATER + timedelta(minutes=3)
        assert outbound_send_due(now=LATER + timedelta(minutes=3)) == {"sent": 1}

    sent = OutboundMessage.objects.get(pk=outbound_id)
    assert (sent.state, sent.attempts, sent.sent_at) == ("sent", 3, LATER + timedelta(minutes=3))
    assert flaky.attempts == 3 and len(flaky.messages) == 1


def test_a_reply_that_never_goes_is_failed_and_its_author_told(email_complaint, handler, settings):
    use_smtp(settings, free_port())  # nobody listens: connection refused
    reply = complaint_reply_send(complaint=email_complaint, by=handler, text="您好", now=LATER)

    now = LATER
    for _attempt in range(MAX_SEND_ATTEMPTS):
        outbound_send_due(now=now)
        now += timedelta(hours=1)

    failed = OutboundMessage.objects.get(pk=reply.outbound.pk)
    assert (failed.state, failed.attempts) == ("failed", MAX_SEND_ATTEMPTS)
    assert "cannot be reached" in failed.last_error
    notice = Notification.objects.get(recipient=handler, kind="reply_failed")
    assert email_complaint.number in notice.title
    assert outbound_send_due(now=now + timedelta(days=1)) == {}  # given up: not tried again


def test_a_reply_on_a_complaint_from_another_channel_is_recorded_and_said_not_sent(handler, smtp):
    complaint = make_complaint(channel="phone")

    reply = complaint_reply_send(complaint=complaint, by=handler, text="已电话告知", now=LATER)

    assert reply.outbound is None and "not sent by kesu" in reply.note
    event = complaint.events.get(kind=EventKind.REPLY_SENT)
    assert (event.data["sent"], event.data["channel"], event.data["text"]) == (False, "phone", "已电话告知")
    assert not OutboundMessage.objects.exists() and smtp.messages == []


def test_an_email_complaint_without_inbound_mail_is_answered_at_the_customers_address(handler, smtp):
    complaint = make_complaint(channel="email", subject="网点投诉",
                               customer=CustomerHandles(name="王伟", email="Wang.Wei@Example.cn"))

    reply = complaint_reply_send(complaint=complaint, by=handler, text="您好", now=LATER)

    assert (reply.outbound.to, reply.outbound.in_reply_to, reply.outbound.references) == ("wang.wei@example.cn", "", [])
    assert reply.outbound.subject == f"Re: [{complaint.number}] 网点投诉"
    assert reply.outbound.from_address == "kesu@centre.example"


def test_a_reply_is_refused_with_the_field_named(handler, email_complaint):
    with pytest.raises(FieldError) as empty:
        complaint_reply_send(complaint=email_complaint, by=handler, text="  ", now=LATER)
    assert [(e.field, e.code) for e in empty.value.field_errors] == [("text", "field.required")]
    with pytest.raises(FieldError) as long:
        complaint_reply_send(complaint=email_complaint, by=handler, text="长" * 20_001, now=LATER)
    assert long.value.field == "text"
    no_address = make_complaint(channel="email", customer=CustomerHandles(name="无邮箱", phone="13900000000"))
    with pytest.raises(FieldError) as nowhere:
        complaint_reply_send(complaint=no_address, by=handler, text="您好", now=LATER)
    assert nowhere.value.field == "to"
    with pytest.raises(NotPermitted):
        complaint_reply_send(complaint=email_complaint, by=make_user(Role.ANALYST), text="您好", now=LATER)
    assert not OutboundMessage.objects.exists()


def test_a_merged_duplicate_is_answered_on_its_primary(handler, email_complaint, manager):
    primary = make_complaint(channel="email", customer=CustomerHandles(name="王伟", email=CUSTOMER))
    complaint_merge(duplicate=email_complaint, primary=primary, by=manager, now=LATER)

    with pytest.raises(InvalidTransition) as error:
        complaint_reply_send(complaint=email_complaint, by=handler, text="您好", now=LATER)
    assert primary.number in str(error.value)


def test_a_stranger_writing_with_the_number_in_the_subject_opens_their_own_complaint_and_gets_no_reply(
    dovecot, mailbox, email_complaint, handler, smtp, jobs_run_in_process, django_capture_on_commit_callbacks
):
    # a stranger who knows the complaint number writes "Re: [number]" from their own address
    number = email_complaint.number
    dovecot.append(mailbox.username, mail(from_=sender("陌生人", "mallory@evil.example"), subject=f"Re: [{number}] 快递延误投诉",
                                          body="我换了邮箱，请回复到这里。"))
    assert mailbox_poll(mailbox=mailbox, now=LATER).outcomes["created"] == 1

    # then it is their own new complaint, not a message on the customer's
    assert list(email_complaint.events.filter(kind=EventKind.CUSTOMER_MESSAGE).values_list("data__from", flat=True)) \
        == [CUSTOMER]
    theirs = Complaint.objects.exclude(pk=email_complaint.pk).get()
    assert theirs.customer_id != email_complaint.customer_id
    # and the handler's reply on the customer's complaint goes to the customer only
    with time_machine.travel(LATER, tick=False), django_capture_on_commit_callbacks(execute=True):
        complaint_reply_send(complaint=email_complaint, by=handler, text="您好，已为您催件。", now=LATER)
    assert smtp.envelopes == [("support@centre.example", [CUSTOMER])]


def test_a_stranger_on_the_thread_never_receives_the_reply(
    dovecot, mailbox, email_complaint, handler, smtp, jobs_run_in_process, django_capture_on_commit_callbacks
):
    # someone the customer forwarded our e-mail to answers it (the thread is ours, the sender is not the customer)
    with time_machine.travel(LATER, tick=False), django_capture_on_commit_callbacks(execute=True):
        complaint_reply_send(complaint=email_complaint, by=handler, text="请提供订单号。", now=LATER)
    (ours,) = smtp.messages
    dovecot.append(mailbox.username, mail(from_=sender("同事", "colleague@other.example"), subject="Re: 快递",
                                          body="我来跟进", in_reply_to=ours["Message-ID"]))
    mailbox_poll(mailbox=mailbox, now=LATER + timedelta(hours=1))
    landed = email_complaint.events.filter(kind=EventKind.CUSTOMER_MESSAGE).last()
    assert (landed.data["from"], landed.data["known_sender"]) == ("colleague@other.example", False)

    later = LATER + timedelta(hours=2)
    with time_machine.travel(later, tick=False), django_capture_on_commit_callbacks(execute=True):
        reply = complaint_reply_send(complaint=email_complaint, by=handler, text="已处理。", now=later)

    assert reply.outbound.to == CUSTOMER
    assert smtp.envelopes[-1] == ("support@centre.example", [CUSTOMER])
    assert reply.outbound.in_reply_to == "first@example.cn"  # answering the customer's own latest message


def test_the_handlers_notice_of_a_customer_message_is_in_the_desks_language(handler, settings):
    settings.LANGUAGE_CODE = "zh-hans"
    complaint = complaint_assign(complaint=make_complaint(channel="email"), assignee=handler, by=None, now=LATER)

    with translation.override("en"):  # whatever language the request or job that took the message in ran in
        customer_message_landed(complaint=complaint, text="还是没到", key="customer_message:t1",
                                resume_note="", now=LATER)

    assert Notification.objects.get(recipient=handler, kind="customer_message").title == f"{complaint.number}：客户来信"


def test_the_reply_sweep_sends_many_with_the_queries_of_one(email_complaint, handler, smtp):
    # given one reply due, then four more
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    complaint_reply_send(complaint=email_complaint, by=handler, text="您好，第一次答复", now=LATER)
    with CaptureQueriesContext(connection) as for_one:
        assert outbound_send_due(now=LATER) == {"sent": 1}
    for n in range(4):
        complaint_reply_send(complaint=email_complaint, by=handler, text=f"您好，第{n + 2}次答复", now=LATER)
    # when the sweep sends them
    with CaptureQueriesContext(connection) as for_four:
        assert outbound_send_due(now=LATER) == {"sent": 4}
    # then each reached the mail server once, with the queries the one cost
    assert len(smtp.messages) == 5
    assert len(for_four.captured_queries) == len(for_one.captured_queries)
    assert set(OutboundMessage.objects.values_list("state", "attempts")) == {("sent", 1)}
