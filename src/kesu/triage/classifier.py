"""The statistical category model: which category a complaint most likely belongs to, and why.

Pipeline (`PIPELINE_NAME`, chosen by measurement: bench/category_model.py, figures in its output):

1. `text_normalise` (NFKC, lower-case, whitespace, identifiers masked to placeholders).
2. Two bags of n-grams: character 1–3-grams (1–3 beat 2–4 and 1–4 by 0.01–0.03 macro-F1), and word
   unigrams + bigrams. Character n-grams stay inside runs of letters/digits: punctuation and spaces
   split the text and each run is padded with a space, so an n-gram can mark a clause's start or end
   ("char_wb"-like; repeated 3×5-fold CV on finance train 0.657 vs 0.653, dev 0.664 vs 0.654). Words are, by default, only the Latin-script ones (`words="latin"`): for
   Chinese the character n-grams already hold most words. jieba's words scored slightly better on
   the finance complaints (5-fold CV on train 0.659 vs 0.651, dev 0.662 vs 0.654 — within the noise:
   fold std 0.012–0.018, dev 90 % bootstrap interval ±0.03) but make prediction 3× slower (jieba
   alone takes ~300 µs per complaint, capping prediction near 1,100/s instead of 3,000/s). English
   needs the words (CFPB 5-fold: 0.60 with Latin words, 0.57 without). `words="jieba"` switches.
   With the offsets of step 7, jieba's words no longer help at all (Δ −0.001, see below).
3. TF-IDF with sublinear term frequency (1 + ln tf) and smoothed idf, vocabulary from the training texts.
4. Keep the `max(min_features, features_per_text × n_train)` n-grams (20,000 for 4,000 texts) with the
   highest chi² association with the categories. On the finance complaints this was the most reliable
   gain (+0.01 macro-F1 in repeated CV): the labels are noisy and most of the ~430,000 n-grams are
   noise to a linear model.
5. Each block (characters, words) L2-normalised; the norm counts every n-gram of the text, kept or not.
6. One-vs-rest linear SVM (squared hinge, C=0.3, classes weighted inversely to their frequency, which
   helps macro-F1 when categories are unbalanced). Logistic regression, ridge, complement naive Bayes,
   NB-SVM, kNN and MLP blends, per-class thresholds and dropping suspect training labels all measured
   equal or worse (re-measured: SVM + logistic-regression or + complement-NB score blends, and class
   weights ∝ n_c^-0.5 or ^-0.75, were equal or worse in repeated CV).
7. Per-class score offsets (a prior correction): on the out-of-fold SVM scores of step 8's folds,
   the offsets that maximise macro-F1, halved (`BIAS_SHRINK`) so that they do not fit the folds'
   noise. The balanced SVM still under-predicts the small categories; on the finance complaints the
   offsets gave +0.007 macro-F1 in repeated CV (0.660 vs 0.653) and +0.019 on dev. No extra
   training cost: the out-of-fold scores are computed for the temperature anyway.
8. Confidence: softmax of the offset SVM scores divided by a temperature, fitted on out-of-fold scores
   (5-fold on the training texts) against slightly smoothed labels — so 0.8 means roughly "right 80 %
   of the time" on data like the training data (finance dev: mean confidence 0.69, accuracy 0.71).

Measured against this pipeline and not adopted (issue 3: dev goal 0.68). Protocol: 3 repeats of
stratified 5-fold CV on finance train (as `bench/category_model.py --cv-repeats 3`, other shuffles),
each variant on the same 15 folds with the offsets of step 7, compared by the paired per-fold
difference Δ of macro-F1 (standard error 0.001–0.003; the pipeline itself: 0.666 ± 0.021 over the
folds). The dev file was not used to choose anything. Nothing gained more than noise; most lost:
- features: jieba words 1–2 instead of Latin words Δ −0.001, jieba unigrams −0.004, char 1–4 plus
  jieba words (30,000 kept) −0.002; a separate jieba-word SVM averaged with this one (0.3/0.7)
  +0.001 (and jieba costs 300–370 µs per complaint: full triage would drop from ~1,450/s to about
  1,000/s); gapped character bigrams ("a_c") −0.003 in the block, −0.011 as a block; n-grams of
  the first 40 characters as an extra block −0.020; punctuation marks as tokens −0.010; digits
  folded to 0 −0.002, amounts/dates/times/percentages as placeholders −0.002 to −0.003; no word
  block +0.001 and one L2 norm over both blocks 0.000 (the Latin words matter only for English);
- weighting and selection: 10,000 / 40,000 / 80,000 kept n-grams −0.002 / −0.004 / −0.006; only
  n-grams seen in 2+ texts selectable −0.003; chi² on binary presence −0.003; per-class chi² union
  −0.004; max_df 0.5 −0.001; binary tf −0.011; no idf −0.012; supervised weights (tf-igm, λ 2–7)
  −0.011 to −0.062; an LSA block (100–300 dims) −0.010 to −0.013; L1-SVM feature selection −0.014;
- learners: C 0.1 / 0.2 / 0.25 / 0.35 / 0.5 / 1.0 −0.014 / −0.003 / −0.002 / −0.002 / −0.003 /
  −0.010; hinge loss −0.010 (C 1) to −0.022; Crammer-Singer −0.010; one-vs-one summed margins
  −0.010 to −0.015, averaged with one-vs-rest −0.004; SGD modified Huber (averaged) −0.027 to
  −0.040; 10 SVMs on 80 % of the rows −0.006 or on 50 % of the n-grams −0.004; ramp-loss style
  refit without the worst training margins −0.001 to −0.003; n-gram dropout copies (p 0.3–0.5, C
  adjusted) −0.002 to −0.003; training on text crops −0.004; sentence max-pooling of scores −0.003
  to −0.006; stacking (LR over this SVM, a jieba-word SVM and complement NB) −0.007; an MLP (128
  hidden) 0.625 vs 0.660 (one 5-fold run, no offsets);
- offsets: from 3 out-of-fold runs instead of 1, shrink 0.5–1.0, −0.002 to 0.000.
The learning curve is still steep (0.633 / 0.654 / 0.666 with 50 / 75 / 100 % of the training
folds): the model is short of data, not of features, and the same n-grams cannot say more. Dev
stays 0.667 (90 % bootstrap 0.632–0.701): the 0.68 goal is not reached by this family of models.

Prediction of one text does not go through scikit-learn: the fitted model is a handful of arrays
(the kept n-grams, their idf, the weight matrix, the intercepts), and `predict_one` looks n-grams up
in a dict and sums weights. This makes single-text prediction fast and the saved model small.

Saved model (`save`/`load`), a folder with:
- `meta.json`: format, pipeline name and version, labels, n_train, trained_at, metrics, settings;
- `vocabulary.json`: per block, the kept n-grams (model columns, in order) then the n-grams that only
  count in the norm, and the idf standing for unknown n-grams;
- `arrays.npz`: per-block idf, weights, intercepts, per-class offsets (`bias`), class prior,
  temperature (plain numpy arrays, loaded with allow_pickle=False). Format 2 (format 1 had no
  offsets and n-grams across punctuation; such models are refused — retrain).

Loading never unpickles anything, so a model file cannot run code; it is still meant to load only
models this module wrote into the data folder, and `load` checks the format, version and shapes.
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp
from scipy.optimize import minimize_scalar
from scipy.special import log_softmax

from kesu.triage.text import PLACEHOLDER_LABELS, text_normalise, words

PIPELINE_NAME = "segchar1-3+word1-2 tfidf chi2 linearsvc oof-bias softmax-t"
PIPELINE_VERSION = 2
MODEL_FORMAT = "kesu-category-model"
MODEL_FORMAT_VERSION = 2

META_FILE = "meta.json"
VOCABULARY_FILE = "vocabulary.json"
ARRAYS_FILE = "arrays.npz"

CHAR_NGRAMS = (1, 3)
WORD_NGRAMS = (1, 2)
ALTERNATIVES = 3
CALIBRATION_SMOOTHING = 0.05
# Per-class score offsets that maximise macro-F1 of the out-of-fold scores are multiplied by this
# before use: the full offsets fit the folds' noise too (finance, repeated CV: shrink 0.5 gave 0.660,
# 1.0 gave 0.660 but dev 0.656 instead of 0.673).
BIAS_SHRINK = 0.5
BIAS_GRID = np.linspace(-1.0, 1.0, 41)
REASONS = 5

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
# The word block: "jieba" (all words, jieba's segmentation), "latin" (only words in Latin letters: the
# character n-grams already cover Chinese words), "none".
WORD_TOKENISERS = ("jieba", "latin", "none")


@dataclass(frozen=True)
class CategoryPrediction:
    label: str
    confidence: float  # probability of `label`, 0..1
    alternatives: list[tuple[str, float]]  # the next labels, most likely first, with probabilities
    reasons: list[str]  # n-grams that pushed toward `label`, strongest first, e.g. '“扣费”'


def char_ngrams(normalised: str, lo: int = CHAR_NGRAMS[0], hi: int = CHAR_NGRAMS[1]) -> list[str]:
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
            grams.extend(segment)
        padded = " " + segment + " "
        n = len(padded)
        for size in range(max(lo, 2), hi + 1):
            grams.extend(padded[i : i + size] for i in range(n - size + 1))
    return grams


def word_ngrams(tokens: Sequence[str], lo: int = WORD_NGRAMS[0], hi: int = WORD_NGRAMS[1]) -> list[str]:
    """Word n-grams, the words of one n-gram joined by a space (words never contain one)."""
    grams: list[str] = []
    for size in range(lo, hi + 1):
        grams.extend(_WORD_SEPARATOR.join(tokens[i : i + size]) for i in range(len(tokens) - size + 1))
    return grams


def feature_display(feature: str) -> str:
    """How an n-gram reads in an explanation: '“扣费”', '“credit report”', '“卡号‹长数字›”'.

    Punctuation and spaces at either end are dropped ("费," reads '“费”').
    """
    parts = feature.split(_WORD_SEPARATOR) if feature.strip() else [feature]
    text = parts[0]
    for part in parts[1:]:
        joined_cjk = _is_cjk(text[-1:]) and _is_cjk(part[:1])
        text += part if joined_cjk else " " + part
    text = _word_placeholders(text).translate(_DISPLAY)
    start, end = 0, len(text)
    while start < end and not _is_informative(text[start]):
        start += 1
    while end > start and not _is_informative(text[end - 1]):
        end -= 1
    return "“" + text[start:end] + "”"


def _word_placeholders(text: str) -> str:
    return _PLACEHOLDER_PATTERN.sub(lambda m: _PLACEHOLDER_CHARS[m.group()], text)


def _is_cjk(char: str) -> bool:
    return bool(char) and "\u3400" <= char <= "\u9fff"


def _is_informative(char: str) -> bool:
    """A letter or digit (a placeholder's label starts with ‹ and ends with ›)."""
    return unicodedata.category(char)[0] in "LN" or char in "‹›"


@dataclass
class _Block:
    """One bag of n-grams: `features` are the kept n-grams (model columns `offset`…) followed by the
    n-grams that only count in the norm; `idf` in the same order."""

    name: str
    features: list[str]
    idf: np.ndarray
    n_kept: int
    unknown_idf: float = 1.0  # idf of an n-gram seen in one training text; stands for unknown n-grams
    offset: int = 0
    index: dict[str, int] = field(default_factory=dict)

    def index_build(self) -> None:
        # ids from 1, so that filter(None, …) drops the n-grams we do not know, in C
        self.index = {gram: i for i, gram in enumerate(self.features, start=1)}

    def values(self, grams: list[str]) -> tuple[np.ndarray, np.ndarray] | None:
        """Model columns of the kept n-grams in `grams` and their normalised tf-idf values."""
        found = list(filter(None, map(self.index.get, grams)))
        if not found:
            return None
        ids, counts = np.unique(np.array(found, dtype=np.int64), return_counts=True)
        ids -= 1
        values = (1.0 + np.log(counts)) * self.idf[ids]
        kept = ids < self.n_kept
        if not kept.any():
            return None
        unknown = len(grams) - len(found)  # each counted with tf 1, as in `fit`
        norm = math.sqrt(float(values @ values) + unknown * self.unknown_idf**2)
        return ids[kept] + self.offset, values[kept] / norm


class CategoryModel:
    """Character + word n-gram linear model over complaint categories (see the module docstring)."""

    def __init__(
        self,
        *,
        words: str = "latin",
        min_features: int = 20_000,
        features_per_text: int = 4,
        c: float = 0.3,
        calibration_folds: int = 5,
        random_state: int = 0,
    ) -> None:
        if words not in WORD_TOKENISERS:
            raise ValueError(f"words must be one of {sorted(WORD_TOKENISERS)}, got {words!r}")
        self.words = words
        self.min_features = min_features
        self.features_per_text = features_per_text
        self.c = c
        self.calibration_folds = calibration_folds
        self.random_state = random_state
        self.n_train = 0
        self.meta: dict[str, Any] = {}
        self._labels: list[str] = []
        self._blocks: list[_Block] = []
        self._weights = np.zeros((0, 0), dtype=np.float32)  # (n_features, n_labels)
        self._intercepts = np.zeros(0, dtype=np.float32)
        self._temperature = 1.0
        self._bias = np.zeros(0, dtype=np.float32)  # per-class score offsets (see `_calibrate`)
        self._prior = np.zeros(0, dtype=np.float64)

    @property
    def labels(self) -> list[str]:
        return list(self._labels)

    # ------------------------------------------------------------------ training
    def fit(self, texts: Sequence[str], labels: Sequence[str]) -> CategoryModel:
        from sklearn.feature_extraction.text import CountVectorizer, TfidfTransformer
        from sklearn.feature_selection import chi2
        from sklearn.preprocessing import normalize

        texts, labels = list(texts), [str(label) for label in labels]
        if len(texts) != len(labels):
            raise ValueError(f"{len(texts)} texts but {len(labels)} labels")
        if not all(isinstance(t, str) for t in texts):
            raise ValueError("texts must be strings")
        classes = sorted(set(labels))
        if len(classes) < 2:
            raise ValueError(f"a category model needs at least 2 different labels, got {len(classes)}: {classes}")
        y = np.array([classes.index(label) for label in labels])

        normalised = [text_normalise(t) for t in texts]
        docs = {"char": [char_ngrams(t) for t in normalised]}
        if self.words != "none":
            docs["word"] = [word_ngrams(self._tokens(t)) for t in normalised]

        # vocabulary and idf per block; chi² over the blocks' (normalised) tf-idf
        vocabularies, idfs, sublinear, scaled = [], [], [], []
        raw = []
        for name, block_docs in docs.items():
            if not any(block_docs):
                if name == "char":
                    raise ValueError("all texts are empty")
                block_docs = [["\x00"]] * len(block_docs)  # no Latin words at all: an empty word block
            vectoriser = CountVectorizer(analyzer=_identity, dtype=np.float32)
            counts = vectoriser.fit_transform(block_docs).tocsr()
            raw.append(counts.copy())
            idf = TfidfTransformer(sublinear_tf=True).fit(counts).idf_.astype(np.float32)
            counts.data = 1.0 + np.log(counts.data)
            vocabularies.append(vectoriser.get_feature_names_out().tolist())
            idfs.append(idf)
            sublinear.append(counts)
            scaled.append(normalize(counts @ sp.diags(idf)))
        scores, _ = chi2(sp.hstack(scaled).tocsr(), y)
        scores = np.nan_to_num(scores, nan=0.0)
        keep_n = min(len(scores), max(self.min_features, self.features_per_text * len(texts)))
        keep = np.sort(np.argsort(-scores, kind="stable")[:keep_n])

        # Split the kept columns back into blocks. The n-grams not kept still count in each text's
        # norm, as with the full vocabulary (normalising over the kept n-grams alone scored 0.656
        # instead of 0.667 macro-F1 in repeated CV): a long text with few telling n-grams, or a text
        # of unknown words, gets small values. The model stores the idf of the n-grams seen in 2+
        # training texts; the others (seen once, or unknown when predicting) all have the same idf
        # and count once per occurrence.
        self._blocks, matrices = [], []
        offsets = np.cumsum([0] + [len(v) for v in vocabularies])
        column = 0
        for b, name in enumerate(docs):
            kept = keep[(keep >= offsets[b]) & (keep < offsets[b + 1])] - offsets[b]
            if vocabularies[b] == ["\x00"]:
                kept = kept[:0]
            once = np.asarray((raw[b] > 0).sum(axis=0)).ravel() < 2
            in_norm = ~once
            in_norm[kept] = False
            once[kept] = False
            order = np.concatenate([kept, np.flatnonzero(in_norm)])
            block = _Block(
                name=name,
                features=[vocabularies[b][i] for i in order],
                idf=idfs[b][order],
                n_kept=len(kept),
                unknown_idf=float(math.log((1 + len(texts)) / 2) + 1),  # scikit-learn's smooth idf, df=1
                offset=column,
            )
            column += len(kept)
            values = sublinear[b][:, order] @ sp.diags(block.idf)
            norm_sq = np.asarray(values.multiply(values).sum(axis=1)).ravel()
            norm_sq += np.asarray(raw[b][:, once].sum(axis=1)).ravel() * block.unknown_idf**2
            norm = np.sqrt(norm_sq)
            norm[norm == 0] = 1.0
            matrices.append(sp.diags(1.0 / norm) @ values[:, : len(kept)])
            self._blocks.append(block)
        x = sp.hstack(matrices).tocsr()

        self._labels = classes
        self.n_train = len(texts)
        self._prior = np.bincount(y, minlength=len(classes)) / len(y)
        self._weights, self._intercepts = self._svm_fit(x, y, len(classes))
        self._bias, self._temperature = self._calibrate(x, y, len(classes))
        for block in self._blocks:
            block.index_build()
        self.meta = {}
        return self

    def _svm_fit(self, x: sp.csr_matrix, y: np.ndarray, n_classes: int) -> tuple[np.ndarray, np.ndarray]:
        """Weights (n_features, n_classes) and intercepts; classes absent from `y` score very low."""
        from sklearn.svm import LinearSVC

        present = np.unique(y)
        weights = np.zeros((x.shape[1], n_classes), dtype=np.float32)
        intercepts = np.full(n_classes, -10.0, dtype=np.float32)
        if len(present) < 2:  # only possible inside a calibration fold
            intercepts[present] = 0.0
            return weights, intercepts
        svm = LinearSVC(C=self.c, class_weight="balanced", random_state=self.random_state, max_iter=5000)
        svm.fit(x, y)
        coef, intercept = svm.coef_, svm.intercept_
        if len(present) == 2:  # scikit-learn gives one score s for the second class: use (-s/2, s/2)
            coef = np.vstack([-coef[0], coef[0]]) / 2
            intercept = np.array([-intercept[0], intercept[0]]) / 2
        weights[:, present] = coef.T
        intercepts[present] = intercept
        return weights, intercepts

    def _calibrate(self, x: sp.csr_matrix, y: np.ndarray, n_classes: int) -> tuple[np.ndarray, float]:
        """Per-class score offsets and the softmax temperature, both from out-of-fold SVM scores.

        The offsets: coordinate ascent over `BIAS_GRID` for the macro-F1 of the out-of-fold
        predictions, times `BIAS_SHRINK` (a prior correction: the balanced SVM still under-predicts
        the small categories). The temperature: the one that best explains the offset scores.
        Too few texts for folds: no offsets, temperature 1.0.
        """
        bias = np.zeros(n_classes, dtype=np.float32)
        folds = _stratified_folds(y, self.calibration_folds, self.random_state)
        if folds is None:
            return bias, 1.0
        scores = np.zeros((len(y), n_classes))
        for fold in range(folds.max() + 1):
            test = folds == fold
            weights, intercepts = self._svm_fit(x[~test], y[~test], n_classes)
            scores[test] = x[test] @ weights + intercepts
        bias = (_macro_f1_bias(scores, y, n_classes) * BIAS_SHRINK).astype(np.float32)
        scores = scores + bias
        rows = np.arange(len(y))

        # Cross-entropy against labels smoothed by CALIBRATION_SMOOTHING: on (nearly) separable
        # training data the plain likelihood drives the temperature to 0 and every prediction,
        # even of a text with one known n-gram, to confidence 1.
        def loss(log_t: float) -> float:
            log_p = log_softmax(scores / math.exp(log_t), axis=1)
            smoothing = CALIBRATION_SMOOTHING
            return float(-((1 - smoothing) * log_p[rows, y] + smoothing * log_p.mean(axis=1)).mean())

        best = minimize_scalar(loss, bounds=(math.log(0.05), math.log(10.0)), method="bounded")
        return bias, float(math.exp(best.x))

    # ------------------------------------------------------------------ prediction
    def predict_one(self, text: str) -> CategoryPrediction:
        if not self._labels:
            raise ValueError("the category model is not fitted")
        normalised = text_normalise(text)
        found = [self._blocks[0].values(char_ngrams(normalised))]
        if self.words != "none":
            found.append(self._blocks[1].values(word_ngrams(self._tokens(normalised))))
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

    def _tokens(self, normalised: str) -> list[str]:
        return words(normalised) if self.words == "jieba" else _LATIN_WORD.findall(normalised)

    def predict(self, texts: Sequence[str]) -> list[CategoryPrediction]:
        return [self.predict_one(t) for t in texts]

    def _reasons(self, columns: np.ndarray, contributions: np.ndarray) -> list[str]:
        """The strongest positive contributions, readable, none inside another, at most REASONS."""
        candidates: list[str] = []
        for k in np.argsort(-contributions)[: REASONS * 4]:
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
        if not self._labels:
            raise ValueError("the category model is not fitted")
        directory = Path(directory)
        directory.mkdir(parents=True, exist_ok=True)
        meta = {
            "format": MODEL_FORMAT,
            "format_version": MODEL_FORMAT_VERSION,
            "pipeline": PIPELINE_NAME,
            "pipeline_version": PIPELINE_VERSION,
            "labels": self._labels,
            "n_train": self.n_train,
            "trained_at": trained_at.isoformat() if trained_at else self.meta.get("trained_at"),
            "metrics": metrics if metrics is not None else self.meta.get("metrics"),
            "settings": {
                "words": self.words,
                "char_ngrams": list(CHAR_NGRAMS),
                "word_ngrams": list(WORD_NGRAMS),
                "min_features": self.min_features,
                "features_per_text": self.features_per_text,
                "c": self.c,
                "calibration_folds": self.calibration_folds,
            },
            "n_features": int(self._weights.shape[0]),
        }
        vocabulary = {
            b.name: {"n_kept": b.n_kept, "unknown_idf": b.unknown_idf, "features": b.features} for b in self._blocks
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
            settings = meta["settings"]
            vocabulary = json.loads((directory / VOCABULARY_FILE).read_text(encoding="utf-8"))
            with np.load(directory / ARRAYS_FILE, allow_pickle=False) as arrays:
                loaded = {name: arrays[name] for name in arrays.files}
            model = cls(
                words=str(settings["words"]),
                min_features=int(settings["min_features"]),
                features_per_text=int(settings["features_per_text"]),
                c=float(settings["c"]),
                calibration_folds=int(settings["calibration_folds"]),
            )
            model._labels = [str(label) for label in meta["labels"]]
            model.n_train = int(meta["n_train"])
            column = 0
            for name in ["char", "word"] if model.words != "none" else ["char"]:
                block = _Block(
                    name=name,
                    features=vocabulary[name]["features"],
                    idf=loaded[f"{name}_idf"].astype(np.float32, copy=False),
                    n_kept=int(vocabulary[name]["n_kept"]),
                    unknown_idf=float(vocabulary[name]["unknown_idf"]),
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


def _identity(grams: list[str]) -> list[str]:
    return grams


def _macro_f1(truth: np.ndarray, predicted: np.ndarray, n_classes: int) -> float:
    hits = np.bincount(truth[truth == predicted], minlength=n_classes)
    support = np.bincount(truth, minlength=n_classes)
    n_predicted = np.bincount(predicted, minlength=n_classes)
    denominator = support + n_predicted
    present = denominator > 0
    return float((2 * hits[present] / denominator[present]).mean())


def _macro_f1_bias(scores: np.ndarray, y: np.ndarray, n_classes: int, rounds: int = 3) -> np.ndarray:
    """Per-class offsets to `scores` that maximise macro-F1 (coordinate ascent over `BIAS_GRID`)."""
    bias = np.zeros(n_classes)
    best = _macro_f1(y, scores.argmax(axis=1), n_classes)
    for _ in range(rounds):
        changed = False
        for k in range(n_classes):
            for value in BIAS_GRID:
                trial = bias.copy()
                trial[k] = value
                f1 = _macro_f1(y, (scores + trial).argmax(axis=1), n_classes)
                if f1 > best + 1e-9:
                    best, bias, changed = f1, trial, True
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
