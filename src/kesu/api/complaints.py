from __future__ import annotations

from datetime import datetime

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import File, Query, Router
from ninja.files import UploadedFile
from ninja.responses import Status as HttpStatus

from kesu.api.answers import answer_rendered
from kesu.api.auth import permission_require
from kesu.api.errors import not_found_body
from kesu.api.pagination import page_slice
from kesu.api.schemas import (
    AttachmentOut,
    ComplaintDetailOut,
    ComplaintIn,
    ComplaintPage,
    CorrectionIn,
    ErrorOut,
    TextIn,
    TransitionErrorOut,
    TransitionIn,
)
from kesu.api.serializers import complaint_detail_dict, complaint_dict
from kesu.complaints.actions import attachment_add
from kesu.complaints.drafts import ComplaintDraft
from kesu.complaints.models import Complaint
from kesu.complaints.selectors import ComplaintFilters, complaint_detail, complaint_list
from kesu.core.clock import clock_now
from kesu.core.roles import Permission
from kesu.customers.actions import CustomerHandles
from kesu.pipeline.intake import clocks_held, complaint_intake, incident_held, timeline_held
from kesu.pipeline.transitions import complaint_transition
from kesu.privacy.actions import access_record
from kesu.privacy.models import AccessAction
from kesu.privacy.policy import Viewer, complaint_body_mask
from kesu.triage.actions import complaint_correct

router = Router(tags=["complaints"])


class ListParams(TextIn):
    status: str = ""
    channel: str = ""
    category: str = ""
    group: str = ""
    assignee: str = ""
    customer_id: int | None = None
    created_from: datetime | None = None
    created_to: datetime | None = None
    q: str = ""
    page: int = 1
    page_size: int = 25


def _aware(value: datetime | None) -> datetime | None:
    if value is not None and timezone.is_naive(value):
        return timezone.make_aware(value)
    return value


def _detail(complaint_id: int) -> dict:
    complaint = complaint_detail(complaint_id=complaint_id)
    if complaint is None:
        raise Complaint.DoesNotExist
    return complaint_detail_dict(complaint)


@router.post("", response={201: ComplaintDetailOut, 200: ComplaintDetailOut, 409: ErrorOut, 422: ErrorOut})
def complaint_create_view(request: HttpRequest, response: HttpResponse, payload: ComplaintIn):
    user = permission_require(request, Permission.COMPLAINT_CREATE)
    customer = payload.customer or None
    draft = ComplaintDraft(
        channel=payload.channel,
        content=payload.content,
        customer_id=payload.customer_id,
        customer=CustomerHandles(**customer.dict()) if customer else CustomerHandles(),
        subject=payload.subject,
        category=payload.category,
        severity=payload.severity,
        priority=payload.priority,
        region=payload.region,
        product=payload.product,
        batch=payload.batch,
        order_number=payload.order_number,
        amount_claimed=payload.amount_claimed,
        group=payload.group,
    )
    key = request.headers.get("Idempotency-Key")
    complaint, created = complaint_intake(draft=draft, by=user, now=clock_now(), idempotency_key=key)
    response["Location"] = f"/api/v1/complaints/{complaint.pk}"
    if not created:
        return HttpStatus(200, _detail(complaint.pk))
    # a new complaint: it is in memory, and its timeline too unless an incident step wrote to it
    events = timeline_held(complaint)
    if events is None:
        events = list(complaint.events.select_related("actor"))
    # the body is built in the schema's shape: rendered without a second validation (``api.answers``)
    return answer_rendered(request, response, 201, complaint_detail_dict(
        complaint, events=events, attachments=[], new=True, unlinked=incident_held(complaint),
        clocks=clocks_held(complaint)))


@router.get("", response=ComplaintPage)
def complaint_list_view(request: HttpRequest, params: Query[ListParams]):
    permission_require(request, Permission.COMPLAINT_READ)
    filters = ComplaintFilters(
        status=params.status,
        channel=params.channel,
        category=params.category,
        group=params.group,
        assignee=params.assignee,
        customer_id=params.customer_id,
        created_from=_aware(params.created_from),
        created_to=_aware(params.created_to),
        q=params.q,
    )
    page = page_slice(complaint_list(filters=filters), page=params.page, page_size=params.page_size)
    viewer = Viewer(request.auth)
    page["items"] = [
        complaint_dict(c) if viewer.full_for_complaint(c) else complaint_body_mask(complaint_dict(c))
        for c in page["items"]
    ]
    return page


@router.get("/{int:complaint_id}", response={200: ComplaintDetailOut, 404: ErrorOut})
def complaint_detail_view(request: HttpRequest, complaint_id: int):
    permission_require(request, Permission.COMPLAINT_READ)
    complaint = complaint_detail(complaint_id=complaint_id)
    if complaint is None:
        return HttpStatus(404, not_found_body("complaint", complaint_id))
    access_record(user=request.auth, action=AccessAction.COMPLAINT_VIEW, now=clock_now(), object_type="complaint",
                  object_id=complaint.pk, request=request)
    body = complaint_detail_dict(complaint)
    return HttpStatus(200, body if Viewer(request.auth).full_for_complaint(complaint) else complaint_body_mask(body))


@router.post(
    "/{int:complaint_id}/transitions",
    response={200: ComplaintDetailOut, 404: ErrorOut, 409: TransitionErrorOut, 422: ErrorOut},
)
def complaint_transition_view(request: HttpRequest, complaint_id: int, payload: TransitionIn):
    user = permission_require(request, Permission.COMPLAINT_HANDLE)
    complaint = Complaint.objects.filter(pk=complaint_id).first()
    if complaint is None:
        return HttpStatus(404, not_found_body("complaint", complaint_id))
    complaint_transition(complaint=complaint, by=user, now=clock_now(), **payload.dict())
    return HttpStatus(200, _detail(complaint_id))


@router.post("/{int:complaint_id}/corrections", response={200: ComplaintDetailOut, 404: ErrorOut, 422: ErrorOut})
def complaint_correction_view(request: HttpRequest, complaint_id: int, payload: CorrectionIn):
    """Correct triage's category and/or severity; the correction is recorded and becomes training data."""
    user = permission_require(request, Permission.COMPLAINT_HANDLE)
    complaint = Complaint.objects.filter(pk=complaint_id).first()
    if complaint is None:
        return HttpStatus(404, not_found_body("complaint", complaint_id))
    complaint_correct(complaint=complaint, by=user, now=clock_now(), **payload.dict())
    return HttpStatus(200, _detail(complaint_id))


@router.post("/{int:complaint_id}/attachments", response={201: AttachmentOut, 404: ErrorOut, 422: ErrorOut})
def attachment_upload_view(request: HttpRequest, complaint_id: int, file: File[UploadedFile]):
    user = permission_require(request, Permission.COMPLAINT_HANDLE)
    complaint = get_object_or_404(Complaint, pk=complaint_id)
    attachment = attachment_add(complaint=complaint, upload=file, by=user, now=clock_now())
    return HttpStatus(
        201,
        {
            "id": attachment.pk,
            "name": attachment.original_name,
            "content_type": attachment.content_type,
            "size": attachment.size,
            "created_at": attachment.created_at,
        },
    )
