"""Intake benchmark: complaints created per second through the REST API, with p50 / p99 latency.

Two ways: in-process (Django's test client, no network) and against a live `kesu serve` (waitress +
Huey consumer) over HTTP with keep-alive connections from several client threads.

    python bench/intake.py                      # SQLite in a throw-away data folder
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/test python bench/intake.py
                                                # PostgreSQL: a throw-away database kesu_bench_* on that server
    python bench/intake.py --count 2000 --clients 1 4
    python bench/intake.py --data-dir /tmp/k1m --count 1000 --clients 1 4   # an existing folder (1M history)
    DATABASE_URL=… python bench/intake.py --workers 2 --clients 4          # gunicorn, 2 workers

Every complaint written includes its customer lookup/creation, its number and its `created` event.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
TEXTS = [
    "宽带从前天开始断网，报修两次都没人上门，要求尽快处理并减免本月费用。",
    "订单{order}的冰箱送到时外箱破损，门把手断裂，要求换货。",
    "客服电话等了四十分钟才接通，接线员态度很差，直接挂断了我的电话！",
    "套餐被莫名其妙扣费{amount}元，我从来没有订购过这个业务，请退款。",
    "快递显示已签收但我根本没有收到，物流客服一直推脱。",
]


sys.path.insert(0, str(Path(__file__).resolve().parent))
from support import bench_database  # noqa: E402


def drafts(count: int, seed: int = 7) -> list[dict]:
    rng = random.Random(seed)
    out = []
    for i in range(count):
        text = rng.choice(TEXTS).format(order=f"DD{rng.randrange(10**9):09d}", amount=rng.randrange(5, 500))
        out.append({
            "channel": rng.choice(["phone", "chat", "email", "social"]),
            "content": f"{text}（第{i}次测试）",
            "customer": {"name": rng.choice(SURNAMES) + "先生", "phone": f"139{rng.randrange(10**8):08d}"},
            "severity": rng.choice(["general", "general", "urgent"]),
        })
    return out


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def report(label: str, latencies: list[float], seconds: float, server_cpu: float | None = None) -> dict:
    result = {
        "mode": label, "complaints": len(latencies), "seconds": round(seconds, 2),
        "per_second": round(len(latencies) / seconds, 1),
        "p50_ms": round(statistics.median(latencies) * 1000, 2),
        "p99_ms": round(percentile(latencies, 99) * 1000, 2),
        "load_average": round(os.getloadavg()[0], 1),
    }
    if server_cpu is not None:  # the server's own CPU: what it would take on a free core
        result["server_cpu_ms_per_intake"] = round(server_cpu * 1000 / len(latencies), 2)
        result["per_server_cpu_second"] = round(len(latencies) / server_cpu, 1) if server_cpu else None
    print(json.dumps(result, ensure_ascii=False), flush=True)
    return result


def kesu(env: dict, *args: str) -> str:
    result = subprocess.run([sys.executable, "-m", "kesu", *args], env=env, capture_output=True, text=True, check=True)
    return result.stdout.strip()


def in_process(count: int, env: dict, token: str) -> dict:
    """Django's test client in this process: the cost of kesu itself, no network or server."""
    os.environ.update(env)
    os.environ["DJANGO_SETTINGS_MODULE"] = "kesu.config.settings"
    import django

    django.setup()
    from django.test import Client

    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    bodies = [json.dumps(d, ensure_ascii=False) for d in drafts(count, seed=1)]
    latencies = []
    for body in bodies[:20]:  # warm up
        client.post("/api/v1/complaints", body, content_type="application/json")
    started = time.perf_counter()
    for body in bodies[20:]:
        t = time.perf_counter()
        response = client.post("/api/v1/complaints", body, content_type="application/json")
        latencies.append(time.perf_counter() - t)
        assert response.status_code == 201, response.content
    return report("in-process", latencies, time.perf_counter() - started)


def tree_cpu(pid: int) -> float:
    """CPU seconds (user + system) used so far by process ``pid`` and its living descendants (the
    server, its gunicorn workers, its job consumer), from /proc: the machine is shared, so the wall
    throughput alone measures the other sessions too."""
    tick = os.sysconf("SC_CLK_TCK")
    parents: dict[int, int] = {}
    used: dict[int, float] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents[int(entry.name)] = int(fields[1])
        used[int(entry.name)] = (int(fields[11]) + int(fields[12])) / tick
    tree, grown = {pid}, True
    while grown:
        more = {child for child, parent in parents.items() if parent in tree} - tree
        tree |= more
        grown = bool(more)
    return sum(used.get(p, 0.0) for p in tree)


def live(count: int, clients: int, env: dict, token: str, workers: int = 0) -> dict:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    serve = ["serve", "--port", str(port)] + (["--workers", str(workers), "--threads", "4"] if workers else [])
    server = subprocess.Popen([sys.executable, "-m", "kesu", *serve], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120  # the triage model loads first: ~25 s on a loaded machine
        while True:
            try:
                http.client.HTTPConnection("127.0.0.1", port, timeout=2).request("GET", "/healthz")
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        bodies = [json.dumps(d, ensure_ascii=False).encode() for d in drafts(count + 20 * max(1, workers), seed=2)]
        latencies: list[float] = []
        lock = threading.Lock()
        errors: list[str] = []

        def client_loop(share: list[bytes]) -> None:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
            mine = []
            for body in share:
                t = time.perf_counter()
                connection.request("POST", "/api/v1/complaints", body=body, headers=headers)
                response = connection.getresponse()
                response.read()
                mine.append(time.perf_counter() - t)
                if response.status != 201:
                    errors.append(str(response.status))
            with lock:
                latencies.extend(mine)

        # warm-up (not measured): the first requests of each worker load the triage model, the caches
        warm, bodies = bodies[:len(bodies) - count], bodies[len(bodies) - count:]
        warmers = [threading.Thread(target=client_loop, args=(warm[i::4],)) for i in range(4)]  # each worker
        for thread in warmers:
            thread.start()
        for thread in warmers:
            thread.join()
        latencies.clear()
        errors.clear()
        threads = [threading.Thread(target=client_loop, args=(bodies[i::clients],)) for i in range(clients)]
        cpu = tree_cpu(server.pid)
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        seconds = time.perf_counter() - started
        cpu = tree_cpu(server.pid) - cpu
        if errors:
            print(f"{len(errors)} requests failed: {sorted(set(errors))}", file=sys.stderr)
        server_name = f"gunicorn {workers} workers" if workers else "kesu serve"
        return report(f"live {server_name}, {clients} clients", latencies, seconds, server_cpu=cpu)
    finally:
        server.terminate()
        try:
            server.wait(timeout=60)  # gunicorn lets its workers finish: slow on a loaded machine
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=2000, help="complaints per mode (default 2000)")
    parser.add_argument("--clients", type=int, nargs="+", default=[4],
                        help="client threads against kesu serve, one run per number (default 4)")
    parser.add_argument("--workers", type=int, default=0, help="kesu serve --workers N (gunicorn, PostgreSQL)")
    parser.add_argument("--data-dir", type=Path, default=None,
                        help="an existing data folder (e.g. a demo with 1,000,000 complaints): its database, "
                             "its routing rules and handlers, the demo login 'handler'")
    parser.add_argument("--modes", default="live,in-process", help="live, in-process or both (default)")
    args = parser.parse_args()
    modes = set(args.modes.split(","))
    if args.data_dir is not None:
        env = {**os.environ, "KESU_DATA_DIR": str(args.data_dir)}
        print(f"data folder {args.data_dir} ({env.get('DATABASE_URL') or 'SQLite'})", flush=True)
        token = kesu(env, "token", "create", "handler")
        for clients in args.clients if "live" in modes else []:
            live(args.count, clients, env, token, args.workers)
        if "in-process" in modes:
            in_process(args.count, env, token)
        return
    with tempfile.TemporaryDirectory() as data_dir, bench_database() as database_url:
        env = {**os.environ, "KESU_DATA_DIR": data_dir}
        if database_url:
            env["DATABASE_URL"] = database_url
        print(f"database: {'PostgreSQL' if database_url else 'SQLite (WAL)'}; data folder {data_dir}", flush=True)
        kesu(env, "migrate")
        kesu(env, "createuser", "bench", "--role", "handler", "--password", "bench-pass-1")
        token = kesu(env, "token", "create", "bench")
        for clients in args.clients if "live" in modes else []:
            live(args.count, clients, env, token, args.workers)
        if "in-process" in modes:
            in_process(args.count, env, token)


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
    main()
