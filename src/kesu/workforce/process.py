"""Process maps and predictions from an event log (``case_id, activity, timestamp``): pure pandas / numpy /
scikit-learn, no Django — kesu's own complaint events are turned into the same log by ``selectors``.

- ``process_map``: the directly-follows graph with frequencies and median / p90 waiting per transition,
  the variants, rework (an activity repeated in a case) and a bottleneck ranking (total waiting per transition).
- ``process_evaluate``: the protocol of ``kesu process evaluate`` (cases ordered by their first event, first 2/3
  train; every prefix of 1 … n−1 events of a test case) for gradient boosting on prefix features against the
  ``bigram`` and ``median`` baselines. A model is kept only if it beats its baseline on the last fifth of the
  training cases (for the remaining time: the best there of the median, the median of the newest cases
  only and ``TIME_CANDIDATES`` — the test third is never looked at); the remaining-time prediction is capped by the time left until the log's last event (a case
  cannot be seen to go on after the log ends: the right-censoring of a recent test third).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

START, END = "▶start", "■end"
DAY = 86400.0
MAX_VARIANTS = 20
MAX_EDGES = 200


def log_frame(events: Sequence) -> pd.DataFrame:
    """Events (anything with case_id, activity, at) as a frame sorted by case and time, with ``seq``."""
    frame = pd.DataFrame({"case_id": [e.case_id for e in events], "activity": [e.activity for e in events],
                          "at": pd.to_datetime([e.at for e in events])})
    return _sorted(frame)


def _sorted(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame.reset_index(drop=True)
    frame["order"] = np.arange(len(frame))  # ties keep the file's order
    frame = frame.sort_values(["case_id", "at", "order"], kind="stable").reset_index(drop=True)
    frame["seq"] = frame.groupby("case_id", sort=False).cumcount()
    return frame


def _seconds(column: pd.Series) -> np.ndarray:
    """Seconds since the epoch, whatever the column's datetime resolution."""
    return (column - pd.Timestamp(0)).dt.total_seconds().to_numpy()


def _hours(seconds: np.ndarray) -> float:
    return round(float(seconds) / 3600, 2)


def process_map(frame: pd.DataFrame) -> dict:
    """The directly-follows map, variants, rework and bottlenecks of a sorted log frame."""
    case = frame["case_id"].to_numpy()
    activity = frame["activity"].astype(str).to_numpy()
    seconds = _seconds(frame["at"])
    same = np.zeros(len(frame), dtype=bool)
    same[1:] = case[1:] == case[:-1]
    first = ~same
    last = np.ones(len(frame), dtype=bool)
    last[:-1] = ~same[1:]
    pairs = pd.DataFrame({"source": activity[:-1][same[1:]], "target": activity[1:][same[1:]],
                          "wait": np.diff(seconds)[same[1:]]})
    edges = []
    if len(pairs):
        grouped = pairs.groupby(["source", "target"], sort=False)["wait"]
        stats = grouped.agg(count="size", median="median", total="sum")
        stats["p90"] = grouped.quantile(0.9)
        for (source, target), row in stats.sort_values("count", ascending=False).iterrows():
            edges.append({"source": source, "target": target, "count": int(row["count"]),
                          "median_wait_hours": _hours(row["median"]), "p90_wait_hours": _hours(row["p90"]),
                          "total_wait_hours": _hours(row["total"])})
    starts = Counter(activity[first])
    ends = Counter(activity[last])
    edges_all = ([{"source": START, "target": a, "count": n, "median_wait_hours": 0.0, "p90_wait_hours": 0.0,
                   "total_wait_hours": 0.0} for a, n in starts.most_common()]
                 + edges
                 + [{"source": a, "target": END, "count": n, "median_wait_hours": 0.0, "p90_wait_hours": 0.0,
                     "total_wait_hours": 0.0} for a, n in ends.most_common()])
    keyed = pd.DataFrame({"case_id": case, "activity": activity})
    traces = keyed.groupby("case_id", sort=False)["activity"].agg("\x1f".join)
    n_cases = len(traces)
    variants = Counter(traces.tolist())
    repeated_rows = keyed.duplicated(["case_id", "activity"]).to_numpy()
    rework_cases = keyed.loc[repeated_rows, "case_id"].nunique()
    rework_by_activity = Counter(keyed[repeated_rows].drop_duplicates(["case_id", "activity"])["activity"].tolist())
    durations = frame.groupby("case_id", sort=False)["at"].agg(["min", "max"])
    case_days = (durations["max"] - durations["min"]).dt.total_seconds() / DAY
    bottlenecks = sorted(edges, key=lambda e: e["total_wait_hours"], reverse=True)[:10]
    activities = Counter(activity)
    # an activity's duration: the median time until the case's next event; its place: the median share
    # of its case already done when it happens (0 = first, 1 = last), which lays the map out left to right
    wait_after = np.full(len(frame), np.nan)
    wait_after[:-1][same[1:]] = np.diff(seconds)[same[1:]]
    lengths = keyed.groupby("case_id", sort=False)["activity"].transform("size").to_numpy()
    seq = keyed.groupby("case_id", sort=False).cumcount().to_numpy()
    place = np.where(lengths > 1, seq / np.maximum(lengths - 1, 1), 0.0)
    per_activity = pd.DataFrame({"activity": activity, "wait": wait_after, "place": place}).groupby("activity")
    durations_h = (per_activity["wait"].median() / 3600).round(2).to_dict()
    places = per_activity["place"].median().round(3).to_dict()
    return {
        "cases": n_cases,
        "events": len(frame),
        "activities": [{"name": a, "count": n,
                        "median_duration_hours": None if pd.isna(durations_h[a]) else float(durations_h[a]),
                        "position": float(places[a])} for a, n in activities.most_common()],
        "edges": edges_all[:MAX_EDGES],
        "variants": [{"activities": trace.split("\x1f"), "cases": n, "share": round(n / n_cases, 4)}
                     for trace, n in variants.most_common(MAX_VARIANTS)],
        "variant_count": len(variants),
        "rework": {"cases": int(rework_cases), "share": round(rework_cases / n_cases, 4),
                   "by_activity": [{"activity": a, "cases": n} for a, n in rework_by_activity.most_common()]},
        "case_duration_days": {"median": round(float(case_days.median()), 2),
                               "p90": round(float(case_days.quantile(0.9)), 2)},
        "bottlenecks": [{"source": e["source"], "target": e["target"], "count": e["count"],
                         "median_wait_hours": e["median_wait_hours"], "total_wait_hours": e["total_wait_hours"]}
                        for e in bottlenecks],
    }


# --- predictions ---------------------------------------------------------------------------------------


@dataclass
class Prefixes:
    """One row per prefix (1 … n−1 events) of each case: features, the next activity, the remaining days."""

    case_index: np.ndarray
    length: np.ndarray
    last: np.ndarray
    features: np.ndarray
    next_activity: np.ndarray
    remaining_days: np.ndarray
    at_seconds: np.ndarray


def prefixes_build(frame: pd.DataFrame, vocabulary: dict[str, int]) -> Prefixes:
    """Prefix features: the last three activities, prefix length, elapsed and idle time, weekday and hour of
    the last event, and how often each activity occurred so far."""
    n_act = len(vocabulary)
    case_ids = frame["case_id"].to_numpy()
    codes = frame["activity"].astype(str).map(lambda a: vocabulary.get(a, n_act)).to_numpy()
    seconds = _seconds(frame["at"])
    weekday = frame["at"].dt.day_of_week.to_numpy()
    hour = frame["at"].dt.hour.to_numpy()
    rows, nexts, remaining, cases, lengths, lasts, ats = [], [], [], [], [], [], []
    boundaries = np.flatnonzero(np.r_[True, case_ids[1:] != case_ids[:-1], True])
    for case_number, (begin, end) in enumerate(zip(boundaries[:-1], boundaries[1:], strict=True)):
        seen = np.zeros(n_act + 1)
        for k in range(begin, end - 1):  # prefix = events begin..k
            seen[codes[k]] += 1
            length = k - begin + 1
            prev1 = codes[k - 1] if length >= 2 else -1
            prev2 = codes[k - 2] if length >= 3 else -1
            rows.append([codes[k], prev1, prev2, length, (seconds[k] - seconds[begin]) / DAY,
                         (seconds[k] - seconds[k - 1]) / DAY if length >= 2 else 0.0, weekday[k], hour[k],
                         *seen])
            nexts.append(codes[k + 1])
            remaining.append((seconds[end - 1] - seconds[k]) / DAY)
            cases.append(case_number)
            lengths.append(length)
            lasts.append(codes[k])
            ats.append(seconds[k])
    width = 8 + n_act + 1
    return Prefixes(np.asarray(cases), np.asarray(lengths), np.asarray(lasts),
                    np.asarray(rows, dtype=float).reshape(-1, width), np.asarray(nexts), np.asarray(remaining),
                    np.asarray(ats))


def current_prefixes(frame: pd.DataFrame, vocabulary: dict[str, int]) -> tuple[list, Prefixes]:
    """The whole prefix of each case so far (an open case: all its events), with the features of
    ``prefixes_build``; (case ids, prefixes) in the frame's case order. Next activity −1, remaining NaN."""
    n_act = len(vocabulary)
    case_ids = frame["case_id"].to_numpy()
    codes = frame["activity"].astype(str).map(lambda a: vocabulary.get(a, n_act)).to_numpy()
    seconds = _seconds(frame["at"])
    weekday = frame["at"].dt.day_of_week.to_numpy()
    hour = frame["at"].dt.hour.to_numpy()
    rows, ids, lengths, lasts, ats = [], [], [], [], []
    boundaries = np.flatnonzero(np.r_[True, case_ids[1:] != case_ids[:-1], True]) if len(frame) else [0]
    for begin, end in zip(boundaries[:-1], boundaries[1:], strict=True):
        seen = np.bincount(codes[begin:end], minlength=n_act + 1).astype(float)
        k, length = end - 1, end - begin
        prev1 = codes[k - 1] if length >= 2 else -1
        prev2 = codes[k - 2] if length >= 3 else -1
        rows.append([codes[k], prev1, prev2, length, (seconds[k] - seconds[begin]) / DAY,
                     (seconds[k] - seconds[k - 1]) / DAY if length >= 2 else 0.0, weekday[k], hour[k], *seen])
        ids.append(case_ids[begin])
        lengths.append(length)
        lasts.append(codes[k])
        ats.append(seconds[k])
    count = len(ids)
    return ids, Prefixes(np.zeros(count, dtype=int), np.asarray(lengths, dtype=int), np.asarray(lasts, dtype=int),
                         np.asarray(rows, dtype=float).reshape(-1, 8 + n_act + 1), np.full(count, -1),
                         np.full(count, np.nan), np.asarray(ats, dtype=float))


def split_cases(frame: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Cases ordered by their first event; the first 2/3 train, the rest test."""
    first = frame.groupby("case_id", sort=False)["at"].min().sort_values(kind="stable")
    cut = (2 * len(first)) // 3
    train_ids = set(first.index[:cut])
    mask = frame["case_id"].isin(train_ids)
    return _sorted(frame[mask].drop(columns=["order", "seq"])), _sorted(frame[~mask].drop(columns=["order", "seq"]))


class Bigram:
    def fit(self, p: Prefixes) -> Bigram:
        table: dict[int, Counter] = {}
        for last, nxt in zip(p.last, p.next_activity, strict=True):
            table.setdefault(int(last), Counter())[int(nxt)] += 1
        overall = Counter(p.next_activity.tolist()).most_common(1)
        self.default = overall[0][0] if overall else 0
        self.table = {last: c.most_common(1)[0][0] for last, c in table.items()}
        return self

    def predict(self, p: Prefixes) -> np.ndarray:
        return np.array([self.table.get(int(last), self.default) for last in p.last])


class MedianRemaining:
    def fit(self, p: Prefixes) -> MedianRemaining:
        frame = pd.DataFrame({"last": p.last, "length": p.length, "y": p.remaining_days})
        self.by_both = frame.groupby(["last", "length"])["y"].median().to_dict()
        self.by_last = frame.groupby("last")["y"].median().to_dict()
        self.overall = float(frame["y"].median()) if len(frame) else 0.0
        return self

    def predict(self, p: Prefixes) -> np.ndarray:
        out = np.empty(len(p.last))
        for i, (last, length) in enumerate(zip(p.last.tolist(), p.length.tolist(), strict=True)):
            value = self.by_both.get((last, length))
            if value is None:
                value = self.by_last.get(last, self.overall)
            out[i] = value
        return out


def _classifier(seed: int):
    from sklearn.ensemble import HistGradientBoostingClassifier

    return HistGradientBoostingClassifier(max_iter=40, learning_rate=0.15, max_leaf_nodes=15,
                                          categorical_features=[0, 1, 2], early_stopping=False, random_state=seed)


def _regressor(seed: int):
    from sklearn.ensemble import HistGradientBoostingRegressor

    return HistGradientBoostingRegressor(loss="absolute_error", max_iter=100, learning_rate=0.1,
                                         categorical_features=[0, 1, 2], early_stopping=False, random_state=seed)


def _categorical(features: np.ndarray, n_act: int) -> np.ndarray:
    out = features.copy()
    out[:, :3] = np.where(out[:, :3] < 0, n_act + 1, out[:, :3])  # "none" as its own category
    return out


@dataclass
class RemainingModel:
    """A gradient-boosting regressor of the remaining days (``log``: fitted on log(1 + days), so that its
    absolute-error loss aims at the conditional median on that scale), blended with the median baseline:
    ``weight`` × the regressor + (1 − ``weight``) × the median."""

    regressor: object
    log: bool
    median: MedianRemaining
    weight: float
    n_act: int

    def predict(self, p: Prefixes) -> np.ndarray:
        raw = self.regressor.predict(_categorical(p.features, self.n_act))  # type: ignore[attr-defined]
        days = np.expm1(raw) if self.log else raw
        return self.weight * np.clip(days, 0, None) + (1 - self.weight) * self.median.predict(p)


# the remaining-time candidates: (regressor on log days?, weight of the regressor in the blend with the median)
RECENT_SHARES = (0.25, 0.5)  # the median of the newest quarter / half of the cases only: a process that drifts
TIME_CANDIDATES = {f"gradient_boosting{'_log' if log else ''}" + (f"_blend_{weight}" if weight < 1 else ""): (log, weight)
                   for log in (False, True) for weight in (1.0, 0.75, 0.5, 0.25)}


@dataclass
class PrefixModel:
    """The next-activity and remaining-time predictors, each chosen on the newest fifth of the training cases:
    gradient boosting or its baseline for the next step; for the remaining time the median baseline, the same
    median of the newest ``RECENT_SHARES`` of the cases only, or one of ``TIME_CANDIDATES`` (the regressor on
    days or log days, alone or blended with the median)."""

    vocabulary: dict[str, int]
    next_model: object
    next_is_baseline: bool
    time_model: object
    time_is_baseline: bool
    validation: dict
    baseline_next: Bigram | None = None  # the baselines fitted on all the training prefixes, for scoring
    baseline_time: MedianRemaining | None = None
    time_name: str = "median"

    def predict_next(self, p: Prefixes) -> np.ndarray:
        if self.next_is_baseline:
            return self.next_model.predict(p)  # type: ignore[attr-defined]
        return self.next_model.predict(_categorical(p.features, len(self.vocabulary)))  # type: ignore[attr-defined]

    def predict_remaining(self, p: Prefixes, log_end_seconds: float | None = None) -> np.ndarray:
        values = np.clip(self.time_model.predict(p), 0, None)  # type: ignore[attr-defined]
        if log_end_seconds is not None:
            values = np.minimum(values, np.clip((log_end_seconds - p.at_seconds) / DAY, 0, None))
        return values


def _prefixes_of(frame: pd.DataFrame, case_ids: set, vocabulary: dict[str, int]) -> Prefixes:
    return prefixes_build(_sorted(frame[frame["case_id"].isin(case_ids)].drop(columns=["order", "seq"])), vocabulary)


def prefix_model_train(train: pd.DataFrame, seed: int = 0,
                       progress: Callable[[str], None] | None = None) -> PrefixModel:
    vocabulary = {a: i for i, a in enumerate(sorted(train["activity"].astype(str).unique()))}
    n_act = len(vocabulary)
    first = train.groupby("case_id", sort=False)["at"].min().sort_values(kind="stable")
    cut = int(len(first) * 0.8)
    inner_ids = set(first.index[:cut])
    mask = train["case_id"].isin(inner_ids)
    inner = prefixes_build(_sorted(train[mask].drop(columns=["order", "seq"])), vocabulary)
    held = prefixes_build(_sorted(train[~mask].drop(columns=["order", "seq"])), vocabulary)
    if progress:
        progress(f"validating on {len(held.last)} prefixes of the newest training cases")
    validation: dict = {}
    next_is_baseline = True
    time_name = "median"
    if len(inner.last) and len(held.last):
        bigram = Bigram().fit(inner)
        gbm = _classifier(seed).fit(_categorical(inner.features, n_act), inner.next_activity)
        validation["next_activity_accuracy"] = {
            "model": round(float((gbm.predict(_categorical(held.features, n_act)) == held.next_activity).mean()), 4),
            "bigram": round(float((bigram.predict(held) == held.next_activity).mean()), 4)}
        next_is_baseline = validation["next_activity_accuracy"]["model"] <= validation["next_activity_accuracy"]["bigram"]
        median = MedianRemaining().fit(inner)
        by_median = median.predict(held)
        errors = {"median": float(np.abs(by_median - held.remaining_days).mean())}
        for log in (False, True):
            target = np.log1p(inner.remaining_days) if log else inner.remaining_days
            raw = _regressor(seed).fit(_categorical(inner.features, n_act), target).predict(
                _categorical(held.features, n_act))
            days = np.clip(np.expm1(raw) if log else raw, 0, None)
            for name, (candidate_log, weight) in TIME_CANDIDATES.items():
                if candidate_log == log:
                    errors[name] = float(np.abs(weight * days + (1 - weight) * by_median - held.remaining_days).mean())
        for share in RECENT_SHARES:
            recent = set(first.index[int(cut * (1 - share)):cut])
            fitted = MedianRemaining().fit(_prefixes_of(train, recent, vocabulary))
            errors[f"median_recent_{share}"] = float(np.abs(fitted.predict(held) - held.remaining_days).mean())
        validation["remaining_time_mae_days"] = {name: round(value, 4) for name, value in errors.items()}
        time_name = min(errors, key=lambda name: (errors[name], name != "median"))  # a tie keeps the median
    full = prefixes_build(train, vocabulary)
    if progress:
        progress(f"training on {len(full.last)} prefixes ({time_name} for the remaining time)")
    next_model = Bigram().fit(full) if next_is_baseline else _classifier(seed).fit(
        _categorical(full.features, n_act), full.next_activity)
    median_full = MedianRemaining().fit(full)
    time_model: object = median_full
    if time_name.startswith("median_recent_"):
        share = float(time_name.removeprefix("median_recent_"))
        time_model = MedianRemaining().fit(_prefixes_of(train, set(first.index[int(len(first) * (1 - share)):]),
                                                        vocabulary))
    elif time_name != "median":
        log, weight = TIME_CANDIDATES[time_name]
        target = np.log1p(full.remaining_days) if log else full.remaining_days
        time_model = RemainingModel(_regressor(seed).fit(_categorical(full.features, n_act), target), log,
                                    median_full, weight, n_act)
    baseline_next = next_model if next_is_baseline else Bigram().fit(full)
    return PrefixModel(vocabulary, next_model, next_is_baseline, time_model, time_name == "median", validation,
                       baseline_next, median_full, time_name)


MIN_WAITS = 10


def transition_waits(frame: pd.DataFrame) -> dict[tuple[str, str], np.ndarray]:
    """The waits (seconds, sorted) between consecutive events of a sorted log frame, per (from, to)."""
    case = frame["case_id"].to_numpy()
    activity = frame["activity"].astype(str).to_numpy()
    seconds = _seconds(frame["at"])
    same = case[1:] == case[:-1]
    pairs = pd.DataFrame({"source": activity[:-1][same], "target": activity[1:][same],
                          "wait": np.diff(seconds)[same]})
    return {key: np.sort(group.to_numpy()) for key, group in pairs.groupby(["source", "target"])["wait"]}


def conditional_wait(waits: np.ndarray | None, waited: float) -> float | None:
    """The median of the waits longer than ``waited`` seconds (the time already waited counts); ``None`` when
    fewer than ``MIN_WAITS`` lasted that long."""
    if waits is None:
        return None
    longer = waits[int(np.searchsorted(waits, waited, side="right")):]
    return float(np.median(longer)) if len(longer) >= MIN_WAITS else None


def process_evaluate(frame: pd.DataFrame, seed: int = 0, progress: Callable[[str], None] | None = None) -> dict:
    """The protocol of ``kesu process evaluate``."""
    from threadpoolctl import threadpool_limits

    with threadpool_limits(1):  # OpenMP threads fight each other on a busy machine: one is faster
        return _evaluate(frame, seed, progress)


def _evaluate(frame: pd.DataFrame, seed: int, progress: Callable[[str], None] | None) -> dict:
    train, test = split_cases(frame)
    model = prefix_model_train(train, seed=seed, progress=progress)
    train_p = prefixes_build(train, model.vocabulary)
    test_p = prefixes_build(test, model.vocabulary)
    if not len(test_p.last):
        raise ValueError("the test third has no case with two events or more")
    bigram = Bigram().fit(train_p)
    median = MedianRemaining().fit(train_p)
    log_end = float(_seconds(frame["at"]).max())
    actual_next, actual_time = test_p.next_activity, test_p.remaining_days
    return {
        "cases": {"train": int(train["case_id"].nunique()), "test": int(test["case_id"].nunique())},
        "prefixes": {"train": len(train_p.last), "test": len(test_p.last)},
        "next_activity_accuracy": round(float((model.predict_next(test_p) == actual_next).mean()), 4),
        "remaining_time_mae_days": round(float(np.abs(model.predict_remaining(test_p, log_end) - actual_time).mean()), 4),
        "bigram": {"next_activity_accuracy": round(float((bigram.predict(test_p) == actual_next).mean()), 4)},
        "median": {"remaining_time_mae_days": round(float(np.abs(median.predict(test_p) - actual_time).mean()), 4)},
        "models": {"next_activity": "bigram" if model.next_is_baseline else "gradient_boosting",
                   "remaining_time": model.time_name + ", capped at the log's end"},
        "validation": model.validation,
    }
