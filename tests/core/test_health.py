"""What /healthz reports, checked without the HTTP layer."""

from __future__ import annotations

from datetime import timedelta

import pytest

from kesu.core import health
from kesu.core.actions import heartbeat_record
from tests.factories import T0

pytestmark = pytest.mark.django_db


def test_all_is_well():
    report = health.health_report(now=T0)

    assert report["status"] == "ok"
    assert report["database"]["ok"] is True
    assert report["jobs"]["ok"] is True
    assert report["jobs"]["consumer_running"] is False  # no consumer has beaten yet


def test_a_recent_heartbeat_means_the_consumer_runs():
    heartbeat_record(name="consumer", now=T0)

    assert health.health_report(now=T0 + timedelta(minutes=2))["jobs"]["consumer_running"] is True
    stale = health.health_report(now=T0 + health.HEARTBEAT_STALE_AFTER + timedelta(seconds=1))
    assert stale["jobs"]["consumer_running"] is False
    assert stale["status"] == "ok"  # a stopped consumer is reported, not an outage of the web


def test_a_failing_database_is_reported_not_raised(monkeypatch):
    class BrokenCursor:
        def __enter__(self):
            raise OSError("could not connect to server")

        def __exit__(self, *exc):
            return False

    monkeypatch.setattr(health.connection, "cursor", lambda: BrokenCursor())

    database = health.database_check()

    assert database["ok"] is False
    assert "could not connect" in database["error"]


def test_when_the_database_fails_the_report_is_an_error(monkeypatch):
    monkeypatch.setattr(
        health, "database_check", lambda: {"ok": False, "vendor": "sqlite", "error": "locked"}
    )

    report = health.health_report(now=T0)

    assert report["status"] == "error"
    assert report["jobs"] == {"ok": False, "error": "database unreachable"}
