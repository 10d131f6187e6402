"""The public survey page (no login, Chinese by default, English on request) and the handlers'
follow-up list."""

from __future__ import annotations

import pytest
from django.urls import reverse

from kesu.complaints.models import Complaint
from kesu.core.roles import Role
from kesu.surveys.models import FollowUpTask, Survey
from kesu.surveys.selectors import survey_url
from tests.factories import make_group, make_user
from tests.surveys.conftest import closed

pytestmark = pytest.mark.django_db

GOOD = {"satisfaction": "5", "nps": "9", "solved": "yes", "comment": "谢谢"}


@pytest.fixture
def complaint(handler):
    return closed(handler)


def test_the_survey_page_is_chinese_by_default(client, complaint):
    page = client.get(survey_url(complaint))

    assert page.status_code == 200
    html = page.content.decode()
    assert '<html lang="zh-hans">' in html
    assert complaint.number in html
    assert html.count('name="satisfaction"') == 5 and html.count('name="nps"') == 11


def test_the_survey_page_in_english(client, complaint):
    page = client.get(survey_url(complaint), HTTP_ACCEPT_LANGUAGE="en")

    html = page.content.decode()
    assert '<html lang="en">' in html
    assert "Was your problem solved?" in html
    assert "How likely are you to recommend us to a friend?" in html


def test_answering_on_the_page_thanks_the_customer_and_a_second_answer_gets_a_friendly_page(client, complaint):
    url = survey_url(complaint)

    sent = client.post(url, GOOD, HTTP_ACCEPT_LANGUAGE="en")

    assert sent.status_code == 302 and sent["Location"] == url + "thanks/"
    assert "Thank you for your answer" in client.get(sent["Location"], HTTP_ACCEPT_LANGUAGE="en").content.decode()
    survey = Survey.objects.get()
    assert (survey.satisfaction, survey.nps, survey.solved, survey.comment) == (5, 9, True, "谢谢")
    again = client.post(url, {**GOOD, "satisfaction": "1"}, HTTP_ACCEPT_LANGUAGE="en")
    assert again.status_code == 409
    assert "You have answered this survey already" in again.content.decode()
    assert "You have answered this survey already" in client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert Survey.objects.get().satisfaction == 5


def test_a_not_solved_answer_on_the_page_reopens_and_says_so(client, complaint, handler):
    sent = client.post(survey_url(complaint), {"satisfaction": "3", "solved": "no"}, HTTP_ACCEPT_LANGUAGE="en")

    thanks = client.get(sent["Location"], HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "has been reopened" in thanks
    complaint.refresh_from_db()
    assert (complaint.status, complaint.assignee) == ("assigned", handler)


def test_a_missing_answer_is_shown_on_its_field(client, complaint):
    page = client.post(survey_url(complaint), {"nps": "9"}, HTTP_ACCEPT_LANGUAGE="en")

    assert page.status_code == 422
    html = page.content.decode()
    assert html.count('class="field-error"') == 2  # satisfaction and solved
    assert Survey.objects.get().answered_at is None


def test_an_unknown_token_is_404(client, complaint):
    assert client.get("/survey/" + "0" * 40 + "/").status_code == 404
    assert client.post("/survey/" + "0" * 40 + "/", GOOD).status_code == 404


def test_the_follow_up_list_shows_own_and_group_tasks_and_records_the_visit(client, group, handler):
    mine = closed(handler)
    colleague = make_user(Role.HANDLER, "colleague", groups=[group])
    theirs = closed(colleague, group=group.code)
    elsewhere = make_group("elsewhere")
    stranger = make_user(Role.HANDLER, "stranger", groups=[elsewhere])
    hidden = closed(stranger, group=elsewhere.code)
    client.force_login(handler)

    page = client.get(reverse("surveys:follow_ups"))

    html = page.content.decode()
    assert page.status_code == 200
    assert mine.number in html and theirs.number in html and hidden.number not in html
    task = FollowUpTask.objects.get(complaint=mine)
    done = client.post(reverse("surveys:follow_up_record", args=[task.pk]), {"outcome": "unreachable", "text": "无人接听"})
    assert done.status_code == 302
    task.refresh_from_db()
    assert (task.outcome, task.done_by, task.text) == ("unreachable", handler, "无人接听")
    assert Complaint.objects.get(pk=mine.pk).events.filter(kind="followed_up").exists()
    other = FollowUpTask.objects.get(complaint=hidden)
    assert client.post(reverse("surveys:follow_up_record", args=[other.pk]), {"outcome": "satisfied"}).status_code == 404


def test_the_follow_up_list_needs_a_login_and_a_handling_role(client, analyst):
    assert client.get(reverse("surveys:follow_ups")).status_code == 302
    client.force_login(analyst)
    assert client.get(reverse("surveys:follow_ups")).status_code == 403


def test_the_public_page_reads_the_survey_once(client, complaint, django_assert_num_queries):
    url = survey_url(complaint)
    with django_assert_num_queries(1):
        assert client.get(url).status_code == 200
