"""Saving articles (versions, validation, permission) and counting their use and feedback."""

from __future__ import annotations

from datetime import timedelta

import pytest

from kesu.complaints.models import Category
from kesu.core.errors import FieldError, NotPermitted
from kesu.knowledge.actions import article_feedback, article_save, article_used
from kesu.knowledge.models import Article, ArticleVersion
from tests.factories import T0
from tests.knowledge.conftest import article

pytestmark = pytest.mark.django_db


def test_every_save_is_a_new_version(manager):
    first = article(manager, title="退款到账慢", body="先查退款单状态。", steps=["查询退款单", "告知到账时间"],
                    tags=["退款"], products=["信用卡"])
    assert (first.version, first.created_by, first.status) == (1, manager, "published")

    changed = article_save(article=first, by=manager, now=T0 + timedelta(days=1), title="退款到账慢怎么办",
                           body="先查退款单状态，再联系财务。", steps=["查询退款单"], category=None, tags=["退款"],
                           products=[], public=True)

    changed.refresh_from_db()
    assert (changed.version, changed.title, changed.public, changed.updated_at) == (
        2, "退款到账慢怎么办", True, T0 + timedelta(days=1))
    assert changed.created_at == T0
    versions = list(ArticleVersion.objects.filter(article=changed).values_list("version", "title", "steps"))
    assert versions == [(1, "退款到账慢", ["查询退款单", "告知到账时间"]), (2, "退款到账慢怎么办", ["查询退款单"])]


def test_category_is_given_by_code(manager):
    category = Category.objects.create(code="kb-lost", name_zh="物流丢件", name_en="Lost parcel")
    saved = article(manager, category="kb-lost")
    assert saved.category == category


def test_bad_fields_are_named(manager):
    with pytest.raises(FieldError) as caught:
        article_save(by=manager, now=T0, title="  ", body="", steps="not a list", category="nope", tags=[1],
                     products=None, public="yes")
    assert {field for field, _ in caught.value.errors} == {"title", "steps", "category", "tags", "public", "body"}
    assert Article.objects.count() == 0


def test_only_managers_and_admins_edit_articles(handler):
    with pytest.raises(NotPermitted, match="管理解决方案库"):
        article(handler)
    assert Article.objects.count() == 0


def test_use_and_feedback_are_counted(manager, handler):
    saved = article(manager)
    for _ in range(3):
        article_used(article=saved, by=handler, now=T0)
    article_feedback(article=saved, helpful=True, by=handler, now=T0)
    article_feedback(article=saved, helpful=True, by=handler, now=T0)
    article_feedback(article=saved, helpful=False, by=handler, now=T0)
    saved.refresh_from_db()
    assert (saved.use_count, saved.helpful_count, saved.not_helpful_count) == (3, 2, 1)
    with pytest.raises(FieldError, match="helpful"):
        article_feedback(article=saved, helpful="yes", by=handler, now=T0)
