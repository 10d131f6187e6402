"""Full-text search in Chinese: whole jieba words, title matches first; the same on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

import pytest

from kesu.complaints.models import Category
from kesu.knowledge.actions import article_save, article_used
from kesu.knowledge.search import article_search
from kesu.knowledge.selectors import articles_for_complaint, articles_top
from tests.factories import T0
from tests.knowledge.conftest import article

pytestmark = pytest.mark.django_db

SIGNED = "快递包裹显示已签收但客户未收到时，先核实签收人"


def titles(found) -> list[str]:
    return [a.title for a in found]


def test_a_word_inside_a_sentence_is_found(manager):
    article(manager, title="包裹问题", body=SIGNED)
    article(manager, title="退款流程", body="退款三到五个工作日到账。")

    assert titles(article_search(query="签收")) == ["包裹问题"]
    assert titles(article_search(query="客户说没有签收")) == ["包裹问题"]
    assert titles(article_search(query="退款")) == ["退款流程"]


def test_matching_is_by_whole_words_not_substrings(manager):
    """jieba cuts 签收 and 核实 out of the sentence; 签 and 核 alone are not words of it (a LIKE would match)."""
    article(manager, title="包裹问题", body=SIGNED)

    assert article_search(query="签") == []
    assert article_search(query="核") == []
    assert article_search(query="，。！") == []


def test_a_title_match_ranks_first(manager):
    article(manager, title="包裹问题", body=SIGNED + "。签收争议多见于代收点。")
    article(manager, title="签收异常", body="联系快递公司查询。")

    assert titles(article_search(query="签收")) == ["签收异常", "包裹问题"]


def test_search_follows_edits(manager):
    saved = article(manager, title="包裹问题", body=SIGNED)
    article_save(article=saved, by=manager, now=T0 + timedelta(hours=1), title="包裹问题", body="改为联系网点。",
                 steps=[], category=None, tags=[], products=[], public=False)

    assert article_search(query="签收") == []
    assert titles(article_search(query="网点")) == ["包裹问题"]


def test_steps_tags_and_products_are_searched_and_category_filters(manager):
    logistics = Category.objects.create(code="kb-logistics", name_zh="物流知识", name_en="Logistics")
    article(manager, title="甲", body="说明。", steps=["核实收货地址"], category=logistics)
    article(manager, title="乙", body="说明。", tags=["信用卡"], products=["白金卡"])

    assert titles(article_search(query="地址")) == ["甲"]
    assert titles(article_search(query="白金卡")) == ["乙"]
    assert titles(article_search(query="信用卡")) == ["乙"]
    assert titles(article_search(query="地址 信用卡", category=logistics)) == ["甲"]


def test_top_by_use(manager, handler):
    a, b, c = (article(manager, title=t) for t in ("甲", "乙", "丙"))
    for _ in range(2):
        article_used(article=b, by=handler, now=T0)
    article_used(article=c, by=handler, now=T0)
    article(manager, title="草稿", status="draft")

    assert titles(articles_top(limit=2)) == ["乙", "丙"]
    assert titles(articles_top()) == ["乙", "丙", "甲"]


def test_articles_for_a_complaint(manager, handler):
    from tests.factories import make_complaint

    article(manager, title="包裹问题", body=SIGNED)
    article(manager, title="退款流程", body="退款三到五个工作日到账。")
    article(manager, title="签收草稿", body=SIGNED, status="draft")
    complaint = make_complaint(by=handler, content="我的快递显示签收了，但是我根本没收到，请核实。")

    assert titles(articles_for_complaint(complaint)) == ["包裹问题"]


def test_the_database_full_text_index_answers(manager):
    """SQLite: the FTS5 table holds the jieba words; PostgreSQL: the GIN index on the tsvector is used."""
    from django.db import connection

    from kesu.knowledge.models import Article
    from kesu.knowledge.search import postgres_vector

    saved = article(manager, title="包裹问题", body=SIGNED)
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT rowid, title, body FROM knowledge_article_fts")
            assert cursor.fetchall() == [(saved.pk, "包裹 问题", "快递 包裹 显示 签收 客户 收到 核实 签收 人")]
        else:
            from django.contrib.postgres.search import SearchQuery

            cursor.execute("SET LOCAL enable_seqscan = off")
            rows = Article.objects.alias(v=postgres_vector()).filter(v=SearchQuery("签收", config="simple"))
            assert "article_fulltext" in rows.explain()
