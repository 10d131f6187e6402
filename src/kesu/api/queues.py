"""The handler's queues over the API: every queue's count, one queue's complaints, bulk transitions.

Mounted at ``/queues`` (``api.add_router("/queues", router)`` in main.py).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.responses import Status as HttpStatus

from kesu.api.auth import permission_require
from kesu.api.errors import error_body
from kesu.api.pagination import page_check
from kesu.api.schemas import ComplaintOut, ErrorOut, TextIn
from kesu.api.serializers import complaint_dict
from kesu.complaints.selectors import SORTS, ComplaintFilters, complaint_list
from kesu.core.clock import clock_now
from kesu.core.errors import FieldError, InvalidTransition, NotPermitted
from kesu.core.roles import Permission
from kesu.queues.actions import BULK_ACTIONS, BULK_LIMIT, complaints_bulk
from kesu.queues.definitions import QUEUES, queue_condition, queues_available
from kesu.queues.paging import ListPage
from kesu.queues.selectors import COUNT_CAP, capped_counts, queue_counts, scope_of


class QueueOut(Schema):
    name: str
    count: int = Field(description=f"complaints in the queue, at most {COUNT_CAP + 1}")
    capped: bool = Field(description=f"true: more than {COUNT_CAP} (the count stops there)")


class QueuesOut(Schema):
    queues: list[QueueOut]


class QueuePageParams(TextIn):
    sort: str = Field("", description=f"one of {', '.join(SORTS)}; empty: newest first")
    page: int = 1
    page_size: int = 25


class QueuePage(Schema):
    queue: str
    count: int
    capped: bool
    page: int
    page_size: int
    has_next: bool
    items: list[ComplaintOut]


class BulkIn(TextIn):
    action: str = Field(description=", ".join(BULK_ACTIONS))
    ids: list[int] = Field(description=f"the complaints' ids, at most {BULK_LIMIT}")
    assignee: str = Field("", description="assign: username")
    group: str = Field("", description="transfer: group code")
    reason: str = Field("", description="transfer: why")
    note: str = Field("", description="close: a note")


class BulkResultOut(Schema):
    id: int
    number: str
    ok: bool
    status: int = Field(description="200 done, 409 not allowed in its status, 422 bad input, 403 not permitted")
    detail: str = ""
    code: str | None = Field(None, description="the refusal's message id")
    params: dict[str, Any] | None = None


class BulkOut(Schema):
    done: int
    results: list[BulkResultOut]


def _result(outcome) -> dict:
    error = outcome.error
    status = 200
    if isinstance(error, InvalidTransition):
        status = 409
    elif isinstance(error, FieldError):
        status = 422
    elif isinstance(error, NotPermitted):
        status = 403
    result = {"id": outcome.complaint_id, "number": outcome.number, "ok": outcome.ok, "status": status,
              "detail": error.message if error else ""}
    if error:
        result.update(code=error.code, params=error.message_obj.as_data()["params"])
    return result


router = Router(tags=["queues"])

@router.get("", response=QueuesOut)
def queue_list_view(request: HttpRequest):
    """The queues this user has, each with its count (one query)."""
    user = permission_require(request, Permission.COMPLAINT_READ)
    scope = scope_of(user)
    counts = queue_counts(scope=scope, names=queues_available(scope), now=clock_now())
    return {"queues": [{"name": n, "count": c, "capped": c > COUNT_CAP} for n, c in counts.items()]}

# before "/{name}", which would otherwise take the path (and answer POST with 405)
@router.post("/bulk", response={200: BulkOut, 422: ErrorOut})
def queue_bulk_view(request: HttpRequest, payload: BulkIn):
    """The transition for each complaint, each on its own: one refusal leaves the others done."""
    user = permission_require(request, Permission.COMPLAINT_HANDLE)
    outcomes = complaints_bulk(
        ids=payload.ids, action=payload.action, by=user, now=clock_now(), assignee=payload.assignee,
        group=payload.group, reason=payload.reason, note=payload.note,
    )
    return {"done": sum(o.ok for o in outcomes), "results": [_result(o) for o in outcomes]}

@router.get("/{name}", response={200: QueuePage, 404: ErrorOut})
def queue_page_view(request: HttpRequest, name: str, params: Query[QueuePageParams]):
    """One page of a queue's complaints, without counting past the cap (``has_next`` pages on)."""
    user = permission_require(request, Permission.COMPLAINT_READ)
    if name not in QUEUES:
        return HttpStatus(404, error_body("field.unknown", value=name, choices=list(QUEUES)))
    page_check(params.page, params.page_size)
    condition = queue_condition(name, scope=scope_of(user), now=clock_now())
    complaints = complaint_list(filters=ComplaintFilters(sort=params.sort), within=condition)
    count = capped_counts([None if condition is None else complaints])[0]
    page = ListPage(number=params.page, size=params.page_size, total=count, cap=COUNT_CAP)
    if condition is not None:
        start = (page.number - 1) * page.size
        page.rows = list(complaints[start : start + page.size + 1])
        page.has_next = len(page.rows) > page.size
        page.rows = page.rows[: page.size]
    return HttpStatus(200, {
        "queue": name, "count": count, "capped": page.capped, "page": page.number,
        "page_size": page.size, "has_next": page.has_next, "items": [complaint_dict(c) for c in page.rows],
    })

