"""The KPI contract: the CLI and the API print every KPI with value, target, state and counts;
targets set by the decision layer change the state; owners are told once per period."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.test import Client

from kesu.analytics.actions import kpi_alerts_check, kpi_target_set, rollup_update
from kesu.analytics.kpis import KPI_NAMES, kpi_state
from kesu.cli import main
from kesu.core.models import Group
from kesu.core.roles import Role
from kesu.notifications.models import Notification
from tests.factories import make_token, make_user

pytestmark = pytest.mark.django_db
KEYS = {"value", "target", "state", "numerator", "denominator"}


def test_cli_prints_every_kpi_as_json(demo_year, capsys):
    rollup_update(now=demo_year)
    capsys.readouterr()

    assert main(["analytics", "kpis", "--from", "2026-01-01", "--to", "2026-11-30", "--json"]) == 0

    kpis = json.loads(capsys.readouterr().out)
    assert set(kpis) == set(KPI_NAMES) == {
        "first_response_timeliness", "first_contact_resolution", "closure_within_5_working_days", "repeat_rate",
        "satisfaction", "survey_response_rate", "nps", "reopen_rate"}
    assert all(set(kpi) == KEYS for kpi in kpis.values())
    assert kpis["satisfaction"]["denominator"] > 0 and 1 <= kpis["satisfaction"]["value"] <= 5
    assert kpis["first_contact_resolution"]["state"] == "no_target"


def test_cli_group_scope_and_bad_input(demo_year, capsys):
    rollup_update(now=demo_year)
    group = Group.objects.filter(complaints__isnull=False).distinct().first()
    capsys.readouterr()
    assert main(["analytics", "kpis", "--from", "2026-01-01", "--to", "2026-11-30", "--group", group.code, "--json"]) == 0
    scoped = json.loads(capsys.readouterr().out)
    main(["analytics", "kpis", "--from", "2026-01-01", "--to", "2026-11-30", "--json"])
    whole = json.loads(capsys.readouterr().out)
    assert 0 < scoped["repeat_rate"]["denominator"] < whole["repeat_rate"]["denominator"]

    assert main(["analytics", "kpis", "--from", "2026-01-01", "--to", "2026-11-30", "--group", "nope"]) == 1
    assert "group" in capsys.readouterr().err
    assert main(["analytics", "kpis", "--from", "2026-05-01", "--to", "2026-04-01"]) == 1
    assert "to" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exit_:
        main(["analytics", "kpis", "--from", "May", "--to", "2026-04-01"])
    assert exit_.value.code == 2


def test_api_gives_the_same_kpis_and_a_target_changes_the_state(demo_year, capsys):
    rollup_update(now=demo_year)
    analyst, decision = make_user(Role.ANALYST), make_user(Role.DECISION)
    read = {"HTTP_AUTHORIZATION": f"Bearer {make_token(analyst)}"}
    write = {"HTTP_AUTHORIZATION": f"Bearer {make_token(decision)}"}
    client = Client()
    url = "/api/v1/analytics/kpis?from=2026-01-01&to=2026-11-30"

    reply = client.get(url, **read)
    assert reply.status_code == 200, reply.content
    body = reply.json()
    capsys.readouterr()
    main(["analytics", "kpis", "--from", "2026-01-01", "--to", "2026-11-30", "--json"])
    assert body == json.loads(capsys.readouterr().out)
    fcr = body["first_contact_resolution"]["value"]

    # the analyst may not set targets; the decision layer may
    target = {"target": 0.99, "amber": 0.97, "red": round(fcr - 0.01, 4)}
    assert client.put("/api/v1/analytics/targets/first_contact_resolution", target,
                      content_type="application/json", **read).status_code == 403
    reply = client.put("/api/v1/analytics/targets/first_contact_resolution", target,
                       content_type="application/json", **write)
    assert reply.status_code == 200, reply.content
    after = client.get(url, **read).json()["first_contact_resolution"]
    assert (after["target"], after["state"]) == (0.99, "amber")

    bad = client.put("/api/v1/analytics/targets/first_contact_resolution",
                     {"target": 0.8, "amber": 0.9, "red": 0.7}, content_type="application/json", **write)
    assert bad.status_code == 422 and bad.json()["detail"][0]["code"] == "analytics.thresholds_order"
    unknown = client.put("/api/v1/analytics/targets/speed", target, content_type="application/json", **write)
    assert unknown.status_code == 422 and unknown.json()["detail"][0]["params"]["kpi"] == "speed"
    assert client.get("/api/v1/analytics/kpis?from=soon", **read).status_code == 422


@pytest.mark.parametrize(("value", "higher", "state"), [
    (0.90, True, "ok"), (0.85, True, "ok"), (0.84, True, "ok"), (0.82, True, "amber"), (0.80, True, "amber"),
    (0.79, True, "red"),
    (0.04, False, "ok"), (0.06, False, "amber"), (0.10, False, "red"),
])
def test_state_against_target_and_thresholds(value, higher, state):
    target = {"target": 0.85, "amber": 0.82, "red": 0.79} if higher else {"target": 0.05, "amber": 0.06, "red": 0.09}
    assert kpi_state(value, target=target, higher_is_better=higher) == state
    assert kpi_state(None, target=None, higher_is_better=higher) == "no_target"


def test_crossing_a_threshold_tells_the_owners_once_per_period(demo_year):
    rollup_update(now=demo_year)
    owner, other = make_user(Role.MANAGER), make_user(Role.DECISION)
    kpi_target_set(kpi="reopen_rate", target=0.0, amber=0.001, red=0.002, by=other, now=demo_year, owners=[owner])

    first = kpi_alerts_check(now=demo_year)
    again = kpi_alerts_check(now=demo_year + timedelta(hours=3))

    assert [a.kpi for a in first] == ["reopen_rate"] and first[0].state == "red"
    assert again == []
    notices = Notification.objects.filter(kind="kpi_alert")
    assert [n.recipient for n in notices] == [owner]
    assert "2026-11" in notices[0].title

