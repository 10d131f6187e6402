"""The compensation pages: propose on a complaint, the approval queue, decisions, withdrawal and the
matrix. Each view parses, calls one action or selector, and renders."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kesu.compensation.actions import proposal_create, proposal_decide, proposal_withdraw
from kesu.compensation.authority import APPROVER_ORDER
from kesu.compensation.forms import DecisionForm, ProposalForm, RuleForm, WithdrawForm
from kesu.compensation.messages import yuan
from kesu.compensation.models import CompensationRule, Proposal
from kesu.compensation.panel import compensation_context
from kesu.compensation.selectors import approval_queue, limits_map, user_authority
from kesu.complaints.models import Complaint
from kesu.core.clock import clock_now
from kesu.core.errors import Conflict, NotPermitted, permission_require
from kesu.core.roles import Permission, Role
from kesu.web.errors import form_errors
from kesu.web.responses import forbidden, htmx_partial

MATRIX_EDITORS = (Role.MANAGER, Role.ADMIN)


def _complaint_url(complaint_id: int) -> str:
    return reverse("web:complaint_detail", args=[complaint_id])


def _panel(request: HttpRequest, complaint: Complaint, *, form: ProposalForm, status: int) -> HttpResponse:
    """The panel again with the form's errors: alone for htmx, else on a page of its own."""
    context = {"complaint": complaint, **compensation_context(request.user, complaint, form=form)}
    template = "compensation/_panel.html" if htmx_partial(request) else "compensation/propose.html"
    return render(request, template, context, status=status)


@login_required
@require_POST
def propose_view(request: HttpRequest, complaint_id: int) -> HttpResponse:
    permission_require(request.user, Permission.COMPLAINT_HANDLE)
    complaint = get_object_or_404(Complaint, pk=complaint_id)
    form = ProposalForm(request.POST)
    form.is_valid()
    data = form.cleaned_data
    with form_errors(form, lambda: _panel(request, complaint, form=form, status=422)):
        proposal = proposal_create(complaint=complaint, by=request.user, amount=data.get("amount", ""),
                                   remedy=data.get("remedy", ""), reason=data.get("reason", ""), now=clock_now())
    if proposal.status == "pending":
        messages.warning(request, _("Compensation of %(amount)s yuan proposed; it exceeds your authority and awaits approval.")
                         % {"amount": yuan(proposal.amount)})
    else:
        messages.success(request, _("Compensation of %(amount)s yuan approved within your authority.")
                         % {"amount": yuan(proposal.amount)})
    return _back(request, _complaint_url(complaint.pk))


def _back(request: HttpRequest, url: str) -> HttpResponse:
    """After a change: htmx reloads the page there (the timeline changed too), a form post redirects."""
    if htmx_partial(request):
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return redirect(url)


def _next_url(request: HttpRequest, fallback: str) -> str:
    url = request.POST.get("next", "")
    if url and url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()},
                                                require_https=request.is_secure()):
        return url
    return fallback


def _queue_context(request: HttpRequest) -> dict:
    authority = user_authority(request.user, limits_map())
    return {"proposals": approval_queue(request.user, authority=authority), "authority": authority}


@login_required
@require_GET
def approvals_view(request: HttpRequest) -> HttpResponse:
    permission_require(request.user, Permission.COMPLAINT_READ)
    return render(request, "compensation/approvals.html", _queue_context(request))


@login_required
@require_POST
def decide_view(request: HttpRequest, proposal_id: int) -> HttpResponse:
    proposal = get_object_or_404(Proposal.objects.select_related("complaint", "proposed_by"), pk=proposal_id)
    approve = request.POST.get("decision") == "approve"
    form = DecisionForm(request.POST, prefix=f"p{proposal.pk}")
    form.is_valid()
    back = _next_url(request, reverse("compensation:approvals"))
    try:
        with form_errors(form, lambda: _refused(request, proposal, form, back, 422)):
            proposal_decide(proposal=proposal, by=request.user, approve=approve,
                            reason=form.cleaned_data.get("reason", ""), now=clock_now())
    except NotPermitted as error:
        form.add_refusal(str(error))
        return _refused(request, proposal, form, back, 403)
    except Conflict as error:
        form.add_refusal(str(error))
        return _refused(request, proposal, form, back, 409)
    if htmx_partial(request):  # the row says what happened; no message left for the next page
        proposal.refresh_from_db()
        return render(request, "compensation/_approval_row.html", {"proposal": proposal, "done": True})
    values = {"amount": yuan(proposal.amount), "number": proposal.complaint.number}
    if approve:
        messages.success(request, _("%(number)s: compensation of %(amount)s yuan approved.") % values)
    else:
        messages.success(request, _("%(number)s: compensation of %(amount)s yuan rejected.") % values)
    return redirect(back)


def _refused(request, proposal: Proposal, form: DecisionForm, back: str, status: int) -> HttpResponse:
    if htmx_partial(request):
        return render(request, "compensation/_approval_row.html", {"proposal": proposal, "form": form},
                      status=status)
    for error in [*form.non_field_errors(), *form.errors.get("reason", [])]:
        messages.error(request, f"{proposal.complaint.number}: {error}")
    return redirect(back)


@login_required
@require_POST
def withdraw_view(request: HttpRequest, proposal_id: int) -> HttpResponse:
    proposal = get_object_or_404(Proposal, pk=proposal_id)
    form = WithdrawForm(request.POST)
    form.is_valid()
    try:
        proposal_withdraw(proposal=proposal, by=request.user, reason=form.cleaned_data.get("reason", ""),
                          now=clock_now())
    except (NotPermitted, Conflict) as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Compensation proposal withdrawn."))
    return redirect(_complaint_url(proposal.complaint_id))


def _may_edit_matrix(user) -> bool:
    return user.is_active and (user.is_superuser or user.role in MATRIX_EDITORS)


@login_required
@require_GET
def matrix_view(request: HttpRequest) -> HttpResponse:
    permission_require(request.user, Permission.COMPLAINT_READ)
    rules = CompensationRule.objects.select_related("category", "category__parent").order_by("position", "id")
    limits = limits_map()
    ordered = {key: limits[key] for key in APPROVER_ORDER if key in limits}
    ordered.update({key: value for key, value in limits.items() if key not in ordered})
    return render(request, "compensation/matrix.html", {
        "rules": rules, "limits": ordered, "may_edit": _may_edit_matrix(request.user),
    })


@login_required
@require_http_methods(["GET", "POST"])
def rule_edit_view(request: HttpRequest, rule_id: int | None = None) -> HttpResponse:
    if not _may_edit_matrix(request.user):
        return forbidden(request, _("Only the management layer may edit the compensation matrix."))
    rule = get_object_or_404(CompensationRule, pk=rule_id) if rule_id else CompensationRule()
    if request.method == "POST":
        form = RuleForm(request.POST, instance=rule)
        if form.is_valid():
            form.save()
            messages.success(request, _("Compensation matrix saved."))
            return redirect("compensation:matrix")
        status = 422
    else:
        form = RuleForm(instance=rule)
        status = 200
    return render(request, "compensation/rule_form.html", {"form": form, "rule": rule}, status=status)
