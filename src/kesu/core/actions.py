"""Writers for users, the organisation and tokens (the one write path)."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from django.db import transaction

from kesu.core.errors import FieldError
from kesu.core.models import (
    ApiToken,
    Availability,
    Department,
    Group,
    HandlerProfile,
    JobHeartbeat,
    Layer,
    User,
    token_digest,
)
from kesu.core.roles import Role

HANDLING_ROLES = {Role.HANDLER, Role.SPECIALIST, Role.MANAGER}


def user_create(
    *,
    username: str,
    role: str,
    password: str | None = None,
    display_name: str = "",
    email: str = "",
    groups: list[Group] | tuple[Group, ...] = (),
    is_senior: bool = False,
) -> User:
    if role not in Role.values:
        raise FieldError("role", "field.unknown", value=role, choices=list(Role.values))
    if not username or len(username) > 150:
        raise FieldError("username", "user.name_length")
    if User.objects.filter(username=username).exists():
        raise FieldError("username", "user.exists", user=username)
    with transaction.atomic():
        user = User(username=username, role=role, display_name=display_name, email=email)
        user.is_staff = role in (Role.ADMIN, Role.MANAGER)  # managers edit configuration in the admin
        user.is_superuser = role == Role.ADMIN
        if password:
            password_check(password, user)
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save()
        if role in HANDLING_ROLES:
            profile = HandlerProfile.objects.create(
                user=user, is_senior=is_senior, availability=Availability.ONLINE
            )
            if groups:
                profile.groups.set(groups)
    return user


def department_ensure(*, code: str, name: str) -> tuple[Department, bool]:
    """The department with this code, created if missing. Returns ``(department, created)``."""
    return Department.objects.get_or_create(code=code, defaults={"name": name})


def group_ensure(*, code: str, name: str, department: Department, layer: str = Layer.FIRST_LINE) -> tuple[Group, bool]:
    """The group with this code, created in ``department`` if missing. Returns ``(group, created)``."""
    if layer not in Layer.values:
        raise FieldError("layer", "field.unknown", value=layer, choices=list(Layer.values))
    return Group.objects.get_or_create(code=code, defaults={"name": name, "department": department, "layer": layer})


def responsible_set(*, group: Group, lead: User | None, manager: User | None = None) -> Group:
    """The escalation ladder's people of ``group``: its team lead (level 2) and, when given, the
    manager of its department (level 3)."""
    for field, user in (("lead", lead), ("manager", manager)):
        if user is not None and not user.is_active:
            raise FieldError(field, "user.not_active", user=user.username)
    group.lead = lead
    group.save(update_fields=["lead"])
    if manager is not None:
        group.department.manager = manager
        group.department.save(update_fields=["manager"])
    return group


def password_check(password: str, user: User | None = None) -> None:
    """The password validators of the settings (≥ 12 characters, not a common password, not all digits,
    not like the username): :class:`FieldError` on ``password`` naming every reason."""
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    try:
        validate_password(password, user)
    except ValidationError as error:
        raise FieldError("password", "security.password_weak", reasons=" ".join(error.messages)) from None


def user_password_set(*, user: User, password: str) -> None:
    password_check(password, user)
    user.set_password(password)
    user.save(update_fields=["password"])


def token_create(
    *, user: User, now: datetime, name: str = "", days: int | None = None, read_only: bool = False
) -> str:
    """Create an API token and return the raw value, which is not stored.

    It expires ``days`` days from ``now`` (default ``KESU_TOKEN_DAYS``; 0 = never) and, when
    ``read_only``, may only read (GET / HEAD)."""
    from django.conf import settings

    if days is None:
        days = getattr(settings, "KESU_TOKEN_DAYS", 0)
    if days < 0:
        raise FieldError("days", "field.out_of_range", low=0, high="—", got=days)
    raw = "ks_" + secrets.token_urlsafe(32)
    ApiToken.objects.create(
        user=user, name=name, digest=token_digest(raw), prefix=raw[:8], created_at=now,
        expires_at=now + timedelta(days=days) if days else None, read_only=read_only,
    )
    return raw


def token_revoke(*, user: User, now: datetime, prefix: str = "") -> int:
    """Revoke the user's tokens (all of them, or the one starting with ``prefix``); returns how many."""
    tokens = ApiToken.objects.filter(user=user, revoked_at__isnull=True)
    if prefix:
        tokens = tokens.filter(prefix=prefix[:8])
    return tokens.update(revoked_at=now)


def heartbeat_record(*, name: str, now: datetime) -> None:
    JobHeartbeat.objects.update_or_create(name=name, defaults={"beat_at": now})
