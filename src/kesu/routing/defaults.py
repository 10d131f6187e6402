"""A starting routing configuration for the demo organisation (``demo/organisation.py``).

The demo calls ``routing_defaults_ensure`` after the organisation exists. Everything goes through
the actions (validated, versioned); groups or users that do not exist are left out, and rules are
only added when the centre has none yet, so calling it again changes nothing.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from kesu.core.models import Group, User
from kesu.routing.actions import group_routing_set, rule_create
from kesu.routing.models import GroupRouting, RoutingRule, Strategy

# group code -> (strategy, default group?)
GROUP_ROUTING: dict[str, tuple[str, bool]] = {
    "front-desk": (Strategy.LEAST_LOAD, True),  # the first line takes 80%+ of complaints [S4]
    "vip-desk": (Strategy.SENIOR, False),
    "tech-support": (Strategy.LEAST_LOAD, False),
    "logistics-desk": (Strategy.ROUND_ROBIN, False),
    "billing-review": (Strategy.LEAST_LOAD, False),
}
SUPERVISOR = "guo.min"

# (name, English name, conditions, actions); positions 10, 20, …
RULES: tuple[tuple[str, str, list[dict[str, Any]], dict[str, Any]], ...] = (
    ("红色预警：P1，资深处理人处理，主管关注", "Red channel: P1, a senior handler, the supervisor follows",
     [{"field": "red_channel", "op": "is", "value": True}],
     {"priority": "P1", "strategy": "senior", "followers": [SUPERVISOR]}),
    ("VIP 客户：VIP 专席", "VIP customers: the VIP desk",
     [{"field": "tier", "op": "is", "value": "vip"}],
     {"group": "vip-desk"}),
    ("网络故障：技术支持", "Network outages: technical support",
     [{"field": "tags", "op": "has_any", "value": ["断网"]}],
     {"group": "tech-support"}),
    ("紧急扣费争议：账单复核", "Urgent disputed charges: billing review",
     [{"field": "category", "op": "in", "value": ["billing-charge"]},
      {"field": "severity", "op": "at_least", "value": "urgent"}],
     {"group": "billing-review"}),
    ("平静的咨询：最低优先级", "Calm consultations: lowest priority",
     [{"field": "category", "op": "in", "value": ["product-consultation"]},
      {"field": "emotion", "op": "lt", "value": 40}],
     {"priority": "P4"}),
)


def routing_defaults_ensure(*, now: datetime, by: User | None = None) -> dict[str, int]:
    """Create the demo's group routing and rules where missing. Returns what was created."""
    groups = {g.code: g for g in Group.objects.filter(code__in=GROUP_ROUTING)}
    created = {"groups": 0, "rules": 0}
    for code, (strategy, is_default) in GROUP_ROUTING.items():
        if code in groups and not GroupRouting.objects.filter(group=groups[code]).exists():
            if is_default and GroupRouting.objects.filter(is_default=True).exists():
                is_default = False
            group_routing_set(group=groups[code], by=by, now=now, strategy=strategy, auto_assign=True,
                              is_default=is_default)
            created["groups"] += 1
    if RoutingRule.objects.exists():
        return created
    supervisor = User.objects.filter(username=SUPERVISOR, is_active=True).exists()
    for position, (name, name_en, conditions, actions) in enumerate(RULES, start=1):
        actions = dict(actions)
        if not supervisor:
            actions.pop("followers", None)
        if actions.get("group") and actions["group"] not in groups:
            continue
        rule_create(by=by, now=now, name=name, name_en=name_en, conditions=conditions, actions=actions, position=position * 10)
        created["rules"] += 1
    return created
