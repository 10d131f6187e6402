"""Saved views and bulk actions: each view parses, calls one action, and goes back to the list."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kesu.complaints.messages import ACTION_LABELS
from kesu.core.clock import clock_now
from kesu.core.errors import FieldError, permission_require
from kesu.core.roles import Permission
from kesu.queues.actions import BulkOutcome, complaints_bulk, saved_view_create, saved_view_delete, view_query
from kesu.queues.forms import BulkForm, SavedViewForm
from kesu.queues.page import list_context
from kesu.web.errors import form_errors
from kesu.web.forms import ComplaintFilterForm
from kesu.web.pages import LIST_EMOTION_THRESHOLD


def _list_url(query: str = "") -> str:
    url = reverse("web:complaint_list")
    return f"{url}?{query}" if query else url


def _back(request: HttpRequest, fallback: str) -> str:
    """Where the form came from (the list with its query), if that is this site."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return fallback


@login_required
@require_POST
def saved_view_create_view(request: HttpRequest) -> HttpResponse:
    permission_require(request.user, Permission.COMPLAINT_READ)
    form = SavedViewForm(request.POST)
    form.is_valid()
    query = form.cleaned_data.get("query", "")
    with form_errors(form, lambda: _list_again(request, query, form)):
        view = saved_view_create(
            owner=request.user, name=form.cleaned_data.get("name", ""), query=query, now=clock_now()
        )
    messages.success(request, _("Saved view “%(name)s”.") % {"name": view.name})
    return redirect(_list_url(view.query))


def _list_again(request: HttpRequest, query: str, saved_form: SavedViewForm) -> HttpResponse:
    """The list the user was looking at, with the saved-view form and its error (422)."""
    try:
        query = view_query(query)
    except FieldError:
        query = ""
    form = ComplaintFilterForm(QueryDict(query))
    context = list_context(
        user=request.user, filters=form.filters(), queue=form.queue_name(), page=None, now=clock_now(),
        sidebar=True,
    )
    if context["filter_error"] is not None:
        form.add_domain_error(context["filter_error"])
    context.update(
        form=form, saved_form=saved_form, emotion_threshold=LIST_EMOTION_THRESHOLD, list_path=_list_url(query)
    )
    return render(request, "web/complaint_list.html", context, status=422)


@login_required
@require_POST
def saved_view_delete_view(request: HttpRequest, view_id: int) -> HttpResponse:
    if not saved_view_delete(owner=request.user, view_id=view_id):
        raise Http404("No such saved view.")
    messages.success(request, _("Saved view deleted."))
    return redirect(_back(request, _list_url()))


def _field_message(error: FieldError) -> str:
    """A bulk form's error with the field it names ("Assignee: This field is required.")."""
    labels = {"assignee": _("Assignee"), "group": _("Group"), "reason": _("Reason"), "action": _("Bulk action")}
    label = labels.get(error.field, "")
    return f"{label}: {error.message}" if label else error.message


def _outcome_refused(outcome: BulkOutcome) -> str:
    """Why one complaint of a bulk action was refused, in the user's language."""
    error = outcome.error
    reason = _field_message(error) if isinstance(error, FieldError) else str(error)
    return f"{outcome.number}: {reason}"


def _outcomes_done(outcomes: list[BulkOutcome]) -> str:
    """One line for what was done: the action and the complaints' numbers."""
    done = [outcome.number for outcome in outcomes if outcome.ok]
    action = ACTION_LABELS[outcomes[0].action] if outcomes else ""
    return _("%(action)s done for %(count)s: %(numbers)s.") % {
        "action": action, "count": len(done), "numbers": ", ".join(done)
    }


@login_required
@require_POST
def bulk_view(request: HttpRequest) -> HttpResponse:
    permission_require(request.user, Permission.COMPLAINT_HANDLE)
    form = BulkForm(request.POST)
    form.is_valid()
    data = form.cleaned_data
    back = _back(request, _list_url())
    try:
        outcomes = complaints_bulk(
            ids=form.ids_given(), action=data.get("action", ""), by=request.user, now=clock_now(),
            assignee=data.get("assignee", ""), group=data.get("group", ""), reason=data.get("reason", ""),
        )
    except FieldError as error:
        messages.error(request, _field_message(error))
        return redirect(back)
    if any(outcome.ok for outcome in outcomes):
        messages.success(request, _outcomes_done(outcomes))
    refused = [_outcome_refused(outcome) for outcome in outcomes if not outcome.ok]
    if refused:  # one alert, a line per complaint (queues.css keeps the lines)
        header = _("Not done for %(count)s:") % {"count": len(refused)}
        messages.error(request, "\n".join([header, *refused]), extra_tags="bulk-report")
    return redirect(back)
