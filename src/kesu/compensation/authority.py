"""Pure rules: who may grant how much, and which matrix rows fit a complaint."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

SENIOR = "senior"
# lowest first: a proposal above the proposer's authority goes to the first of these that covers it
APPROVER_ORDER = ("handler", SENIOR, "manager")
UNLIMITED = None


def authority_of(role: str, is_senior: bool, limits: Mapping[str, Decimal | None]) -> Decimal | None:
    """The largest amount this person may grant alone; ``None`` = no limit.

    A senior handler gets the larger of the ``senior`` and their role's limit. A role with no row in
    ``limits`` may grant nothing (``Decimal(0)``)."""
    missing = object()
    candidates = [limits.get(role, missing)]
    if is_senior:
        candidates.append(limits.get(SENIOR, missing))
    found = [c for c in candidates if c is not missing]
    if not found:
        return Decimal(0)
    amounts = [c for c in found if isinstance(c, Decimal)]
    if len(amounts) < len(found):  # one of the roles has no limit
        return None
    return max(amounts)


def covers(authority: Decimal | None, amount: Decimal) -> bool:
    return authority is None or amount <= authority


def approver_for(amount: Decimal, limits: Mapping[str, Decimal | None]) -> str | None:
    """The lowest approver key (``senior`` / ``manager``) whose limit covers ``amount``."""
    for key in APPROVER_ORDER:
        if key in limits and covers(limits[key], amount):
            return key
    return None


@dataclass(frozen=True)
class Rule:
    category_code: str  # "" = any category
    severity: str  # "" = any severity
    remedies: tuple[str, ...]
    min_amount: Decimal
    max_amount: Decimal
    position: int = 0


@dataclass(frozen=True)
class Suggestion:
    remedies: tuple[str, ...]
    min_amount: Decimal
    max_amount: Decimal
    matched: str  # category+severity / category / parent+severity / parent / severity / any
    rank: int


_LABELS = ("category+severity", "category", "parent+severity", "parent", "severity", "any")


def _rank(rule: Rule, category_code: str, parents: Sequence[str], severity: str) -> tuple[int, int] | None:
    """(rank, parent depth); lower = more specific; None = the rule does not apply."""
    if rule.severity and rule.severity != severity:
        return None
    sev = bool(rule.severity)
    if not rule.category_code:
        return (4 if sev else 5, 0)
    if category_code and rule.category_code == category_code:
        return (0 if sev else 1, 0)
    if rule.category_code in parents:
        return (2 if sev else 3, list(parents).index(rule.category_code))
    return None


def suggest(category_code: str, parents: Sequence[str], severity: str, rules: Iterable[Rule]) -> list[Suggestion]:
    """The matrix rows that apply, most specific first: category+severity, category, parent category
    (with severity first; nearest parent first), severity only, any. Ties keep the matrix position.
    ``parents`` lists the category's ancestors' codes, nearest first."""
    found = []
    for rule in rules:
        ranked = _rank(rule, category_code, parents, severity)
        if ranked is None:
            continue
        rank, depth = ranked
        suggestion = Suggestion(
            remedies=tuple(rule.remedies), min_amount=rule.min_amount, max_amount=rule.max_amount,
            matched=_LABELS[rank], rank=rank,
        )
        found.append(((rank, depth, rule.position), suggestion))
    found.sort(key=lambda pair: pair[0])
    return [suggestion for _, suggestion in found]
