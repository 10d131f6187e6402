"""Escalation early warning: features known when a complaint is taken in, outcomes seen later, a logistic
model per outcome (regularisation chosen by cross-validation on the training part) whose largest feature
contributions are the reasons shown. Pure (numpy / scikit-learn) — the rows come from ``risk_selectors``.

No label leakage: every feature is known at the complaint's creation (earlier complaints of the customer,
the intake's emotion, channel, tier, claim, threat words); an outcome's own events are never features.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import numpy as np

OUTCOMES = ("escalation", "reopened", "repeat_30d", "negative_survey", "any")
THREAT = re.compile(r"12315|消协|消费者协会|工商|市场监管|监管|投诉到|曝光|媒体|记者|律师|起诉|法院|微博|报警|黑猫")
CHANNELS = ("phone", "chat", "email", "web", "social", "sms", "api")
FEATURES = (
    "complaints_30d", "complaints_90d", "escalations_90d", "repeat_count", "emotion", "emotion_missing",
    "vip", "claim_log", "threat_words", "priority", "red_channel", "needs_senior",
    *(f"channel_{c}" for c in CHANNELS),
)
TOP_SHARE = 0.2


@dataclass(frozen=True)
class Row:
    """One complaint as the model sees it at intake."""

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

    def vector(self) -> list[float]:
        emotion = self.emotion if self.emotion is not None else 0
        return [
            self.complaints_30d, self.complaints_90d, self.escalations_90d, self.repeat_count, emotion / 100,
            float(self.emotion is None), float(self.vip), math.log1p(max(self.amount, 0.0)),
            len(THREAT.findall(self.text or "")), {"P1": 4, "P2": 3, "P3": 2, "P4": 1}.get(self.priority, 0),
            float(self.red_channel), float(self.needs_senior),
            *(float(self.channel == c) for c in CHANNELS),
        ]


def matrix(rows: list[Row]) -> np.ndarray:
    return np.asarray([row.vector() for row in rows], dtype=float).reshape(-1, len(FEATURES))


def ranking_metrics(labels: np.ndarray, scores: np.ndarray) -> dict:
    """roc_auc, recall and precision among the 20 % ranked highest."""
    from sklearn.metrics import roc_auc_score

    n = len(labels)
    positives = int(labels.sum())
    top = max(1, math.ceil(TOP_SHARE * n))
    order = np.argsort(-scores, kind="stable")[:top]
    hits = int(labels[order].sum())
    return {
        "roc_auc": round(float(roc_auc_score(labels, scores)), 4) if 0 < positives < n else None,
        "recall_at_20pct": round(hits / positives, 4) if positives else None,
        "precision_at_20pct": round(hits / top, 4),
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

    model = LogisticRegressionCV(Cs=[0.01, 0.1, 1.0, 10.0], cv=5, scoring="roc_auc", class_weight="balanced",
                                 max_iter=2000, use_legacy_attributes=False)
    model.fit(x, y)
    return model


def risk_fit(x: np.ndarray, labels: dict[str, np.ndarray]) -> RiskModel:
    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale == 0] = 1.0
    z = (x - mean) / scale
    coefs, intercepts = {}, {}
    for outcome in OUTCOMES:
        y = labels[outcome]
        if 0 < y.sum() < len(y) and min(y.sum(), len(y) - y.sum()) >= 5:
            model = _fit(z, y)
            coefs[outcome], intercepts[outcome] = model.coef_[0], float(model.intercept_[0])
        else:  # an outcome never (or always) seen: a constant score
            coefs[outcome] = np.zeros(x.shape[1])
            rate = (y.sum() + 0.5) / (len(y) + 1)
            intercepts[outcome] = float(math.log(rate / (1 - rate)))
    return RiskModel(mean, scale, coefs, intercepts, len(x))


def risk_split_evaluate(x: np.ndarray, labels: dict[str, np.ndarray]) -> dict:
    """Train on the oldest 80 % (rows are in creation order), measure on the newest 20 %, beside the plain
    baseline that ranks by the intake's emotion temperature."""
    cut = int(len(x) * 0.8)
    model = risk_fit(x[:cut], {k: v[:cut] for k, v in labels.items()})
    emotion = x[cut:, FEATURES.index("emotion")]
    report: dict = {"train": cut, "test": len(x) - cut, "outcomes": {}}
    for outcome in OUTCOMES:
        y = labels[outcome][cut:]
        report["outcomes"][outcome] = {
            **ranking_metrics(y, model.probability(x[cut:], outcome)),
            "baseline_emotion": ranking_metrics(y, emotion),
        }
    return report
