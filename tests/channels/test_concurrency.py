"""Concurrent polls on PostgreSQL: the same message delivered to several mailboxes polled at once, and
the same mailbox polled twice at once, still make one complaint per message.

Without the partial unique constraint on Message-ID, the mailboxes polled together each create a
complaint (their duplicate checks run before any of them commits); without the poll lease and the
(mailbox, UIDVALIDITY, UID) constraint, two polls of one mailbox take its messages in twice.
"""

from __future__ import annotations

import uuid

import pytest

from kesu.channels.actions import mailbox_poll
from kesu.channels.models import InboundMessage
from kesu.complaints.models import Complaint
from tests.channels.conftest import PASSWORD_ENV, mailbox_make
from tests.channels.messages import mail
from tests.concurrency import postgresql_only, together
from tests.factories import T0

pytestmark = [postgresql_only, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_one_message_in_four_mailboxes_polled_at_once_is_one_complaint(dovecot, monkeypatch):
    monkeypatch.setenv(PASSWORD_ENV, dovecot.PASSWORD)
    boxes = [mailbox_make(dovecot, dovecot.user_add(f"cc-{n}-{uuid.uuid4().hex[:8]}"), name=f"cc{n}") for n in range(4)]
    raw = mail(msgid="<to-everyone@example.cn>")
    for box in boxes:
        dovecot.append(box.username, raw)

    _, raised = together([lambda box=box: mailbox_poll(mailbox=box, now=T0) for box in boxes])

    assert raised == []
    assert Complaint.objects.count() == 1
    assert sorted(InboundMessage.objects.values_list("outcome", flat=True)) == [
        "created", "ignored_duplicate", "ignored_duplicate", "ignored_duplicate"]
    assert set(InboundMessage.objects.values_list("complaint_id", flat=True)) == {Complaint.objects.get().pk}


def test_one_mailbox_polled_twice_at_once_takes_each_message_in_once(dovecot, monkeypatch):
    monkeypatch.setenv(PASSWORD_ENV, dovecot.PASSWORD)
    box = mailbox_make(dovecot, dovecot.user_add(f"twice-{uuid.uuid4().hex[:8]}"), name="twice")
    for n in range(5):
        dovecot.append(box.username, mail(body=f"第{n}封"))

    results: list = []
    _, raised = together([lambda: results.append(mailbox_poll(mailbox=box, now=T0)) for _ in range(3)])

    assert raised == []
    assert Complaint.objects.count() == 5 and InboundMessage.objects.count() == 5
    assert sum(r.fetched for r in results) == 5
