"""What follows a customer's survey answer and a follow-up visit: the survey's record, then the
complaint's transition (a dissatisfied answer reopens it; a visit is a ``followed_up`` step), in one
transaction (ADR 0012)."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction

from kesu.complaints.records import complaint_lock
from kesu.core.errors import Conflict, permission_require
from kesu.core.models import User
from kesu.core.roles import Permission
from kesu.pipeline.transitions import complaint_follow_up, complaint_reopen
from kesu.surveys.actions import (
    FINISHED,
    SurveyNotFound,
    answer_validate,
    dissatisfied,
    reopen_reason,
    survey_reopen_notify,
    survey_settings,
    survey_webhook,
    token_digest,
)
from kesu.surveys.models import FollowUpTask, Survey


def survey_answer(*, token: str, satisfaction, nps, solved, comment: str = "", now: datetime) -> Survey:
    """Record the customer's answer (once). A dissatisfied answer reopens the complaint, back to the
    handler who resolved it, in the same transaction, and tells that handler."""
    digest = token_digest(token or "")
    if not Survey.objects.filter(digest=digest).exists():
        raise SurveyNotFound("survey.not_found")
    clean = answer_validate(satisfaction=satisfaction, nps=nps, solved=solved, comment=comment)
    threshold = survey_settings().reopen_at_or_below
    with transaction.atomic():
        # the complaint first, then the survey: the order closing takes them in
        complaint_id = Survey.objects.filter(digest=digest).values_list("complaint_id", flat=True).get()
        complaint = complaint_lock(complaint_id)
        survey = Survey.objects.select_for_update().get(digest=digest)
        if survey.answered_at is not None:
            raise Conflict("survey.answered", at=survey.answered_at.isoformat())
        if survey.superseded_at is not None:
            raise Conflict("survey.superseded")
        survey.answered_at = now
        for name, value in clean.items():
            setattr(survey, name, value)
        if (
            dissatisfied(satisfaction=clean["satisfaction"], solved=clean["solved"], reopen_at_or_below=threshold)
            and complaint.status in FINISHED
            and complaint.reopen_count == survey.cycle
        ):
            reopened = complaint_reopen(complaint=complaint, by=None, now=now, reason=reopen_reason(**{
                k: clean[k] for k in ("satisfaction", "solved", "comment")
            }))
            survey.reopened = True
            survey_reopen_notify(reopened, survey, now)
        survey.save()
        survey_webhook(survey, now)
    return survey



def follow_up_record(*, task: FollowUpTask, by: User | None, outcome: str, text: str = "", now: datetime) -> FollowUpTask:
    """Record the follow-up visit of ``task`` (a ``followed_up`` event, which stops the SLA's follow-up
    clock) and close the task."""
    if by is not None and not by.can(Permission.COMPLAINT_HANDLE):
        permission_require(by, Permission.COMPLAINT_HANDLE)
    with transaction.atomic():
        current = FollowUpTask.objects.select_for_update().select_related("complaint").get(pk=task.pk)
        if current.done_at is not None:
            raise Conflict("follow_up.done", at=current.done_at.isoformat())
        complaint_follow_up(complaint=current.complaint, by=by, now=now, outcome=outcome, text=text)
        current.done_at, current.done_by, current.outcome, current.text = now, by, outcome, (text or "").strip()
        current.save(update_fields=["done_at", "done_by", "outcome", "text"])
    return current

