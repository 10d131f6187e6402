"""The statistical category model: which category a complaint most likely belongs to, and why.

A centre's complaints are not the data this model was first measured on: telecom work orders are
short and clean, hotline letters long and formal with place names anonymised as "A市", "A3区",
finance complaints noisy. So the model **chooses its own configuration on the centre's training
data**: `CategoryModel().fit(texts, labels)` tries each setting of a small fixed grid (`GRID`) by
5-fold stratified cross-validation on those texts only and trains the chosen one on all of them:
the default (``runs+latin``, the setting measured most) unless another beats it by more than one
standard error of the fold-paired difference of macro-F1, then the best such one (a near-tie is
noise, and chasing it would make the choice flip from one training run to the next). What was chosen, and every candidate's cross-validated
score, is recorded with the model (`choice`, saved in meta.json and shown by `kesu triage models`).
No test data is ever used to choose.

The grid (`Settings`; a handful of points, not a search):

* ``baseline`` — scikit-learn's `TfidfVectorizer(analyzer="char", ngram_range=(1, 3))` + `LinearSVC()`
  exactly, on the lower-cased text: the plain reference every evaluation reports next to the model
  (`baseline_macro_f1`). Being in the grid, the model is never chosen worse than it in cross-validation.
* ``runs+latin`` — issue 3's pipeline: character 1–3-grams inside runs of letters/digits of the
  normalised text (`text_normalise`: identifiers and anonymised place codes masked), the Latin words
  (unigrams + bigrams) as a second block of full weight, TF-IDF with sublinear tf, the n-grams most
  associated with the categories kept (chi², `max(20,000, 4 × n_train)`), each block L2-normalised
  over all its n-grams, a one-vs-rest linear SVM (C 0.3, classes weighted inversely to their
  frequency), per-class score offsets.
* ``runs+latin0.3`` — the same with the Latin/digit word block weighted 0.3: normalised on its own a
  block of a few Latin tokens weighs as much as all the Chinese characters, which sinks data whose
  Latin tokens are codes; English needs the block (CFPB: 0.60 with it, 0.57 without).
* ``runs`` — the Latin word block dropped.
* ``runs+latin0.3 C1`` — less regularisation and up to 100,000 n-grams kept, for cleaner, larger data.
* ``runs+latin0.3 unweighted`` — no class weights, for data whose categories are balanced.

Common to every setting but the baseline: per-class score offsets (a prior correction: the balanced
SVM under-predicts small categories), from out-of-fold scores and halved (`BIAS_SHRINK`); in the
cross-validation they are cross-fitted (fitted on the other folds' scores), so a setting with offsets
is not favoured by them. Confidence: a softmax of the scores divided by a temperature fitted on the
out-of-fold scores (against slightly smoothed labels), so 0.8 means roughly "right 80 % of the time"
on data like the training data. The out-of-fold scores of the chosen setting serve all three: the
choice, the offsets and the temperature; training costs 5 fits per setting plus one.

Measured (bench/category_model.py; the figures are in the README's performance section): on the
finance complaints the grid chooses ``runs`` (CV 0.669; dev 0.662, the baseline trained on the same
rows 0.650); with anonymised place codes injected into the same texts ``runs`` holds (0.658–0.660)
where issue 3's fixed pipeline sank to 0.626 (its CV 0.605: the Latin block read the codes); on the
English CFPB narratives ``runs+latin`` is chosen (0.767 against the baseline's 0.524).
Issue 3 measured ~35 other variants on the finance complaints (jieba words, placeholders, gapped
bigrams, feature counts, supervised weights, LSA, other learners, stacking, an MLP): none beat the
``runs+latin`` pipeline by more than noise, and jieba costs ~300 µs per complaint at prediction, so
word segmentation is not in the grid.

Prediction of one text does not go through scikit-learn: the fitted model is a handful of arrays
(the kept n-grams, their idf, the weight matrix, the intercepts), and `predict_one` looks n-grams up
in a dict and sums weights.

Saved model (`save`/`load`), a folder with:
- `meta.json`: format, pipeline version, labels, n_train, trained_at, metrics, the chosen settings and
  the cross-validated score of every setting tried;
- `vocabulary.json`: per block, the kept n-grams (model columns, in order) then the n-grams that only
  count in the norm, the idf standing for unknown n-grams, the block's weight;
- `arrays.npz`: per-block idf, weights, intercepts, per-class offsets (`bias`), class prior,
  temperature (plain numpy arrays, loaded with allow_pickle=False). Format 3 (format 2 had one fixed
  pipeline; such models are refused — retrain).

Loading never unpickles anything, so a model file cannot run code; it is still meant to load only
models this module wrote into the data folder, and `load` checks the format, version and shapes.
"""

from __future__ import annotations

import json
import math
import re
import time
import unicodedata
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp
from scipy.optimize import minimize_scalar
from scipy.special import log_softmax

from kesu.triage.text import PLACEHOLDER_LABELS, text_normalise

PIPELINE_VERSION = 3
MODEL_FORMAT = "kesu-category-model"
MODEL_FORMAT_VERSION = 3

META_FILE = "meta.json"
VOCABULARY_FILE = "vocabulary.json"
ARRAYS_FILE = "arrays.npz"

WORD_NGRAMS = (1, 2)
ALTERNATIVES = 3
CALIBRATION_SMOOTHING = 0.05
CV_FOLDS = 5
CV_TOL = 1e-3  # the cross-validation's fits stop earlier than the final one (same choice, half the time)
# Per-class score offsets that maximise macro-F1 of the out-of-fold scores are multiplied by this
# before use: the full offsets fit the folds' noise too (finance, repeated CV: shrink 0.5 gave 0.660,
# 1.0 gave 0.660 but dev 0.656 instead of 0.673).
BIAS_SHRINK = 0.5
BIAS_GRID = np.linspace(-1.0, 1.0, 41)
REASONS = 5


@dataclass(frozen=True)
class Settings:
    """One configuration of the category model (a point of `GRID`)."""

    name: str
    chars: str = "runs"  # "runs": n-grams inside runs of letters/digits of the normalised text; "plain": of the lower-cased text
    char_range: tuple[int, int] = (1, 3)
    latin: float = 1.0  # weight of the Latin-word block; 0: no such block
    c: float = 0.3
    balanced: bool = True  # classes weighted inversely to their frequency
    select: bool = True  # keep the n-grams most associated with the categories (chi²)
    min_features: int = 20_000
    features_per_text: int = 4
    sublinear: bool = True  # tf as 1 + ln(count)
    offsets: bool = True  # per-class score offsets from out-of-fold scores
    unknown_in_norm: bool = True  # n-grams unknown to the model still count in a text's norm

    def as_data(self) -> dict[str, Any]:
        data = asdict(self)
        data["char_range"] = list(self.char_range)
        return data

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> Settings:
        values = dict(data)
        values["char_range"] = tuple(int(n) for n in values.get("char_range", (1, 3)))
        known = set(cls.__dataclass_fields__)
        return cls(**{k: v for k, v in values.items() if k in known})


BASELINE = Settings(
    "baseline", chars="plain", latin=0.0, c=1.0, balanced=False, select=False, sublinear=False, offsets=False,
    unknown_in_norm=False,
)
GRID: tuple[Settings, ...] = (
    BASELINE,
    Settings("runs+latin", latin=1.0),
    Settings("runs+latin0.3", latin=0.3),
    Settings("runs", latin=0.0),
    Settings("runs+latin0.3 C1", latin=0.3, c=1.0, min_features=100_000),
    Settings("runs+latin0.3 unweighted", latin=0.3, balanced=False),
)


DEFAULT_SETTINGS = "runs+latin"  # when there are too few texts to cross-validate


@dataclass(frozen=True)
class CategoryPrediction:
    label: str
    confidence: float  # probability of `label`, 0..1
    alternatives: list[tuple[str, float]]  # the next labels, most likely first, with probabilities
    reasons: list[str]  # n-grams that pushed toward `label`, strongest first, e.g. '“扣费”'


# --- n-grams -------------------------------------------------------------------------------------

# Each placeholder becomes one private-use character inside character n-grams, so "PHONE" adds one
# feature ("a phone number is here") instead of the fragments "pho", "hon", ….
_PLACEHOLDER_CHARS = {name: chr(0xE000 + i) for i, name in enumerate(PLACEHOLDER_LABELS)}
_PLACEHOLDER_PATTERN = re.compile("|".join(sorted(_PLACEHOLDER_CHARS, key=len, reverse=True)))
# Character n-grams are taken inside runs of letters, digits and placeholders: punctuation and spaces
# split the text, and each run is padded with one space on either side (like scikit-learn's
# "char_wb"), so "扣费" at the start of a clause is the n-gram " 扣费".
_SEGMENT_SEPARATOR = re.compile(r"[^\w\ue000-\uf8ff]+|_+")
_DISPLAY = str.maketrans({char: PLACEHOLDER_LABELS[name] for name, char in _PLACEHOLDER_CHARS.items()})
_WORD_SEPARATOR = " "
_LATIN_WORD = re.compile(r"[a-z][a-z0-9]*(?:['-][a-z0-9]+)*")
_WHITE_SPACES = re.compile(r"\s\s+")  # scikit-learn's char analyzer collapses these


def char_ngrams(normalised: str, lo: int = 1, hi: int = 3) -> list[str]:
    """Character n-grams of a normalised text, placeholders counted as one character.

    N-grams do not cross punctuation or spaces: each run of letters/digits/placeholders is padded
    with a space on either side, and n-grams of 2+ characters may include that space (a run's
    boundary); single characters are the run's own characters only.
    """
    text = _PLACEHOLDER_PATTERN.sub(lambda m: _PLACEHOLDER_CHARS[m.group()], normalised)
    grams: list[str] = []
    for segment in _SEGMENT_SEPARATOR.split(text):
        if not segment:
            continue
        if lo <= 1:
            grams += segment
        padded = " " + segment + " "
        n = len(padded)
        for size in range(max(lo, 2), hi + 1):
            grams += [padded[i : i + size] for i in range(n - size + 1)]
    return grams


def plain_ngrams(text: str, lo: int = 1, hi: int = 3) -> list[str]:
    """Character n-grams exactly as scikit-learn's ``TfidfVectorizer(analyzer="char")`` makes them."""
    document = _WHITE_SPACES.sub(" ", text.lower())
    grams: list[str] = []
    length = len(document)
    for size in range(lo, min(hi, length) + 1):
        grams.extend(document[i : i + size] for i in range(length - size + 1))
    return grams


def word_ngrams(tokens: Sequence[str], lo: int = WORD_NGRAMS[0], hi: int = WORD_NGRAMS[1]) -> list[str]:
    """Word n-grams, the words of one n-gram joined by a space (words never contain one)."""
    grams: list[str] = []
    for size in range(lo, hi + 1):
        grams.extend(_WORD_SEPARATOR.join(tokens[i : i + size]) for i in range(len(tokens) - size + 1))
    return grams


def latin_words(normalised: str) -> list[str]:
    return _LATIN_WORD.findall(normalised)


def feature_display(feature: str) -> str:
    """How an n-gram reads in an explanation: '“扣费”', '“credit report”', '“卡号‹长数字›”'.

    Punctuation and spaces at either end are dropped ("费," reads '“费”').
    """
    parts = feature.split(_WORD_SEPARATOR) if feature.strip() else [feature]
    text = parts[0]
    for part in parts[1:]:
        joined_cjk = _is_cjk(text[-1:]) and _is_cjk(part[:1])
        text += part if joined_cjk else " " + part
    text = _PLACEHOLDER_PATTERN.sub(lambda m: _PLACEHOLDER_CHARS[m.group()], text).translate(_DISPLAY)
    start, end = 0, len(text)
    while start < end and not _is_informative(text[start]):
        start += 1
    while end > start and not _is_informative(text[end - 1]):
        end -= 1
    return "“" + text[start:end] + "”"


def _is_cjk(char: str) -> bool:
    return bool(char) and "\u3400" <= char <= "\u9fff"


def _is_informative(char: str) -> bool:
    """A letter or digit (a placeholder's label starts with ‹ and ends with ›)."""
    return unicodedata.category(char)[0] in "LN" or char in "‹›"


def _block_names(settings: Settings) -> list[str]:
    if settings.chars == "plain":
        return ["plain"]
    return ["char", "word"] if settings.latin > 0 else ["char"]


def _grams(block: str, settings: Settings, text: str, normalised: str | None) -> list[str]:
    lo, hi = settings.char_range
    if block == "plain":
        return plain_ngrams(text, lo, hi)
    if block == "char":
        return char_ngrams(normalised if normalised is not None else text_normalise(text), lo, hi)
    return word_ngrams(latin_words(normalised if normalised is not None else text_normalise(text)))


# --- the blocks of a fitted model ------------------------------------------------------------------


@dataclass
class _Block:
    """One bag of n-grams: `features` are the kept n-grams (model columns `offset`…) followed by the
    n-grams that only count in the norm; `idf` in the same order."""

    name: str
    features: list[str]
    idf: np.ndarray
    n_kept: int
    weight: float = 1.0
    unknown_idf: float = 1.0  # idf of an n-gram seen in one training text; stands for unknown n-grams
    unknown_in_norm: bool = True
    sublinear: bool = True
    offset: int = 0
    index: dict[str, int] = field(default_factory=dict)

    def index_build(self) -> None:
        # ids from 1, so that filter(None, …) drops the n-grams we do not know, in C
        self.index = {gram: i for i, gram in enumerate(self.features, start=1)}

    def values(self, grams: list[str]) -> tuple[np.ndarray, np.ndarray] | None:
        """Model columns of the kept n-grams in `grams` and their weighted, normalised tf-idf values."""
        found = list(filter(None, map(self.index.get, grams)))
        if not found:
            return None
        ids, counts = np.unique(np.array(found, dtype=np.int64), return_counts=True)
        ids -= 1
        tf = (1.0 + np.log(counts)) if self.sublinear else counts.astype(np.float64)
        values = tf * self.idf[ids]
        kept = ids < self.n_kept
        if not kept.any():
            return None
        norm_sq = float(values @ values)
        if self.unknown_in_norm:
            norm_sq += (len(grams) - len(found)) * self.unknown_idf**2  # each counted with tf 1, as in `fit`
        return ids[kept] + self.offset, values[kept] * (self.weight / math.sqrt(norm_sq))


# --- training: the design matrices of one setting on a subset of rows ------------------------------


class _Counts:
    """The n-gram counts of every training text per block, built once and shared by the settings."""

    def __init__(self, texts: Sequence[str]) -> None:
        self.texts = list(texts)
        self.normalised = [text_normalise(t) for t in self.texts]
        self._blocks: dict[tuple[str, tuple[int, int]], tuple[sp.csr_matrix, list[str]]] = {}

    def block(self, name: str, settings: Settings) -> tuple[sp.csr_matrix, list[str]]:
        key = (name, settings.char_range if name != "word" else WORD_NGRAMS)
        if key not in self._blocks:
            docs = [_grams(name, settings, t, n) for t, n in zip(self.texts, self.normalised, strict=True)]
            self._blocks[key] = _count(docs)
        return self._blocks[key]


def _count(docs: list[list[str]]) -> tuple[sp.csr_matrix, list[str]]:
    vocabulary: dict[str, int] = {}
    indices: list[int] = []
    indptr = [0]
    for grams in docs:
        indices.extend([vocabulary.setdefault(gram, len(vocabulary)) for gram in grams])
        indptr.append(len(indices))
    matrix = sp.csr_matrix(
        (np.ones(len(indices), dtype=np.float32), np.array(indices, dtype=np.int64), np.array(indptr, dtype=np.int64)),
        shape=(len(docs), max(1, len(vocabulary))),
    )
    matrix.sum_duplicates()
    return matrix, list(vocabulary) or ["\x00"]


@dataclass
class _Design:
    """What a setting learnt from its training rows: per block the kept columns and the idf."""

    settings: Settings
    names: list[str]
    known: list[np.ndarray]  # per block: the columns (of the shared counts) seen in the training rows
    idf: list[np.ndarray]  # per block: idf of every column of the shared counts
    kept: list[np.ndarray]  # per block: positions in `known` that are model columns, in column order
    unknown_idf: float
    df: list[np.ndarray]  # per block: document frequency of every column in the training rows


def _design(counts: _Counts, settings: Settings, rows: np.ndarray, y: np.ndarray, n_classes: int) -> _Design:
    from sklearn.feature_selection import chi2

    names = _block_names(settings)
    n = len(rows)
    unknown_idf = float(math.log((1 + n) / 2) + 1)  # scikit-learn's smooth idf with df = 1
    known, idfs, normalised, dfs = [], [], [], []
    for name in names:
        matrix, _vocabulary = counts.block(name, settings)
        train = matrix[rows]
        df = np.asarray((train > 0).sum(axis=0)).ravel()
        idf = (np.log((1 + n) / (1 + df)) + 1).astype(np.float32)
        columns = np.flatnonzero(df >= 1)
        known.append(columns)
        idfs.append(idf)
        dfs.append(df)
        if settings.select:
            normalised.append(_block_values(train, columns, idf, settings, unknown_idf, weight=1.0))
    kept: list[np.ndarray] = [np.arange(len(columns)) for columns in known]
    total = sum(len(columns) for columns in known)
    keep_n = max(settings.min_features, settings.features_per_text * n)
    if settings.select and total > keep_n:
        scores, _ = chi2(sp.hstack(normalised).tocsr(), y)
        scores = np.nan_to_num(scores, nan=0.0)
        chosen = np.sort(np.argsort(-scores, kind="stable")[:keep_n])
        starts = np.cumsum([0] + [len(columns) for columns in known])
        kept = [chosen[(chosen >= starts[b]) & (chosen < starts[b + 1])] - starts[b] for b in range(len(names))]
    return _Design(settings=settings, names=names, known=known, idf=idfs, kept=kept, unknown_idf=unknown_idf,
                   df=dfs)


def _block_values(
    matrix: sp.csr_matrix, columns: np.ndarray, idf: np.ndarray, settings: Settings, unknown_idf: float, *,
    weight: float,
) -> sp.csr_matrix:
    """The known columns of ``matrix``, tf-idf, normalised over all the text's n-grams, times ``weight``."""
    raw = matrix[:, columns]
    values = raw.copy()
    if settings.sublinear:
        values.data = 1.0 + np.log(values.data)
    values = values @ sp.diags(idf[columns])
    norm_sq = np.asarray(values.multiply(values).sum(axis=1)).ravel()
    if settings.unknown_in_norm:
        unknown = np.asarray(matrix.sum(axis=1)).ravel() - np.asarray(raw.sum(axis=1)).ravel()
        norm_sq += unknown * unknown_idf**2
    norm = np.sqrt(norm_sq)
    norm[norm == 0] = 1.0
    return (sp.diags(weight / norm) @ values).tocsr()


def _matrix(counts: _Counts, design: _Design, rows: np.ndarray) -> sp.csr_matrix:
    """The design matrix of ``rows`` (any rows of the shared counts) under ``design``."""
    blocks = []
    for b, name in enumerate(design.names):
        matrix, _vocabulary = counts.block(name, design.settings)
        weight = design.settings.latin if name == "word" else 1.0
        values = _block_values(matrix[rows], design.known[b], design.idf[b], design.settings, design.unknown_idf,
                               weight=weight)
        blocks.append(values[:, design.kept[b]])
    return sp.hstack(blocks).tocsr()


def _svm_fit(x: sp.csr_matrix, y: np.ndarray, n_classes: int, settings: Settings,
             random_state: int, tol: float = 1e-4) -> tuple[np.ndarray, np.ndarray]:
    """Weights (n_features, n_classes) and intercepts; classes absent from `y` score very low."""
    from sklearn.svm import LinearSVC

    present = np.unique(y)
    weights = np.zeros((x.shape[1], n_classes), dtype=np.float32)
    intercepts = np.full(n_classes, -10.0, dtype=np.float32)
    if len(present) < 2:  # only possible inside a fold
        intercepts[present] = 0.0
        return weights, intercepts
    svm = LinearSVC(C=settings.c, class_weight="balanced" if settings.balanced else None,
                    random_state=random_state, max_iter=5000, tol=tol)
    svm.fit(x, y)
    coef, intercept = svm.coef_, svm.intercept_
    if len(present) == 2:  # scikit-learn gives one score s for the second class: use (-s/2, s/2)
        coef = np.vstack([-coef[0], coef[0]]) / 2
        intercept = np.array([-intercept[0], intercept[0]]) / 2
    weights[:, present] = coef.T
    intercepts[present] = intercept
    return weights, intercepts


@dataclass
class _Trial:
    """A setting's out-of-fold scores and cross-validated macro-F1 (over all rows, and per fold)."""

    settings: Settings
    scores: np.ndarray | None
    macro_f1: float
    seconds: float
    per_fold: np.ndarray = field(default_factory=lambda: np.zeros(0))


def _trial(counts: _Counts, settings: Settings, y: np.ndarray, folds: np.ndarray | None, n_classes: int,
           random_state: int) -> _Trial:
    started = time.perf_counter()
    if folds is None:
        return _Trial(settings, None, float("nan"), 0.0)
    n_folds = int(folds.max() + 1)
    scores = np.zeros((len(y), n_classes))
    for fold in range(folds.max() + 1):
        test = np.flatnonzero(folds == fold)
        train = np.flatnonzero(folds != fold)
        design = _design(counts, settings, train, y[train], n_classes)
        weights, intercepts = _svm_fit(_matrix(counts, design, train), y[train], n_classes, settings, random_state,
                                       tol=CV_TOL)
        scores[test] = _matrix(counts, design, test) @ weights + intercepts
    if settings.offsets:  # cross-fitted: each fold's offsets come from the other folds' scores
        predicted = np.empty(len(y), dtype=int)
        for fold in range(folds.max() + 1):
            inside = folds == fold
            bias = _macro_f1_bias(scores[~inside], y[~inside], n_classes) * BIAS_SHRINK
            predicted[inside] = (scores[inside] + bias).argmax(axis=1)
    else:
        predicted = scores.argmax(axis=1)
    per_fold = np.array([_macro_f1(y[folds == k], predicted[folds == k], n_classes) for k in range(n_folds)])
    return _Trial(settings, scores, _macro_f1(y, predicted, n_classes), time.perf_counter() - started, per_fold)


def _choose(trials: list[_Trial]) -> _Trial:
    """The default setting unless another beats it in cross-validation by more than one standard error
    of the fold-paired difference of macro-F1 (then the best such one): a near-tie is noise, and the
    default is the setting measured most."""
    default = next((t for t in trials if t.settings.name == DEFAULT_SETTINGS), trials[0])
    best = default
    for trial in trials:
        if trial is default or not len(trial.per_fold):
            continue
        difference = trial.per_fold - default.per_fold
        error = difference.std(ddof=1) / math.sqrt(len(difference)) if len(difference) > 1 else 0.0
        if difference.mean() > error and trial.macro_f1 > best.macro_f1:
            best = trial
    return best


# --- the model ---------------------------------------------------------------------------------------


class CategoryModel:
    """Character (+ Latin word) n-gram linear model over complaint categories (see the module docstring).

    ``CategoryModel()`` chooses its settings from `GRID` by cross-validation when fitted;
    ``CategoryModel(settings=…)`` fits one setting (``grid`` is then ignored).
    """

    def __init__(
        self, *, settings: Settings | None = None, grid: Sequence[Settings] = GRID, folds: int = CV_FOLDS,
        random_state: int = 0, progress: Any = None,
    ) -> None:
        if settings is None and not grid:
            raise ValueError("give settings or a non-empty grid")
        self.settings = settings
        self.grid = tuple(grid) if settings is None else (settings,)
        self.folds = folds
        self.random_state = random_state
        self.progress = progress  # progress(done, total) after each setting tried
        self.n_train = 0
        self.meta: dict[str, Any] = {}
        self.choice: dict[str, Any] = {}
        self._labels: list[str] = []
        self._blocks: list[_Block] = []
        self._weights = np.zeros((0, 0), dtype=np.float32)  # (n_features, n_labels)
        self._intercepts = np.zeros(0, dtype=np.float32)
        self._temperature = 1.0
        self._bias = np.zeros(0, dtype=np.float32)  # per-class score offsets
        self._prior = np.zeros(0, dtype=np.float64)

    @property
    def labels(self) -> list[str]:
        return list(self._labels)

    # ------------------------------------------------------------------ training
    def fit(self, texts: Sequence[str], labels: Sequence[str]) -> CategoryModel:
        texts, labels = list(texts), [str(label) for label in labels]
        if len(texts) != len(labels):
            raise ValueError(f"{len(texts)} texts but {len(labels)} labels")
        if not all(isinstance(t, str) for t in texts):
            raise ValueError("texts must be strings")
        classes = sorted(set(labels))
        if len(classes) < 2:
            raise ValueError(f"a category model needs at least 2 different labels, got {len(classes)}: {classes}")
        if not any(t.strip() for t in texts):
            raise ValueError("all texts are empty")
        y = np.array([classes.index(label) for label in labels])
        n_classes = len(classes)
        counts = _Counts(texts)
        folds = _stratified_folds(y, self.folds, self.random_state)
        if folds is None or len(self.grid) == 1:  # one setting, or too few texts to compare: no choice
            settings = self.grid[0] if len(self.grid) == 1 else next(
                (s for s in self.grid if s.name == DEFAULT_SETTINGS), self.grid[0])
            trials = [_trial(counts, settings, y, folds, n_classes, self.random_state)]
        else:
            trials = []
            for settings in self.grid:
                trials.append(_trial(counts, settings, y, folds, n_classes, self.random_state))
                if self.progress is not None:
                    self.progress(len(trials), len(self.grid) + 1)
        chosen = _choose(trials)
        settings = chosen.settings
        self.choice = {
            "chosen": settings.name,
            "settings": settings.as_data(),
            "cv_macro_f1": None if math.isnan(chosen.macro_f1) else round(chosen.macro_f1, 4),
            "cv_folds": int(folds.max() + 1) if folds is not None else 0,
            "tried": {t.settings.name: None if math.isnan(t.macro_f1) else round(t.macro_f1, 4) for t in trials},
            "rule": "default unless another setting beats it by more than one standard error (fold-paired)",
        }
        everything = np.arange(len(texts))
        design = _design(counts, settings, everything, y, n_classes)
        x = _matrix(counts, design, everything)
        self._labels = classes
        self.n_train = len(texts)
        self._prior = np.bincount(y, minlength=n_classes) / len(y)
        self._weights, self._intercepts = _svm_fit(x, y, n_classes, settings, self.random_state)
        self._bias, self._temperature = _calibrate(chosen.scores, y, n_classes, offsets=settings.offsets)
        self.settings = settings
        self._blocks = []
        column = 0
        for b, name in enumerate(design.names):
            _matrix_b, vocabulary = counts.block(name, settings)
            known = design.known[b]
            kept_positions = design.kept[b]
            # the other n-grams seen in 2+ texts only count in the norm; those seen once are as unknown
            once = design.df[b][known] < 2 if settings.unknown_in_norm else np.zeros(len(known), dtype=bool)
            rest = np.setdiff1d(np.flatnonzero(~once), kept_positions, assume_unique=True)
            order = known[np.concatenate([kept_positions, rest]).astype(np.int64)]
            block = _Block(
                name=name, features=[vocabulary[i] for i in order], idf=design.idf[b][order],
                n_kept=len(kept_positions), weight=settings.latin if name == "word" else 1.0,
                unknown_idf=design.unknown_idf, unknown_in_norm=settings.unknown_in_norm,
                sublinear=settings.sublinear, offset=column,
            )
            block.index_build()
            self._blocks.append(block)
            column += block.n_kept
        self.meta = {}
        if self.progress is not None:
            self.progress(len(self.grid) + 1, len(self.grid) + 1)
        return self

    # ------------------------------------------------------------------ prediction
    def predict_one(self, text: str) -> CategoryPrediction:
        if not self._labels:
            raise ValueError("the category model is not fitted")
        settings = self.settings or BASELINE
        normalised = None if settings.chars == "plain" else text_normalise(text)
        found = [block.values(_grams(block.name, settings, text, normalised)) for block in self._blocks]
        found = [f for f in found if f is not None]
        if not found:
            # nothing we know: the base rates, and no reasons
            return self._prediction(self._prior, [])
        columns = np.concatenate([f[0] for f in found])
        values = np.concatenate([f[1] for f in found])
        weights = self._weights[columns]
        scores = (values @ weights + self._intercepts + self._bias) / self._temperature
        probabilities = np.exp(scores - scores.max())
        probabilities /= probabilities.sum()
        best = int(np.argmax(probabilities))
        contributions = values * weights[:, best]
        return self._prediction(probabilities, self._reasons(columns, contributions))

    def predict(self, texts: Sequence[str]) -> list[CategoryPrediction]:
        return [self.predict_one(t) for t in texts]

    def _reasons(self, columns: np.ndarray, contributions: np.ndarray) -> list[str]:
        """The strongest positive contributions, readable, none inside another, at most REASONS."""
        candidates: list[str] = []
        for k in np.argsort(-contributions)[: REASONS * 2]:
            if contributions[k] <= 0:
                break
            display = feature_display(self._feature_name(int(columns[k])))
            if len(display) > 3 and display not in candidates:  # '“x”': one character says little
                candidates.append(display)
        reasons = [d for d in candidates if not any(d[1:-1] in other for other in candidates if other != d)]
        return reasons[:REASONS]

    def _feature_name(self, column: int) -> str:
        for block in self._blocks:
            if column < block.offset + block.n_kept:
                return block.features[column - block.offset]
        raise IndexError(column)

    def _prediction(self, probabilities: np.ndarray, reasons: list[str]) -> CategoryPrediction:
        order = np.argsort(-probabilities, kind="stable")
        best = int(order[0])
        return CategoryPrediction(
            label=self._labels[best],
            confidence=round(float(probabilities[best]), 4),
            alternatives=[(self._labels[i], round(float(probabilities[i]), 4)) for i in order[1 : 1 + ALTERNATIVES]],
            reasons=reasons,
        )

    # ------------------------------------------------------------------ files
    def save(
        self, directory: Path, *, trained_at: datetime | None = None, metrics: dict[str, Any] | None = None
    ) -> None:
        """Write the model into `directory` (created if missing; our three files are replaced)."""
        if not self._labels or self.settings is None:
            raise ValueError("the category model is not fitted")
        directory = Path(directory)
        directory.mkdir(parents=True, exist_ok=True)
        meta = {
            "format": MODEL_FORMAT,
            "format_version": MODEL_FORMAT_VERSION,
            "pipeline": self.settings.name,
            "pipeline_version": PIPELINE_VERSION,
            "labels": self._labels,
            "n_train": self.n_train,
            "trained_at": trained_at.isoformat() if trained_at else self.meta.get("trained_at"),
            "metrics": metrics if metrics is not None else self.meta.get("metrics"),
            "settings": self.settings.as_data(),
            "choice": self.choice or self.meta.get("choice", {}),
            "n_features": int(self._weights.shape[0]),
        }
        vocabulary = {
            b.name: {"n_kept": b.n_kept, "unknown_idf": b.unknown_idf, "weight": b.weight, "features": b.features}
            for b in self._blocks
        }
        (directory / VOCABULARY_FILE).write_text(json.dumps(vocabulary, ensure_ascii=False), encoding="utf-8")
        with open(directory / ARRAYS_FILE, "wb") as f:
            np.savez(
                f,
                weights=self._weights,
                intercepts=self._intercepts,
                prior=self._prior,
                temperature=np.array([self._temperature]),
                bias=self._bias,
                **{f"{b.name}_idf": b.idf for b in self._blocks},
            )
        # meta.json last: a folder with a meta.json is a complete model
        (directory / META_FILE).write_text(json.dumps(meta, ensure_ascii=False, indent=2), encoding="utf-8")
        self.meta = meta

    @classmethod
    def load(cls, directory: Path) -> CategoryModel:
        """Read a model written by `save`. Raises ValueError when the folder is not such a model."""
        directory = Path(directory)
        try:
            meta = json.loads((directory / META_FILE).read_text(encoding="utf-8"))
            if meta.get("format") != MODEL_FORMAT or meta.get("format_version") != MODEL_FORMAT_VERSION:
                raise ValueError(f"unknown model format {meta.get('format')!r} {meta.get('format_version')!r}")
            if meta.get("pipeline_version") != PIPELINE_VERSION:
                raise ValueError(f"pipeline version {meta.get('pipeline_version')!r}, this code reads {PIPELINE_VERSION}")
            settings = Settings.from_data(meta["settings"])
            vocabulary = json.loads((directory / VOCABULARY_FILE).read_text(encoding="utf-8"))
            with np.load(directory / ARRAYS_FILE, allow_pickle=False) as arrays:
                loaded = {name: arrays[name] for name in arrays.files}
            model = cls(settings=settings)
            model.choice = dict(meta.get("choice") or {})
            model._labels = [str(label) for label in meta["labels"]]
            model.n_train = int(meta["n_train"])
            column = 0
            for name in _block_names(settings):
                block = _Block(
                    name=name,
                    features=vocabulary[name]["features"],
                    idf=loaded[f"{name}_idf"].astype(np.float32, copy=False),
                    n_kept=int(vocabulary[name]["n_kept"]),
                    weight=float(vocabulary[name].get("weight", 1.0)),
                    unknown_idf=float(vocabulary[name]["unknown_idf"]),
                    unknown_in_norm=settings.unknown_in_norm,
                    sublinear=settings.sublinear,
                    offset=column,
                )
                if block.idf.shape != (len(block.features),) or not 0 <= block.n_kept <= len(block.features):
                    raise ValueError(f"the {name} vocabulary does not match its idf")
                if not all(isinstance(g, str) for g in block.features):
                    raise ValueError(f"the {name} vocabulary holds something else than n-grams")
                block.index_build()
                model._blocks.append(block)
                column += block.n_kept
            model._weights = np.ascontiguousarray(loaded["weights"], dtype=np.float32)
            model._intercepts = loaded["intercepts"].astype(np.float32, copy=False)
            model._prior = loaded["prior"].astype(np.float64, copy=False)
            model._temperature = float(loaded["temperature"][0])
            model._bias = loaded["bias"].astype(np.float32, copy=False)
            n_labels = len(model._labels)
            if (
                model._weights.shape != (column, n_labels)
                or model._intercepts.shape != (n_labels,)
                or model._prior.shape != (n_labels,)
                or model._bias.shape != (n_labels,)
                or not model._temperature > 0
            ):
                raise ValueError("the model arrays do not match its vocabulary and labels")
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise ValueError(f"{directory} is not a readable category model: {exc}") from exc
        model.meta = meta
        return model


def baseline_model() -> CategoryModel:
    """The plain reference: character 1–3-gram TF-IDF + a linear SVM, untuned (`BASELINE`)."""
    return CategoryModel(settings=BASELINE)


def settings_named(name: str) -> Settings:
    for settings in GRID:
        if settings.name == name:
            return settings
    raise KeyError(name)


# --- calibration -------------------------------------------------------------------------------------


def _calibrate(scores: np.ndarray | None, y: np.ndarray, n_classes: int, *, offsets: bool) -> tuple[np.ndarray, float]:
    """Per-class score offsets and the softmax temperature, both from out-of-fold scores.

    The offsets: coordinate ascent over `BIAS_GRID` for the macro-F1 of the out-of-fold
    predictions, times `BIAS_SHRINK`. The temperature: the one that best explains the offset scores.
    Too few texts for folds: no offsets, temperature 1.0.
    """
    bias = np.zeros(n_classes, dtype=np.float32)
    if scores is None:
        return bias, 1.0
    if offsets:
        bias = (_macro_f1_bias(scores, y, n_classes) * BIAS_SHRINK).astype(np.float32)
    shifted = scores + bias
    rows = np.arange(len(y))

    # Cross-entropy against labels smoothed by CALIBRATION_SMOOTHING: on (nearly) separable
    # training data the plain likelihood drives the temperature to 0 and every prediction,
    # even of a text with one known n-gram, to confidence 1.
    def loss(log_t: float) -> float:
        log_p = log_softmax(shifted / math.exp(log_t), axis=1)
        smoothing = CALIBRATION_SMOOTHING
        return float(-((1 - smoothing) * log_p[rows, y] + smoothing * log_p.mean(axis=1)).mean())

    best = minimize_scalar(loss, bounds=(math.log(0.05), math.log(10.0)), method="bounded")
    return bias, float(math.exp(best.x))


def _macro_f1(truth: np.ndarray, predicted: np.ndarray, n_classes: int) -> float:
    hits = np.bincount(truth[truth == predicted], minlength=n_classes)
    support = np.bincount(truth, minlength=n_classes)
    n_predicted = np.bincount(predicted, minlength=n_classes)
    denominator = support + n_predicted
    present = denominator > 0
    return float((2 * hits[present] / denominator[present]).mean())


def _macro_f1_bias(scores: np.ndarray, y: np.ndarray, n_classes: int, rounds: int = 3) -> np.ndarray:
    """Per-class offsets to `scores` that maximise macro-F1 (coordinate ascent over `BIAS_GRID`).

    For class k, with the other offsets fixed, a row goes to k exactly when k's score plus its offset
    beats the best other class: one margin per row, so each grid value costs one comparison."""
    bias = np.zeros(n_classes)
    rows = np.arange(len(y))
    best = _macro_f1(y, scores.argmax(axis=1), n_classes)
    for _ in range(rounds):
        changed = False
        for k in range(n_classes):
            others = scores + bias
            others[:, k] = -np.inf
            other_best = others.argmax(axis=1)
            margin = scores[:, k] - others[rows, other_best]
            for value in BIAS_GRID:
                f1 = _macro_f1(y, np.where(margin + value > 0, k, other_best), n_classes)
                if f1 > best + 1e-9:
                    best, changed = f1, True
                    bias[k] = value
        if not changed:
            break
    return bias


def _stratified_folds(y: np.ndarray, n_folds: int, seed: int) -> np.ndarray | None:
    """A fold number per text, each class spread over the folds; None when there are too few texts."""
    if n_folds < 2 or len(y) < 2 * n_folds:
        return None
    rng = np.random.default_rng(seed)
    folds = np.empty(len(y), dtype=int)
    start = 0
    for label in np.unique(y):
        members = np.flatnonzero(y == label)
        rng.shuffle(members)
        folds[members] = (start + np.arange(len(members))) % n_folds
        start += len(members)
    return folds
