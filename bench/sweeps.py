"""The three sweeps with many items due at once (a mass incident, an SMTP or subscriber outage):

- SLA: ``--due`` complaints fall due at once among ``--open`` open ones;
- notification deliveries: ``--due`` e-mails due (the file backend: the cost of kesu, not of an
  SMTP server), then the same with the SMTP server down (a closed port on loopback);
- webhook deliveries: ``--due`` deliveries to a subscriber on loopback, then with it down.

    python bench/sweeps.py --due 10000 --open 20000
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/test python bench/sweeps.py --due 10000

Prints one JSON line per part, with milliseconds per due item (target: ≤ 1 ms): wall time, and the
CPU time of this process (on a machine shared with other work, the figure that does not depend on
the others' load; the database's own time is in it on SQLite, not on PostgreSQL).
"""

from __future__ import annotations

import argparse
import json
import socket
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

sys.path.append(str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from sla_sweep import NOW, _fill, setup_django  # noqa: E402
from support import bench_database  # noqa: E402


def line(**values) -> None:
    print(json.dumps(values, ensure_ascii=False), flush=True)


def part_sla(total_open: int, due: int) -> None:
    from kesu.sla.actions import sla_sweep

    _fill(total_open, due)
    began, cpu = time.perf_counter(), time.process_time()
    result = sla_sweep(now=NOW)
    seconds, cpu = time.perf_counter() - began, time.process_time() - cpu
    assert result.looked_at == due, result
    line(part="SLA sweep", open_complaints=total_open, due=due, seconds=round(seconds, 2),
         ms_per_item=round(seconds * 1000 / due, 3),
         cpu_ms_per_item=round(cpu * 1000 / due, 3))


def _notifications(due: int) -> None:
    from django.db import transaction

    from kesu.complaints.models import Complaint
    from kesu.core.models import User
    from kesu.demo.bulk import ids_reserve, rows_insert
    from kesu.notifications.models import Delivery, Notification

    user = User.objects.filter(email__gt="").first() or User.objects.first()
    if not user.email:
        user.email = "lead@example.com"
        user.save(update_fields=["email"])
    complaint = Complaint.objects.first()
    with transaction.atomic():
        notes = [Notification(recipient=user, complaint=complaint, kind="sla_breached", title="超时", body="",
                              title_message={}, body_message=[], key=f"bench:{i}", created_at=NOW) for i in range(due)]
        for note, pk in zip(notes, ids_reserve(Notification, due), strict=True):
            note.pk = pk
        rows_insert(Notification, notes)
        rows_insert(Delivery, [Delivery(notification_id=n.pk, channel="email", not_before=NOW, next_attempt_at=NOW)
                               for n in notes])


def part_notifications(due: int) -> None:
    from django.conf import settings
    from django.test.utils import override_settings

    from kesu.notifications.delivery import deliveries_send_due
    from kesu.notifications.models import Delivery

    Delivery.objects.all().delete()
    _notifications(due)
    began, cpu = time.perf_counter(), time.process_time()
    counts = deliveries_send_due(now=NOW, budget=3600)
    seconds, cpu = time.perf_counter() - began, time.process_time() - cpu
    line(part="notification sweep, e-mail (file backend)", due=due, seconds=round(seconds, 2),
         ms_per_item=round(seconds * 1000 / due, 3),
         cpu_ms_per_item=round(cpu * 1000 / due, 3), outcome=dict(counts))
    Delivery.objects.all().delete()
    _notifications(due)
    with socket.socket() as sock:  # a port nobody listens on: the SMTP server is down
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend", EMAIL_HOST="127.0.0.1",
                           EMAIL_PORT=port, EMAIL_TIMEOUT=5):
        began, cpu = time.perf_counter(), time.process_time()
        counts = deliveries_send_due(now=NOW, budget=3600)
        seconds, cpu = time.perf_counter() - began, time.process_time() - cpu
    assert settings.EMAIL_BACKEND
    line(part="notification sweep, SMTP server down", due=due, seconds=round(seconds, 2),
         ms_per_item=round(seconds * 1000 / due, 3),
         cpu_ms_per_item=round(cpu * 1000 / due, 3), outcome=dict(counts))


def _webhooks(due: int, port: int) -> None:
    import uuid

    from django.db import transaction

    from kesu.channels.models import WebhookDelivery
    from kesu.channels.webhooks_out import subscriber_save
    from kesu.demo.bulk import rows_insert

    WebhookDelivery.objects.all().delete()
    subscriber, _secret = subscriber_save(subscriber=None, by=None, now=NOW, name=f"bench-{port}",
                                          url=f"http://127.0.0.1:{port}/hook", events=["complaint.created"])
    with transaction.atomic():
        rows_insert(WebhookDelivery, [
            WebhookDelivery(subscriber=subscriber, uuid=uuid.uuid4(), event_type="complaint.created", complaint=None,
                            payload={"type": "complaint.created", "n": i}, next_attempt_at=NOW, created_at=NOW)
            for i in range(due)
        ])


def part_webhooks(due: int) -> None:
    from kesu.channels.webhooks_out import webhooks_send_due

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self):  # noqa: N802
            self.rfile.read(int(self.headers.get("Content-Length", 0)))
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *_args):
            pass

    from django.test.utils import override_settings

    allowed = override_settings(KESU_WEBHOOK_ALLOWED_HOSTS=["127.0.0.1"])  # the subscriber is on loopback
    allowed.enable()
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        _webhooks(due, server.server_address[1])
        began, cpu = time.perf_counter(), time.process_time()
        counts = webhooks_send_due(now=NOW, budget=3600)
        seconds, cpu = time.perf_counter() - began, time.process_time() - cpu
        line(part="webhook sweep, subscriber on loopback", due=due, seconds=round(seconds, 2),
             ms_per_item=round(seconds * 1000 / due, 3),
         cpu_ms_per_item=round(cpu * 1000 / due, 3), outcome=dict(counts))
    finally:
        server.shutdown()
        server.server_close()
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        closed = sock.getsockname()[1]
    _webhooks(due, closed)
    began, cpu = time.perf_counter(), time.process_time()
    counts = webhooks_send_due(now=NOW, budget=3600)
    seconds, cpu = time.perf_counter() - began, time.process_time() - cpu
    line(part="webhook sweep, subscriber down", due=due, seconds=round(seconds, 2),
         ms_per_item=round(seconds * 1000 / due, 3),
         cpu_ms_per_item=round(cpu * 1000 / due, 3), outcome=dict(counts))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--due", type=int, default=10_000)
    parser.add_argument("--open", type=int, default=20_000)
    parser.add_argument("--only", choices=["sla", "notifications", "webhooks"])
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as data_dir, bench_database() as database_url:
        setup_django(data_dir, database_url)
        from django.db import connection

        line(database=connection.vendor)
        if args.only is not None and args.only != "sla":
            _fill(10, 1)  # a lead, a complaint: what the deliveries point at
        if args.only in (None, "sla"):
            part_sla(args.open, args.due)
        if args.only in (None, "notifications"):
            part_notifications(args.due)
        if args.only in (None, "webhooks"):
            part_webhooks(args.due)


if __name__ == "__main__":
    main()
