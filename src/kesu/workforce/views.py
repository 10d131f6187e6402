"""The operations pages for the management layer and analysts. Thin: check the permission, call a selector
or a pure function, render."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from kesu.core.clock import clock_now
from kesu.core.errors import FieldError
from kesu.core.roles import Permission
from kesu.web.charts import Band, Chart, Series, chart_xlsx_response
from kesu.web.responses import forbidden
from kesu.workforce.models import RiskScore, StoredForecast
from kesu.workforce.page_data import kesu_log_frame, staffing_week_stored
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
    charts = []
    if result is not None:
        from kesu.complaints.models import EventKind
        from kesu.workforce.process_chart import process_chart

        kinds = dict(EventKind.choices)
        charts = [process_chart(result, label=lambda a: str(kinds.get(a, a)))]
    response = chart_xlsx_response(request, charts)
    if response is not None:
        return response
    from kesu.workforce.process_predictions import process_scores

    return render(request, "workforce/process.html", {"map": result, "days": PROCESS_DAYS, "charts": charts,
                                                      "scores": process_scores(now=now, days=PROCESS_DAYS)})


@login_required
@require_GET
def staffing_view(request: HttpRequest) -> HttpResponse:
    if not request.user.can(Permission.OPERATIONS_VIEW):
        return forbidden(request)
    from kesu.complaints.models import Channel
    from kesu.workforce.page_data import STAFFING_INTERVALS

    channel = request.GET.get("channel", "")
    interval = request.GET.get("interval", "30")
    if channel and channel not in Channel.values:
        return HttpResponse(_("Unknown channel “%(got)s”.") % {"got": channel[:40]}, status=400,
                            content_type="text/plain; charset=utf-8")
    if interval not in {str(i) for i in STAFFING_INTERVALS}:
        return HttpResponse(_("The interval must be 30 or 60 minutes (you asked for “%(got)s”).")
                            % {"got": interval[:40]}, status=400, content_type="text/plain; charset=utf-8")
    week = staffing_week_stored(now=clock_now(), interval_minutes=int(interval), channel=channel)
    if request.GET.get("format") == "xlsx":
        from kesu.workforce.page_data import staffing_xlsx

        response = HttpResponse(staffing_xlsx(week), content_type=(
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))
        response["Content-Disposition"] = 'attachment; filename="staffing.xlsx"'
        return response
    return render(request, "workforce/staffing.html", {
        "week": week, "channel": channel, "interval": int(interval), "channels": Channel.choices,
        "intervals": STAFFING_INTERVALS})


def _forecast_charts(payload: dict) -> list[Chart]:
    if not payload.get("model"):
        return []
    days = payload["days"]
    tomorrow = payload["tomorrow"]
    return [
        Chart(id="forecast-days", kind="line", title=_("Arrivals per day, next 14 days"),
              categories=[d["day"] for d in days], category_label=_("Day"),
              series=[Series(_("Forecast"), [d["value"] for d in days])],
              bands=[Band(_("95-percent interval"), [d["low95"] for d in days], [d["high95"] for d in days]),
                     Band(_("80-percent interval"), [d["low80"] for d in days], [d["high80"] for d in days])],
              decimals=1),
        Chart(id="forecast-tomorrow", kind="line",
              title=_("Arrivals per 30 minutes on %(day)s") % {"day": tomorrow["day"]},
              categories=tomorrow["slots"], category_label=_("Time"),
              series=[Series(_("Forecast"), tomorrow["values"])],
              bands=[Band(_("95-percent interval"), tomorrow["low95"], tomorrow["high95"]),
                     Band(_("80-percent interval"), tomorrow["low80"], tomorrow["high80"])],
              decimals=2),
    ]


@login_required
@require_GET
def forecast_view(request: HttpRequest) -> HttpResponse:
    if not request.user.can(Permission.OPERATIONS_VIEW):
        return forbidden(request)
    from kesu.workforce.actions import forecast_refresh, forecast_scopes

    scope = request.GET.get("scope", "")
    scopes = forecast_scopes(now=clock_now())
    if scope not in {s for s, _label in scopes}:
        return HttpResponse(_("No forecast for “%(got)s”: choose all complaints, a channel or a category.")
                            % {"got": scope[:60]}, status=400, content_type="text/plain; charset=utf-8")
    stored = StoredForecast.objects.filter(scope=scope).first()
    computed_now = stored is None
    if stored is None:  # the daily job has not run yet: compute once and store it
        stored = forecast_refresh(now=clock_now(), scope=scope)
    charts = _forecast_charts(stored.payload)
    response = chart_xlsx_response(request, charts)
    if response is not None:
        return response
    accuracy = []
    if stored.payload.get("model"):
        for level in ("interval", "daily"):
            values = stored.payload["accuracy"][level]
            accuracy.append({"level": level, "model": values["model"]["mase"],
                             "seasonal_naive": values["seasonal_naive"]["mase"],
                             "mean_4_weeks": values["mean_4_weeks"]["mase"]})
    return render(request, "workforce/forecast.html", {
        "stored": stored, "payload": stored.payload, "charts": charts, "accuracy": accuracy,
        "computed_now": computed_now, "scope": scope, "scopes": scopes})


@login_required
@require_http_methods(["GET", "POST"])
def simulation_view(request: HttpRequest) -> HttpResponse:
    """The what-if form; a valid form queues a job and goes to its result page (progress, then the result)."""
    if not request.user.can(Permission.OPERATIONS_VIEW):
        return forbidden(request)
    from kesu.workforce.actions import SIMULATION_MAX_DAYS, SIMULATION_MAX_REPLICATIONS, simulation_queue
    from kesu.workforce.models import SimulationRun
    from kesu.workforce.selectors import handlers_per_group

    groups = sorted(handlers_per_group())
    today = clock_now().date()
    data = request.POST if request.method == "POST" else {
        "from": (today - timedelta(days=28)).isoformat(), "to": (today - timedelta(days=1)).isoformat(),
        "replications": "20", "volume": "0", "faster_percent": "0"}
    errors: dict[str, str] = {}
    status = 200
    if request.method == "POST":
        try:
            run = simulation_queue(data=dict(request.POST.items()), groups=groups, by=request.user, now=clock_now())
        except FieldError as error:
            errors = {e.field: e.message for e in error.field_errors}
            status = 422
        else:
            return redirect("workforce:simulation_run", run_id=run.pk)
    fields = [{"group": g, "name": f"handlers_{g}", "value": data.get(f"handlers_{g}", "0"),
               "error": errors.get(f"handlers_{g}")} for g in groups]
    recent = SimulationRun.objects.select_related("created_by")[:10]
    return render(request, "workforce/simulation.html", {
        "data": data, "errors": errors, "groups": groups, "handler_fields": fields, "recent": recent,
        "max_replications": SIMULATION_MAX_REPLICATIONS, "max_days": SIMULATION_MAX_DAYS}, status=status)


def _run_context(run) -> dict:
    from kesu.core.messages import message_render

    rows = []
    result = run.result if run.state == run.State.DONE else None
    if result is not None:
        scenario = result["scenarios"][0]
        after = {s["group"]: s for s in scenario["stages"]}
        for stage in result["today"]["stages"]:
            rows.append({"group": stage["group"], "today": stage, "scenario": after.get(stage["group"])})
    error = message_render(run.error["code"], run.error.get("params")) if run.error else ""
    return {"run": run, "result": result, "rows": rows, "error": error}


@login_required
@require_GET
def simulation_run_view(request: HttpRequest, run_id: int) -> HttpResponse:
    """One queued simulation: its progress while the job runs (the fragment polls itself), then the result."""
    if not request.user.can(Permission.OPERATIONS_VIEW):
        return forbidden(request)
    from kesu.workforce.models import SimulationRun

    run = get_object_or_404(SimulationRun, pk=run_id)
    context = _run_context(run)
    if request.headers.get("HX-Request"):
        return render(request, "workforce/_simulation_run.html", context)
    return render(request, "workforce/simulation_run.html", context)
