"""The default category tree, seeded on first migrate and editable afterwards.

Top level after [S2] (service / product / policy / other) plus logistics and compensation after
[S0]; the second level carries the [S1] mix (service attitude, handling efficiency, product
consultation, solution / compensation) and the [S0] types (product quality, logistics delay).
"""

from __future__ import annotations

import threading
import time

# (code, Chinese, English, parent code)
DEFAULT_CATEGORIES: tuple[tuple[str, str, str, str | None], ...] = (
    ("service", "服务问题", "Service", None),
    ("service-attitude", "服务态度", "Service attitude", "service"),
    ("handling-efficiency", "处理效率", "Handling efficiency", "service"),
    ("product", "产品问题", "Product", None),
    ("product-consultation", "产品咨询", "Product consultation", "product"),
    ("product-quality", "产品质量", "Product quality", "product"),
    ("logistics", "物流问题", "Logistics", None),
    ("logistics-delay", "物流延误", "Logistics delay", "logistics"),
    ("logistics-damage", "运输破损", "Damaged in transit", "logistics"),
    ("billing", "资费与补偿", "Billing and compensation", None),
    ("billing-charge", "扣费争议", "Disputed charge", "billing"),
    ("solution-compensation", "解决方案/补偿", "Solution / compensation", "billing"),
    ("policy", "政策问题", "Policy", None),
    ("other", "其他", "Other", None),
)


def categories_seed(category_model) -> None:
    """Create the default tree where missing (used by the data migration and tests)."""
    by_code = {}
    for sort, (code, zh, en, parent) in enumerate(DEFAULT_CATEGORIES):
        category, _ = category_model.objects.get_or_create(
            code=code, defaults={"name_zh": zh, "name_en": en, "parent": by_code.get(parent), "sort": sort}
        )
        by_code[code] = category


# the response templates' type axis for the default tree (docs/architecture.md, "Handling tools"); a category without one
# takes its parent's, and a tree without any is after-sale
DEFAULT_SERVICE_TYPES: dict[str, str] = {
    "service": "after_sale",
    "product": "technical",
    "product-consultation": "pre_sale",
    "product-quality": "technical",
    "logistics": "after_sale",
    "billing": "after_sale",
    "policy": "pre_sale",
}
FALLBACK_SERVICE_TYPE = "after_sale"


def service_types_seed(category_model) -> None:
    """Give the default categories their service type where none is set (data migration)."""
    for code, service_type in DEFAULT_SERVICE_TYPES.items():
        category_model.objects.filter(code=code, service_type="").update(service_type=service_type)


def service_type_of(category) -> str:
    """The service type of a complaint's category: its own, its parent's, else after-sale."""
    while category is not None:
        if category.service_type:
            return category.service_type
        category = category.parent
    return FALLBACK_SERVICE_TYPE


# the category tree as {code: parent code}, cached per process: read on every SLA refresh
_PARENTS_TTL = 30.0
_parents_lock = threading.Lock()
_parents: tuple[float, dict[str, str]] | None = None


def category_parents() -> dict[str, str]:
    """Each active category's parent code, at most ``_PARENTS_TTL`` seconds old in other processes
    (dropped in this one when a category is saved: ``apps.py``)."""
    global _parents
    cached = _parents
    if cached is None or time.monotonic() - cached[0] > _PARENTS_TTL:
        from kesu.complaints.models import Category

        rows = Category.objects.filter(is_active=True, parent__isnull=False).values_list("code", "parent__code")
        cached = (time.monotonic(), dict(rows))
        with _parents_lock:
            _parents = cached
    return cached[1]


def category_parents_reset(**_kwargs) -> None:
    global _parents
    with _parents_lock:
        _parents = None
