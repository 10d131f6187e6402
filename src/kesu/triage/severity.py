"""Severity (一般 / 紧急 / 重大) from what triage found, and priority from the editable matrix. Pure.

Reasons are stored messages (``{"code", "params"}``, wordings in triage/messages.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

URGENT_AMOUNT = Decimal("5000")  # a claim above a first-line handler's authority [S0]


def reason(code: str, **params: Any) -> dict[str, Any]:
    """A reason as stored: a message id and its parameters."""
    return {"code": code, "params": params}


def level(value: str) -> dict[str, Any]:
    """A severity as a message parameter (rendered "一般" / "general" …)."""
    return reason(f"triage.level.{value}") if value in ("general", "urgent", "major") else reason("triage.any.severity")


@dataclass(frozen=True)
class Decision:
    value: str
    reasons: list[dict[str, Any]]


def severity_decide(
    *, red_channel: bool, red_kinds: list[str], emotion: int, emotion_threshold: int, repeat_count: int,
    amount_claimed: Decimal | None, tier: str,
) -> Decision:
    if red_channel:
        return Decision("major", [reason("triage.severity.red", kinds=[reason(f"triage.red.kind.{k}") for k in red_kinds])])
    reasons = []
    if emotion >= emotion_threshold:
        reasons.append(reason("triage.severity.emotion", score=emotion, threshold=emotion_threshold))
    if repeat_count >= 2:
        reasons.append(reason("triage.severity.repeat", count=repeat_count))
    if amount_claimed is not None and amount_claimed >= URGENT_AMOUNT:
        reasons.append(reason("triage.severity.amount", amount=str(amount_claimed), limit=str(URGENT_AMOUNT)))
    if reasons:
        return Decision("urgent", reasons)
    return Decision("general", [reason("triage.severity.none")])


@dataclass(frozen=True)
class MatrixCell:
    category: str  # code, "" = any
    tier: str  # "" = any
    severity: str  # "" = any
    priority: str


def priority_decide(
    cells: list[MatrixCell], *, category: str, parent_category: str, tier: str, severity: str
) -> Decision:
    """The most specific matching cell: its category (exact, then parent), then tier, then severity.

    The matrix reason names the cell; its ``category`` parameter is a category code (the panel shows
    the category's name), tier and severity are messages."""

    def rank(cell: MatrixCell) -> tuple[int, int, int] | None:
        if cell.category and cell.category not in (category, parent_category):
            return None
        if cell.tier and cell.tier != tier:
            return None
        if cell.severity and cell.severity != severity:
            return None
        category_rank = 2 if cell.category and cell.category == category else 1 if cell.category else 0
        return (category_rank, bool(cell.tier), bool(cell.severity))

    ranked = [(r, cell) for cell in cells if (r := rank(cell)) is not None]
    if not ranked:
        return Decision("P3", [reason("triage.priority.default", priority="P3")])
    _rank, best = max(ranked, key=lambda pair: pair[0])
    return Decision(best.priority, [reason(
        "triage.priority.matrix",
        category=best.category or reason("triage.any.category"),
        tier=reason(f"triage.tier.{best.tier}") if best.tier in ("vip", "regular") else reason("triage.any.tier"),
        severity=level(best.severity),
        priority=best.priority,
    )])
