"""Surveys on real complaints: closing sends one, the customer answers once, a dissatisfied answer
reopens the complaint to the handler who resolved it; one reminder; follow-up visits and the metrics."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import translation

from kesu.channels.models import OutboundMessage
from kesu.complaints.models import Complaint, EventKind
from kesu.core.errors import Conflict, FieldError, FieldErrors, InvalidTransition
from kesu.core.roles import Role
from kesu.notifications.models import Notification
from kesu.pipeline import transitions as actions
from kesu.pipeline.aftercare import follow_up_record, survey_answer
from kesu.portal.actions import tracking_link_create
from kesu.sla.selectors import complaint_clocks
from kesu.surveys.actions import (
    SurveyNotFound,
    follow_up_sampled,
    survey_settings,
    survey_token,
    surveys_remind_due,
)
from kesu.surveys.models import FollowUpTask, Survey
from kesu.surveys.selectors import follow_up_coverage, follow_up_tasks_for, satisfaction_summary, survey_url
from tests.factories import T0, make_user
from tests.surveys.conftest import CLOSED_AT, CUSTOMER_EMAIL, closed

pytestmark = pytest.mark.django_db

ANSWERED_AT = CLOSED_AT + timedelta(hours=3)


def token_of(complaint) -> str:
    return survey_url(complaint).strip("/").split("/")[-1]


def answer(complaint, *, at=ANSWERED_AT, **fields):
    fields = {"satisfaction": 5, "nps": 9, "solved": True, "comment": "", **fields}
    return survey_answer(token=token_of(complaint), now=at, **fields)


# ---- sending --------------------------------------------------------------------------------------


def test_closing_an_email_complaint_mails_the_survey_link_to_the_customer(
    handler, smtp, jobs_run_in_process, django_capture_on_commit_callbacks
):
    # when an e-mail complaint is closed
    with django_capture_on_commit_callbacks(execute=True):
        complaint = closed(handler, channel="email")

    # then the customer receives an e-mail with the survey link, recorded on the timeline as a reply
    survey = Survey.objects.get(complaint=complaint)
    assert (survey.channel, survey.sent_to, survey.sent_at) == ("email", CUSTOMER_EMAIL, CLOSED_AT)
    [message] = smtp.messages
    assert message["To"] == CUSTOMER_EMAIL
    assert complaint.number in message["Subject"]
    body = message.get_body(preferencelist=("plain",)).get_content()
    [link] = re.findall(r"https?://\S+/survey/([0-9a-f]+)/", body)
    assert link == token_of(complaint)
    reply = complaint.events.get(kind=EventKind.REPLY_SENT)
    assert reply.data["sent"] is True and "[survey link]" in reply.data["text"]


def test_the_survey_link_is_only_in_the_mail_sent_never_where_staff_can_read_it(
    handler, smtp, jobs_run_in_process, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        complaint = closed(handler, channel="email")
    with django_capture_on_commit_callbacks(execute=True):
        surveys_remind_due(now=CLOSED_AT + timedelta(hours=48))

    token = token_of(complaint)
    # the customer got the link, twice (invitation and reminder)
    assert [token in m.get_body(preferencelist=("plain",)).get_content() for m in smtp.messages] == [True, True]
    # the timeline and the stored messages (what staff see, in the app and the API) hold a placeholder
    replies = complaint.events.filter(kind=EventKind.REPLY_SENT)
    assert replies.count() == 2
    for event in replies:
        assert token not in str(event.data) and "[survey link]" in event.data["text"]
    for outbound in OutboundMessage.objects.filter(complaint=complaint):
        assert token not in outbound.body and "[survey link]" in outbound.body


def test_closing_a_phone_complaint_only_puts_the_link_on_the_tracking_page(handler, smtp):
    complaint = closed(handler, channel="phone")

    survey = Survey.objects.get(complaint=complaint)
    assert survey.channel == "link"
    assert survey_url(complaint) == f"/survey/{survey_token(survey.salt)}/"
    assert not complaint.events.filter(kind=EventKind.REPLY_SENT).exists()
    assert smtp.messages == []


def test_the_token_is_not_stored(handler):
    complaint = closed(handler)
    token = token_of(complaint)
    survey = Survey.objects.get()
    stored = " ".join(str(value) for value in Survey.objects.values().get().values())
    assert token not in stored and len(token) >= 32
    assert survey.digest != token


# ---- answering ------------------------------------------------------------------------------------


def test_a_satisfied_answer_is_recorded_and_the_complaint_stays_closed(handler):
    complaint = closed(handler)

    survey = answer(complaint, satisfaction=4, nps=10, solved=True, comment="  处理很快，谢谢 ")

    survey.refresh_from_db()
    assert (survey.satisfaction, survey.nps, survey.solved, survey.comment) == (4, 10, True, "处理很快，谢谢")
    assert survey.answered_at == ANSWERED_AT and not survey.reopened
    complaint.refresh_from_db()
    assert (complaint.status, complaint.reopen_count) == ("closed", 0)


def test_a_second_answer_is_refused(handler):
    complaint = closed(handler)
    answer(complaint, satisfaction=5)

    with pytest.raises(Conflict, match="此调查已于"):
        answer(complaint, satisfaction=1, solved=False, at=ANSWERED_AT + timedelta(minutes=1))

    survey = Survey.objects.get()
    assert (survey.satisfaction, survey.solved) == (5, True)
    complaint.refresh_from_db()
    assert complaint.status == "closed"


def test_bad_answers_name_each_field(handler):
    complaint = closed(handler)

    with pytest.raises(FieldErrors) as caught:
        answer(complaint, satisfaction=6, nps=11, solved=None, comment="x" * 2001)

    assert {field for field, _message in caught.value.errors} == {"satisfaction", "nps", "solved", "comment"}
    satisfaction = next(e for e in caught.value.field_errors if e.field == "satisfaction")
    assert (satisfaction.code, satisfaction.params) == ("field.out_of_range", {"low": 1, "high": 5, "got": 6})
    assert Survey.objects.get().answered_at is None


def test_an_unknown_token_is_not_found(handler):
    closed(handler)
    with pytest.raises(SurveyNotFound):
        survey_answer(token="0" * 40, satisfaction=5, nps=None, solved=True, now=ANSWERED_AT)


# ---- reopening --------------------------------------------------------------------------------------


def reopened_event(complaint):
    return complaint.events.get(kind=EventKind.REOPENED)


def test_not_solved_reopens_the_complaint_to_the_handler_who_resolved_it(group, handler):
    # given a complaint resolved by handler1, then closed; another handler holds the group meanwhile
    make_user(Role.HANDLER, "handler2", groups=[group])
    complaint = closed(handler)

    # when the customer says the problem is not solved (with a good score)
    survey = answer(complaint, satisfaction=4, solved=False, comment="还是没收到退款")

    # then it is reopened, back with handler1, counted, and the event says why
    complaint.refresh_from_db()
    assert (complaint.status, complaint.assignee, complaint.last_handler) == ("assigned", handler, handler)
    assert complaint.reopen_count == 1
    event = reopened_event(complaint)
    assert event.actor is None and event.at == ANSWERED_AT
    assert event.data["reason"] == "customer survey: satisfaction 4/5, problem not solved; comment: 还是没收到退款"
    assert survey.reopened
    # and handler1 is told
    notice = Notification.objects.get(kind="survey_reopened")
    assert notice.recipient == handler and notice.complaint == complaint


def test_the_reopen_notice_is_in_the_desks_language_not_the_customers(handler, settings):
    settings.LANGUAGE_CODE = "zh-hans"
    complaint = closed(handler)

    with translation.override("en"):  # the customer answers the survey page in English
        answer(complaint, satisfaction=1, solved=False)

    notice = Notification.objects.get(kind="survey_reopened")
    assert notice.title == f"{complaint.number} 已重新打开：客户不满意"


def test_a_score_of_two_reopens_even_when_solved(handler):
    complaint = closed(handler)

    answer(complaint, satisfaction=2, solved=True)

    complaint.refresh_from_db()
    assert (complaint.status, complaint.assignee, complaint.reopen_count) == ("assigned", handler, 1)
    assert "satisfaction 2/5, problem solved" in reopened_event(complaint).data["reason"]


def test_a_score_of_three_and_solved_does_not_reopen(handler):
    complaint = closed(handler)

    answer(complaint, satisfaction=3, solved=True)

    complaint.refresh_from_db()
    assert (complaint.status, complaint.reopen_count) == ("closed", 0)
    assert not complaint.events.filter(kind=EventKind.REOPENED).exists()


def test_the_reopen_threshold_is_configurable(handler):
    row = survey_settings()
    row.reopen_at_or_below = 3
    row.save()
    complaint = closed(handler)

    answer(complaint, satisfaction=3, solved=True)

    complaint.refresh_from_db()
    assert (complaint.status, complaint.reopen_count) == ("assigned", 1)


def test_a_complaint_reopened_meanwhile_is_not_reopened_twice(handler):
    complaint = closed(handler)
    actions.complaint_reopen(complaint=complaint, by=handler, now=CLOSED_AT + timedelta(hours=1), reason="客户来电")

    answer(complaint, satisfaction=1, solved=False)

    complaint.refresh_from_db()
    assert complaint.reopen_count == 1
    assert Survey.objects.get().answered_at == ANSWERED_AT


def test_closing_again_sends_a_new_survey_and_retires_the_unanswered_one(handler):
    complaint = closed(handler)
    first = token_of(complaint)
    actions.complaint_reopen(complaint=complaint, by=handler, now=CLOSED_AT + timedelta(hours=1), reason="客户来电")
    actions.complaint_start(complaint=complaint, by=handler, now=CLOSED_AT + timedelta(hours=2))
    actions.complaint_resolve(complaint=complaint, by=handler, now=CLOSED_AT + timedelta(hours=3), resolution="补发")
    actions.complaint_close(complaint=complaint, by=handler, now=CLOSED_AT + timedelta(hours=4))

    assert token_of(complaint) != first
    with pytest.raises(Conflict, match="已被新的调查取代"):
        survey_answer(token=first, satisfaction=1, nps=None, solved=False, now=CLOSED_AT + timedelta(hours=5))
    assert Survey.objects.filter(complaint=complaint).count() == 2


# ---- reminder --------------------------------------------------------------------------------------


def test_one_reminder_after_the_configured_hours(handler, smtp, jobs_run_in_process,
                                                  django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        complaint = closed(handler, channel="email")
        phone = closed(handler, channel="phone")
    assert len(smtp.messages) == 1

    # not before 48 hours
    with django_capture_on_commit_callbacks(execute=True):
        assert surveys_remind_due(now=CLOSED_AT + timedelta(hours=47, minutes=59)) == 0
    # at 48 hours: one reminder, by e-mail (a phone complaint's survey has nobody to remind)
    with django_capture_on_commit_callbacks(execute=True):
        assert surveys_remind_due(now=CLOSED_AT + timedelta(hours=48)) == 1
    # and never again
    with django_capture_on_commit_callbacks(execute=True):
        assert surveys_remind_due(now=CLOSED_AT + timedelta(days=10)) == 0

    assert len(smtp.messages) == 2
    body = smtp.messages[1].get_body(preferencelist=("plain",)).get_content()
    assert token_of(complaint) in body
    assert Survey.objects.get(complaint=complaint).reminded_at == CLOSED_AT + timedelta(hours=48)
    assert Survey.objects.get(complaint=phone).reminded_at is None


def test_an_answered_survey_gets_no_reminder_and_the_delay_is_configurable(handler):
    row = survey_settings()
    row.reminder_after_hours = 2
    row.save()
    answered = closed(handler, channel="email")
    waiting = closed(handler, channel="email")
    answer(answered, satisfaction=5)

    assert surveys_remind_due(now=CLOSED_AT + timedelta(hours=2)) == 1
    assert Survey.objects.get(complaint=answered).reminded_at is None
    assert Survey.objects.get(complaint=waiting).reminded_at is not None


# ---- follow-up visits --------------------------------------------------------------------------------


def test_each_closing_gets_a_follow_up_task_due_on_the_sla_follow_up_clock(handler):
    complaint = closed(handler)

    task = FollowUpTask.objects.get(complaint=complaint)
    clocks = {c["clock"]: c for c in complaint_clocks(complaint, now=CLOSED_AT)["clocks"]}
    assert task.assignee == handler
    assert task.due_at == clocks["follow_up"]["due_at"] is not None
    assert list(follow_up_tasks_for(user=handler)) == [task]


def test_recording_the_follow_up_meets_the_sla_clock_and_closes_the_task(handler):
    complaint = closed(handler)
    task = FollowUpTask.objects.get()
    visited = CLOSED_AT + timedelta(hours=4)

    follow_up_record(task=task, by=handler, outcome="satisfied", text="电话回访，客户满意", now=visited)

    task.refresh_from_db()
    assert (task.done_at, task.done_by, task.outcome) == (visited, handler, "satisfied")
    event = complaint.events.get(kind=EventKind.FOLLOWED_UP)
    assert event.data == {"outcome": "satisfied", "text": "电话回访，客户满意"}
    clocks = {c["clock"]: c for c in complaint_clocks(Complaint.objects.get(), now=visited)["clocks"]}
    assert clocks["follow_up"]["stopped_at"] == visited and clocks["follow_up"]["state"] == "met"
    assert list(follow_up_tasks_for(user=handler)) == []
    with pytest.raises(Conflict, match="此回访已于"):
        follow_up_record(task=task, by=handler, outcome="satisfied", now=visited)


def test_a_bad_outcome_is_named_and_nothing_is_recorded(handler):
    closed(handler)
    task = FollowUpTask.objects.get()
    with pytest.raises(FieldError, match="outcome"):
        follow_up_record(task=task, by=handler, outcome="happy", now=CLOSED_AT)
    task.refresh_from_db()
    assert task.done_at is None


def test_a_reopened_complaint_has_no_open_follow_up_task(handler):
    complaint = closed(handler)
    answer(complaint, satisfaction=1, solved=False)

    assert list(follow_up_tasks_for(user=handler)) == []
    with pytest.raises(InvalidTransition):
        follow_up_record(task=FollowUpTask.objects.get(), by=handler, outcome="satisfied", now=ANSWERED_AT)


def test_the_follow_up_sample_is_half_and_deterministic(handler):
    numbers = [f"KS-2026-{n:06d}" for n in range(1, 2001)]
    picked = [n for n in numbers if follow_up_sampled(n, 50)]
    assert 900 <= len(picked) <= 1100
    assert picked == [n for n in numbers if follow_up_sampled(n, 50)]
    assert all(follow_up_sampled(n, 100) for n in numbers[:50])
    assert not any(follow_up_sampled(n, 0) for n in numbers[:50])

    row = survey_settings()
    row.follow_up_sample_percent = 50
    row.save()
    complaints = [closed(handler, at=T0 + timedelta(minutes=i)) for i in range(12)]
    tasked = set(FollowUpTask.objects.values_list("complaint__number", flat=True))
    assert tasked == {c.number for c in complaints if follow_up_sampled(c.number, 50)}
    assert 0 < len(tasked) < 12


# ---- metrics ----------------------------------------------------------------------------------------


def test_coverage_and_satisfaction_metrics(handler):
    complaints = [closed(handler, at=T0 + timedelta(minutes=i)) for i in range(4)]
    tasks = {t.complaint_id: t for t in FollowUpTask.objects.all()}
    for complaint in complaints[:3]:
        follow_up_record(task=tasks[complaint.pk], by=handler, outcome="satisfied", now=ANSWERED_AT)
    answer(complaints[0], satisfaction=5, nps=10, solved=True)
    answer(complaints[1], satisfaction=4, nps=8, solved=True)
    answer(complaints[2], satisfaction=1, nps=3, solved=False)
    window = {"start": T0, "end": T0 + timedelta(days=1)}

    assert follow_up_coverage(**window) == {"resolved": 4, "followed_up": 3, "rate": 0.75}
    assert satisfaction_summary(**window) == {
        "sent": 3, "link_only": 3, "unreachable": 1,  # the fourth phone complaint has no way to its survey
        "answered": 3, "response_rate": 1.0, "csat_mean": 3.33, "nps": 0.0, "reopened": 1,
    }
    empty = {"start": T0 + timedelta(days=1), "end": T0 + timedelta(days=2)}
    assert follow_up_coverage(**empty) == {"resolved": 0, "followed_up": 0, "rate": None}
    assert satisfaction_summary(**empty)["csat_mean"] is None


def test_an_answer_is_emitted_to_webhook_subscribers(handler):
    from kesu.channels.models import WebhookDelivery
    from kesu.channels.webhooks_out import subscriber_save

    subscriber_save(subscriber=None, by=None, now=T0, name="crm", url="http://127.0.0.1:9/hook",
                    events=["survey.answered"])
    complaint = closed(handler)

    answer(complaint, satisfaction=1, nps=0, solved=False, comment="差")

    delivery = WebhookDelivery.objects.get(event_type="survey.answered")
    assert delivery.complaint_id == complaint.pk
    assert delivery.payload["data"] == {
        "satisfaction": 1, "nps": 0, "solved": False, "comment": "差", "reopened": True,
        "answered_at": ANSWERED_AT.isoformat(),
    }


def test_only_surveys_the_customer_can_reach_count_as_sent(handler, smtp):
    emailed = closed(handler, channel="email")
    tracked = closed(handler, channel="phone")
    tracking_link_create(complaint=tracked, now=T0)
    closed(handler, channel="phone")  # no e-mail, no tracking link: the customer never sees the survey
    closed(handler, channel="sms")
    answer(emailed, satisfaction=5, nps=10, solved=True)

    summary = satisfaction_summary(start=T0, end=T0 + timedelta(days=1))

    assert (summary["sent"], summary["link_only"], summary["unreachable"]) == (2, 1, 2)
    assert (summary["answered"], summary["response_rate"]) == (1, 0.5)
