"""The rule parts of triage: keyword tags, severity, the priority matrix, the quality check, similarity."""

from __future__ import annotations

from decimal import Decimal

import pytest

from kesu.triage.keywords import KeywordMatcher, KeywordRule
from kesu.triage.quality import quality_missing
from kesu.triage.severity import MatrixCell, priority_decide, severity_decide
from kesu.triage.similarity import shingles, similarity

MATCHER = KeywordMatcher([
    KeywordRule("破损", ("破损", "摔坏", "damaged"), "logistics-damage"),
    KeywordRule("未收货", ("没收到", "没有收到", "not received"), "logistics-delay"),
    KeywordRule("扣费", ("扣费", "charged"), "billing-charge"),
])


@pytest.mark.parametrize(
    ("text", "tags"),
    [
        ("冰箱送到时外箱破损，门也摔坏了", ["破损"]),
        ("快递显示签收但我没有收到，还被扣费了", ["未收货", "扣费"]),
        ("The parcel arrived DAMAGED and I was charged twice", ["破损", "扣费"]),
        ("请问营业时间是几点", []),
        ("I was undamaged and unchargedly happy", []),  # English words match whole words only
    ],
)
def test_keyword_tags(text, tags):
    assert [m.tag for m in MATCHER.match(text)] == tags


def test_a_tag_names_the_word_that_raised_it():
    (match,) = MATCHER.match("东西没有收到")
    assert (match.tag, match.word, match.category) == ("未收货", "没有收到", "logistics-delay")


def _severity(**overrides):
    values = dict(red_channel=False, red_kinds=[], emotion=20, emotion_threshold=70, repeat_count=0,
                  amount_claimed=None, tier="regular")
    values.update(overrides)
    return severity_decide(**values)


def test_severity_rules_with_reasons():
    assert _severity().value == "general"
    assert _severity().reasons == [{"code": "triage.severity.none", "params": {}}]
    red = _severity(red_channel=True, red_kinds=["safety"])
    assert red.value == "major"
    assert red.reasons == [{"code": "triage.severity.red",
                            "params": {"kinds": [{"code": "triage.red.kind.safety", "params": {}}]}}]
    angry = _severity(emotion=85)
    assert angry.value == "urgent"
    assert angry.reasons == [{"code": "triage.severity.emotion", "params": {"score": 85, "threshold": 70}}]
    assert _severity(repeat_count=2).value == "urgent"
    assert _severity(repeat_count=1).value == "general"
    assert _severity(amount_claimed=Decimal("8000")).value == "urgent"


MATRIX = [
    MatrixCell("", "", "major", "P1"),
    MatrixCell("", "vip", "urgent", "P1"),
    MatrixCell("", "regular", "urgent", "P2"),
    MatrixCell("", "vip", "general", "P2"),
    MatrixCell("", "regular", "general", "P3"),
    MatrixCell("product-consultation", "regular", "general", "P4"),
    MatrixCell("product", "", "", "P3"),
]


@pytest.mark.parametrize(
    ("category", "parent", "tier", "severity", "priority"),
    [
        ("service-attitude", "service", "regular", "major", "P1"),
        ("service-attitude", "service", "vip", "urgent", "P1"),
        ("service-attitude", "service", "regular", "urgent", "P2"),
        ("service-attitude", "service", "vip", "general", "P2"),
        ("service-attitude", "service", "regular", "general", "P3"),
        ("product-consultation", "product", "regular", "general", "P4"),  # the category's own cell wins
        ("product-quality", "product", "regular", "major", "P3"),  # a parent's cell beats any-category cells
    ],
)
def test_priority_matrix_most_specific_cell_wins(category, parent, tier, severity, priority):
    decision = priority_decide(MATRIX, category=category, parent_category=parent, tier=tier, severity=severity)
    assert decision.value == priority
    assert decision.reasons[0]["code"] == "triage.priority.matrix"
    assert decision.reasons[0]["params"]["priority"] == priority


def test_priority_without_a_matching_cell_is_p3_and_says_so():
    decision = priority_decide([], category="", parent_category="", tier="regular", severity="general")
    assert decision.value == "P3"
    assert decision.reasons == [{"code": "triage.priority.default", "params": {"priority": "P3"}}]


def test_reasons_render_in_the_readers_language():
    from django.utils import translation

    from kesu.triage.panel import reason_text

    decision = priority_decide(MATRIX, category="product-consultation", parent_category="product", tier="regular",
                               severity="general")
    with translation.override("en"):
        assert reason_text(decision.reasons[0], {}) == (
            "priority matrix: product-consultation × regular customers × general → P4")
    with translation.override("zh-hans"):
        rendered = reason_text(decision.reasons[0], {})
        assert "一般" in rendered and "P4" in rendered and "general" not in rendered


def test_quality_check_lists_what_is_missing():
    fields = {"content": "冰箱漏水", "product": "冰箱", "order_number": ""}
    assert quality_missing(fields, ["product", "order_number"], has_contact=True) == ["order_number"]
    assert quality_missing(fields, [], has_contact=False) == ["contact"]
    assert quality_missing({"content": "x", "amount_claimed": Decimal("0")}, ["amount_claimed"], has_contact=True) == []


def test_similarity_finds_the_same_issue_and_not_a_different_one():
    first = shingles("我家千兆宽带从周一开始断网，报修了两次都没有人上门处理，订单号DD12345")
    again = shingles("宽带还是断网！报修两次没人上门，订单号DD99999")
    other = shingles("冰箱送到时外箱破损，门把手断裂，要求换货")
    assert similarity(first, again) >= 0.3
    assert similarity(first, other) < 0.15
    assert similarity(first, first) == 1.0
    assert similarity(shingles(""), first) == 0.0
