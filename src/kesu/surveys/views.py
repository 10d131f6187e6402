"""The public survey page (no login: the link's token is the key) and the handlers' follow-up list."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from kesu.core.clock import clock_now
from kesu.core.errors import Conflict, FieldError, InvalidTransition, NotPermitted
from kesu.core.roles import Permission
from kesu.pipeline.aftercare import follow_up_record, survey_answer
from kesu.surveys.forms import FollowUpForm, SurveyForm
from kesu.surveys.selectors import follow_up_tasks_for, survey_for_token


def _survey_or_404(token: str):
    survey = survey_for_token(token)
    if survey is None:
        raise Http404("no survey has this link")
    return survey


def _closed_page(request: HttpRequest, survey, *, status: int = 200) -> HttpResponse:
    return render(request, "surveys/answered.html", {"survey": survey}, status=status)


@never_cache
@require_http_methods(["GET", "POST"])
def survey_answer_view(request: HttpRequest, token: str) -> HttpResponse:
    survey = _survey_or_404(token)
    if survey.answered_at is not None or survey.superseded_at is not None:
        return _closed_page(request, survey, status=200 if request.method == "GET" else 409)
    form = SurveyForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            survey_answer(token=token, now=clock_now(), **form.cleaned_data)
        except Conflict:
            return _closed_page(request, _survey_or_404(token), status=409)
        except FieldError as error:
            for field, message in error.errors:
                form.add_error(field if field in form.fields else None, message)
        else:
            return redirect("surveys:thanks", token=token)
    status = 422 if request.method == "POST" else 200
    return render(request, "surveys/answer.html", {"form": form, "survey": survey}, status=status)


@never_cache
def survey_thanks_view(request: HttpRequest, token: str) -> HttpResponse:
    survey = _survey_or_404(token)
    if survey.answered_at is None:
        return redirect("surveys:answer", token=token)
    return render(request, "surveys/thanks.html", {"survey": survey})


@login_required
def follow_up_list_view(request: HttpRequest) -> HttpResponse:
    if not request.user.can(Permission.COMPLAINT_HANDLE):
        return render(request, "web/forbidden.html", status=403)
    tasks = list(follow_up_tasks_for(user=request.user)[:200])
    return render(request, "surveys/follow_ups.html", {"tasks": tasks, "form": FollowUpForm()})


@login_required
@require_POST
def follow_up_record_view(request: HttpRequest, task_id: int) -> HttpResponse:
    task = follow_up_tasks_for(user=request.user).filter(pk=task_id).first()
    if task is None:
        raise Http404("no open follow-up task of yours has this id")
    form = FollowUpForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the outcome of the follow-up visit."))
        return redirect("surveys:follow_ups")
    try:
        follow_up_record(task=task, by=request.user, now=clock_now(), **form.cleaned_data)
    except (FieldError, Conflict, InvalidTransition, NotPermitted) as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Follow-up of %(number)s recorded.") % {"number": task.complaint.number})
    return redirect("surveys:follow_ups")
