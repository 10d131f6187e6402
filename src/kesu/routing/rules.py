"""Routing rules as data: their shape, their validation and their evaluation. Pure: no database.

A rule is stored as two JSON values (docs/architecture.md, "Configuration is data": never code)::

    conditions = [                                   # all must hold; [] matches every complaint
        {"field": "category", "op": "in", "value": ["logistics"]},    # logistics and its subcategories
        {"field": "tier", "op": "is", "value": "vip"},
        {"field": "emotion", "op": "gte", "value": 70},
    ]
    actions = {"group": "vip-desk", "priority": "P1", "strategy": "senior", "followers": ["guo.min"]}

Fields and their operators (``FIELDS``):

- ``category`` — is, is_not, in, not_in: category codes; a code matches its subcategories too
- ``channel`` / ``tier`` — is, is_not, in, not_in: one of the known values
- ``severity`` — is, is_not, in, not_in, at_least (general < urgent < major)
- ``region`` / ``product`` — is, is_not, in, not_in, contains: free text, compared without case
- ``tags`` — has_any, has_all, has_none: tags that triage's keywords raise
- ``emotion`` — gte, gt, lte, lt, eq: 0–100 (a complaint without a temperature fails them all)
- ``repeat`` — is (true / false: has the customer complained of the same issue before?) or
  gte, gt, lte, lt, eq on the number of earlier complaints
- ``red_channel`` — is: true / false

Every bad part is refused with a ``FieldError`` naming it, e.g.
``conditions[1].field: unknown field 'colour' (known: category, …)`` or ``actions.group: no group 'x'``.

``rules_evaluate`` runs the ordered rules against a complaint's ``Facts`` and explains every rule:
matched or not, and for each condition the actual value and whether it held. The first enabled rule
that matches wins; ``decision_make`` turns the winner into a routing decision.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from kesu.complaints.models import Channel, Priority, Severity
from kesu.core.errors import FieldError, FieldErrors
from kesu.core.messages import Message, given
from kesu.customers.models import Tier

STRATEGIES = ("round_robin", "least_load", "skill_match", "senior")
SEVERITY_ORDER = {value: rank for rank, value in enumerate(Severity.values)}  # general < urgent < major

_CHOICE_OPS = ("is", "is_not", "in", "not_in")
_TEXT_OPS = (*_CHOICE_OPS, "contains")
_NUMBER_OPS = ("gte", "gt", "lte", "lt", "eq")
_TAG_OPS = ("has_any", "has_all", "has_none")

FIELDS: dict[str, tuple[str, ...]] = {
    "category": _CHOICE_OPS,
    "tags": _TAG_OPS,
    "channel": _CHOICE_OPS,
    "region": _TEXT_OPS,
    "product": _TEXT_OPS,
    "tier": _CHOICE_OPS,
    "severity": (*_CHOICE_OPS, "at_least"),
    "emotion": _NUMBER_OPS,
    "red_channel": ("is",),
    "repeat": ("is", *_NUMBER_OPS),
}
ACTIONS = ("group", "priority", "strategy", "followers")
MAX_LIST = 200
MAX_TEXT = 128
MAX_POSITION = 1_000_000


@dataclass(frozen=True)
class Catalog:
    """What rules may name: the centre's categories (code → parent code), tags, groups and users.

    ``users`` needs to hold only the usernames the rules refer to (the selector loads just those).
    ``strict=False`` checks only the shape of stored rules, not the names: intake uses it (the names
    were checked when the rule was saved; a category or tag that has gone simply matches nothing,
    and the group and followers are looked up when applied)."""

    categories: frozenset[str] = frozenset()
    parents: Mapping[str, str] = field(default_factory=dict)
    tags: frozenset[str] = frozenset()
    groups: frozenset[str] = frozenset()
    users: frozenset[str] = frozenset()
    strict: bool = True


@dataclass(frozen=True)
class Condition:
    field: str
    op: str
    value: Any

    def as_dict(self) -> dict[str, Any]:
        return {"field": self.field, "op": self.op, "value": self.value}


@dataclass(frozen=True)
class RuleActions:
    group: str = ""
    priority: str = ""
    strategy: str = ""
    followers: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        body: dict[str, Any] = {}
        for name in ("group", "priority", "strategy"):
            if getattr(self, name):
                body[name] = getattr(self, name)
        if self.followers:
            body["followers"] = list(self.followers)
        return body


@dataclass(frozen=True)
class Rule:
    id: int | None
    name: str
    position: int
    enabled: bool
    conditions: tuple[Condition, ...]
    actions: RuleActions
    # a stored rule that no longer validates (a category renamed …) is skipped; problem says why
    problem: dict[str, Any] | None = None  # a message ({"code", "params"})
    notes: tuple[dict[str, Any], ...] = ()  # what was dropped from a stored rule (a follower no longer active …)
    name_en: str = ""  # the name in English ("": the same in both languages)

    def ref(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "name_en": self.name_en, "position": self.position}


@dataclass(frozen=True)
class Facts:
    """What the rules look at in one complaint."""

    category: str = ""
    category_path: tuple[str, ...] = ()  # the category and its ancestors, nearest first
    tags: tuple[str, ...] = ()
    channel: str = ""
    region: str = ""
    product: str = ""
    tier: str = Tier.REGULAR
    severity: str = Severity.GENERAL
    emotion: int | None = None
    red_channel: bool = False
    repeat_count: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "category": self.category, "tags": list(self.tags), "channel": self.channel, "region": self.region,
            "product": self.product, "tier": self.tier, "severity": self.severity, "emotion": self.emotion,
            "red_channel": self.red_channel, "repeat": self.repeat_count,
        }


def category_path(code: str, parents: Mapping[str, str]) -> tuple[str, ...]:
    """``code`` and its ancestors, nearest first (a cycle in bad data stops the walk)."""
    path: list[str] = []
    while code and code not in path:
        path.append(code)
        code = parents.get(code, "")
    return tuple(path)


# --- validation ---------------------------------------------------------------------------------


def _m(code: str, **params: Any) -> dict[str, Any]:
    return Message(code, **params).as_data()


def _listing(values) -> list[str]:
    """The known values as a message parameter: at most 30, then how many in all."""
    values = sorted(values)
    return values[:30] + ([f"… ({len(values)})"] if len(values) > 30 else []) if values else ["—"]


def _string(where: str, value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise FieldError(where, "field.not_text", got=given(value))
    if len(value) > MAX_TEXT:
        raise FieldError(where, "field.too_long", limit=MAX_TEXT, got=len(value))
    return value.strip()


def _strings(where: str, value: Any) -> list[str]:
    if not isinstance(value, list) or not value:
        raise FieldError(where, "field.not_list", got=given(value))
    if len(value) > MAX_LIST:
        raise FieldError(where, "field.list_too_long", limit=MAX_LIST)
    return [_string(f"{where}[{i}]", item) for i, item in enumerate(value)]


def _known(where: str, value: str, known: frozenset[str], what: str, *, strict: bool = True) -> str:
    if strict and value not in known:
        raise FieldError(where, "field.unknown", value=value, choices=_listing(known))
    return value


def _condition_value(where: str, name: str, op: str, value: Any, catalog: Catalog) -> Any:
    """The value of one condition, checked against the field and operator."""
    if op in _NUMBER_OPS:
        if isinstance(value, bool) or not isinstance(value, int):
            raise FieldError(where, "field.not_integer", got=given(value))
        top = 100 if name == "emotion" else 1000
        if not 0 <= value <= top:
            raise FieldError(where, "field.out_of_range", low=0, high=top, got=value)
        return value
    if name in ("red_channel", "repeat"):  # op "is"
        if not isinstance(value, bool):
            raise FieldError(where, "field.not_boolean", got=given(value))
        return value
    known: frozenset[str] | None = {
        "category": catalog.categories,
        "channel": frozenset(Channel.values),
        "tier": frozenset(Tier.values),
        "severity": frozenset(Severity.values),
        "tags": catalog.tags,
    }.get(name)
    strict = catalog.strict or name not in ("category", "tags")
    what = "tag" if name == "tags" else name
    if op in ("in", "not_in") or name == "tags":
        items = _strings(where, value)
        if known is not None:
            items = [_known(f"{where}[{i}]", item, known, what, strict=strict) for i, item in enumerate(items)]
        return items
    item = _string(where, value)
    if known is not None:
        _known(where, item, known, what, strict=strict)
    return item


def condition_parse(raw: Any, *, where: str, catalog: Catalog) -> Condition:
    if not isinstance(raw, dict):
        raise FieldError(where, "routing.condition_shape")
    errors: list[FieldError] = []
    for key in raw:
        if key not in ("field", "op", "value"):
            errors.append(FieldError(f"{where}.{key}", "field.unknown_key", key=key, known=["field", "op", "value"]))
    name = raw.get("field")
    if name not in FIELDS:
        errors.append(FieldError(f"{where}.field", "field.unknown", value=given(name), choices=list(FIELDS)))
        raise FieldErrors(errors)
    op = raw.get("op")
    if op not in FIELDS[name]:
        errors.append(
            FieldError(f"{where}.op", "field.unknown", value=given(op), choices=list(FIELDS[name]))
        )
        raise FieldErrors(errors)
    if "value" not in raw:
        errors.append(FieldError(f"{where}.value", "field.required"))
        raise FieldErrors(errors)
    try:
        value = _condition_value(f"{where}.value", name, op, raw["value"], catalog)
    except FieldError as error:
        errors.extend(error.field_errors)
    if errors:
        raise FieldErrors(errors)
    return Condition(field=name, op=op, value=value)


def conditions_parse(raw: Any, catalog: Catalog) -> tuple[Condition, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list):
        raise FieldError("conditions", "routing.conditions_shape")
    if len(raw) > 50:
        raise FieldError("conditions", "field.list_too_long", limit=50)
    parsed: list[Condition] = []
    errors: list[FieldError] = []
    for i, item in enumerate(raw):
        try:
            parsed.append(condition_parse(item, where=f"conditions[{i}]", catalog=catalog))
        except FieldError as error:
            errors.extend(error.field_errors)
    if errors:
        raise FieldErrors(errors)
    return tuple(parsed)


def actions_parse(
    raw: Any, catalog: Catalog, *, lenient_followers: bool = False
) -> tuple[RuleActions, list[dict[str, Any]]]:
    """The actions of a rule, and (with ``lenient_followers``) notes on followers dropped as unknown."""
    if not isinstance(raw, dict):
        raise FieldError("actions", "routing.actions_shape", known=list(ACTIONS))
    errors: list[FieldError] = []
    notes: list[dict[str, Any]] = []
    for key in raw:
        if key not in ACTIONS:
            errors.append(FieldError(f"actions.{key}", "field.unknown_key", key=key, known=list(ACTIONS)))
    present = {key: value for key, value in raw.items() if key in ACTIONS and value not in (None, "", [])}
    if not present and not errors:
        errors.append(FieldError("actions", "routing.actions_shape", known=list(ACTIONS)))
    result: dict[str, Any] = {}
    if "group" in present:
        try:
            code = _string("actions.group", present["group"])
            if catalog.strict and code not in catalog.groups:
                raise FieldError("actions.group", "field.unknown", value=code, choices=_listing(catalog.groups))
            result["group"] = code
        except FieldError as error:
            errors.append(error)
    if "priority" in present:
        if present["priority"] not in Priority.values:
            errors.append(FieldError(
                "actions.priority", "field.unknown", value=given(present["priority"]), choices=list(Priority.values)
            ))
        else:
            result["priority"] = present["priority"]
    if "strategy" in present:
        if present["strategy"] not in STRATEGIES:
            errors.append(FieldError(
                "actions.strategy", "field.unknown", value=given(present["strategy"]), choices=list(STRATEGIES)
            ))
        else:
            result["strategy"] = present["strategy"]
    if "followers" in present:
        try:
            names = _strings("actions.followers", present["followers"])
            kept = []
            for i, name in enumerate(names):
                if name in catalog.users or not catalog.strict:
                    if name not in kept:
                        kept.append(name)
                elif lenient_followers:
                    notes.append(Message("routing.note.follower_left_out", user=name).as_data())
                else:
                    errors.append(FieldError(f"actions.followers[{i}]", "user.unknown", user=name))
            result["followers"] = tuple(kept)
        except FieldError as error:
            errors.append(error)
    if errors:
        raise FieldErrors(errors)
    return RuleActions(**result), notes


def rule_parse(
    *, name: Any, position: Any, enabled: Any, conditions: Any, actions: Any, catalog: Catalog, rule_id: int | None = None,
    name_en: Any = "",
) -> Rule:
    """A validated rule; raises FieldErrors naming every bad part at once."""
    errors: list[FieldError] = []

    def attempt(check):
        try:
            return check()
        except FieldError as error:
            errors.extend(error.field_errors)
            return None

    clean_name = attempt(lambda: _name(name))
    clean_name_en = attempt(lambda: _name(name_en, field="name_en", required=False))
    clean_position = attempt(lambda: _position(position))
    if not isinstance(enabled, bool):
        errors.append(FieldError("enabled", "field.not_boolean", got=given(enabled)))
    parsed_conditions = attempt(lambda: conditions_parse(conditions, catalog))
    parsed_actions = attempt(lambda: actions_parse(actions, catalog))
    if errors:
        raise FieldErrors(errors)
    return Rule(
        id=rule_id, name=clean_name, name_en=clean_name_en, position=clean_position, enabled=enabled,
        conditions=parsed_conditions, actions=parsed_actions[0],
    )


def _name(value: Any, *, field: str = "name", required: bool = True) -> str:
    if not required and (value is None or value == ""):
        return ""
    if not isinstance(value, str) or not value.strip():
        raise FieldError(field, "field.required")
    if len(value.strip()) > 100:
        raise FieldError(field, "field.too_long", limit=100, got=len(value.strip()))
    return value.strip()


def _position(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_POSITION:
        raise FieldError("position", "field.out_of_range", low=0, high=MAX_POSITION, got=given(value))
    return value


def rule_load(
    *, rule_id: int | None, name: str, position: int, enabled: bool, conditions: Any, actions: Any, catalog: Catalog,
    name_en: str = "",
) -> Rule:
    """A stored rule for evaluation. One that no longer validates (a category was renamed, a group
    removed) is kept with its ``problem`` and skipped; an inactive follower is only left out."""
    try:
        parsed_conditions = conditions_parse(conditions, catalog)
        parsed_actions, notes = actions_parse(actions, catalog, lenient_followers=True)
    except FieldError as error:
        return Rule(id=rule_id, name=name, name_en=name_en, position=position, enabled=enabled, conditions=(),
                    actions=RuleActions(), problem=errors_message(error))
    return Rule(id=rule_id, name=name, name_en=name_en, position=position, enabled=enabled,
                conditions=parsed_conditions, actions=parsed_actions, notes=tuple(notes))


def errors_message(error: FieldError) -> dict[str, Any]:
    """Every part an error names, as one message (``field: message; field: message`` when worded)."""
    parts = [Message("routing.part", field=e.field, error=Message(e.code, **e.params)) for e in error.field_errors]
    return Message("routing.parts", parts=parts).as_data()


def rules_references(rows: Sequence[tuple[Any, Any]]) -> set[str]:
    """The usernames a set of stored (conditions, actions) pairs names as followers."""
    names: set[str] = set()
    for _conditions, actions in rows:
        if isinstance(actions, dict) and isinstance(actions.get("followers"), list):
            names.update(n.strip() for n in actions["followers"] if isinstance(n, str))
    return names


# --- evaluation ---------------------------------------------------------------------------------


def _fold(value: str) -> str:
    return value.strip().casefold()


def condition_check(condition: Condition, facts: Facts) -> tuple[bool, Any]:
    """Whether ``condition`` holds for ``facts``, and the actual value it looked at."""
    name, op, value = condition.field, condition.op, condition.value
    if name == "category":
        actual = facts.category
        wanted = [value] if op in ("is", "is_not") else value
        inside = any(code in facts.category_path for code in wanted)
        return (inside if op in ("is", "in") else not inside), actual or None
    if name == "tags":
        have = set(facts.tags)
        if op == "has_any":
            return bool(have & set(value)), list(facts.tags)
        if op == "has_all":
            return set(value) <= have, list(facts.tags)
        return not (have & set(value)), list(facts.tags)
    if name in ("emotion", "repeat") and op in _NUMBER_OPS:
        number = facts.emotion if name == "emotion" else facts.repeat_count
        if number is None:
            return False, None
        passed = {"gte": number >= value, "gt": number > value, "lte": number <= value, "lt": number < value,
                  "eq": number == value}[op]
        return passed, number
    if name == "repeat":  # is true / false
        return (facts.repeat_count > 0) == value, facts.repeat_count
    if name == "red_channel":
        return facts.red_channel == value, facts.red_channel
    actual = getattr(facts, name)
    if name == "severity" and op == "at_least":
        return SEVERITY_ORDER.get(actual, -1) >= SEVERITY_ORDER[value], actual
    fold = _fold if name in ("region", "product") else (lambda s: s)
    if op == "contains":
        return _fold(value) in _fold(actual), actual
    if op in ("is", "is_not"):
        same = fold(actual) == fold(value)
        return (same if op == "is" else not same), actual
    inside = fold(actual) in {fold(v) for v in value}
    return (inside if op == "in" else not inside), actual


@dataclass(frozen=True)
class Evaluation:
    matched: Rule | None
    rules: list[dict[str, Any]]  # one explanation per rule, in order


def rules_evaluate(rules: Sequence[Rule], facts: Facts) -> Evaluation:
    """Run the rules in order (position, id); the first enabled rule whose conditions all hold wins.

    Every rule is explained, also after the winner and also when disabled, so the management layer
    sees what each would do."""
    ordered = sorted(rules, key=lambda r: (r.position, r.id or 0))
    matched: Rule | None = None
    explained: list[dict[str, Any]] = []
    for rule in ordered:
        entry: dict[str, Any] = {**rule.ref(), "enabled": rule.enabled, "actions": rule.actions.as_dict()}
        if rule.problem:
            entry.update(matched=False, applied=False, conditions=[], why=_m("routing.why.skipped", problem=rule.problem))
            explained.append(entry)
            continue
        checks = []
        for condition in rule.conditions:
            passed, actual = condition_check(condition, facts)
            checks.append({**condition.as_dict(), "actual": actual, "passed": passed})
        holds = all(check["passed"] for check in checks)
        applied = holds and rule.enabled and matched is None
        if applied:
            matched = rule
            why = _m("routing.why.all_hold") if checks else _m("routing.why.no_conditions")
        elif not holds:
            failed = [
                Message("routing.why.fails", field=c["field"], op=c["op"], value=given(c["value"]),
                        actual=given(c["actual"]))
                for c in checks if not c["passed"]
            ]
            why = _m("routing.why.failed", conditions=failed)
        elif not rule.enabled:
            why = _m("routing.why.disabled")
        else:
            why = _m("routing.why.earlier", rule=matched.name if matched else "")
        entry.update(matched=holds, applied=applied, conditions=checks, why=why)
        if rule.notes:
            entry["notes"] = list(rule.notes)
        explained.append(entry)
    return Evaluation(matched=matched, rules=explained)


@dataclass(frozen=True)
class Decision:
    """What routing decided before choosing a handler."""

    rule: Rule | None
    group: str  # group code, "" for none
    group_source: str  # rule | intake | default | none
    group_note: dict[str, Any]  # a message ({"code", "params"})
    priority: str = ""  # override, "" to keep
    strategy: str = ""  # override of the group's strategy, "" to keep
    followers: tuple[str, ...] = ()


def decision_make(evaluation: Evaluation, *, intake_group: str, default_group: str) -> Decision:
    """Where the complaint goes.

    A group chosen at intake by a person is kept (the intake form's empty choice reads "routing
    decides"); otherwise the winning rule's group; otherwise the default group (the one group whose
    routing is marked default); otherwise none. The winner's priority, strategy and followers apply
    in every case.
    """
    rule = evaluation.matched
    actions = rule.actions if rule else RuleActions()
    if intake_group:
        if actions.group and actions.group != intake_group:
            note = _m("routing.group.intake_rule_ignored", group=actions.group)
        else:
            note = _m("routing.group.intake")
        group, source = intake_group, "intake"
    elif actions.group:
        group, source, note = actions.group, "rule", _m("routing.group.rule", rule=rule.name if rule else "")
    elif default_group:
        note = _m("routing.group.default") if rule is None else _m("routing.group.default_rule", rule=rule.name)
        group, source = default_group, "default"
    else:
        group, source, note = "", "none", _m("routing.group.none")
    return Decision(rule=rule, group=group, group_source=source, group_note=note, priority=actions.priority,
                    strategy=actions.strategy, followers=actions.followers)
