"""The staffing page's server time at the demo's size: the page (30 and 60 minutes, all channels and phone)
requested several times through Django's test client, cold (nothing stored yet) and warm.

    PYTHONPATH=src python bench/workforce_staffing.py --complaints 20000 [--data-dir DIR] [--profile]

``--data-dir`` keeps the generated demo between runs (reused when it already holds a database).
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--complaints", type=int, default=20000)
    parser.add_argument("--data-dir", default="")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--jobs", action="store_true", help="also time the prediction jobs and their reads")
    args = parser.parse_args()
    data_dir = args.data_dir or tempfile.mkdtemp(prefix="kesu-bench-staffing-")
    os.makedirs(data_dir, exist_ok=True)
    fresh = not os.path.exists(os.path.join(data_dir, "kesu.sqlite3")) or not args.data_dir
    os.environ["KESU_DATA_DIR"] = data_dir
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kesu.config.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client

    from kesu.core.clock import clock_now
    from kesu.core.roles import Role
    from kesu.demo.generator import demo_generate

    settings.ALLOWED_HOSTS = ["*"]
    call_command("migrate", verbosity=0)
    now = clock_now()
    if fresh or not __import__("kesu.complaints.models", fromlist=["x"]).Complaint.objects.exists():
        started = time.perf_counter()
        demo_generate(complaints=args.complaints, seed=1, now=now)
        print(f"demo of {args.complaints} complaints: {time.perf_counter() - started:.1f} s")
    from kesu.core.models import User

    user = User.objects.filter(role=Role.MANAGER, is_active=True).first()
    client = Client()
    client.force_login(user)
    try:
        from kesu.workforce.models import StoredStaffing

        StoredStaffing.objects.all().delete()  # start cold
    except ImportError:
        pass
    for params in ({}, {"interval": "60"}, {"channel": "phone"}):
        times = []
        for _ in range(args.repeat):
            started = time.perf_counter()
            response = client.get("/operations/staffing/", params)
            times.append(time.perf_counter() - started)
            assert response.status_code == 200, response.status_code
        print(f"staffing page {params or 'default'}: first {times[0]:.3f} s, then median "
              f"{statistics.median(times[1:] or times):.3f} s ({args.repeat} requests)")
    if args.jobs:
        _jobs(now)
    if args.profile:
        import cProfile
        import pstats

        try:
            StoredStaffing.objects.all().delete()
        except NameError:
            pass
        profile = cProfile.Profile()
        profile.enable()
        client.get("/operations/staffing/")
        profile.disable()
        pstats.Stats(profile).sort_stats("cumulative").print_stats(30)


def _jobs(now) -> None:
    from kesu.complaints.models import Complaint
    from kesu.workforce.predictions import OPEN, expected_resolution, resolution_refresh
    from kesu.workforce.process_predictions import process_predictions_refresh

    started = time.perf_counter()
    keys = resolution_refresh(now=now)
    print(f"resolution quantiles job: {keys} keys in {time.perf_counter() - started:.2f} s")
    complaints = list(Complaint.objects.filter(status__in=OPEN)[:200])
    started = time.perf_counter()
    found = sum(expected_resolution(c, now=now) is not None for c in complaints)
    print(f"likely resolved by, read from the stored quantiles: {1000 * (time.perf_counter() - started) / len(complaints):.2f} ms "
          f"a complaint ({found} of {len(complaints)} with an estimate)")
    from datetime import timedelta

    from kesu.workforce.process_predictions import process_scores

    started = time.perf_counter()
    count = process_predictions_refresh(now=now - timedelta(days=14), replay=True, max_train_cases=1000)
    print(f"the demo's replay a fortnight back: {count} complaints open then in {time.perf_counter() - started:.1f} s")
    started = time.perf_counter()
    count = process_predictions_refresh(now=now)
    print(f"process predictions job (scoring the replay's records first): {count} open complaints in "
          f"{time.perf_counter() - started:.1f} s")
    started = time.perf_counter()
    scores = process_scores(now=now)
    print(f"the score (process page, kesu process score): {scores['predictions']} records in "
          f"{1000 * (time.perf_counter() - started):.1f} ms: {scores}")


if __name__ == "__main__":
    main()
