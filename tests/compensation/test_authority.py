"""The pure rules: authority per role and the most specific matrix row."""

from __future__ import annotations

from decimal import Decimal

from kesu.compensation.authority import Rule, approver_for, authority_of, suggest

LIMITS = {"handler": Decimal("500.00"), "senior": Decimal("5000.00"), "manager": None}


def test_authority_per_role_including_senior():
    assert authority_of("handler", False, LIMITS) == Decimal("500.00")
    assert authority_of("handler", True, LIMITS) == Decimal("5000.00")
    assert authority_of("manager", False, LIMITS) is None  # no limit
    assert authority_of("analyst", False, LIMITS) == Decimal(0)  # no row: may grant nothing


def test_the_lowest_covering_approver_is_chosen():
    assert approver_for(Decimal("500.01"), LIMITS) == "senior"
    assert approver_for(Decimal("5000.00"), LIMITS) == "senior"
    assert approver_for(Decimal("5000.01"), LIMITS) == "manager"


def _rule(category="", severity="", label="", position=0):
    return Rule(category_code=category, severity=severity, remedies=(label,), min_amount=Decimal(0),
                max_amount=Decimal(100), position=position)


def test_suggestions_most_specific_first():
    rules = [
        _rule(label="any"),
        _rule(severity="major", label="severity"),
        _rule(category="logistics", label="parent"),
        _rule(category="late-delivery", label="category"),
        _rule(category="late-delivery", severity="major", label="category+severity"),
        _rule(category="late-delivery", severity="general", label="other severity"),
        _rule(category="quality", label="other category"),
    ]
    found = suggest("late-delivery", ["logistics"], "major", rules)
    assert [s.remedies[0] for s in found] == ["category+severity", "category", "parent", "severity", "any"]
    assert found[0].matched == "category+severity"


def test_without_a_category_only_general_rows_apply():
    rules = [_rule(category="late-delivery", label="category"), _rule(label="any")]
    assert [s.remedies[0] for s in suggest("", [], "general", rules)] == ["any"]
