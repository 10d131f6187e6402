"""Severity (一般 / 紧急 / 重大) from what triage found, and priority from the editable matrix. Pure."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

URGENT_AMOUNT = Decimal("5000")  # a claim above a first-line handler's authority [S0]


@dataclass(frozen=True)
class Decision:
    value: str
    reasons: list[str]


def severity_decide(
    *, red_channel: bool, red_kinds: list[str], emotion: int, emotion_threshold: int, repeat_count: int,
    amount_claimed: Decimal | None, tier: str,
) -> Decision:
    if red_channel:
        return Decision("major", [f"red channel: {', '.join(red_kinds)}"])
    reasons = []
    if emotion >= emotion_threshold:
        reasons.append(f"emotion temperature {emotion} ≥ {emotion_threshold}")
    if repeat_count >= 2:
        reasons.append(f"repeat complaint ({repeat_count} earlier on the same issue)")
    if amount_claimed is not None and amount_claimed >= URGENT_AMOUNT:
        reasons.append(f"amount claimed {amount_claimed} ≥ {URGENT_AMOUNT} CNY")
    if reasons:
        return Decision("urgent", reasons)
    return Decision("general", ["no red channel, calm, no repeat, no large claim"])


@dataclass(frozen=True)
class MatrixCell:
    category: str  # code, "" = any
    tier: str  # "" = any
    severity: str  # "" = any
    priority: str


def priority_decide(
    cells: list[MatrixCell], *, category: str, parent_category: str, tier: str, severity: str
) -> Decision:
    """The most specific matching cell: its category (exact, then parent), then tier, then severity."""

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
        return Decision("P3", ["no matrix cell matches; default P3"])
    _rank, best = max(ranked, key=lambda pair: pair[0])
    where = " × ".join([best.category or "any category", best.tier or "any tier", best.severity or "any severity"])
    return Decision(best.priority, [f"matrix: {where} → {best.priority}"])
