"""`sla/clocks.py` is pure and spells statuses and event kinds as plain strings (it imports no
model); every one it spells must be a real ``Status`` / ``EventKind`` value, or a renamed kind would
silently stop a clock (issue 17 §5)."""

from __future__ import annotations

import ast
from pathlib import Path

import kesu.sla.clocks as clocks
from kesu.complaints.models import EventKind, Status

SOURCE = Path(clocks.__file__).read_text(encoding="utf-8")
STATUS_NAMES = ("status", "before", "to_status", "from_status")


def _strings(node: ast.AST) -> set[str]:
    return {n.value for n in ast.walk(node) if isinstance(n, ast.Constant) and isinstance(n.value, str)}


def _name(node: ast.AST) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return ""


def _spelled() -> tuple[set[str], set[str]]:
    """(statuses, event kinds): the module's constants, and what `kind` / `status` are compared with."""
    statuses: set[str] = set(clocks.OPEN_STATUSES) | {clocks.PAUSED_STATUS}
    kinds: set[str] = set(clocks._FIRST_RESPONSE_STOPS) | set(clocks._FIRST_CONTACT_STOPS) | set(clocks._FINISHED)
    for node in ast.walk(ast.parse(SOURCE)):
        if not isinstance(node, ast.Compare):
            continue
        left = _name(node.left)
        found = set().union(*(_strings(c) for c in node.comparators))
        if left == "kind":
            kinds |= found
        elif left in STATUS_NAMES:
            statuses |= found
    return statuses, kinds


def test_every_status_spelled_in_the_clocks_is_a_real_status():
    statuses, _ = _spelled()
    assert statuses >= {"new", "assigned", "in_progress", "pending_customer"}
    assert statuses - set(Status.values) == set()


def test_every_event_kind_spelled_in_the_clocks_is_a_real_event_kind():
    _, kinds = _spelled()
    assert kinds >= {"created", "started", "transferred", "reopened", "resolved", "closed", "sla_met"}
    assert kinds - set(EventKind.values) == set()
