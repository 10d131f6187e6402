"""The operations pages for the management layer and analysts. Thin: check the permission, call a selector
or a pure function, render."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from kesu.core.clock import clock_now
from kesu.core.roles import Permission
from kesu.web.responses import forbidden
from kesu.workforce.erlang import staffing_erlang_c
from kesu.workforce.models import RiskScore
from kesu.workforce.page_data import kesu_log_frame, staffing_week
from kesu.workforce.process import process_map

PROCESS_DAYS = 90


@login_required
@require_GET
def risk_view(request: HttpRequest) -> HttpResponse:
    if not request.user.can(Permission.OPERATIONS_VIEW):
        return forbidden(request)
    scores = RiskScore.objects.select_related("complaint", "complaint__category").order_by("-score")[:100]
    return render(request, "workforce/risk.html", {"scores": scores})


@login_required
@require_GET
def process_view(request: HttpRequest) -> HttpResponse:
    if not request.user.can(Permission.OPERATIONS_VIEW):
        return forbidden(request)
    now = clock_now()
    frame = kesu_log_frame(start=now - timedelta(days=PROCESS_DAYS), end=now)
    result = process_map(frame) if len(frame) else None
    return render(request, "workforce/process.html", {"map": result, "days": PROCESS_DAYS})


@login_required
@require_GET
def staffing_view(request: HttpRequest) -> HttpResponse:
    if not request.user.can(Permission.OPERATIONS_VIEW):
        return forbidden(request)
    week = staffing_week(now=clock_now(), staffing=staffing_erlang_c)
    if request.GET.get("format") == "xlsx":
        from kesu.workforce.page_data import staffing_xlsx

        response = HttpResponse(staffing_xlsx(week), content_type=(
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))
        response["Content-Disposition"] = 'attachment; filename="staffing.xlsx"'
        return response
    return render(request, "workforce/staffing.html", {"week": week})
