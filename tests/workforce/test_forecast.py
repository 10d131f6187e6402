import csv
import json
from datetime import datetime

import pytest

from kesu.cli import main
from kesu.workforce.forecast import grid_build, interval_infer
from kesu.workforce.synthetic import arrivals_synthetic

START = datetime(2025, 6, 2)  # noqa: DTZ001 - a series in local wall time, as a file holds it


def _write(path, rows):
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["timestamp", "count"])
        for at, count in rows:
            writer.writerow([at.isoformat(), int(count)])
    return path


@pytest.fixture(scope="module")
def series(tmp_path_factory):
    rows = arrivals_synthetic(start=START, days=182, level=300, seed=7)
    return _write(tmp_path_factory.mktemp("series") / "arrivals.csv", rows)


def test_evaluate_reports_the_contract_and_beats_both_baselines(series, capsys):
    assert main(["forecast", "evaluate", "--series", str(series), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["chosen"] in {"seasonal_naive", "mean_4_weeks", "mean_8_weeks", "ets", "regression", "combined"}
    for level in ("interval", "daily"):
        assert set(report[level]) == {"model", "seasonal_naive", "mean_4_weeks"}
        for values in report[level].values():
            assert set(values) == {"mae", "rmse", "mase"}
        better_baseline = min(report[level]["seasonal_naive"]["mase"], report[level]["mean_4_weeks"]["mase"])
        assert report[level]["model"]["mase"] <= 0.95 * better_baseline
    assert report["days"] == {"train": 145, "test": 37}


def test_finer_rows_are_summed_and_the_interval_inferred(tmp_path):
    rows = arrivals_synthetic(start=START, days=3, interval_minutes=15, level=100, seed=1)
    assert interval_infer([at for at, _ in rows]) == 15
    grid = grid_build(rows, 60)
    assert grid.slots == 24
    assert grid.counts.sum() == sum(count for _, count in rows)


def test_days_without_rows_are_closed(tmp_path):
    rows = arrivals_synthetic(start=START, days=15, level=100, seed=1, closed_sundays=True)
    grid = grid_build(rows)
    assert list(grid.present).count(False) == 2


def test_a_bad_row_is_named(tmp_path, capsys):
    path = tmp_path / "bad.csv"
    path.write_text("timestamp,count\n2025-06-02T09:00:00,3\n2025-06-02T09:30:00,lots\n")
    assert main(["forecast", "evaluate", "--series", str(path), "--json"]) == 1
    err = capsys.readouterr().err.strip()
    assert "line 3" in err and "column count" in err and len(err.splitlines()) == 1


def test_a_missing_column_and_a_too_short_series_are_refused(tmp_path, capsys):
    path = tmp_path / "bad.csv"
    path.write_text("time,count\n2025-06-02T09:00:00,3\n")
    assert main(["forecast", "evaluate", "--series", str(path)]) == 1
    assert "column timestamp" in capsys.readouterr().err
    short = _write(tmp_path / "short.csv", arrivals_synthetic(start=START, days=10, level=50))
    assert main(["forecast", "evaluate", "--series", str(short)]) == 1
    assert "training part" in capsys.readouterr().err
