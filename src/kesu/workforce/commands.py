"""The workforce app's commands: ``kesu staffing``, ``kesu forecast evaluate``, ``kesu process map|evaluate``,
``kesu simulate``, ``kesu risk train|evaluate``. Thin: parse, call a pure function or an action, print.

No Django import at module level (``kesu.cli`` builds its parser before Django is set up).
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import datetime
from pathlib import Path


def _positive(kind):
    def parse(value: str):
        try:
            number = kind(value)
        except ValueError as error:
            raise argparse.ArgumentTypeError(f"{value!r} is not a number") from error
        if number <= 0:
            raise argparse.ArgumentTypeError(f"must be more than 0, got {value}")
        return number

    return parse


def _fraction(value: str) -> float:
    try:
        number = float(value)
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"{value!r} is not a number") from error
    if not 0 <= number < 1:
        raise argparse.ArgumentTypeError(f"must be from 0 up to (not including) 1, got {value}")
    return number


def _date(value: str) -> datetime:
    try:
        return datetime.strptime(value, "%Y-%m-%d")  # noqa: DTZ007 - made aware in the centre's zone later
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date like 2026-03-31") from error


def register(commands) -> None:
    from kesu.cli import OneLineParser

    staffing = commands.add_parser("staffing", help="agents and positions one interval needs (Erlang C, or Erlang A "
                                   "with --patience-seconds)")
    staffing.add_argument("--arrivals", required=True, type=_positive(float), help="contacts in the interval")
    staffing.add_argument("--interval-minutes", type=_positive(int), default=30)
    staffing.add_argument("--aht-seconds", required=True, type=_positive(float), help="average handling time")
    staffing.add_argument("--target", required=True, type=_fraction, help="service level target, e.g. 0.8")
    staffing.add_argument("--answer-seconds", required=True, type=_positive(float), help="… answered within T s")
    staffing.add_argument("--shrinkage", type=_fraction, default=0.0, help="share of paid time off the phones")
    staffing.add_argument("--patience-seconds", type=_positive(float), default=None,
                          help="mean patience before a caller abandons (Erlang A)")
    staffing.add_argument("--json", action="store_true", help="print one JSON object")

    forecast = commands.add_parser("forecast", help="arrival forecasts")
    forecast_commands = forecast.add_subparsers(dest="forecast_command", metavar="ACTION", parser_class=OneLineParser)
    forecast_commands.required = True
    evaluate = forecast_commands.add_parser(
        "evaluate", help="hold out the last 20 %% of days of a timestamp,count series, forecast each one day ahead, "
        "compare the chosen model with the seasonal naive and the 4-week mean")
    evaluate.add_argument("--series", required=True, type=Path, help="CSV with timestamp,count")
    evaluate.add_argument("--interval-minutes", type=_positive(int), default=None,
                          help="interval (default: inferred from the file)")
    evaluate.add_argument("--json", action="store_true")

    process = commands.add_parser("process", help="process maps and predictions from an event log")
    process_commands = process.add_subparsers(dest="process_command", metavar="ACTION", parser_class=OneLineParser)
    process_commands.required = True
    process_map = process_commands.add_parser(
        "map", help="the directly-follows map (frequencies, median / p90 waiting), variants, rework, bottlenecks")
    process_eval = process_commands.add_parser(
        "evaluate", help="next activity and remaining time for every prefix of the newest third of the cases, "
        "against the bigram and median baselines")
    for sub in (process_map, process_eval):
        sub.add_argument("--log", required=True, type=Path, help="CSV with case_id,activity,timestamp")
        sub.add_argument("--json", action="store_true")
    process_score = process_commands.add_parser(
        "score", help="how the open complaints' predictions did (next step, expected end, likely resolved by), "
        "each beside its baseline")
    process_score.add_argument("--days", type=_positive(int), default=90,
                               help="score the predictions made in the last DAYS days (default 90)")
    process_score.add_argument("--json", action="store_true")

    simulate = commands.add_parser(
        "simulate", help="simulate the centre over a past period (built from its event history), today and a "
        "what-if scenario side by side")
    simulate.add_argument("--from", dest="start", required=True, type=_date, help="first day (YYYY-MM-DD)")
    simulate.add_argument("--to", dest="end", required=True, type=_date, help="last day, included")
    simulate.add_argument("--scenario", type=Path, default=None,
                          help='JSON: {"handlers": {"group": +2}, "volume": 0.1, "faster": {"group": 0.8}, '
                          '"sla_factor": 1.0} (one object or a list of them)')
    simulate.add_argument("--replications", type=_positive(int), default=20)
    simulate.add_argument("--seed", type=int, default=0)
    simulate.add_argument("--json", action="store_true")

    risk = commands.add_parser("risk", help="the escalation early warning: train the model, measure it")
    risk_commands = risk.add_subparsers(dest="risk_command", metavar="ACTION", parser_class=OneLineParser)
    risk_commands.required = True
    risk_train = risk_commands.add_parser("train", help="train on the history, make it active, score open complaints")
    risk_eval = risk_commands.add_parser(
        "evaluate", help="time split (oldest 80 %% train, newest 20 %% test): roc_auc, recall and precision at 20 %% "
        "per outcome, beside ranking by the emotion temperature")
    for sub in (risk_train, risk_eval):
        sub.add_argument("--json", action="store_true")


def cmd_staffing(args) -> int:
    from kesu.workforce.erlang import staffing_erlang_a, staffing_erlang_c

    common = {"arrivals": args.arrivals, "interval_seconds": args.interval_minutes * 60,
              "aht_seconds": args.aht_seconds, "target": args.target, "answer_seconds": args.answer_seconds,
              "shrinkage": args.shrinkage}
    if args.patience_seconds:
        result = staffing_erlang_a(patience_seconds=args.patience_seconds, **common)
    else:
        result = staffing_erlang_c(**common)
    data = result.as_dict()
    if args.json:
        print(json.dumps(data))
        return 0
    print(f"agents {data['agents']}  positions {data['positions']} (shrinkage {args.shrinkage:.0%})  "
          f"service level {data['service_level']:.1%}  occupancy {data['occupancy']:.1%}  "
          f"p(wait) {data['p_wait']:.3f}  ASA {data['asa_seconds']} s"
          + (f"  abandoned {data['p_abandon']:.1%}" if "p_abandon" in data else ""))
    return 0


def _progress(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


def cmd_forecast(args) -> int:
    from kesu.cli import EXIT_REFUSED, _fail
    from kesu.workforce.forecast import ForecastError, evaluate, grid_build
    from kesu.workforce.series import FileRowError, series_read

    try:
        rows = series_read(args.series)
        report = evaluate(grid_build(rows, args.interval_minutes), progress=_progress)
    except (FileRowError, ForecastError) as error:
        return _fail(str(error), EXIT_REFUSED)
    if args.json:
        print(json.dumps(report))
        return 0
    print(f"chosen model: {report['chosen']}  ({report['days']['train']} training days, {report['days']['test']} "
          f"held out, {report['interval_minutes']}-minute intervals)")
    for level in ("interval", "daily"):
        for name, values in report[level].items():
            print(f"  {level:8} {name:15} MAE {values['mae']:.3f}  RMSE {values['rmse']:.3f}  MASE {values['mase']:.3f}")
    return 0


def cmd_process(args) -> int:
    from kesu.cli import EXIT_REFUSED, _fail
    from kesu.workforce.process import log_frame, process_evaluate, process_map
    from kesu.workforce.series import FileRowError, log_read

    if args.process_command == "score":
        return _process_score(args)
    try:
        frame = log_frame(log_read(args.log))
    except FileRowError as error:
        return _fail(str(error), EXIT_REFUSED)
    if args.process_command == "map":
        result = process_map(frame)
        if args.json:
            print(json.dumps(result, ensure_ascii=False))
            return 0
        print(f"{result['cases']} cases, {result['events']} events, {result['variant_count']} variants, "
              f"rework in {result['rework']['share']:.1%} of cases")
        for edge in result["bottlenecks"]:
            print(f"  {edge['source']} → {edge['target']}: {edge['count']}×, median wait {edge['median_wait_hours']} h, "
                  f"total {edge['total_wait_hours']} h")
        return 0
    try:
        report = process_evaluate(frame, progress=_progress)
    except ValueError as error:
        return _fail(f"{args.log}: {error}", EXIT_REFUSED)
    if args.json:
        print(json.dumps(report))
        return 0
    print(f"next activity accuracy {report['next_activity_accuracy']:.3f} (bigram "
          f"{report['bigram']['next_activity_accuracy']:.3f}); remaining time MAE {report['remaining_time_mae_days']:.3f} "
          f"days (median {report['median']['remaining_time_mae_days']:.3f})")
    return 0


def _process_score(args) -> int:
    from kesu.core.clock import clock_now
    from kesu.workforce.process_predictions import process_scores

    report = process_scores(now=clock_now(), days=args.days)
    if args.json:
        print(json.dumps(report))
        return 0
    step, end, likely = report["next_step"], report["expected_end"], report["likely_resolved_by"]
    print(f"{report['predictions']} predictions of the last {report['days']} days")
    print(f"  next step       accuracy {step['model_accuracy']} (bigram {step['bigram_accuracy']}) "
          f"over {step['scored']} steps taken")
    print(f"  expected end    MAE {end['model_mae_days']} days (median {end['median_mae_days']}) "
          f"over {end['scored']} closed")
    print(f"  likely resolved coverage {likely['coverage']} (nominal {likely['nominal']}; plain median "
          f"{likely['baseline_coverage']}) over {likely['scored']} due")
    return 0


def _scenarios(path: Path | None) -> list:
    from kesu.core.errors import FieldError
    from kesu.workforce.simulation import Scenario

    if path is None:
        return []
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise FieldError("--scenario", "workforce.scenario", file=str(path), reason=error.strerror or str(error)) from None
    except ValueError as error:
        raise FieldError("--scenario", "workforce.scenario", file=str(path), reason=f"not JSON ({error})") from None
    items = data if isinstance(data, list) else [data]
    scenarios = []
    for index, item in enumerate(items, start=1):
        try:
            scenarios.append(Scenario.from_dict(item, name=f"scenario {index}"))
        except ValueError as error:
            where = f"item {index}: " if isinstance(data, list) else ""
            raise FieldError("--scenario", "workforce.scenario", file=str(path), reason=f"{where}{error}") from None
    return scenarios


def cmd_simulate(args) -> int:
    from kesu.workforce.actions import centre_simulate

    result = centre_simulate(start=args.start.date(), end=args.end.date(), scenarios=_scenarios(args.scenario),
                             replications=args.replications, seed=args.seed)
    if args.json:
        print(json.dumps(result, ensure_ascii=False))
        return 0
    actual = result["actual"]
    print(f"{result['from']} – {result['to']}, {result['replications']} replications; actual: "
          f"{actual['throughput']} resolved, median resolution {actual['median_resolution_hours']:.1f} h")
    for run in [result["today"], *result.get("scenarios", [])]:
        print(f"  {run['scenario']}: {run['throughput']['mean']:.0f} resolved {run['throughput']['ci95']}, median "
              f"resolution {run['median_resolution_hours']['mean']:.1f} h, bottleneck {run['bottleneck']}")
    return 0


def cmd_risk(args) -> int:
    from kesu.core.clock import clock_now
    from kesu.workforce.risk_actions import risk_evaluate, risk_train

    if args.risk_command == "train":
        version = risk_train(now=clock_now())
        from kesu.workforce.models import RiskScore

        data = {"version": version.pk, "trained_on": version.params["trained_on"],
                "scored_open": RiskScore.objects.count(), "metrics": version.metrics}
        if args.json:
            print(json.dumps(data))
        else:
            print(f"risk model v{version.pk} trained on {data['trained_on']} complaints; "
                  f"{data['scored_open']} open complaints scored")
            _risk_lines(version.metrics)
        return 0
    report = risk_evaluate(now=clock_now())
    if args.json:
        print(json.dumps(report))
    else:
        _risk_lines(report)
    return 0


def _risk_lines(report: dict) -> None:
    print(f"time split: {report['train']} train, {report['test']} test")
    for outcome, values in report["outcomes"].items():
        base = values["baseline_emotion"]
        print(f"  {outcome:16} ROC AUC {values['roc_auc']}  recall@20% {values['recall_at_20pct']}  "
              f"precision@20% {values['precision_at_20pct']}  ({values['positives']} of {values['n']}; "
              f"emotion alone: AUC {base['roc_auc']}, recall@20% {base['recall_at_20pct']})")


COMMANDS = {"risk": cmd_risk, "simulate": cmd_simulate, "staffing": cmd_staffing, "forecast": cmd_forecast, "process": cmd_process}
