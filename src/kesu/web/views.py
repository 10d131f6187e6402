"""The server-rendered pages. Each view parses, calls one action or selector, and renders."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kesu.complaints.actions import attachment_add
from kesu.complaints.messages import ACTION_LABELS
from kesu.complaints.models import Attachment, Complaint
from kesu.core.clock import clock_now
from kesu.core.errors import Conflict, FieldError, InvalidTransition, permission_require
from kesu.core.roles import Permission, Role
from kesu.pipeline.intake import complaint_create
from kesu.pipeline.transitions import complaint_transfer_accept, complaint_transition
from kesu.queues.forms import SavedViewForm
from kesu.queues.page import list_context
from kesu.sla.calendars import calendar_coverage_gaps
from kesu.triage.actions import complaint_correct
from kesu.web.errors import form_errors
from kesu.web.forms import (
    TRANSITION_FORMS,
    AttachmentForm,
    ComplaintFilterForm,
    ComplaintNewForm,
    CorrectionForm,
)
from kesu.web.pages import LIST_EMOTION_THRESHOLD, complaint_page
from kesu.web.responses import htmx_partial

PAGE_SIZE = 50
INLINE_TYPES = ("image/", "application/pdf")


@login_required
@require_GET
def complaint_list_view(request: HttpRequest) -> HttpResponse:
    permission_require(request.user, Permission.COMPLAINT_READ)
    partial = htmx_partial(request)
    form = ComplaintFilterForm(request.GET, with_choices=not partial)
    now = clock_now()
    context = list_context(
        user=request.user, filters=form.filters(), queue=form.queue_name(), page=request.GET.get("page"),
        now=now, sidebar=not partial, page_size=PAGE_SIZE,
    )
    if context["filter_error"] is not None:
        form.add_domain_error(context["filter_error"])
    template = "web/_complaint_results.html" if partial else "web/complaint_list.html"
    context.update(form=form, emotion_threshold=LIST_EMOTION_THRESHOLD)
    if not partial:
        context["saved_form"] = SavedViewForm(initial={"query": request.GET.urlencode()})
        if request.user.role in CALENDAR_WATCHERS:
            context["calendar_gaps"] = calendar_coverage_gaps(now=now)
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


# who is warned on the landing page that a working calendar lacks the coming year's holidays
CALENDAR_WATCHERS = (Role.MANAGER, Role.ADMIN, Role.DECISION)


BOUNCED = "kesu_bounced_form"


def _bounce(request: HttpRequest, complaint_id: int, *, action: str, errors: FieldError | None = None,
            refused: InvalidTransition | None = None) -> HttpResponse:
    """Post / redirect / get for a refused form too: what was typed and why it was refused (as message
    ids, worded again in the reader's language) wait in the session for the page the browser is sent
    back to, so reloading that page shows them and posts nothing again."""
    request.session[BOUNCED] = {
        "complaint": complaint_id,
        "action": action,
        "data": {key: value for key, value in request.POST.items() if key != "csrfmiddlewaretoken"},
        "errors": [[e.field, e.message_obj.as_data()] for e in errors.field_errors] if errors is not None else [],
        "refused": refused.message_obj.as_data() if refused is not None else None,
    }
    return redirect("web:complaint_detail", complaint_id=complaint_id)


def _bounced(request: HttpRequest, complaint_id: int) -> dict:
    """The refused form waiting for this page (once), bound again with its errors."""
    from kesu.core.errors import FieldErrors
    from kesu.core.messages import Message

    stored = request.session.get(BOUNCED)
    if not stored or stored.get("complaint") != complaint_id or stored.get("action") not in TRANSITION_FORMS:
        return {}
    del request.session[BOUNCED]
    action = stored["action"]
    form = TRANSITION_FORMS[action](stored["data"], prefix=action)
    form.is_valid()
    if stored["errors"]:
        form.add_domain_error(FieldErrors([
            FieldError(field, message["code"], **message["params"]) for field, message in stored["errors"]
        ]))
    refused = str(Message.from_data(stored["refused"])) if stored["refused"] else ""
    return {"bound": form, "bound_action": action, "refused": refused}


@login_required
@require_GET
def complaint_detail_view(request: HttpRequest, complaint_id: int) -> HttpResponse:
    permission_require(request.user, Permission.COMPLAINT_READ)
    response = complaint_page(request, complaint_id, **_bounced(request, complaint_id))
    _access_logged(request, "complaint_view", "complaint", complaint_id)
    return response


def _access_logged(request: HttpRequest, action: str, object_type: str, object_id: int) -> None:
    """A desk view or a file download, in the access log (issue 15 §3)."""
    from kesu.privacy.actions import access_record

    access_record(user=request.user, action=action, now=clock_now(), object_type=object_type,
                  object_id=object_id, request=request)


@login_required
@require_POST
def complaint_transition_view(request: HttpRequest, complaint_id: int) -> HttpResponse:
    permission_require(request.user, Permission.COMPLAINT_HANDLE)
    complaint = get_object_or_404(Complaint, pk=complaint_id)
    action = request.POST.get("action", "")
    form_class = TRANSITION_FORMS.get(action)
    if form_class is None:
        return HttpResponse(_("Unknown action."), status=400)
    form = form_class(request.POST, prefix=action)
    form.is_valid()
    try:
        complaint_transition(
            complaint=complaint, action=action, by=request.user, now=clock_now(), **form.cleaned_data
        )
    except FieldError as error:
        return _bounce(request, complaint_id, action=action, errors=error)
    except InvalidTransition as error:
        return _bounce(request, complaint_id, action=action, refused=error)
    messages.success(request, _("Done: %(action)s.") % {"action": ACTION_LABELS[action]})
    return redirect("web:complaint_detail", complaint_id=complaint_id)


@login_required
@require_POST
def complaint_accept_view(request: HttpRequest, complaint_id: int) -> HttpResponse:
    """The receiving group accepts a transferred complaint (takes it and starts handling)."""
    permission_require(request.user, Permission.COMPLAINT_HANDLE)
    complaint = get_object_or_404(Complaint, pk=complaint_id)
    try:
        complaint_transfer_accept(complaint=complaint, by=request.user, now=clock_now())
    except (Conflict, InvalidTransition) as error:
        messages.error(request, error.message)
        return redirect("web:complaint_detail", complaint_id=complaint_id)
    messages.success(request, _("Transfer accepted: the complaint is yours and handling has started."))
    return redirect("web:complaint_detail", complaint_id=complaint_id)


@login_required
@require_POST
def complaint_correct_view(request: HttpRequest, complaint_id: int) -> HttpResponse:
    permission_require(request.user, Permission.COMPLAINT_HANDLE)
    complaint = get_object_or_404(Complaint, pk=complaint_id)
    form = CorrectionForm(request.POST, prefix="correct")
    form.is_valid()
    with form_errors(form, lambda: complaint_page(request, complaint_id, correction_form=form)):
        complaint_correct(complaint=complaint, by=request.user, now=clock_now(), **form.cleaned_data)
    messages.success(request, _("Triage corrected."))
    return redirect("web:complaint_detail", complaint_id=complaint_id)


@login_required
@require_POST
def attachment_upload_view(request: HttpRequest, complaint_id: int) -> HttpResponse:
    permission_require(request.user, Permission.COMPLAINT_HANDLE)
    complaint = get_object_or_404(Complaint, pk=complaint_id)
    form = AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        return complaint_page(request, complaint_id, upload_form=form, status=422)
    with form_errors(form, lambda: complaint_page(request, complaint_id, upload_form=form)):
        attachment = attachment_add(
            complaint=complaint, upload=form.cleaned_data["file"], by=request.user, now=clock_now()
        )
    messages.success(request, _("Attached %(name)s.") % {"name": attachment.original_name})
    return redirect("web:complaint_detail", complaint_id=complaint_id)


@login_required
@require_GET
@xframe_options_sameorigin  # the desk previews PDFs in a frame of its own page
def attachment_download_view(request: HttpRequest, attachment_id: int) -> FileResponse | HttpResponse:
    permission_require(request.user, Permission.COMPLAINT_READ)
    attachment = get_object_or_404(Attachment, pk=attachment_id)
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError as error:
        raise Http404(_("The file of this attachment is missing from storage.")) from error
    inline = attachment.content_type.startswith(INLINE_TYPES)
    _access_logged(request, "attachment", "attachment", attachment.pk)
    return FileResponse(
        handle,
        as_attachment=not inline,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )


@login_required
@require_http_methods(["GET", "POST"])
def complaint_new_view(request: HttpRequest) -> HttpResponse:
    permission_require(request.user, Permission.COMPLAINT_CREATE)
    if request.method == "GET":
        return render(request, "web/complaint_new.html", {"form": ComplaintNewForm()})
    form = ComplaintNewForm(request.POST)
    with form_errors(form, lambda: render(request, "web/complaint_new.html", {"form": form})):
        complaint = complaint_create(draft=form.draft(), by=request.user, now=clock_now())
    messages.success(request, _("Complaint %(number)s recorded.") % {"number": complaint.number})
    return redirect("web:complaint_detail", complaint_id=complaint.pk)
