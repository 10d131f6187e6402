"""Category model benchmark: quality and speed of the production pipeline on real complaint data.

    python bench/category_model.py                 # finance train → dev, 5-fold CV, CFPB sanity check
    python bench/category_model.py --quick         # finance train → dev only
    python bench/category_model.py --words jieba   # the word block from jieba instead of Latin words
    python bench/category_model.py --cv-repeats 3  # 3 × 5-fold CV on finance train (differently shuffled)

Reads ../shared/data (or $KESU_SHARED_DATA); skips with a message when it is missing. Nothing from
the data is written anywhere except a temporary folder for the saved model, removed at the end.

Prints: macro-F1 and accuracy on finance dev (with a bootstrap 90 % interval: the dev set has 511
rows, so ±0.02 is noise), training seconds, single-text predictions per second (`predict_one` in a
loop), model load milliseconds, model size on disk, jieba's start-up seconds; then macro-F1 of a
5-fold cross-validation on finance train, and of a 5-fold cross-validation on the CFPB narratives
(English, label = Product) — sanity checks of generality, not tuning targets. One 5-fold run's mean
moves by ~0.005 with the shuffle; compare variants on repeated folds (`--cv-repeats`), fold by fold.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))


def data_dir() -> Path:
    return Path(os.environ.get("KESU_SHARED_DATA") or Path(__file__).resolve().parents[2] / "shared" / "data")


def jieba_start_seconds() -> float:
    """jieba's dictionary load in a fresh process (what a server pays once at start)."""
    code = "from kesu.triage.text import jieba_warm; print(jieba_warm())"
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    if out.stderr.strip():
        print(f"  (jieba wrote to stderr: {out.stderr.strip()[:200]!r})")
    return float(out.stdout.strip())


def macro_f1(truth: list[str], predicted: list[str]) -> float:
    labels = sorted(set(truth) | set(predicted))
    scores = []
    for label in labels:
        hits = sum(t == p == label for t, p in zip(truth, predicted, strict=True))
        precision = hits / max(1, predicted.count(label))
        recall = hits / max(1, truth.count(label))
        scores.append(2 * precision * recall / (precision + recall) if precision + recall else 0.0)
    return sum(scores) / len(scores)


def bootstrap_interval(truth: list[str], predicted: list[str], rounds: int = 500) -> tuple[float, float]:
    rng = random.Random(0)
    n = len(truth)
    values = []
    for _ in range(rounds):
        sample = [rng.randrange(n) for _ in range(n)]
        values.append(macro_f1([truth[i] for i in sample], [predicted[i] for i in sample]))
    values.sort()
    return values[int(rounds * 0.05)], values[int(rounds * 0.95)]


def cross_validate(rows: list[tuple[str, str]], model_factory, folds: int = 5, seed: int = 0) -> list[float]:
    """Macro-F1 of each fold, folds stratified by label and shuffled by `seed`."""
    rng = random.Random(seed)
    by_label: dict[str, list[int]] = {}
    for i, (_, label) in enumerate(rows):
        by_label.setdefault(label, []).append(i)
    fold_of = [0] * len(rows)
    position = 0
    for members in by_label.values():
        rng.shuffle(members)
        for i in members:
            fold_of[i] = position % folds
            position += 1
    scores = []
    for fold in range(folds):
        train = [r for r, f in zip(rows, fold_of, strict=True) if f != fold]
        test = [r for r, f in zip(rows, fold_of, strict=True) if f == fold]
        model = model_factory().fit([t for t, _ in train], [label for _, label in train])
        scores.append(macro_f1([label for _, label in test], [p.label for p in model.predict([t for t, _ in test])]))
    return scores


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="finance train → dev only")
    parser.add_argument("--words", default=None, help="word block: latin (default), jieba or none")
    parser.add_argument("--cv-repeats", type=int, default=1, help="repeats of the 5-fold CV on finance train")
    args = parser.parse_args()

    data = data_dir() / "dev"
    train_path, dev_path = data / "finance_complaints_train.csv", data / "finance_complaints_dev.csv"
    if not train_path.exists() or not dev_path.exists():
        print(f"SKIPPED: the shared data is not there ({data}); set KESU_SHARED_DATA to its folder")
        return 0

    from kesu.triage.classifier import PIPELINE_NAME, CategoryModel
    from kesu.triage.evaluation import category_evaluate, labelled_rows_read
    from kesu.triage.text import jieba_warm

    options = {"words": args.words} if args.words else {}

    def factory() -> CategoryModel:
        return CategoryModel(**options)

    print(f"pipeline: {PIPELINE_NAME} {options or ''}")
    print(f"jieba start-up (fresh process): {jieba_start_seconds():.2f} s")
    jieba_warm()

    train, dev = labelled_rows_read(train_path), labelled_rows_read(dev_path)
    models: list[CategoryModel] = []

    def keeping_factory() -> CategoryModel:
        models.append(factory())
        return models[-1]

    result = category_evaluate(train, dev, model_factory=keeping_factory)
    model = models[-1]
    predictions = model.predict([t for t, _ in dev])
    truth, predicted = [label for _, label in dev], [p.label for p in predictions]
    low, high = bootstrap_interval(truth, predicted)
    right = [p.confidence for p, t in zip(predictions, truth, strict=True) if p.label == t]
    wrong = [p.confidence for p, t in zip(predictions, truth, strict=True) if p.label != t]
    print(f"finance train → dev ({result['n_train']} → {result['n_test']})")
    print(f"  macro-F1            {result['macro_f1']:.4f}   (bootstrap 90 %: {low:.3f}–{high:.3f})")
    print(f"  accuracy            {result['accuracy']:.4f}")
    for label, scores in result["per_class"].items():
        print(f"    {label:>10}  P {scores['precision']:.3f}  R {scores['recall']:.3f}  F1 {scores['f1']:.3f}  n {scores['support']}")
    print(f"  train               {result['train_seconds']:.1f} s")
    print(f"  predict_one         {result['predict_per_second']:,} texts/s (one at a time)")
    print(f"  confidence          {statistics.mean(right):.3f} when right, {statistics.mean(wrong):.3f} when wrong; "
          f"mean {statistics.mean(p.confidence for p in predictions):.3f} vs accuracy {result['accuracy']:.3f}")
    lengths = sorted(len(t) for t, _ in dev)
    print(f"  dev text length     median {lengths[len(lengths) // 2]} chars, mean {statistics.mean(lengths):.0f}")

    with tempfile.TemporaryDirectory() as folder:
        directory = Path(folder) / "category-v1"
        model.save(directory)
        size = sum(f.stat().st_size for f in directory.iterdir())
        loads = []
        for _ in range(5):
            started = time.perf_counter()
            CategoryModel.load(directory)
            loads.append((time.perf_counter() - started) * 1000)
    print(f"  model load          {statistics.median(loads):.0f} ms (median of 5; first {loads[0]:.0f} ms)")
    print(f"  model size          {size / 1024 / 1024:.1f} MiB on disk (meta.json, vocabulary.json, arrays.npz)")

    if args.quick:
        return 0

    scores = []
    for repeat in range(max(1, args.cv_repeats)):
        scores += cross_validate(train, factory, seed=repeat)
    runs = f"{args.cv_repeats} × 5-fold" if args.cv_repeats > 1 else "5-fold"
    print(f"finance train, {runs} CV macro-F1: {statistics.mean(scores):.4f} ± {statistics.stdev(scores):.4f} "
          f"(folds {', '.join(f'{s:.3f}' for s in scores)})")

    cfpb_path = data / "cfpb_complaints_sample.csv"
    if not cfpb_path.exists():
        print("CFPB sample missing: skipped")
        return 0
    with open(cfpb_path, encoding="utf-8-sig", newline="") as f:
        cfpb = [(r["Consumer complaint narrative"], r["Product"]) for r in csv.DictReader(f)
                if r["Consumer complaint narrative"].strip()]
    scores = cross_validate(cfpb, factory)
    print(f"CFPB narratives → Product ({len(cfpb)} rows, {len({label for _, label in cfpb})} products), "
          f"5-fold CV macro-F1: {statistics.mean(scores):.4f} ± {statistics.stdev(scores):.4f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
