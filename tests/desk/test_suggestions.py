"""Suggestions beside the composer: library articles and similar resolved complaints, and the
"used" / "not helpful" clicks that are recorded."""

from __future__ import annotations

import pytest

from kesu.customers.actions import CustomerHandles
from kesu.desk.models import SuggestionFeedback
from kesu.desk.selectors import similar_resolved, suggestions
from kesu.knowledge.actions import article_save
from kesu.knowledge.models import Article
from kesu.pipeline.transitions import complaint_transition
from tests.factories import T0, make_complaint

pytestmark = pytest.mark.django_db

PARCEL = "快递三天没到，物流信息一直不更新，要求尽快送达或者退款。"


def _resolved(handler, content: str, resolution: str, **fields):
    complaint = make_complaint(by=handler, content=content, **fields)
    for action in ("assign", "start"):
        complaint_transition(complaint=complaint, action=action, assignee="handler1", by=handler, now=T0)
    complaint_transition(complaint=complaint, action="resolve", resolution=resolution, root_cause="logistics",
                         by=handler, now=T0)
    return complaint


@pytest.fixture
def article(manager):
    return article_save(by=manager, now=T0, title="快递延误如何处理", body="先查询物流轨迹，联系快递公司催件；超过三天补发或退款。",
                        tags=["快递", "物流"])


def _feedback(client, complaint, kind, target, verdict, htmx=True):
    headers = {"HX-Request": "true"} if htmx else {}
    return client.post(f"/desk/complaints/{complaint.pk}/suggestions/feedback/",
                       {"kind": kind, "target": target, "verdict": verdict}, headers=headers)


def test_similar_resolved_complaints_come_with_their_resolution(handler):
    alike = _resolved(handler, "快递五天没到，物流信息一直不更新，要求退款。", "已联系快递补发，并补偿优惠券 20 元。",
                      customer=CustomerHandles(name="陈静", phone="13900139000"))
    _resolved(handler, "客服电话一直打不通，排队半小时也没人接。", "已向客户致歉并优化排班。",
              customer=CustomerHandles(name="赵磊", phone="13700137000"))
    still_open = make_complaint(by=handler, content="快递五天没到，物流信息一直不更新。")
    complaint = make_complaint(by=handler, content=PARCEL)

    found = similar_resolved(complaint)

    assert [s.complaint.pk for s in found] == [alike.pk]
    assert found[0].complaint.resolution == "已联系快递补发，并补偿优惠券 20 元。"
    assert still_open.pk not in [s.complaint.pk for s in found]


def test_the_page_shows_articles_and_similar_complaints_with_buttons(handler_client, handler, article):
    alike = _resolved(handler, "快递五天没到，物流信息一直不更新，要求退款。", "已联系快递补发。",
                      customer=CustomerHandles(name="陈静", phone="13900139000"))
    complaint = make_complaint(by=handler, content=PARCEL)

    page = handler_client.get(f"/complaints/{complaint.pk}/").content.decode()

    assert "快递延误如何处理" in page
    assert f'id="feedback-article-{article.pk}"' in page
    assert f'href="/complaints/{alike.pk}/"' in page and "已联系快递补发。" in page
    assert f'id="feedback-similar-{alike.pk}"' in page
    assert 'name="verdict" value="used"' in page and 'name="verdict" value="not_helpful"' in page


def test_used_and_not_helpful_are_recorded_and_counted(handler_client, handler, article):
    alike = _resolved(handler, "快递五天没到，物流信息一直不更新，要求退款。", "已联系快递补发。",
                      customer=CustomerHandles(name="陈静", phone="13900139000"))
    complaint = make_complaint(by=handler, content=PARCEL)
    handler_client.post("/i18n/setlang/", {"language": "en", "next": "/"})

    # the article was used
    response = _feedback(handler_client, complaint, "article", article.pk, "used")
    assert response.status_code == 200
    fragment = response.content.decode()
    assert fragment.startswith(f'<div class="feedback" id="feedback-article-{article.pk}">')
    assert "Recorded: used" in fragment and "used 1 · not helpful 0" in fragment
    article.refresh_from_db()
    assert article.use_count == 1

    # a second click of the same counts once
    _feedback(handler_client, complaint, "article", article.pk, "used")
    assert Article.objects.get(pk=article.pk).use_count == 1

    # the similar complaint was not helpful
    response = _feedback(handler_client, complaint, "similar", alike.pk, "not_helpful")
    assert "Recorded: not helpful" in response.content.decode()
    assert "used 0 · not helpful 1" in response.content.decode()

    rows = list(SuggestionFeedback.objects.order_by("id").values_list("kind", "article_id", "similar_id", "verdict", "by"))
    assert rows == [("article", article.pk, None, "used", handler.pk),
                    ("similar", None, alike.pk, "not_helpful", handler.pk)]
    # and the page remembers what was said
    state = suggestions(complaint)
    assert [row["verdict"] for row in state["articles"]] == ["used"]
    assert [row["verdict"] for row in state["similar"]] == ["not_helpful"]
    page = handler_client.get(f"/complaints/{complaint.pk}/").content.decode()
    assert page.count("Recorded: used") == 1 and page.count("Recorded: not helpful") == 1


def test_not_helpful_on_an_article_moves_the_library_counter(handler_client, handler, article):
    complaint = make_complaint(by=handler, content=PARCEL)

    _feedback(handler_client, complaint, "article", article.pk, "not_helpful", htmx=False)

    article.refresh_from_db()
    assert (article.use_count, article.not_helpful_count) == (0, 1)


def test_bad_feedback_is_refused_with_the_field_named(handler_client, handler):
    complaint = make_complaint(by=handler)
    handler_client.post("/i18n/setlang/", {"language": "en", "next": "/"})

    response = _feedback(handler_client, complaint, "article", 999999, "used")
    assert response.status_code == 422
    assert "There is no article 999999." in response.content.decode()
    response = _feedback(handler_client, complaint, "similar", complaint.pk, "loved")
    assert response.status_code == 422
    assert "“loved”" in response.content.decode()
    assert not SuggestionFeedback.objects.exists()


def test_an_analyst_may_not_give_feedback(analyst, client, handler, article):
    complaint = make_complaint(by=handler, content=PARCEL)
    client.force_login(analyst)

    assert _feedback(client, complaint, "article", article.pk, "used").status_code == 403
    assert 'name="verdict"' not in client.get(f"/complaints/{complaint.pk}/").content.decode()


def test_similar_complaints_are_read_through_an_index_not_by_sorting_the_history(handler):
    """At a million complaints the desk page took 3–5 s: SQLite (no statistics) sorted every closed
    complaint to find the newest resolved. Each candidate read now walks an index in order."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    if connection.vendor != "sqlite":
        pytest.skip("the plan checked is SQLite's (PostgreSQL plans with statistics)")
    _resolved(handler, "快递五天没到，物流信息一直不更新，要求退款。", "已联系快递补发。")
    complaint = make_complaint(by=handler, content=PARCEL)
    with CaptureQueriesContext(connection) as captured:
        similar_resolved(complaint)
    assert len(captured) == 2
    for query in captured:
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN QUERY PLAN " + query["sql"])
            plan = " | ".join(str(row[-1]) for row in cursor.fetchall())
        assert "TEMP B-TREE" not in plan, plan
        assert "complaint_category_resolved" in plan or "complaint_resolved_newest" in plan, plan
