"""``kesu analytics …``: rebuild / update the rollups, print the KPIs, set a KPI target.

No Django import at module level: ``kesu.cli`` builds the parser before Django is set up."""

from __future__ import annotations

import argparse
import json
from datetime import date


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date like 2026-03-31") from error


def register(commands) -> None:
    from kesu.cli import OneLineParser

    analytics = commands.add_parser("analytics", help="rollups, KPIs and targets of the analytics pages")
    sub = analytics.add_subparsers(dest="analytics_command", metavar="ACTION", parser_class=OneLineParser)
    sub.required = True
    rebuild = sub.add_parser("rebuild", help="rebuild the rollups from the events (all, or from a day on)")
    rebuild.add_argument("--from", dest="date_from", type=_date, help="rebuild the days from this one (YYYY-MM-DD)")
    sub.add_parser("update", help="count the events not yet in the rollups (what the minute job does)")
    kpis = sub.add_parser("kpis", help="every KPI of a period with its target, state and counts")
    kpis.add_argument("--from", dest="date_from", type=_date, required=True, help="first day (YYYY-MM-DD)")
    kpis.add_argument("--to", dest="date_to", type=_date, required=True, help="last day, included (YYYY-MM-DD)")
    kpis.add_argument("--group", help="a group's code (default: the whole centre)")
    kpis.add_argument("--json", action="store_true", help="print JSON")
    report = sub.add_parser("report", help="write the daily / weekly / monthly report of a day's period as XLSX")
    report.add_argument("--period", choices=("daily", "weekly", "monthly"), required=True,
                        help="the day, the ISO week (Monday–Sunday) or the month holding --date")
    report.add_argument("--date", dest="day", type=_date, required=True, help="a day of the period (YYYY-MM-DD)")
    report.add_argument("--out", required=True, help="the XLSX file to write")
    target = sub.add_parser("target", help="set a KPI's target and its amber / red thresholds")
    target.add_argument("kpi")
    target.add_argument("--target", type=float, required=True)
    target.add_argument("--amber", type=float, required=True)
    target.add_argument("--red", type=float, required=True)


def _progress(label: str, total: int):
    from kesu.cli import _ProgressBar

    bar = _ProgressBar(label)
    done = 0

    def step(counted: int) -> None:
        nonlocal done
        done += counted
        bar(min(done, total), total)

    return step, bar


def cmd_analytics(args) -> int:
    from kesu.core.clock import clock_now

    now = clock_now()
    if args.analytics_command in ("rebuild", "update"):
        from kesu.analytics.actions import rollup_rebuild, rollup_update
        from kesu.analytics.models import Watermark
        from kesu.complaints.models import ComplaintEvent

        if args.analytics_command == "rebuild":
            total = ComplaintEvent.objects.count()
            step, bar = _progress("rebuilding rollups", total)
            result = rollup_rebuild(now=now, day_from=args.date_from, progress=step)
        else:
            mark = Watermark.objects.filter(name="events").first()
            total = ComplaintEvent.objects.filter(id__gt=mark.last_id if mark else 0).count()
            step, bar = _progress("updating rollups", total)
            result = rollup_update(now=now, progress=step)
        bar.finish()
        print(f"counted {result.events:,} events, {result.surveys_sent:,} surveys sent, "
              f"{result.surveys_answered:,} answers")
        return 0
    if args.analytics_command == "report":
        from pathlib import Path

        from kesu.analytics.reports import period_of, report_write
        from kesu.cli import _ProgressBar

        period = period_of(args.period, args.day)
        out = Path(args.out)
        if out.suffix.lower() != ".xlsx":
            print(f"--out: {args.out!r} is not an .xlsx file")
            return 2
        bar = _ProgressBar(f"report {period.label}")
        steps = ("rollups", "xlsx")

        def progress(label: str) -> None:
            bar(steps.index(label), len(steps))

        _page, xlsx = report_write(period, now=now, out=out, progress=progress)
        bar(len(steps), len(steps))
        bar.finish()
        print(f"{xlsx} ({period.start} – {period.end})")
        return 0
    if args.analytics_command == "kpis":
        from kesu.analytics.queries import kpis_query

        kpis = kpis_query(date_from=args.date_from, date_to=args.date_to, group=args.group or "")
        if args.json:
            print(json.dumps(kpis, ensure_ascii=False, indent=2))
        else:
            for name, kpi in kpis.items():
                print(f"{name:32} {kpi['value']!s:>8} target {kpi['target']!s:>6} {kpi['state']:9} "
                      f"{kpi['numerator']:,}/{kpi['denominator']:,}")
        return 0
    from kesu.analytics.actions import kpi_target_set

    row = kpi_target_set(kpi=args.kpi, target=args.target, amber=args.amber, red=args.red, by=None, now=now)
    print(f"{row.kpi}: target {row.target}, amber {row.amber}, red {row.red}")
    return 0


COMMANDS = {"analytics": cmd_analytics}
