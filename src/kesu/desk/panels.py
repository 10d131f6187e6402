"""What the one-page desk shows beside the complaint: customer history, composer, suggestions."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.utils.translation import get_language

from kesu.complaints.models import Category, Complaint, ComplaintEvent, ServiceType
from kesu.core.models import User
from kesu.core.roles import Permission
from kesu.desk.forms import ReplyForm
from kesu.desk.selectors import customer_history, service_type_from, suggestions, templates_for

OVER = ("met", "cancelled")


def page_language() -> str:
    return "en" if (get_language() or "").startswith("en") else "zh-hans"


def resolution_due(clocks: dict[str, Any] | None) -> datetime | None:
    """When the complaint's resolution falls due (the running resolution clock), if it does."""
    for clock in (clocks or {}).get("clocks", []):
        if clock["clock"] == "resolution" and clock.get("due_at") and clock["state"] not in OVER:
            return clock["due_at"]
    return None


def desk_context(
    user: User,
    complaint: Complaint,
    events: list[ComplaintEvent],
    *,
    categories: dict[str, Category] | None = None,
    reply_form: ReplyForm | None = None,
) -> dict:
    can_handle = user.can(Permission.COMPLAINT_HANDLE)
    by_id = {c.pk: c for c in (categories or {}).values()}
    service_type = service_type_from(complaint.category, by_id)
    context: dict[str, Any] = {
        "service_type": service_type,
        "service_type_label": ServiceType(service_type).label,
        "history": customer_history(complaint.customer, exclude_complaint=complaint),
        "suggestions": suggestions(complaint),
        "reply_form": None,
        "templates": [],
    }
    if can_handle and complaint.merged_into_id is None:
        templates = templates_for(severity=complaint.severity, service_type=service_type, language=page_language())
        form = reply_form or ReplyForm(prefix="reply")
        form.templates_offer(templates)
        context.update(reply_form=form, templates=templates)
    return {"desk": context}
