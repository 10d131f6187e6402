import csv
import json
import random
from datetime import datetime, timedelta

import pytest

from kesu.cli import main


def _log(path, cases=150, seed=3):
    """A helpdesk-like log: register → (assign → work)+ with a reopen loop on some cases → close."""
    rng = random.Random(seed)
    start = datetime(2024, 1, 1, 9)  # noqa: DTZ001 - a log without offsets
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["case_id", "activity", "timestamp", "channel"])
        for case in range(cases):
            at = start + timedelta(hours=case * 3)
            steps = ["register", "assign", "work"]
            if rng.random() < 0.3:
                steps += ["reopen", "work"]
            steps += ["close"]
            for step in steps:
                writer.writerow([f"C{case}", step, at.isoformat(), "phone"])
                at += timedelta(hours=rng.uniform(1, 10) if step != "work" else rng.uniform(20, 40))
    return path


@pytest.fixture
def log(tmp_path):
    return _log(tmp_path / "log.csv")


def test_map_has_the_graph_variants_rework_and_bottlenecks(log, capsys):
    assert main(["process", "map", "--log", str(log), "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["cases"] == 150
    edges = {(e["source"], e["target"]): e for e in result["edges"]}
    assert edges[("register", "assign")]["count"] == 150
    assert 20 <= edges[("work", "reopen")]["median_wait_hours"] <= 40
    assert 1 <= edges[("assign", "work")]["median_wait_hours"] <= 10
    assert edges[("work", "close")]["p90_wait_hours"] >= edges[("work", "close")]["median_wait_hours"]
    assert result["variant_count"] == 2
    assert result["rework"]["by_activity"][0]["activity"] == "work"
    assert result["bottlenecks"][0]["source"] == "work"  # the long step
    activities = {a["name"]: a for a in result["activities"]}
    assert 20 <= activities["work"]["median_duration_hours"] <= 40  # work is the long one
    assert activities["close"]["median_duration_hours"] is None  # nothing follows the last step
    assert activities["register"]["position"] < activities["work"]["position"] < activities["close"]["position"]


def test_the_map_as_a_graph_highlights_the_bottleneck(log, capsys):
    from kesu.workforce.process import END, START, log_frame, process_map
    from kesu.workforce.process_chart import BOTTLENECK, process_chart
    from kesu.workforce.series import log_read

    result = process_map(log_frame(log_read(log)))
    chart = process_chart(result, label=str.upper)
    series = chart.option()["series"][0]
    nodes = {n["id"]: n for n in series["data"]}
    assert {START, END, "register", "work", "close"} <= set(nodes)
    work = next(a for a in result["activities"] if a["name"] == "work")
    tooltip = nodes["work"]["tooltip"]["formatter"]
    assert nodes["work"]["name"] == "WORK" and str(work["count"]) in tooltip
    assert f"{work['median_duration_hours']:.1f} h" in tooltip
    assert nodes[START]["x"] < nodes["register"]["x"] < nodes["work"]["x"] < nodes["close"]["x"] < nodes[END]["x"]
    red = [link for link in series["links"] if link["lineStyle"].get("color") == BOTTLENECK]
    assert [(link["source"], link["target"]) for link in red] == [
        (result["bottlenecks"][0]["source"], result["bottlenecks"][0]["target"])]
    assert "WORK" in chart.note
    assert len(chart.table().rows) == len(series["links"])  # the accessible alternative: every transition


def test_evaluate_reports_the_model_and_both_baselines(log, capsys):
    assert main(["process", "evaluate", "--log", str(log), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["cases"] == {"train": 100, "test": 50}
    for key in ("next_activity_accuracy", "remaining_time_mae_days"):
        assert isinstance(report[key], float)
    assert set(report["bigram"]) == {"next_activity_accuracy"}
    assert set(report["median"]) == {"remaining_time_mae_days"}
    assert report["next_activity_accuracy"] >= report["bigram"]["next_activity_accuracy"]


def test_a_bad_timestamp_names_the_row(tmp_path, capsys):
    path = tmp_path / "bad.csv"
    path.write_text("case_id,activity,timestamp\nA,open,2024-01-01T09:00:00\nA,close,yesterday\n")
    assert main(["process", "map", "--log", str(path)]) == 1
    err = capsys.readouterr().err.strip()
    assert "line 3" in err and "column timestamp" in err and len(err.splitlines()) == 1
