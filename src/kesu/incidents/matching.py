"""Recognition at intake (the pipeline's incidents step): the active incidents' scopes, compiled once
per process and dropped when an incident is saved, matched against each new complaint."""

from __future__ import annotations

import threading
import time
from datetime import datetime

from kesu.complaints.models import Complaint
from kesu.complaints.taxonomy import category_parents
from kesu.incidents.models import Incident, State
from kesu.incidents.scope import CompiledScope, Facts, Match

TTL = 10.0  # other processes see a new incident within this many seconds
LOW_SCORE = 0.5  # below this a handler confirms the link
_lock = threading.Lock()
_cached: tuple[float, tuple[CompiledScope, ...]] | None = None


def scopes_active() -> tuple[CompiledScope, ...]:
    global _cached
    cached = _cached
    if cached is None or time.monotonic() - cached[0] > TTL:
        rows = Incident.objects.filter(state__in=(State.ACTIVE, State.MONITORING)).values_list(
            "pk", "starts_at", "scope")
        cached = (time.monotonic(), tuple(CompiledScope.compile(pk, starts, scope) for pk, starts, scope in rows))
        with _lock:
            _cached = cached
    return cached[1]


def scopes_reset(**_kwargs) -> None:
    global _cached
    with _lock:
        _cached = None


def complaint_facts(complaint: Complaint, *, parents: dict[str, str] | None = None) -> Facts:
    parents = category_parents() if parents is None else parents
    codes: set[str] = set()
    code = complaint.category.code if complaint.category_id else ""
    while code and code not in codes:
        codes.add(code)
        code = parents.get(code, "")
    customer_region = complaint.customer.region if complaint.customer_id else ""
    return Facts(
        region=complaint.region or "", customer_region=customer_region or "", product=complaint.product or "",
        categories=frozenset(codes), tags=frozenset(complaint.tags or ()),
        text=f"{complaint.subject}\n{complaint.content}",
    )


def best_match(complaint: Complaint, *, scopes: tuple[CompiledScope, ...] | None = None,
               at: datetime | None = None) -> tuple[int, Match] | None:
    """The active incident that explains ``complaint`` best (highest score, then the newest), if any."""
    scopes = scopes_active() if scopes is None else scopes
    if not scopes:
        return None
    facts = complaint_facts(complaint)
    at = at or complaint.created_at
    best: tuple[int, Match] | None = None
    for scope in scopes:
        if scope.starts_at > at:
            continue
        found = scope.match(facts)
        if found is not None and (best is None or (found.score, scope.incident_id) > (best[1].score, best[0])):
            best = (scope.incident_id, found)
    return best


