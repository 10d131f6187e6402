"""Reads of the routing configuration: the catalog rules may name, the stored rules, a complaint's facts."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from kesu.complaints.models import Category, Complaint, ComplaintEvent, EventKind
from kesu.core.configcache import config_cached
from kesu.core.messages import Message, message_render
from kesu.core.models import Group, User
from kesu.routing.models import GroupRouting, RoutingRule
from kesu.routing.rules import (
    Catalog,
    Decision,
    Evaluation,
    Facts,
    Rule,
    category_path,
    decision_make,
    rule_load,
    rules_evaluate,
    rules_references,
)
from kesu.triage.context import triage_context
from kesu.triage.models import Keyword


def routing_catalog(*, usernames: Iterable[str] = ()) -> Catalog:
    """Active categories (with parents), tags, groups, and which of ``usernames`` are active users."""
    categories = list(Category.objects.filter(is_active=True).values_list("code", "parent__code"))
    names = {n for n in usernames if isinstance(n, str)}
    return Catalog(
        categories=frozenset(code for code, _parent in categories),
        parents={code: parent for code, parent in categories if parent},
        tags=frozenset(Keyword.objects.filter(is_active=True).values_list("tag", flat=True)),
        groups=frozenset(Group.objects.values_list("code", flat=True)),
        users=frozenset(User.objects.filter(username__in=names, is_active=True).values_list("username", flat=True))
        if names else frozenset(),
    )


def rules_stored(*, enabled_only: bool, strict: bool = True) -> tuple[list[Rule], Catalog]:
    """The stored rules in order, parsed against the current catalog (a rule that no longer
    validates carries its problem and is skipped by the evaluation).

    ``strict=False`` (intake): the enabled rules from this process's cache (version "routing",
    ADR 0015), no query; names are not checked again, category parents come from triage's cached
    context."""
    if not strict and enabled_only:
        parents = triage_context().parents
        rows = config_cached("routing", _enabled_rule_rows, part="rules")
        return _rules_parsed(rows, parents), Catalog(parents=parents, strict=False)
    rows = _rule_rows(enabled_only=enabled_only)
    if not strict:
        catalog = Catalog(parents=triage_context().parents, strict=False)
    elif not rows:
        return [], Catalog()
    else:
        catalog = routing_catalog(usernames=rules_references([(r[4], r[5]) for r in rows]))
    rules = [
        rule_load(rule_id=i, name=n, name_en=n_en, position=p, enabled=e, conditions=c, actions=a, catalog=catalog)
        for i, n, p, e, c, a, n_en in rows
    ]
    return rules, catalog


def _rule_rows(*, enabled_only: bool) -> tuple[tuple, ...]:
    rows = RoutingRule.objects.order_by("position", "id")
    if enabled_only:
        rows = rows.filter(enabled=True)
    return tuple(rows.values_list("id", "name", "position", "enabled", "conditions", "actions", "name_en"))


def _enabled_rule_rows() -> tuple[tuple, ...]:
    return _rule_rows(enabled_only=True)


_parsed: dict[int, tuple[tuple, Any, list[Rule]]] = {}  # id(rows) -> (rows, parents, rules)


def _rules_parsed(rows: tuple[tuple, ...], parents: Any) -> list[Rule]:
    """The cached rows parsed once per (rows, parents) pair: both change only with a new version."""
    held = _parsed.get(id(rows))
    if held is not None and held[0] is rows and held[1] is parents:
        return held[2]
    catalog = Catalog(parents=parents, strict=False)
    rules = [
        rule_load(rule_id=i, name=n, name_en=n_en, position=p, enabled=e, conditions=c, actions=a, catalog=catalog)
        for i, n, p, e, c, a, n_en in rows
    ]
    _parsed.clear()
    _parsed[id(rows)] = (rows, parents, rules)
    return rules


def default_group_code() -> str:
    """The default group's code, from this process's cache (version "routing")."""
    return config_cached("routing", _default_group_read, part="default_group")


def _default_group_read() -> str:
    return GroupRouting.objects.filter(is_default=True).values_list("group__code", flat=True).first() or ""


def complaint_facts(complaint: Complaint, *, parents: dict[str, str]) -> Facts:
    """What the rules look at (the complaint may be unsaved)."""
    code = complaint.category.code if complaint.category_id else ""
    return Facts(
        category=code,
        category_path=category_path(code, parents),
        tags=tuple(complaint.tags or ()),
        channel=complaint.channel,
        region=complaint.region or "",
        product=complaint.product or "",
        tier=complaint.customer.tier,
        severity=complaint.severity,
        emotion=complaint.emotion,
        red_channel=complaint.red_channel,
        repeat_count=complaint.repeat_count,
    )


def route_plan(complaint: Complaint, *, intake_group: str, explain: bool) -> tuple[Facts, Evaluation, Decision]:
    """Evaluate the stored rules against ``complaint`` and decide its group, priority, strategy and
    followers (nothing is written). Intake needs only the enabled rules, as cheaply as possible; an
    explanation (``explain``) shows them all, checked against the current catalog."""
    rules, catalog = rules_stored(enabled_only=not explain, strict=explain)
    facts = complaint_facts(complaint, parents=dict(catalog.parents))
    evaluation = rules_evaluate(rules, facts)
    placed = intake_group or (evaluation.matched is not None and evaluation.matched.actions.group)
    default = "" if placed else default_group_code()
    return facts, evaluation, decision_make(evaluation, intake_group=intake_group, default_group=default)


def intake_group_code(complaint: Complaint) -> str:
    """The group a person chose when the complaint was recorded (its ``created`` event)."""
    event = ComplaintEvent.objects.filter(complaint=complaint, kind=EventKind.CREATED).order_by("at", "id").first()
    group = (event.data or {}).get("group") if event else None
    return group.get("code", "") if isinstance(group, dict) else ""


def rule_dict(rule: RoutingRule, *, problem: dict[str, Any] | None = None) -> dict[str, Any]:
    """A rule for the API; ``problem`` (a message) is worded in the caller's language."""
    return {
        "id": rule.pk, "name": rule.name, "name_en": rule.name_en, "position": rule.position, "enabled": rule.enabled,
        "conditions": rule.conditions, "actions": rule.actions, "updated_at": rule.updated_at,
        "updated_by": rule.updated_by.username if rule.updated_by_id else None,
        "problem": message_render(problem["code"], problem["params"]) if problem else "", "problem_message": problem,
    }


def rules_listed() -> list[dict[str, Any]]:
    """Every rule, in order, with the problem of any that no longer validates."""
    rows = list(RoutingRule.objects.select_related("updated_by").order_by("position", "id"))
    catalog = routing_catalog(usernames=rules_references([(r.conditions, r.actions) for r in rows]))
    listed = []
    for row in rows:
        parsed = rule_load(rule_id=row.pk, name=row.name, position=row.position, enabled=row.enabled,
                           conditions=row.conditions, actions=row.actions, catalog=catalog)
        problem = parsed.problem or (Message("routing.parts", parts=list(parsed.notes)).as_data() if parsed.notes else None)
        listed.append(rule_dict(row, problem=problem))
    return listed
