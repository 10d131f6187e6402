from __future__ import annotations

import itertools
from datetime import timedelta

import pytest

from kesu.customers.actions import CustomerHandles
from kesu.incidents.actions import incident_declare
from tests.factories import T0, make_complaint, make_token

HOUR = timedelta(hours=1)
_phones = itertools.count(13900000000)

ANNOUNCEMENT = {"zh-hans": "南山区光缆被挖断，宽带中断，正在抢修。", "en": "A fibre cut in Nanshan: broadband is down, repairs are under way."}
SCOPE = {"regions": ["广东省深圳市南山区"], "products": [], "categories": [], "tags": [],
         "keywords": ["宽带", "断网", "上不了网"]}


@pytest.fixture
def manager_client(client, manager):
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {make_token(manager)}"
    return client


def declare(by, *, now=T0, scope=None, expected=None, **kwargs):
    return incident_declare(
        by=by, now=now, title="南山区宽带中断", kind="outage", announcement=ANNOUNCEMENT, scope=scope or SCOPE,
        starts_at=now - HOUR, expected_recovery_at=expected or now + 8 * HOUR, **kwargs,
    ).incident


def broadband(*, now=T0, region="广东省深圳市南山区", channel="web", tier="", email="", amount=None,
              content="家里宽带从中午开始断网，一直上不了网", product=""):
    customer = CustomerHandles(name="李雷", phone=str(next(_phones)), email=email, region=region, tier=tier)
    return make_complaint(now=now, channel=channel, content=content, region=region, customer=customer,
                          amount_claimed=amount, product=product)


@pytest.fixture
def routed(group, handler):
    """Every complaint is routed to the front desk (so a complaint that waits on an incident shows it
    skipped the queue)."""
    from kesu.routing.actions import rule_create

    rule_create(by=None, now=T0 - 10 * HOUR, name="everything to the desk",
                conditions=[{"field": "channel", "op": "in", "value": ["web", "email", "phone", "sms", "chat"]}],
                actions={"group": group.code})
    return group
