"""/api/v1/privacy/: reveal a masked value (with a reason), read the access log (JSON or CSV)."""

from __future__ import annotations

from datetime import datetime

from django.http import HttpRequest, HttpResponse
from ninja import Field, Query, Router, Schema

from kesu.api.auth import permission_require
from kesu.api.pagination import page_slice
from kesu.api.schemas import ErrorOut, TextIn
from kesu.core.clock import clock_now
from kesu.core.roles import Permission
from kesu.privacy.actions import access_record, reveal
from kesu.privacy.models import AccessAction
from kesu.privacy.selectors import access_log, access_log_csv

router = Router(tags=["privacy"])


class RevealIn(TextIn):
    object_type: str = Field(description="customer, complaint or call")
    object_id: int
    field: str = Field(description="customer: name, phone, email, external_id; complaint: content, subject, "
                       "resolution; call: number, transcript, notes")
    reason: str = Field(description="why the full value is needed (logged)")


class RevealOut(Schema):
    object_type: str
    object_id: int
    field: str
    value: str


class AccessLogParams(TextIn):
    username: str = ""
    action: str = ""
    object_type: str = ""
    object_id: str = ""
    since: datetime | None = None
    until: datetime | None = None
    page: int = 1
    page_size: int = 50


class AccessLogOut(Schema):
    at: datetime
    username: str
    action: str
    object_type: str
    object_id: str
    field: str
    ip: str
    channel: str
    reason: str


class AccessLogPage(Schema):
    count: int
    page: int
    page_size: int
    pages: int
    items: list[AccessLogOut]


@router.post("/reveal", response={200: RevealOut, 403: ErrorOut, 422: ErrorOut})
def reveal_view(request: HttpRequest, payload: RevealIn):
    """The full value of one masked field. Needs a reason; the reveal is written to the access log."""
    value = reveal(user=request.auth, object_type=payload.object_type, object_id=payload.object_id,
                   field=payload.field, reason=payload.reason, now=clock_now(), request=request)
    return {"object_type": payload.object_type, "object_id": payload.object_id, "field": payload.field,
            "value": value}


def _rows(params: AccessLogParams):
    return access_log(username=params.username, action=params.action, object_type=params.object_type,
                      object_id=params.object_id, since=params.since, until=params.until)


@router.get("/access-log", response={200: AccessLogPage, 403: ErrorOut, 422: ErrorOut})
def access_log_view(request: HttpRequest, params: Query[AccessLogParams]):
    """Who saw what: administrators and data-protection officers."""
    permission_require(request, Permission.PRIVACY_AUDIT)
    return page_slice(_rows(params), page=params.page, page_size=params.page_size)


@router.get("/access-log.csv", response={200: None, 403: ErrorOut, 422: ErrorOut})
def access_log_csv_view(request: HttpRequest, params: Query[AccessLogParams]):
    """The same rows as CSV (UTF-8 with BOM, for Excel). The export itself is logged."""
    user = permission_require(request, Permission.PRIVACY_AUDIT)
    body = access_log_csv(_rows(params))
    access_record(user=user, action=AccessAction.EXPORT, now=clock_now(), object_type="access_log", request=request)
    response = HttpResponse("\ufeff" + body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="access-log.csv"'
    return response
