"""Emotion temperature and red channel on real data: accuracy, speed, false alarms.

    python bench/emotion.py                 # data from ../shared/data (or $KESU_SHARED_DATA)
    python bench/emotion.py --samples 30    # list more of the texts the red channel flags

On ``dev/waimai_10k_sentiment.csv`` (food-delivery reviews, label 1 positive / 0 negative) it holds out
20 % (stratified, fixed seed), trains `EmotionModel` on the other 80 % and prints the ROC AUC of the
temperature (negative reviews should be hotter), precision / recall / F1 of "temperature ≥ 70 means
negative", and the same figures for the untrained rule temperature on the same 20 %. Then the speed
of `emotion_temperature` and `red_channel_detect` per text on the reviews and, when present, on the
longer complaints of ``dev/finance_complaints_train.csv`` and the CFPB narratives, and how often the
red channel fires on each (food reviews should rarely be red), with a sample of flagged texts to
inspect for false alarms.

The data is research-use only and never copied into the repository; without it this script says so
and exits 0.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import statistics
import sys
import time
from pathlib import Path

SEED = 20240601
TEST_SHARE = 0.2


def data_dir() -> Path:
    configured = os.environ.get("KESU_SHARED_DATA")
    return Path(configured) if configured else Path(__file__).resolve().parents[2] / "shared" / "data"


def waimai_rows(path: Path) -> list[tuple[str, int]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return [(row["review"], int(row["label"])) for row in csv.DictReader(handle)]


def finance_texts(path: Path) -> list[str]:
    with path.open(encoding="utf-8", newline="") as handle:
        return [row[0] for row in csv.reader(handle) if row]


def cfpb_texts(path: Path) -> list[str]:
    csv.field_size_limit(1 << 27)
    with path.open(encoding="utf-8", newline="") as handle:
        return [text for row in csv.DictReader(handle) if (text := row.get("Consumer complaint narrative"))]


def per_second(function, texts: list[str], repeats: int = 3) -> float:
    """Texts per second of ``function`` over ``texts`` (best of ``repeats`` runs)."""
    best = float("inf")
    for _ in range(repeats):
        started = time.perf_counter()
        for text in texts:
            function(text)
        best = min(best, time.perf_counter() - started)
    return len(texts) / best


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=15, help="flagged texts to list per data set")
    args = parser.parse_args(argv[1:])

    root = data_dir()
    waimai = root / "dev" / "waimai_10k_sentiment.csv"
    if not waimai.exists():
        print(f"skipped: {waimai} not found (set KESU_SHARED_DATA to the shared data folder)")
        return 0

    from sklearn.model_selection import train_test_split

    from kesu.triage.emotion import (
        EMOTION_THRESHOLD_DEFAULT,
        EmotionModel,
        emotion_evaluate,
        emotion_temperature,
    )
    from kesu.triage.redchannel import red_channel_detect

    rows = waimai_rows(waimai)
    train, test = train_test_split(
        rows, test_size=TEST_SHARE, random_state=SEED, stratify=[label for _, label in rows]
    )
    print(f"waimai: {len(rows):,} reviews; train {len(train):,}, held out {len(test):,} (stratified, seed {SEED})")
    model = EmotionModel()
    result = emotion_evaluate(train, test, threshold=EMOTION_THRESHOLD_DEFAULT, model=model)
    print(
        f"  trained  (char 1-3-gram TF-IDF + rule features, logistic regression): "
        f"roc_auc {result['roc_auc']:.4f}  at ≥{result['threshold']}: f1 {result['f1_at_threshold']:.4f} "
        f"precision {result['precision_at_threshold']:.4f} recall {result['recall_at_threshold']:.4f}  "
        f"train {result['train_seconds']:.1f} s, predict {result['predict_per_second']:,} texts/s (batch)"
    )
    print(
        f"  lexicon only (no training): roc_auc {result['lexicon_roc_auc']:.4f}  "
        f"at ≥{result['threshold']}: f1 {result['lexicon_f1_at_threshold']:.4f} "
        f"precision {result['lexicon_precision_at_threshold']:.4f} "
        f"recall {result['lexicon_recall_at_threshold']:.4f}"
    )
    one_at_a_time = per_second(model.temperature, [text for text, _ in test[:500]], repeats=1)
    print(f"  trained model one text at a time: {one_at_a_time:,.0f} texts/s ({1e6 / one_at_a_time:.0f} µs)")
    hot = sum(1 for text, _ in test if emotion_temperature(text).score >= EMOTION_THRESHOLD_DEFAULT)
    print(f"  rule temperature ≥ {EMOTION_THRESHOLD_DEFAULT} on {hot / len(test):.1%} of the held-out reviews")

    corpora: list[tuple[str, list[str]]] = [("waimai reviews", [text for text, _ in rows])]
    finance = root / "dev" / "finance_complaints_train.csv"
    if finance.exists():
        corpora.append(("finance complaints", finance_texts(finance)))
    cfpb = root / "dev" / "cfpb_complaints_sample.csv"
    if cfpb.exists():
        corpora.append(("CFPB narratives", cfpb_texts(cfpb)))

    print()
    print("speed (one core, texts/s, best of 3) and red-channel flag rate:")
    flagged_by_corpus = []
    for name, texts in corpora:
        mean_length = statistics.fmean(len(text) for text in texts)
        emotion_speed = per_second(emotion_temperature, texts)
        red_speed = per_second(red_channel_detect, texts)
        reds = [(text, red_channel_detect(text)) for text in texts]
        flagged = [(text, red) for text, red in reds if red.flagged]
        flagged_by_corpus.append((name, flagged))
        print(
            f"  {name:18s} {len(texts):6,} texts, mean {mean_length:5.0f} chars: "
            f"emotion {emotion_speed:9,.0f}/s ({1e6 / emotion_speed:5.1f} µs)  "
            f"red channel {red_speed:9,.0f}/s ({1e6 / red_speed:5.1f} µs)  "
            f"red {len(flagged):5,} = {len(flagged) / len(texts):.2%}"
        )

    rng = random.Random(SEED)
    for name, flagged in flagged_by_corpus:
        if not flagged:
            continue
        print()
        print(f"red-channel flags on {name} (sample of {min(args.samples, len(flagged))}):")
        for text, red in rng.sample(flagged, min(args.samples, len(flagged))):
            first = red.evidence[0]
            context = text[max(0, first.start - 30):first.end + 30].replace("\n", " ")
            evidence = ", ".join(f"{e.kind}:{e.term}" for e in red.evidence)
            print(f"  [{evidence}] …{context}…")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
