from __future__ import annotations

import math

from django.db.models import QuerySet

from kesu.core.errors import FieldError

MAX_PAGE_SIZE = 100


def page_slice(queryset: QuerySet, *, page: int, page_size: int) -> dict:
    if page < 1:
        raise FieldError("page", "must be 1 or more")
    if not 1 <= page_size <= MAX_PAGE_SIZE:
        raise FieldError("page_size", f"must be between 1 and {MAX_PAGE_SIZE}")
    count = queryset.count()
    start = (page - 1) * page_size
    return {
        "count": count,
        "page": page,
        "page_size": page_size,
        "pages": math.ceil(count / page_size),
        "items": list(queryset[start : start + page_size]),
    }
