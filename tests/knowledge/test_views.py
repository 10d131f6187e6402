"""The solution library pages: search and the top list, an article, feedback, the managers' forms.

The pages are read in English where the wording is new (its Chinese reaches the catalogue when merged)."""

from __future__ import annotations

import re

import pytest

from kesu.knowledge.actions import article_feedback, article_used
from kesu.knowledge.models import Article, ArticleStatus
from tests.factories import T0
from tests.knowledge.conftest import article

pytestmark = pytest.mark.django_db


@pytest.fixture
def client(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def _as(client, user):
    client.force_login(user)
    return client


def _text(response) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


def _titles(response) -> list[str]:
    return re.findall(r'<td class="subject"><a href="/library/\d+/">([^<]+)</a>', response.content.decode())


@pytest.fixture
def library(manager):
    signed = article(manager, title="签收未收到处理", body="快递包裹显示已签收但客户未收到时，先核实签收人。",
                     category="logistics-delay", tags=["签收", "快递"], steps=["核实签收人", "联系快递网点"])
    refund = article(manager, title="退款流程", body="退款三到五个工作日到账。", category="billing-charge",
                     tags=["退款"])
    draft = article(manager, title="草稿：赔付口径", body="内部讨论中的退款口径。", status=ArticleStatus.DRAFT)
    for _ in range(3):
        article_used(article=refund, by=manager, now=T0)
    return {"signed": signed, "refund": refund, "draft": draft}


def test_without_a_query_the_most_used_come_first_drafts_hidden_from_handlers(client, handler, library):
    response = _as(client, handler).get("/library/")
    assert _titles(response) == ["退款流程", "签收未收到处理"]
    assert "Most used" in _text(response)


def test_chinese_full_text_search_and_the_category_filter(client, handler, library):
    _as(client, handler)
    assert _titles(client.get("/library/", {"q": "客户说没有签收"})) == ["签收未收到处理"]
    assert _titles(client.get("/library/", {"q": "退款", "category": "logistics-delay"})) == []
    assert _titles(client.get("/library/", {"category": "billing-charge"})) == ["退款流程"]
    response = client.get("/library/", {"q": "签收"}, HTTP_HX_REQUEST="true")
    assert not response.content.decode().lstrip().startswith("<!doctype")  # htmx gets the results alone
    assert _titles(response) == ["签收未收到处理"]
    assert "No article matches" in _text(client.get("/library/", {"q": "发票"}))


def test_the_article_shows_steps_products_version_and_history(client, handler, manager, library):
    from kesu.knowledge.actions import article_save

    article_save(article=library["signed"], by=manager, now=T0, title="签收未收到处理（新）", body="先查物流轨迹。",
                 steps=["查物流轨迹", "核实签收人"], products=["标准快递"], category="logistics-delay")
    text = _text(_as(client, handler).get(f"/library/{library['signed'].pk}/"))
    assert "查物流轨迹" in text and "标准快递" in text and "Version 2" in text
    assert "v2 · 签收未收到处理（新）" in text and "v1 · 签收未收到处理" in text
    assert "Edit" not in text  # a handler reads, does not edit
    assert _as(client, handler).get(f"/library/{library['draft'].pk}/").status_code == 404


def test_a_helpful_click_is_counted_once(client, handler, library):
    _as(client, handler)
    url = f"/library/{library['signed'].pk}/feedback/"
    response = client.post(url, {"helpful": "yes"}, HTTP_HX_REQUEST="true")
    assert "Thank you for your feedback" in response.content.decode()
    assert "1 found it helpful, 0 did not" in _text(response)
    client.post(url, {"helpful": "no"}, HTTP_HX_REQUEST="true")  # the same person again: not counted
    counts = Article.objects.values_list("helpful_count", "not_helpful_count").get(pk=library["signed"].pk)
    assert counts == (1, 0)


def test_handlers_cannot_see_or_use_the_manage_forms(client, handler, library):
    _as(client, handler)
    assert "New article" not in _text(client.get("/library/"))
    assert client.get("/library/new/").status_code == 403
    response = client.post(f"/library/{library['refund'].pk}/edit/", {"title": "改了", "body": "x",
                                                                       "status": "published"})
    assert response.status_code == 403
    assert Article.objects.get(pk=library["refund"].pk).title == "退款流程"


def test_a_manager_creates_with_errors_named_per_field_then_saves(client, manager):
    _as(client, manager)
    assert "New article" in _text(client.get("/library/"))
    response = client.post("/library/new/", {"title": "", "body": "", "steps": "", "status": "published",
                                             "category": "nope"})
    assert response.status_code == 422
    page = response.content.decode()
    for field, words in [("title", "This field is required"), ("body", "needs a body or at least one step"),
                         ("category", "Unknown category")]:
        block = re.search(rf'<div class="field has-error[^"]*">\s*<label for="id_{field}">.*?</div>', page, re.S)
        assert block and words in block.group(0), field
    assert Article.objects.count() == 0

    response = client.post("/library/new/", {
        "title": "快递延误处理", "category": "logistics-delay", "status": "draft",
        "steps": "查询物流轨迹\n\n联系快递公司催件\n", "tags": "快递, 延误、催件", "products": "标准快递"})
    saved = Article.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/library/{saved.pk}/"
    assert saved.steps == ["查询物流轨迹", "联系快递公司催件"] and saved.tags == ["快递", "延误", "催件"]
    assert (saved.status, saved.version) == ("draft", 1)


def test_editing_creates_a_new_version_and_publish_switches_status(client, manager, library):
    _as(client, manager)
    refund = library["refund"]
    response = client.get(f"/library/{refund.pk}/edit/")
    assert "退款三到五个工作日到账" in response.content.decode()
    client.post(f"/library/{refund.pk}/edit/", {"title": "退款流程", "body": "退款一到三个工作日到账。",
                                               "status": "published", "category": "billing-charge"})
    refund.refresh_from_db()
    assert (refund.version, refund.body, refund.versions.count()) == (2, "退款一到三个工作日到账。", 2)
    client.post(f"/library/{library['draft'].pk}/status/", {"status": "published"})
    assert Article.objects.get(pk=library["draft"].pk).status == "published"


def test_the_library_list_costs_the_same_however_many_articles(client, handler, manager, django_assert_num_queries):
    _as(client, handler)
    article(manager, title="一", body="退款")
    client.get("/library/")
    # each page: session, user, categories, the articles (a search: the ranked ids, then the rows), the bell
    with django_assert_num_queries(11) as first:
        client.get("/library/")
        client.get("/library/", {"q": "退款"})
    for i in range(10):
        article_feedback(article=article(manager, title=f"退款{i}", body="退款说明"), helpful=True, by=handler, now=T0)
    with django_assert_num_queries(len(first.captured_queries)):
        client.get("/library/")
        response = client.get("/library/", {"q": "退款"})
    assert len(_titles(response)) == 11


def test_the_demo_library_is_searchable_and_ranked(client, handler, manager):
    from kesu.knowledge.demo import ARTICLES, knowledge_demo_seed

    assert knowledge_demo_seed(T0) == len(ARTICLES) >= 15
    assert knowledge_demo_seed(T0) == 0  # once
    _as(client, handler)
    assert _titles(client.get("/library/"))[0] == "退款流程"  # the most used
    assert "包裹显示已签收但客户未收到" in _titles(client.get("/library/", {"q": "客户说已签收没收到"}))
