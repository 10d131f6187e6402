"""校标: the fields a complaint of its category must carry, and which are missing. Pure."""

from __future__ import annotations

from typing import Any

ALWAYS_REQUIRED = ("content",)


def quality_missing(fields: dict[str, Any], required: list[str], *, has_contact: bool) -> list[str]:
    """Names of required fields that are empty; ``contact`` when the customer cannot be reached."""
    missing = [name for name in (*ALWAYS_REQUIRED, *required) if fields.get(name) in (None, "", [])]
    if not has_contact:
        missing.append("contact")
    return missing
