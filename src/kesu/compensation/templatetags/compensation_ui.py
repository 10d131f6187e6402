"""Template filters of the compensation pages: amounts in yuan, approver names, audit lines."""

from __future__ import annotations

from decimal import Decimal

from django import template

from kesu.compensation.messages import approver_label, audit_line, yuan

register = template.Library()


@register.filter
def yuan_text(amount: Decimal | None) -> str:
    """``500`` / ``1,250.50`` / ``不限`` (no limit)."""
    return yuan(amount)


@register.filter
def approver(key: str) -> str:
    return approver_label(key)


@register.filter
def compensation_audit(event) -> str:
    return audit_line(event)
