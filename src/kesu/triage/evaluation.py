"""Evaluating triage on a centre's own labelled files: the category model, the red channel, anger.

Used by `kesu triage evaluate --target category|red_channel|anger|emotion …` and the benchmarks.

* category: a fresh model is trained on TRAIN (it chooses its settings by cross-validation on TRAIN
  only) and scored on TEST, next to the plain baseline (character 1–3-gram TF-IDF + LinearSVC,
  untuned) trained on the same rows: `baseline_macro_f1` and the margin.
* red_channel: labels 0/1 (default column ``red``); the detector as it ships, or with TRAIN, with the
  terms it learnt to mute on TRAIN (terms whose flags were wrong in most of TRAIN's texts).
* anger: labels 0–3 (default column ``anger``); the temperature as it ships, or with TRAIN, a
  centre's anger model trained on it (triage/anger.py). Reported at the senior-handler threshold.

CSV files are UTF-8 (with or without BOM) or GB18030 (what Excel writes on a Chinese Windows). With a
header, the named columns are used (the header is recognised by holding both column names; when the
caller names the columns explicitly, a header holding them is required). Without a header, each row
is `text,label`: the last column is the label, a text with commas must be quoted, and an unquoted row
with more columns has all but the last joined back (with commas) as the text.
"""

from __future__ import annotations

import csv
import io
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from kesu.triage.classifier import CategoryModel, baseline_model

DEFAULT_TEXT_COLUMN = "text"
DEFAULT_LABEL_COLUMN = "label"
LABEL_COLUMNS = {"category": "label", "emotion": "label", "red_channel": "red", "anger": "anger"}
LABEL_VALUES = {"red_channel": ("0", "1"), "anger": ("0", "1", "2", "3"), "emotion": ("0", "1")}

csv.field_size_limit(10 * 1024 * 1024)  # complaint texts can be long; csv's default limit is 128 KiB


class EvaluationInputError(ValueError):
    """A labelled file that cannot be used; the message names the file, the row and the problem."""


# the evaluate contract names the kinds safety, group, media, regulator, legal
REPORTED_KIND = {"group_incident": "group"}


def labelled_rows_read(
    path: Path, *, text_column: str | None = None, label_column: str | None = None, target: str = "category",
) -> list[tuple[str, str]]:
    """(text, label) pairs from a CSV file (see the module docstring for the accepted shapes).

    `text_column`/`label_column` default to "text" and the target's label column ("label", or "red"
    / "anger"); passing either one means the file must have a header with both columns. A target
    with fixed labels (red 0/1, anger 0–3) refuses any other value. Row numbers in errors are the
    line numbers an editor shows.
    """
    path = Path(path)
    explicit = text_column is not None or label_column is not None
    default_label = LABEL_COLUMNS.get(target, DEFAULT_LABEL_COLUMN)
    text_column = text_column if text_column is not None else DEFAULT_TEXT_COLUMN
    label_column = label_column if label_column is not None else default_label
    allowed = LABEL_VALUES.get(target)
    rows = _labelled_rows(path, text_column=text_column, label_column=label_column, explicit=explicit)
    if allowed is not None:
        for line, (_text, label) in rows:
            if label not in allowed:
                raise EvaluationInputError(
                    f"{path}, row {line}: label {label!r} is not one of {', '.join(allowed)}")
    return [pair for _line, pair in rows]


def _labelled_rows(
    path: Path, *, text_column: str, label_column: str, explicit: bool,
) -> list[tuple[int, tuple[str, str]]]:
    content = _decoded(path)
    if not content.strip():
        raise EvaluationInputError(f"{path}: the file is empty")

    rows = _rows_with_line_numbers(path, content)
    if not rows:
        raise EvaluationInputError(f"{path}: the file has no rows")
    first_line, first = rows[0]
    header = [cell.strip().lstrip("\ufeff") for cell in first]
    if text_column in header and label_column in header:
        text_at, label_at = header.index(text_column), header.index(label_column)
        body = rows[1:]
        if not body:
            raise EvaluationInputError(f"{path}: the file has a header but no rows")
        return [(line, _named_row(path, line, row, len(header), text_at, label_at)) for line, row in body]
    if explicit:
        missing = [c for c in (text_column, label_column) if c not in header]
        raise EvaluationInputError(
            f"{path}, row {first_line}: no column named {', '.join(repr(c) for c in missing)} in the header "
            f"({', '.join(repr(c) for c in header)})"
        )
    return [(line, _unnamed_row(path, line, row)) for line, row in rows]


def _decoded(path: Path) -> str:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise EvaluationInputError(f"{path}: cannot read the file: {exc.strerror or exc}") from exc
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as utf8_error:
        try:
            return raw.decode("gb18030")
        except UnicodeDecodeError:
            line = raw.count(b"\n", 0, utf8_error.start) + 1
            raise EvaluationInputError(
                f"{path}, row {line}: undecodable bytes (neither UTF-8 nor GB18030) at byte {utf8_error.start}"
            ) from utf8_error


def _rows_with_line_numbers(path: Path, content: str) -> list[tuple[int, list[str]]]:
    """Non-blank CSV records, each with the line it starts on (quoted texts may span lines)."""
    reader = csv.reader(io.StringIO(content, newline=""))
    rows = []
    start = 1
    try:
        for row in reader:
            if any(cell.strip() for cell in row):
                rows.append((start, row))
            start = reader.line_num + 1
    except csv.Error as exc:
        raise EvaluationInputError(f"{path}, row {start}: not valid CSV: {exc}") from exc
    return rows


def _named_row(path: Path, line: int, row: list[str], width: int, text_at: int, label_at: int) -> tuple[str, str]:
    if len(row) != width:
        raise EvaluationInputError(f"{path}, row {line}: {len(row)} columns, the header has {width}")
    return _checked(path, line, row[text_at], row[label_at])


def _unnamed_row(path: Path, line: int, row: list[str]) -> tuple[str, str]:
    if len(row) < 2:
        raise EvaluationInputError(f"{path}, row {line}: 1 column, expected 2 (text,label)")
    return _checked(path, line, ",".join(row[:-1]), row[-1])


def _checked(path: Path, line: int, text: str, label: str) -> tuple[str, str]:
    label = label.strip()
    if not text.strip():
        raise EvaluationInputError(f"{path}, row {line}: empty text")
    if not label:
        raise EvaluationInputError(f"{path}, row {line}: missing label")
    return text, label


def category_evaluate(
    train_rows: Sequence[tuple[str, str]],
    test_rows: Sequence[tuple[str, str]],
    *,
    model_factory: Callable[[], Any] = CategoryModel,
    baseline: bool = True,
) -> dict[str, Any]:
    """Train a fresh model on `train_rows`, score it on `test_rows`, next to the plain baseline.

    Returns macro_f1, accuracy, per_class ({label: precision, recall, f1, support}), n_train, n_test,
    train_seconds, predict_per_second (one `predict_one` call per test text, as in production),
    chosen (the settings the model chose by cross-validation on `train_rows`, with every candidate's
    score) and baseline_macro_f1 (character 1–3-gram TF-IDF + LinearSVC, untuned, same rows).
    Test labels the model never saw are all errors; they are reported in per_class and in macro_f1.
    """
    if not train_rows:
        raise ValueError("no training rows")
    if not test_rows:
        raise ValueError("no test rows")
    texts, labels = [t for t, _ in train_rows], [label for _, label in train_rows]

    started = time.perf_counter()
    model = model_factory().fit(texts, labels)
    train_seconds = time.perf_counter() - started

    started = time.perf_counter()
    predicted = [model.predict_one(text).label for text, _ in test_rows]
    predict_seconds = time.perf_counter() - started

    truth = [label for _, label in test_rows]
    scores = _per_class_scores(truth, predicted)
    result: dict[str, Any] = {
        "macro_f1": _macro(scores),
        "accuracy": round(sum(t == p for t, p in zip(truth, predicted, strict=True)) / len(truth), 4),
        "per_class": scores,
        "n_train": len(train_rows),
        "n_test": len(test_rows),
        "train_seconds": round(train_seconds, 2),
        "predict_per_second": round(len(test_rows) / predict_seconds) if predict_seconds > 0 else None,
        "chosen": getattr(model, "choice", {}),
    }
    if baseline:
        reference = baseline_model().fit(texts, labels)
        base_scores = _per_class_scores(truth, [reference.predict_one(text).label for text, _ in test_rows])
        result["baseline_macro_f1"] = _macro(base_scores)
        result["margin_over_baseline"] = round(result["macro_f1"] - result["baseline_macro_f1"], 4)
    return result


def _macro(scores: dict[str, dict[str, float | int]]) -> float:
    return round(sum(s["f1"] for s in scores.values()) / len(scores), 4)


def red_channel_evaluate(
    test_rows: Sequence[tuple[str, str]], train_rows: Sequence[tuple[str, str]] | None = None,
) -> dict[str, Any]:
    """Precision and recall of the red channel on texts labelled 1 (red) / 0.

    Without `train_rows` the detector is measured as it ships. With them, the terms whose flags were
    wrong in most of the training texts they flagged (at least `MUTE_MIN_WRONG` of them) are muted
    first — a centre's vocabulary ("集体" in its company names, a product called "Fire") is learnt
    from its own labels — and reported in ``muted``.
    """
    from kesu.triage.redchannel import RED_KINDS, red_channel_detect

    if not test_rows:
        raise ValueError("no test rows")
    muted = red_terms_to_mute(train_rows) if train_rows else []
    truth, flagged, kinds_found = [], [], []
    started = time.perf_counter()
    for text, label in test_rows:
        red = red_channel_detect(text)
        evidence = [e for e in red.evidence if e.term.lower() not in muted]
        truth.append(label == "1")
        flagged.append(bool(evidence))
        kinds_found.append({e.kind for e in evidence})
    seconds = time.perf_counter() - started
    result = _precision_recall(truth, flagged)
    per_kind = {}
    for kind in RED_KINDS:
        flagged_kind = [kind in kinds for kinds in kinds_found]
        kind = REPORTED_KIND.get(kind, kind)
        per_kind[kind] = {"flagged": sum(flagged_kind),
                          "true": sum(f and t for f, t in zip(flagged_kind, truth, strict=True))}
        per_kind[kind]["precision"] = round(per_kind[kind]["true"] / per_kind[kind]["flagged"], 4) if (
            per_kind[kind]["flagged"]) else None
    return {
        **result,
        "n_test": len(test_rows),
        "n_red": sum(truth),
        "flagged_share": round(sum(flagged) / len(flagged), 4),
        "per_kind": per_kind,
        "muted": muted,
        "n_train": len(train_rows or ()),
        "per_second": round(len(test_rows) / seconds) if seconds > 0 else None,
    }


MUTE_MIN_WRONG = 3


def red_terms_to_mute(train_rows: Sequence[tuple[str, str]]) -> list[str]:
    """Terms that flagged mostly texts labelled not red in `train_rows` (at least MUTE_MIN_WRONG)."""
    from kesu.triage.redchannel import red_channel_detect

    right: dict[str, int] = {}
    wrong: dict[str, int] = {}
    for text, label in train_rows:
        for term in {e.term.lower() for e in red_channel_detect(text).evidence}:
            tally = right if label == "1" else wrong
            tally[term] = tally.get(term, 0) + 1
    return sorted(term for term, count in wrong.items() if count >= MUTE_MIN_WRONG and count > right.get(term, 0))


def _precision_recall(truth: list[bool], flagged: list[bool]) -> dict[str, Any]:
    tp = sum(f and t for f, t in zip(flagged, truth, strict=True))
    precision = tp / sum(flagged) if any(flagged) else 0.0
    recall = tp / sum(truth) if any(truth) else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4)}


def anger_evaluate(
    test_rows: Sequence[tuple[str, str]], train_rows: Sequence[tuple[str, str]] | None = None, *,
    threshold: int = 70,
) -> dict[str, Any]:
    """The temperature against anger labelled 0–3: as it ships, or a model trained on `train_rows`.

    roc_auc: the temperature as a score for "clearly angry" (anger ≥ 2); spearman: rank correlation
    with the level; at ``threshold`` (the senior-handler threshold): calm_hot_share (share of anger
    ≤ 1 at or above it), angry_hot_recall (share of anger ≥ 2 at or above it) and hot_share (share of
    all texts at or above it: what a centre must staff).
    """
    from scipy.stats import spearmanr

    from kesu.triage.anger import ANGRY, AngerModel, levels_parse
    from kesu.triage.emotion import emotion_temperature, roc_auc

    if not test_rows:
        raise ValueError("no test rows")
    levels = levels_parse(label for _, label in test_rows)
    texts = [text for text, _ in test_rows]
    model = None
    started = time.perf_counter()
    if train_rows:
        model = AngerModel().fit([t for t, _ in train_rows], [label for _, label in train_rows])
    train_seconds = time.perf_counter() - started
    started = time.perf_counter()
    if model is not None:
        temperatures = [model.temperature(text) for text in texts]
    else:
        temperatures = [emotion_temperature(text).score for text in texts]
    seconds = time.perf_counter() - started
    angry = [1 if level >= ANGRY else 0 for level in levels]
    hot = [t >= threshold for t in temperatures]
    calm_total = len(angry) - sum(angry)
    result = {
        "roc_auc": round(roc_auc(temperatures, angry), 4) if 0 < sum(angry) < len(angry) else None,
        "spearman": round(float(spearmanr(temperatures, levels).correlation), 4) if len(set(levels)) > 1 else None,
        "threshold": threshold,
        "calm_hot_share": round(sum(h and not a for h, a in zip(hot, angry, strict=True)) / calm_total, 4)
        if calm_total else None,
        "angry_hot_recall": round(sum(h and a for h, a in zip(hot, angry, strict=True)) / sum(angry), 4)
        if sum(angry) else None,
        "hot_share": round(sum(hot) / len(hot), 4),
        "n_test": len(test_rows),
        "n_angry": sum(angry),
        "n_train": len(train_rows or ()),
        "model": model.choice if model is not None else "rules as shipped",
        "train_seconds": round(train_seconds, 2),
        "per_second": round(len(texts) / seconds) if seconds > 0 else None,
    }
    return result


def _per_class_scores(truth: list[str], predicted: list[str]) -> dict[str, dict[str, float | int]]:
    """Precision, recall, F1 and support of every label in the test set or the predictions.

    macro_f1 averages over these labels (scikit-learn's `f1_score(average="macro")` does the same).
    """
    scores: dict[str, dict[str, float | int]] = {}
    for label in sorted(set(truth) | set(predicted)):
        hits = sum(t == p == label for t, p in zip(truth, predicted, strict=True))
        n_predicted = predicted.count(label)
        support = truth.count(label)
        precision = hits / n_predicted if n_predicted else 0.0
        recall = hits / support if support else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        scores[label] = {
            "precision": round(precision, 4),
            "recall": round(recall, 4),
            "f1": round(f1, 4),
            "support": support,
        }
    return scores
