"""The forecast and simulation pages at the demo's size: how long the stored forecast takes to compute
(the daily job) and how long one simulation request takes (today + one scenario).

    PYTHONPATH=src python bench/workforce_pages.py --complaints 20000 --replications 5,20,50
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--complaints", type=int, default=20000)
    parser.add_argument("--days", type=int, default=28, help="the simulated period's length")
    parser.add_argument("--replications", default="5,20")
    args = parser.parse_args()
    os.environ["KESU_DATA_DIR"] = tempfile.mkdtemp(prefix="kesu-bench-wfp-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kesu.config.settings")
    import django

    django.setup()
    from datetime import timedelta

    from django.core.management import call_command

    from kesu.core.clock import clock_now
    from kesu.demo.generator import demo_generate
    from kesu.workforce.actions import forecast_refresh, simulation_form_run
    from kesu.workforce.selectors import handlers_per_group

    call_command("migrate", verbosity=0)
    now = clock_now()
    started = time.perf_counter()
    demo_generate(complaints=args.complaints, seed=1, now=now)
    print(f"demo year of {args.complaints} complaints: {time.perf_counter() - started:.1f} s")
    started = time.perf_counter()
    stored = forecast_refresh(now=now)
    print(f"forecast refresh (the daily job): {time.perf_counter() - started:.1f} s; model {stored.payload['model']}")
    groups = sorted(handlers_per_group())
    today = now.date()
    for replications in (int(r) for r in args.replications.split(",")):
        data = {"from": (today - timedelta(days=args.days)).isoformat(), "to": (today - timedelta(days=1)).isoformat(),
                "replications": str(replications), "volume": "10", f"handlers_{groups[0]}": "1"}
        started = time.perf_counter()
        simulation_form_run(data=data, groups=groups)
        print(f"simulation request, {args.days} days × {replications} replications, today + scenario: "
              f"{time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
