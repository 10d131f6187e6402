"""``kesu backup create|verify|restore`` (issue 15 "Backup and restore").

A backup is one ZIP (0600) holding:

- ``database.sqlite3`` — SQLite through the online backup API (a consistent copy while kesu runs),
  or ``database.dump`` — PostgreSQL through ``pg_dump --format=custom``;
- ``jobs.sqlite3`` — the SQLite job store, when jobs are not on Redis;
- ``files/…`` — everything else in the data folder: attachments and recordings (media), models,
  the secret key, the outbox; not ``static`` (rebuilt) nor the live database files;
- ``manifest.json`` — kesu's version, the database vendor, every table's row count and checksum,
  every file's SHA-256.

``verify`` checks every digest against the manifest (and the SQLite copy's integrity);
``restore`` refuses a data folder / database that is not empty, then unpacks, restores the database
and compares every table and file with the manifest. ``backup_rotate`` keeps the newest N.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection

from kesu.core.errors import FieldError

SKIP_TOP = {"static", "backups"}
LIVE_FILES = {"kesu.sqlite3", "kesu.sqlite3-wal", "kesu.sqlite3-shm", "jobs.sqlite3", "jobs.sqlite3-wal",
              "jobs.sqlite3-shm", "test-kesu.sqlite3", "test-kesu.sqlite3-wal", "test-kesu.sqlite3-shm"}
Progress = Callable[[str, int, int], None]


def _quiet(_label: str, _done: int, _total: int) -> None:
    return None


def progress_bar(label: str, done: int, total: int) -> None:
    width = 30
    filled = int(width * done / total) if total else width
    end = "\n" if done >= total else ""
    print(f"\r{label:<10} [{'#' * filled}{' ' * (width - filled)}] {done}/{total}", end=end, flush=True,
          file=sys.stderr)


def file_digest(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        for chunk in iter(lambda: file.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def table_digests(conn: Any = None) -> dict[str, dict[str, Any]]:
    """Every table's row count and a SHA-256 over its rows in primary-key (first column) order."""
    conn = conn or connection
    if hasattr(conn, "introspection"):
        tables = conn.introspection.table_names()
        cursor_factory = conn.cursor
    else:  # a plain sqlite3 connection (a backup file)
        tables = [r[0] for r in conn.execute("select name from sqlite_master where type='table' "
                                             "and name not like 'sqlite_%'")]
        cursor_factory = conn.cursor
    out = {}
    for table in sorted(tables):
        cursor = cursor_factory()
        cursor.execute(f'SELECT * FROM "{table}" ORDER BY 1')  # noqa: S608 - names from the database
        digest, count = hashlib.sha256(), 0
        for row in cursor.fetchall():
            digest.update(repr(tuple(_plain(v) for v in row)).encode())
            count += 1
        cursor.close()
        out[table] = {"rows": count, "sha256": digest.hexdigest()}
    return out


def _plain(value: Any) -> Any:
    """One value as both databases give it back (datetimes, decimals, JSON text) for the checksum."""
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, memoryview | bytes):
        return bytes(value).hex()
    if isinstance(value, dict | list):
        return json.dumps(value, sort_keys=True, ensure_ascii=False)
    return str(value) if value is not None else None


def _data_files(data_dir: Path) -> list[Path]:
    found = []
    for path in sorted(data_dir.rglob("*")):
        relative = path.relative_to(data_dir)
        if not path.is_file() or relative.parts[0] in SKIP_TOP or (len(relative.parts) == 1 and path.name in LIVE_FILES):
            continue
        found.append(path)
    return found


def backup_create(*, to: Path | None = None, now: datetime, progress: Progress = _quiet) -> Path:
    data_dir = Path(settings.KESU_DATA_DIR)
    folder = Path(to) if to else data_dir / "backups"
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"kesu-backup-{now:%Y%m%d-%H%M%S}.zip"
    vendor = connection.vendor
    with tempfile.TemporaryDirectory(prefix="kesu-backup-") as work:
        work_dir = Path(work)
        progress("database", 0, 1)
        database = _database_dump(work_dir)
        progress("database", 1, 1)
        tables = _file_tables(database) if vendor == "sqlite" else table_digests()
        jobs = _jobs_copy(work_dir)
        files = _data_files(data_dir)
        manifest = {
            "kesu": _version(), "created_at": now.isoformat(), "database": vendor, "tables": tables,
            "database_file": database.name, "jobs_file": jobs.name if jobs else None,
            "files": {},
        }
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
            archive.write(database, database.name)
            manifest["database_sha256"] = file_digest(database)
            if jobs:
                archive.write(jobs, jobs.name)
            for i, path in enumerate(files, start=1):
                name = path.relative_to(data_dir).as_posix()
                archive.write(path, f"files/{name}")
                manifest["files"][name] = file_digest(path)
                progress("files", i, len(files))
            archive.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False, indent=1))
    target.chmod(0o600)
    return target


def _file_tables(path: Path) -> dict[str, dict[str, Any]]:
    """Checksums of a SQLite file read as plain sqlite3 (no Django type conversion), the same way
    when the backup is made, verified and restored."""
    conn = sqlite3.connect(path)
    try:
        return table_digests(conn)
    finally:
        conn.close()


def _tables_now() -> dict[str, dict[str, Any]]:
    if connection.vendor == "sqlite":
        connection.close()
        return _file_tables(Path(settings.DATABASES["default"]["NAME"]))
    return table_digests()


def _version() -> str:
    from kesu import __version__

    return __version__


def _database_dump(work: Path) -> Path:
    if connection.vendor == "sqlite":
        target = work / "database.sqlite3"
        connection.ensure_connection()
        destination = sqlite3.connect(target)
        connection.connection.backup(destination)
        destination.close()
        return target
    target = work / "database.dump"
    subprocess.run([_pg_tool("pg_dump"), "--format=custom", "--no-owner", f"--file={target}", _pg_url()],
                   check=True, capture_output=True, timeout=3600)
    return target


def _jobs_copy(work: Path) -> Path | None:
    filename = settings.HUEY.get("filename")
    if not filename or not Path(filename).exists():
        return None
    target = work / "jobs.sqlite3"
    source = sqlite3.connect(filename)
    destination = sqlite3.connect(target)
    source.backup(destination)
    source.close()
    destination.close()
    return target


def _pg_url() -> str:
    db = settings.DATABASES["default"]
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgresql://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def _pg_tool(name: str) -> str:
    found = shutil.which(name)
    if found:
        return found
    for candidate in sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"), reverse=True):
        return str(candidate)
    raise FieldError("database", "backup.no_pg_tool", tool=name)


def _manifest(archive: zipfile.ZipFile, path: Path) -> dict[str, Any]:
    try:
        return json.loads(archive.read("manifest.json"))
    except (KeyError, ValueError) as error:
        raise FieldError("file", "backup.not_a_backup", name=path.name) from error


def backup_verify(path: Path, *, progress: Progress = _quiet) -> dict[str, Any]:
    """Check every member against the manifest; raise FieldError naming the first that differs."""
    path = Path(path)
    if not path.is_file():
        raise FieldError("file", "file.missing", path=str(path))
    try:
        archive = zipfile.ZipFile(path)
    except zipfile.BadZipFile as error:
        raise FieldError("file", "backup.not_a_backup", name=path.name) from error
    with archive:
        manifest = _manifest(archive, path)
        names = list(manifest["files"])
        if hashlib.sha256(archive.read(manifest["database_file"])).hexdigest() != manifest["database_sha256"]:
            raise FieldError("file", "backup.damaged", name=manifest["database_file"])
        for i, name in enumerate(names, start=1):
            if hashlib.sha256(archive.read(f"files/{name}")).hexdigest() != manifest["files"][name]:
                raise FieldError("file", "backup.damaged", name=name)
            progress("verify", i, len(names))
        if manifest["database"] == "sqlite":
            with tempfile.TemporaryDirectory() as work:
                copy = Path(archive.extract(manifest["database_file"], work))
                conn = sqlite3.connect(copy)
                ok = conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
                conn.close()
                tables = _file_tables(copy)
            if not ok:
                raise FieldError("file", "backup.damaged", name=manifest["database_file"])
            if tables != manifest["tables"]:
                raise FieldError("file", "backup.damaged", name="tables")
    return manifest


def backup_restore(path: Path, *, progress: Progress = _quiet) -> dict[str, Any]:
    """Restore into an empty data folder and an empty database; compare with the manifest."""
    manifest = backup_verify(path, progress=progress)
    data_dir = Path(settings.KESU_DATA_DIR)
    if connection.vendor != manifest["database"]:
        raise FieldError("file", "backup.other_database", kind=manifest["database"], current=connection.vendor)
    present = [p for p in _data_files(data_dir) if p.name != "secret_key"]  # written when kesu starts
    if connection.introspection.table_names() or present:
        raise FieldError("file", "backup.not_empty", path=str(data_dir))
    with zipfile.ZipFile(path) as archive, tempfile.TemporaryDirectory() as work:
        database = Path(archive.extract(manifest["database_file"], work))
        if manifest["database"] == "sqlite":
            connection.ensure_connection()
            source = sqlite3.connect(database)
            source.backup(connection.connection)
            source.close()
        else:
            connection.close()
            subprocess.run([_pg_tool("pg_restore"), "--no-owner", "--exit-on-error", f"--dbname={_pg_url()}",
                            str(database)], check=True, capture_output=True, timeout=3600)
        if manifest.get("jobs_file") and settings.HUEY.get("filename"):
            source = sqlite3.connect(archive.extract(manifest["jobs_file"], work))
            destination = sqlite3.connect(settings.HUEY["filename"])
            source.backup(destination)
            source.close()
            destination.close()
        names = list(manifest["files"])
        for i, name in enumerate(names, start=1):
            target = data_dir / name
            target.parent.mkdir(parents=True, exist_ok=True)
            with archive.open(f"files/{name}") as src, target.open("wb") as dst:
                shutil.copyfileobj(src, dst)
            progress("restore", i, len(names))
    connection.close()
    if _tables_now() != manifest["tables"]:
        raise FieldError("file", "backup.restore_differs", name=path.name)
    differing = [n for n in names if file_digest(data_dir / n) != manifest["files"][n]]
    if differing:
        raise FieldError("file", "backup.damaged", name=differing[0])
    return manifest


def backup_rotate(folder: Path, keep: int) -> list[Path]:
    """Delete all but the newest ``keep`` backups in ``folder``; returns the deleted ones."""
    backups = sorted(Path(folder).glob("kesu-backup-*.zip"))
    old = backups[:-keep] if keep > 0 else backups
    for path in old:
        path.unlink()
    return old


BACKUP_KEEP_DEFAULT = 7


def backup_keep(environ: Any = None) -> int:
    """How many daily backups to keep: ``KESU_BACKUP_KEEP`` (default 7; 0 switches the daily backup off).
    A value that is not a whole number ≥ 0 is refused when the job starts (logged), never taken as 0."""
    import os

    raw = (environ if environ is not None else os.environ).get("KESU_BACKUP_KEEP", "").strip()
    if not raw:
        return BACKUP_KEEP_DEFAULT
    if not raw.isascii() or not raw.isdigit() or len(raw) > 4:
        raise ValueError(f"KESU_BACKUP_KEEP must be a whole number from 0 to 9999, got {raw!r}")
    return int(raw)


def backup_daily(*, now: datetime, environ: Any = None) -> tuple[Path | None, list[Path]]:
    """The daily backup into ``<data folder>/backups`` (or ``KESU_BACKUP_DIR``), then all but the newest
    ``KESU_BACKUP_KEEP`` backups there are deleted. Returns the new backup and the deleted ones."""
    import os

    keep = backup_keep(environ)
    if keep == 0:
        return None, []
    env = environ if environ is not None else os.environ
    folder = Path(env.get("KESU_BACKUP_DIR") or Path(settings.KESU_DATA_DIR) / "backups")
    created = backup_create(to=folder, now=now)
    return created, backup_rotate(folder, keep)
