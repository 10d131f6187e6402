"""Writes of the privacy app: the access log, reveals."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import connection, transaction

from kesu.core.errors import FieldError, permission_require
from kesu.core.roles import Permission
from kesu.privacy.models import AccessAction, AccessLog

REASON_MAX = 500


def client_address(request: Any) -> str:
    """The caller's address (``REMOTE_ADDR``; behind a trusted proxy its X-Forwarded-For)."""
    if request is None:
        return ""
    from django.conf import settings

    remote = request.META.get("REMOTE_ADDR", "")
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if forwarded and remote in getattr(settings, "KESU_TRUSTED_PROXIES", ()):
        return forwarded.split(",")[-1].strip()[:64]
    return remote[:64]


def access_record(
    *, user: Any, action: str, now: datetime, object_type: str = "", object_id: Any = "", field: str = "",
    reason: str = "", request: Any = None, channel: str = "",
) -> AccessLog:
    """One line of the append-only access log (one INSERT: measured in bench/privacy.py)."""
    if not channel:
        channel = "api" if request is not None and request.path.startswith("/api/") else ("web" if request else "cli")
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        # a read must not wait for a WAL flush (~10 ms on a busy disk): the line is committed without
        # waiting for the disk; a server crash may lose the last fraction of a second of lines
        # (wal_writer_delay), never corrupt the log (ADR 0014)
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL synchronous_commit TO OFF")
            return _line(user, action, now, object_type, object_id, field, reason, request, channel)
    return _line(user, action, now, object_type, object_id, field, reason, request, channel)


def _line(user, action, now, object_type, object_id, field, reason, request, channel) -> AccessLog:  # noqa: PLR0913
    return AccessLog.objects.create(
        at=now, user=user if getattr(user, "pk", None) else None, username=getattr(user, "username", "") or "",
        action=action, object_type=object_type, object_id=str(object_id or ""), field=field,
        ip=client_address(request), channel=channel, reason=reason[:REASON_MAX],
    )


REVEALABLE = {
    "customer": ("name", "phone", "email", "external_id"),
    "complaint": ("content", "subject", "resolution"),
    "call": ("number", "transcript", "notes"),
}


def reveal(*, user: Any, object_type: str, object_id: int, field: str, reason: str, now: datetime,
           request: Any = None) -> str:
    """The full value of one masked field; needs ``privacy.reveal`` and a reason; logged."""
    permission_require(user, Permission.PRIVACY_REVEAL)
    if object_type not in REVEALABLE:
        raise FieldError("object_type", "field.choice", choices=", ".join(REVEALABLE), got=object_type)
    if field not in REVEALABLE[object_type]:
        raise FieldError("field", "field.choice", choices=", ".join(REVEALABLE[object_type]), got=field)
    reason = (reason or "").strip()
    if len(reason) < 2:
        raise FieldError("reason", "privacy.reason_required")
    value = _value(object_type, object_id, field)
    access_record(user=user, action=AccessAction.REVEAL, now=now, object_type=object_type, object_id=object_id,
                  field=field, reason=reason, request=request)
    return value


def _value(object_type: str, object_id: int, field: str) -> str:
    from kesu.calls.models import Call
    from kesu.complaints.models import Complaint
    from kesu.customers.models import Customer, CustomerIdentity

    model = {"customer": Customer, "complaint": Complaint, "call": Call}[object_type]
    row = model.objects.filter(pk=object_id).first()
    if row is None:
        raise FieldError(f"{object_type}_id", "privacy.not_found", id=object_id)
    if object_type == "customer" and field in ("phone", "email", "external_id"):
        kind = {"external_id": "external"}.get(field, field)
        values = CustomerIdentity.objects.filter(customer_id=object_id, kind=kind).values_list("value", flat=True)
        return ", ".join(values)
    return str(getattr(row, field) or "")
