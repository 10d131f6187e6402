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


def test_staffing_per_half_hour_and_per_channel(demo):
    import re

    from kesu.workforce.erlang import staffing_erlang_c
    from kesu.workforce.page_data import staffing_week

    half_hours = staffing_week(now=NOW, staffing=staffing_erlang_c)
    assert len(half_hours.slots) == 48 and half_hours.slots[:2] == ["00:00", "00:30"]
    phone = staffing_week(now=NOW, staffing=staffing_erlang_c, channel="phone")
    assert 0 < sum(map(sum, phone.needed)) < sum(map(sum, half_hours.needed))  # a part of the volume

    manager = _client(Role.MANAGER)
    page = manager.get("/operations/staffing/", {"channel": "phone"}).content.decode()
    header = re.search(r"<thead>(.*?)</thead>", page.split("staffing-heatmap", 1)[1], re.S).group(1)
    assert header.count("<th>") == 49  # the day column and 48 half-hours
    assert '<option value="phone" selected>' in page
    hourly = manager.get("/operations/staffing/", {"interval": "60"}).content.decode()
    assert re.search(r"<thead>(.*?)</thead>", hourly.split("staffing-heatmap", 1)[1], re.S).group(1).count(
        "<th>") == 25
    assert manager.get("/operations/staffing/", {"channel": "fax"}).status_code == 400
    assert manager.get("/operations/staffing/", {"interval": "7"}).status_code == 400
    xlsx = manager.get("/operations/staffing/", {"format": "xlsx", "channel": "chat"})
    assert xlsx.content[:2] == b"PK"


def test_the_staffing_page_reads_the_days_stored_needs_which_the_forecast_job_computes(demo, time_machine,
                                                                                       monkeypatch):
    from datetime import timedelta

    from kesu.core.models import User
    from kesu.workforce import actions
    from kesu.workforce.erlang import staffing_erlang_c
    from kesu.workforce.models import StoredStaffing
    from kesu.workforce.page_data import staffing_week
    from kesu.workforce.tasks import forecast_nightly

    monkeypatch.setattr(actions, "forecast_scopes", lambda now: [("", ""), ("channel:phone", ""),
                                                                   ("category:x", "")])  # the categories: slow
    monkeypatch.setattr(actions, "forecast_refresh", lambda now, scope: None)
    forecast_nightly.call_local()
    stored = {(s.channel, s.interval_minutes): s for s in StoredStaffing.objects.all()}
    assert set(stored) == {("", 30), ("", 60), ("phone", 30), ("phone", 60)}  # not for a category
    assert stored[("phone", 30)].payload["needed"] == staffing_week(
        now=NOW, staffing=staffing_erlang_c, channel="phone").needed

    stored[("", 30)].payload["needed"][0][0] = 987  # a figure no forecast gives: the page shows what is stored
    stored[("", 30)].save()
    manager = _client(Role.MANAGER)
    assert 'title="987 / ' in manager.get("/operations/staffing/").content.decode()

    time_machine.move_to(NOW + timedelta(days=1), tick=False)  # a new day: computed again on the first request
    manager.force_login(User.objects.get(username=f"u-{Role.MANAGER}"))  # the idle session ended
    page = manager.get("/operations/staffing/").content.decode()
    assert "staffing-heatmap" in page and 'title="987 / ' not in page
    assert set(StoredStaffing.objects.values_list("day", flat=True)) == {(NOW + timedelta(days=1)).date()}
