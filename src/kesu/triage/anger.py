"""A centre's own anger model: the emotion temperature learnt from texts its people labelled 0–3.

The shipped temperature (`emotion.emotion_temperature`) needs no training. A centre that has labelled
some of its complaints for anger (0 calm or formal, 1 mildly dissatisfied, 2 clearly angry, 3 furious,
abusive or threatening) can train this model on them (`kesu triage train --target anger --file
FILE.csv`) and triage then uses it: the temperature becomes 100 × P(anger ≥ 2) as this model sees it,
so 70 means "seven in ten such texts were clearly angry" on the centre's own data.

The model is a logistic regression of "clearly angry" on the rule evidence (`emotion_features`: the
anger, description, threat, question and surface parts of the rule temperature) and, when the data
supports it, character 1–2-grams. Which of the two, and the regularisation, are chosen by 5-fold
cross-validation (ROC AUC) on the training texts only, from a small fixed grid.

Saved as plain JSON (vocabulary, idf, weights): no pickle, so a model file cannot run code.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from kesu.triage.emotion import emotion_features

ANGRY = 2  # anger at or above this is "clearly angry"
MODEL_FILE = "anger.json"
FORMAT = "kesu-anger-model"
FORMAT_VERSION = 1
MIN_EACH = 10  # labelled texts of each side (angry / not) needed to train
NGRAM_WEIGHT = 0.5


@dataclass(frozen=True)
class AngerSettings:
    ngrams: bool
    c: float

    @property
    def name(self) -> str:
        return f"{'rules+chars' if self.ngrams else 'rules'} C{self.c:g}"


GRID: tuple[AngerSettings, ...] = tuple(
    AngerSettings(ngrams=ngrams, c=c) for ngrams in (False, True) for c in (0.1, 0.3, 1.0, 3.0)
)


def levels_parse(labels: Iterable[int | str]) -> list[int]:
    """Anger levels 0–3 as ints; "2" strings (as read from CSV) are accepted."""
    parsed = []
    for index, label in enumerate(labels):
        value = str(label).strip()
        if value not in ("0", "1", "2", "3"):
            raise ValueError(f"label of row {index + 1} is {label!r}; expected an anger level 0, 1, 2 or 3")
        parsed.append(int(value))
    return parsed


def _grams(text: str) -> list[str]:
    document = " ".join((text or "").lower().split())
    return list(document) + [document[i : i + 2] for i in range(len(document) - 1)]


class AngerModel:
    """See the module docstring."""

    def __init__(self, *, settings: AngerSettings | None = None, random_state: int = 0) -> None:
        self.settings = settings
        self.random_state = random_state
        self.choice: dict[str, Any] = {}
        self.n_train = 0
        self._vocabulary: dict[str, int] = {}
        self._idf = np.zeros(0)
        self._gram_coef = np.zeros(0)
        self._rule_coef = np.zeros(0)
        self._intercept = 0.0

    # ------------------------------------------------------------------ training
    def fit(self, texts: Sequence[str], levels: Sequence[int | str]) -> AngerModel:
        from sklearn.linear_model import LogisticRegression
        from sklearn.metrics import roc_auc_score

        texts = [text or "" for text in texts]
        y = np.array([1 if level >= ANGRY else 0 for level in levels_parse(levels)])
        if len(texts) != len(y):
            raise ValueError(f"{len(texts)} texts but {len(y)} labels")
        if min(int(y.sum()), int(len(y) - y.sum())) < 2:
            raise ValueError("training needs clearly angry (2–3) and not angry (0–1) texts")
        rules = np.array([emotion_features(text) for text in texts])
        grams = [_grams(text) for text in texts]
        folds = _folds(y, 5, self.random_state)
        candidates = [self.settings] if self.settings is not None else list(GRID)
        tried: dict[str, float] = {}
        best: tuple[float, AngerSettings] | None = None
        for settings in candidates:
            if folds is None or len(candidates) == 1:
                best = (float("nan"), settings)
                break
            scores = np.zeros(len(y))
            for fold in range(folds.max() + 1):
                test, train = folds == fold, folds != fold
                x_train, x_test = self._design(rules, grams, train, test, settings)
                model = LogisticRegression(C=settings.c, max_iter=2000, solver="liblinear").fit(x_train, y[train])
                scores[test] = model.decision_function(x_test)
            auc = float(roc_auc_score(y, scores))
            tried[settings.name] = round(auc, 4)
            if best is None or auc > best[0] + 1e-9:
                best = (auc, settings)
        assert best is not None
        cv_auc, settings = best
        everything = np.ones(len(y), dtype=bool)
        x, _ = self._design(rules, grams, everything, everything, settings, keep=True)
        model = LogisticRegression(C=settings.c, max_iter=2000, solver="liblinear").fit(x, y)
        coef = model.coef_[0]
        n_rules = rules.shape[1]
        self._rule_coef = coef[:n_rules].copy()
        self._gram_coef = coef[n_rules:].copy() if settings.ngrams else np.zeros(0)
        self._intercept = float(model.intercept_[0])
        self.settings = settings
        self.n_train = len(texts)
        self.choice = {"chosen": settings.name, "cv_roc_auc": None if math.isnan(cv_auc) else round(cv_auc, 4),
                       "tried": tried}
        return self

    def _design(self, rules: np.ndarray, grams: list[list[str]], train: np.ndarray, test: np.ndarray,
                settings: AngerSettings, *, keep: bool = False) -> tuple[Any, Any]:
        from scipy import sparse

        if not settings.ngrams:
            return rules[train], rules[test]
        vocabulary: dict[str, int] = {}
        df: dict[str, int] = {}
        for index in np.flatnonzero(train):
            for gram in set(grams[index]):
                df[gram] = df.get(gram, 0) + 1
        for gram, count in df.items():
            if count >= 2:
                vocabulary[gram] = len(vocabulary)
        n = int(train.sum())
        idf = np.ones(len(vocabulary))
        for gram, column in vocabulary.items():
            idf[column] = math.log((1 + n) / (1 + df[gram])) + 1

        def matrix(rows: np.ndarray) -> Any:
            data, indices, indptr = [], [], [0]
            for index in np.flatnonzero(rows):
                values = _tfidf(grams[index], vocabulary, idf)
                indices.extend(values)
                data.extend(values.values())
                indptr.append(len(indices))
            block = sparse.csr_matrix((data, indices, indptr), shape=(int(rows.sum()), max(1, len(vocabulary))))
            return sparse.hstack([sparse.csr_matrix(rules[rows]), block * NGRAM_WEIGHT]).tocsr()

        if keep:
            self._vocabulary, self._idf = vocabulary, idf
        return matrix(train), matrix(test)

    # ------------------------------------------------------------------ prediction
    def probability(self, text: str, *, red_evidence: list[tuple[str, str]] | None = None) -> float:
        """P(clearly angry) of one text."""
        if self.settings is None:
            raise ValueError("the anger model is not fitted")
        score = self._intercept + float(np.dot(self._rule_coef, emotion_features(text or "")))
        if self.settings.ngrams and self._vocabulary:
            for column, value in _tfidf(_grams(text), self._vocabulary, self._idf).items():
                score += self._gram_coef[column] * value * NGRAM_WEIGHT
        return 1.0 / (1.0 + math.exp(-score))

    def temperature(self, text: str, *, red_evidence: list[tuple[str, str]] | None = None) -> int:
        """The temperature 0–100: 100 × P(clearly angry)."""
        return round(100.0 * self.probability(text, red_evidence=red_evidence))

    # ------------------------------------------------------------------ files
    def save(self, directory: Path, *, metrics: dict[str, Any] | None = None, trained_at: str = "") -> None:
        if self.settings is None:
            raise ValueError("the anger model is not fitted")
        directory = Path(directory)
        directory.mkdir(parents=True, exist_ok=True)
        body = {
            "format": FORMAT, "format_version": FORMAT_VERSION, "ngrams": self.settings.ngrams, "c": self.settings.c,
            "n_train": self.n_train, "choice": self.choice, "metrics": metrics or {}, "trained_at": trained_at,
            "intercept": self._intercept, "rule_coef": self._rule_coef.tolist(),
            "vocabulary": list(self._vocabulary), "idf": self._idf.tolist(), "gram_coef": self._gram_coef.tolist(),
        }
        (directory / MODEL_FILE).write_text(json.dumps(body, ensure_ascii=False), encoding="utf-8")

    @classmethod
    def load(cls, directory: Path) -> AngerModel:
        try:
            body = json.loads((Path(directory) / MODEL_FILE).read_text(encoding="utf-8"))
            if body.get("format") != FORMAT or body.get("format_version") != FORMAT_VERSION:
                raise ValueError(f"unknown model format {body.get('format')!r} {body.get('format_version')!r}")
            model = cls(settings=AngerSettings(ngrams=bool(body["ngrams"]), c=float(body["c"])))
            model.n_train = int(body["n_train"])
            model.choice = dict(body.get("choice") or {})
            model._intercept = float(body["intercept"])
            model._rule_coef = np.array(body["rule_coef"], dtype=float)
            model._vocabulary = {str(gram): i for i, gram in enumerate(body["vocabulary"])}
            model._idf = np.array(body["idf"], dtype=float)
            model._gram_coef = np.array(body["gram_coef"], dtype=float)
            if len(model._rule_coef) != len(emotion_features("")) or (
                model.settings.ngrams and not len(model._idf) == len(model._gram_coef) == len(model._vocabulary)
            ):
                raise ValueError("the model's arrays do not match")
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise ValueError(f"{directory} is not a readable anger model: {exc}") from exc
        return model


def _tfidf(grams: list[str], vocabulary: dict[str, int], idf: np.ndarray) -> dict[int, float]:
    counts: dict[int, int] = {}
    for gram in grams:
        column = vocabulary.get(gram)
        if column is not None:
            counts[column] = counts.get(column, 0) + 1
    values = {column: (1.0 + math.log(count)) * idf[column] for column, count in counts.items()}
    norm = math.sqrt(sum(v * v for v in values.values())) or 1.0
    return {column: value / norm for column, value in values.items()}


def _folds(y: np.ndarray, n_folds: int, seed: int) -> np.ndarray | None:
    if min(int(y.sum()), int(len(y) - y.sum())) < n_folds:
        return None
    rng = np.random.default_rng(seed)
    folds = np.empty(len(y), dtype=int)
    start = 0
    for label in (0, 1):
        members = np.flatnonzero(y == label)
        rng.shuffle(members)
        folds[members] = (start + np.arange(len(members))) % n_folds
        start += len(members)
    return folds
