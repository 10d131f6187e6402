"""Retention (PIPL Art. 19): complaints closed longer ago than an enabled policy allows are
anonymised — their texts and the free text of every row that belongs to them (events, replies,
calls, surveys …) become ``[已删除]``, their files are deleted; codes, categories, statuses and
durations stay for the statistics. The customer's own record is left alone (they may have newer
complaints; ``kesu privacy erase`` removes the person). Chunked: at most ``chunk`` complaints per
run, the periodic job runs again until none are left; a dry run reports what would change.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db import models, transaction

from kesu.privacy.models import RetentionPolicy
from kesu.privacy.persons import ERASED, FREE_TEXT_FIELDS, _related_models, _scrub, _text_fields

CHUNK = 200
MONTH = timedelta(days=30)


@dataclass
class RetentionReport:
    dry_run: bool
    complaints: int = 0
    rows: int = 0
    files: int = 0
    per_policy: dict[int, int] = field(default_factory=dict)
    more: bool = False


def retention_due(policy: RetentionPolicy, *, now: datetime):
    from kesu.complaints.models import Complaint

    rows = Complaint.objects.filter(closed_at__lt=now - policy.months * MONTH).exclude(content=ERASED)
    if policy.category_id:
        rows = rows.filter(category_id=policy.category_id)
    if policy.channel:
        rows = rows.filter(channel=policy.channel)
    return rows.order_by("closed_at", "pk")


def retention_sweep(*, now: datetime, dry_run: bool = False, chunk: int = CHUNK) -> RetentionReport:
    from kesu.calls.models import Call
    from kesu.complaints.models import Complaint

    report = RetentionReport(dry_run=dry_run)
    for policy in RetentionPolicy.objects.filter(enabled=True).order_by("pk"):
        due = retention_due(policy, now=now)
        left = chunk - report.complaints
        ids = list(due.values_list("pk", flat=True)[: max(left, 0) + 1])
        if len(ids) > left:
            report.more = True
            ids = ids[:left]
        report.per_policy[policy.pk] = len(ids)
        report.complaints += len(ids)
        if dry_run or not ids:
            continue
        call_ids = list(Call.objects.filter(complaint_id__in=ids).values_list("pk", flat=True))
        with transaction.atomic():
            for target, keys in ((Complaint, ids), (Call, call_ids)):
                rows, files = _anonymise(target, keys)
                report.rows += rows
                report.files += files
            fields = {f.name: ERASED for f in _text_fields(Complaint) if f.name in FREE_TEXT_FIELDS}
            report.rows += models.QuerySet(Complaint).filter(pk__in=ids).update(**fields)
    return report


def _anonymise(target: type[models.Model], keys: list[int]) -> tuple[int, int]:
    changed = files = 0
    for model, fk in _related_models(target):
        if model._meta.label_lower == "privacy.accesslog":
            continue
        text_fields = [f for f in _text_fields(model) if f.name in FREE_TEXT_FIELDS or isinstance(f, models.JSONField)]
        file_fields = [f for f in model._meta.concrete_fields if isinstance(f, models.FileField)]
        for row in models.QuerySet(model).filter(**{f"{fk}__in": keys}):
            update = {}
            for f in text_fields:
                old = getattr(row, f.attname)
                new = _scrub(old, [], free=not isinstance(old, dict | list))
                if new != old:
                    update[f.attname] = new
            for f in file_fields:
                stored = getattr(row, f.attname)
                if stored:
                    getattr(row, f.name).delete(save=False)
                    update[f.attname] = ""
                    files += 1
            if update:
                changed += models.QuerySet(model).filter(pk=row.pk).update(**update)
    return changed, files
