"""Red channel and anger temperature on hand-labelled complaints, with a held-out part never tuned on.

    python bench/red_anger.py                       # red_anger_dev: tuning part, held-out part, all
    python bench/red_anger.py --extra FILE.tsv …    # more labelled rows (row index in finance train, 0/1)

Reads ../shared/data (or $KESU_SHARED_DATA); skips with a message when it is missing.

`dev/red_anger_dev.csv` (424 texts from the finance and waimai files, labelled red 0/1 and anger 0–3
by reading each one) is split once, independently of the labels: a text whose SHA-256 (UTF-8),
read as a number in [0, 1), is below 0.35 is in the **held-out** part (148 texts, 11 red); the rest
is the part the rules were developed on. The held-out part was not read while developing; its
figures are the honest ones.

Also: the share of complaints the red channel flags and the temperature sends to a senior handler
on the unlabelled finance files (what a centre staffs), the temperature against the waimai reviews'
sentiment, the CFPB narratives (English), and the same texts with anonymised place codes injected
("A市", "A3区", as a city hotline writes them): the results must not move.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import os
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
HELD_OUT = 0.35


def data_dir() -> Path:
    return Path(os.environ.get("KESU_SHARED_DATA") or Path(__file__).resolve().parents[2] / "shared" / "data")


def held_out(text: str) -> bool:
    return int(hashlib.sha256(text.encode("utf-8")).hexdigest()[:8], 16) / 0xFFFFFFFF < HELD_OUT


def report(name: str, rows: list[dict]) -> None:
    from kesu.triage.evaluation import anger_evaluate, red_channel_evaluate

    red = red_channel_evaluate([(r["text"], r["red"]) for r in rows])
    anger = anger_evaluate([(r["text"], r["anger"]) for r in rows], threshold=70)
    kinds = ", ".join(f"{k} {v['true']}/{v['flagged']}" for k, v in red["per_kind"].items() if v["flagged"])
    print(f"{name}: {len(rows)} texts, {red['n_red']} red, {anger['n_angry']} clearly angry")
    print(f"  red channel: precision {red['precision']}, recall {red['recall']}, f1 {red['f1']}, "
          f"flagged {red['flagged_share']:.1%} (per kind, true/flagged: {kinds})")
    print(f"  anger: ROC AUC {anger['roc_auc']} (anger ≥ 2), Spearman {anger['spearman']}, calm texts ≥ 70 "
          f"{anger['calm_hot_share']:.1%}, clearly angry ≥ 70 {anger['angry_hot_recall']:.1%}, "
          f"all ≥ 70 {anger['hot_share']:.1%}")


def inject(text: str, rng: random.Random) -> str:
    codes = [f"{chr(65 + rng.randrange(26))}{rng.choice(['', str(rng.randint(1, 9))])}{rng.choice('市区县镇')}"
             for _ in range(rng.randint(1, 3))]
    return "".join(codes) + text


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--extra", action="append", default=[], type=Path,
                        help="a TSV of finance-train row numbers and red labels (0/1) labelled by reading")
    args = parser.parse_args()
    data = data_dir()
    path = data / "dev" / "red_anger_dev.csv"
    if not path.exists():
        print(f"skipped: no shared data at {data} (set KESU_SHARED_DATA)")
        return 0
    from kesu.triage.text import jieba_warm

    jieba_warm()
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    tuning = [r for r in rows if not held_out(r["text"])]
    held = [r for r in rows if held_out(r["text"])]
    report("red_anger_dev, held-out part (never tuned on)", held)
    report("red_anger_dev, tuning part", tuning)
    report("red_anger_dev, all", rows)
    for source in ("finance", "waimai"):
        report(f"red_anger_dev, {source} texts", [r for r in rows if r["source"] == source])

    rng = random.Random(3)
    coded = [{**r, "text": inject(r["text"], rng)} for r in held]
    report("held-out part with anonymised place codes injected", coded)

    from kesu.triage.emotion import emotion_temperature, roc_auc
    from kesu.triage.redchannel import red_channel_detect

    for name in ("finance_complaints_train.csv", "finance_complaints_dev.csv"):
        with open(data / "dev" / name, encoding="utf-8", newline="") as f:
            texts = [row[0] for row in csv.reader(f) if row]
        red = sum(red_channel_detect(t).flagged for t in texts)
        hot = sum(emotion_temperature(t).score >= 70 for t in texts)
        print(f"{name} (unlabelled, {len(texts)}): red channel flags {red / len(texts):.1%}, "
              f"temperature ≥ 70 {hot / len(texts):.1%}")
    with open(data / "dev" / "waimai_10k_sentiment.csv", encoding="utf-8", newline="") as f:
        reviews = [(row["review"], row["label"]) for row in csv.DictReader(f)]
    scores = [emotion_temperature(text).heat for text, _ in reviews]
    negative = [1 if label == "0" else 0 for _, label in reviews]
    hot = [emotion_temperature(text).score >= 70 for text, _ in reviews]
    print(f"waimai reviews ({len(reviews)}): temperature ROC AUC for a negative review {roc_auc(scores, negative):.3f}; "
          f"≥ 70: negative {sum(h for h, n in zip(hot, negative, strict=True) if n) / sum(negative):.1%}, "
          f"positive {sum(h for h, n in zip(hot, negative, strict=True) if not n) / (len(negative) - sum(negative)):.1%}")
    with open(data / "dev" / "cfpb_complaints_sample.csv", encoding="utf-8", newline="") as f:
        narratives = [r["Consumer complaint narrative"] for r in csv.DictReader(f) if r["Consumer complaint narrative"]]
    red = sum(red_channel_detect(t).flagged for t in narratives)
    hot = sum(emotion_temperature(t).score >= 70 for t in narratives)
    print(f"CFPB narratives (English, unlabelled, {len(narratives)}): red channel flags {red / len(narratives):.1%}, "
          f"temperature ≥ 70 {hot / len(narratives):.1%}")

    if args.extra:
        from kesu.triage.evaluation import red_channel_evaluate

        with open(data / "dev" / "finance_complaints_train.csv", encoding="utf-8", newline="") as f:
            train = [row[0] for row in csv.reader(f) if row]
        for extra in args.extra:
            labelled = [line.split("\t")[:2] for line in extra.read_text(encoding="utf-8").splitlines() if line.strip()]
            result = red_channel_evaluate([(train[int(index)], label.strip()) for index, label in labelled])
            print(f"{extra.name}: {result['n_test']} finance-train texts holding a red-channel term, {result['n_red']} "
                  f"red: precision {result['precision']}, recall {result['recall']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
