"""Reads for the queues: who the user is (one query), every queue's count (one query), saved views."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.db import connection
from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from kesu.complaints.models import Complaint
from kesu.core.models import Group, HandlerProfile, User
from kesu.queues.definitions import Scope, queue_condition
from kesu.queues.models import SavedView

# counts stop here: "999+" costs at most 1,000 index entries per queue, however many rows match
COUNT_CAP = 999


def scope_of(user: User) -> Scope:
    """The user's groups (handler profile, or led) and every group of their departments (those of
    their groups, and those they manage), in one query."""
    member = HandlerProfile.groups.through.objects.filter(group_id=OuterRef("pk"), handlerprofile__user_id=user.pk)
    departments = Group.objects.filter(Q(handlers__user_id=user.pk) | Q(lead_id=user.pk)).values("department_id")
    rows = (
        Group.objects.filter(Q(department_id__in=departments) | Q(department__manager_id=user.pk))
        .annotate(member=Exists(member))
        .values_list("pk", "lead_id", "member")
    )
    group_ids, department_group_ids = set(), set()
    for pk, lead_id, is_member in rows:
        department_group_ids.add(pk)
        if is_member or lead_id == user.pk:
            group_ids.add(pk)
    return Scope(
        user_id=user.pk, group_ids=frozenset(group_ids), department_group_ids=frozenset(department_group_ids)
    )


def capped_counts(querysets: Iterable[QuerySet | None], *, cap: int = COUNT_CAP) -> list[int]:
    """How many rows each queryset holds, up to ``cap + 1`` (shown as "999+"), in one query: each is
    counted over a LIMITed subquery, so a count never reads more than ``cap + 1`` index entries.
    None counts as 0 without asking the database."""
    querysets = list(querysets)
    parts, params = [], []
    for i, queryset in enumerate(querysets):
        if queryset is None:
            continue
        sql, values = queryset.order_by().values("pk")[: cap + 1].query.sql_with_params()
        parts.append(f"(SELECT COUNT(*) FROM ({sql}) AS counted_{i})")
        params.extend(values)
    if not parts:
        return [0] * len(querysets)
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts), params)
        found = iter(cursor.fetchone())
    return [0 if queryset is None else next(found) for queryset in querysets]


def queue_querysets(*, scope: Scope, names: list[str], now: datetime) -> list[QuerySet | None]:
    """The complaints of each queue of ``names`` (None: empty by definition for this user)."""
    conditions = [queue_condition(name, scope=scope, now=now) for name in names]
    return [None if condition is None else Complaint.objects.filter(condition) for condition in conditions]


def queue_counts(*, scope: Scope, names: list[str], now: datetime, cap: int = COUNT_CAP) -> dict[str, int]:
    """The number of complaints in each queue of ``names`` (at most ``cap + 1``), one query."""
    querysets = queue_querysets(scope=scope, names=names, now=now)
    return dict(zip(names, capped_counts(querysets, cap=cap), strict=True))


def saved_views_of(user: User) -> QuerySet[SavedView]:
    """The user's own saved views (nobody else's), by name."""
    return SavedView.objects.filter(owner_id=user.pk).order_by("name", "id")


@dataclass(frozen=True)
class Assignable:
    """Someone the bulk bar may assign to, with their load (complaints they hold whose clocks run)."""

    username: str
    name: str
    load: int
    capacity: int
    availability: str
    availability_label: str


def assignable_people(*, scope: Scope) -> list[Assignable]:
    """The active handlers and specialists of the asker's departments (everyone's when the asker has
    no group), least loaded first; one query."""
    from kesu.core.models import Availability
    from kesu.core.roles import Role
    from kesu.routing.assignment import RUNNING

    people = User.objects.filter(is_active=True, role__in=(Role.HANDLER, Role.SPECIALIST))
    if scope.department_group_ids:
        people = people.filter(handler_profile__groups__in=scope.department_group_ids)
    rows = (
        people.annotate(load=Count("complaints", filter=Q(complaints__status__in=RUNNING), distinct=True))
        .values_list("username", "display_name", "load", "handler_profile__capacity", "handler_profile__availability")
        .distinct().order_by("load", "username")
    )
    labels = dict(Availability.choices)
    return [
        Assignable(username=u, name=d or u, load=load, capacity=cap or 0, availability=a or "",
                   availability_label=str(labels.get(a, "")) if a else "")
        for u, d, load, cap, a in rows
    ]
