"""Routing: explain where a complaint goes and why; the management layer edits rules and group routing."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.responses import Status as HttpStatus

from kesu.api.auth import permission_require
from kesu.api.errors import error_body, not_found_body
from kesu.api.schemas import CustomerIn, ErrorOut, TextIn
from kesu.complaints.drafts import ComplaintDraft
from kesu.complaints.models import Complaint
from kesu.core.clock import clock_now
from kesu.core.messages import messages_worded
from kesu.core.models import Group
from kesu.core.roles import Permission
from kesu.customers.actions import CustomerHandles
from kesu.routing.actions import group_routing_set, rule_create, rule_delete, rule_update
from kesu.routing.explain import complaint_explain, draft_explain
from kesu.routing.models import GroupRouting, RoutingRule
from kesu.routing.selectors import rule_dict, rules_listed

router = Router(tags=["routing"])


class ExplainIn(TextIn):
    """Either ``complaint_id`` of a recorded complaint, or a complaint body as for ``POST /complaints``."""

    complaint_id: int | None = Field(None, description="a recorded complaint; or give the complaint's fields")
    channel: str = ""
    content: str = ""
    customer_id: int | None = None
    customer: CustomerIn | None = None
    subject: str = ""
    category: str = ""
    severity: str = ""
    priority: str = ""
    region: str = ""
    product: str = ""
    batch: str = ""
    order_number: str = ""
    amount_claimed: Decimal | None = None
    group: str = ""


class ExplainOut(Schema):
    complaint: dict[str, Any]
    facts: dict[str, Any] = Field(description="what the rules look at")
    rules: list[dict[str, Any]] = Field(
        description="every rule in order: matched, applied, and each condition with its actual value and result"
    )
    matched: dict[str, Any] | None = Field(description="the rule that applies (the first enabled match)")
    decision: dict[str, Any]
    senior_required: list[dict[str, Any]] = Field(description="why a senior handler is needed: messages {code, params, message}")
    assignment: dict[str, Any] = Field(description="who the group's strategy would pick now, and every candidate")
    triage: dict[str, Any] | None = Field(None, description="the in-memory triage of an unsaved complaint")


class RuleIn(TextIn):
    name: Any = Field(..., description="what the rule is for (in Chinese, the default language)")
    name_en: Any = Field("", description="the name in English (empty: the same name in both languages)")
    position: Any = Field(None, description="lower runs first; omitted: after the last rule")
    enabled: Any = True
    conditions: Any = Field(
        default_factory=list,
        description='[{"field": "category"|"tags"|"channel"|"region"|"product"|"tier"|"severity"|"emotion"|'
        '"red_channel"|"repeat", "op": …, "value": …}]; all must hold',
    )
    actions: Any = Field(
        default_factory=dict,
        description='{"group": code, "priority": "P1"…"P4", "strategy": "round_robin"|"least_load"|"skill_match"|'
        '"senior", "followers": [username]}',
    )


class RuleOut(Schema):
    id: int
    name: str
    name_en: str = ""
    position: int
    enabled: bool
    conditions: list[Any]
    actions: dict[str, Any]
    updated_at: datetime
    updated_by: str | None
    problem: str = Field("", description="why a stored rule no longer applies (e.g. a category was removed)")
    problem_message: dict[str, Any] | None = Field(None, description="the problem as a message id and parameters")


class GroupRoutingIn(TextIn):
    strategy: Any = "least_load"
    auto_assign: Any = True
    is_default: Any = False


class GroupRoutingOut(Schema):
    group: str
    strategy: str
    auto_assign: bool
    is_default: bool
    updated_at: datetime


@router.post("/explain", response={200: ExplainOut, 404: ErrorOut, 422: ErrorOut})
def routing_explain_view(request: HttpRequest, payload: ExplainIn):
    """Which rule matches the complaint and why, which do not, and who would get it. Writes nothing."""
    permission_require(request, Permission.COMPLAINT_READ)
    if payload.complaint_id is not None:
        complaint = (
            Complaint.objects.select_related("customer", "category", "group", "assignee")
            .filter(pk=payload.complaint_id).first()
        )
        if complaint is None:
            return HttpStatus(404, not_found_body("complaint", payload.complaint_id))
        return HttpStatus(200, messages_worded(complaint_explain(complaint)))
    customer = payload.customer
    draft = ComplaintDraft(
        channel=payload.channel, content=payload.content, customer_id=payload.customer_id,
        customer=CustomerHandles(**customer.dict()) if customer else CustomerHandles(),
        subject=payload.subject, category=payload.category, severity=payload.severity, priority=payload.priority,
        region=payload.region, product=payload.product, batch=payload.batch, order_number=payload.order_number,
        amount_claimed=payload.amount_claimed, group=payload.group,
    )
    return HttpStatus(200, messages_worded(draft_explain(draft, now=clock_now())))


@router.get("/rules", response={200: list[RuleOut], 403: ErrorOut})
def rule_list_view(request: HttpRequest):
    permission_require(request, Permission.ROUTING_MANAGE)
    return rules_listed()


@router.post("/rules", response={201: RuleOut, 403: ErrorOut, 422: ErrorOut})
def rule_create_view(request: HttpRequest, payload: RuleIn):
    user = permission_require(request, Permission.ROUTING_MANAGE)
    rule = rule_create(by=user, now=clock_now(), **payload.dict())
    return HttpStatus(201, rule_dict(RoutingRule.objects.select_related("updated_by").get(pk=rule.pk)))


@router.put("/rules/{int:rule_id}", response={200: RuleOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut})
def rule_update_view(request: HttpRequest, rule_id: int, payload: RuleIn):
    user = permission_require(request, Permission.ROUTING_MANAGE)
    rule = RoutingRule.objects.filter(pk=rule_id).first()
    if rule is None:
        return HttpStatus(404, not_found_body("routing_rule", rule_id))
    fields = payload.dict()
    if fields["position"] is None:
        fields["position"] = rule.position
    rule = rule_update(rule=rule, by=user, now=clock_now(), **fields)
    return HttpStatus(200, rule_dict(RoutingRule.objects.select_related("updated_by").get(pk=rule.pk)))


@router.delete("/rules/{int:rule_id}", response={204: None, 403: ErrorOut, 404: ErrorOut})
def rule_delete_view(request: HttpRequest, rule_id: int):
    user = permission_require(request, Permission.ROUTING_MANAGE)
    rule = RoutingRule.objects.filter(pk=rule_id).first()
    if rule is None:
        return HttpStatus(404, not_found_body("routing_rule", rule_id))
    rule_delete(rule=rule, by=user, now=clock_now())
    return HttpStatus(204, None)


def _routing_dict(routing: GroupRouting) -> dict[str, Any]:
    return {"group": routing.group.code, "strategy": routing.strategy, "auto_assign": routing.auto_assign,
            "is_default": routing.is_default, "updated_at": routing.updated_at}


@router.get("/groups", response={200: list[GroupRoutingOut], 403: ErrorOut})
def group_routing_list_view(request: HttpRequest):
    """The groups that route automatically (a group not listed is a queue handled by hand)."""
    permission_require(request, Permission.ROUTING_MANAGE)
    return [_routing_dict(r) for r in GroupRouting.objects.select_related("group").order_by("group__code")]


@router.put("/groups/{code}", response={200: GroupRoutingOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut})
def group_routing_set_view(request: HttpRequest, code: str, payload: GroupRoutingIn):
    user = permission_require(request, Permission.ROUTING_MANAGE)
    group = Group.objects.filter(code=code).first()
    if group is None:
        return HttpStatus(404, error_body("api.no_group", group=code))
    routing = group_routing_set(group=group, by=user, now=clock_now(), **payload.dict())
    return HttpStatus(200, _routing_dict(routing))
