"""The caller's notifications: list them (newest first) and mark them read."""

from __future__ import annotations

from datetime import datetime

from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.responses import Status as HttpStatus

from kesu.api.errors import not_found_body
from kesu.api.pagination import page_slice
from kesu.api.schemas import ErrorOut
from kesu.core.clock import clock_now
from kesu.notifications.actions import notification_read, notifications_read_all
from kesu.notifications.selectors import notification_get, notification_list, unread_count

router = Router(tags=["notifications"])


class NotificationOut(Schema):
    id: int
    kind: str
    title: str
    body: str
    key: str
    urgent: bool
    complaint_id: int | None
    complaint_number: str | None
    created_at: datetime
    read_at: datetime | None


class NotificationPage(Schema):
    count: int
    unread: int
    page: int
    page_size: int
    pages: int
    items: list[NotificationOut]


class ReadAllOut(Schema):
    marked: int


class ListParams(Schema):
    unread: bool = False
    page: int = 1
    page_size: int = 25


def notification_dict(notification) -> dict:
    return {
        "id": notification.pk,
        "kind": notification.kind,
        # in the caller's language; the ids and parameters for clients that word them themselves
        "title": notification.title_text,
        "body": notification.body_text,
        "title_message": notification.shown(notification.title_message) or None,
        "body_message": notification.shown(notification.body_message),
        "key": notification.key,
        "urgent": notification.urgent,
        "complaint_id": notification.complaint_id,
        "complaint_number": notification.complaint.number if notification.complaint_id else None,
        "created_at": notification.created_at,
        "read_at": notification.read_at,
    }


@router.get("", response=NotificationPage)
def notification_list_view(request: HttpRequest, params: Query[ListParams]):
    """The caller's notifications, newest first; `unread=true` for the unread ones only."""
    user = request.auth
    result = page_slice(
        notification_list(user=user, unread=params.unread), page=params.page, page_size=params.page_size
    )
    result["items"] = [notification_dict(n) for n in result["items"]]
    result["unread"] = result["count"] if params.unread else unread_count(user=user)
    return result


@router.post("/read-all", response=ReadAllOut)
def notifications_read_all_view(request: HttpRequest):
    """Mark all the caller's notifications read; answers how many were unread."""
    return {"marked": notifications_read_all(user=request.auth, now=clock_now())}


@router.post("/{int:notification_id}/read", response={200: NotificationOut, 404: ErrorOut})
def notification_read_view(request: HttpRequest, notification_id: int):
    """Mark one of the caller's notifications read (again: keeps the first time)."""
    notification = notification_get(user=request.auth, notification_id=notification_id)
    if notification is None:
        return HttpStatus(404, not_found_body("notification", notification_id))
    notification_read(notification=notification, by=request.auth, now=clock_now())
    return HttpStatus(200, notification_dict(notification))
