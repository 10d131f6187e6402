"""sla/clocks.py is pure and spells statuses and event kinds as plain strings (it imports no models):
every one of them must be a real ``Status`` / ``EventKind`` value, or a renamed status would silently
stop a clock (issue 17 §5)."""

from __future__ import annotations

import ast
from pathlib import Path

from kesu.complaints.models import EventKind, Status
from kesu.sla import clocks

SOURCE = Path(clocks.__file__).read_text(encoding="utf-8")
TREE = ast.parse(SOURCE)
STATUS_NAMES = {"status", "before"}  # the replay's variables holding a status
KIND_NAMES = {"kind"}  # … and an event kind
SLA_KINDS = {"sla_warned", "sla_breached", "sla_met", "escalated", "reminded"}  # recorded by the SLA itself


def _strings(node: ast.AST) -> set[str]:
    return {n.value for n in ast.walk(node) if isinstance(n, ast.Constant) and isinstance(n.value, str)}


def _name(node: ast.AST) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return ""


def _compared() -> tuple[set[str], set[str]]:
    """The strings compared with a status and with an event kind, anywhere in the module."""
    statuses, kinds = set(), set()
    for node in ast.walk(TREE):
        if not isinstance(node, ast.Compare):
            continue
        sides = [node.left, *node.comparators]
        names = {_name(side) for side in sides}
        values = set().union(*(_strings(side) for side in sides if not _name(side)))
        if names & STATUS_NAMES:
            statuses |= values
        if names & KIND_NAMES or "to_status" in names:
            (statuses if "to_status" in names else kinds).update(values)
        if {"kind"} <= names or any(_name(side) == "kind" for side in sides):
            kinds |= values
    return statuses, kinds


def _constant(name: str) -> set[str]:
    for node in TREE.body:
        if isinstance(node, ast.Assign) and any(_name(t) == name for t in node.targets):
            return _strings(node.value)
    raise AssertionError(f"{name} is not defined in sla/clocks.py")


def test_the_scan_finds_the_comparisons():
    statuses, kinds = _compared()
    assert {"new", "assigned"} <= statuses
    assert {"created", "started", "transferred", "reopened", "resolved", "closed", "followed_up"} <= kinds


def test_every_status_the_clocks_name_is_a_real_status():
    statuses, _kinds = _compared()
    named = statuses | _constant("OPEN_STATUSES") | _constant("PAUSED_STATUS") | _constant("_FINISHED")
    assert named - set(Status.values) == set()


def test_every_event_kind_the_clocks_name_is_a_real_event_kind():
    _statuses, kinds = _compared()
    named = kinds | _constant("_FIRST_RESPONSE_STOPS") | _constant("_FIRST_CONTACT_STOPS") | SLA_KINDS
    assert named - set(EventKind.values) == set()
