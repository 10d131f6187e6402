"""Operations-science benchmark: the numbers of issue 14 on data we generate (and the dev event log).

    PYTHONPATH=src python bench/workforce.py            # every part
    PYTHONPATH=src python bench/workforce.py --only staffing,risk,process_map

Parts (each prints seconds and the target of the issue):
* forecast: `forecast evaluate` on a synthetic year of 30-minute arrivals (target ≤ 10 s for a year);
* staffing: Erlang C for a week of 30-minute intervals (336), with a busy centre (≤ 1 s);
* process_map: the map of 100,000 events (synthetic helpdesk log; ≤ 5 s);
* risk: scoring rows with the logistic model (≥ 1,000 complaints/s);
* simulate: one month × 20 replications of a synthetic centre (≤ 60 s) — the same simpy model as
  `kesu simulate`, fed with generated journeys instead of a database.
"""

from __future__ import annotations

import argparse
import random
import time
from datetime import datetime, timedelta

import numpy as np


def bench_forecast() -> None:
    from kesu.workforce.forecast import evaluate, grid_build
    from kesu.workforce.synthetic import arrivals_synthetic

    rows = arrivals_synthetic(start=datetime(2024, 1, 1), days=365, level=800, seed=11)  # noqa: DTZ001
    start = time.perf_counter()
    report = evaluate(grid_build(rows))
    took = time.perf_counter() - start
    mase = {level: {k: v["mase"] for k, v in report[level].items()} for level in ("interval", "daily")}
    print(f"forecast evaluate, 1 year × 48 intervals: {took:.1f} s (target ≤ 10 s); chosen {report['chosen']}; "
          f"MASE {mase}")


def bench_staffing() -> None:
    from kesu.workforce.erlang import staffing_erlang_c

    rng = np.random.default_rng(1)
    arrivals = rng.uniform(50, 2000, 336)
    start = time.perf_counter()
    for value in arrivals:
        staffing_erlang_c(arrivals=float(value), interval_seconds=1800, aht_seconds=300, target=0.8,
                          answer_seconds=20, shrinkage=0.3)
    print(f"staffing, 336 intervals (50–2,000 contacts each): {time.perf_counter() - start:.2f} s (target ≤ 1 s)")


def _log(events: int):
    from kesu.workforce.series import Event

    rng = random.Random(3)
    out = []
    case = 0
    at0 = datetime(2024, 1, 1)  # noqa: DTZ001
    steps = ["register", "assign", "work", "pend", "resume", "transfer", "resolve", "reopen", "close"]
    while len(out) < events:
        at = at0 + timedelta(minutes=case * 7)
        for _ in range(rng.randint(3, 12)):
            out.append(Event(f"C{case}", rng.choice(steps), at, {}))
            at += timedelta(hours=rng.expovariate(1 / 8))
        case += 1
    return out[:events]


def bench_process_map() -> None:
    from kesu.workforce.process import log_frame, process_map

    events = _log(100_000)
    start = time.perf_counter()
    result = process_map(log_frame(events))
    print(f"process map, 100,000 events ({result['cases']} cases): {time.perf_counter() - start:.2f} s "
          f"(target ≤ 5 s)")


def bench_risk() -> None:
    from kesu.workforce.risk import FEATURES, OUTCOMES, Row, matrix, risk_fit

    rng = np.random.default_rng(2)
    rows = [Row(int(rng.poisson(0.3)), int(rng.poisson(0.8)), int(rng.poisson(0.1)), int(rng.poisson(0.2)),
                int(rng.integers(0, 100)), bool(rng.random() < 0.05), float(rng.exponential(200)), "退款 12315",
                "P3", False, False, "phone") for _ in range(20_000)]
    x = matrix(rows)
    labels = {name: (rng.random(len(x)) < 0.1).astype(int) for name in OUTCOMES}
    model = risk_fit(x, labels)
    start = time.perf_counter()
    scores = model.probability(matrix(rows))
    for i in range(len(rows)):
        model.reasons(x[i])
    took = time.perf_counter() - start
    print(f"risk scoring with reasons, {len(scores)} complaints ({len(FEATURES)} features): "
          f"{len(scores) / took:,.0f} complaints/s (target ≥ 1,000/s)")


def bench_simulate() -> None:
    from kesu.workforce.simulation import Journey, Scenario, model_build, simulate

    rng = np.random.default_rng(4)
    journeys = []
    for _ in range(2000):
        stages = [("front-desk", float(rng.lognormal(10, 1)))]
        if rng.random() < 0.15:
            stages.append(("second-line", float(rng.lognormal(11, 1))))
        created = float(rng.uniform(0, 30 * 86400))
        journeys.append(Journey(tuple(stages), 3 * 86400.0, False, created, created + sum(s for _, s in stages)))
    hours = [int(rng.integers(0, 168)) for _ in range(2000)]
    model = model_build(journeys=journeys, arrival_hours=hours, period_seconds=30 * 86400, start_hour_of_week=0,
                        handlers={"front-desk": 20, "second-line": 5})
    start = time.perf_counter()
    result = simulate(model, Scenario(), 20)
    print(f"simulate, one month (~2,000 complaints + 30-day warm-up) × 20 replications: "
          f"{time.perf_counter() - start:.1f} s (target ≤ 60 s); bottleneck {result['bottleneck']}")


PARTS = {"staffing": bench_staffing, "process_map": bench_process_map, "risk": bench_risk,
         "simulate": bench_simulate, "forecast": bench_forecast}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default="", help="comma-separated parts: " + ", ".join(PARTS))
    args = parser.parse_args()
    for name in (args.only.split(",") if args.only else PARTS):
        PARTS[name]()


if __name__ == "__main__":
    main()
