"""Writers of triage: triage a complaint, correct it, train and activate category models."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction

from kesu.complaints.models import Category, Complaint, ComplaintEvent, EventKind, Severity
from kesu.core.errors import FieldError, NotPermitted
from kesu.core.models import User
from kesu.core.roles import Permission
from kesu.sla.actions import sla_refresh
from kesu.triage import steps
from kesu.triage.context import models_dir, triage_categories, triage_context
from kesu.triage.engine import EarlierComplaint, TriageInput, triage_run
from kesu.triage.models import ModelVersion, RepeatLink

# the complaint fields a triage writes (besides the open ones among category / severity / priority)
TRIAGE_FIELDS = ("emotion", "needs_senior", "red_channel", "repeat_count", "tags", "quality_missing", "updated_at")
EARLIER_LIMIT = 50  # the newest earlier complaints of the customer that are compared


def triage_input_for(
    complaint: Complaint, *, open_fields: frozenset[str], window_days: int, has_contact: bool | None = None
) -> TriageInput:
    """What triage reads about ``complaint`` (saved or not yet): its fields, the ones a person set
    (those not in ``open_fields``) and the customer's complaints of the last ``window_days`` (index
    ``customer, -created_at``)."""
    category_given = complaint.category.code if complaint.category_id and "category" not in open_fields else ""
    since = complaint.created_at - timedelta(days=window_days)
    earlier = Complaint.objects.filter(
        customer_id=complaint.customer_id, created_at__gte=since, created_at__lte=complaint.created_at,
        merged_into__isnull=True,
    )
    if complaint.pk is not None:
        earlier = earlier.exclude(pk=complaint.pk)
    earlier = earlier.order_by("-created_at").values_list("id", "number", "subject", "content", "created_at")
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
                      for i, n, s, c, at in earlier[:EARLIER_LIMIT]),
    )


def triage_prepare(
    complaint: Complaint, *, by: User | None, now: datetime, open_fields: frozenset[str],
    has_contact: bool | None = None,
) -> tuple[dict[str, Any], ComplaintEvent, list[RepeatLink]]:
    """Triage ``complaint`` and set the fields triage decides; return the result, the unsaved
    ``triaged`` event and the unsaved repeat links. Writes nothing, so intake can run it before
    the complaint's own INSERT."""
    context = triage_context()
    result = triage_run(
        triage_input_for(complaint, open_fields=open_fields, window_days=context.repeat_window_days,
                         has_contact=has_contact),
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
    *, complaint: Complaint, by: User | None, now: datetime, open_fields: frozenset[str] = frozenset()
) -> dict[str, Any]:
    """Triage a recorded complaint again and record it: fields, repeat links, a ``triaged`` event.

    ``open_fields``: which of category / severity / priority triage may set. The row is locked and
    read afresh, and only the fields triage owns are written, so a concurrent action is never undone.
    """
    if by is not None and not by.can(Permission.COMPLAINT_HANDLE):
        raise NotPermitted("triage.role_may_not", role=by.role)
    with transaction.atomic():
        current = (
            Complaint.objects.select_for_update(of=("self",)).select_related("customer", "category")
            .get(pk=complaint.pk)
        )
        result, event, links = triage_prepare(current, by=by, now=now, open_fields=open_fields)
        current.save(update_fields=[*TRIAGE_FIELDS, *sorted(open_fields)])
        event.save()
        repeat_links_save(links)
        sla_refresh(current, now=now)  # a new priority, category or red channel may choose another SLA policy
    return result


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
        current = Complaint.objects.select_for_update(of=("self",)).select_related("category").get(pk=complaint.pk)
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
        ComplaintEvent(
            complaint=current, kind=EventKind.CORRECTED, actor=by, at=now, from_status=current.status,
            to_status=current.status, data={"changes": changes, "reason": (reason or "").strip()[:2000]},
        ).save()
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


def training_rows() -> list[tuple[str, str]]:
    """(text, category code) of complaints whose category a person set or confirmed, oldest first."""
    rows = (
        Complaint.objects.filter(category_confirmed=True, category__isnull=False, merged_into__isnull=True)
        .order_by("created_at", "id")
        .values_list("subject", "content", "category__code")
    )
    return [(f"{s}\n{c}" if s else c, code) for s, c, code in rows.iterator(chunk_size=5000)]


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


def model_train(*, now: datetime, test_share: float = 0.2) -> TrainReport:
    """Train on the confirmed categories, test on the newest ``test_share`` by time, promote if not worse."""
    from kesu.triage.classifier import CategoryModel
    from kesu.triage.evaluation import category_evaluate

    rows = training_rows()
    if len(rows) < MIN_TRAINING_ROWS:
        raise FieldError("data", "triage.train.too_few", count=len(rows), minimum=MIN_TRAINING_ROWS)
    cut = int(len(rows) * (1 - test_share))
    train, test = rows[:cut], rows[cut:]
    if len({label for _t, label in train}) < 2:
        raise FieldError("data", "triage.train.one_category")
    trained: dict[str, CategoryModel] = {}

    def factory():
        trained["model"] = CategoryModel()
        return trained["model"]

    metrics = category_evaluate(train, test, model_factory=factory)
    active = ModelVersion.objects.filter(is_active=True).first()
    active_metrics = None
    if active is not None:
        from kesu.triage.context import model_load

        active_metrics = _score(model_load(active), test)
    promoted = active_metrics is None or metrics["macro_f1"] >= active_metrics["macro_f1"]
    version = (ModelVersion.objects.order_by("-version").values_list("version", flat=True).first() or 0) + 1
    directory = models_dir() / f"v{version}"
    if directory.exists():
        shutil.rmtree(directory)
    trained["model"].save(directory, trained_at=now, metrics=metrics)
    with transaction.atomic():
        if promoted:
            ModelVersion.objects.filter(is_active=True).update(is_active=False)
        ModelVersion.objects.create(
            version=version, directory=str(directory.relative_to(models_dir().parent.parent)),
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


def model_activate(*, version: int) -> ModelVersion:
    """Make ``version`` the active model (roll back or forward)."""
    target = ModelVersion.objects.filter(version=version).first()
    if target is None:
        known = ", ".join(f"v{v}" for v in ModelVersion.objects.values_list("version", flat=True)) or "—"
        raise FieldError("version", "triage.model.unknown_version", version=version, known=known)
    with transaction.atomic():
        ModelVersion.objects.filter(is_active=True).exclude(pk=target.pk).update(is_active=False)
        target.is_active = True
        target.save(update_fields=["is_active"])
    return target
