"""Mass incidents over the API (issue 13): declare, list, read with figures, publish updates, resolve,
withdraw, link / unlink complaints, burst suggestions, and the IVR's question "is there a known incident?"."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.responses import Status as HttpStatus

from kesu.api.auth import permission_require
from kesu.api.errors import not_found_body
from kesu.api.schemas import ErrorOut
from kesu.complaints.models import Complaint
from kesu.core.clock import clock_now
from kesu.core.errors import FieldError
from kesu.core.roles import Permission
from kesu.incidents.actions import (
    deflection_record,
    incident_declare,
    incident_link,
    incident_monitor,
    incident_resolve,
    incident_update,
)
from kesu.incidents.models import Incident, Source
from kesu.incidents.selectors import (
    incident_figures,
    incident_get,
    incident_list,
    incidents_for,
    suggestions_open,
)
from kesu.pipeline.incidents import incident_unlink, incident_withdraw

router = Router(tags=["incidents"])


class IncidentIn(Schema):
    title: Any = None
    kind: Any = None
    announcement: Any = None
    scope: Any = None
    starts_at: Any = None
    expected_recovery_at: Any = None
    description: Any = ""
    link_matching: bool = False
    suggestion_id: int | None = None


class UpdateIn(Schema):
    announcement: Any = None
    expected_recovery_at: Any = None


class MonitorIn(Schema):
    note: Any = None


class ResolveIn(Schema):
    message: Any = None
    root_cause: Any = None


class IncidentWithdrawIn(Schema):
    reason: Any = ""


class WithdrawOut(Schema):
    incident_id: int
    withdrawn: bool
    unlinked: int


class LinkIn(Schema):
    complaint_id: int
    reason: str = ""


class IncidentOut(Schema):
    id: int
    title: str
    kind: str
    state: str
    announcement: dict[str, str]
    scope: dict[str, list[str]]
    starts_at: datetime
    expected_recovery_at: datetime | None
    declared_at: datetime
    monitoring_at: datetime | None = None
    version: int
    linked_count: int
    answered_count: int
    deflected_count: int
    self_healed_share: float | None
    figures: dict[str, Any] = Field(description="linked, answered, deflected (IVR, portal), self-healed, "
                                    "time from the first matching complaint to the declaration")
    resolve_progress: dict[str, int]


def _body(incident: Incident) -> dict[str, Any]:
    figures = incident_figures(incident)
    return {
        "id": incident.pk, "title": incident.title, "kind": incident.kind, "state": incident.state,
        "announcement": {"zh-hans": incident.announcement_zh, "en": incident.announcement_en},
        "scope": incident.scope, "starts_at": incident.starts_at, "expected_recovery_at": incident.expected_recovery_at,
        "declared_at": incident.declared_at, "monitoring_at": incident.monitoring_at, "version": incident.version,
        "linked_count": figures.linked, "answered_count": figures.answered, "deflected_count": figures.deflected,
        "self_healed_share": figures.self_healed_share, "figures": figures.as_dict(),
        "resolve_progress": {"done": incident.resolve_done, "total": incident.resolve_total},
    }


@router.post("", response={201: IncidentOut, 403: ErrorOut, 422: ErrorOut})
def incident_create_view(request: HttpRequest, payload: IncidentIn):
    user = permission_require(request, Permission.INCIDENT_MANAGE)
    declared = incident_declare(by=user, now=clock_now(), **payload.dict())
    return HttpStatus(201, _body(declared.incident))


@router.get("", response={200: list[IncidentOut], 403: ErrorOut})
def incident_list_view(request: HttpRequest, state: str = ""):
    permission_require(request, Permission.COMPLAINT_READ)
    return [_body(i) for i in incident_list(state=state)]


class ActiveParams(Schema):
    phone: str = ""
    region: str = ""
    product: str = ""


@router.get("/active", response={200: dict, 403: ErrorOut, 422: ErrorOut})
def incidents_active_view(request: HttpRequest, params: Query[ActiveParams]):
    """What an IVR or a chat bot plays before the caller is queued; each answer is a deflection."""
    permission_require(request, Permission.COMPLAINT_READ)
    if not (params.phone or params.region or params.product):
        raise FieldError("phone", "incident.query_missing")
    found = incidents_for(phone=params.phone, region=params.region, product=params.product)
    query = {k: v for k, v in params.dict().items() if v}
    deflection_record(incidents=found, source=Source.IVR, query=query, now=clock_now())
    return {"incidents": [
        {"id": i.pk, "title": i.title, "announcement": {"zh-hans": i.announcement_zh, "en": i.announcement_en},
         "expected_recovery_at": i.expected_recovery_at} for i in found
    ]}


@router.get("/suggestions", response={200: list[dict], 403: ErrorOut})
def suggestions_view(request: HttpRequest):
    permission_require(request, Permission.INCIDENT_MANAGE)
    return [
        {"id": s.pk, "dimension": s.dimension, "value": s.value, "region": s.region, "window": s.window,
         "window_start": s.window_start, "window_end": s.window_end, "count": s.count, "expected": s.expected,
         "p_value": s.p_value, "complaint_ids": s.complaint_ids, "words": s.words, "state": s.state}
        for s in suggestions_open()
    ]


@router.get("/{int:incident_id}", response={200: IncidentOut, 404: ErrorOut})
def incident_detail_view(request: HttpRequest, incident_id: int):
    permission_require(request, Permission.COMPLAINT_READ)
    incident = incident_get(incident_id)
    if incident is None:
        return HttpStatus(404, not_found_body("incident", incident_id))
    return HttpStatus(200, _body(incident))


@router.post("/{int:incident_id}/updates", response={200: IncidentOut, 403: ErrorOut, 404: ErrorOut,
                                                       409: ErrorOut, 422: ErrorOut})
def incident_update_view(request: HttpRequest, incident_id: int, payload: UpdateIn):
    user = permission_require(request, Permission.INCIDENT_MANAGE)
    incident = incident_get(incident_id)
    if incident is None:
        return HttpStatus(404, not_found_body("incident", incident_id))
    incident_update(incident=incident, by=user, now=clock_now(), **payload.dict())
    return HttpStatus(200, _body(incident_get(incident_id)))


@router.post("/{int:incident_id}/monitor", response={200: IncidentOut, 403: ErrorOut, 404: ErrorOut,
                                                       409: ErrorOut, 422: ErrorOut})
def incident_monitor_view(request: HttpRequest, incident_id: int, payload: MonitorIn):
    """Active → monitoring (recovery reported): new matches are answered but go to a handler."""
    user = permission_require(request, Permission.INCIDENT_MANAGE)
    incident = incident_get(incident_id)
    if incident is None:
        return HttpStatus(404, not_found_body("incident", incident_id))
    incident_monitor(incident=incident, by=user, now=clock_now(), note=payload.note or "")
    return HttpStatus(200, _body(incident_get(incident_id)))


@router.post("/{int:incident_id}/resolve", response={200: IncidentOut, 403: ErrorOut, 404: ErrorOut,
                                                       409: ErrorOut, 422: ErrorOut})
def incident_resolve_view(request: HttpRequest, incident_id: int, payload: ResolveIn):
    user = permission_require(request, Permission.INCIDENT_MANAGE)
    incident = incident_get(incident_id)
    if incident is None:
        return HttpStatus(404, not_found_body("incident", incident_id))
    incident_resolve(incident=incident, by=user, now=clock_now(), **payload.dict())
    return HttpStatus(200, _body(incident_get(incident_id)))


@router.post("/{int:incident_id}/withdraw", response={200: WithdrawOut, 403: ErrorOut, 404: ErrorOut,
                                                        409: ErrorOut, 422: ErrorOut})
def incident_withdraw_view(request: HttpRequest, incident_id: int, payload: IncidentWithdrawIn):
    """Withdraw an incident declared by mistake (management only): every linked complaint is unlinked
    (an event with the `reason`) and enters normal handling, nobody is answered, and the incident is
    deleted. 409 once its resolution has started (the customers are being answered)."""
    user = permission_require(request, Permission.INCIDENT_MANAGE)
    incident = incident_get(incident_id)
    if incident is None:
        return HttpStatus(404, not_found_body("incident", incident_id))
    unlinked = incident_withdraw(incident=incident, by=user, now=clock_now(), reason=payload.reason)
    return HttpStatus(200, {"incident_id": incident_id, "withdrawn": True, "unlinked": unlinked})


@router.post("/{int:incident_id}/links", response={201: dict, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut,
                                                     422: ErrorOut})
def incident_link_view(request: HttpRequest, incident_id: int, payload: LinkIn):
    user = permission_require(request, Permission.COMPLAINT_HANDLE)
    incident = incident_get(incident_id)
    if incident is None:
        return HttpStatus(404, not_found_body("incident", incident_id))
    complaint = Complaint.objects.filter(pk=payload.complaint_id).first()
    if complaint is None:
        raise FieldError("complaint_id", "complaint.not_found", value=str(payload.complaint_id))
    link = incident_link(incident=incident, complaint=complaint, by=user, now=clock_now(), reason=payload.reason)
    return HttpStatus(201, {"incident_id": incident.pk, "complaint_id": complaint.pk, "how": link.how,
                            "waits": link.waits})


@router.delete("/{int:incident_id}/links/{int:complaint_id}", response={204: None, 403: ErrorOut, 404: ErrorOut,
                                                                         422: ErrorOut})
def incident_unlink_view(request: HttpRequest, incident_id: int, complaint_id: int, reason: str = ""):
    user = permission_require(request, Permission.COMPLAINT_HANDLE)
    incident = incident_get(incident_id)
    complaint = Complaint.objects.filter(pk=complaint_id).first()
    if incident is None:
        return HttpStatus(404, not_found_body("incident", incident_id))
    if complaint is None:
        return HttpStatus(404, not_found_body("complaint", complaint_id))
    incident_unlink(incident=incident, complaint=complaint, by=user, now=clock_now(), reason=reason)
    return HttpStatus(204, None)
