"""Reading the files the commands take (arrival series, event logs); every error names its row and column.

Pure (no Django): ``SeriesError`` / ``LogError`` carry the line number, the column and a reason, printed in
one line by the CLI.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path


class FileRowError(ValueError):
    """A bad row in an input file: ``FILE line N, column C: reason``."""

    def __init__(self, path: Path | str, line: int | None, column: str | None, reason: str) -> None:
        where = f"{path}"
        if line is not None:
            where += f" line {line}"
        if column:
            where += f", column {column}"
        super().__init__(f"{where}: {reason}")


def _timestamp(value: str, path, line: int, column: str) -> datetime:
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError:
        raise FileRowError(path, line, column, f"{value!r} is not an ISO 8601 timestamp") from None
    return parsed.replace(tzinfo=None) if parsed.tzinfo is None else parsed


def _rows(path: Path, required: tuple[str, ...]):
    try:
        handle = path.open(newline="", encoding="utf-8-sig")
    except OSError as error:
        raise FileRowError(path, None, None, f"cannot be read ({error.strerror})") from None
    with handle:
        reader = csv.DictReader(handle)
        header = [name.strip() for name in reader.fieldnames or []]
        missing = [name for name in required if name not in header]
        if missing:
            raise FileRowError(path, 1, missing[0], f"the header lacks the column (expected {', '.join(required)})")
        reader.fieldnames = header
        try:
            yield from enumerate(reader, start=2)
        except (csv.Error, UnicodeDecodeError) as error:
            raise FileRowError(path, reader.line_num, None, f"not a CSV row ({error})") from None


def series_read(path: Path) -> list[tuple[datetime, float]]:
    """``timestamp,count`` rows, in file order."""
    rows = []
    for line, row in _rows(path, ("timestamp", "count")):
        at = _timestamp(row.get("timestamp") or "", path, line, "timestamp")
        raw = (row.get("count") or "").strip()
        try:
            count = float(raw)
        except ValueError:
            raise FileRowError(path, line, "count", f"{raw!r} is not a number") from None
        if count < 0 or count != count:
            raise FileRowError(path, line, "count", f"{raw!r} is negative")
        rows.append((at, count))
    if not rows:
        raise FileRowError(path, None, None, "has no rows")
    zones = {at.utcoffset() is None for at, _ in rows}
    if len(zones) > 1:
        raise FileRowError(path, None, "timestamp", "mixes timestamps with and without a UTC offset")
    return rows


@dataclass(frozen=True)
class Event:
    case_id: str
    activity: str
    at: datetime
    attributes: dict


def log_read(path: Path) -> list[Event]:
    """``case_id,activity,timestamp`` rows (extra columns kept as attributes)."""
    events = []
    for line, row in _rows(path, ("case_id", "activity", "timestamp")):
        case_id = (row.get("case_id") or "").strip()
        if not case_id:
            raise FileRowError(path, line, "case_id", "is empty")
        activity = (row.get("activity") or "").strip()
        if not activity:
            raise FileRowError(path, line, "activity", "is empty")
        at = _timestamp(row.get("timestamp") or "", path, line, "timestamp")
        if at.tzinfo is not None:
            at = at.astimezone(UTC).replace(tzinfo=None)  # one clock for the whole log
        extra = {k: v for k, v in row.items() if k not in ("case_id", "activity", "timestamp") and k}
        events.append(Event(case_id, activity, at, extra))
    if not events:
        raise FileRowError(path, None, None, "has no rows")
    return events
