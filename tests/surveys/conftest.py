from __future__ import annotations

from datetime import timedelta

from kesu.customers.actions import CustomerHandles
from kesu.pipeline import transitions as actions
from tests.channels.conftest import smtp  # noqa: F401  (the real SMTP server fixture)
from tests.factories import T0, make_complaint

CUSTOMER_EMAIL = "zhang.wei@example.cn"




def closed(handler, *, at=T0, channel: str = "phone", **fields):
    """A complaint walked through assign → start → resolve (by ``handler``) → close, an hour apart."""
    if channel == "email":
        fields.setdefault("customer", CustomerHandles(name="张伟", email=CUSTOMER_EMAIL))
    complaint = make_complaint(now=at, channel=channel, **fields)
    actions.complaint_assign(complaint=complaint, assignee=handler, by=None, now=at + timedelta(minutes=10))
    actions.complaint_start(complaint=complaint, by=handler, now=at + timedelta(minutes=20))
    actions.complaint_resolve(complaint=complaint, by=handler, now=at + timedelta(hours=1), resolution="已退款")
    return actions.complaint_close(complaint=complaint, by=handler, now=at + timedelta(hours=2))


CLOSED_AT = T0 + timedelta(hours=2)
