"""Backup round trip (issue 15): a backup of a data folder with complaints, an attachment and a job
store, restored into an empty data folder by a separate ``kesu`` process, has every table's row count
and checksum and every file's digest; verify finds a damaged backup."""

from __future__ import annotations

import json
import zipfile

import pytest

from tests.live import Kesu, live_database

pytestmark = pytest.mark.live


def test_backup_restore_round_trip_is_lossless(tmp_path):
    with live_database() as source_url, live_database() as target_url:
        source = Kesu(tmp_path / "source", source_url)
        assert source.run("migrate", timeout=600).returncode == 0
        assert source.run("createuser", "h1", "--role", "manager", "--password", "a-long-pass-123").returncode == 0
        (tmp_path / "source" / "media" / "attachments").mkdir(parents=True)
        (tmp_path / "source" / "media" / "attachments" / "收据.txt").write_text("退款凭证", encoding="utf-8")
        csv = tmp_path / "c.csv"
        csv.write_text("channel,content,customer_name,phone\nphone,宽带断网三天,张伟,13800138000\n"
                       "email,发票开错了,李娜,13912345678\n", encoding="utf-8")
        assert source.run("import", "complaints", str(csv)).returncode == 0

        made = source.run("backup", "create", "--to", str(tmp_path / "backups"))
        assert made.returncode == 0, made.stderr[-2000:]
        backup = next((tmp_path / "backups").glob("kesu-backup-*.zip"))
        assert oct(backup.stat().st_mode & 0o777) == "0o600"
        assert source.run("backup", "verify", str(backup)).returncode == 0

        target = Kesu(tmp_path / "target", target_url)
        restored = target.run("backup", "restore", str(backup), timeout=600)
        assert restored.returncode == 0, restored.stderr[-2000:] + restored.stdout[-2000:]
        assert "match the manifest" in restored.stdout
        with zipfile.ZipFile(backup) as archive:
            manifest = json.loads(archive.read("manifest.json"))
        assert manifest["tables"]["complaints_complaint"]["rows"] == 2
        assert "media/attachments/收据.txt" in manifest["files"]
        assert (tmp_path / "target" / "media" / "attachments" / "收据.txt").read_text(encoding="utf-8") == "退款凭证"
        # restoring again into the now full folder is refused
        assert target.run("backup", "restore", str(backup)).returncode == 1


def test_verify_names_a_damaged_member(tmp_path):
    with live_database() as url:
        kesu = Kesu(tmp_path / "d", url)
        assert kesu.run("migrate", timeout=600).returncode == 0
        (tmp_path / "d" / "media").mkdir()
        (tmp_path / "d" / "media" / "a.txt").write_text("x")
        assert kesu.run("backup", "create", "--to", str(tmp_path)).returncode == 0
        backup = next(tmp_path.glob("kesu-backup-*.zip"))
        damaged = tmp_path / "damaged.zip"
        with zipfile.ZipFile(backup) as src, zipfile.ZipFile(damaged, "w") as dst:
            for item in src.infolist():
                data = src.read(item)
                dst.writestr(item, b"y" if item.filename == "files/media/a.txt" else data)
        checked = kesu.run("backup", "verify", str(damaged))
        assert checked.returncode == 1 and "a.txt" in checked.stderr
