"""Readers of the solution library: the most used articles, articles for a complaint."""

from __future__ import annotations

from kesu.knowledge.models import Article, ArticleStatus
from kesu.knowledge.search import article_search

COMPLAINT_TEXT_CHARS = 100


def articles_top(*, limit: int = 10) -> list[Article]:
    """Published articles by use, most used first."""
    return list(
        Article.objects.filter(status=ArticleStatus.PUBLISHED).select_related("category")
        .order_by("-use_count", "id")[:limit]
    )


def articles_for_complaint(complaint, limit: int = 5) -> list[Article]:
    """Published articles for a complaint: searched with its category name, tags and the start of its content."""
    parts = []
    if complaint.category_id:
        parts.append(complaint.category.name_zh)
    parts.extend(str(t) for t in complaint.tags or [])
    parts.append((complaint.content or "")[:COMPLAINT_TEXT_CHARS])
    return article_search(query=" ".join(parts), limit=limit, published_only=True)
