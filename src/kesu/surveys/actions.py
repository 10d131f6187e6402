"""The writers of surveys and follow-up visits.

On closing (``aftercare_start``, called by ``complaint_close`` inside its transaction): a survey for
this closing, sent by e-mail for e-mail complaints (a ``reply_sent`` event; the SMTP send is a job
after the commit) and always answerable on the tracking page; and, for the sampled share of
closings, a follow-up task for the handler who resolved the complaint.

An answer is accepted once. "Not solved", or a satisfaction at or below the configured score,
reopens the complaint in the same transaction, back to the handler who resolved it, who is told.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from kesu.channels.webhooks_out import webhook_emit
from kesu.complaints.models import Channel, Complaint, ComplaintEvent, Status
from kesu.complaints.records import complaint_lock
from kesu.core.errors import DomainError, FieldError, FieldErrors
from kesu.core.messages import Message, given
from kesu.notifications.actions import notify
from kesu.surveys.models import FollowUpTask, Survey, SurveySettings

logger = logging.getLogger(__name__)

MAX_COMMENT = 2000
REMIND_CHUNK = 200
FINISHED = (Status.RESOLVED, Status.CLOSED)
LINK_PLACEHOLDER = "[survey link]"  # in the stored invitation; the e-mail sent carries the link itself


class SurveyNotFound(DomainError):
    """No survey has this link (API and page: 404)."""


def survey_settings() -> SurveySettings:
    return SurveySettings.objects.get_or_create(pk=1)[0]


# ---- tokens -----------------------------------------------------------------------------------


def survey_token(salt: str) -> str:
    """The link's secret: an HMAC of the survey's random salt with SECRET_KEY. Neither the token nor
    anything that yields it without the secret key is stored; rotating the key retires old links."""
    return salted_hmac("kesu.surveys.token", salt, algorithm="sha256").hexdigest()[:40]


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def survey_path(survey: Survey) -> str:
    return reverse("surveys:answer", args=[survey_token(survey.salt)])


def survey_link(survey: Survey, settings_row: SurveySettings | None = None) -> str:
    base = (settings_row or survey_settings()).public_url.rstrip("/")
    return base + survey_path(survey)


def survey_text(survey: Survey, text: str) -> str:
    """``text`` with the survey's real link in place of its placeholder: done only when the e-mail is
    built, so that the link is never stored where staff can read it."""
    return text.replace(LINK_PLACEHOLDER, survey_link(survey))


# ---- sending ----------------------------------------------------------------------------------


def follow_up_sampled(number: str, percent: int) -> bool:
    """Whether the complaint ``number`` is in the ``percent`` % sample: decided by a hash of the number,
    so the same complaint is always in or out and about ``percent`` % of numbers are in."""
    if percent >= 100:
        return True
    return int(hashlib.sha256(number.encode()).hexdigest()[:8], 16) % 100 < percent


def _invitation(complaint: Complaint, *, reminder: bool, link: str = LINK_PLACEHOLDER) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        if reminder:
            opening = _("A reminder: we would still like to hear how we handled your complaint %(number)s.")
        else:
            opening = _("Your complaint %(number)s has been closed. How did we do?")
        return "\n\n".join([
            opening % {"number": complaint.number},
            _("Please answer four short questions (satisfaction, recommendation, whether your problem was "
              "solved, and a comment): %(link)s") % {"link": link},
            _("If your problem is not solved, say so in the survey and we will take your complaint up again."),
        ])


def _email_send(complaint: Complaint, survey: Survey, text: str, now: datetime) -> str:
    """Send ``text`` (with the link placeholder) to the customer of an e-mail complaint; return the
    address, or "" when there is none."""
    from kesu.channels.replies import complaint_reply_send

    if complaint.channel != Channel.EMAIL:
        return ""
    try:
        with transaction.atomic():
            reply = complaint_reply_send(complaint=complaint, by=None, text=text, now=now, survey=survey)
    except FieldError as error:  # no address to write to: the survey stays on the tracking page
        logger.info("survey of %s not e-mailed: %s", complaint.number, error)
        return ""
    return reply.outbound.to if reply.outbound is not None else ""


def survey_send(*, complaint: Complaint, now: datetime) -> Survey:
    """Create the survey of this closing of ``complaint`` and send its link on the complaint's channel
    (e-mail; on the other channels the link is on the tracking page). An unanswered survey of an
    earlier closing is retired. Calling it again for the same closing returns the same survey."""
    with transaction.atomic():
        current = complaint_lock(complaint)
        existing = Survey.objects.filter(complaint=current, cycle=current.reopen_count).first()
        if existing is not None:
            return existing
        Survey.objects.filter(complaint=current, answered_at__isnull=True, superseded_at__isnull=True).update(
            superseded_at=now
        )
        salt = secrets.token_hex(16)
        survey = Survey(
            complaint=current, cycle=current.reopen_count, salt=salt, digest=token_digest(survey_token(salt)),
            channel="link", sent_at=now,
        )
        survey.save()
        to = _email_send(current, survey, _invitation(current, reminder=False), now)
        if to:
            survey.channel, survey.sent_to = Channel.EMAIL, to
            survey.save(update_fields=["channel", "sent_to"])
    return survey


def _follow_up_due(complaint: Complaint) -> datetime | None:
    for clock in (complaint.sla or {}).get("clocks", []):
        if clock.get("clock") == "follow_up" and not clock.get("stopped_at") and clock.get("due_at"):
            return datetime.fromisoformat(clock["due_at"])
    return None


def follow_up_task_create(*, complaint: Complaint, now: datetime) -> FollowUpTask | None:
    """A follow-up task for this closing of ``complaint``, if it is in the configured sample; due
    when the SLA's follow-up clock is, for the handler who resolved the complaint."""
    if not follow_up_sampled(complaint.number, survey_settings().follow_up_sample_percent):
        return None
    complaint.refresh_from_db(fields=["sla", "reopen_count", "last_handler"])
    task, _created = FollowUpTask.objects.get_or_create(
        complaint=complaint, cycle=complaint.reopen_count,
        defaults={"assignee": complaint.last_handler, "created_at": now, "due_at": _follow_up_due(complaint)},
    )
    return task


def aftercare_start(*, complaint: Complaint, now: datetime) -> tuple[Survey, FollowUpTask | None]:
    """What closing a complaint starts: its survey and (sampled) its follow-up visit. Runs inside the
    closing's transaction, so a closed complaint always has both (the e-mail itself goes after the commit)."""
    with transaction.atomic():
        return survey_send(complaint=complaint, now=now), follow_up_task_create(complaint=complaint, now=now)


def aftercare_start_many(*, complaints: list[Complaint], now: datetime) -> list[ComplaintEvent]:
    """``aftercare_start`` for many complaints just closed together (locked by the caller, their SLA
    refreshed): the surveys and the sampled follow-up tasks in one INSERT each, the e-mail invitations
    prepared together. Returns the invitations' ``reply_sent`` events, unsaved (the caller saves them
    with its own). A complaint that has this closing's survey already is left alone (idempotent)."""
    from kesu.channels.replies import replies_outbound_write, replies_prepare

    ids = [c.pk for c in complaints]
    existing = set(Survey.objects.filter(complaint_id__in=ids).values_list("complaint_id", "cycle"))
    todo = [c for c in complaints if (c.pk, c.reopen_count) not in existing]
    if not todo:
        return []
    Survey.objects.filter(complaint_id__in=[c.pk for c in todo], answered_at__isnull=True,
                          superseded_at__isnull=True).update(superseded_at=now)
    surveys = {}
    for complaint in todo:
        salt = secrets.token_hex(16)
        surveys[complaint.pk] = Survey(complaint=complaint, cycle=complaint.reopen_count, salt=salt,
                                       digest=token_digest(survey_token(salt)), channel="link", sent_at=now)
    Survey.objects.bulk_create(surveys.values())
    mailed = [c for c in todo if c.channel == Channel.EMAIL]
    drafts = replies_prepare(mailed, text_of=lambda c: _invitation(c, reminder=False), now=now, surveys=surveys)
    drafts = [d for d in drafts if d is not None]
    replies_outbound_write(drafts)
    emailed = []
    for draft in drafts:
        survey = surveys[draft.event.complaint.pk]
        survey.channel, survey.sent_to = Channel.EMAIL, draft.outbound.to if draft.outbound else ""
        emailed.append(survey)
    if emailed:
        Survey.objects.bulk_update(emailed, ["channel", "sent_to"])
    percent = survey_settings().follow_up_sample_percent
    sampled = [c for c in todo if follow_up_sampled(c.number, percent)]
    have = set(FollowUpTask.objects.filter(complaint_id__in=[c.pk for c in sampled])
               .values_list("complaint_id", "cycle"))
    FollowUpTask.objects.bulk_create([
        FollowUpTask(complaint=c, cycle=c.reopen_count, assignee_id=c.last_handler_id, created_at=now,
                     due_at=_follow_up_due(c))
        for c in sampled if (c.pk, c.reopen_count) not in have
    ])
    return [d.event for d in drafts]


# ---- answering --------------------------------------------------------------------------------


def _whole(field: str, value, low: int, high: int, errors: list[FieldError], *, required: bool = True):
    if value is None or value == "":
        if required:
            errors.append(FieldError(field, "field.required"))
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        try:
            value = int(str(value).strip())
        except ValueError:
            errors.append(FieldError(field, "field.out_of_range", low=low, high=high, got=given(value)))
            return None
    if not low <= value <= high:
        errors.append(FieldError(field, "field.out_of_range", low=low, high=high, got=value))
        return None
    return value


def answer_validate(*, satisfaction, nps, solved, comment: str) -> dict:
    """Check an answer; return it cleaned. Raises FieldErrors naming every bad field."""
    errors: list[FieldError] = []
    clean = {
        "satisfaction": _whole("satisfaction", satisfaction, 1, 5, errors),
        "nps": _whole("nps", nps, 0, 10, errors, required=False),
        "solved": solved,
        "comment": (comment or "").strip(),
    }
    if not isinstance(solved, bool):
        errors.append(FieldError("solved", "survey.solved_missing"))
    if len(clean["comment"]) > MAX_COMMENT:
        errors.append(FieldError("comment", "field.too_long", limit=MAX_COMMENT, got=len(clean["comment"])))
    if "\x00" in clean["comment"]:
        errors.append(FieldError("comment", "field.nul"))
    if errors:
        raise FieldErrors(errors)
    return clean


def dissatisfied(*, satisfaction: int, solved: bool, reopen_at_or_below: int) -> bool:
    return not solved or satisfaction <= reopen_at_or_below


def reopen_reason(*, satisfaction: int, solved: bool, comment: str) -> str:
    reason = f"customer survey: satisfaction {satisfaction}/5, problem {'solved' if solved else 'not solved'}"
    if comment:
        reason += f"; comment: {comment[:300]}"
    return reason


def survey_reopen_notify(complaint: Complaint, survey: Survey, now: datetime) -> None:
    recipient = complaint.assignee
    if recipient is None:
        return
    notify(
        recipients=[recipient], kind="survey_reopened",
        title=Message("notice.survey_reopened", number=complaint.number),
        body=Message("notice.survey_reopened_body", score=survey.satisfaction,
                     solved=Message("word.yes" if survey.solved else "word.no"), comment=survey.comment[:500]),
        key=f"survey_reopened:{survey.pk}", now=now, complaint=complaint,
    )


def survey_webhook(survey: Survey, now: datetime) -> None:
    webhook_emit(
        event_type="survey.answered", complaint=survey.complaint, now=now,
        payload={
            "satisfaction": survey.satisfaction, "nps": survey.nps, "solved": survey.solved,
            "comment": survey.comment, "reopened": survey.reopened, "answered_at": survey.answered_at.isoformat(),
        },
    )


# ---- reminders --------------------------------------------------------------------------------


def surveys_remind_due(*, now: datetime, limit: int = REMIND_CHUNK) -> int:
    """Send the one reminder of each e-mailed survey unanswered ``reminder_after_hours`` after it was
    sent (while the complaint stays closed). Idempotent: a survey is marked reminded by a conditional
    update in the reminder's transaction. Returns how many were sent."""
    row = survey_settings()
    cutoff = now - timedelta(hours=row.reminder_after_hours)
    due = list(
        Survey.objects.filter(
            channel=Channel.EMAIL, answered_at__isnull=True, superseded_at__isnull=True, reminded_at__isnull=True,
            sent_at__lte=cutoff, complaint__status__in=FINISHED,
        ).order_by("sent_at", "pk").values_list("pk", flat=True)[:limit]
    )
    sent = 0
    for survey_id in due:
        with transaction.atomic():
            if not Survey.objects.filter(pk=survey_id, reminded_at__isnull=True, answered_at__isnull=True) \
                    .update(reminded_at=now):
                continue
            survey = Survey.objects.select_related("complaint").get(pk=survey_id)
            if _email_send(survey.complaint, survey, _invitation(survey.complaint, reminder=True), now):
                sent += 1
    return sent
