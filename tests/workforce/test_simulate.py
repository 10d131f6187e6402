import json
from datetime import UTC, datetime

import pytest

from kesu.cli import main
from kesu.demo.generator import demo_generate

NOW = datetime(2026, 3, 2, 4, 0, tzinfo=UTC)


@pytest.fixture
def demo(db):
    return demo_generate(complaints=2500, seed=42, now=NOW)


def test_a_past_month_of_the_demo_is_reproduced_within_10_percent(demo, capsys):
    assert main(["simulate", "--from", "2025-11-01", "--to", "2025-11-30", "--replications", "10", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    actual, today = result["actual"], result["today"]
    assert actual["throughput"] > 100
    assert today["throughput"]["mean"] == pytest.approx(actual["throughput"], rel=0.10)
    assert today["median_resolution_hours"]["mean"] == pytest.approx(actual["median_resolution_hours"], rel=0.10)
    low, high = today["throughput"]["ci95"]
    assert low <= today["throughput"]["mean"] <= high
    assert today["bottleneck"] in {stage["group"] for stage in today["stages"]}
    for stage in today["stages"]:
        assert 0 <= stage["utilisation"]["mean"] <= 1
        assert set(stage) >= {"group", "utilisation", "waiting_hours", "throughput", "sla_breach_share"}


def test_scenarios_are_compared_side_by_side(demo, tmp_path, capsys):
    scenario = tmp_path / "what-if.json"
    scenario.write_text(json.dumps([{"name": "+30 % volume", "volume": 0.3},
                                    {"name": "front desk slower", "faster": {"front-desk": 3.0}}]))
    assert main(["simulate", "--from", "2025-11-01", "--to", "2025-11-30", "--replications", "5",
                 "--scenario", str(scenario), "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    busier, slower = result["scenarios"]
    assert busier["scenario"] == "+30 % volume"
    assert busier["throughput"]["mean"] > result["today"]["throughput"]["mean"] * 1.15
    assert slower["median_resolution_hours"]["mean"] > result["today"]["median_resolution_hours"]["mean"]


def test_a_bad_scenario_or_period_is_refused_in_one_line(db, tmp_path, capsys):
    scenario = tmp_path / "bad.json"
    scenario.write_text(json.dumps({"volume": "lots"}))
    assert main(["simulate", "--from", "2025-11-01", "--to", "2025-11-30", "--scenario", str(scenario)]) == 1
    err = capsys.readouterr().err.strip()
    assert "--scenario" in err and "volume" in err and len(err.splitlines()) == 1
    assert main(["simulate", "--from", "2025-11-30", "--to", "2025-11-01"]) == 1
    assert "--to" in capsys.readouterr().err
