"""The incident pages (management layer): list, declare (with the matching count, a sample and
link-all), the incident with its figures and the resolution's progress, updates, resolve, link /
unlink, and the burst suggestions."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kesu.complaints.models import Complaint
from kesu.core.clock import clock_now
from kesu.core.errors import Conflict, FieldError, NotPermitted
from kesu.core.ids import row_id
from kesu.core.roles import Permission
from kesu.incidents.actions import (
    incident_declare,
    incident_link,
    incident_link_confirm,
    incident_monitor,
    incident_resolve,
    incident_update,
    matching_open,
    suggestion_dismiss,
)
from kesu.incidents.forms import DeclareForm, ResolveForm, UpdateForm
from kesu.incidents.models import BurstSuggestion, Incident, State
from kesu.incidents.scope import CompiledScope
from kesu.incidents.selectors import (
    incident_figures,
    incident_get,
    incident_list,
    linked_complaints,
    suggestions_open,
)
from kesu.incidents.suggest import suggestion_scope
from kesu.pipeline.incidents import incident_unlink

SAMPLE = 10


def _forbidden(request: HttpRequest, message: str) -> HttpResponse:
    return render(request, "web/forbidden.html", {"message": message}, status=403)


def _manager(request: HttpRequest) -> bool:
    return request.user.can(Permission.INCIDENT_MANAGE)


@login_required
@require_GET
def incident_list_view(request: HttpRequest) -> HttpResponse:
    if not request.user.can(Permission.COMPLAINT_READ):
        return _forbidden(request, _("You may not see the incidents."))
    rows = [(incident, incident_figures(incident)) for incident in incident_list(state=request.GET.get("state", ""))]
    return render(request, "incidents/incident_list.html", {
        "rows": rows, "state": request.GET.get("state", ""), "states": State.choices,
        "suggestions": len(suggestions_open()) if _manager(request) else 0,
    })


def _preview(form: DeclareForm) -> dict | None:
    """How many open complaints the scope matches now, with a sample (before declaring)."""
    scope = form.scope()
    if not any(scope.values()):
        return None
    data = form.cleaned_data
    starts = data.get("starts_at") or clock_now()
    probe = Incident(pk=0, starts_at=starts, scope=scope)
    try:
        CompiledScope.compile(0, starts, scope)
    except Exception:  # noqa: BLE001 - a scope the declaration would refuse: no preview
        return None
    found = matching_open(probe)
    return {"count": len(found), "sample": found[:SAMPLE]}


@login_required
@require_http_methods(["GET", "POST"])
def incident_declare_view(request: HttpRequest) -> HttpResponse:
    if not _manager(request):
        return _forbidden(request, _("Only the management layer may declare incidents."))
    if request.method == "GET":
        # the start defaults to two hours ago: the first complaints usually came before the declaration
        initial: dict = {"link_matching": True, "starts_at": timezone.localtime(clock_now() - timedelta(hours=2))}
        suggestion_id = request.GET.get("suggestion", "")
        if (pk := row_id(suggestion_id)) is not None:
            suggestion = BurstSuggestion.objects.filter(pk=pk).first()
            if suggestion is not None:
                filled = suggestion_scope(suggestion)
                initial.update({name: "\n".join(values) for name, values in filled["scope"].items()})
                initial.update(title=filled["title"], starts_at=filled["starts_at"], description=filled["description"],
                               suggestion_id=suggestion.pk, kind="outage")
        form = DeclareForm(initial=initial)
        preview = None
        if "suggestion_id" in initial:
            bound = DeclareForm({**{k: v for k, v in initial.items() if v is not None}, "kind": "outage",
                                 "starts_at": initial["starts_at"].strftime("%Y-%m-%dT%H:%M")})
            preview = _preview(bound) if bound.is_valid() else None
        return render(request, "incidents/incident_declare.html", {"form": form, "preview": preview})
    form = DeclareForm(request.POST)
    form.is_valid()
    preview = _preview(form) if form.is_valid() else None
    if request.POST.get("step") == "preview" or not form.is_valid():
        return render(request, "incidents/incident_declare.html", {"form": form, "preview": preview})
    try:
        declared = incident_declare(by=request.user, now=clock_now(), **form.declaration())
    except FieldError as error:
        form.add_domain_error(error)
        return render(request, "incidents/incident_declare.html", {"form": form, "preview": preview}, status=422)
    messages.success(request, _("Incident declared; %(count)s open complaints linked and answered.")
                     % {"count": declared.linked})
    return redirect("incidents:detail", incident_id=declared.incident.pk)


def _incident_or_404(incident_id: int) -> Incident:
    incident = incident_get(incident_id)
    if incident is None:
        raise Http404
    return incident


def _detail_context(request: HttpRequest, incident: Incident, **extra) -> dict:
    return {
        "incident": incident, "figures": incident_figures(incident), "links": linked_complaints(incident),
        "updates": list(incident.updates.order_by("-version")), "manager": _manager(request),
        "events": list(incident.events.select_related("by").order_by("-at", "-id")),
        "update_form": extra.pop("update_form", None) or UpdateForm(initial={
            "announcement_zh": incident.announcement_zh, "announcement_en": incident.announcement_en,
            "expected_recovery_at": incident.expected_recovery_at}),
        "resolve_form": extra.pop("resolve_form", None) or ResolveForm(),
        **extra,
    }


@login_required
@require_GET
def incident_detail_view(request: HttpRequest, incident_id: int) -> HttpResponse:
    if not request.user.can(Permission.COMPLAINT_READ):
        return _forbidden(request, _("You may not see the incidents."))
    incident = _incident_or_404(incident_id)
    return render(request, "incidents/incident_detail.html", _detail_context(request, incident))


@login_required
@require_GET
def incident_progress_view(request: HttpRequest, incident_id: int) -> HttpResponse:
    """The resolution's progress, polled by htmx while the job runs."""
    incident = _incident_or_404(incident_id)
    return render(request, "incidents/_progress.html", {"incident": incident})


def _incident_post(request: HttpRequest, incident: Incident, form, act, *, form_key: str, forbidden: str,
                   done: str) -> HttpResponse:
    """Run one management step on the incident from its page: 403 for other roles, the form again
    with its field errors (422), a refusal as a message, or the page with ``done``."""
    form.is_valid()
    try:
        act(form.cleaned_data)
    except NotPermitted:
        return _forbidden(request, forbidden)
    except FieldError as error:
        form.add_domain_error(error)
        return render(request, "incidents/incident_detail.html",
                      _detail_context(request, incident, **{form_key: form}), status=422)
    except Conflict as error:
        messages.error(request, error.message)
        return redirect("incidents:detail", incident_id=incident.pk)
    messages.success(request, done)
    return redirect("incidents:detail", incident_id=incident.pk)


@login_required
@require_POST
def incident_update_view(request: HttpRequest, incident_id: int) -> HttpResponse:
    incident = _incident_or_404(incident_id)
    return _incident_post(
        request, incident, UpdateForm(request.POST),
        lambda data: incident_update(
            incident=incident, by=request.user, now=clock_now(),
            announcement={"zh-hans": data.get("announcement_zh", ""), "en": data.get("announcement_en", "")},
            expected_recovery_at=data.get("expected_recovery_at")),
        form_key="update_form", forbidden=_("Only the management layer may publish updates."),
        done=_("Update published; the linked customers are being sent it."))


@login_required
@require_POST
def incident_monitor_view(request: HttpRequest, incident_id: int) -> HttpResponse:
    """Recovery reported: the incident moves to monitoring (an event with the note)."""
    incident = _incident_or_404(incident_id)
    try:
        incident_monitor(incident=incident, by=request.user, now=clock_now(), note=request.POST.get("note", ""))
    except NotPermitted:
        return _forbidden(request, _("Only the management layer may move an incident to monitoring."))
    except (FieldError, Conflict) as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Monitoring: new matching complaints are answered and go to a handler."))
    return redirect("incidents:detail", incident_id=incident.pk)


@login_required
@require_POST
def incident_resolve_view(request: HttpRequest, incident_id: int) -> HttpResponse:
    incident = _incident_or_404(incident_id)
    return _incident_post(
        request, incident, ResolveForm(request.POST),
        lambda data: incident_resolve(
            incident=incident, by=request.user, now=clock_now(),
            message={"zh-hans": data.get("message_zh", ""), "en": data.get("message_en", "")},
            root_cause=data.get("root_cause", "")),
        form_key="resolve_form", forbidden=_("Only the management layer may resolve incidents."),
        done=_("Resolved: the linked complaints are being answered and closed."))


@login_required
@require_POST
def incident_withdraw_view(request: HttpRequest, incident_id: int) -> HttpResponse:
    """Withdraw an incident declared by mistake, after the manager ticked the confirmation: the linked
    complaints enter normal handling, nobody is answered, the incident is deleted."""
    from kesu.pipeline.incidents import incident_withdraw

    incident = _incident_or_404(incident_id)
    if not _manager(request):
        return _forbidden(request, _("Only the management layer may withdraw incidents."))
    if request.POST.get("confirm") != "yes":
        messages.error(request, _("Tick the confirmation to withdraw the incident."))
        return redirect("incidents:detail", incident_id=incident.pk)
    try:
        released = incident_withdraw(incident=incident, by=request.user, now=clock_now(),
                                     reason=request.POST.get("reason", ""))
    except (FieldError, Conflict) as error:
        messages.error(request, error.message)
        return redirect("incidents:detail", incident_id=incident.pk)
    messages.success(request, _("“%(title)s” withdrawn: %(count)s complaints are back in normal handling.")
                     % {"title": incident.title, "count": released})
    return redirect("incidents:list")


@login_required
@require_POST
def incident_link_view(request: HttpRequest, incident_id: int) -> HttpResponse:
    incident = _incident_or_404(incident_id)
    ref = request.POST.get("complaint", "").strip()
    complaint = Complaint.objects.filter(number=ref).first() or (
        Complaint.objects.filter(pk=pk).first() if (pk := row_id(ref)) is not None else None)
    try:
        if complaint is None:
            raise FieldError("complaint", "complaint.not_found", value=ref)
        incident_link(incident=incident, complaint=complaint, by=request.user, now=clock_now(),
                      reason=request.POST.get("reason", ""))
    except NotPermitted:
        return _forbidden(request, _("You may not link complaints."))
    except (FieldError, Conflict) as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("%(number)s linked.") % {"number": complaint.number})
    target = request.POST.get("next", "")
    return redirect(target) if target.startswith("/") else redirect("incidents:detail", incident_id=incident.pk)


@login_required
@require_POST
def incident_unlink_view(request: HttpRequest, incident_id: int, complaint_id: int) -> HttpResponse:
    incident = _incident_or_404(incident_id)
    complaint = Complaint.objects.filter(pk=complaint_id).first()
    if complaint is None:
        raise Http404
    try:
        incident_unlink(incident=incident, complaint=complaint, by=request.user, now=clock_now(),
                        reason=request.POST.get("reason", ""))
    except NotPermitted:
        return _forbidden(request, _("You may not unlink complaints."))
    except FieldError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("%(number)s unlinked.") % {"number": complaint.number})
    target = request.POST.get("next", "")
    return redirect(target) if target.startswith("/") else redirect("incidents:detail", incident_id=incident.pk)


@login_required
@require_GET
def suggestion_list_view(request: HttpRequest) -> HttpResponse:
    if not _manager(request):
        return _forbidden(request, _("Only the management layer sees the burst suggestions."))
    return render(request, "incidents/suggestions.html", {"suggestions": suggestions_open()})


@login_required
@require_POST
def suggestion_dismiss_view(request: HttpRequest, suggestion_id: int) -> HttpResponse:
    suggestion = BurstSuggestion.objects.filter(pk=suggestion_id).first()
    if suggestion is None:
        raise Http404
    try:
        suggestion_dismiss(suggestion=suggestion, by=request.user, now=clock_now())
    except NotPermitted:
        return _forbidden(request, _("Only the management layer sees the burst suggestions."))
    except Conflict as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Suggestion dismissed; it will not come back for this window."))
    return redirect("incidents:suggestions")


@login_required
@require_POST
def incident_confirm_view(request: HttpRequest, incident_id: int, complaint_id: int) -> HttpResponse:
    incident = _incident_or_404(incident_id)
    complaint = Complaint.objects.filter(pk=complaint_id).first()
    if complaint is None:
        raise Http404
    try:
        incident_link_confirm(incident=incident, complaint=complaint, by=request.user, now=clock_now())
    except NotPermitted:
        return _forbidden(request, _("You may not link complaints."))
    except FieldError as error:
        messages.error(request, error.message)
    return redirect("web:complaint_detail", complaint_id=complaint.pk)
