"""Readers of the solution library: the most used articles, articles for a complaint."""

from __future__ import annotations

from django.db.models import Prefetch

from kesu.knowledge.models import Article, ArticleStatus, ArticleVersion
from kesu.knowledge.search import article_search

COMPLAINT_TEXT_CHARS = 100


def articles_top(*, limit: int = 10, category=None, published_only: bool = True) -> list[Article]:
    """Published articles by use, most used first (of one category; drafts too unless ``published_only``)."""
    rows = Article.objects.select_related("category")
    if published_only:
        rows = rows.filter(status=ArticleStatus.PUBLISHED)
    if category is not None:
        rows = rows.filter(category=category)
    return list(rows.order_by("-use_count", "id")[:limit])


def article_detail(article_id: int, *, published_only: bool = True) -> Article | None:
    """One article with its category and its versions (newest first, with who saved them)."""
    rows = Article.objects.select_related("category", "category__parent", "updated_by").prefetch_related(
        Prefetch("versions", queryset=ArticleVersion.objects.select_related("saved_by").order_by("-version"))
    )
    if published_only:
        rows = rows.filter(status=ArticleStatus.PUBLISHED)
    return rows.filter(pk=article_id).first()


def articles_for_complaint(complaint, limit: int = 5) -> list[Article]:
    """Published articles for a complaint: searched with its category name, tags and the start of its content."""
    parts = []
    if complaint.category_id:
        parts.append(complaint.category.name_zh)
    parts.extend(str(t) for t in complaint.tags or [])
    parts.append((complaint.content or "")[:COMPLAINT_TEXT_CHARS])
    return article_search(query=" ".join(parts), limit=limit, published_only=True)
