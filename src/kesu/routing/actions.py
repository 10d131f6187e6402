"""Writers of routing: route a new complaint, hand out waiting ones, edit rules and group routing.

``complaint_route`` runs inside ``complaint_create``'s transaction, right after triage
(docs/architecture.md, "Triage suggests, rules decide"). Locks, always in this order so routings never deadlock:

1. the group's ``GroupRouting`` row — one routing per group at a time (and its round-robin cursor);
2. the group's handler profiles, in id order — a handler's load is counted only after their row
   is locked, so no one exceeds their capacity, also when two groups share a handler;
3. (``complaint_reassign_waiting`` only) the waiting complaints, skipping rows others hold.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import Q

from kesu.channels.webhooks_out import webhook_status_changed
from kesu.complaints import lifecycle
from kesu.complaints.models import Complaint, ComplaintEvent, EventKind, Status
from kesu.complaints.records import complaints_for_update, event_new, group_ref, user_ref
from kesu.core.bulk import rows_update
from kesu.core.errors import FieldError, FieldErrors, permission_require, raise_not_permitted
from kesu.core.messages import Message, given
from kesu.core.models import Group, User
from kesu.core.prepared import PreparedQuery
from kesu.core.roles import Permission
from kesu.routing.assignment import (
    Candidate,
    Choice,
    group_candidates,
    handler_choose,
    senior_reasons,
    wanted_skills,
)
from kesu.routing.models import (
    ChangeKind,
    ComplaintFollower,
    GroupRouting,
    RoutingChange,
    RoutingRule,
    Strategy,
)
from kesu.routing.rules import category_path, rule_parse, rules_references
from kesu.routing.selectors import route_plan, routing_catalog
from kesu.sla.actions import sla_refresh
from kesu.triage.context import triage_context

logger = logging.getLogger(__name__)

WAITING_LIMIT = 200  # waiting complaints handed out per group and call


@dataclass(frozen=True)
class RoutingResult:
    """What routing did to one complaint (``event`` is None when it had nothing to do)."""

    group: Group | None
    assignee: User | None
    outcome: str  # assigned | no_handler_free | no_senior_free | no_handlers | manual | no_group | not_routed | error
    reason: dict[str, Any]  # a message id and its parameters ({"code", "params"}), worded when shown
    event: ComplaintEvent | None = None
    data: dict[str, Any] = field(default_factory=dict)
    events: tuple[ComplaintEvent, ...] = ()  # every event written (``routed``, then ``assigned``), in order


def _senior_reasons(complaint: Complaint) -> list[dict[str, Any]]:
    return senior_reasons(
        emotion=complaint.emotion, threshold=triage_context().emotion_threshold, repeat_count=complaint.repeat_count,
        tier=complaint.customer.tier, needs_senior=complaint.needs_senior,
    )


def _wanted(complaint: Complaint) -> frozenset[str]:
    code = complaint.category.code if complaint.category_id else ""
    return wanted_skills(
        category_path=category_path(code, triage_context().parents), tags=complaint.tags or (), product=complaint.product
    )


def _choose(complaint: Complaint, candidates: list[Candidate], *, strategy: str, routing: GroupRouting) -> Choice:
    return handler_choose(
        candidates, strategy=strategy, senior_reasons=_senior_reasons(complaint), cursor=routing.last_assigned_id,
        wanted=_wanted(complaint) if strategy == "skill_match" else frozenset(),
    )


def _assign(complaint: Complaint, choice: Choice, routing: GroupRouting, *, now: datetime) -> ComplaintEvent:
    """Assign to the chosen candidate (the pure lifecycle step) and move the group's cursor."""
    event = lifecycle.assign(complaint, assignee=choice.chosen.user, by=None, now=now)
    routing.last_assigned_id = choice.chosen.user_id
    rows_update(GroupRouting, [routing], ["last_assigned"])  # the cursor only: no configuration version raised
    return event


ROUTED_FIELDS = ["group", "priority", "assignee", "status", "assigned_at", "updated_at"]


def complaint_route(complaint: Complaint, *, now: datetime, write: bool = True) -> RoutingResult:
    """Apply the routing rules and the group's assignment strategy to a new complaint.

    Runs in the caller's transaction (in a savepoint of its own). Writes a ``routed`` event when it
    decided anything — a rule matched, the default group was applied, or the group assigns
    automatically — and an ``assigned`` event when it picked a handler. A routing that fails never
    loses the complaint: it stays where the intake put it, with a ``routed`` event naming the error.
    ``write=False`` (intake): the complaint's ``ROUTED_FIELDS`` and the events are left for the
    caller to write with its own (one UPDATE, one INSERT); the group's cursor and the followers are
    written here, under the locks routing takes.
    """
    saved = {name: getattr(complaint, name) for name in ("group_id", "priority", "assignee_id", "status",
                                                           "assigned_at", "updated_at")}
    try:
        with transaction.atomic():
            return _route(complaint, now=now, write=write)
    except Exception as error:  # the complaint matters more than its routing
        logger.exception("routing of %s failed", complaint.number)
        for name, value in saved.items():
            setattr(complaint, name, value)
        data = {"error": f"{type(error).__name__}: {error}", "outcome": "error",
                "reason": Message("routing.outcome.error", error=type(error).__name__).as_data()}
        event = event_new(complaint, EventKind.ROUTED, now=now, data=data)
        if write:
            event.save()
        return RoutingResult(group=complaint.group, assignee=complaint.assignee, outcome="error",
                             reason=data["reason"], event=event, data=data, events=(event,))


_ROUTING_OF_GROUP = PreparedQuery(  # every intake locks it: compiled once (issue 16)
    lambda group_id: GroupRouting.objects.select_for_update(of=("self",)).select_related("group")
    .filter(group_id=group_id).order_by("pk")[:1],
    group_id=int,
)
_ROUTING_BY_CODE = PreparedQuery(
    lambda code: GroupRouting.objects.select_for_update(of=("self",)).select_related("group")
    .filter(group__code=code).order_by("pk")[:1],
    code=str,
)


def _group_and_routing(complaint: Complaint, code: str, *, intake: bool) -> tuple[Group | None, GroupRouting | None]:
    """The group the decision names and its routing row, locked (lock 1 of the module's order)."""
    if not code:
        return None, None
    if intake:
        routing = _ROUTING_OF_GROUP.first(group_id=complaint.group_id)
    else:
        routing = _ROUTING_BY_CODE.first(code=code)
    if routing is not None:
        return routing.group, routing
    return (complaint.group if intake else Group.objects.filter(code=code).first()), None


def _route(complaint: Complaint, *, now: datetime, write: bool = True) -> RoutingResult:
    intake_group = complaint.group.code if complaint.group_id else ""
    _facts, evaluation, decision = route_plan(complaint, intake_group=intake_group, explain=False)
    group, routing = _group_and_routing(complaint, decision.group, intake=decision.group_source == "intake")
    if evaluation.matched is None and decision.group_source != "default" and routing is None:
        return RoutingResult(group=group, assignee=None, outcome="not_routed",
                             reason=Message("routing.outcome.not_routed").as_data())

    rule = decision.rule
    before = complaint.status
    data: dict[str, Any] = {
        "rule": rule.ref() if rule else None,
        "group": group_ref(group),
        "group_source": decision.group_source,
        "group_note": decision.group_note,
    }
    if group is not None and complaint.group_id != group.pk:
        complaint.group = group
    if decision.priority and decision.priority != complaint.priority:
        data["priority"] = [complaint.priority, decision.priority]
        complaint.priority = decision.priority
    followers = list(User.objects.filter(username__in=decision.followers, is_active=True).order_by("username")) \
        if decision.followers else []
    if followers:
        ComplaintFollower.objects.bulk_create(
            [ComplaintFollower(complaint=complaint, user=u, reason=f"rule {rule.name!r}"[:200], added_at=now)
             for u in followers],
            ignore_conflicts=True,
        )
    data["followers"] = [user_ref(u) for u in followers]
    if decision.strategy:
        data["strategy_override"] = decision.strategy

    assigned_event = None
    assignee = None
    if group is None and decision.group:
        outcome, reason = "no_group", Message("routing.outcome.group_gone", group=decision.group).as_data()
    elif group is None:
        outcome, reason = "no_group", Message("routing.outcome.no_group").as_data()
    elif routing is None or not routing.auto_assign:
        outcome, reason = "manual", Message("routing.outcome.manual", group=group.code).as_data()
    else:
        strategy = decision.strategy or routing.strategy
        choice = _choose(complaint, group_candidates(group, lock=True), strategy=strategy, routing=routing)
        data.update(strategy=strategy, senior_required=_senior_reasons(complaint), candidates=choice.considered)
        outcome, reason = choice.code, choice.reason
        if choice.chosen is not None:
            assigned_event = _assign(complaint, choice, routing, now=now)
            assignee = choice.chosen.user
    data.update(assignee=user_ref(assignee), outcome=outcome, reason=reason)
    complaint.updated_at = now
    event = event_new(complaint, EventKind.ROUTED, now=now, before=before, data=data)
    event.to_status = before  # the routing itself; the assignment is its own event
    written = (event,) if assigned_event is None else (event, assigned_event)
    if write:
        complaint.save(update_fields=ROUTED_FIELDS)
        ComplaintEvent.objects.bulk_create(written)  # one INSERT for both
    return RoutingResult(group=group, assignee=assignee, outcome=outcome, reason=reason, event=event, data=data,
                         events=written)


def complaint_reassign_waiting(*, group: Group, now: datetime, limit: int = WAITING_LIMIT) -> list[Complaint]:
    """Hand the group's waiting complaints (new, nobody assigned) to its free handlers, most urgent
    first (priority, then age). Call it when a handler comes online or frees capacity; the periodic
    job ``routing_waiting_every_minute`` calls it for every group with waiting complaints.

    Same strategy and locks as at intake; a complaint another transaction holds is skipped. A
    complaint that needs a senior handler still waits when no senior one is free. Returns the
    complaints assigned."""
    assigned: list[Complaint] = []
    with transaction.atomic():
        routing = GroupRouting.objects.select_for_update().filter(group=group).first()
        if routing is None or not routing.auto_assign:
            return assigned
        candidates = group_candidates(group, lock=True)
        waiting = list(
            complaints_for_update(skip_locked=True)
            .select_related("customer", "category")
            .filter(group=group, status=Status.NEW, assignee__isnull=True, merged_into__isnull=True)
            # one that waits on a mass incident is closed with it, not assigned (ADR 0011)
            .filter(Q(incident_link__isnull=True) | Q(incident_link__waits=False))
            .order_by("priority", "created_at", "id")[:limit]
        )
        overrides = _strategy_overrides(waiting, group)
        for complaint in waiting:
            if not any(c.availability == "online" and c.load < c.capacity for c in candidates):
                break
            strategy = overrides.get(complaint.pk) or routing.strategy
            choice = _choose(complaint, candidates, strategy=strategy, routing=routing)
            if choice.chosen is None:
                continue
            data = {"trigger": "waiting", "group": group_ref(group), "strategy": strategy,
                    "senior_required": _senior_reasons(complaint), "candidates": choice.considered,
                    "assignee": user_ref(choice.chosen.user), "outcome": choice.code, "reason": choice.reason}
            routed = event_new(complaint, EventKind.ROUTED, now=now, data=data)
            event = _assign(complaint, choice, routing, now=now)
            complaint.save(update_fields=["assignee", "status", "assigned_at", "updated_at"])
            routed.save()
            event.save()
            webhook_status_changed(event, now=now)
            sla_refresh(complaint, now=now)  # the assignment clock is met, acceptance starts
            assigned.append(complaint)
            candidates = [
                replace(c, load=c.load + 1, last_assigned_at=now) if c.user_id == choice.chosen.user_id else c
                for c in candidates
            ]
    return assigned


def _strategy_overrides(complaints: list[Complaint], group: Group) -> dict[int, str]:
    """The strategy a rule set for each complaint when it was routed into ``group``."""
    overrides: dict[int, str] = {}
    if not complaints:
        return overrides
    events = ComplaintEvent.objects.filter(
        complaint_id__in=[c.pk for c in complaints], kind=EventKind.ROUTED
    ).order_by("at", "id").values_list("complaint_id", "data")
    for complaint_id, data in events:
        if (data.get("group") or {}).get("id") == group.pk and "trigger" not in data:
            overrides[complaint_id] = data.get("strategy_override", "")
    return overrides


def handler_availability_set(*, user: User, availability: str, by: User | None, now: datetime) -> list[Complaint]:
    """A handler goes online, away or off shift. Coming online hands them their groups' waiting
    complaints at once (not a minute later). Returns the complaints assigned."""
    from kesu.core.models import Availability, HandlerProfile

    if by is not None and by != user and not by.can(Permission.ROUTING_MANAGE):
        raise_not_permitted(by, "permission.availability.other")
    if availability not in Availability.values:
        raise FieldError("availability", "field.choice", choices=list(Availability.values), got=given(availability))
    profile = HandlerProfile.objects.filter(user=user).first()
    if profile is None:
        raise FieldError("user", "user.no_profile", user=user.username)
    profile.availability = availability
    profile.save(update_fields=["availability"])
    assigned: list[Complaint] = []
    if availability == Availability.ONLINE:
        for group in profile.groups.all():
            assigned += complaint_reassign_waiting(group=group, now=now)
    return assigned


def waiting_assign_all(*, now: datetime) -> int:
    """``complaint_reassign_waiting`` for every automatically assigning group with waiting complaints
    (each group in its own transaction). Returns how many complaints were assigned."""
    group_ids = (
        Complaint.objects.filter(status=Status.NEW, assignee__isnull=True, merged_into__isnull=True,
                                 group__routing__auto_assign=True)
        .values_list("group_id", flat=True).distinct().order_by()
    )
    total = 0
    for group in Group.objects.filter(pk__in=list(group_ids)).order_by("pk"):
        total += len(complaint_reassign_waiting(group=group, now=now))
    return total


# --- configuration ------------------------------------------------------------------------------


def _manage_check(by: User | None) -> None:
    if by is not None:
        permission_require(by, Permission.ROUTING_MANAGE)


def _rule_snapshot(rule: RoutingRule) -> dict[str, Any]:
    return {"name": rule.name, "name_en": rule.name_en, "position": rule.position, "enabled": rule.enabled,
            "conditions": rule.conditions, "actions": rule.actions}


def _rule_clean(*, name: Any, position: Any, enabled: Any, conditions: Any, actions: Any, rule_id: int | None = None,
                name_en: Any = ""):
    catalog = routing_catalog(usernames=rules_references([(conditions, actions)]))
    parsed = rule_parse(name=name, position=position, enabled=enabled, conditions=conditions, actions=actions,
                        catalog=catalog, rule_id=rule_id, name_en=name_en)
    return {"name": parsed.name, "name_en": parsed.name_en, "position": parsed.position, "enabled": parsed.enabled,
            "conditions": [c.as_dict() for c in parsed.conditions], "actions": parsed.actions.as_dict()}


def rule_validate(*, name: Any, position: Any, enabled: Any, conditions: Any, actions: Any,
                  name_en: Any = "") -> dict[str, Any]:
    """The rule's fields as they would be stored; raises FieldErrors naming every bad part."""
    return _rule_clean(name=name, position=position, enabled=enabled, conditions=conditions, actions=actions,
                       name_en=name_en)


def rule_create(
    *, by: User | None, now: datetime, name: Any, conditions: Any, actions: Any, position: Any = None,
    enabled: Any = True, name_en: Any = "",
) -> RoutingRule:
    """Add a rule (at the end when ``position`` is None). Refused with the bad part named."""
    _manage_check(by)
    with transaction.atomic():
        if position is None:
            last = RoutingRule.objects.order_by("-position").values_list("position", flat=True).first()
            position = 10 if last is None else last + 10
        fields = _rule_clean(name=name, position=position, enabled=enabled, conditions=conditions, actions=actions,
                             name_en=name_en)
        rule = RoutingRule.objects.create(**fields, updated_at=now, updated_by=by)
        RoutingChange.objects.create(target="rule", target_id=rule.pk, name=rule.name, kind=ChangeKind.CREATED, by=by,
                                     at=now, before=None, after=_rule_snapshot(rule))
    return rule


def rule_update(
    *, rule: RoutingRule, by: User | None, now: datetime, name: Any, conditions: Any, actions: Any, position: Any,
    enabled: Any, name_en: Any = "",
) -> RoutingRule:
    """Replace a rule's fields; the change (before and after) is kept."""
    _manage_check(by)
    fields = _rule_clean(name=name, position=position, enabled=enabled, conditions=conditions, actions=actions,
                         rule_id=rule.pk, name_en=name_en)
    with transaction.atomic():
        current = RoutingRule.objects.select_for_update().filter(pk=rule.pk).first()
        if current is None:
            raise FieldError("rule", "routing.rule_unknown", value=rule.pk)
        before = _rule_snapshot(current)
        for name_, value in fields.items():
            setattr(current, name_, value)
        if _rule_snapshot(current) != before:
            current.updated_at, current.updated_by = now, by
            current.save()
            RoutingChange.objects.create(target="rule", target_id=current.pk, name=current.name,
                                         kind=ChangeKind.CHANGED, by=by, at=now, before=before,
                                         after=_rule_snapshot(current))
    return current


def rule_delete(*, rule: RoutingRule, by: User | None, now: datetime) -> None:
    _manage_check(by)
    with transaction.atomic():
        current = RoutingRule.objects.select_for_update().filter(pk=rule.pk).first()
        if current is None:
            return
        RoutingChange.objects.create(target="rule", target_id=current.pk, name=current.name, kind=ChangeKind.DELETED,
                                     by=by, at=now, before=_rule_snapshot(current), after=None)
        current.delete()


def _routing_snapshot(routing: GroupRouting) -> dict[str, Any]:
    return {"strategy": routing.strategy, "auto_assign": routing.auto_assign, "is_default": routing.is_default}


def group_routing_set(
    *, group: Group, by: User | None, now: datetime, strategy: Any = Strategy.LEAST_LOAD, auto_assign: Any = True,
    is_default: Any = False,
) -> GroupRouting:
    """Set how ``group`` hands out complaints. Making it the default group unmarks the previous one."""
    _manage_check(by)
    errors = []
    if strategy not in Strategy.values:
        errors.append(FieldError("strategy", "field.unknown", value=given(strategy), choices=list(Strategy.values)))
    for name, value in (("auto_assign", auto_assign), ("is_default", is_default)):
        if not isinstance(value, bool):
            errors.append(FieldError(name, "field.not_boolean", got=given(value)))
    if errors:
        raise FieldErrors(errors)
    with transaction.atomic():
        if is_default:
            for other in GroupRouting.objects.select_for_update().filter(is_default=True).exclude(group=group):
                before = _routing_snapshot(other)
                other.is_default, other.updated_at, other.updated_by = False, now, by
                other.save(update_fields=["is_default", "updated_at", "updated_by"])
                RoutingChange.objects.create(target="group", target_id=other.group_id, name=other.group.code,
                                             kind=ChangeKind.CHANGED, by=by, at=now, before=before,
                                             after=_routing_snapshot(other))
        routing = GroupRouting.objects.select_for_update().filter(group=group).first()
        wanted = {"strategy": strategy, "auto_assign": auto_assign, "is_default": is_default}
        if routing is None:
            routing = GroupRouting.objects.create(group=group, **wanted, updated_at=now, updated_by=by)
            RoutingChange.objects.create(target="group", target_id=group.pk, name=group.code, kind=ChangeKind.CREATED,
                                         by=by, at=now, before=None, after=_routing_snapshot(routing))
        elif _routing_snapshot(routing) != wanted:
            before = _routing_snapshot(routing)
            for name, value in wanted.items():
                setattr(routing, name, value)
            routing.updated_at, routing.updated_by = now, by
            routing.save()
            RoutingChange.objects.create(target="group", target_id=group.pk, name=group.code, kind=ChangeKind.CHANGED,
                                         by=by, at=now, before=before, after=_routing_snapshot(routing))
    return routing


def group_routing_remove(*, group: Group, by: User | None, now: datetime) -> None:
    """Stop routing ``group`` (it becomes a queue handled by hand)."""
    _manage_check(by)
    with transaction.atomic():
        routing = GroupRouting.objects.select_for_update().filter(group=group).first()
        if routing is None:
            return
        RoutingChange.objects.create(target="group", target_id=group.pk, name=group.code, kind=ChangeKind.DELETED,
                                     by=by, at=now, before=_routing_snapshot(routing), after=None)
        routing.delete()
