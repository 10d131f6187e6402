"""Writers of the solution library: save an article (a new version each time), count its uses and
the handlers' "was this helpful" answers."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import F

from kesu.complaints.models import Category
from kesu.core.errors import FieldError, FieldErrors, permission_require, raise_not_permitted
from kesu.core.messages import given
from kesu.core.models import User
from kesu.core.roles import Permission
from kesu.knowledge.models import Article, ArticleStatus, ArticleVersion
from kesu.knowledge.search import search_columns, search_index_sync

TITLE_MAX = 200
LIST_MAX = 50


def _string_list(field: str, value: Any, errors: list[FieldError]) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        errors.append(FieldError(field, "field.not_list", got=given(value)))
        return []
    cleaned = [v.strip() for v in value if v.strip()]
    if len(cleaned) > LIST_MAX:
        errors.append(FieldError(field, "field.list_too_long", limit=LIST_MAX))
    return cleaned


def _category(value: Any, errors: list[FieldError]) -> Category | None:
    if value in (None, ""):
        return None
    if isinstance(value, Category):
        return value
    if isinstance(value, str):
        found = Category.objects.filter(code=value).first()
        if found is not None:
            return found
    errors.append(FieldError("category", "category.unknown", value=given(value)))
    return None


def article_validate(
    *, title: Any, body: Any, steps: Any = None, category: Any = None, tags: Any = None, products: Any = None,
    public: Any = False, status: Any = ArticleStatus.PUBLISHED,
) -> dict[str, Any]:
    """The cleaned fields of an article; FieldError / FieldErrors naming each bad field."""
    errors: list[FieldError] = []
    title = title.strip() if isinstance(title, str) else title
    if not isinstance(title, str) or not title:
        errors.append(FieldError("title", "field.required"))
    elif len(title) > TITLE_MAX:
        errors.append(FieldError("title", "field.too_long", limit=TITLE_MAX, got=len(title)))
    if body is None:
        body = ""
    if not isinstance(body, str):
        errors.append(FieldError("body", "field.not_text", got=given(body)))
    steps = _string_list("steps", steps, errors)
    tags = list(dict.fromkeys(_string_list("tags", tags, errors)))
    products = list(dict.fromkeys(_string_list("products", products, errors)))
    category_obj = _category(category, errors)
    if not isinstance(public, bool):
        errors.append(FieldError("public", "field.not_boolean", got=given(public)))
    if status not in ArticleStatus.values:
        errors.append(FieldError("status", "field.choice", choices=list(ArticleStatus.values), got=given(status)))
    if isinstance(body, str) and not body.strip() and not steps:
        errors.append(FieldError("body", "knowledge.empty_article"))
    if errors:
        raise errors[0] if len(errors) == 1 else FieldErrors(errors)
    return {"title": title, "body": body, "steps": steps, "category": category_obj, "tags": tags,
            "products": products, "public": public, "status": status}


def article_save(
    *, article: Article | None = None, by: User, now: datetime, title: Any, body: Any, steps: Any = None,
    category: Any = None, tags: Any = None, products: Any = None, public: Any = False,
    status: Any = ArticleStatus.PUBLISHED,
) -> Article:
    """Create (``article`` None) or change an article; every save is a new version, kept in
    ``ArticleVersion``. ``category`` is a Category or its code. Needs ``knowledge.manage``."""
    if by is None or not (by.can(Permission.KNOWLEDGE_MANAGE) or (by.is_active and by.is_superuser)):
        raise_not_permitted(by, f"permission.{Permission.KNOWLEDGE_MANAGE}")
    cleaned = article_validate(title=title, body=body, steps=steps, category=category, tags=tags,
                               products=products, public=public, status=status)
    title, body, steps = cleaned["title"], cleaned["body"], cleaned["steps"]
    fields = {**cleaned, "updated_at": now, "updated_by": by,
              **search_columns(title=title, body=body, steps=steps, tags=cleaned["tags"],
                               products=cleaned["products"])}
    with transaction.atomic():
        if article is None:
            article = Article.objects.create(created_at=now, created_by=by, version=1, **fields)
        else:
            article = Article.objects.select_for_update().get(pk=article.pk)
            for name, value in fields.items():
                setattr(article, name, value)
            article.version += 1
            article.save()
        ArticleVersion.objects.create(article=article, version=article.version, title=title, body=body,
                                      steps=steps, saved_at=now, saved_by=by)
        search_index_sync(article)
    return article


def article_used(*, article: Article, by: User | None, now: datetime) -> None:
    """A handler used the article on a complaint (counts towards the top list). Only people who handle
    complaints use articles: analysts and the decision layer reading them must not change the counts."""
    if by is not None:
        permission_require(by, Permission.COMPLAINT_HANDLE)
    Article.objects.filter(pk=article.pk).update(use_count=F("use_count") + 1)


def article_feedback(*, article: Article, helpful: Any, by: User | None, now: datetime) -> None:
    """One "was this helpful" answer."""
    if not isinstance(helpful, bool):
        raise FieldError("helpful", "field.not_boolean", got=given(helpful))
    counter = "helpful_count" if helpful else "not_helpful_count"
    Article.objects.filter(pk=article.pk).update(**{counter: F(counter) + 1})
