"""Escalation early warning: features known when a complaint is scored, outcomes seen later, a logistic
model per outcome (regularisation chosen by cross-validation on the training part) whose largest feature
contributions are the reasons shown. Pure (numpy / scikit-learn) — the rows come from ``risk_selectors``.

The features are those of the intake (earlier complaints of the customer, the intake's emotion, channel,
tier, claim, threat words) and what happened since, up to the moment of scoring (the customer's messages and
their anger, time since the last contact, reopens, transfers, waiting for the customer, SLA warnings and
breaches, escalation level 1). History is learnt from snapshots: each past complaint seen at a few ages
(``risk_selectors.SNAPSHOT_HOURS``) while it was still open and not yet escalated, with the outcomes that
came after that moment. No label leakage: an outcome's own events are never features.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import numpy as np

OUTCOMES = ("escalation", "reopened", "repeat_30d", "negative_survey", "any")
THREAT = re.compile(r"12315|消协|消费者协会|工商|市场监管|监管|投诉到|曝光|媒体|记者|律师|起诉|法院|微博|报警|黑猫")
CHANNELS = ("phone", "chat", "email", "web", "social", "sms", "api")
INTAKE_FEATURES = (
    "complaints_30d", "complaints_90d", "escalations_90d", "repeat_count", "emotion", "emotion_missing",
    "vip", "claim_log", "threat_words", "priority", "red_channel", "needs_senior",
    *(f"channel_{c}" for c in CHANNELS),
)
# what happened since intake, as of the moment of scoring (never the outcome's own events)
DYNAMIC_FEATURES = (
    "age_hours_log", "customer_messages", "hours_since_contact_log", "reopens", "transfers", "pending",
    "sla_warned", "sla_breached", "escalation_level", "anger_max", "anger_last",
)
FEATURES = (*INTAKE_FEATURES, *DYNAMIC_FEATURES)
TOP_SHARE = 0.2
TOP_SHARE_SMALL = 0.05


@dataclass(frozen=True)
class Progress:
    """What happened to a complaint between its intake and the moment it is scored."""

    age_hours: float = 0.0
    customer_messages: int = 0
    hours_since_contact: float = 0.0
    reopens: int = 0
    transfers: int = 0
    pending: bool = False
    sla_warned: bool = False
    sla_breached: bool = False
    escalation_level: int = 0
    anger_max: int = 0
    anger_last: int = 0

    def vector(self) -> list[float]:
        return [math.log1p(max(self.age_hours, 0.0)), self.customer_messages,
                math.log1p(max(self.hours_since_contact, 0.0)), self.reopens, self.transfers, float(self.pending),
                float(self.sla_warned), float(self.sla_breached), self.escalation_level, self.anger_max / 100,
                self.anger_last / 100]


@dataclass(frozen=True)
class Row:
    """One complaint as the model sees it: at intake, and what happened since (``progress``)."""

    complaints_30d: int
    complaints_90d: int
    escalations_90d: int
    repeat_count: int
    emotion: int | None
    vip: bool
    amount: float
    text: str
    priority: str
    red_channel: bool
    needs_senior: bool
    channel: str
    progress: Progress = Progress()

    def vector(self) -> list[float]:
        emotion = self.emotion if self.emotion is not None else 0
        return [
            self.complaints_30d, self.complaints_90d, self.escalations_90d, self.repeat_count, emotion / 100,
            float(self.emotion is None), float(self.vip), math.log1p(max(self.amount, 0.0)),
            len(THREAT.findall(self.text or "")), {"P1": 4, "P2": 3, "P3": 2, "P4": 1}.get(self.priority, 0),
            float(self.red_channel), float(self.needs_senior),
            *(float(self.channel == c) for c in CHANNELS),
            *self.progress.vector(),
        ]


def matrix(rows: list[Row]) -> np.ndarray:
    return np.asarray([row.vector() for row in rows], dtype=float).reshape(-1, len(FEATURES))


def ranking_metrics(labels: np.ndarray, scores: np.ndarray) -> dict:
    """roc_auc, recall and precision among the 20 % ranked highest, precision among the top 5 %."""
    from sklearn.metrics import roc_auc_score

    n = len(labels)
    positives = int(labels.sum())
    top = max(1, math.ceil(TOP_SHARE * n))
    order = np.argsort(-scores, kind="stable")
    hits = int(labels[order[:top]].sum())
    small = max(1, math.ceil(TOP_SHARE_SMALL * n))
    return {
        "roc_auc": round(float(roc_auc_score(labels, scores)), 4) if 0 < positives < n else None,
        "recall_at_20pct": round(hits / positives, 4) if positives else None,
        "precision_at_20pct": round(hits / top, 4),
        "precision_at_5pct": round(int(labels[order[:small]].sum()) / small, 4),
        "positives": positives,
        "n": n,
    }


@dataclass
class RiskModel:
    """One standardised logistic regression per outcome."""

    mean: np.ndarray
    scale: np.ndarray
    coefs: dict[str, np.ndarray]
    intercepts: dict[str, float]
    trained_on: int

    def as_json(self) -> dict:
        return {"mean": self.mean.tolist(), "scale": self.scale.tolist(), "trained_on": self.trained_on,
                "coefs": {k: v.tolist() for k, v in self.coefs.items()}, "intercepts": self.intercepts,
                "features": list(FEATURES)}

    @classmethod
    def from_json(cls, data: dict) -> RiskModel:
        return cls(np.asarray(data["mean"]), np.asarray(data["scale"]),
                   {k: np.asarray(v) for k, v in data["coefs"].items()}, dict(data["intercepts"]), data["trained_on"])

    def probability(self, x: np.ndarray, outcome: str = "any") -> np.ndarray:
        z = ((x - self.mean) / self.scale) @ self.coefs[outcome] + self.intercepts[outcome]
        return 1 / (1 + np.exp(-z))

    def reasons(self, x_row: np.ndarray, outcome: str = "any", top: int = 3) -> list[dict]:
        contributions = ((x_row - self.mean) / self.scale) * self.coefs[outcome]
        order = np.argsort(-contributions)[:top]
        return [{"feature": FEATURES[i], "value": round(float(x_row[i]), 3),
                 "contribution": round(float(contributions[i]), 3)} for i in order if contributions[i] > 0]


def _fit(x: np.ndarray, y: np.ndarray):
    from sklearn.linear_model import LogisticRegressionCV
    from threadpoolctl import threadpool_limits

    model = LogisticRegressionCV(Cs=[0.03, 0.3, 3.0], cv=3, scoring="roc_auc", class_weight="balanced",
                                 solver="liblinear", max_iter=2000, use_legacy_attributes=False,
                                 l1_ratios=(0,))  # plain L2 (said, so that scikit-learn 1.9 does not warn)
    with threadpool_limits(1):  # small problems: threads only fight each other on a busy machine
        model.fit(x, y)
    return model


def risk_fit(x: np.ndarray, labels: dict[str, np.ndarray], columns: np.ndarray | None = None) -> RiskModel:
    """One logistic model per outcome on ``x`` (only ``columns`` of it when given: the others get no weight)."""
    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale == 0] = 1.0
    z = (x - mean) / scale
    used = np.arange(x.shape[1]) if columns is None else columns
    coefs, intercepts = {}, {}
    for outcome in OUTCOMES:
        y = labels[outcome]
        coefs[outcome] = np.zeros(x.shape[1])
        if 0 < y.sum() < len(y) and min(y.sum(), len(y) - y.sum()) >= 5:
            model = _fit(z[:, used], y)
            coefs[outcome][used], intercepts[outcome] = model.coef_[0], float(model.intercept_[0])
        else:  # an outcome never (or always) seen: a constant score
            rate = (y.sum() + 0.5) / (len(y) + 1)
            intercepts[outcome] = float(math.log(rate / (1 - rate)))
    return RiskModel(mean, scale, coefs, intercepts, len(x))


INTAKE_COLUMNS = np.arange(len(INTAKE_FEATURES))
CV_FOLDS = 3


def _cut(groups: np.ndarray, share: float) -> int:
    """The first row of the complaint at ``share`` of the complaints (rows of one complaint stay together;
    ``groups`` ascending)."""
    unique = np.unique(groups)
    index = int(len(unique) * share)
    if index >= len(unique):
        return len(groups)
    return int(np.searchsorted(groups, unique[index]))


def risk_split_evaluate(x: np.ndarray, labels: dict[str, np.ndarray], groups: np.ndarray | None = None) -> dict:
    """Train on the oldest 80 % of the complaints (rows are in creation order; ``groups``: the complaint of
    each row, its snapshots stay on one side), measure on the newest 20 %, beside two plain baselines: the
    same model on the intake features only, and the intake's emotion temperature. Then a rolling-origin
    cross-validation (train on the first k quarters, test on the next) for the model and the intake
    baseline's ROC AUC."""
    groups = np.arange(len(x)) if groups is None else groups
    cut = _cut(groups, 0.8)
    train_labels = {k: v[:cut] for k, v in labels.items()}
    model = risk_fit(x[:cut], train_labels)
    intake = risk_fit(x[:cut], train_labels, INTAKE_COLUMNS)
    emotion = x[cut:, FEATURES.index("emotion")]
    report: dict = {"train": cut, "test": len(x) - cut, "complaints": int(len(np.unique(groups))),
                    "outcomes": {}}
    for outcome in OUTCOMES:
        y = labels[outcome][cut:]
        report["outcomes"][outcome] = {
            **ranking_metrics(y, model.probability(x[cut:], outcome)),
            "baseline_intake": ranking_metrics(y, intake.probability(x[cut:], outcome)),
            "baseline_emotion": ranking_metrics(y, emotion),
        }
    report["cv"] = _cross_validate(x, labels, groups)
    return report


def _cross_validate(x: np.ndarray, labels: dict[str, np.ndarray], groups: np.ndarray) -> dict:
    scores: dict[str, dict[str, list[float]]] = {o: {"model": [], "baseline_intake": []} for o in OUTCOMES}
    for fold in range(1, CV_FOLDS + 1):
        start, stop = _cut(groups, fold / (CV_FOLDS + 1)), _cut(groups, (fold + 1) / (CV_FOLDS + 1))
        if fold == CV_FOLDS:
            stop = len(x)
        train_labels = {k: v[:start] for k, v in labels.items()}
        model = risk_fit(x[:start], train_labels)
        intake = risk_fit(x[:start], train_labels, INTAKE_COLUMNS)
        for outcome in OUTCOMES:
            y = labels[outcome][start:stop]
            for name, fitted in (("model", model), ("baseline_intake", intake)):
                auc = ranking_metrics(y, fitted.probability(x[start:stop], outcome))["roc_auc"]
                if auc is not None:
                    scores[outcome][name].append(auc)
    return {"folds": CV_FOLDS, "roc_auc": {
        outcome: {name: round(float(np.mean(values)), 4) if values else None for name, values in by.items()}
        for outcome, by in scores.items()}}
