"""Calendar benchmark: business-time maths on the default calendar, and loading it.

    python bench/working_calendar.py               # maths (no database) + loading; SQLite in a throw-away data folder
    python bench/working_calendar.py --only maths
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/test python bench/working_calendar.py --only loading

Targets (issue "SLA: working calendar"): `working_add(default, t, 2400*60)` ≥ 50,000/s on one
core, so that a complaint's deadlines (a few working_add calls) stay ≥ 5,000 complaints/s.
"""

from __future__ import annotations

import sys
from pathlib import Path

# This file is named like the standard library's `calendar`; running it puts bench/ first on the
# path, where it would shadow that module for everything imported below. Take bench/ off again.
HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != HERE]
ROOT = HERE.parent
sys.path[:0] = [str(ROOT), str(ROOT / "src")]

import argparse  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import random  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from datetime import UTC, datetime, timedelta  # noqa: E402
from zoneinfo import ZoneInfo  # noqa: E402

SH = ZoneInfo("Asia/Shanghai")


def print_json(**values) -> None:
    print(json.dumps(values, ensure_ascii=False), flush=True)


def rate(function, inputs, rounds: int = 3) -> float:
    """Calls per second of ``function`` over ``inputs`` (best of ``rounds``)."""
    best = float("inf")
    for _ in range(rounds):
        started = time.perf_counter()
        for item in inputs:
            function(item)
        best = min(best, time.perf_counter() - started)
    return len(inputs) / best


def default_calendar():
    """The default calendar as the data migration seeds it (China 2025–2027), built without a database."""
    from kesu.sla.calendar import WorkCalendar
    from kesu.sla.schedules import schedule_read

    schedules = [schedule_read("CN", year) for year in (2025, 2026, 2027)]
    day = ((540, 720), (810, 1080))
    return WorkCalendar(
        name="default", tz=SH, week=(day,) * 5 + ((), ()), country="CN",
        holidays=frozenset(d for s in schedules for d in s.holidays),
        workdays=frozenset(d for s in schedules for d in s.workdays),
        years=frozenset({2025, 2026, 2027}),
    )


def starts(count: int, seed: int = 7) -> list[datetime]:
    """Instants spread over 2026 (any minute, any day, so most are outside working time)."""
    rng = random.Random(seed)
    origin = datetime(2026, 1, 1, tzinfo=UTC)
    return [origin + timedelta(seconds=rng.randrange(360 * 86400)) for _ in range(count)]


def part_maths(count: int) -> None:
    from kesu.sla.calendar import calendar_always, working_add, working_seconds

    cal = default_calendar()
    instants = starts(count)
    started = time.perf_counter()
    for t in instants:
        working_add(cal, t, 2400 * 60)
    print_json(part="working_add 2400 min, cold (first touch builds each day's periods)", calls=count,
               per_second=round(count / (time.perf_counter() - started)))
    per_second = rate(lambda t: working_add(cal, t, 2400 * 60), instants)
    print_json(part="working_add(default, t, 2400*60)", calls=count, per_second=round(per_second),
               us_each=round(1e6 / per_second, 2), target_per_second=50_000)
    per_second = rate(lambda t: working_add(cal, t, 30 * 60), instants)
    print_json(part="working_add(default, t, 30*60)", per_second=round(per_second))
    always = calendar_always(SH)
    per_second = rate(lambda t: working_add(always, t, 30 * 60), instants)
    print_json(part="working_add(24x7, t, 30*60) (red channel)", per_second=round(per_second))
    pairs = [(t, t + timedelta(days=7)) for t in instants]
    per_second = rate(lambda p: working_seconds(cal, p[0], p[1]), pairs)
    print_json(part="working_seconds over 7 days", per_second=round(per_second))

    def deadlines(t):  # what a complaint needs: assignment, first response, resolution, closure
        return (working_add(cal, t, 120 * 60), working_add(cal, t, 1440 * 60), working_add(cal, t, 2250 * 60),
                working_add(cal, t, 1350 * 60), working_add(always, t, 30 * 60))

    per_second = rate(deadlines, instants)
    print_json(part="one complaint's deadlines (4 working_add + 1 around the clock)", per_second=round(per_second),
               target_per_second=5_000)


def part_loading(count: int, database_url: str | None, data_dir: str) -> None:
    os.environ["KESU_DATA_DIR"] = data_dir
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "kesu.config.settings"
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    from kesu.sla import calendars
    from kesu.sla.calendar import working_add
    from kesu.sla.calendars import calendar_cache_reset, calendar_load

    print_json(database=connection.vendor)
    timings = []
    for _ in range(20):
        calendar_cache_reset()
        started = time.perf_counter()
        calendar_load()
        timings.append(time.perf_counter() - started)
    print_json(part="calendar_load, cache empty (rows → WorkCalendar)", ms_median=round(sorted(timings)[10] * 1000, 2))
    per_second = rate(lambda _: calendar_load(), range(count))
    print_json(part="calendar_load, cached", per_second=round(per_second))
    ttl, calendars.TTL = calendars.TTL, 0.0
    per_second = rate(lambda _: calendar_load(), range(min(count, 2000)))
    calendars.TTL = ttl
    print_json(part="calendar_load, version check every call (TTL 0; normally once per 30 s)",
               per_second=round(per_second))
    instants = starts(count)
    per_second = rate(lambda t: working_add(calendar_load(), t, 2400 * 60), instants)
    print_json(part="calendar_load() + working_add 2400 min", per_second=round(per_second), target_per_second=50_000)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=20_000)
    parser.add_argument("--only", choices=["maths", "loading"])
    args = parser.parse_args()
    if args.only in (None, "maths"):
        part_maths(args.calls)
    if args.only in (None, "loading"):
        from tests.live import live_database

        with tempfile.TemporaryDirectory() as data_dir, live_database() as database_url:
            part_loading(args.calls, database_url, data_dir)


if __name__ == "__main__":
    main()
