"""What an intake (API, form, import, e-mail …) hands to ``complaint_create``, and its validation."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from decimal import Decimal, InvalidOperation

from kesu.complaints.models import Channel, Priority, Severity
from kesu.core.errors import FieldError, FieldErrors
from kesu.customers.actions import CustomerHandles

MAX_CONTENT = 50_000
MAX_AMOUNT = Decimal("100000000")


@dataclass(frozen=True)
class ComplaintDraft:
    channel: str
    content: str
    customer_id: int | None = None
    customer: CustomerHandles = field(default_factory=CustomerHandles)
    subject: str = ""
    category: str = ""
    severity: str = ""  # empty: triage decides
    priority: str = ""  # empty: triage decides
    region: str = ""
    product: str = ""
    batch: str = ""
    order_number: str = ""
    amount_claimed: Decimal | str | None = None
    group: str = ""

    def open_fields(self) -> frozenset[str]:
        """What the intake left for triage to decide."""
        return frozenset(name for name in ("category", "severity", "priority") if not getattr(self, name))

    def fingerprint(self) -> str:
        """A digest of the request, to tell a retried request from a different one."""
        body = asdict(self)
        try:  # "12.5" and "12.50" are the same amount
            amount = amount_parse(self.amount_claimed)
        except FieldError:
            amount = self.amount_claimed
        body["amount_claimed"] = None if amount in (None, "") else str(amount)
        return hashlib.sha256(json.dumps(body, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def _choice(name: str, value: str, choices: list[str]) -> str:
    if value not in choices:
        raise FieldError(name, "field.unknown", value=value, choices=list(choices))
    return value


def _limited(name: str, value: str, limit: int) -> str:
    value = (value or "").strip()
    if len(value) > limit:
        raise FieldError(name, "field.too_long", limit=limit, got=len(value))
    return value


def amount_parse(value: Decimal | str | float | None) -> Decimal | None:
    if value is None or value == "":
        return None
    if isinstance(value, float):
        raise FieldError("amount_claimed", "amount.float")
    try:
        amount = Decimal(str(value).strip().replace(",", "").replace("¥", "").replace("￥", ""))
    except InvalidOperation as error:
        raise FieldError("amount_claimed", "amount.invalid", value=str(value)) from error
    if not amount.is_finite():
        raise FieldError("amount_claimed", "amount.invalid", value=str(value))
    if amount < 0:
        raise FieldError("amount_claimed", "amount.negative")
    if amount >= MAX_AMOUNT:
        raise FieldError("amount_claimed", "amount.too_large", limit=str(MAX_AMOUNT))
    if amount.as_tuple().exponent < -2:
        raise FieldError("amount_claimed", "amount.decimals")
    return amount.quantize(Decimal("0.01"))


def draft_clean(draft: ComplaintDraft) -> dict:
    """Check every field of the draft; return the complaint's plain field values.

    Raises FieldErrors naming every bad field, not just the first.
    """
    errors: list[FieldError] = []
    cleaned: dict = {}

    def check(name: str, clean) -> None:
        try:
            cleaned[name] = clean()
        except FieldError as error:
            errors.append(error)

    check("content", lambda: _content(draft.content))
    check("channel", lambda: _choice("channel", draft.channel, Channel.values))
    check("subject", lambda: _limited("subject", draft.subject, 200))
    check("severity", lambda: _choice("severity", draft.severity, Severity.values) if draft.severity else "")
    check("priority", lambda: _choice("priority", draft.priority, Priority.values) if draft.priority else "")
    check("region", lambda: _limited("region", draft.region, 64))
    check("product", lambda: _limited("product", draft.product, 128))
    check("batch", lambda: _limited("batch", draft.batch, 64))
    check("order_number", lambda: _limited("order_number", draft.order_number, 64))
    check("amount_claimed", lambda: amount_parse(draft.amount_claimed))
    if errors:
        raise FieldErrors(errors)
    return cleaned


def _content(content: str) -> str:
    content = content or ""
    if not content.strip():
        raise FieldError("content", "field.empty")
    if len(content) > MAX_CONTENT:
        raise FieldError("content", "field.too_long", limit=MAX_CONTENT, got=len(content))
    return content
