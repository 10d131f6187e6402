"""Mailbox configuration: who may edit a mailbox and its connection, the checks of a
mailbox's fields, saving it, and its password (from the environment)."""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Mapping
from datetime import datetime

from django.db import transaction

from kesu.channels.imap import MailboxUnavailable
from kesu.channels.models import (
    Mailbox,
    Security,
)
from kesu.core.errors import (
    FieldError,
    FieldErrors,
    raise_not_permitted,
)
from kesu.core.messages import given
from kesu.core.models import Group, User
from kesu.core.roles import Role

logger = logging.getLogger(__name__)

PASSWORD_ENV = re.compile(r"^KESU_MAILBOX_[A-Z0-9_]{1,50}$")
LOOPBACK = ("127.0.0.1", "::1", "localhost")
MAILBOX_EDITORS = (Role.MANAGER, Role.ADMIN)
# where a mailbox connects and with which password: only administrators set these (a manager who
# could point a mailbox at their own server would receive its password)
MAILBOX_ADMIN_FIELDS = ("host", "port", "security", "username", "password_env", "ca_file")


def mailbox_editor_check(by: User | None) -> None:
    if by is not None and not (by.is_active and (by.is_superuser or by.role in MAILBOX_EDITORS)):
        raise_not_permitted(by, "permission.mailbox.configure")


def mailbox_connection_editor(by: User | None) -> bool:
    """Whether ``by`` may set where a mailbox connects and with which password (MAILBOX_ADMIN_FIELDS):
    administrators only (``None``: the system)."""
    return by is None or (by.is_active and (by.is_superuser or by.role == Role.ADMIN))


def _mailbox_admin_check(by: User | None, target: Mailbox | None, clean: dict) -> None:
    """Only administrators may set where a mailbox connects and with which password."""
    if mailbox_connection_editor(by):
        return
    for key in MAILBOX_ADMIN_FIELDS:
        if target is None or getattr(target, key) != clean[key]:
            raise_not_permitted(by, "permission.mailbox.secret", key=key)


def mailbox_validate(
    *,
    name: str,
    host: str,
    port: int,
    security: str,
    username: str,
    password_env: str,
    folder: str = "INBOX",
    ca_file: str = "",
    address: str = "",
    max_message_bytes: int | None = None,
) -> dict:
    """Check a mailbox's settings; return them cleaned. Raises FieldErrors naming every bad field."""
    errors: list[FieldError] = []
    clean = {
        "name": (name or "").strip(), "host": (host or "").strip(), "port": port, "security": security,
        "username": (username or "").strip(), "password_env": (password_env or "").strip(),
        "folder": (folder or "").strip() or "INBOX", "ca_file": (ca_file or "").strip(),
        "address": (address or "").strip().lower(),
    }
    if not re.fullmatch(r"[-a-zA-Z0-9_]{1,48}", clean["name"]):
        errors.append(FieldError("name", "field.name_format", limit=48))
    if not clean["host"]:
        errors.append(FieldError("host", "field.required"))
    if not isinstance(port, int) or not 1 <= port <= 65535:
        errors.append(FieldError("port", "field.out_of_range", low=1, high=65535, got=given(port)))
    if security not in Security.values:
        errors.append(FieldError("security", "field.choice", choices=list(Security.values), got=given(security)))
    elif security == Security.NONE and clean["host"] not in LOOPBACK:
        errors.append(FieldError("security", "mailbox.unencrypted"))
    if not clean["username"]:
        errors.append(FieldError("username", "field.required"))
    if not PASSWORD_ENV.match(clean["password_env"]):
        errors.append(FieldError(
            "password_env",
            "field.env_name", prefix="KESU_MAILBOX_", example="KESU_MAILBOX_SUPPORT_PASSWORD"))
    if clean["ca_file"] and not os.path.isfile(clean["ca_file"]):
        errors.append(FieldError("ca_file", "mailbox.ca_file", path=clean["ca_file"]))
    if clean["address"] and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", clean["address"]):
        errors.append(FieldError("address", "customer.bad_email", value=address))
    if max_message_bytes is not None:
        if not 1024 <= max_message_bytes <= 200 * 1024 * 1024:
            errors.append(FieldError("max_message_bytes", "field.out_of_range", low=1024, high=209715200, got=max_message_bytes))
        clean["max_message_bytes"] = max_message_bytes
    if errors:
        raise FieldErrors(errors)
    return clean


def mailbox_save(
    *, mailbox: Mailbox | None, by: User | None, now: datetime, group: Group | None = None, enabled: bool = True,
    **fields,
) -> Mailbox:
    """Create (``mailbox=None``) or change a mailbox. Pointing it at another server, account or
    folder starts reading that folder from its beginning."""
    mailbox_editor_check(by)
    clean = mailbox_validate(**fields)
    with transaction.atomic():
        if mailbox is None or mailbox.pk is None:
            target = mailbox or Mailbox()
            _mailbox_admin_check(by, None, clean)
            if Mailbox.objects.filter(name=clean["name"]).exists():
                raise FieldError("name", "field.name_taken", name=clean["name"])
        else:
            target = Mailbox.objects.select_for_update().get(pk=mailbox.pk)
            _mailbox_admin_check(by, target, clean)
            if Mailbox.objects.filter(name=clean["name"]).exclude(pk=target.pk).exists():
                raise FieldError("name", "field.name_taken", name=clean["name"])
            where = ("host", "port", "username", "folder")
            if any(getattr(target, key) != clean[key] for key in where):
                target.uid_validity, target.last_uid = None, 0
        for key, value in clean.items():
            setattr(target, key, value)
        target.group, target.enabled = group, enabled
        target.updated_at, target.updated_by = now, by
        target.save()
    return target


def mailbox_password(mailbox: Mailbox, environ: Mapping[str, str] | None = None) -> str:
    """The password, read from the environment variable the mailbox names (never stored)."""
    environ = os.environ if environ is None else environ
    if not PASSWORD_ENV.match(mailbox.password_env or ""):
        raise MailboxUnavailable(f"password variable {mailbox.password_env!r} must start with KESU_MAILBOX_")
    password = environ.get(mailbox.password_env)
    if password is None:
        raise MailboxUnavailable(f"the environment variable {mailbox.password_env} (password of mailbox "
                                 f"{mailbox.name}) is not set")
    return password


# ---- polling ----------------------------------------------------------------------------------
