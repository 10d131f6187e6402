"""Settings of data protection and hardening (issue 15, ADR 0014), read from the environment."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

from kesu.config.environment import ConfigurationError

ACTOR_SCOPES = frozenset({"group", "lead", "manager", "management"})


@dataclass(frozen=True)
class Hardening:
    complaint_actors: frozenset[str]
    https: bool
    session_idle_minutes: int
    session_absolute_hours: int
    webhook_allowed_hosts: tuple[str, ...]
    # login and sessions (issue 15, "Login and sessions"; kesu.security)
    login_max_failures: int = 5
    login_address_max_failures: int = 20
    login_lock_minutes: int = 15
    token_max_failures: int = 20
    token_days: int = 90


def _whole(environ: Mapping[str, str], name: str, default: str) -> int:
    try:
        value = int(environ.get(name, default))
    except ValueError as error:
        raise ConfigurationError(f"{name} must be a whole number") from error
    if value < 1:
        raise ConfigurationError(f"{name} must be 1 or more")
    return value


def _whole_or_zero(environ: Mapping[str, str], name: str, default: str) -> int:
    try:
        value = int(environ.get(name, default))
    except ValueError as error:
        raise ConfigurationError(f"{name} must be a whole number") from error
    if value < 0:
        raise ConfigurationError(f"{name} must be 0 or more")
    return value


def hardening_read(environ: Mapping[str, str] = os.environ) -> Hardening:
    actors = frozenset(
        p.strip() for p in environ.get("KESU_COMPLAINT_ACTORS", "group,lead,manager,management").split(",") if p.strip()
    )
    if actors - ACTOR_SCOPES:
        raise ConfigurationError(
            f"KESU_COMPLAINT_ACTORS may list {', '.join(sorted(ACTOR_SCOPES))}, not {', '.join(sorted(actors - ACTOR_SCOPES))}"
        )
    return Hardening(
        complaint_actors=actors,
        https=environ.get("KESU_HTTPS", "") in {"1", "true", "yes"},
        session_idle_minutes=_whole(environ, "KESU_SESSION_IDLE_MINUTES", "30"),
        session_absolute_hours=_whole(environ, "KESU_SESSION_ABSOLUTE_HOURS", "12"),
        webhook_allowed_hosts=tuple(
            h.strip().lower() for h in environ.get("KESU_WEBHOOK_ALLOWED_HOSTS", "").split(",") if h.strip()
        ),
        login_max_failures=_whole(environ, "KESU_LOGIN_MAX_FAILURES", "5"),
        login_address_max_failures=_whole(environ, "KESU_LOGIN_ADDRESS_MAX_FAILURES", "20"),
        login_lock_minutes=_whole(environ, "KESU_LOGIN_LOCK_MINUTES", "15"),
        token_max_failures=_whole(environ, "KESU_TOKEN_MAX_FAILURES", "20"),
        token_days=_whole_or_zero(environ, "KESU_TOKEN_DAYS", "90"),
    )


def files_private(data_dir) -> None:
    """The data folder, database, job store, backups and exports are the owner's alone (issue 15 §6):
    the data folder 0700 and the files and folders in its top level 0600 / 0700. (Not a process-wide
    umask: kesu runs inside other programs — tests, WSGI servers — whose files are not its own.)
    New files: uploads by FILE_UPLOAD_PERMISSIONS, the database files when a connection opens
    (``privacy.apps``), exports and backups where they are written."""
    from pathlib import Path

    folder = Path(data_dir)
    try:
        folder.chmod(0o700)
        for entry in folder.iterdir():
            if entry.is_file():
                entry.chmod(0o600)
            elif entry.is_dir():
                entry.chmod(0o700)
    except OSError:  # a folder we do not own (read-only mount): leave it as it is
        pass
