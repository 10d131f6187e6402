"""Training the risk model and keeping the scores of open complaints current."""

from __future__ import annotations

from datetime import datetime

import numpy as np
from django.db import transaction

from kesu.core.errors import FieldError
from kesu.workforce.models import RiskModelVersion, RiskScore
from kesu.workforce.risk import FEATURES, RiskModel, risk_fit, risk_split_evaluate
from kesu.workforce.risk_selectors import open_rows, risk_dataset

MIN_ROWS = 200


def risk_evaluate(*, now: datetime) -> dict:
    x, labels, ids = risk_dataset(now=now)
    if len(x) < MIN_ROWS:
        raise FieldError("history", "workforce.risk_no_data", got=len(x), need=MIN_ROWS)
    return risk_split_evaluate(x, labels, _groups(ids))


def _groups(ids: list[int]) -> np.ndarray:
    """Each row's complaint as a running number (rows of one complaint are adjacent, oldest first)."""
    groups = np.zeros(len(ids), dtype=int)
    for i in range(1, len(ids)):
        groups[i] = groups[i - 1] + (ids[i] != ids[i - 1])
    return groups


def risk_train(*, now: datetime) -> RiskModelVersion:
    """Measure on the time split, then fit on all the history with outcomes and make it the active model;
    score every open complaint with it."""
    metrics = risk_evaluate(now=now)
    x, labels, _ids = risk_dataset(now=now)
    model = risk_fit(x, labels)
    with transaction.atomic():
        RiskModelVersion.objects.filter(is_active=True).update(is_active=False)
        version = RiskModelVersion.objects.create(trained_at=now, params=model.as_json(), metrics=metrics)
    risk_score(now=now)
    return version


def risk_score(*, now: datetime, complaint_ids: list[int] | None = None) -> int:
    """(Re)score the open complaints (or the given ones); closed ones lose their score. Returns how many."""
    version = RiskModelVersion.objects.filter(is_active=True).first()
    if version is None or version.params.get("features") != list(FEATURES):
        return 0  # none yet, or one trained on other features (before an upgrade): train again
    model = RiskModel.from_json(version.params)
    ids, x = open_rows(complaint_ids, now=now)
    with transaction.atomic():
        stale = RiskScore.objects.exclude(complaint_id__in=ids)
        if complaint_ids is not None:
            stale = stale.filter(complaint_id__in=complaint_ids)
        stale.delete()
        if not ids:
            return 0
        scores = model.probability(x)
        existing = {s.complaint_id: s for s in RiskScore.objects.filter(complaint_id__in=ids)}
        new, changed = [], []
        for i, complaint_id in enumerate(ids):
            row = existing.get(complaint_id) or RiskScore(complaint_id=complaint_id)
            row.score = round(float(scores[i]), 4)
            row.reasons = model.reasons(x[i])
            row.computed_at = now
            row.model_version = version
            (changed if row.pk else new).append(row)
        RiskScore.objects.bulk_create(new, batch_size=1000)
        RiskScore.objects.bulk_update(changed, ["score", "reasons", "computed_at", "model_version"], batch_size=1000)
    return len(ids)
