"""The daily backup job (issue 15, backup and restore): due once a day, it writes a backup with the
existing backup code and keeps only the newest ``KESU_BACKUP_KEEP``. A controlled clock runs five days."""

from __future__ import annotations

import zipfile
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from huey.contrib.djhuey import HUEY

from kesu.privacy import tasks
from kesu.privacy.backup import backup_keep, backup_verify

# a backup reads the database through SQLite's online backup, which waits for an open write transaction:
# these tests run outside the per-test transaction
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def due(at: datetime) -> list[str]:
    """The periodic jobs the scheduler starts at ``at`` (naive UTC, as Huey's scheduler passes it)."""
    return [task.name for task in (cls() for cls in HUEY._registry._periodic_tasks) if task.validate_datetime(at)]


def test_the_backup_runs_once_a_day_and_keeps_the_newest_n(tmp_path, settings, monkeypatch):
    settings.KESU_DATA_DIR = tmp_path
    monkeypatch.setenv("KESU_BACKUP_KEEP", "3")
    folder = tmp_path / "backups"
    start = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)
    for day in range(5):
        for minute in range(0, 60):  # the night's hour, minute by minute: one run
            at = start + timedelta(days=day, minutes=minute)
            with time_machine.travel(at, tick=False):
                if "backup_every_day" in due(at.replace(tzinfo=None)):
                    tasks.backup_every_day.call_local()
        made = sorted(p.name for p in folder.glob("kesu-backup-*.zip"))
        # each day adds one backup, and from the fourth day on the oldest goes
        assert len(made) == min(day + 1, 3)
        assert made[-1] == f"kesu-backup-{start + timedelta(days=day, minutes=15):%Y%m%d-%H%M%S}.zip"
    assert made == [f"kesu-backup-202612{d:02d}-021500.zip" for d in (3, 4, 5)]
    newest = folder / made[-1]
    assert newest.stat().st_mode & 0o777 == 0o600
    with zipfile.ZipFile(newest) as archive:
        assert "manifest.json" in archive.namelist()
    assert backup_verify(newest)  # the daily backup is a normal, verifiable backup


def test_keep_zero_switches_the_daily_backup_off_and_a_bad_value_deletes_nothing(tmp_path, settings, monkeypatch):
    settings.KESU_DATA_DIR = tmp_path
    monkeypatch.setenv("KESU_BACKUP_KEEP", "0")
    tasks.backup_every_day.call_local()
    assert not list(tmp_path.glob("backups/*.zip"))
    monkeypatch.setenv("KESU_BACKUP_KEEP", "1")
    tasks.backup_every_day.call_local()
    assert len(list(tmp_path.glob("backups/*.zip"))) == 1
    monkeypatch.setenv("KESU_BACKUP_KEEP", "-1")
    tasks.backup_every_day.call_local()  # logged, not raised; the existing backup stays
    assert len(list(tmp_path.glob("backups/*.zip"))) == 1
    with pytest.raises(ValueError, match="KESU_BACKUP_KEEP"):
        backup_keep({"KESU_BACKUP_KEEP": "７"})
    assert backup_keep({}) == 7
