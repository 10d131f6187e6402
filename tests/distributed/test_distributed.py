"""The distributed mode end to end: 2 gunicorn web workers and 2 job consumers (one schedules the
periodic jobs) against a private PostgreSQL and a private Redis, concurrent intake with
idempotency keys, PostgreSQL and Redis restarted in the middle. Then: every key made exactly one
complaint, no number twice, every webhook delivery sent once.

Its own servers (initdb + pg_ctl in a temporary folder, a redis-server with an append-only file),
never the shared ones. Slow (≈ 1–2 minutes): run by ``make test-distributed`` (KESU_TEST_DISTRIBUTED=1).
"""

from __future__ import annotations

import http.client
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(
    os.environ.get("KESU_TEST_DISTRIBUTED") != "1", reason="the distributed-mode test runs with make test-distributed"
)

PG_BIN = Path("/usr/lib/postgresql/15/bin")
PG_PORT = int(os.environ.get("KESU_TEST_PG_PORT", "8141"))
REDIS_PORT = int(os.environ.get("KESU_TEST_REDIS_PORT", "8142"))
WEB_PORT = int(os.environ.get("KESU_TEST_WEB_PORT", "8143"))
HOOK_PORT = int(os.environ.get("KESU_TEST_HOOK_PORT", "8144"))
CLIENTS = 4
PER_CLIENT = 30


def _as_postgres(*command: str, **kwargs) -> subprocess.CompletedProcess:
    prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    return subprocess.run([*prefix, *command], check=True, capture_output=True, text=True, timeout=120, **kwargs)


class PrivatePostgres:
    def __init__(self, root: Path) -> None:
        self.data = root / "pg"
        self.socket = root / "pg-socket"
        self.log = root / "pg.log"

    def init(self) -> None:
        for path in (self.data, self.socket):
            path.mkdir(parents=True)
            if os.geteuid() == 0:
                shutil.chown(path, "postgres", "postgres")
        if os.geteuid() == 0:
            shutil.chown(self.data.parent, "postgres", "postgres")
        _as_postgres(str(PG_BIN / "initdb"), "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8")
        self.start()

    def start(self) -> None:
        _as_postgres(str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-l", str(self.log), "-w", "-t", "60", "-o",
                     f"-p {PG_PORT} -k {self.socket} -c listen_addresses=127.0.0.1 -c fsync=off", "start")

    def stop(self, mode: str = "fast") -> None:
        _as_postgres(str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "stop")

    def url(self, database: str) -> str:
        return f"postgres://postgres@127.0.0.1:{PG_PORT}/{database}"


class PrivateRedis:
    def __init__(self, root: Path) -> None:
        self.dir = root / "redis"
        self.dir.mkdir()
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--bind", "127.0.0.1", "--port", str(REDIS_PORT), "--dir", str(self.dir), "--save", "",
             "--appendonly", "yes", "--appendfsync", "always"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 20
        while subprocess.run(["redis-cli", "-p", str(REDIS_PORT), "ping"], capture_output=True, text=True,
                             check=False).stdout.strip() != "PONG":
            assert time.monotonic() < deadline, "redis-server did not start"
            time.sleep(0.1)

    def stop(self) -> None:
        if self.process is not None:
            subprocess.run(["redis-cli", "-p", str(REDIS_PORT), "shutdown"], capture_output=True, check=False)
            self.process.wait(timeout=20)
            self.process = None


class HookReceiver:
    """The webhook subscriber: a real HTTP server on loopback that counts each delivery's POSTs."""

    def __init__(self) -> None:
        self.seen: Counter[str] = Counter()
        received = self.seen
        lock = threading.Lock()

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 (http.server's name)
                self.rfile.read(int(self.headers.get("Content-Length", 0)))
                with lock:
                    received[self.headers.get("X-Kesu-Delivery", "")] += 1
                self.send_response(200)
                self.end_headers()

            def log_message(self, *_args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", HOOK_PORT), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def _kesu(env: dict, *args: str, timeout: float = 300) -> str:
    result = subprocess.run([sys.executable, "-m", "kesu", *args], env=env, capture_output=True, text=True,
                            timeout=timeout, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout.strip()


def _python(env: dict, code: str) -> str:
    result = subprocess.run([sys.executable, "-c", "import django; django.setup()\n" + code], env=env,
                            capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout.strip()


def _wait_http(port: int, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/healthz")
            connection.getresponse().read()
            return
        except OSError:
            assert time.monotonic() < deadline, f"nothing answered on port {port}"
            time.sleep(0.3)


def _post_until_done(token: str, body: bytes, key: str, log: list, deadline: float) -> tuple[int, int]:
    """POST the complaint with its Idempotency-Key until the server answers 200/201 (a client retries
    on a connection error or a 5xx with the same key). Returns (complaint id, attempts)."""
    attempts = 0
    while True:
        attempts += 1
        try:
            connection = http.client.HTTPConnection("127.0.0.1", WEB_PORT, timeout=30)
            connection.request("POST", "/api/v1/complaints", body=body, headers={
                "Authorization": f"Bearer {token}", "Content-Type": "application/json", "Idempotency-Key": key})
            response = connection.getresponse()
            payload = response.read()
            connection.close()
            if response.status in (200, 201):
                return json.loads(payload)["id"], attempts
            log.append(response.status)
        except (OSError, http.client.HTTPException) as error:
            log.append(type(error).__name__)
        assert time.monotonic() < deadline, f"key {key} never succeeded: {log[-5:]}"
        time.sleep(0.2)


@pytest.fixture
def root():
    """A folder the postgres user can reach (pytest's own tmp folders are private to root)."""
    path = Path(tempfile.mkdtemp(prefix="kesu-distributed-"))
    path.chmod(0o755)
    yield path
    shutil.rmtree(path, ignore_errors=True)


def test_two_web_workers_two_consumers_survive_postgres_and_redis_restarts(root):
    # given: private PostgreSQL and Redis, a webhook subscriber, 2 web workers and 2 consumers
    postgres, redis = PrivatePostgres(root), PrivateRedis(root)
    receiver = HookReceiver()
    processes: list[subprocess.Popen] = []
    postgres.init()
    try:
        _as_postgres(str(PG_BIN / "createdb"), "-h", "127.0.0.1", "-p", str(PG_PORT), "-U", "postgres", "kesu")
        redis.start()
        env = {**os.environ, "KESU_DATA_DIR": str(root / "data"), "DATABASE_URL": postgres.url("kesu"),
               "REDIS_URL": f"redis://127.0.0.1:{REDIS_PORT}/0", "DJANGO_SETTINGS_MODULE": "kesu.config.settings",
               "KESU_WEBHOOK_TEST_SECRET": "s3cret-for-the-test",
               # the webhook receiver listens on loopback, which the SSRF guard refuses unless allowed
               "KESU_WEBHOOK_ALLOWED_HOSTS": "127.0.0.1"}
        _kesu(env, "migrate")
        _kesu(env, "createuser", "intake", "--role", "handler", "--password", "intake-pass-1")
        token = _kesu(env, "token", "create", "intake").split()[-1]
        _python(env, (
            "from kesu.channels.webhooks_out import subscriber_save\n"
            "from kesu.core.clock import clock_now\n"
            f"subscriber_save(subscriber=None, by=None, now=clock_now(), name='crm', url='http://127.0.0.1:{HOOK_PORT}/hook',"
            " secret_env='KESU_WEBHOOK_TEST_SECRET', events=['complaint.created'])\n"
        ))
        logs = root / "logs"
        logs.mkdir()

        def start(name: str, *args: str) -> None:
            out = open(logs / f"{name}.log", "w")  # noqa: SIM115 (closed with the process)
            processes.append(subprocess.Popen([sys.executable, "-m", "kesu", *args], env=env, stdout=out,
                                              stderr=subprocess.STDOUT))

        start("web", "serve", "--workers", "2", "--threads", "4", "--port", str(WEB_PORT), "--no-worker")
        start("consumer-periodic", "worker", "--workers", "2")
        start("consumer-2", "worker", "--workers", "2", "--no-periodic")
        _wait_http(WEB_PORT)

        # when: 4 clients post complaints with idempotency keys; PostgreSQL and Redis restart mid-way
        keys = [f"dist-{uuid.uuid4().hex}" for _ in range(CLIENTS * PER_CLIENT)]
        bodies = {key: json.dumps({"channel": "phone", "content": f"宽带断网三天了，要求尽快上门维修（{i}）",
                                   "customer": {"name": "王先生", "phone": f"139{i:08d}"}}, ensure_ascii=False).encode()
                  for i, key in enumerate(keys)}
        results: dict[str, int] = {}
        failures: list = []
        deadline = time.monotonic() + 120
        progress = threading.Semaphore(0)

        def client(share: list[str]) -> None:
            for key in share:
                complaint_id, _attempts = _post_until_done(token, bodies[key], key, failures, deadline)
                results[key] = complaint_id
                progress.release()

        threads = [threading.Thread(target=client, args=(keys[i::CLIENTS],)) for i in range(CLIENTS)]
        for thread in threads:
            thread.start()
        for _ in range(len(keys) // 3):
            progress.acquire()
        postgres.stop("fast")
        time.sleep(1.0)
        postgres.start()
        for _ in range(len(keys) // 3):
            progress.acquire()
        redis.stop()
        time.sleep(1.0)
        redis.start()
        for thread in threads:
            thread.join()
        # the same keys again: each answers with its first complaint
        again = {key: _post_until_done(token, bodies[key], key, failures, time.monotonic() + 30)[0] for key in keys[:10]}

        # then: one complaint per key, none lost, none twice, every number once
        assert len(results) == len(keys)
        assert len(set(results.values())) == len(keys)
        assert all(again[key] == results[key] for key in again)
        counted = json.loads(_python(env, (
            "import json\n"
            "from kesu.complaints.models import Complaint, IdempotencyKey\n"
            "from kesu.channels.models import WebhookDelivery\n"
            "print(json.dumps({'complaints': Complaint.objects.count(),"
            " 'numbers': Complaint.objects.values('number').distinct().count(),"
            " 'keys': IdempotencyKey.objects.count(),"
            " 'deliveries': list(WebhookDelivery.objects.values_list('uuid', flat=True))}, default=str))\n"
        )))
        assert counted["complaints"] == counted["numbers"] == counted["keys"] == len(keys)
        assert len(counted["deliveries"]) == len(keys)
        # every webhook delivered, once (the consumers, or the minute sweep for a job lost in the restart)
        wanted = set(counted["deliveries"])
        deadline = time.monotonic() + 150
        while not wanted <= set(receiver.seen) and time.monotonic() < deadline:
            time.sleep(1.0)
        missing = wanted - set(receiver.seen)
        assert not missing, f"{len(missing)} deliveries never arrived"
        twice = {key: n for key, n in receiver.seen.items() if n > 1}
        assert not twice, f"deliveries sent more than once: {twice}"
        for process in processes:
            assert process.poll() is None, f"a process exited: {process.args}"
        # exactly one consumer schedules the periodic jobs
        periodic, other = (logs / "consumer-periodic.log").read_text(), (logs / "consumer-2.log").read_text()
        assert "Periodic tasks are enabled" in periodic
        assert "Periodic tasks are disabled" in other and "Enqueueing periodic task" not in other
        print(f"{len(keys)} complaints; failed attempts retried with the same key: {Counter(map(str, failures))}; "
              f"{len(wanted)} webhooks delivered once each")
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
        receiver.close()
        redis.stop()
        try:
            postgres.stop("immediate")
        except subprocess.CalledProcessError:
            pass
