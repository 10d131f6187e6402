"""The desk's endpoints: send a reply (with a template), preview a template, record suggestion feedback."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from kesu.complaints.models import Complaint
from kesu.complaints.selectors import complaint_detail
from kesu.core.clock import clock_now
from kesu.core.errors import FieldError, InvalidTransition, permission_require
from kesu.core.roles import Permission
from kesu.desk.actions import (
    reply_with_template,
    suggestion_counts,
    suggestion_feedback_record,
    template_render,
    template_resolve,
    template_values,
)
from kesu.desk.forms import ReplyForm
from kesu.desk.panels import resolution_due
from kesu.sla.selectors import complaint_clocks
from kesu.web.errors import form_errors


@login_required
@require_POST
def reply_view(request: HttpRequest, complaint_id: int) -> HttpResponse:
    from kesu.web.pages import complaint_page

    permission_require(request.user, Permission.COMPLAINT_HANDLE)
    complaint = get_object_or_404(Complaint, pk=complaint_id)
    form = ReplyForm(request.POST, prefix="reply")
    form.is_valid()
    data = getattr(form, "cleaned_data", {})
    try:
        with form_errors(form, lambda: complaint_page(request, complaint_id, reply_form=form)):
            template = template_resolve(data.get("template"))
            reply = reply_with_template(
                complaint=complaint, by=request.user, text=data.get("text", ""), now=clock_now(), template=template
            )
    except InvalidTransition:
        refused = _("This complaint was merged into another one: reply on the primary complaint.")
        return complaint_page(request, complaint_id, reply_form=form, refused=refused, status=409)
    if reply.portal and reply.outbound is not None:
        messages.success(request, _("Reply shown on the customer's tracking page and sent by e-mail to %(to)s.")
                         % {"to": reply.outbound.to})
    elif reply.portal:
        messages.success(request, _("Reply shown on the customer's tracking page (the customer gave no e-mail "
                                    "address)."))
    elif reply.outbound is not None and reply.outbound.channel == "sms":
        messages.success(request, _("Reply sent by SMS to %(to)s.") % {"to": reply.outbound.to})
    elif reply.outbound is not None:
        messages.success(request, _("Reply sent by e-mail to %(to)s.") % {"to": reply.outbound.to})
    elif reply.unsent is not None:
        messages.warning(request, _("Reply recorded. %(reason)s") % {"reason": reply.unsent})
    else:
        messages.warning(
            request,
            _("Reply recorded. kesu cannot send on the %(channel)s channel: pass it on to the customer there.")
            % {"channel": complaint.get_channel_display()},
        )
    return redirect("web:complaint_detail", complaint_id=complaint_id)


@login_required
@require_GET
def template_preview_view(request: HttpRequest, complaint_id: int) -> HttpResponse:
    """The chosen template with the complaint's values filled in (the composer copies it to its text)."""
    permission_require(request.user, Permission.COMPLAINT_HANDLE)
    complaint = complaint_detail(complaint_id=complaint_id)
    if complaint is None:
        return HttpResponse(_("No such complaint."), status=404)
    context = {"complaint": complaint, "text": "", "error": ""}
    try:
        template = template_resolve(request.GET.get("reply-template") or request.GET.get("template"))
        if template is not None:
            now = clock_now()
            clocks = complaint_clocks(complaint, now=now, events=list(complaint.events.all()))
            values = template_values(complaint, by=request.user, now=now, language=template.language,
                                     due_at=resolution_due(clocks))
            context["text"] = template_render(template.body, values)
            context["template"] = template
    except FieldError as error:
        context["error"] = error.message
    return render(request, "web/_desk_preview.html", context, status=422 if context["error"] else 200)


@login_required
@require_POST
def suggestion_feedback_view(request: HttpRequest, complaint_id: int) -> HttpResponse:
    """A "used" / "not helpful" click on a suggestion; answers with the suggestion's buttons (htmx)."""
    permission_require(request.user, Permission.COMPLAINT_HANDLE)
    complaint = get_object_or_404(Complaint, pk=complaint_id)
    kind = request.POST.get("kind", "")
    target = request.POST.get("target", "")
    feedback = suggestion_feedback_record(  # a refused input: 422 with its message (web.errors)
        complaint=complaint, by=request.user, kind=kind, target_id=target,
        verdict=request.POST.get("verdict", ""), now=clock_now(),
    )
    target_id = feedback.article_id or feedback.similar_id
    context = {
        "complaint": complaint, "kind": feedback.kind, "target": target_id, "verdict": feedback.verdict,
        "counts": suggestion_counts(kind=feedback.kind, target_id=target_id), "just_recorded": True,
    }
    if request.headers.get("HX-Request") == "true":
        return render(request, "web/_desk_feedback.html", context)
    messages.success(request, _("Thank you: your feedback was recorded."))
    return redirect("web:complaint_detail", complaint_id=complaint_id)
