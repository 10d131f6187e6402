"""The desk's writers: render a response template, reply with it, record what a suggestion was worth."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F

from kesu.complaints.models import Complaint
from kesu.core.errors import FieldError, permission_require
from kesu.core.messages import given
from kesu.core.models import User
from kesu.core.roles import Permission
from kesu.desk.models import ResponseTemplate, SuggestionFeedback, SuggestionKind, Verdict

VARIABLES = (
    "customer_name", "number", "subject", "category", "due_date", "handler_name", "order_number",
    "product", "amount_claimed", "today",
)
_VARIABLE = re.compile(r"\{([^{}\s]*)\}")


def template_variables(body: str) -> list[str]:
    """The variables a template text uses, in order of first use."""
    return list(dict.fromkeys(match.group(1) for match in _VARIABLE.finditer(body or "")))


def template_validate(body: str) -> None:
    """A template text may only use the known variables (the admin checks this on save)."""
    if not (body or "").strip():
        raise FieldError("body", "field.required")
    unknown = [name for name in template_variables(body) if name not in VARIABLES]
    if unknown:
        raise FieldError("body", "template.unknown_variable", name=f"{{{unknown[0]}}}", known=[f"{{{v}}}" for v in VARIABLES])


def template_render(body: str, values: Mapping[str, str]) -> str:
    """The template text with each ``{variable}`` replaced by its value. Pure.

    A variable the values do not name raises a FieldError naming it (a typo in a managed template
    must not reach the customer as "{custmer_name}")."""
    unknown = [name for name in template_variables(body) if name not in values]
    if unknown:
        raise FieldError("template", "template.broken", name=f"{{{unknown[0]}}}")
    return _VARIABLE.sub(lambda match: str(values[match.group(1)]), body)


def _when(at: datetime | None, language: str) -> str:
    if at is None:
        return "as soon as possible" if language == "en" else "尽快"
    local = at.astimezone(ZoneInfo(settings.TIME_ZONE))
    if language == "en":
        return f"{local:%d %B %Y, %H:%M}".lstrip("0")
    return f"{local.year}年{local.month}月{local.day}日 {local:%H:%M}"


def template_values(complaint: Complaint, *, by: User | None, now: datetime, language: str,
                    due_at: datetime | None) -> dict[str, str]:
    """The values of the variables for ``complaint`` (``due_at``: when the resolution falls due)."""
    category = complaint.category
    category_name = ""
    if category is not None:
        category_name = category.name_en if language == "en" else category.name_zh
    return {
        "customer_name": complaint.customer.name or ("customer" if language == "en" else "客户"),
        "number": complaint.number,
        "subject": complaint.subject or complaint.content[:40],
        "category": category_name,
        "due_date": _when(due_at, language),
        "handler_name": (getattr(by, "display_name", "") or str(by or "")) if by is not None else "",
        "order_number": complaint.order_number,
        "product": complaint.product,
        "amount_claimed": f"¥{complaint.amount_claimed}" if complaint.amount_claimed is not None else "",
        "today": _when(now, language).rsplit(" ", 1)[0].rstrip(","),
    }


def template_resolve(template_id: str | int | None) -> ResponseTemplate | None:
    """The active template with this id; empty means "no template"."""
    if template_id in (None, ""):
        return None
    try:
        pk = int(template_id)
    except (TypeError, ValueError):
        raise FieldError("template", "template.unknown", value=given(template_id)) from None
    template = ResponseTemplate.objects.filter(pk=pk, active=True).first()
    if template is None:
        raise FieldError("template", "template.unknown", value=given(template_id))
    return template


def reply_with_template(*, complaint: Complaint, by: User | None, text: str, now: datetime,
                        template: ResponseTemplate | None = None):
    """Send ``text`` on the complaint's channel (``channels.replies.complaint_reply_send``) and count
    one use of the template it was written from, in one transaction."""
    from kesu.channels.replies import complaint_reply_send

    with transaction.atomic():
        reply = complaint_reply_send(complaint=complaint, by=by, text=text, now=now)
        if template is not None:
            ResponseTemplate.objects.filter(pk=template.pk).update(use_count=F("use_count") + 1)
    return reply


def suggestion_feedback_record(*, complaint: Complaint, by: User | None, kind: str, target_id: int | str,
                               verdict: str, now: datetime) -> SuggestionFeedback:
    """A handler used a suggestion on this complaint, or found it not helpful. For an article the
    library's counters move too (``article_used`` / ``article_feedback``). The same verdict twice by
    the same person on the same complaint counts once."""
    from kesu.knowledge.actions import article_feedback, article_used
    from kesu.knowledge.models import Article, ArticleStatus

    if by is not None and not by.can(Permission.COMPLAINT_HANDLE):
        permission_require(by, Permission.COMPLAINT_HANDLE)
    if kind not in SuggestionKind.values:
        raise FieldError("kind", "field.unknown", value=given(kind), choices=list(SuggestionKind.values))
    if verdict not in Verdict.values:
        raise FieldError("verdict", "field.unknown", value=given(verdict), choices=list(Verdict.values))
    try:
        pk = int(target_id)
    except (TypeError, ValueError):
        raise FieldError("target", "suggestion.unknown", value=given(target_id)) from None
    article = similar = None
    if kind == SuggestionKind.ARTICLE:
        article = Article.objects.filter(pk=pk, status=ArticleStatus.PUBLISHED).first()
        if article is None:
            raise FieldError("target", "knowledge.unknown", value=pk)  # drafts are not suggested
    else:
        similar = Complaint.objects.filter(pk=pk).exclude(pk=complaint.pk).first()
        if similar is None:
            raise FieldError("target", "complaint.not_found", value=pk)
    with transaction.atomic():
        earlier = SuggestionFeedback.objects.filter(
            complaint=complaint, by=by, kind=kind, article=article, similar=similar, verdict=verdict
        ).first()
        if earlier is not None:
            return earlier
        try:
            with transaction.atomic():
                feedback = SuggestionFeedback.objects.create(
                    complaint=complaint, by=by, kind=kind, article=article, similar=similar, verdict=verdict, at=now
                )
        except IntegrityError:  # the same click, a moment earlier in another request
            return SuggestionFeedback.objects.get(
                complaint=complaint, by=by, kind=kind, article=article, similar=similar, verdict=verdict
            )
        if article is not None:
            if verdict == Verdict.USED:
                article_used(article=article, by=by, now=now)
            else:
                article_feedback(article=article, helpful=False, by=by, now=now)
    return feedback


def suggestion_counts(*, kind: str, target_id: int) -> dict[str, int]:
    """How often a suggestion was used / found not helpful (an article's counters, or the feedback rows
    on a similar complaint)."""
    from kesu.knowledge.models import Article

    if kind == SuggestionKind.ARTICLE:
        article = Article.objects.filter(pk=target_id).only("use_count", "not_helpful_count").first()
        return {"used": article.use_count, "not_helpful": article.not_helpful_count} if article else {}
    rows = SuggestionFeedback.objects.filter(kind=kind, similar_id=target_id)
    return {
        "used": rows.filter(verdict=Verdict.USED).count(),
        "not_helpful": rows.filter(verdict=Verdict.NOT_HELPFUL).count(),
    }
