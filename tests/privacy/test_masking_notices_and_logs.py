"""Masking by role in notifications and in log lines (issue 15 §1): a notice about a complaint shows its
recipient the customer's phone, e-mail and name only when they may work on that complaint; kesu's log
lines never carry a phone number, e-mail address or ID number."""

from __future__ import annotations

import logging

from django.test import Client

from kesu.core.messages import Message
from kesu.core.roles import Role
from kesu.customers.actions import CustomerHandles
from kesu.notifications.actions import notify
from kesu.privacy.logfilter import PersonalDataFilter
from tests.api.builders import client_for, complaint_in
from tests.factories import T0, make_group, make_user

NAME, PHONE, EMAIL = "诸葛明亮", "13612345678", "zhuge@example.com"
SECRETS = (NAME, PHONE, EMAIL)


def _notice_to(users, complaint):
    return notify(
        recipients=users,
        kind="escalated",
        complaint=complaint,
        key=f"x:{complaint.pk}",
        now=T0,
        title=Message("notification.text", text=f"{NAME}来电 {PHONE}"),
        body=Message("notification.text", text=f"回复发到 {EMAIL}"),
    )


def test_a_notice_is_masked_for_a_reader_who_may_not_see_the_customer(handler):
    complaint = complaint_in(
        "in_progress", handler=handler, customer=CustomerHandles(name=NAME, phone=PHONE, email=EMAIL)
    )
    outsider = make_user(Role.HANDLER, "outsider", groups=[make_group("elsewhere")])
    analyst = make_user(Role.ANALYST, "ana")
    _notice_to([handler, outsider, analyst], complaint)

    for reader in (outsider, analyst):
        body = client_for(reader).get("/api/v1/notifications").content.decode()
        for secret in SECRETS:
            assert secret not in body, (reader.username, secret)
        assert "136****5678" in body and "z***@example.com" in body and "诸***" in body
        web = Client()
        web.force_login(reader)
        response = web.get("/notifications/")
        assert response.status_code == 200
        page = response.content.decode()
        assert "136****5678" in page
        for secret in SECRETS:
            assert secret not in page, (reader.username, secret)
    own = client_for(handler).get("/api/v1/notifications").json()["items"][0]
    assert PHONE in own["title"] and NAME in own["title"] and EMAIL in own["body"]


def _record(message: str, *args) -> logging.LogRecord:
    return logging.LogRecord("kesu.test", logging.WARNING, __file__, 1, message, args, None)


def test_log_lines_mask_phones_emails_and_id_numbers():
    keep = PersonalDataFilter()
    record = _record("customer %s wrote from %s, id %s", "13800138000", "zhang@qq.com", "11010519491231002X")

    assert keep.filter(record) is True
    assert record.getMessage() == "customer 138****8000 wrote from z***@qq.com, id 110105********002X"
    plain = _record("rollup took %s ms for %d rows", "12.5", 300)
    keep.filter(plain)
    assert plain.getMessage() == "rollup took 12.5 ms for 300 rows"


def test_the_configured_console_handler_masks_tracebacks_too(capsys):
    from django.conf import settings

    assert "personal_data" in settings.LOGGING["handlers"]["console"]["filters"]
    handler = logging.StreamHandler()
    handler.addFilter(PersonalDataFilter())
    log = logging.getLogger("kesu.test.masking")
    log.addHandler(handler)
    log.propagate = False  # only this handler: the root one may hold an earlier test's closed stream
    try:
        try:
            raise ValueError("bad phone 13912345678")
        except ValueError:
            log.exception("import of %s failed", "li@example.com")
    finally:
        log.removeHandler(handler)
        log.propagate = True
    err = capsys.readouterr().err
    assert "13912345678" not in err and "li@example.com" not in err
    assert "139****5678" in err and "l***@example.com" in err
