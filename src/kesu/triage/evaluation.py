"""Evaluating the category model: reading labelled CSV files, training a fresh model, scoring it.

Used by `kesu triage evaluate --train TRAIN.csv --test TEST.csv` and by bench/category_model.py.

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

from kesu.triage.classifier import CategoryModel

DEFAULT_TEXT_COLUMN = "text"
DEFAULT_LABEL_COLUMN = "label"

csv.field_size_limit(10 * 1024 * 1024)  # complaint texts can be long; csv's default limit is 128 KiB


class EvaluationInputError(ValueError):
    """A labelled file that cannot be used; the message names the file, the row and the problem."""


def labelled_rows_read(
    path: Path, *, text_column: str | None = None, label_column: str | None = None
) -> list[tuple[str, str]]:
    """(text, label) pairs from a CSV file (see the module docstring for the accepted shapes).

    `text_column`/`label_column` default to "text"/"label"; passing either one means the file must
    have a header with both columns. Row numbers in errors are the line numbers an editor shows.
    """
    path = Path(path)
    explicit = text_column is not None or label_column is not None
    text_column = text_column if text_column is not None else DEFAULT_TEXT_COLUMN
    label_column = label_column if label_column is not None else DEFAULT_LABEL_COLUMN
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
        return [_named_row(path, line, row, len(header), text_at, label_at) for line, row in body]
    if explicit:
        missing = [c for c in (text_column, label_column) if c not in header]
        raise EvaluationInputError(
            f"{path}, row {first_line}: no column named {', '.join(repr(c) for c in missing)} in the header "
            f"({', '.join(repr(c) for c in header)})"
        )
    return [_unnamed_row(path, line, row) for line, row in rows]


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
) -> dict[str, Any]:
    """Train a fresh model on `train_rows`, score it on `test_rows`.

    Returns macro_f1, accuracy, per_class ({label: precision, recall, f1, support}), n_train, n_test,
    train_seconds and predict_per_second (one `predict_one` call per test text, as in production).
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
    return {
        "macro_f1": round(sum(s["f1"] for s in scores.values()) / len(scores), 4),
        "accuracy": round(sum(t == p for t, p in zip(truth, predicted, strict=True)) / len(truth), 4),
        "per_class": scores,
        "n_train": len(train_rows),
        "n_test": len(test_rows),
        "train_seconds": round(train_seconds, 2),
        "predict_per_second": round(len(test_rows) / predict_seconds) if predict_seconds > 0 else None,
    }


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
