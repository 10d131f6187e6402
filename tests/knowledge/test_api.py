"""The knowledge API: search and list, read, managers edit, handlers count use and feedback."""

from __future__ import annotations

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kesu.complaints.models import Category
from kesu.knowledge.models import Article, ArticleVersion
from tests.api.builders import client_for, error_fields, post_json
from tests.knowledge.conftest import article

pytestmark = pytest.mark.django_db

URL = "/api/v1/knowledge/articles"
SIGNED = "快递包裹显示已签收但客户未收到时，先核实签收人"


def put_json(client, path, body):
    return client.put(path, data=json.dumps(body, ensure_ascii=False), content_type="application/json")


def test_a_manager_creates_and_edits_an_article(manager):
    Category.objects.create(code="kb-lost", name_zh="丢件", name_en="Lost")
    client = client_for(manager)

    created = post_json(client, URL, {"title": "签收未收到", "body": SIGNED, "steps": ["核实签收人", "联系网点"],
                                      "category": "kb-lost", "tags": ["签收"], "products": ["快递"]})
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["title"], body["category"], body["version"], body["status"]) == ("签收未收到", "kb-lost", 1,
                                                                                  "published")

    changed = put_json(client, f"{URL}/{body['id']}", {"title": "签收但未收到", "body": SIGNED, "public": True})
    assert changed.status_code == 200, changed.content
    assert (changed.json()["version"], changed.json()["public"], changed.json()["category"]) == (2, True, None)
    assert ArticleVersion.objects.filter(article_id=body["id"]).count() == 2


def test_bad_input_is_422_naming_the_fields(manager):
    response = post_json(client_for(manager), URL, {"title": "", "steps": "x", "category": "nope"})
    assert error_fields(response) == {"title", "steps", "category", "body"}


def test_handlers_may_not_edit(handler, manager):
    saved = article(manager)
    client = client_for(handler)
    assert post_json(client, URL, {"title": "x", "body": "y"}).status_code == 403
    assert put_json(client, f"{URL}/{saved.pk}", {"title": "x", "body": "y"}).status_code == 403
    assert Article.objects.get().title == saved.title


def test_search_list_and_detail(handler, manager):
    parcel = article(manager, title="包裹问题", body=SIGNED)
    refund = article(manager, title="退款流程", body="退款三到五个工作日到账。")
    draft = article(manager, title="签收草稿", body=SIGNED, status="draft")
    client = client_for(handler)

    found = client.get(URL, {"q": "签收"})
    assert found.status_code == 200
    assert [a["id"] for a in found.json()] == [parcel.pk]  # handlers do not see drafts
    assert {a["id"] for a in client_for(manager).get(URL, {"q": "签收"}).json()} == {parcel.pk, draft.pk}
    assert [a["id"] for a in client.get(URL).json()] == [parcel.pk, refund.pk]
    assert client.get(f"{URL}/{refund.pk}").json()["body"] == "退款三到五个工作日到账。"
    assert client.get(f"{URL}/{draft.pk}").status_code == 404
    assert client.get(URL, {"category": "nope"}).status_code == 422


def test_use_and_feedback(handler, manager):
    saved = article(manager)
    client = client_for(handler)

    assert client.post(f"{URL}/{saved.pk}/used").json()["use_count"] == 1
    assert post_json(client, f"{URL}/{saved.pk}/feedback", {"helpful": True}).json()["helpful_count"] == 1
    counts = post_json(client, f"{URL}/{saved.pk}/feedback", {"helpful": False}).json()
    assert counts == {"use_count": 1, "helpful_count": 1, "not_helpful_count": 1}
    assert error_fields(post_json(client, f"{URL}/{saved.pk}/feedback", {"helpful": "maybe"})) == {"helpful"}
    assert client.post(f"{URL}/999999/used").status_code == 404


@pytest.mark.parametrize("query", [{}, {"q": "签收 退款"}])
def test_the_list_takes_a_fixed_number_of_queries(handler, manager, query):
    categories = [Category.objects.create(code=f"kb-{i}", name_zh=f"类{i}", name_en=f"c{i}") for i in range(3)]
    client = client_for(handler)
    client.get(URL)  # the token lookup caches nothing, but warm the URL resolver and jieba

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(URL, query).status_code == 200
        return len(queries)

    article(manager, title="签收一", body=SIGNED, category=categories[0])
    few = count()
    for i in range(1, 3):
        article(manager, title=f"签收{i}", body=SIGNED + "。退款", category=categories[i])
    assert count() == few
    # the token, then the articles with their categories (search: the ranked ids, then the articles)
    assert few == (3 if query else 2)
