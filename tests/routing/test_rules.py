"""Rules are data: every bad part is refused by name; evaluation explains every rule and condition."""

from __future__ import annotations

import pytest
from django.utils import translation

from kesu.core.errors import FieldError
from kesu.core.messages import message_render
from kesu.routing.rules import (
    FIELDS,
    Catalog,
    Facts,
    category_path,
    decision_make,
    rule_load,
    rule_parse,
    rules_evaluate,
)

CATALOG = Catalog(
    categories=frozenset({"logistics", "logistics-delay", "logistics-damage", "service", "service-attitude"}),
    parents={"logistics-delay": "logistics", "logistics-damage": "logistics", "service-attitude": "service"},
    tags=frozenset({"破损", "退款"}),
    groups=frozenset({"front-desk", "vip-desk", "logistics-desk"}),
    users=frozenset({"guo.min"}),
)


def parse(conditions=(), actions=None, **fields):
    base = {"name": "r", "position": 10, "enabled": True}
    base.update(fields)
    return rule_parse(conditions=list(conditions), actions=actions if actions is not None else {"group": "front-desk"},
                      catalog=CATALOG, **base)


def refused(**kwargs) -> dict[str, FieldError]:
    """Each bad part's field → its error (a message id and parameters)."""
    with pytest.raises(FieldError) as caught:
        parse(**kwargs)
    return {error.field: error for error in caught.value.field_errors}


# --- validation -----------------------------------------------------------------------------------


def test_an_unknown_field_is_named_with_the_known_ones():
    errors = refused(conditions=[{"field": "tier", "op": "is", "value": "vip"},
                                 {"field": "colour", "op": "is", "value": "red"}])
    assert list(errors) == ["conditions[1].field"]
    error = errors["conditions[1].field"]
    assert (error.code, error.params) == ("field.unknown", {"value": "colour", "choices": list(FIELDS)})


@pytest.mark.parametrize(
    ("condition", "where", "says"),
    [
        ({"field": "channel", "op": "gte", "value": 3}, "conditions[0].op", ("field.unknown", {"value": "gte"})),
        ({"field": "category", "op": "in", "value": ["logistics", "lost"]}, "conditions[0].value[1]",
         ("field.unknown", {"value": "lost"})),
        ({"field": "category", "op": "in", "value": "logistics"}, "conditions[0].value",
         ("field.not_list", {"got": "logistics"})),
        ({"field": "tags", "op": "has_any", "value": ["破损", "丢件"]}, "conditions[0].value[1]",
         ("field.unknown", {"value": "丢件"})),
        ({"field": "emotion", "op": "gte", "value": 170}, "conditions[0].value",
         ("field.out_of_range", {"low": 0, "high": 100, "got": 170})),
        ({"field": "emotion", "op": "gte", "value": "70"}, "conditions[0].value", ("field.not_integer", {"got": "70"})),
        ({"field": "red_channel", "op": "is", "value": "yes"}, "conditions[0].value", ("field.not_boolean", {"got": "yes"})),
        ({"field": "tier", "op": "is", "value": "gold"}, "conditions[0].value", ("field.unknown", {"value": "gold"})),
        ({"field": "severity", "op": "at_least", "value": "huge"}, "conditions[0].value", ("field.unknown", {"value": "huge"})),
        ({"field": "region", "op": "contains", "value": ""}, "conditions[0].value", ("field.not_text", {"got": ""})),
        ({"field": "tier", "op": "is"}, "conditions[0].value", ("field.required", {})),
        ({"field": "tier", "op": "is", "value": "vip", "weight": 2}, "conditions[0].weight",
         ("field.unknown_key", {"key": "weight"})),
        ("tier is vip", "conditions[0]", ("routing.condition_shape", {})),
    ],
)
def test_each_bad_condition_is_named(condition, where, says):
    errors = refused(conditions=[condition])
    assert where in errors, errors
    code, params = says
    assert errors[where].code == code
    assert params.items() <= errors[where].params.items()


@pytest.mark.parametrize(
    ("actions", "where", "says"),
    [
        ({"group": "x"}, "actions.group", ("field.unknown", {"value": "x"})),
        ({"priority": "P9"}, "actions.priority", ("field.unknown", {"value": "P9"})),
        ({"strategy": "random"}, "actions.strategy", ("field.unknown", {"value": "random"})),
        ({"followers": ["guo.min", "nobody"]}, "actions.followers[1]", ("user.unknown", {"user": "nobody"})),
        ({"colour": "red"}, "actions.colour", ("field.unknown_key", {"key": "colour"})),
        ({}, "actions", ("routing.actions_shape", {})),
        (["front-desk"], "actions", ("routing.actions_shape", {})),
    ],
)
def test_each_bad_action_is_named(actions, where, says):
    errors = refused(actions=actions)
    assert where in errors, errors
    code, params = says
    assert errors[where].code == code
    assert params.items() <= errors[where].params.items()


def test_every_bad_part_is_named_at_once():
    errors = refused(name="", position=-1, conditions=[{"field": "colour", "op": "is", "value": 1},
                                                        {"field": "tier", "op": "is", "value": "gold"}],
                     actions={"group": "x"})
    assert set(errors) == {"name", "position", "conditions[0].field", "conditions[1].value", "actions.group"}


def test_conditions_must_be_a_list():
    with pytest.raises(FieldError) as caught:
        rule_parse(name="r", position=1, enabled=True, conditions={"tier": "vip"}, actions={"priority": "P1"},
                   catalog=CATALOG)
    assert [(e.field, e.code) for e in caught.value.field_errors] == [("conditions", "routing.conditions_shape")]


def test_a_valid_rule_is_stored_as_clean_data():
    rule = parse(conditions=[{"field": "region", "op": "in", "value": [" 上海 "]}],
                 actions={"group": "vip-desk", "priority": "P1", "followers": ["guo.min", "guo.min"]})
    assert [c.as_dict() for c in rule.conditions] == [{"field": "region", "op": "in", "value": ["上海"]}]
    assert rule.actions.as_dict() == {"group": "vip-desk", "priority": "P1", "followers": ["guo.min"]}


# --- evaluation -----------------------------------------------------------------------------------


def facts(**fields) -> Facts:
    category = fields.pop("category", "")
    return Facts(category=category, category_path=category_path(category, CATALOG.parents), **fields)


def rule(name, conditions, actions=None, *, position=10, enabled=True, rule_id=None):
    return parse(conditions=conditions, actions=actions or {"group": "front-desk"}, name=name, position=position,
                 enabled=enabled, rule_id=rule_id)


def test_a_category_condition_matches_its_subcategories():
    logistics = [{"field": "category", "op": "in", "value": ["logistics"]}]
    assert rules_evaluate([rule("l", logistics)], facts(category="logistics-damage")).matched is not None
    assert rules_evaluate([rule("l", logistics)], facts(category="service-attitude")).matched is None
    assert rules_evaluate([rule("l", logistics)], facts(category="")).matched is None
    not_logistics = [{"field": "category", "op": "not_in", "value": ["logistics"]}]
    assert rules_evaluate([rule("n", not_logistics)], facts(category="logistics-delay")).matched is None


def test_the_first_enabled_match_wins_and_every_rule_is_explained():
    rules = [
        rule("disabled VIP", [{"field": "tier", "op": "is", "value": "vip"}], position=1, enabled=False, rule_id=1),
        rule("angry", [{"field": "emotion", "op": "gte", "value": 70}], position=2, rule_id=2),
        rule("VIP", [{"field": "tier", "op": "is", "value": "vip"},
                     {"field": "tags", "op": "has_any", "value": ["破损"]}], position=3, rule_id=3),
        rule("VIP again", [{"field": "tier", "op": "is", "value": "vip"}], position=4, rule_id=4),
    ]
    evaluation = rules_evaluate(rules, facts(tier="vip", emotion=40, tags=("破损",)))

    assert evaluation.matched.name == "VIP"
    by_name = {r["name"]: r for r in evaluation.rules}
    assert [r["name"] for r in evaluation.rules] == ["disabled VIP", "angry", "VIP", "VIP again"]
    assert (by_name["disabled VIP"]["matched"], by_name["disabled VIP"]["applied"]) == (True, False)
    assert by_name["disabled VIP"]["why"]["code"] == "routing.why.disabled"
    assert by_name["angry"]["conditions"] == [
        {"field": "emotion", "op": "gte", "value": 70, "actual": 40, "passed": False}
    ]
    assert by_name["angry"]["why"]["code"] == "routing.why.failed"
    with translation.override("en"):
        assert message_render(by_name["angry"]["why"]["code"], by_name["angry"]["why"]["params"]) == (
            "emotion gte 70 does not hold (actual 40)")
    assert by_name["VIP"]["applied"] and all(c["passed"] for c in by_name["VIP"]["conditions"])
    assert (by_name["VIP again"]["matched"], by_name["VIP again"]["applied"]) == (True, False)
    assert by_name["VIP again"]["why"] == {"code": "routing.why.earlier", "params": {"rule": "VIP"}}


@pytest.mark.parametrize(
    ("condition", "fact", "holds"),
    [
        ({"field": "region", "op": "contains", "value": "shanghai"}, {"region": "Shanghai Pudong"}, True),
        ({"field": "product", "op": "in", "value": ["Router X1"]}, {"product": "router x1"}, True),
        ({"field": "channel", "op": "is_not", "value": "phone"}, {"channel": "phone"}, False),
        ({"field": "severity", "op": "at_least", "value": "urgent"}, {"severity": "major"}, True),
        ({"field": "severity", "op": "at_least", "value": "urgent"}, {"severity": "general"}, False),
        ({"field": "tags", "op": "has_all", "value": ["破损", "退款"]}, {"tags": ("破损",)}, False),
        ({"field": "tags", "op": "has_none", "value": ["退款"]}, {"tags": ("破损",)}, True),
        ({"field": "emotion", "op": "lt", "value": 40}, {"emotion": None}, False),
        ({"field": "repeat", "op": "is", "value": True}, {"repeat_count": 2}, True),
        ({"field": "repeat", "op": "gte", "value": 3}, {"repeat_count": 2}, False),
        ({"field": "red_channel", "op": "is", "value": True}, {"red_channel": False}, False),
    ],
)
def test_operators(condition, fact, holds):
    assert (rules_evaluate([rule("r", [condition])], facts(**fact)).matched is not None) is holds


def test_a_rule_without_conditions_matches_every_complaint():
    evaluation = rules_evaluate([rule("catch-all", [])], facts())
    assert evaluation.matched.name == "catch-all"
    assert evaluation.rules[0]["why"]["code"] == "routing.why.no_conditions"


def test_a_stored_rule_that_no_longer_validates_is_skipped_with_its_problem():
    broken = rule_load(rule_id=7, name="old", position=1, enabled=True,
                       conditions=[{"field": "category", "op": "in", "value": ["removed-category"]}],
                       actions={"group": "front-desk"}, catalog=CATALOG)
    lenient = rule_load(rule_id=8, name="followers", position=2, enabled=True, conditions=[],
                        actions={"priority": "P2", "followers": ["guo.min", "left.company"]}, catalog=CATALOG)
    evaluation = rules_evaluate([broken, lenient], facts(category="removed-category"))
    assert evaluation.matched is lenient
    assert lenient.actions.followers == ("guo.min",)
    why = evaluation.rules[0]["why"]
    assert why["code"] == "routing.why.skipped"
    (part,) = why["params"]["problem"]["params"]["parts"]
    assert part["params"]["field"] == "conditions[0].value[0]"
    assert part["params"]["error"]["params"]["value"] == "removed-category"
    assert evaluation.rules[1]["notes"] == [
        {"code": "routing.note.follower_left_out", "params": {"user": "left.company"}}]
    with translation.override("en"):
        assert message_render(why["code"], why["params"]).startswith(
            "skipped: conditions[0].value[0]: Unknown value “removed-category”")


def test_the_decision_keeps_an_intake_group_else_the_rule_else_the_default():
    to_vip = rules_evaluate([rule("vip", [], {"group": "vip-desk", "priority": "P1"})], facts())
    nothing = rules_evaluate([], facts())

    kept = decision_make(to_vip, intake_group="front-desk", default_group="logistics-desk")
    assert (kept.group, kept.group_source, kept.priority) == ("front-desk", "intake", "P1")
    assert kept.group_note == {"code": "routing.group.intake_rule_ignored", "params": {"group": "vip-desk"}}
    assert decision_make(to_vip, intake_group="", default_group="front-desk").group == "vip-desk"
    default = decision_make(nothing, intake_group="", default_group="front-desk")
    assert (default.group, default.group_source) == ("front-desk", "default")
    assert decision_make(nothing, intake_group="", default_group="").group_source == "none"
