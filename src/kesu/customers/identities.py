"""Normalising customer handles, so the same phone written two ways finds one customer. Pure."""

from __future__ import annotations

import re

from kesu.core.errors import FieldError
from kesu.customers.models import IdentityKind

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def phone_normalise(raw: str) -> str:
    """Keep digits (and a leading +); drop the +86 / 0086 country prefix of mainland numbers."""
    text = raw.strip()
    digits = re.sub(r"\D", "", text)
    if text.startswith("+86") or (digits.startswith("0086") and len(digits) > 12):
        digits = digits[2:] if text.startswith("+86") else digits[4:]
    elif digits.startswith("86") and len(digits) == 13:
        digits = digits[2:]
    if not 5 <= len(digits) <= 20:
        raise FieldError("phone", "customer.bad_phone", value=raw)
    return digits


def identity_normalise(kind: str, raw: str) -> str:
    value = (raw or "").strip()
    if not value:
        raise FieldError(kind, "field.empty")
    if kind == IdentityKind.PHONE:
        return phone_normalise(value)
    if kind == IdentityKind.EMAIL:
        if not _EMAIL.match(value):
            raise FieldError("email", "customer.bad_email", value=raw)
        return value.lower()
    if kind == IdentityKind.EXTERNAL:
        if len(value) > 254:
            raise FieldError("external_id", "field.too_long", limit=254, got=len(value))
        return value
    raise FieldError("kind", "field.unknown", value=kind, choices=list(IdentityKind.values))
