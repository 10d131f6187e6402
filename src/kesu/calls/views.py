"""The call pages: log a call (with the customer found as the number is typed), the list of calls,
and a call's recording. Each view parses, calls one action or selector, and renders."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from kesu.calls.actions import NEW, call_log
from kesu.calls.forms import NONE, OTHER, CallForm
from kesu.calls.models import Call
from kesu.calls.selectors import call_list, customer_by_number, customer_open_complaints, number_normalised
from kesu.complaints.models import Complaint
from kesu.core.clock import clock_now
from kesu.core.errors import permission_require
from kesu.core.roles import Permission, Role
from kesu.customers.models import IdentityKind
from kesu.web.errors import form_errors
from kesu.web.responses import htmx_partial

PAGE_SIZE = 50
# who sees every handler's calls in the list (the others see their own)
CALL_OVERSEERS = (Role.MANAGER, Role.ADMIN, Role.DECISION)


def _lookup(number: str, selected: str) -> dict:
    """What the page shows under the number: the customer it belongs to and their open complaints."""
    number = (number or "").strip()
    context = {"lookup_number": number, "selected": selected or NEW, "customer": None, "open_complaints": []}
    if not number:
        context["lookup_state"] = "empty"
    elif number_normalised(number) is None:
        context["lookup_state"] = "unreadable"
    else:
        customer = customer_by_number(number)
        context["lookup_state"] = "found" if customer else "new"
        if customer:
            context["customer"] = customer
            context["open_complaints"] = customer_open_complaints(customer)
    return context


def _page(request: HttpRequest, form: CallForm, *, status: int = 200) -> HttpResponse:
    number = form.data.get("number", "") if form.is_bound else form.initial.get("number", "")
    selected = form.data.get("complaint", NEW) if form.is_bound else form.initial.get("complaint", NEW)
    context = {"form": form, "NEW": NEW, "NONE": NONE, "OTHER": OTHER, **_lookup(number, selected)}
    listed = {c.number for c in context["open_complaints"]}
    context["choice"] = selected if selected in (NEW, NONE) or selected in listed else OTHER
    return render(request, "calls/call_new.html", context, status=status)


def _initial(request: HttpRequest) -> dict:
    local_now = timezone.localtime(clock_now())
    initial = {"started_at": local_now.strftime("%Y-%m-%dT%H:%M"), "number": request.GET.get("number", "")}
    reference = request.GET.get("complaint", "").strip()
    if reference:
        complaint = Complaint.objects.select_related("customer").filter(number=reference).first()
        if complaint is not None:
            initial["complaint"] = complaint.number
            initial["complaint_number"] = complaint.number
            if not initial["number"]:
                phone = complaint.customer.identities.filter(kind=IdentityKind.PHONE).first()
                initial["number"] = phone.value if phone else ""
    return initial


@login_required
@require_http_methods(["GET", "POST"])
def call_new_view(request: HttpRequest) -> HttpResponse:
    permission_require(request.user, Permission.COMPLAINT_CREATE, what="permission.calls.log")
    if request.method == "GET":
        return _page(request, CallForm(initial=_initial(request)))
    form = CallForm(request.POST, request.FILES)
    with form_errors(form, lambda: _page(request, form)):
        call = call_log(**form.call_arguments(), by=request.user, now=clock_now())
    if call.complaint_id is None:
        messages.success(request, _("Call with %(number)s logged.") % {"number": call.number})
        return redirect("calls:call_list")
    if form.choice() == NEW:
        text = _("Call logged; complaint %(number)s recorded from it.")
    else:
        text = _("Call logged on complaint %(number)s.")
    messages.success(request, text % {"number": call.complaint.number})
    return redirect("web:complaint_detail", complaint_id=call.complaint_id)


@login_required
@require_GET
def call_lookup_view(request: HttpRequest) -> HttpResponse:
    """The htmx answer to the number being typed: the customer and their open complaints."""
    permission_require(request.user, Permission.COMPLAINT_CREATE, what="permission.calls.log")
    context = _lookup(request.GET.get("number", ""), request.GET.get("complaint", NEW))
    return render(request, "calls/_lookup.html", {**context, "NEW": NEW})


@login_required
@require_GET
def call_list_view(request: HttpRequest) -> HttpResponse:
    # calls carry what customers said on the phone (transcripts, recordings): for those who handle
    # complaints, not for the read-only roles
    permission_require(request.user, Permission.COMPLAINT_HANDLE)
    oversees = request.user.role in CALL_OVERSEERS
    scope = request.GET.get("scope", "all" if oversees else "mine")
    if not oversees:
        scope = "mine"
    number = request.GET.get("number", "").strip()
    calls = call_list(number=number, handled_by=request.user if scope == "mine" else None).defer("transcript")
    page = Paginator(calls, PAGE_SIZE).get_page(request.GET.get("page"))
    partial = htmx_partial(request)
    template = "calls/_call_results.html" if partial else "calls/call_list.html"
    context = {"page": page, "number": number, "scope": scope, "oversees": oversees}
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


@login_required
@require_GET
def call_recording_view(request: HttpRequest, call_id: int) -> FileResponse | HttpResponse:
    permission_require(request.user, Permission.COMPLAINT_HANDLE)
    call = get_object_or_404(Call, pk=call_id)
    if not call.recording:
        raise Http404(_("This call has no recording."))
    try:
        handle = call.recording.open("rb")
    except FileNotFoundError as error:
        raise Http404(_("The recording of this call is missing from storage.")) from error
    from kesu.privacy.actions import access_record

    access_record(user=request.user, action="recording", now=clock_now(), object_type="call", object_id=call.pk,
                  request=request)
    return FileResponse(handle, filename=call.recording_name, content_type=call.recording_type)
