"""The data-protection pages: the access log (administrators and the data-protection officer), with
filters and a CSV export, and "show number" — revealing one masked value with a reason (logged)."""

from __future__ import annotations

from datetime import datetime, time

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.views.decorators.http import require_GET, require_POST

from kesu.core.clock import clock_now
from kesu.core.errors import FieldError, NotPermitted
from kesu.core.ids import row_id
from kesu.core.roles import Permission
from kesu.privacy.actions import access_record, reveal
from kesu.privacy.models import AccessAction
from kesu.privacy.selectors import access_log, access_log_csv
from kesu.web.responses import forbidden

PAGE_ROWS = 200


def _filters(request: HttpRequest) -> tuple[dict, dict]:
    """The query's filters (user, customer, complaint, from, to) and what the form shows again."""
    shown = {key: request.GET.get(key, "").strip()[:64] for key in ("user", "customer", "complaint", "from", "to")}
    filters: dict = {"username": shown["user"]}
    for kind in ("customer", "complaint"):
        if shown[kind]:
            filters.update(object_type=kind, object_id=str(row_id(shown[kind]) or "-"))
    zone = timezone.get_current_timezone()
    start = parse_date(shown["from"]) if shown["from"] else None  # a bad date: ValueError or None
    end = parse_date(shown["to"]) if shown["to"] else None
    if start:
        filters["since"] = datetime.combine(start, time.min, tzinfo=zone)
    if end:
        filters["until"] = datetime.combine(end, time.max, tzinfo=zone)
    return filters, shown


@login_required
@require_GET
def access_log_view(request: HttpRequest) -> HttpResponse:
    if not request.user.can(Permission.PRIVACY_AUDIT):
        return forbidden(request)
    try:
        filters, shown = _filters(request)
    except ValueError:
        filters, shown = {}, {}
    rows = access_log(**filters)
    query = request.GET.urlencode()
    return render(request, "privacy/access_log.html", {
        "rows": rows[:PAGE_ROWS], "count": rows.count(), "shown": shown, "query": query, "limit": PAGE_ROWS,
        "actions": AccessAction.choices,
    })


@login_required
@require_GET
def access_log_csv_view(request: HttpRequest) -> HttpResponse:
    if not request.user.can(Permission.PRIVACY_AUDIT):
        return forbidden(request)
    try:
        filters, _shown = _filters(request)
    except ValueError:
        filters = {}
    body = access_log_csv(access_log(**filters))
    access_record(user=request.user, action=AccessAction.EXPORT, now=clock_now(), object_type="access_log",
                  request=request)
    response = HttpResponse("\ufeff" + body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="access-log.csv"'
    return response


@login_required
@require_POST
def reveal_view(request: HttpRequest) -> HttpResponse:
    """"Show number": the full value of one field, for a reason, written to the access log."""
    object_type = request.POST.get("object_type", "")
    object_id = row_id(request.POST.get("object_id", ""))
    field = request.POST.get("field", "")
    context = {"object_type": object_type, "object_id": object_id, "field": field, "value": "", "error": ""}
    try:
        if object_id is None:
            raise FieldError("object_id", "privacy.not_found", id=request.POST.get("object_id", "")[:20])
        context["value"] = reveal(user=request.user, object_type=object_type, object_id=object_id, field=field,
                                  reason=request.POST.get("reason", ""), now=clock_now(), request=request)
    except NotPermitted:
        return forbidden(request)
    except FieldError as error:
        context["error"] = error.message
    return render(request, "privacy/reveal.html", context, status=422 if context["error"] else 200)
