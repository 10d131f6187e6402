"""`kesu channels poll` and `kesu channels failed`, in-process against the test database and dovecot."""

from __future__ import annotations

import pytest

from kesu.cli import main
from kesu.complaints.models import Complaint
from tests.channels.conftest import mailbox_make
from tests.channels.messages import mail

pytestmark = pytest.mark.django_db


def test_poll_prints_one_line_per_mailbox_and_fails_when_one_could_not_be_read(dovecot, mailbox, capsys):
    mailbox_make(dovecot, "ghost", name="refused")
    dovecot.append(mailbox.username, mail())
    dovecot.append(mailbox.username, mail(headers={"Auto-Submitted": "auto-replied"}))

    code = main(["channels", "poll"])

    out = capsys.readouterr().out.splitlines()
    assert code == 1  # one mailbox could not be read
    assert out[0].startswith("refused: error: login as ghost refused")
    assert out[1] == ("support: 2 new message(s): 1 complaint(s) created, 0 added to complaints, "
                      "1 automatic ignored, 0 duplicate(s) ignored, 0 failed")
    assert Complaint.objects.count() == 1

    assert main(["channels", "poll", "--mailbox", "support"]) == 0
    assert capsys.readouterr().out.startswith("support: 0 new message(s)")


def test_poll_of_an_unknown_mailbox_is_refused(db, capsys):
    assert main(["channels", "poll", "--mailbox", "nope"]) == 1
    assert "--mailbox: 不存在名为 nope 的邮箱。" in capsys.readouterr().err


def test_failed_lists_the_failed_intakes_with_their_reason(dovecot, mailbox, capsys):
    assert main(["channels", "failed"]) == 0
    assert capsys.readouterr().out.strip() == "no failed intakes"
    dovecot.append(mailbox.username, b"Subject: lost sender\r\n\r\nwho am I")
    main(["channels", "poll"])
    capsys.readouterr()

    assert main(["channels", "failed"]) == 0

    (line,) = capsys.readouterr().out.splitlines()
    assert "support UID 1" in line and "'lost sender'" in line
    assert "the message has no sender address (From header)" in line and "[kept: mail/failed/" in line
