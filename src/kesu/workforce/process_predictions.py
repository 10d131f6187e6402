"""The process model's predictions for kesu's open complaints, and their score.

Trained (``process.prefix_model_train``, the model ``kesu process evaluate`` measures) on the lifecycle events of
the complaints of the last half-year that were closed (the newest ``MAX_TRAIN_CASES``), applied to every open
complaint's events so far; stored in ``ProcessPrediction`` by a job (every three hours, and after the demo) for
the desk and the portal to read — nothing is recomputed per request.

Scoring: the first prediction after each lifecycle step of a complaint is kept in ``PredictionRecord`` beside
the baselines (the bigram's next step, the median remaining time, and for "likely resolved by" the plain
median resolution time) and the "likely resolved by" the pages showed then. Each run of the job first fills in
what happened since (the step that followed; the closing time) — ``process_scores`` compares them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np
import pandas as pd
from django.db import transaction
from django.db.models import Q

from kesu.complaints.models import Complaint, ComplaintEvent, EventKind, Status
from kesu.workforce.page_data import LIFECYCLE
from kesu.workforce.predictions import HISTORY, OPEN

MIN_CASES = 50
MAX_TRAIN_CASES = 4000  # the newest closed complaints: the job's cost stays bounded on a large centre
SCORE_DAYS = 90
NOMINAL = 0.5  # "likely resolved by" is a conditional median: half should be resolved by then


def _frame(events) -> pd.DataFrame:
    frame = pd.DataFrame(list(events.order_by("complaint_id", "at", "id").values_list("complaint_id", "kind", "at")),
                         columns=["case_id", "activity", "at"])
    if len(frame):
        frame["at"] = pd.to_datetime(frame["at"], utc=True).dt.tz_localize(None)
    frame["order"] = np.arange(len(frame))
    frame["seq"] = frame.groupby("case_id", sort=False).cumcount() if len(frame) else []
    return frame


def _open_at(now: datetime, *, replay: bool):
    complaints = Complaint.objects.filter(merged_into__isnull=True, created_at__lt=now)
    if not replay:
        return complaints.filter(status__in=OPEN)
    # a past moment: open then by the history (neither resolved nor closed yet at ``now``)
    return complaints.filter(Q(resolved_at__isnull=True) | Q(resolved_at__gte=now),
                             Q(closed_at__isnull=True) | Q(closed_at__gte=now))


def process_predictions_refresh(*, now: datetime, seed: int = 0, replay: bool = False,
                                max_train_cases: int = MAX_TRAIN_CASES) -> int:
    """Score the earlier predictions against what happened since, train on the closed complaints of the
    last half-year, predict every open complaint's next step, its time and the remaining time, store them
    (replacing the previous ones) and record the first prediction after each step. ``replay``: predict as of a
    past ``now`` (open complaints from the history, the resolution quantiles of then) and only record — the
    demo uses it to give the score a past. Returns how many open complaints got a prediction."""
    from threadpoolctl import threadpool_limits

    from kesu.workforce.models import PredictionRecord, ProcessPrediction, ResolutionQuantiles
    from kesu.workforce.predictions import resolution_estimates, resolution_quantiles
    from kesu.workforce.process import (
        conditional_wait,
        current_prefixes,
        prefix_model_train,
        transition_waits,
    )

    prediction_records_settle(now=now)
    lifecycle = ComplaintEvent.objects.filter(kind__in=LIFECYCLE)
    closed = list(Complaint.objects.filter(created_at__gte=now - HISTORY, created_at__lt=now,
                                           merged_into__isnull=True, closed_at__isnull=False, closed_at__lt=now)
                  .order_by("-created_at").values_list("pk", flat=True)[:max_train_cases])
    train = _frame(lifecycle.filter(complaint_id__in=closed, at__lt=now))
    if train["case_id"].nunique() < MIN_CASES:
        if not replay:
            ProcessPrediction.objects.all().delete()
        return 0
    open_complaints = _open_at(now, replay=replay)
    current = _frame(lifecycle.filter(complaint__in=open_complaints, at__lt=now))
    if current.empty:  # nothing open then (e.g. a demo with no generated complaints): nothing to predict
        if not replay:
            ProcessPrediction.objects.all().delete()
        return 0
    with threadpool_limits(1):  # OpenMP threads fight each other on a busy machine: one is faster
        model = prefix_model_train(train, seed=seed)
        ids, prefixes = current_prefixes(current, model.vocabulary)
        if ids:
            activities = {code: activity for activity, code in model.vocabulary.items()}
            next_codes = model.predict_next(prefixes)
            remaining = model.predict_remaining(prefixes)
            baseline_codes = model.baseline_next.predict(prefixes)  # type: ignore[union-attr]
            baseline_remaining = np.clip(model.baseline_time.predict(prefixes), 0, None)  # type: ignore[union-attr]
    if not ids:
        if not replay:
            ProcessPrediction.objects.all().delete()
        return 0
    waits = transition_waits(train)
    lasts = current.groupby("case_id", sort=False)["activity"].last().to_dict()
    quantiles = resolution_quantiles(now=now) if replay else list(ResolutionQuantiles.objects.all())
    likely = resolution_estimates(open_complaints.filter(pk__in=[int(i) for i in ids]).values_list(
        "pk", "category_id", "channel", "priority", "created_at"), quantiles=quantiles, now=now)
    rows, records = [], []
    for i, complaint_id in enumerate(ids):
        complaint_id = int(complaint_id)
        last_at = datetime.fromtimestamp(float(prefixes.at_seconds[i]), tz=UTC)
        days = round(float(remaining[i]), 3)
        next_activity = activities.get(int(next_codes[i]), "")
        last = str(lasts[complaint_id])
        wait = conditional_wait(waits.get((last, next_activity)), (now - last_at).total_seconds())
        prediction = ProcessPrediction(
            complaint_id=complaint_id, last_activity=last, events=int(prefixes.length[i]),
            next_activity=next_activity, remaining_days=days, expected_end=last_at + timedelta(days=days),
            computed_at=now, next_at=None if wait is None else last_at + timedelta(seconds=round(wait)))
        rows.append(prediction)
        likely_at, baseline_at = likely.get(complaint_id, (None, None))
        records.append(PredictionRecord(
            complaint_id=complaint_id, events=prediction.events, made_at=now, next_activity=next_activity,
            baseline_next=activities.get(int(baseline_codes[i]), ""), expected_end=prediction.expected_end,
            baseline_end=last_at + timedelta(days=round(float(baseline_remaining[i]), 3)),
            likely_resolved_by=likely_at, baseline_resolved_by=baseline_at))
    with transaction.atomic():
        if not replay:
            ProcessPrediction.objects.all().delete()
            ProcessPrediction.objects.bulk_create(rows, batch_size=1000)
        # the first prediction after a step is the one scored: later runs before the next step add nothing
        PredictionRecord.objects.bulk_create(records, batch_size=1000, ignore_conflicts=True)
    return len(rows)


def prediction_records_settle(*, now: datetime) -> int:
    """Fill in what happened to the recorded predictions by ``now``: the step that followed, and the closing
    time once the complaint closed. Reads only the complaints with an unsettled record. Returns how many
    records changed."""
    from kesu.workforce.models import PredictionRecord

    pending = list(PredictionRecord.objects.filter(Q(actual_next="") | Q(actual_end__isnull=True),
                                                   made_at__lt=now, made_at__gte=now - HISTORY)
                   .only("id", "complaint_id", "events", "actual_next", "actual_end"))
    if not pending:
        return 0
    complaint_ids = {record.complaint_id for record in pending}
    steps: dict[int, list[str]] = {}
    for complaint_id, kind in (ComplaintEvent.objects.filter(complaint_id__in=complaint_ids, kind__in=LIFECYCLE,
                                                             at__lt=now)
                               .order_by("complaint_id", "at", "id").values_list("complaint_id", "kind")):
        steps.setdefault(complaint_id, []).append(kind)
    ends = dict(Complaint.objects.filter(pk__in=complaint_ids, status=Status.CLOSED, closed_at__lt=now)
                .values_list("pk", "closed_at"))
    changed = []
    for record in pending:
        kinds = steps.get(record.complaint_id, [])
        touched = False
        if not record.actual_next and len(kinds) > record.events:
            record.actual_next, touched = kinds[record.events], True
        end = ends.get(record.complaint_id)
        if record.actual_end is None and end is not None and end >= record.made_at:
            record.actual_end, touched = end, True
        if touched:
            changed.append(record)
    PredictionRecord.objects.bulk_update(changed, ["actual_next", "actual_end"], batch_size=1000)
    return len(changed)


def process_scores(*, now: datetime, days: int = SCORE_DAYS) -> dict:
    """How the estimates made in the ``days`` before ``now`` did, each beside its baseline:
    the next step (right or wrong; bigram), the expected end (absolute error in days, of the complaints that
    closed since; median remaining time), and "likely resolved by" (the share resolved by then among those whose
    time has come — the coverage, to compare with the nominal 50 %; the plain median resolution time)."""
    from kesu.workforce.models import PredictionRecord

    rows = list(PredictionRecord.objects.filter(made_at__gte=now - timedelta(days=days), made_at__lt=now)
                .values_list("next_activity", "baseline_next", "actual_next", "expected_end", "baseline_end",
                             "actual_end", "likely_resolved_by", "baseline_resolved_by", "complaint__resolved_at"))

    def share(hits: list[bool]) -> float | None:
        return round(float(np.mean(hits)), 4) if hits else None

    def mae(errors: list[float]) -> float | None:
        return round(float(np.mean(errors)), 3) if errors else None

    stepped = [row for row in rows if row[2]]
    ended = [row for row in rows if row[5] is not None and row[5] < now]

    def covered(by: datetime | None, resolved: datetime | None) -> bool | None:
        if by is None or by > now:  # not due yet: neither a hit nor a miss
            return None
        return resolved is not None and resolved <= by

    model_cover = [c for c in (covered(row[6], row[8]) for row in rows) if c is not None]
    baseline_cover = [c for c in (covered(row[7], row[8]) for row in rows) if c is not None]
    return {
        "days": days,
        "predictions": len(rows),
        "next_step": {"scored": len(stepped), "model_accuracy": share([row[0] == row[2] for row in stepped]),
                      "bigram_accuracy": share([row[1] == row[2] for row in stepped])},
        "expected_end": {"scored": len(ended),
                         "model_mae_days": mae([abs((row[3] - row[5]).total_seconds()) / 86400 for row in ended]),
                         "median_mae_days": mae([abs((row[4] - row[5]).total_seconds()) / 86400 for row in ended])},
        "likely_resolved_by": {"scored": len(model_cover), "coverage": share(model_cover), "nominal": NOMINAL,
                               "baseline_scored": len(baseline_cover), "baseline_coverage": share(baseline_cover)},
    }


def activity_label(activity: str) -> str:
    return str(dict(EventKind.choices).get(activity, activity))
