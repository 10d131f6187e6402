"""The solution library: search and read articles, count their use and feedback; managers edit them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.responses import Status as HttpStatus

from kesu.api.auth import permission_require
from kesu.api.errors import field_error_body, not_found_body
from kesu.api.schemas import ErrorOut, TextIn
from kesu.complaints.models import Category
from kesu.core.clock import clock_now
from kesu.core.errors import FieldError
from kesu.core.roles import Permission
from kesu.knowledge.actions import article_feedback, article_save, article_used
from kesu.knowledge.models import Article, ArticleStatus
from kesu.knowledge.search import article_search

router = Router(tags=["knowledge"])

LIST_LIMIT = 50


class ArticleIn(TextIn):
    title: Any = Field(..., description="required, at most 200 characters")
    body: Any = ""
    steps: Any = Field(default_factory=list, description="the steps to follow, in order")
    category: Any = Field(None, description="a category code")
    tags: Any = Field(default_factory=list)
    products: Any = Field(default_factory=list, description="the products the article applies to")
    public: Any = Field(False, description="may be published to customers")
    status: Any = Field(ArticleStatus.PUBLISHED, description="draft | published")


class FeedbackIn(Schema):
    helpful: Any = Field(..., description="true: the article helped")


class ArticleOut(Schema):
    id: int
    title: str
    body: str
    steps: list[str]
    category: str | None
    tags: list[str]
    products: list[str]
    status: str
    public: bool
    version: int
    use_count: int
    helpful_count: int
    not_helpful_count: int
    updated_at: datetime


class CountsOut(Schema):
    use_count: int
    helpful_count: int
    not_helpful_count: int


def _article_dict(article: Article) -> dict[str, Any]:
    return {
        "id": article.pk, "title": article.title, "body": article.body, "steps": article.steps,
        "category": article.category.code if article.category_id else None, "tags": article.tags,
        "products": article.products, "status": article.status, "public": article.public,
        "version": article.version, "use_count": article.use_count, "helpful_count": article.helpful_count,
        "not_helpful_count": article.not_helpful_count, "updated_at": article.updated_at,
    }


def _visible(request: HttpRequest):
    """Managers see drafts too; everyone else only published articles."""
    rows = Article.objects.select_related("category")
    if not request.auth.can(Permission.KNOWLEDGE_MANAGE):
        rows = rows.filter(status=ArticleStatus.PUBLISHED)
    return rows


@router.get("/articles", response={200: list[ArticleOut], 403: ErrorOut, 422: ErrorOut})
def article_list_view(request: HttpRequest, q: str = "", category: str = ""):
    """With ``q``: full-text search (Chinese segmented with jieba), best first; without: the most used."""
    permission_require(request, Permission.COMPLAINT_READ)
    category_obj = None
    if category:
        category_obj = Category.objects.filter(code=category).first()
        if category_obj is None:
            return HttpStatus(422, field_error_body(FieldError("category", "category.unknown", value=category)))
    published_only = not request.auth.can(Permission.KNOWLEDGE_MANAGE)
    if q.strip():
        found = article_search(query=q, limit=LIST_LIMIT, category=category_obj, published_only=published_only)
    else:
        rows = _visible(request).order_by("-use_count", "id")
        if category_obj is not None:
            rows = rows.filter(category=category_obj)
        found = list(rows[:LIST_LIMIT])
    return [_article_dict(a) for a in found]


@router.get("/articles/{int:article_id}", response={200: ArticleOut, 403: ErrorOut, 404: ErrorOut})
def article_detail_view(request: HttpRequest, article_id: int):
    permission_require(request, Permission.COMPLAINT_READ)
    article = _visible(request).filter(pk=article_id).first()
    if article is None:
        return HttpStatus(404, not_found_body("article", article_id))
    return _article_dict(article)


@router.post("/articles", response={201: ArticleOut, 403: ErrorOut, 422: ErrorOut})
def article_create_view(request: HttpRequest, payload: ArticleIn):
    user = permission_require(request, Permission.KNOWLEDGE_MANAGE)
    article = article_save(by=user, now=clock_now(), **payload.dict())
    return HttpStatus(201, _article_dict(Article.objects.select_related("category").get(pk=article.pk)))


@router.put("/articles/{int:article_id}", response={200: ArticleOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut})
def article_update_view(request: HttpRequest, article_id: int, payload: ArticleIn):
    user = permission_require(request, Permission.KNOWLEDGE_MANAGE)
    article = Article.objects.filter(pk=article_id).first()
    if article is None:
        return HttpStatus(404, not_found_body("article", article_id))
    article = article_save(article=article, by=user, now=clock_now(), **payload.dict())
    return HttpStatus(200, _article_dict(Article.objects.select_related("category").get(pk=article.pk)))


def _counts(article_id: int) -> dict[str, int]:
    return Article.objects.values("use_count", "helpful_count", "not_helpful_count").get(pk=article_id)


@router.post("/articles/{int:article_id}/used", response={200: CountsOut, 403: ErrorOut, 404: ErrorOut})
def article_used_view(request: HttpRequest, article_id: int):
    user = permission_require(request, Permission.COMPLAINT_HANDLE)  # reading an article is not using it
    article = _visible(request).filter(pk=article_id).first()
    if article is None:
        return HttpStatus(404, not_found_body("article", article_id))
    article_used(article=article, by=user, now=clock_now())
    return _counts(article_id)


@router.post("/articles/{int:article_id}/feedback", response={200: CountsOut, 403: ErrorOut, 404: ErrorOut,
                                                              422: ErrorOut})
def article_feedback_view(request: HttpRequest, article_id: int, payload: FeedbackIn):
    user = permission_require(request, Permission.COMPLAINT_READ)
    article = _visible(request).filter(pk=article_id).first()
    if article is None:
        return HttpStatus(404, not_found_body("article", article_id))
    article_feedback(article=article, helpful=payload.helpful, by=user, now=clock_now())
    return _counts(article_id)
