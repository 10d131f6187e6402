"""SLA policies as validated data (docs/architecture.md, "Configuration is data"): parsing, and choosing the policy of a complaint.

A policy row holds JSON: ``conditions`` (all must hold), ``targets`` (per clock), ``levels`` (the
escalation ladder). :func:`policy_parse` turns it into a :class:`~kesu.sla.clocks.PolicySpec` or
refuses it with a message naming the bad part; nothing is ever evaluated as code.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from kesu.core.errors import FieldError, FieldErrors
from kesu.core.messages import given
from kesu.sla.clocks import NODES, ClockTarget, EscalationLevel, PolicySpec

CONDITION_FIELDS = {
    "priority": ("P1", "P2", "P3", "P4"),
    "channel": ("phone", "chat", "email", "web", "social", "sms", "api"),
    "tier": ("vip", "regular"),
    "category": None,  # category codes; a condition on a parent matches its descendants
    "red_channel": None,  # true / false
}
NOTIFY = ("handler", "team_lead", "manager")
MAX_MINUTES = 60 * 24 * 365


@dataclass(frozen=True)
class PolicyConditions:
    priority: frozenset[str] | None = None
    channel: frozenset[str] | None = None
    tier: frozenset[str] | None = None
    category: frozenset[str] | None = None
    red_channel: bool | None = None


@dataclass(frozen=True)
class ComplaintFacts:
    priority: str
    channel: str
    tier: str
    categories: frozenset[str]  # the complaint's category code and its ancestors' codes
    red_channel: bool


@dataclass(frozen=True)
class Policy:
    id: int | None
    spec: PolicySpec
    conditions: PolicyConditions
    calendar: str | None  # calendar name; None = the default calendar
    titles: tuple[str, str] = ("", "")  # the policy's title in Chinese and in English (for people)

    def matches(self, facts: ComplaintFacts) -> bool:
        c = self.conditions
        return (
            (c.priority is None or facts.priority in c.priority)
            and (c.channel is None or facts.channel in c.channel)
            and (c.tier is None or facts.tier in c.tier)
            and (c.category is None or bool(facts.categories & c.category))
            and (c.red_channel is None or facts.red_channel == c.red_channel)
        )


def _minutes(errors: list, where: str, value: Any, *, allow_zero: bool = False) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int):
        errors.append(FieldError(where, "field.not_minutes", got=given(value)))
        return None
    if value < 0 or (value == 0 and not allow_zero) or value > MAX_MINUTES:
        low = 0 if allow_zero else 1
        errors.append(FieldError(where, "sla.minutes_range", low=low, high=MAX_MINUTES, got=value))
        return None
    return value


def conditions_parse(raw: Any, *, known_categories: frozenset[str] | None = None) -> PolicyConditions:
    errors: list[FieldError] = []
    if raw in (None, ""):
        raw = {}
    if not isinstance(raw, Mapping):
        raise FieldError("conditions", "sla.conditions_shape")
    parsed: dict[str, Any] = {}
    for name, value in raw.items():
        where = f"conditions.{name}"
        if name not in CONDITION_FIELDS:
            errors.append(FieldError(where, "field.unknown_key", key=name, known=list(CONDITION_FIELDS)))
            continue
        if name == "red_channel":
            if not isinstance(value, bool):
                errors.append(FieldError(where, "field.not_boolean", got=given(value)))
            else:
                parsed[name] = value
            continue
        if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
            errors.append(FieldError(where, "field.not_list", got=given(value)))
            continue
        allowed = CONDITION_FIELDS[name] or known_categories
        if allowed is not None:
            bad = [v for v in value if v not in allowed]
            if bad:
                errors.append(FieldError(where, "field.unknown", value=[given(b) for b in bad], choices=sorted(allowed)))
                continue
        parsed[name] = frozenset(value)
    if errors:
        raise FieldErrors(errors)
    return PolicyConditions(**parsed)


def targets_parse(raw: Any) -> dict[str, ClockTarget]:
    errors: list[FieldError] = []
    if not isinstance(raw, Mapping) or not raw:
        raise FieldError("targets", "sla.targets_shape")
    targets: dict[str, ClockTarget] = {}
    for clock, value in raw.items():
        where = f"targets.{clock}"
        if clock not in NODES:
            errors.append(FieldError(where, "field.unknown_key", key=clock, known=list(NODES)))
            continue
        if isinstance(value, int) and not isinstance(value, bool):
            value = {"minutes": value}
        if not isinstance(value, Mapping):
            errors.append(FieldError(where, "sla.target_shape"))
            continue
        extra = set(value) - {"minutes", "around_the_clock"}
        if extra:
            errors.append(FieldError(where, "field.unknown_key", key=sorted(extra), known=["minutes", "around_the_clock"]))
            continue
        minutes = _minutes(errors, f"{where}.minutes", value.get("minutes"))
        always = value.get("around_the_clock", False)
        if not isinstance(always, bool):
            errors.append(FieldError(f"{where}.around_the_clock", "field.not_boolean", got=given(always)))
            continue
        if minutes is not None:
            targets[clock] = ClockTarget(minutes, always)
    if errors:
        raise FieldErrors(errors)
    return targets


def levels_parse(raw: Any) -> tuple[EscalationLevel, ...]:
    if raw in (None, ""):
        return ()
    if not isinstance(raw, list):
        raise FieldError("levels", "sla.levels_shape")
    errors: list[FieldError] = []
    levels = []
    for index, item in enumerate(raw):
        where = f"levels[{index}]"
        if not isinstance(item, Mapping):
            errors.append(FieldError(where, "field.not_object"))
            continue
        level = item.get("level")
        if level not in (1, 2, 3):
            errors.append(FieldError(f"{where}.level", "field.choice", choices=[1, 2, 3], got=given(level)))
        notify = item.get("notify")
        if notify not in NOTIFY:
            errors.append(FieldError(f"{where}.notify", "field.choice", choices=list(NOTIFY), got=given(notify)))
        after = _minutes(errors, f"{where}.after_minutes", item.get("after_minutes"), allow_zero=True)
        if level in (1, 2, 3) and notify in NOTIFY and after is not None:
            levels.append(EscalationLevel(level, after, notify))
    numbers = [lv.level for lv in levels]
    if len(set(numbers)) != len(numbers):
        errors.append(FieldError("levels", "sla.level_twice"))
    ordered = sorted(levels, key=lambda lv: lv.level)
    if [lv.after_minutes for lv in ordered] != sorted(lv.after_minutes for lv in ordered):
        errors.append(FieldError("levels", "sla.level_order"))
    if errors:
        raise FieldErrors(errors)
    return tuple(ordered)


def policy_parse(
    *,
    id: int | None,
    name: str,
    conditions: Any,
    targets: Any,
    levels: Any,
    warn_percent: Any = 75,
    specialist_after_minutes: Any = None,
    remind_every_minutes: Any = None,
    calendar: str | None = None,
    known_categories: frozenset[str] | None = None,
) -> Policy:
    """Validate a whole policy; every bad part is named at once."""
    errors: list[FieldError] = []

    def attempt(parse):
        try:
            return parse()
        except FieldError as error:
            errors.extend(error.field_errors)
            return None

    parsed_conditions = attempt(lambda: conditions_parse(conditions, known_categories=known_categories))
    parsed_targets = attempt(lambda: targets_parse(targets))
    parsed_levels = attempt(lambda: levels_parse(levels))
    if isinstance(warn_percent, bool) or not isinstance(warn_percent, int) or not 1 <= warn_percent <= 99:
        errors.append(FieldError("warn_percent", "field.out_of_range", low=1, high=99, got=given(warn_percent)))
    specialist = remind = None
    if specialist_after_minutes is not None:
        specialist = _minutes(errors, "specialist_after_minutes", specialist_after_minutes)
    if remind_every_minutes is not None:
        remind = _minutes(errors, "remind_every_minutes", remind_every_minutes)
    if errors:
        raise FieldErrors(errors)
    spec = PolicySpec(
        name=name, targets=parsed_targets, warn_percent=warn_percent, levels=parsed_levels,
        specialist_after_minutes=specialist, remind_every_minutes=remind,
    )
    return Policy(id=id, spec=spec, conditions=parsed_conditions, calendar=calendar or None)


def policy_select(policies: Sequence[Policy], facts: ComplaintFacts) -> Policy | None:
    """The first policy (in order) whose conditions all hold."""
    return next((policy for policy in policies if policy.matches(facts)), None)
