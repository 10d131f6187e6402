"""Why a complaint goes where it goes: every rule (matched or not, condition by condition), the
decision, and who the group's strategy would pick now. Reads only; writes nothing.

``complaint_explain`` explains a recorded complaint; ``draft_explain`` an unsaved one, triaged in
memory exactly as intake would (no customer, complaint, event or link is written).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction

from kesu.complaints.actions import category_resolve, group_resolve
from kesu.complaints.drafts import ComplaintDraft, draft_clean
from kesu.complaints.models import Complaint
from kesu.core.errors import FieldError, FieldErrors
from kesu.core.models import Group
from kesu.customers.models import Customer, CustomerIdentity, Tier
from kesu.routing.assignment import group_candidates, handler_choose, senior_reasons, wanted_skills
from kesu.routing.models import GroupRouting
from kesu.routing.selectors import intake_group_code, route_plan
from kesu.triage.actions import triage_prepare
from kesu.triage.context import triage_context


def _explain(complaint: Complaint, *, intake_group: str) -> dict[str, Any]:
    facts, evaluation, decision = route_plan(complaint, intake_group=intake_group, explain=True)
    threshold = triage_context().emotion_threshold
    seniors = senior_reasons(emotion=complaint.emotion, threshold=threshold, repeat_count=complaint.repeat_count,
                             tier=facts.tier, needs_senior=complaint.needs_senior)
    body: dict[str, Any] = {
        "facts": facts.as_dict(),
        "rules": evaluation.rules,
        "matched": decision.rule.ref() if decision.rule else None,
        "decision": {
            "group": decision.group or None,
            "group_source": decision.group_source,
            "group_note": decision.group_note,
            "priority": [complaint.priority, decision.priority] if decision.priority else None,
            "strategy": decision.strategy or None,
            "followers": list(decision.followers),
        },
        "senior_required": seniors,
    }
    group = Group.objects.filter(code=decision.group).first() if decision.group else None
    routing = GroupRouting.objects.filter(group=group).first() if group else None
    if group is None:
        body["assignment"] = {"auto": False, "outcome": "no_group", "reason": "no group"}
    elif routing is None or not routing.auto_assign:
        body["assignment"] = {"auto": False, "outcome": "manual", "reason": f"group {group.code} assigns by hand"}
    else:
        strategy = decision.strategy or routing.strategy
        wanted = wanted_skills(category_path=facts.category_path, tags=facts.tags, product=facts.product)
        choice = handler_choose(group_candidates(group, lock=False), strategy=strategy, senior_reasons=seniors,
                                cursor=routing.last_assigned_id, wanted=wanted)
        body["assignment"] = {
            "auto": True, "strategy": strategy, "outcome": choice.code, "reason": choice.reason,
            "would_assign": choice.chosen.ref() if choice.chosen else None, "candidates": choice.considered,
        }
    return body


def complaint_explain(complaint: Complaint) -> dict[str, Any]:
    """Explain a recorded complaint as the rules stand now (its group choice at intake is respected)."""
    body = _explain(complaint, intake_group=intake_group_code(complaint))
    body["complaint"] = {"id": complaint.pk, "number": complaint.number, "saved": True,
                         "group": complaint.group.code if complaint.group_id else None,
                         "assignee": complaint.assignee.username if complaint.assignee_id else None}
    return body


def _customer_for(draft: ComplaintDraft) -> tuple[Customer, bool | None]:
    """The existing customer the draft names, or an unsaved one; and whether it can be reached."""
    if draft.customer_id is not None:
        customer = Customer.objects.filter(pk=draft.customer_id).first()
        if customer is None:
            raise FieldError("customer_id", "customer.unknown", value=draft.customer_id)
        return customer, None
    pairs = draft.customer.check()
    for kind, value in pairs:
        identity = CustomerIdentity.objects.select_related("customer").filter(kind=kind, value=value).first()
        if identity:
            return identity.customer, None
    handles = draft.customer
    return Customer(name=handles.name.strip()[:128], tier=handles.tier or Tier.REGULAR, region=handles.region[:64]), \
        bool(pairs)


def draft_explain(draft: ComplaintDraft, *, now: datetime) -> dict[str, Any]:
    """Triage an unsaved complaint in memory and explain its routing. Writes nothing: it runs in a
    transaction that is always rolled back, so even a configuration row triage would create on
    first use is not kept."""
    errors: list[FieldError] = []

    def attempt(check):
        try:
            return check()
        except FieldError as error:
            errors.extend(error.field_errors)
            return None

    fields = attempt(lambda: draft_clean(draft))
    category = attempt(lambda: category_resolve(draft.category))
    group = attempt(lambda: group_resolve(draft.group))
    customer_found = attempt(lambda: _customer_for(draft))
    if errors:
        raise FieldErrors(errors)
    customer, has_contact = customer_found
    with transaction.atomic():
        given = {name: value for name, value in fields.items() if not (name in draft.open_fields() and value == "")}
        complaint = Complaint(**given, customer=customer, category=category, category_confirmed=category is not None,
                              group=group, created_at=now, updated_at=now)
        result, _event, _links = triage_prepare(complaint, by=None, now=now, open_fields=draft.open_fields(),
                                                has_contact=has_contact)
        body = _explain(complaint, intake_group=group.code if group else "")
        transaction.set_rollback(True)
    body["complaint"] = {"id": None, "number": None, "saved": False, "group": group.code if group else None,
                         "assignee": None}
    body["triage"] = result
    return body
