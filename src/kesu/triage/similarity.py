"""How alike two complaint texts are: Jaccard over character bigrams of the normalised text. Pure."""

from __future__ import annotations

import re
import unicodedata

_NOISE = re.compile(r"[\s\d\W_]+", re.UNICODE)


def shingles(text: str) -> frozenset[str]:
    """Character bigrams of the text without digits, spaces and punctuation (order numbers differ)."""
    clean = _NOISE.sub("", unicodedata.normalize("NFKC", text or "").lower())
    if len(clean) < 2:
        return frozenset({clean}) if clean else frozenset()
    return frozenset(clean[i : i + 2] for i in range(len(clean) - 1))


def similarity(a: frozenset[str], b: frozenset[str]) -> float:
    """Mean of Jaccard and the overlap coefficient: a short follow-up ("宽带还是没修好") that repeats
    part of a long first complaint still scores, and two long texts must share much to score high."""
    if not a or not b:
        return 0.0
    common = len(a & b)
    return (common / len(a | b) + common / min(len(a), len(b))) / 2
