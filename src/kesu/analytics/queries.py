"""The checks shared by the edges (CLI, API, pages) before they call the selectors: a period and a
group code become a validated scope, or a ``FieldError`` naming the field."""

from __future__ import annotations

from datetime import date
from typing import Any

from kesu.core.errors import FieldError

MAX_DAYS = 3660


def group_resolve(code: str) -> int | None:
    from kesu.core.models import Group

    if not code:
        return None
    group_id = Group.objects.filter(code=code).values_list("pk", flat=True).first()
    if group_id is None:
        raise FieldError("group", "analytics.group_unknown", group=code)
    return group_id


def period_check(date_from: date, date_to: date) -> None:
    if date_to < date_from:
        raise FieldError("to", "analytics.period_order")
    if (date_to - date_from).days > MAX_DAYS:
        raise FieldError("to", "analytics.period_too_long", days=MAX_DAYS)


def kpis_query(*, date_from: date, date_to: date, group: str = "") -> dict[str, dict[str, Any]]:
    from kesu.analytics.selectors import kpis_for_period

    period_check(date_from, date_to)
    return kpis_for_period(date_from=date_from, date_to=date_to, group_id=group_resolve(group))


def led_group_ids(user: Any) -> list[int]:
    """The groups a person leads (``Group.lead``): a team lead, whatever their role, sees the
    dashboard of these groups and the scorecards of their handlers (docs/kpis.md, "Who sees what")."""
    from kesu.core.models import Group

    if not getattr(user, "is_authenticated", False):
        return []
    return list(Group.objects.filter(lead=user).order_by("code").values_list("pk", flat=True))
