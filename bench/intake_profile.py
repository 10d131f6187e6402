"""Intake profile: queries per intake and time per step, in-process, on an existing data folder.

    kesu demo --complaints 500 --no-serve                      # with KESU_DATA_DIR=/tmp/k500
    KESU_DATA_DIR=/tmp/k500 python bench/intake_profile.py --count 300
    KESU_DATA_DIR=/tmp/k1m  python bench/intake_profile.py --count 300   # the same at 1,000,000

Each complaint goes through the REST API (Django's test client, the demo's routing rules and
handlers). The steps are timed by wrapping the functions intake calls (customer lookup, numbering,
triage, repeat candidates, routing with least-load counting, SLA, events, webhooks); every query
is attributed to the step that ran it. The complaints written stay in the folder (events are
append-only), a few hundred among the history.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from collections import defaultdict
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from intake import drafts  # noqa: E402

STEPS = [
    # (label, module, attribute): the functions intake calls, wrapped where the caller looks them up
    ("customer lookup", "kesu.complaints.actions", "customer_find_or_create"),
    ("numbering", "kesu.complaints.actions", "numbers_reserve"),
    ("triage (with repeat candidates)", "kesu.pipeline.intake", "triage_prepare"),
    ("complaint row and its first events", "kesu.pipeline.intake", "complaint_insert"),
    ("repeat links", "kesu.pipeline.intake", "repeat_links_save"),
    ("incidents (matching)", "kesu.pipeline.intake", "incident_intake_step"),
    ("routing and least-load", "kesu.pipeline.intake", "complaint_route"),
    ("SLA", "kesu.pipeline.intake", "sla_refresh"),
    ("webhooks", "kesu.pipeline.intake", "webhook_complaint_created"),
    # routing's and the SLA's events (one INSERT) and the complaint's fields (one UPDATE)
    ("routing's and SLA's writes, together", "kesu.sla.actions:SlaBatch", "write"),
]


class Profile:
    def __init__(self, step_cpu: bool = False) -> None:
        self.clock = time.thread_time if step_cpu else (lambda: 0.0)  # a system call: off by default
        self.seconds: dict[str, float] = defaultdict(float)
        self.cpu: dict[str, float] = defaultdict(float)
        self.queries: dict[str, int] = defaultdict(int)
        self.stack: list[str] = ["other (request, token, draft check, idempotency, savepoints, response)"]

    def execute(self, execute, sql, params, many, context):
        self.queries[self.stack[-1]] += 1
        return execute(sql, params, many, context)

    def wrap(self, label: str, function):
        def timed(*args, **kwargs):
            self.stack.append(label)
            began, cpu = time.perf_counter(), self.clock()
            try:
                return function(*args, **kwargs)
            finally:
                self.seconds[label] += time.perf_counter() - began
                self.cpu[label] += self.clock() - cpu
                self.stack.pop()
        return timed


@contextmanager
def steps_wrapped(profile: Profile):
    import importlib

    saved = []
    for label, module_name, attribute in STEPS:
        module_name, _, class_name = module_name.partition(":")
        module = importlib.import_module(module_name)
        if class_name:
            module = getattr(module, class_name, None)
        if module is None or not hasattr(module, attribute):
            print(f"(no {module_name}.{class_name or attribute} here: {label!r} is counted in 'other')", file=sys.stderr)
            continue
        saved.append((module, attribute, getattr(module, attribute)))
        setattr(module, attribute, profile.wrap(label, getattr(module, attribute)))
    try:
        yield
    finally:
        for module, attribute, function in saved:
            setattr(module, attribute, function)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=300)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--step-cpu", action="store_true", help="CPU time per step too (costs a little)")
    parser.add_argument("--pyinstrument", metavar="FILE", help="also write pyinstrument's call tree to FILE")
    parser.add_argument("--cprofile", metavar="FILE", help="also write cProfile's statistics to FILE (pstats)")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kesu.config.settings")
    import django

    django.setup()
    from django.db import connection
    from django.test import Client

    from kesu.complaints.models import Complaint
    from kesu.core.actions import token_create
    from kesu.core.clock import clock_now
    from kesu.core.models import User

    history = Complaint.objects.count()
    user = User.objects.get(username="handler")
    token = token_create(user=user, now=clock_now(), name="profile")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    bodies = [json.dumps(d, ensure_ascii=False) for d in drafts(args.count + 20, seed=11)]
    for body in bodies[:20]:  # warm-up: caches, the model, the first connections
        assert client.post("/api/v1/complaints", body, content_type="application/json").status_code == 201
    profile = Profile(step_cpu=args.step_cpu)
    latencies = []
    sampler = None
    if args.pyinstrument:
        from pyinstrument import Profiler

        sampler = Profiler(interval=0.0005)
        sampler.start()
    if args.cprofile:
        import cProfile

        sampler = cProfile.Profile(time.thread_time)  # CPU time: the machine is shared
        sampler.enable()
    with steps_wrapped(profile), connection.execute_wrapper(profile.execute):
        started, cpu = time.perf_counter(), time.process_time()
        for body in bodies[20:]:
            began = time.perf_counter()
            response = client.post("/api/v1/complaints", body, content_type="application/json")
            latencies.append(time.perf_counter() - began)
            assert response.status_code == 201, response.content
        total, cpu = time.perf_counter() - started, time.process_time() - cpu
    if args.cprofile:
        sampler.disable()
        sampler.dump_stats(args.cprofile)
    elif sampler is not None:
        sampler.stop()
        Path(args.pyinstrument).write_text(sampler.output_text(unicode=True, show_all=False), encoding="utf-8")
    n = len(latencies)
    stepped = sum(profile.seconds.values())
    rows = {label: {"ms": round(profile.seconds[label] * 1000 / n, 3), "cpu_ms": round(profile.cpu[label] * 1000 / n, 3),
                    "queries": round(profile.queries[label] / n, 2)}
            for label, _m, _a in STEPS}
    other = profile.stack[0]
    rows[other] = {"ms": round((total - stepped) * 1000 / n, 3),
                   "cpu_ms": round((cpu - sum(profile.cpu.values())) * 1000 / n, 3) if args.step_cpu else 0.0,
                   "queries": round(profile.queries[other] / n, 2)}
    result = {
        "database": connection.vendor, "history": history, "complaints": n,
        "per_second": round(n / total, 1), "ms_per_intake": round(total * 1000 / n, 2),
        "cpu_ms_per_intake": round(cpu * 1000 / n, 2), "per_cpu_second": round(n / cpu, 1),
        "p50_ms": round(statistics.median(latencies) * 1000, 2),
        "p99_ms": round(sorted(latencies)[min(n - 1, int(0.99 * (n - 1)))] * 1000, 2),
        "queries_per_intake": round(sum(profile.queries.values()) / n, 2), "steps": rows,
    }
    if args.json:
        print(json.dumps(result, ensure_ascii=False))
    else:
        print(f"{connection.vendor}, {history:,} complaints in the database; {n} intakes: "
              f"{result['per_second']}/s, {result['ms_per_intake']} ms each ({result['cpu_ms_per_intake']} ms CPU, "
              f"{result['per_cpu_second']}/CPU-s; p50 {result['p50_ms']}, "
              f"p99 {result['p99_ms']}), {result['queries_per_intake']} queries each")
        print(f"{'step':<72} {'wall ms':>8} {'CPU ms':>8} {'queries':>8}")
        for label, row in rows.items():
            print(f"{label:<72} {row['ms']:>8} {row['cpu_ms']:>8} {row['queries']:>8}")


if __name__ == "__main__":
    main()
