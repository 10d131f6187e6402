"""Writers of triage: triage a complaint, correct it, train and activate category models."""

from __future__ import annotations

import logging
import shutil
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from django.db import transaction

from kesu.complaints.models import Category, Complaint, ComplaintEvent, EventKind, Severity
from kesu.complaints.records import complaint_lock, event_record
from kesu.core.errors import FieldError, NotPermitted
from kesu.core.models import User
from kesu.core.roles import Permission
from kesu.sla.actions import sla_refresh
from kesu.triage import steps
from kesu.triage.context import models_dir, triage_categories, triage_context
from kesu.triage.engine import EarlierComplaint, TriageInput, triage_run
from kesu.triage.models import ModelKind, ModelVersion, RepeatLink

logger = logging.getLogger(__name__)

# the complaint fields a triage writes (besides the open ones among category / severity / priority)
TRIAGE_FIELDS = ("emotion", "needs_senior", "red_channel", "repeat_count", "tags", "quality_missing", "updated_at")
EARLIER_LIMIT = 50  # the newest earlier complaints of the customer that are compared


def triage_input_for(
    complaint: Complaint, *, open_fields: frozenset[str], window_days: int, has_contact: bool | None = None,
    first: bool = False,
) -> TriageInput:
    """What triage reads about ``complaint`` (saved or not yet): its fields, the ones a person set
    (those not in ``open_fields``) and the customer's complaints of the last ``window_days`` (index
    ``customer, -created_at``) — none read when ``first``: the customer was created for it."""
    category_given = complaint.category.code if complaint.category_id and "category" not in open_fields else ""
    rows: Any = ()
    if not first:  # (building the queryset costs more than SQLite's answer: not when it is not run)
        since = complaint.created_at - timedelta(days=window_days)
        earlier = Complaint.objects.filter(
            customer_id=complaint.customer_id, created_at__gte=since, created_at__lte=complaint.created_at,
            merged_into__isnull=True,
        )
        if complaint.pk is not None:
            earlier = earlier.exclude(pk=complaint.pk)
        rows = earlier.order_by("-created_at").values_list("id", "number", "subject", "content", "created_at")
        rows = rows[:EARLIER_LIMIT]
    if has_contact is None:
        has_contact = complaint.customer.identities.exists()
    return TriageInput(
        subject=complaint.subject, content=complaint.content, tier=complaint.customer.tier,
        category_given=category_given, amount_claimed=complaint.amount_claimed,
        severity_given="" if "severity" in open_fields else complaint.severity,
        priority_given="" if "priority" in open_fields else complaint.priority,
        fields={name: getattr(complaint, name) for name in
                ("content", "product", "batch", "order_number", "amount_claimed", "region", "subject")},
        has_contact=has_contact,
        created_at=complaint.created_at,
        earlier=tuple(EarlierComplaint(id=i, number=n, text=f"{s}\n{c}" if s else c, created_at=at)
                      for i, n, s, c, at in rows),
    )


def triage_prepare(
    complaint: Complaint, *, by: User | None, now: datetime, open_fields: frozenset[str],
    has_contact: bool | None = None, first: bool = False,
) -> tuple[dict[str, Any], ComplaintEvent, list[RepeatLink]]:
    """Triage ``complaint`` and set the fields triage decides; return the result, the unsaved
    ``triaged`` event and the unsaved repeat links. Writes nothing, so intake can run it before
    the complaint's own INSERT."""
    context = triage_context()
    result = triage_run(
        triage_input_for(complaint, open_fields=open_fields, window_days=context.repeat_window_days,
                         has_contact=has_contact, first=first),
        context,
    )
    event = steps.triaged(complaint, result, categories=triage_categories(), by=by, now=now, open_fields=open_fields)
    links = [RepeatLink(complaint=complaint, earlier_id=r["id"], similarity=r["similarity"])
             for r in result["repeat"]["earlier"]]
    return result, event, links


def repeat_links_save(links: list[RepeatLink]) -> None:
    if links:
        RepeatLink.objects.bulk_create(links, ignore_conflicts=True)


def complaint_triage(
    *, complaint: Complaint, by: User | None, now: datetime, open_fields: frozenset[str] | None = frozenset(),
    only_if_changed: bool = False,
) -> dict[str, Any] | None:
    """Triage a recorded complaint again and record it: fields, repeat links, a ``triaged`` event.

    ``open_fields``: which of category / severity / priority triage may set; ``None``: the ones
    triage set last time and nobody changed since (`triage_owned_fields`). The row is locked and read
    afresh, and only the fields triage owns are written, so a concurrent action is never undone.
    ``only_if_changed``: write nothing (and return None) when the outcome is the latest one's.
    """
    if by is not None and not by.can(Permission.COMPLAINT_HANDLE):
        raise NotPermitted("triage.role_may_not", role=by.role)
    with transaction.atomic():
        current = (
            complaint_lock(complaint, "customer", "category")
        )
        history = list(current.events.filter(kind__in=(EventKind.TRIAGED, EventKind.CORRECTED, EventKind.ROUTED))
                       .order_by("at", "id"))
        if open_fields is None:
            open_fields = triage_owned_fields(history)
        result, event, links = triage_prepare(current, by=by, now=now, open_fields=open_fields)
        if only_if_changed:
            latest = next((e for e in reversed(history) if e.kind == EventKind.TRIAGED), None)
            before = (latest.data or {}).get("result") if latest is not None else None
            if before and triage_outcome(before) == triage_outcome(result):
                return None
        current.save(update_fields=[*TRIAGE_FIELDS, *sorted(open_fields)])
        event.save()
        repeat_links_save(links)
        sla_refresh(current, now=now)  # a new priority, category or red channel may choose another SLA policy
    return result


def triage_owned_fields(history: list[ComplaintEvent]) -> frozenset[str]:
    """Of category / severity / priority, those the latest triage set and no later event changed
    (a correction, a routing rule): what a re-triage may set again. ``history``: the complaint's
    triaged, corrected and routed events, oldest first."""
    owned: set[str] = set()
    for event in history:
        data = event.data or {}
        if event.kind == EventKind.TRIAGED and "result" in data:
            owned = set(data.get("applied") or {})
        elif event.kind == EventKind.CORRECTED:
            owned -= set(data.get("changes") or {})
        elif event.kind == EventKind.ROUTED and data.get("priority"):
            owned.discard("priority")
    return frozenset(owned)


def triage_outcome(result: dict[str, Any]) -> dict[str, Any]:
    """What a triage result decides, without its wording: two results with the same outcome are the
    same for the complaint (a backfill writes no event for them)."""
    category = result.get("category") or {}
    red = result.get("red_channel") or {}
    return {
        "category": (category.get("code"), bool(category.get("apply"))),
        "severity": (result.get("severity") or {}).get("value"),
        "priority": (result.get("priority") or {}).get("value"),
        "emotion": (result.get("emotion") or {}).get("score"),
        "senior": (result.get("needs_senior") or {}).get("value"),
        "red": sorted((e.get("kind"), e.get("term")) for e in red.get("evidence", [])),
        "tags": sorted(t.get("tag") for t in result.get("tags", [])),
        "repeat": (result.get("repeat") or {}).get("count"),
        "missing": sorted((result.get("quality") or {}).get("missing", [])),
    }


@dataclass(frozen=True)
class BackfillReport:
    examined: int
    changed: int
    failed: int


BACKFILL_CHUNK = 500


def triage_backfill(
    *, now: datetime, since: datetime | None = None, only_open: bool = False, chunk: int = BACKFILL_CHUNK,
    progress: Any = None,
) -> BackfillReport:
    """Triage existing complaints again (after a configuration or model change), in chunks of
    ``chunk`` by id, each through `complaint_triage` in its own transaction, writing a ``triaged``
    event only where the outcome changed. Triage sets again only the fields it owns (it set them last
    time and nobody changed them since). ``progress(done, total)`` is called after each chunk."""
    from kesu.sla.clocks import OPEN_STATUSES

    complaints = Complaint.objects.filter(merged_into__isnull=True)
    if since is not None:
        complaints = complaints.filter(created_at__gte=since)
    if only_open:
        complaints = complaints.filter(status__in=sorted(OPEN_STATUSES))
    total = complaints.count()
    examined = changed = failed = 0
    last = 0
    while True:
        ids = list(complaints.filter(pk__gt=last).order_by("pk").values_list("pk", flat=True)[:chunk])
        if not ids:
            break
        for complaint in Complaint.objects.filter(pk__in=ids).order_by("pk"):
            examined += 1
            try:
                if complaint_triage(complaint=complaint, by=None, now=now, open_fields=None,
                                    only_if_changed=True) is not None:
                    changed += 1
            except Exception:  # one complaint that cannot be triaged must not stop the others
                logger.exception("backfill: triage of %s failed", complaint.number)
                failed += 1
        last = ids[-1]
        if progress is not None:
            progress(examined, total)
    return BackfillReport(examined=examined, changed=changed, failed=failed)


def complaint_correct(
    *, complaint: Complaint, by: User, now: datetime, category: str = "", severity: str = "", reason: str = ""
) -> Complaint:
    """A handler corrects triage's category and/or severity; the correction is training data."""
    if not by.can(Permission.COMPLAINT_HANDLE):
        raise NotPermitted("triage.role_may_not", role=by.role)
    if not category and not severity:
        raise FieldError("category", "triage.correct.nothing")
    new_category = None
    if category:
        new_category = Category.objects.filter(code=category, is_active=True).first()
        if new_category is None:
            raise FieldError("category", "triage.correct.unknown_category", category=category)
    if severity and severity not in Severity.values:
        raise FieldError("severity", "triage.correct.unknown_severity", severity=severity,
                         choices=", ".join(Severity.values))
    with transaction.atomic():
        current = complaint_lock(complaint, "category")
        changes: dict[str, list] = {}
        if new_category is not None:
            changes["category"] = [current.category.code if current.category_id else None, new_category.code]
            current.category = new_category
            current.category_confirmed = True
        if severity:
            changes["severity"] = [current.severity, severity]
            current.severity = severity
        current.updated_at = now
        current.save()
        event_record(current, EventKind.CORRECTED, now=now, by=by,
                     data={"changes": changes, "reason": (reason or "").strip()[:2000]})
        sla_refresh(current, now=now)  # a new category may choose another SLA policy
    return current


# --- models ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TrainReport:
    version: int
    promoted: bool
    metrics: dict[str, Any]
    active_metrics: dict[str, Any] | None
    reason: str


def training_rows(*, newest: int | None = None) -> list[tuple[str, str]]:
    """(text, category code) of complaints whose category a person set or confirmed, oldest first;
    only the ``newest`` ones when given."""
    rows = (
        Complaint.objects.filter(category_confirmed=True, category__isnull=False, merged_into__isnull=True)
        .values_list("subject", "content", "category__code", "created_at", "id")
    )
    if newest is not None:
        rows = rows.order_by("-created_at", "-id")[:newest]
        picked = sorted(rows, key=lambda row: (row[3], row[4]))
    else:
        picked = rows.order_by("created_at", "id").iterator(chunk_size=5000)
    return [(f"{s}\n{c}" if s else c, code) for s, c, code, _at, _id in picked]


MIN_TRAINING_ROWS = 50


def _score(model, rows: list[tuple[str, str]]) -> dict[str, Any]:
    """Macro-F1 and accuracy of an already trained model on ``rows``."""
    from sklearn.metrics import accuracy_score, f1_score

    truth = [label for _text, label in rows]
    predicted = [model.predict_one(text).label for text, _label in rows]
    return {
        "macro_f1": round(float(f1_score(truth, predicted, average="macro", zero_division=0)), 4),
        "accuracy": round(float(accuracy_score(truth, predicted)), 4),
        "n_test": len(rows),
    }


def model_train(*, now: datetime, test_share: float = 0.2, newest: int | None = None, progress: Any = None
                ) -> TrainReport:
    """Train on the confirmed categories (the ``newest`` ones when given), test on the newest
    ``test_share`` of them by time, promote if not worse than the active model on the same test."""
    from kesu.triage.classifier import CategoryModel
    from kesu.triage.evaluation import category_evaluate

    rows = training_rows(newest=newest)
    if len(rows) < MIN_TRAINING_ROWS:
        raise FieldError("data", "triage.train.too_few", count=len(rows), minimum=MIN_TRAINING_ROWS)
    cut = int(len(rows) * (1 - test_share))
    train, test = rows[:cut], rows[cut:]
    if len({label for _t, label in train}) < 2:
        raise FieldError("data", "triage.train.one_category")
    trained: dict[str, CategoryModel] = {}

    def factory():
        trained["model"] = CategoryModel(progress=progress)
        return trained["model"]

    metrics = category_evaluate(train, test, model_factory=factory)
    kind = ModelKind.CATEGORY
    active = ModelVersion.objects.filter(kind=kind, is_active=True).first()
    active_metrics = None
    if active is not None:
        from kesu.triage.context import model_load

        active_metrics = _score(model_load(active), test)
    promoted = active_metrics is None or metrics["macro_f1"] >= active_metrics["macro_f1"]
    version, directory = _next_version(kind)
    trained["model"].save(directory, trained_at=now, metrics=metrics)
    with transaction.atomic():
        if promoted:
            ModelVersion.objects.filter(kind=kind, is_active=True).update(is_active=False)
        ModelVersion.objects.create(
            kind=kind, version=version, directory=str(directory.relative_to(models_dir().parent.parent)),
            metrics={**metrics, "compared_with": active.version if active else None,
                     "active_on_same_test": active_metrics},
            n_train=len(train), trained_at=now, is_active=promoted,
        )
    if promoted:
        reason = "first model" if active is None else (
            f"macro-F1 {metrics['macro_f1']} ≥ v{active.version}'s {active_metrics['macro_f1']} on the same test set")
    else:
        reason = f"macro-F1 {metrics['macro_f1']} < v{active.version}'s {active_metrics['macro_f1']}; v{active.version} stays active"
    return TrainReport(version=version, promoted=promoted, metrics=metrics, active_metrics=active_metrics, reason=reason)


def _next_version(kind: str) -> tuple[int, Path]:
    version = (ModelVersion.objects.filter(kind=kind).order_by("-version").values_list("version", flat=True).first()
               or 0) + 1
    directory = models_dir(kind) / f"v{version}"
    if directory.exists():
        shutil.rmtree(directory)
    return version, directory


def model_activate(*, version: int | None, kind: str = ModelKind.CATEGORY) -> ModelVersion | None:
    """Make ``version`` the active model of ``kind`` (roll back or forward); ``None`` for the anger
    model: back to the shipped rules."""
    if kind not in ModelKind.values:
        raise FieldError("target", "triage.model.no_target", target=kind, choices=", ".join(ModelKind.values))
    if version is None and kind == ModelKind.ANGER:
        from kesu.core.configcache import config_changed
        from kesu.triage.context import triage_context_reset

        with transaction.atomic():
            ModelVersion.objects.filter(kind=kind, is_active=True).update(is_active=False)
            config_changed("triage")  # every process drops its cached model (ADR 0015)
        triage_context_reset()
        return None
    target = ModelVersion.objects.filter(kind=kind, version=version).first()
    if target is None:
        known = ", ".join(f"v{v}" for v in ModelVersion.objects.filter(kind=kind).values_list("version", flat=True))
        raise FieldError("version", "triage.model.unknown_version", version=version, known=known or "—")
    with transaction.atomic():
        ModelVersion.objects.filter(kind=kind, is_active=True).exclude(pk=target.pk).update(is_active=False)
        target.is_active = True
        target.save(update_fields=["is_active"])
    return target


def anger_model_train(*, rows: list[tuple[str, str]], now: datetime) -> TrainReport:
    """Train a centre's anger model on texts it labelled 0–3 and make it the temperature triage uses,
    when its cross-validated ROC AUC (anger ≥ 2) is not below the shipped rules' on the same texts."""
    from kesu.triage.anger import ANGRY, MIN_EACH, AngerModel, levels_parse
    from kesu.triage.emotion import emotion_temperature, roc_auc

    levels = levels_parse(label for _text, label in rows)
    angry = sum(level >= ANGRY for level in levels)
    if min(angry, len(levels) - angry) < MIN_EACH:
        raise FieldError("data", "triage.train.anger_too_few", count=len(levels), angry=angry, minimum=MIN_EACH)
    texts = [text for text, _label in rows]
    model = AngerModel().fit(texts, levels)
    rules_auc = round(roc_auc([emotion_temperature(t).heat for t in texts], [int(v >= ANGRY) for v in levels]), 4)
    metrics = {"cv_roc_auc": model.choice.get("cv_roc_auc"), "rules_roc_auc": rules_auc, "n_train": len(rows),
               "n_angry": angry, "chosen": model.choice}
    kind = ModelKind.ANGER
    promoted = (model.choice.get("cv_roc_auc") or 0) >= rules_auc
    version, directory = _next_version(kind)
    model.save(directory, metrics=metrics, trained_at=now.isoformat())
    with transaction.atomic():
        if promoted:
            ModelVersion.objects.filter(kind=kind, is_active=True).update(is_active=False)
        ModelVersion.objects.create(
            kind=kind, version=version, directory=str(directory.relative_to(models_dir().parent.parent)),
            metrics=metrics, n_train=len(rows), trained_at=now, is_active=promoted,
        )
    reason = (f"cross-validated ROC AUC {metrics['cv_roc_auc']} {'≥' if promoted else '<'} the rules' {rules_auc} "
              f"on the same texts")
    return TrainReport(version=version, promoted=promoted, metrics=metrics, active_metrics=None, reason=reason)
