"""Calls over the API: log a call (JSON, or multipart with its recording), list calls, and find the
customer a phone number belongs to."""

from __future__ import annotations

from datetime import datetime

from django.http import FileResponse, HttpRequest, HttpResponse
from ninja import Field, Query, Router, Schema
from ninja.responses import Status as HttpStatus
from pydantic import ValidationError

from kesu.api.auth import permission_require
from kesu.api.errors import error_body, not_found_body, pydantic_field_error
from kesu.api.pagination import page_slice
from kesu.api.parsing import UnstorableText, text_check
from kesu.api.schemas import CustomerRef, ErrorOut, TextIn
from kesu.calls.actions import NEW, CallComplaint, call_log
from kesu.calls.models import Call
from kesu.calls.selectors import call_list, customer_by_number, customer_open_complaints
from kesu.core.clock import clock_now
from kesu.core.errors import FieldError, FieldErrors
from kesu.core.roles import Permission
from kesu.core.storable import json_read
from kesu.privacy.actions import access_record
from kesu.privacy.models import AccessAction
from kesu.privacy.policy import Viewer, complaint_body_mask

router = Router(tags=["calls"])


class CallComplaintIn(TextIn):
    subject: str = ""
    category: str = Field("", description="category code; empty: triage decides")
    severity: str = Field("", description="general, urgent or major; empty: triage decides")
    priority: str = Field("", description="P1 … P4; empty: triage decides")


class CallIn(TextIn):
    direction: str = Field(..., description="inbound or outbound")
    number: str = Field(..., description="the other party's phone number, in any format (+86 138-0013-8000)")
    started_at: datetime | None = Field(None, description="when the call started; empty: now")
    duration_seconds: int | str = Field(..., description="seconds (205) or minutes:seconds (\"3:25\")")
    transcript: str = ""
    notes: str = Field("", description="after-call notes")
    customer_name: str = Field("", description="the name of a customer this number does not belong to yet")
    complaint: str = Field(
        "", description="\"new\": open a phone complaint from the call (content: the transcript, else the "
        "notes); a complaint number or id: attach the call to it; empty: log the call only",
    )
    new_complaint: CallComplaintIn | None = Field(None, description="subject and classification of a new complaint")


class CallOut(Schema):
    id: int
    direction: str
    number: str
    started_at: datetime
    duration_seconds: int
    transcript: str
    notes: str
    customer: CustomerRef | None
    complaint_id: int | None
    complaint_number: str | None
    handled_by: str | None
    recording: str | None = Field(None, description="the recording's download path")
    created_at: datetime


class CallPage(Schema):
    count: int
    page: int
    page_size: int
    pages: int
    items: list[CallOut]


class ListParams(TextIn):
    number: str = ""
    mine: bool = False
    page: int = 1
    page_size: int = 25


class OpenComplaintOut(Schema):
    id: int
    number: str
    status: str
    subject: str
    created_at: datetime


class LookupOut(Schema):
    id: int
    name: str
    tier: str
    region: str
    open_complaints: list[OpenComplaintOut]


def call_dict(call: Call) -> dict:
    customer = call.customer
    return {
        "id": call.pk,
        "direction": call.direction,
        "number": call.number,
        "started_at": call.started_at,
        "duration_seconds": call.duration_seconds,
        "transcript": call.transcript,
        "notes": call.notes,
        "customer": {"id": customer.pk, "name": customer.name, "tier": customer.tier} if customer else None,
        "complaint_id": call.complaint_id,
        "complaint_number": call.complaint.number if call.complaint_id else None,
        "handled_by": call.handled_by.username if call.handled_by_id else None,
        "recording": f"/api/v1/calls/{call.pk}/recording" if call.recording else None,
        "created_at": call.created_at,
    }


def _body(request: HttpRequest) -> tuple[CallIn, object]:
    """The call from a JSON body, or from multipart form fields with the recording as file ``recording``."""
    if request.content_type == "multipart/form-data":
        data: dict = {key: value for key, value in request.POST.items()}
        new = {key: data.pop(key) for key in ("subject", "category", "severity", "priority") if key in data}
        if new:
            data["new_complaint"] = new
        recording = request.FILES.get("recording")
    else:
        try:
            data = json_read(request.body or b"{}")
        except ValueError as error:
            raise FieldError("body", "api.not_json") from error
        try:
            text_check(data)
        except UnstorableText as error:
            raise FieldError(error.field, error.code, **error.params) from error
        if not isinstance(data, dict):
            raise FieldError("body", "field.not_object")
        recording = None
    try:
        return CallIn.model_validate(data), recording
    except ValidationError as error:
        raise FieldErrors([pydantic_field_error(_field_of(e["loc"]), e) for e in error.errors()]) from error


def _field_of(loc: tuple) -> str:
    """``("duration_seconds", "int")`` → ``duration_seconds``; ``("new_complaint", "subject")`` kept whole."""
    if not loc:
        return "body"
    return ".".join(str(part) for part in loc[:2]) if loc[0] == "new_complaint" else str(loc[0])


def _inlined(schema: dict) -> dict:
    """A model's JSON schema with its ``$defs`` written in place (the request body is documented by hand)."""
    defs = schema.pop("$defs", {})

    def walk(node):
        if isinstance(node, dict):
            ref = node.get("$ref", "")
            if ref.startswith("#/$defs/"):
                return walk(dict(defs[ref.rsplit("/", 1)[-1]]))
            return {key: walk(value) for key, value in node.items()}
        if isinstance(node, list):
            return [walk(item) for item in node]
        return node

    return walk(schema)


_CALL_SCHEMA = _inlined(CallIn.model_json_schema())


@router.post(
    "/calls",
    response={201: CallOut, 403: ErrorOut, 422: ErrorOut},
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {"schema": _CALL_SCHEMA},
                "multipart/form-data": {
                    "schema": {
                        "type": "object",
                        "description": "the fields of CallIn (new complaint fields subject, category, severity, "
                        "priority at the top level) and the recording file",
                        "properties": {"recording": {"type": "string", "format": "binary"}},
                    }
                },
            },
        }
    },
)
def call_create_view(request: HttpRequest, response: HttpResponse):
    """Log a call; with `complaint: "new"` it opens a phone complaint in the same step (triaged and
    routed like any intake), with a complaint number it is attached to that complaint. The caller's
    number finds the customer (or creates one). Recordings: mp3, wav, m4a, aac, amr, ogg."""
    user = permission_require(request, Permission.COMPLAINT_CREATE)
    payload, recording = _body(request)
    fields = payload.new_complaint
    complaint = payload.complaint.strip() or None
    new = CallComplaint(**fields.dict()) if fields else None
    if new is not None and complaint is None:
        complaint = NEW
    now = clock_now()
    call = call_log(
        direction=payload.direction, number=payload.number, started_at=payload.started_at or now,
        duration_seconds=payload.duration_seconds, transcript=payload.transcript, notes=payload.notes,
        recording=recording, customer_name=payload.customer_name, complaint=complaint, new_complaint=new,
        by=user, now=now,
    )
    call = call_list().get(pk=call.pk)
    response["Location"] = f"/api/v1/calls/{call.pk}"
    return HttpStatus(201, call_dict(call))


@router.get("/calls", response=CallPage)
def call_list_view(request: HttpRequest, params: Query[ListParams]):
    """Calls newest first; `number` matches a fragment of the number in any format. Calls (transcripts,
    recordings) are for the roles that handle complaints."""
    user = permission_require(request, Permission.COMPLAINT_HANDLE)
    calls = call_list(number=params.number, handled_by=user if params.mine else None)
    page = page_slice(calls, page=params.page, page_size=params.page_size)
    viewer = Viewer(request.auth)
    page["items"] = [_call_for(viewer, call) for call in page["items"]]
    return page


def _call_for(viewer: Viewer, call: Call) -> dict:
    body = call_dict(call)
    if call.complaint_id:
        full = viewer.full_for_complaint(call.complaint)
    elif call.customer_id:
        full = viewer.full_for_customer(call.customer_id)
    else:
        full = viewer.management or viewer.system or (viewer.user is not None and call.handled_by_id == viewer.user.pk)
    return body if full else complaint_body_mask(body)


@router.get("/calls/{int:call_id}", response={200: CallOut, 404: ErrorOut})
def call_detail_view(request: HttpRequest, call_id: int):
    permission_require(request, Permission.COMPLAINT_HANDLE)
    call = call_list().filter(pk=call_id).first()
    if call is None:
        return HttpStatus(404, not_found_body("call", call_id))
    return HttpStatus(200, _call_for(Viewer(request.auth), call))


@router.get("/calls/{int:call_id}/recording", response={404: ErrorOut})
def call_recording_view(request: HttpRequest, call_id: int):
    permission_require(request, Permission.COMPLAINT_HANDLE)
    call = Call.objects.filter(pk=call_id).first()
    if call is None or not call.recording:
        return HttpStatus(404, error_body("api.no_recording", id=call_id))
    try:
        handle = call.recording.open("rb")
    except FileNotFoundError:
        return HttpStatus(404, error_body("api.recording_missing", id=call_id))
    access_record(user=request.auth, action=AccessAction.RECORDING, now=clock_now(), object_type="call",
                  object_id=call.pk, request=request)
    return FileResponse(handle, filename=call.recording_name, content_type=call.recording_type)


@router.get("/customers/lookup", response={200: LookupOut, 404: ErrorOut})
def customer_lookup_view(request: HttpRequest, phone: str):
    """The customer a phone number belongs to, in any format, with their open complaints."""
    permission_require(request, Permission.CUSTOMER_READ)
    customer = customer_by_number(phone)
    if customer is None:
        return HttpStatus(404, error_body("api.no_customer_phone", phone=phone))
    return HttpStatus(
        200,
        {
            "id": customer.pk,
            "name": customer.name,
            "tier": customer.tier,
            "region": customer.region,
            "open_complaints": [
                {"id": c.pk, "number": c.number, "status": c.status, "subject": c.subject, "created_at": c.created_at}
                for c in customer_open_complaints(customer)
            ],
        },
    )
