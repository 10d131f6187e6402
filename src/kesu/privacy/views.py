"""The data-protection pages: the access log (administrators and the data-protection officer), with
filters and a CSV export, and "show number" — revealing one masked value with a reason (logged)."""

from __future__ import annotations

from datetime import datetime, time

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from kesu.core.clock import clock_now
from kesu.core.errors import FieldError, NotPermitted
from kesu.core.ids import row_id
from kesu.core.roles import Permission
from kesu.core.storable import iso_day
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
    start = iso_day(shown["from"]) if shown["from"] else None  # a bad date: ValueError
    end = iso_day(shown["to"]) if shown["to"] else None
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


ERASURE_ROWS = 200


def _erasure_page(request: HttpRequest, *, form: dict | None = None, errors: dict | None = None,
                  status: int = 200) -> HttpResponse:
    from kesu.privacy.masking import name_mask
    from kesu.privacy.models import ErasureRequest

    rows = list(ErasureRequest.objects.select_related("customer", "requested_by", "decided_by")[:ERASURE_ROWS])
    for row in rows:
        row.customer_shown = name_mask(row.customer.name or "")
    return render(request, "privacy/erasure_requests.html", {
        "rows": rows, "form": form or {"kind": "id", "value": "", "reason": ""}, "errors": errors or {},
        "may_decide": request.user.role == "admin",
    }, status=status)


@login_required
def erasure_requests_view(request: HttpRequest) -> HttpResponse:
    """The erasure requests: the list, and (POST) filing a new one."""
    from django.contrib import messages
    from django.shortcuts import redirect
    from django.utils.translation import gettext as _

    from kesu.privacy.erasure import erasure_request_file

    if not request.user.can(Permission.PRIVACY_REQUESTS):
        return forbidden(request)
    if request.method != "POST":
        return _erasure_page(request)
    form = {key: request.POST.get(key, "")[:500] for key in ("kind", "value", "reason")}
    try:
        filed = erasure_request_file(by=request.user, kind=form["kind"], value=form["value"],
                                     reason=form["reason"], now=clock_now())
    except NotPermitted as error:
        return forbidden(request, error.message)
    except FieldError as error:
        return _erasure_page(request, form=form, errors=dict(error.errors), status=422)
    messages.success(request, _("Erasure request #%(id)s filed; a second administrator must approve it.")
                     % {"id": filed.pk})
    return redirect("privacy:erasure_requests")


@login_required
@require_POST
def erasure_decide_view(request: HttpRequest, request_id: int, decision: str) -> HttpResponse:
    """Approve (the customer is erased) or reject (with a reason) one request."""
    from django.contrib import messages
    from django.shortcuts import redirect
    from django.utils.translation import gettext as _

    from kesu.core.errors import Conflict
    from kesu.privacy.erasure import erasure_request_approve, erasure_request_reject

    reason = request.POST.get("reason", "")[:600]
    try:
        if decision == "approve":
            erasure_request_approve(request_id=request_id, by=request.user, now=clock_now(), reason=reason)
            messages.success(request, _("Request #%(id)s approved: the customer's personal data is erased.")
                             % {"id": request_id})
        else:
            erasure_request_reject(request_id=request_id, by=request.user, now=clock_now(), reason=reason)
            messages.success(request, _("Request #%(id)s rejected.") % {"id": request_id})
    except NotPermitted as error:
        return forbidden(request, error.message)
    except Conflict as error:
        if not request.user.can(Permission.PRIVACY_REQUESTS):
            return forbidden(request)
        return _erasure_page(request, errors={"request": error.message}, status=409)
    except FieldError as error:
        if not request.user.can(Permission.PRIVACY_REQUESTS):
            return forbidden(request)
        status = 404 if error.code == "privacy.erasure_not_found" else 422
        return _erasure_page(request, errors={"request": error.message}, status=status)
    return redirect("privacy:erasure_requests")
