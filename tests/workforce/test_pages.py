from datetime import UTC, datetime

import pytest
from django.test import Client

from kesu.core.roles import Role
from kesu.demo.generator import demo_generate
from kesu.workforce.risk_actions import risk_train
from tests.factories import make_user

NOW = datetime(2026, 3, 2, 4, 0, tzinfo=UTC)


@pytest.fixture
def demo(db, time_machine):
    time_machine.move_to(NOW, tick=False)
    return demo_generate(complaints=1200, seed=5, now=NOW)


def _client(role):
    client = Client()
    client.force_login(make_user(role, f"u-{role}"))
    return client


def test_the_operations_pages_for_the_management_layer_and_not_for_handlers(demo):
    risk_train(now=NOW)
    manager = _client(Role.MANAGER)
    risk = manager.get("/operations/risk/")
    assert risk.status_code == 200 and "risk-score" in risk.content.decode()
    process = manager.get("/operations/process/")
    assert process.status_code == 200 and "process-edges" in process.content.decode()
    staffing = manager.get("/operations/staffing/")
    assert staffing.status_code == 200 and "staffing-heatmap" in staffing.content.decode()
    xlsx = manager.get("/operations/staffing/?format=xlsx")
    assert xlsx.content[:2] == b"PK"
    assert _client(Role.HANDLER).get("/operations/risk/").status_code == 403
    assert _client(Role.ANALYST).get("/operations/process/").status_code == 200
