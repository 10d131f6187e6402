from __future__ import annotations

import math

from django.db.models import QuerySet

from kesu.core.errors import FieldError

MAX_PAGE_SIZE = 100
# far past any real list, and small enough that (page - 1) × page_size fits a database's 64-bit
# OFFSET: page=368934881474191034 was a 500 (issue 15, defect 7)
MAX_PAGE = 1_000_000


def page_check(page: int, page_size: int, *, max_page_size: int = MAX_PAGE_SIZE) -> None:
    """422 naming ``page`` / ``page_size`` when either is out of range."""
    if page < 1:
        raise FieldError("page", "api.page")
    if page > MAX_PAGE:
        raise FieldError("page", "field.out_of_range", low=1, high=MAX_PAGE, got=page)
    if not 1 <= page_size <= max_page_size:
        raise FieldError("page_size", "field.out_of_range", low=1, high=max_page_size, got=page_size)


def page_slice(queryset: QuerySet, *, page: int, page_size: int) -> dict:
    page_check(page, page_size)
    count = queryset.count()
    start = (page - 1) * page_size
    return {
        "count": count,
        "page": page,
        "page_size": page_size,
        "pages": math.ceil(count / page_size),
        "items": list(queryset[start : start + page_size]),
    }
