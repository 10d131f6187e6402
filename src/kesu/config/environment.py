"""Everything kesu reads from the environment, in one place.

Settings are read once, here; nothing else in kesu looks at ``os.environ``.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

LANGUAGES = ("zh-hans", "en")


class ConfigurationError(RuntimeError):
    """A setting in the environment has a value kesu cannot use."""


@dataclass(frozen=True)
class Environment:
    data_dir: Path
    database_url: str | None
    redis_url: str | None
    secret_key: str
    time_zone: str
    language: str
    debug: bool
    allowed_hosts: tuple[str, ...]
    max_attachment_bytes: int
    email_host: str = ""
    email_port: int = 25
    email_user: str = ""
    email_password: str = ""
    email_tls: bool = False
    email_ssl: bool = False
    email_from: str = "kesu@localhost"
    sms_webhook_url: str = ""
    sms_webhook_secret: str = ""
    notify_decay_minutes: int = 60
    portal_max_per_hour: int = 5
    trusted_proxies: tuple[str, ...] = ()
    database_replica_url: str | None = None
    customer_brand: str = ""
    incident_compensation_threshold: Decimal = Decimal(500)


def _secret_key(data_dir: Path, value: str | None) -> str:
    if value:
        return value
    key_file = data_dir / "secret_key"
    if key_file.exists():
        return key_file.read_text(encoding="utf-8").strip()
    key = secrets.token_urlsafe(50)
    key_file.write_text(key, encoding="utf-8")
    key_file.chmod(0o600)
    return key


_TRUE = {"1", "true", "yes"}


def _whole_number(environ, name: str, default: str, *, minimum: int = 0) -> int:
    try:
        value = int(environ.get(name, default))
    except ValueError as error:
        raise ConfigurationError(f"{name} must be a whole number") from error
    if value < minimum:
        raise ConfigurationError(f"{name} must be {minimum} or more")
    return value


def _amount(environ, name: str, default: str) -> Decimal:
    """A sum of money in yuan (``KESU_INCIDENT_COMPENSATION_THRESHOLD=800`` or ``800.50``), 0 or more."""
    raw = environ.get(name, default).strip()
    try:
        value = Decimal(raw)
    except InvalidOperation as error:
        raise ConfigurationError(f"{name} must be an amount in yuan (e.g. 500 or 499.50), not {raw!r}") from error
    if not value.is_finite() or value < 0:
        raise ConfigurationError(f"{name} must be an amount of 0 or more, not {raw!r}")
    return value


def _notification_settings(environ) -> dict:
    """Outgoing email (SMTP), the SMS webhook and the decay period of notifications."""
    email_tls = environ.get("KESU_EMAIL_TLS", "").lower() in _TRUE
    email_ssl = environ.get("KESU_EMAIL_SSL", "").lower() in _TRUE
    if email_tls and email_ssl:
        raise ConfigurationError("KESU_EMAIL_TLS and KESU_EMAIL_SSL cannot both be set; choose one")
    sms_url = environ.get("KESU_SMS_WEBHOOK_URL", "").strip()
    if sms_url and not sms_url.startswith(("http://", "https://")):
        raise ConfigurationError("KESU_SMS_WEBHOOK_URL must start with http:// or https://")
    return {
        "email_host": environ.get("KESU_EMAIL_HOST", "").strip(),
        "email_port": _whole_number(environ, "KESU_EMAIL_PORT", "465" if email_ssl else "25", minimum=1),
        "email_user": environ.get("KESU_EMAIL_USER", ""),
        "email_password": environ.get("KESU_EMAIL_PASSWORD", ""),
        "email_tls": email_tls,
        "email_ssl": email_ssl,
        "email_from": environ.get("KESU_EMAIL_FROM", "").strip() or "kesu@localhost",
        "sms_webhook_url": sms_url,
        "sms_webhook_secret": environ.get("KESU_SMS_WEBHOOK_SECRET", ""),
        "notify_decay_minutes": _whole_number(environ, "KESU_NOTIFY_DECAY_MINUTES", "60"),
    }


def environment_read(environ: os._Environ[str] | dict[str, str] = os.environ) -> Environment:
    data_dir = Path(environ.get("KESU_DATA_DIR", "var")).resolve()
    data_dir.mkdir(parents=True, exist_ok=True)
    language = environ.get("KESU_LANGUAGE", "zh-hans").lower()
    if language not in LANGUAGES:
        raise ConfigurationError(f"KESU_LANGUAGE must be one of {', '.join(LANGUAGES)}, not {language!r}")
    try:
        max_mb = int(environ.get("KESU_MAX_ATTACHMENT_MB", "20"))
    except ValueError as error:
        raise ConfigurationError("KESU_MAX_ATTACHMENT_MB must be a whole number of megabytes") from error
    hosts = environ.get("KESU_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1],testserver")
    return Environment(
        data_dir=data_dir,
        database_url=environ.get("DATABASE_URL") or None,
        redis_url=environ.get("REDIS_URL") or None,
        secret_key=_secret_key(data_dir, environ.get("KESU_SECRET_KEY")),
        time_zone=environ.get("KESU_TIME_ZONE", "Asia/Shanghai"),
        language=language,
        debug=environ.get("KESU_DEBUG", "") in {"1", "true", "yes"},
        allowed_hosts=tuple(h.strip() for h in hosts.split(",") if h.strip()),
        max_attachment_bytes=max_mb * 1024 * 1024,
        **_notification_settings(environ),
        portal_max_per_hour=_whole_number(environ, "KESU_PORTAL_MAX_PER_HOUR", "5", minimum=1),
        trusted_proxies=tuple(
            p.strip() for p in environ.get("KESU_TRUSTED_PROXIES", "").split(",") if p.strip()
        ),
        database_replica_url=environ.get("DATABASE_REPLICA_URL") or None,
        customer_brand=environ.get("KESU_CUSTOMER_BRAND", "").strip()[:64],
        incident_compensation_threshold=_amount(environ, "KESU_INCIDENT_COMPENSATION_THRESHOLD", "500"),
    )
