"""Per-process caches of configuration rows, invalidated by a version (ADR 0015).

Intake reads the same configuration on every complaint — routing rules, the default group, the
webhook subscribers, triage's keywords and model, the SLA policies. Each kind is built once per
process and kept with the version it was built at:

    rules = config_cached("routing", rules_read, part="rules")   # rebuilt when the version moved
    config_changed("routing")                          # in the writer's transaction

``config_changed`` raises the kind's row in ``core_configversion`` in the caller's transaction and
drops this process's copy at once (and again after the commit). The other processes compare their
copies with the stored versions, read in one query at most every ``CHECK_EVERY`` seconds: a change
reaches every process within that time, and the hot path costs no query at all in between.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any, TypeVar

from django.db import connection, transaction

T = TypeVar("T")

CHECK_EVERY = 1.0  # seconds between two reads of the stored versions in one process

_lock = threading.Lock()
_versions: tuple[float, dict[str, int]] | None = None
_values: dict[str, tuple[int, Any]] = {}


def _stored_versions() -> dict[str, int]:
    global _versions
    seen = _versions
    if seen is None or time.monotonic() - seen[0] > CHECK_EVERY:
        from kesu.core.models import ConfigVersion

        seen = (time.monotonic(), dict(ConfigVersion.objects.values_list("name", "version")))
        with _lock:
            _versions = seen
    return seen[1]


def config_version(name: str) -> int:
    """The stored version of ``name`` as this process last read it (0: never changed)."""
    return _stored_versions().get(name, 0)


def config_cached(name: str, build: Callable[[], T], *, part: str = "") -> T:
    """``build()``'s result, kept until the version of ``name`` changes (``part``: one of several
    values built from the same kind of configuration)."""
    version = config_version(name)
    key = f"{name}:{part}"
    held = _values.get(key)
    if held is not None and held[0] == version:
        return held[1]
    value = build()
    with _lock:
        _values[key] = (version, value)
    return value


def config_changed(name: str) -> None:
    """Record that configuration ``name`` changed (inside the writer's transaction)."""
    from kesu.core.models import ConfigVersion

    table = connection.ops.quote_name(ConfigVersion._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (name, version) VALUES (%s, 1) "
            f"ON CONFLICT (name) DO UPDATE SET version = {table}.version + 1",
            [name],
        )
    config_cache_reset()
    transaction.on_commit(config_cache_reset)


def config_cache_reset() -> None:
    """Forget every copy of this process (the next read compares the stored versions again)."""
    global _versions
    with _lock:
        _versions = None
        _values.clear()
