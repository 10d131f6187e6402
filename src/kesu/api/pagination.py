from __future__ import annotations

import math

from django.db.models import QuerySet

from kesu.core.errors import FieldError

MAX_PAGE_SIZE = 100


def page_slice(queryset: QuerySet, *, page: int, page_size: int) -> dict:
    if page < 1:
        raise FieldError("page", "api.page")
    if not 1 <= page_size <= MAX_PAGE_SIZE:
        raise FieldError("page_size", "field.out_of_range", low=1, high=MAX_PAGE_SIZE, got=page_size)
    count = queryset.count()
    start = (page - 1) * page_size
    return {
        "count": count,
        "page": page,
        "page_size": page_size,
        "pages": math.ceil(count / page_size),
        "items": list(queryset[start : start + page_size]),
    }
