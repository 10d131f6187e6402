"""What /healthz reports: can we reach the database and the job store, and is a consumer beating."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import connection
from huey.contrib.djhuey import HUEY

from kesu.core.models import JobHeartbeat

HEARTBEAT_STALE_AFTER = timedelta(minutes=3)


def database_check() -> dict:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        return {"ok": True, "vendor": connection.vendor}
    except Exception as error:  # report, do not raise: this is the health page
        return {"ok": False, "vendor": connection.vendor, "error": str(error)}


def job_store_check(*, now: datetime) -> dict:
    result: dict = {"backend": type(HUEY.storage).__name__}
    try:
        result["pending"] = HUEY.pending_count()
        result["ok"] = True
    except Exception as error:
        return {**result, "ok": False, "error": str(error)}
    beat = JobHeartbeat.objects.filter(name="consumer").values_list("beat_at", flat=True).first()
    result["consumer_last_beat"] = beat.isoformat() if beat else None
    result["consumer_running"] = bool(beat and now - beat < HEARTBEAT_STALE_AFTER)
    return result


def health_report(*, now: datetime) -> dict:
    database = database_check()
    jobs = job_store_check(now=now) if database["ok"] else {"ok": False, "error": "database unreachable"}
    return {"status": "ok" if database["ok"] and jobs["ok"] else "error", "database": database, "jobs": jobs}
