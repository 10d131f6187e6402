"""Choosing a handler within a group: candidates, their load, and the strategies.

    candidates = group_candidates(group, lock=True)      # inside the caller's transaction
    choice = handler_choose(candidates, strategy=..., senior_reasons=[...], cursor=..., wanted=...)

A candidate is an active handler or specialist of the group (managers assign by hand). Only those
**online** with **load < capacity** are eligible: away and off shift are never auto-assigned. Load
counts the complaints they hold whose time limits run (new, assigned, in progress) — not those
waiting for the customer, resolved or closed (as Freshdesk counts it).

Strategies (``handler_choose``, pure):

- ``round_robin``: the next eligible handler by id after the group's cursor (the last one given a
  complaint), wrapping around;
- ``least_load``: the lowest load; ties go to the one whose newest running complaint was assigned
  longest ago (none at all first), then the lowest id;
- ``skill_match``: the most overlap of the handler's skills with the complaint's category (and its
  parents), tags and product; ties by least load;
- ``senior``: senior handlers only, by least load.

Whatever the strategy, a complaint that needs a senior handler (emotion at or above the threshold,
a repeat, a VIP customer) goes only to a senior one; when none is free it waits in the group queue.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cached_property
from typing import Any

from django.db import router
from django.db.models import Count, Max

from kesu.complaints.models import Complaint, Status
from kesu.core.messages import Message
from kesu.core.models import Availability, Group, HandlerProfile, User
from kesu.core.prepared import PreparedQuery
from kesu.core.roles import Role
from kesu.customers.models import Tier

# complaints whose SLA clock runs: they count towards a handler's load
RUNNING = (Status.NEW, Status.ASSIGNED, Status.IN_PROGRESS)
# who routing may hand complaints to (managers and administrators take them by hand)
AUTO_ROLES = (Role.HANDLER, Role.SPECIALIST)
_LONG_AGO = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Candidate:
    user_id: int
    username: str
    name: str
    availability: str
    capacity: int
    load: int
    is_senior: bool
    skills: frozenset[str]
    last_assigned_at: datetime | None = None  # of the newest complaint they hold that runs
    user_row: tuple = field(default=(), compare=False, repr=False)  # the User's columns, when read

    @cached_property
    def user(self) -> User:
        """The User (a model instance, as the ORM would build it), built only for the one chosen."""
        return User.from_db(router.db_for_read(User), _USER_COLUMNS, self.user_row)

    def ref(self) -> dict[str, Any]:
        return {"id": self.user_id, "username": self.username, "name": self.name}


@dataclass(frozen=True)
class Choice:
    chosen: Candidate | None
    strategy: str
    code: str  # assigned | no_handler_free | no_senior_free | no_handlers
    reason: dict[str, Any]  # a message id and its parameters ({"code", "params"}), worded when shown
    considered: list[dict[str, Any]]  # every candidate, eligible or why not


def _skills(raw: Any) -> frozenset[str]:
    if not isinstance(raw, list):
        return frozenset()
    return frozenset(str(s).strip().casefold() for s in raw if str(s).strip())


def senior_reasons(*, emotion: int | None, threshold: int, repeat_count: int, tier: str,
                   needs_senior: bool) -> list[dict[str, Any]]:
    """Why a complaint must go to a senior handler (empty: it need not), as message ids: emotion
    above the threshold, repeat complaints and VIP customers go to experienced handlers."""
    reasons = []
    if emotion is not None and emotion >= threshold:
        reasons.append(_m("routing.senior.emotion", score=emotion, threshold=threshold))
    if repeat_count > 0:
        reasons.append(_m("routing.senior.repeat", count=repeat_count))
    if tier == Tier.VIP:
        reasons.append(_m("routing.senior.vip"))
    if needs_senior and not reasons:
        reasons.append(_m("routing.senior.triage"))
    return reasons


def _m(code: str, **params: Any) -> dict[str, Any]:
    return Message(code, **params).as_data()


def wanted_skills(*, category_path: Sequence[str], tags: Sequence[str], product: str) -> frozenset[str]:
    """What a handler's skills are compared with: category codes (with parents), tags, product."""
    wanted = {c.casefold() for c in category_path} | {t.casefold() for t in tags}
    if product.strip():
        wanted.add(product.strip().casefold())
    return frozenset(wanted)


_USER_COLUMNS = [f.attname for f in User._meta.concrete_fields]
_USER_ID = 4 + _USER_COLUMNS.index("id")  # in a row of ``_profiles``


def _profiles(group_id: int):
    # rows, not model instances: a group's handlers and their users were two dozen instances built
    # on every intake for the one handler chosen (issue 16)
    return HandlerProfile.objects.filter(
        groups=group_id, user__is_active=True, user__role__in=AUTO_ROLES
    ).order_by("pk").values_list("availability", "capacity", "is_senior", "skills",
                                 *(f"user__{name}" for name in _USER_COLUMNS))


# every routing reads them: compiled once (issue 16)
_PROFILES = PreparedQuery(_profiles, group_id=int)
_PROFILES_LOCKED = PreparedQuery(lambda group_id: _profiles(group_id).select_for_update(of=("self",)), group_id=int)
_LOADS = PreparedQuery(
    lambda assignees: Complaint.objects.filter(assignee_id__in=assignees, status__in=RUNNING)
    .values_list("assignee_id").annotate(n=Count("id"), last=Max("assigned_at")).order_by(),
    assignees=list[int],
)


def group_candidates(group: Group, *, lock: bool) -> list[Candidate]:
    """The group's handlers with their current load.

    ``lock``: lock their profile rows first (``SELECT … FOR UPDATE``, in id order so two routings
    never wait on each other in a circle), then count loads: the count then sees every assignment
    committed by whoever held a lock before, so no one is given more than their capacity — also
    across groups, which lock the same rows."""
    rows = (_PROFILES_LOCKED if lock else _PROFILES).rows(group_id=group.pk)
    online = [row[_USER_ID] for row in rows if row[0] == Availability.ONLINE]
    loads: dict[int, tuple[int, datetime | None]] = {}
    if online:
        loads = {assignee_id: (n, last) for assignee_id, n, last in _LOADS.rows(assignees=online)}
    candidates = []
    for availability, capacity, is_senior, skills, *user_row in rows:
        user = dict(zip(_USER_COLUMNS, user_row, strict=True))
        load, last = loads.get(user["id"], (0, None))
        candidates.append(Candidate(
            user_id=user["id"], username=user["username"], name=user["display_name"] or user["username"],
            availability=availability, capacity=capacity, load=load, is_senior=is_senior, skills=_skills(skills),
            last_assigned_at=last, user_row=tuple(user_row),
        ))
    return candidates


def _why_not(candidate: Candidate, *, senior_only: bool) -> dict[str, Any] | None:
    if candidate.availability != Availability.ONLINE:
        return _m(f"routing.candidate.{candidate.availability}")  # away / off_shift
    if candidate.load >= candidate.capacity:
        return _m("routing.candidate.full", load=candidate.load, capacity=candidate.capacity)
    if senior_only and not candidate.is_senior:
        return _m("routing.candidate.not_senior")
    return None


def _least_load_key(c: Candidate):
    return (c.load, c.last_assigned_at or _LONG_AGO, c.user_id)


def handler_choose(
    candidates: Sequence[Candidate],
    *,
    strategy: str,
    senior_reasons: Sequence[dict[str, Any]] = (),
    cursor: int | None = None,
    wanted: frozenset[str] = frozenset(),
) -> Choice:
    """Pick one eligible candidate by ``strategy``; explain every candidate. Pure."""
    senior_only = bool(senior_reasons) or strategy == "senior"
    considered: list[dict[str, Any]] = []
    eligible: list[Candidate] = []
    overlap: dict[int, list[str]] = {}
    for c in candidates:
        why = _why_not(c, senior_only=senior_only)
        row = {**c.ref(), "availability": c.availability, "load": c.load, "capacity": c.capacity,
               "is_senior": c.is_senior, "eligible": not why}
        if why:
            row["why_not"] = why
        else:
            eligible.append(c)
        if strategy == "skill_match":
            overlap[c.user_id] = sorted(c.skills & wanted)
            row["skills_matched"] = overlap[c.user_id]
        considered.append(row)
    if not eligible:
        if not candidates:
            code, reason = "no_handlers", _m("routing.outcome.no_handlers")
        elif senior_only and any(not _why_not(c, senior_only=False) for c in candidates):
            code, reason = "no_senior_free", _m("routing.outcome.no_senior_free")
        elif senior_only:
            code, reason = "no_senior_free", _m("routing.outcome.none_free_senior_needed")
        else:
            code, reason = "no_handler_free", _m("routing.outcome.no_handler_free")
        return Choice(chosen=None, strategy=strategy, code=code, reason=reason, considered=considered)
    if strategy == "round_robin":
        ordered = sorted(eligible, key=lambda c: c.user_id)
        chosen = next((c for c in ordered if cursor is not None and c.user_id > cursor), ordered[0])
        how = Message("routing.how.round_robin")
    elif strategy == "skill_match":
        chosen = min(eligible, key=lambda c: (-len(overlap[c.user_id]), *_least_load_key(c)))
        skills = overlap[chosen.user_id]
        how = Message("routing.how.skills", skills=skills) if skills else Message("routing.how.no_skills")
    else:  # least_load, senior
        chosen = min(eligible, key=_least_load_key)
        how = Message("routing.how.least_load")
    code = "routing.assigned.senior" if senior_only else "routing.assigned"
    reason = _m(code, how=how, load=chosen.load, capacity=chosen.capacity)
    return Choice(chosen=chosen, strategy=strategy, code="assigned", reason=reason, considered=considered)
