"""Writers of triage's configuration rows: the keywords and the cells of the priority matrix.

Called by the settings area (``kesu.settings_ui``); each save raises the version "triage" through
the signals in ``apps.py``, so the next intake reads the new rows (ADR 0015).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction

from kesu.complaints.models import Category, Priority, Severity
from kesu.core.errors import FieldError, FieldErrors, permission_require
from kesu.core.messages import given
from kesu.core.models import User
from kesu.core.roles import Permission
from kesu.customers.models import Tier
from kesu.triage.models import Keyword, PriorityRule

MAX_WORDS = 200
MAX_WORD = 32


def _manage_check(by: User | None) -> None:
    if by is not None:
        permission_require(by, Permission.SETTINGS_MANAGE)


def keyword_validate(
    *,
    tag: Any,
    words: Any,
    category: Category | None = None,
    is_active: Any = True,
    keyword_id: int | None = None,
) -> dict[str, Any]:
    """A keyword's fields as they would be stored; raises FieldErrors naming every bad field."""
    errors: list[FieldError] = []
    tag = (tag or "").strip() if isinstance(tag, str) else tag
    if not isinstance(tag, str) or not tag:
        errors.append(FieldError("tag", "field.required"))
    elif len(tag) > 32:
        errors.append(FieldError("tag", "field.too_long", limit=32, got=len(tag)))
    elif Keyword.objects.filter(tag=tag).exclude(pk=keyword_id).exists():
        errors.append(FieldError("tag", "field.name_taken", name=tag))
    clean_words: list[str] = []
    if not isinstance(words, list) or not words:
        errors.append(FieldError("words", "field.not_list", got=given(words)))
    elif len(words) > MAX_WORDS:
        errors.append(FieldError("words", "field.list_too_long", limit=MAX_WORDS))
    else:
        for i, word in enumerate(words):
            text = word.strip() if isinstance(word, str) else None
            if not text:
                errors.append(FieldError(f"words[{i}]", "field.not_text", got=given(word)))
            elif len(text) > MAX_WORD:
                errors.append(FieldError(f"words[{i}]", "field.too_long", limit=MAX_WORD, got=len(text)))
            elif text not in clean_words:
                clean_words.append(text)
    if not isinstance(is_active, bool):
        errors.append(FieldError("is_active", "field.not_boolean", got=given(is_active)))
    if errors:
        raise FieldErrors(errors)
    return {"tag": tag, "words": clean_words, "category": category, "is_active": is_active}


def keyword_save(*, keyword: Keyword | None, by: User | None, now: datetime, **fields: Any) -> Keyword:
    """Create (``keyword=None``) or change a keyword; refused with every bad field named."""
    _manage_check(by)
    with transaction.atomic():
        row = Keyword() if keyword is None else Keyword.objects.select_for_update().get(pk=keyword.pk)
        clean = keyword_validate(**fields, keyword_id=row.pk)
        for name, value in clean.items():
            setattr(row, name, value)
        row.save()
    return row


def keyword_delete(*, keyword: Keyword, by: User | None, now: datetime) -> None:
    _manage_check(by)
    Keyword.objects.filter(pk=keyword.pk).delete()


def priority_rule_validate(
    *, category: Category | None, tier: Any, severity: Any, priority: Any, rule_id: int | None = None
) -> dict[str, Any]:
    """One cell of the priority matrix as it would be stored; blank tier / severity / category = any."""
    errors: list[FieldError] = []
    tier, severity = tier or "", severity or ""
    if tier not in ("", *Tier.values):
        errors.append(FieldError("tier", "field.choice", choices=list(Tier.values), got=given(tier)))
    if severity not in ("", *Severity.values):
        errors.append(
            FieldError("severity", "field.choice", choices=list(Severity.values), got=given(severity))
        )
    if priority not in Priority.values:
        errors.append(
            FieldError("priority", "field.choice", choices=list(Priority.values), got=given(priority))
        )
    if (
        not errors
        and PriorityRule.objects.filter(category=category, tier=tier, severity=severity)
        .exclude(pk=rule_id)
        .exists()
    ):
        errors.append(FieldError("category", "settings.cell_taken"))
    if errors:
        raise FieldErrors(errors)
    return {"category": category, "tier": tier, "severity": severity, "priority": priority}


def priority_rule_save(
    *, rule: PriorityRule | None, by: User | None, now: datetime, **fields: Any
) -> PriorityRule:
    """Create (``rule=None``) or change one cell of the priority matrix."""
    _manage_check(by)
    with transaction.atomic():
        row = PriorityRule() if rule is None else PriorityRule.objects.select_for_update().get(pk=rule.pk)
        clean = priority_rule_validate(**fields, rule_id=row.pk)
        for name, value in clean.items():
            setattr(row, name, value)
        row.save()
    return row


def priority_rule_delete(*, rule: PriorityRule, by: User | None, now: datetime) -> None:
    _manage_check(by)
    PriorityRule.objects.filter(pk=rule.pk).delete()
