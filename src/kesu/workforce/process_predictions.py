"""The process model's predictions for kesu's open complaints: trained (``process.prefix_model_train``, the
model ``kesu process evaluate`` measures) on the lifecycle events of the complaints of the last half-year
that were closed (the newest ``MAX_TRAIN_CASES``), applied to every open complaint's events so far; stored in ``ProcessPrediction`` by a job
(nightly, and after the demo) for the desk to read — nothing is recomputed per request."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np
import pandas as pd
from django.db import transaction

from kesu.complaints.models import Complaint, ComplaintEvent, EventKind
from kesu.workforce.page_data import LIFECYCLE
from kesu.workforce.predictions import HISTORY, OPEN

MIN_CASES = 50
MAX_TRAIN_CASES = 4000  # the newest closed complaints: the job's cost stays bounded on a large centre


def _frame(events) -> pd.DataFrame:
    frame = pd.DataFrame(list(events.order_by("complaint_id", "at", "id").values_list("complaint_id", "kind", "at")),
                         columns=["case_id", "activity", "at"])
    if len(frame):
        frame["at"] = pd.to_datetime(frame["at"], utc=True).dt.tz_localize(None)
    frame["order"] = np.arange(len(frame))
    frame["seq"] = frame.groupby("case_id", sort=False).cumcount() if len(frame) else []
    return frame


def process_predictions_refresh(*, now: datetime, seed: int = 0) -> int:
    """Train on the closed complaints of the last half-year, predict every open complaint's next step and
    remaining time, store them (replacing the previous ones). Returns how many open complaints got one."""
    from threadpoolctl import threadpool_limits

    from kesu.workforce.models import ProcessPrediction
    from kesu.workforce.process import current_prefixes, prefix_model_train

    lifecycle = ComplaintEvent.objects.filter(kind__in=LIFECYCLE)
    closed = list(Complaint.objects.filter(created_at__gte=now - HISTORY, created_at__lt=now,
                                           merged_into__isnull=True, closed_at__isnull=False, closed_at__lt=now)
                  .order_by("-created_at").values_list("pk", flat=True)[:MAX_TRAIN_CASES])
    train = _frame(lifecycle.filter(complaint_id__in=closed, at__lt=now))
    if train["case_id"].nunique() < MIN_CASES:
        ProcessPrediction.objects.all().delete()
        return 0
    open_ids = Complaint.objects.filter(status__in=OPEN, merged_into__isnull=True, created_at__lt=now)
    current = _frame(lifecycle.filter(complaint__in=open_ids, at__lt=now))
    with threadpool_limits(1):  # OpenMP threads fight each other on a busy machine: one is faster
        model = prefix_model_train(train, seed=seed)
        ids, prefixes = current_prefixes(current, model.vocabulary)
        if ids:
            activities = {code: activity for activity, code in model.vocabulary.items()}
            next_codes = model.predict_next(prefixes)
            remaining = model.predict_remaining(prefixes)
    lasts = current.groupby("case_id", sort=False)["activity"].last().to_dict() if ids else {}
    rows = []
    for i, complaint_id in enumerate(ids):
        last_at = datetime.fromtimestamp(float(prefixes.at_seconds[i]), tz=UTC)
        days = round(float(remaining[i]), 3)
        rows.append(ProcessPrediction(
            complaint_id=int(complaint_id), last_activity=str(lasts[complaint_id]),
            events=int(prefixes.length[i]), next_activity=activities.get(int(next_codes[i]), ""),
            remaining_days=days, expected_end=last_at + timedelta(days=days), computed_at=now))
    with transaction.atomic():
        ProcessPrediction.objects.all().delete()
        ProcessPrediction.objects.bulk_create(rows, batch_size=1000)
    return len(rows)


def activity_label(activity: str) -> str:
    return str(dict(EventKind.choices).get(activity, activity))
