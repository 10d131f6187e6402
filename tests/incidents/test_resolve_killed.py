"""Resolving an incident in chunks by a job: killed mid-way (SIGKILL) and run again, every linked
customer is answered exactly once and every complaint is closed (a real process, a real database); the
SMS customers get the resolution through the SMS gateway (a real HTTP server) once each."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from collections import Counter

import pytest

from tests.live import Kesu, live_database
from tests.notifications.servers import WebhookServer

pytestmark = pytest.mark.live

SEED = textwrap.dedent("""
    import os, django
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kesu.config.settings")
    django.setup()
    from datetime import UTC, datetime, timedelta
    from kesu.customers.actions import CustomerHandles
    from kesu.complaints.drafts import ComplaintDraft
    from kesu.core.actions import user_create
    from kesu.incidents.actions import incident_declare, incident_resolve
    from kesu.pipeline.intake import complaint_create
    t0 = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)
    boss = user_create(username="boss", role="manager", password="Kq8-mZvT2wL-9x")
    incident = incident_declare(by=boss, now=t0, title="南山区宽带中断", kind="outage",
        announcement={"zh-hans": "南山区光缆中断", "en": "Fibre cut in Nanshan"},
        scope={"regions": ["广东省深圳市南山区"], "keywords": ["宽带"]}, starts_at=t0).incident
    for i in range(N):
        complaint_create(draft=ComplaintDraft(channel="sms" if i % 3 == 0 else "web", content="宽带断了，上不了网", region="广东省深圳市南山区",
            customer=CustomerHandles(name="客户", phone=str(13900000000 + i))), by=None, now=t0 + timedelta(seconds=i))
    incident_resolve(incident=incident, by=boss, now=t0 + timedelta(hours=2),
        message={"zh-hans": "已修复：光缆接通", "en": "Repaired"}, root_cause="third_party")
    print(incident.pk)
""")

CHECK = textwrap.dedent("""
    import os, django, json
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kesu.config.settings")
    django.setup()
    from collections import Counter
    from kesu.complaints.models import Complaint, ComplaintEvent
    closing = Counter(c for c, data in ComplaintEvent.objects.filter(kind="reply_sent").values_list("complaint_id", "data")
                      if "已修复：光缆接通" in data["text"])
    closed = Counter(ComplaintEvent.objects.filter(kind="closed").values_list("complaint_id", flat=True))
    print(json.dumps({"complaints": Complaint.objects.count(), "statuses": sorted(set(Complaint.objects.values_list("status", flat=True))),
                      "answered_once": sum(1 for n in closing.values() if n == 1), "answered_twice": sum(1 for n in closing.values() if n > 1),
                      "closed_twice": sum(1 for n in closed.values() if n > 1)}))
""")


SEND = textwrap.dedent("""
    import os, django
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kesu.config.settings")
    django.setup()
    from datetime import UTC, datetime, timedelta
    from kesu.channels.replies import outbound_send_due
    while outbound_send_due(now=datetime.now(UTC) + timedelta(days=1)):  # the resolution ran on the real clock
        pass
""")


def _python(kesu: Kesu, code: str) -> str:
    done = subprocess.run([sys.executable, "-c", code], env=kesu.env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout.strip()


def test_a_killed_resolution_run_again_answers_every_customer_exactly_once(tmp_path):
    n = 120
    with live_database() as database_url, WebhookServer() as gateway:
        kesu = Kesu(tmp_path / "data", database_url)
        kesu.env["KESU_SMS_WEBHOOK_URL"] = gateway.url
        assert kesu.run("migrate", timeout=600).returncode == 0  # a loaded machine takes minutes
        incident_id = _python(kesu, f"N = {n}\n" + SEED).splitlines()[-1]

        # the first run is killed after its second chunk of 10
        run = subprocess.Popen([sys.executable, "-m", "kesu", "incidents", "resolve-run", incident_id, "--chunk", "10"],
                               env=kesu.env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        lines = []
        for line in run.stdout:
            lines.append(line)
            if line.startswith("closed 20"):
                os.kill(run.pid, signal.SIGKILL)
                break
        run.wait(timeout=30)
        assert run.returncode == -signal.SIGKILL, lines
        partial = _python(kesu, CHECK)
        assert '"answered_twice": 0' in partial and '"statuses": ["closed", "new"]' in partial, partial

        # run again: it finishes what is left
        again = kesu.run("incidents", "resolve-run", incident_id, "--chunk", "10", timeout=600)
        assert again.returncode == 0, again.stderr
        import json

        final = json.loads(_python(kesu, CHECK))
        assert final == {"complaints": n, "statuses": ["closed"], "answered_once": n, "answered_twice": 0,
                         "closed_twice": 0}

        # the SMS customers (every third): the gateway got the announcement and the resolution, once each
        _python(kesu, SEND)
        texts = Counter((r.json()["to"], r.json()["text"].splitlines()[0]) for r in gateway.requests)
        phones = {str(13900000000 + i) for i in range(0, n, 3)}
        assert {to for to, _text in texts} == phones
        assert sorted(set(texts.values())) == [1] and len(texts) == 2 * len(phones)
        assert {text for _to, text in texts} == {"南山区光缆中断", "已修复：光缆接通"}
