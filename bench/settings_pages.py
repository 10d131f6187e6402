"""Server time of the settings pages at a large configuration: 200 routing rules, 500 recorded changes
of one rule. Run as a test (it needs the test database):

    PYTHONPATH=src python -m pytest bench/settings_pages.py -q -s -p no:randomly
"""

import statistics
import time
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from tests.factories import T0, make_user

from kesu.core.roles import Role
from kesu.routing.models import RoutingRule
from kesu.settings_ui.models import SettingChange

pytestmark = pytest.mark.django_db


def test_bench(client):
    boss = make_user(Role.MANAGER, "boss")
    client.force_login(boss)
    RoutingRule.objects.bulk_create(
        [
            RoutingRule(
                name=f"规则 {i}",
                position=i,
                conditions=[{"field": "tier", "op": "is", "value": "vip"}],
                actions={"group": "x"},
                updated_at=T0,
            )
            for i in range(200)
        ]
    )
    rule = RoutingRule.objects.first()
    SettingChange.objects.bulk_create(
        [
            SettingChange(
                kind="routing-rules",
                object_id=rule.pk,
                name="r",
                action="changed",
                by=boss,
                at=T0 + timedelta(minutes=i),
                before={"position": i, "actions": {"group": "a"}},
                after={"position": i + 1, "actions": {"group": "b"}},
            )
            for i in range(500)
        ]
    )
    for url in (
        "/settings/",
        "/settings/routing-rules/",
        f"/settings/routing-rules/{rule.pk}/",
        f"/settings/routing-rules/{rule.pk}/history/",
    ):
        client.get(url)
        times = []
        for _ in range(15):
            t = time.perf_counter()
            r = client.get(url)
            times.append((time.perf_counter() - t) * 1000)
            assert r.status_code == 200
        with CaptureQueriesContext(connection) as q:
            client.get(url)
        print(
            f"BENCH {url} median {statistics.median(times):.1f} ms p95 {sorted(times)[13]:.1f} ms queries {len(q)}"
        )
