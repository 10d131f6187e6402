"""Emotion temperature (情绪温度计): how angry the customer who wrote a complaint is, 0 to 100.

It measures the customer's anger — abuse, accusations, indignation, indignant questions, ultimatums
and threats — not the seriousness of the problem or the length of the letter: a sober, formal letter
about a grave matter is cool, "凭什么乱扣我的钱？？" is hot.

Forms:

* `emotion_temperature(text)` — rules over kesu's own word lists (`triage/lexicon/emotion_*`), no
  training data, no model file, pure (one trie scan of the text plus a few regexes). It explains
  itself: every piece of evidence is a stored message (``{"code": "triage.emotion.abuse", "params":
  {"evidence": "垃圾"}}``), rendered in the reader's language when shown.
* `anger.AngerModel` — a centre's own model, trained on texts it labelled 0–3 (`kesu triage train
  --target anger`); triage uses it when it is active.
* `EmotionModel` — the rules as features next to character n-grams, trained on sentiment labels
  (1 positive / 0 negative; `kesu triage evaluate --target emotion`).

How the rule temperature is computed. The text is scanned once for listed terms (leftmost-longest,
so "不错" is a positive word, not "不" + "错"; field names and form text such as "垃圾短信", "诈骗电话"
are listed as neutral so that their words are not read as abuse). Abuse (3 units), accusations and
indignation (2) count in full; strong words that describe the problem ("态度恶劣", "难吃": 1) and
ordinary complaint words ("退款", "问题": 0.35) saturate, so a long letter listing many problems is
warm, not furious; negators alone add nothing unless emphatic ("根本没"). An intensifier (非常, 太,
very …) just before a word multiplies it; a negator just before a word in the same clause flips it:
a negated positive word is dissatisfaction ("不满意", "not happy"), a negated complaint word cools
("不差", "not bad"), a negated ultimatum counts nothing — except in a rhetorical question ("这不是坑人
吗？" asserts it). After a turn (但是, 就是, but …) praise counts half. Then: the customer's threats
(the red channel's legal, regulator, media and group evidence — a lender's threats are not the
customer's, so they do not heat) and ultimatums (saturating), indignant questions ("凭什么…？",
"难道…吗？", not "请问…？"), repeated punctuation, exclamation marks, ALL-CAPS words and repeated
characters.

The heat h maps to ``100 / (1 + exp(-SCORE_SLOPE (h - SCORE_MIDPOINT)))``, a logistic curve fitted
to P(anger ≥ 2 | heat) on hand-labelled finance complaints and delivery reviews: 70, the default
senior-handler threshold, means "seven in ten texts this hot were clearly angry"; about one in seven
finance complaints and one in twenty delivery reviews reach it (bench/red_anger.py).
"""

from __future__ import annotations

import math
import re
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from kesu.triage.lexicon import TermScanner, emotion_en, emotion_zh

EMOTION_THRESHOLD_DEFAULT = 70
"""Temperature at and above which a complaint goes to an experienced handler (configurable)."""

# --- the term table ---------------------------------------------------------------------------

# kinds of term
ABUSE = "abuse"
ACCUSATION = "accusation"
INDIGNATION = "indignation"
NEGATIVE = "negative"
NEGATED = "negated"  # a negated positive word listed whole ("不满意")
POSITIVE = "positive"
ULTIMATUM = "ultimatum"
COMPLAINT = "complaint"  # "投诉", "维权": an ordinary complaint intention
CALM = "calm"
INTENSIFIER = "intensifier"
NEGATOR = "negator"
CONTRAST = "contrast"
NEUTRAL = "neutral"
ANGER_KINDS = (ABUSE, ACCUSATION, INDIGNATION)


@dataclass(frozen=True, slots=True)
class _Term:
    kind: str
    weight: float  # heat for the heating kinds, cooling for POSITIVE/CALM, factor for INTENSIFIER
    flip_factor: float = 1.0  # NEGATOR: factor on the word it flips


def _table(module: Any) -> dict[str, _Term]:
    groups: list[tuple[Iterable[str], str, float]] = [
        (module.ABUSE, ABUSE, 3.0),
        (module.ACCUSATION, ACCUSATION, 2.0),
        (module.INDIGNATION, INDIGNATION, 2.0),
        (module.NEGATIVE_STRONG, NEGATIVE, 1.0),
        (module.NEGATIVE, NEGATIVE, 0.35),
        (module.NEGATIVE_MILD, NEGATIVE, 0.1),
        (module.NEGATED, NEGATED, 1.0),
        (module.POSITIVE_STRONG, POSITIVE, 1.5),
        (module.POSITIVE, POSITIVE, 1.0),
        (module.POSITIVE_MILD, POSITIVE, 0.5),
        (module.ULTIMATUM, ULTIMATUM, 1.5),
        (module.THREAT_MILD, COMPLAINT, 0.4),
        (module.CALM, CALM, 1.0),
        (module.CALM_MILD, CALM, 0.4),
        (module.CONTRAST, CONTRAST, 0.0),
        (module.NEUTRAL, NEUTRAL, 0.0),
    ]
    table: dict[str, _Term] = {}
    for terms, kind, weight in groups:
        for term in terms:
            table.setdefault(term.lower(), _Term(kind, weight))
    for term, factor in module.INTENSIFIERS.items():
        table.setdefault(term.lower(), _Term(INTENSIFIER, factor))
    for term, (alone, flip) in module.NEGATORS.items():
        table.setdefault(term.lower(), _Term(NEGATOR, alone, flip))
    return table


LEXICON_GROUPS = (
    "ABUSE", "ACCUSATION", "INDIGNATION", "NEGATIVE_STRONG", "NEGATIVE", "NEGATIVE_MILD", "NEGATED",
    "POSITIVE_STRONG", "POSITIVE", "POSITIVE_MILD", "ULTIMATUM", "THREAT_MILD", "CALM", "CALM_MILD", "CONTRAST",
    "NEUTRAL", "INTENSIFIERS", "NEGATORS",
)


def lexicon_duplicates(module: Any) -> list[str]:
    """Terms listed more than once in a lexicon module (a test keeps this empty)."""
    seen: dict[str, str] = {}
    duplicates = []
    for name in LEXICON_GROUPS:
        for term in getattr(module, name):
            key = term.lower()
            if key in seen:
                duplicates.append(f"{term} ({seen[key]}, {name})")
            else:
                seen[key] = name
    return duplicates


_TERMS = {**_table(emotion_en), **_table(emotion_zh)}
_SCANNER = TermScanner(_TERMS)
_HAS_LATIN = re.compile(r"[A-Za-z]")
_CJK = re.compile(r"[\u4e00-\u9fff]")

# Between a Chinese negator or intensifier and its word only a few function characters may stand
# ("不是很满意", "没那么好吃", "太不靠谱"); content ("不在家没法") breaks the link.
_BOUNDARY = frozenset("，。！？；：,.!?;:\n、…~～")
_ZH_GAP = 3
_ZH_FILLER = frozenset("是很太怎么够大算会那这么特别非常十分咋好有点都也还就再")
_EN_GAP_WORDS = 2  # words allowed between an English negator/intensifier and its word

# --- surface features -------------------------------------------------------------------------
_PUNCT_RUN = re.compile(r"[!！?？]{2,}")
_EXCLAMATION = re.compile(r"(?<![!！?？])[!！](?![!！?？])")
_CAPS = re.compile(r"(?<![A-Za-z])[A-Z]{3,}(?![A-Za-z])")
_LATIN_LETTERS = re.compile(r"[A-Za-z]")
_CAPITALS = re.compile(r"[A-Z]")
_REPEAT = re.compile(r"(\w)\1\1+")
_REPEAT_IGNORED = frozenset("哈嘻呵嘿对是嗯好谢wWxXzZ_0123456789")
# An indignant question: a clause ending in ？/? that asks the other side to account for itself
# ("凭什么…？", "难道…吗？", "你知道…吗？", "why would you …?"), not a polite enquiry ("请问…？").
_QUESTION_CLAUSE = re.compile(r"[^，。！？!?；;\n,]{2,60}(?:[？?]+|吗[!！]+)")
_INDIGNANT_QUESTION = re.compile(
    r"难道|凭什么|凭啥|什么意思|什么态度|谁给|谁来负责|谁负责|还有没有|有没有人管|没人管|怎么可以|怎么能|怎能|岂能|"
    r"就这样|这就是|你知道|有本事|敢|还让不让|不是.{0,15}吗|是.{0,12}吗[？?!！]|合理吗|合法吗|[？?]{2,}|吗[!！]|"
    r"\b(?:how (?:can|could|dare)|who (?:gave|allowed)|is this (?:how|what|a joke)|are you (?:kidding|serious)|"
    r"what kind of)\b",
    re.I,
)
_RHETORICAL = re.compile(r"[^，。！？!?；;\n,]{0,12}吗[？?!！]")
_POLITE_QUESTION = re.compile(r"请问|想问|问一下|咨询|能否|可否|是否可以|可不可以|麻烦|请教|how do i|could you|can you tell", re.I)
# An ALL-CAPS word counts as shouting when it is a listed emotion word or one of these; acronyms
# (FCRA, NMAC), redactions (XXXX) and names in capitals do not. A text written mostly in capitals
# (at least 20 letters, 60 % capitals) shouts with every word.
_SHOUT_WORDS = frozenset(
    "not never now stop still why how what who you your yours this that these they them no yes any all "
    "every again money back twice done help me my mine pay paid want need must nothing none ever "
    "anymore today right wrong fix call answer".split()
)

_WHITESPACE_RUNS = re.compile(r"\s\s+")  # scikit-learn's char analyzer collapses these to one space
_DESCRIBE_CAP = 2.0  # strong words that describe the problem ("态度恶劣", "难吃"), saturating
_ORDINARY_CAP = 1.0  # ordinary complaint words ("退款", "慢", "问题"), saturating
_THREAT_CAP = 3.0
_QUESTION_CAP = 3.0
_RED_THREAT = 1.5  # each red-channel kind the customer threatens with (legal, regulator, media, group)
_RED_THREAT_KINDS = ("group_incident", "media", "regulator", "legal")

# The temperature is 100 × P(clearly angry | heat), a logistic curve of the heat fitted on texts
# labelled by reading them (anger 0–3; "clearly angry" is 2 or 3): finance complaints and delivery
# reviews, see bench/emotion.py. 70, the default senior-handler threshold, means "seven in ten texts
# this hot were clearly angry".
SCORE_SLOPE = 1.3
SCORE_MIDPOINT = 2.35


@dataclass(frozen=True, slots=True)
class Emotion:
    """The temperature of one text and the evidence for it.

    ``reasons`` are stored messages: ``{"code": "triage.emotion.<kind>", "params": {"evidence": …}}``
    (wordings in triage/messages.py), rendered in the reader's language when shown."""

    score: int  # 0 (calm) – 100 (furious)
    reasons: list[dict[str, Any]] = field(default_factory=list)
    heat: float = 0.0  # the unbounded sum the score is mapped from (finer-grained, for ranking)

    def above(self, threshold: int = EMOTION_THRESHOLD_DEFAULT) -> bool:
        """Whether the complaint goes to a senior handler: the score is at or above ``threshold``."""
        return self.score >= threshold


@dataclass(slots=True)
class _Reading:
    """The evidence of one text, kept apart so that the trained model can use the parts."""

    anger: float = 0.0  # abuse, accusations, indignation, negated praise
    describe: float = 0.0  # strong words describing the problem, saturating
    ordinary: float = 0.0  # ordinary complaint words (退款, 问题, 慢 …), saturating
    positive: float = 0.0  # cooling from praise and negated complaints
    threat: float = 0.0  # ultimatums and the customer's red-channel threats, saturating
    question: float = 0.0  # indignant questions, saturating
    calm: float = 0.0
    surface: float = 0.0  # punctuation, capitals, repeated characters
    reasons: list[tuple[str, str]] = field(default_factory=list)  # (kind, evidence)

    @property
    def heat(self) -> float:
        describe = _DESCRIBE_CAP * (1.0 - math.exp(-self.describe / _DESCRIBE_CAP))
        ordinary = _ORDINARY_CAP * (1.0 - math.exp(-self.ordinary / _ORDINARY_CAP))
        threat = _THREAT_CAP * (1.0 - math.exp(-self.threat / _THREAT_CAP))
        question = _QUESTION_CAP * (1.0 - math.exp(-self.question / _QUESTION_CAP))
        return self.anger + describe + ordinary + threat + question + self.surface - self.positive - self.calm


REASON_KINDS = (
    ABUSE, ACCUSATION, INDIGNATION, NEGATIVE, POSITIVE, ULTIMATUM, COMPLAINT, CALM, NEGATED, "negated_negative",
    "threat", "question", "punct", "exclaim", "caps", "repeat",
)


def _reason(kind: str, evidence: str) -> dict[str, Any]:
    return {"code": f"triage.emotion.{kind}", "params": {"evidence": evidence}}


def _matches(text: str) -> list[tuple[int, int, _Term, bool]]:
    """(start, end, term, is_chinese) of every listed term, in text order."""
    return [(start, end, _TERMS[term], bool(_CJK.match(term))) for start, end, term in _SCANNER.scan(text)]


def _close(text: str, end: int, start: int, chinese: bool) -> bool:
    """Whether a modifier ending at ``end`` reaches a word starting at ``start`` (same clause, near)."""
    between = text[end:start]
    if chinese:
        return len(between) <= _ZH_GAP and all(char in _ZH_FILLER for char in between)
    if any(char in _BOUNDARY for char in between):
        return False
    return len(between.split()) <= _EN_GAP_WORDS


def _read(text: str, red_kinds: Iterable[tuple[str, str]] = ()) -> _Reading:
    reading = _Reading()
    reasons = reading.reasons
    seen: set[str] = set()
    negator: tuple[int, int, _Term, bool] | None = None
    intensifier: tuple[int, int, _Term, bool] | None = None
    after_contrast = False

    def negator_alone() -> None:
        # an emphatic negator that flipped nothing ("根本没", "nobody") still says something went wrong
        if negator is not None and negator[2].weight:
            reading.ordinary += negator[2].weight
            if negator[2].weight >= 0.5:
                reasons.append((NEGATIVE, text[negator[0]:negator[1]]))

    for start, end, term, chinese in _matches(text):
        kind = term.kind
        if kind == NEUTRAL:
            continue
        if kind == INTENSIFIER:
            intensifier = (start, end, term, chinese)
            continue
        if kind == NEGATOR:
            negator_alone()
            negator = (start, end, term, chinese)
            continue
        if kind == CONTRAST:
            reading.positive *= 0.5
            after_contrast = True
            continue
        weight = term.weight
        span_start = start
        if intensifier is not None and _close(text, intensifier[1], start, chinese):
            if kind != CALM:
                weight *= intensifier[2].weight
                span_start = min(span_start, intensifier[0])
        intensifier = None
        flipped = False
        if negator is not None and _close(text, negator[1], start, chinese):
            flipped = True
            weight *= negator[2].flip_factor
            span_start = min(span_start, negator[0])
        elif negator is not None:
            negator_alone()
        negator = None
        word = text[start:end].lower()
        if word in seen:
            weight *= 0.5
        seen.add(word)
        evidence = text[span_start:end]
        if flipped and kind in (NEGATIVE, *ANGER_KINDS) and _RHETORICAL.match(text, end):
            flipped = False  # "这不是坑人吗？": a rhetorical question asserts what it negates
        if flipped:
            if kind == POSITIVE:  # "不满意", "not happy": dissatisfaction, the mildest anger
                reading.describe += weight * (1.3 if after_contrast else 1.0)
                reasons.append((NEGATED, evidence))
            elif kind in (NEGATIVE, NEGATED, *ANGER_KINDS):
                reading.positive += weight * 0.5
                reasons.append(("negated_negative", evidence))
            # a negated ultimatum or enquiry ("不会投诉", "not a question") counts nothing
            continue
        if kind in ANGER_KINDS:
            reading.anger += weight
        elif kind in (NEGATIVE, NEGATED):
            heat = weight * (1.3 if after_contrast else 1.0)
            if term.weight >= 1.0:
                reading.describe += heat
            else:
                reading.ordinary += heat
        elif kind in (ULTIMATUM, COMPLAINT):
            reading.threat += weight
        elif kind == POSITIVE:
            reading.positive += weight
        elif kind == CALM:
            reading.calm += weight
        if kind != NEGATIVE or weight >= 0.75:
            reasons.append((kind, evidence))
    negator_alone()

    threatened = []
    for kind, term in red_kinds:
        if kind in _RED_THREAT_KINDS and kind not in threatened:
            threatened.append(kind)
            reading.threat += _RED_THREAT
            reasons.append(("threat", term))

    questions = 0.0
    for match in _QUESTION_CLAUSE.finditer(text):
        clause = match.group()
        if _INDIGNANT_QUESTION.search(clause) and not _POLITE_QUESTION.search(clause):
            questions += 1.0
            reasons.append(("question", clause.strip()[-20:]))
    reading.question = questions

    surface = 0.0
    runs = 0.0
    for match in _PUNCT_RUN.finditer(text):
        runs += 1.0 if len(match.group()) == 2 else 1.5
        reasons.append(("punct", match.group()))
    surface += min(runs, 3.0)
    exclaims = len(_EXCLAMATION.findall(text))
    if exclaims:
        surface += min(exclaims * 0.4, 1.2)
        reasons.append(("exclaim", str(exclaims)))
    if _HAS_LATIN.search(text):
        caps = _shouted(text)
        for word in caps[:3]:
            reasons.append(("caps", word))
        surface += min(len(caps) * 0.8, 2.0)
    repeats = [m.group() for m in _REPEAT.finditer(text) if m.group(1) not in _REPEAT_IGNORED]
    for run in repeats[:2]:
        reasons.append(("repeat", run))
    surface += min(len(repeats) * 0.8, 1.6)
    reading.surface = surface
    return reading


def _shouted(text: str) -> list[str]:
    words = _CAPS.findall(text)
    if not words:
        return []
    if len(words) >= 4:
        upper = len(_CAPITALS.findall(text))
        if upper >= 20 and upper >= 0.6 * len(_LATIN_LETTERS.findall(text)):
            return [word for word in words if len(set(word)) > 1]
    return [word for word in words if (word.lower() in _TERMS or word.lower() in _SHOUT_WORDS)]


def _score(heat: float) -> int:
    return round(100.0 / (1.0 + math.exp(-SCORE_SLOPE * (heat - SCORE_MIDPOINT))))


def _red_threats(text: str) -> list[tuple[str, str]]:
    from kesu.triage.redchannel import red_channel_detect

    return [(evidence.kind, evidence.term) for evidence in red_channel_detect(text).evidence]


def emotion_temperature(text: str, *, red_evidence: Iterable[tuple[str, str]] | None = None) -> Emotion:
    """How angry the customer who wrote ``text`` is, 0–100, with the evidence (module docstring).

    ``red_evidence``: (kind, term) of the red channel's evidence when the caller has it already;
    the customer's threats to go to court, a regulator or the press heat the temperature.
    """
    text = text or ""
    reading = _read(text, _red_threats(text) if red_evidence is None else red_evidence)
    heat = reading.heat
    reasons = [_reason(kind, evidence) for kind, evidence in dict.fromkeys(reading.reasons)]
    return Emotion(score=_score(heat), reasons=reasons, heat=round(heat, 4))


def emotion_features(text: str) -> list[float]:
    """The rule evidence as numbers, the extra features of the trainable models."""
    reading = _read(text or "", _red_threats(text or ""))
    return [
        reading.heat / 3.0,
        reading.anger / 3.0,
        reading.describe / 3.0,
        reading.ordinary,
        reading.positive / 3.0,
        reading.threat / 3.0,
        reading.question / 3.0,
        reading.calm,
        reading.surface,
        _score(reading.heat) / 100.0,
    ]


# --- the trainable form -----------------------------------------------------------------------


class EmotionModel:
    """Character 1–3-gram TF-IDF plus the rule features, logistic regression; temperature = 100 × P(negative).

    Labels are 1 positive / 0 negative (as in sentiment data sets). scikit-learn is imported on
    first use so that the rule detector stays light. The fitted object pickles.

    `temperatures(texts)` scores a batch through scikit-learn. `temperature(text)` scores one text
    without it (a dictionary look-up per character n-gram, ~0.1 ms), giving the same result: building
    sparse matrices for a single text would cost over a millisecond.
    """

    def __init__(self, *, c: float = 2.0, ngram_max: int = 3, min_df: int = 2, lexicon_weight: float = 1.0):
        self.c = c
        self.ngram_max = ngram_max
        self.min_df = min_df
        self.lexicon_weight = lexicon_weight
        self._vectorizer: Any = None
        self._classifier: Any = None
        self._single: tuple[dict[str, int], list[float], list[float], list[float], float] | None = None

    def __getstate__(self) -> dict[str, Any]:
        state = self.__dict__.copy()
        state["_single"] = None  # rebuilt from the vectorizer and classifier on first use
        return state

    def _matrix(self, texts: Sequence[str], *, fit: bool) -> Any:
        import numpy as np
        from scipy import sparse

        grams = self._vectorizer.fit_transform(texts) if fit else self._vectorizer.transform(texts)
        lexicon = np.asarray([emotion_features(text) for text in texts], dtype=float) * self.lexicon_weight
        return sparse.hstack([grams, sparse.csr_matrix(lexicon)], format="csr")

    def fit(self, texts: Sequence[str], labels: Sequence[int | str]) -> EmotionModel:
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression

        texts = [text or "" for text in texts]
        negative = [1 - label for label in labels_parse(labels)]
        if len(texts) != len(negative):
            raise ValueError(f"{len(texts)} texts but {len(negative)} labels")
        if len(set(negative)) < 2:
            raise ValueError("training needs both positive (1) and negative (0) examples")
        self._vectorizer = TfidfVectorizer(
            analyzer="char", ngram_range=(1, self.ngram_max), min_df=min(self.min_df, len(texts)),
            sublinear_tf=True, lowercase=True,
        )
        self._classifier = LogisticRegression(C=self.c, max_iter=2000, solver="liblinear")
        self._classifier.fit(self._matrix(texts, fit=True), negative)
        self._single = None
        return self

    def negative_probabilities(self, texts: Sequence[str]) -> list[float]:
        if self._classifier is None:
            raise RuntimeError("EmotionModel.fit must be called first")
        texts = [text or "" for text in texts]
        if not texts:
            return []
        return [float(p) for p in self._classifier.predict_proba(self._matrix(texts, fit=False))[:, 1]]

    def temperatures(self, texts: Sequence[str]) -> list[int]:
        """The temperatures of many texts at once (much faster per text than `temperature`)."""
        return [round(100.0 * p) for p in self.negative_probabilities(texts)]

    def temperature(self, text: str) -> int:
        return round(100.0 * self.negative_probability(text))

    def negative_probability(self, text: str) -> float:
        """P(negative) of one text, computed as scikit-learn would, without building matrices."""
        vocabulary, idf, gram_coef, lexicon_coef, intercept = self._single_parts()
        document = _WHITESPACE_RUNS.sub(" ", (text or "").lower())  # as the char analyzer does
        counts: dict[int, int] = {}
        for n in range(1, self.ngram_max + 1):
            for start in range(len(document) - n + 1):
                index = vocabulary.get(document[start:start + n])
                if index is not None:
                    counts[index] = counts.get(index, 0) + 1
        score = intercept
        if counts:
            weights = [((1.0 + math.log(count)) * idf[index], index) for index, count in counts.items()]
            norm = math.sqrt(sum(weight * weight for weight, _ in weights))
            score += sum(weight * gram_coef[index] for weight, index in weights) / norm
        features = emotion_features(text)
        score += sum(value * self.lexicon_weight * coef for value, coef in zip(features, lexicon_coef, strict=True))
        return 1.0 / (1.0 + math.exp(-score))

    def _single_parts(self) -> tuple[dict[str, int], list[float], list[float], list[float], float]:
        if self._classifier is None:
            raise RuntimeError("EmotionModel.fit must be called first")
        if self._single is None:
            vocabulary = self._vectorizer.vocabulary_
            coef = self._classifier.coef_[0].tolist()
            self._single = (
                vocabulary, self._vectorizer.idf_.tolist(), coef[:len(vocabulary)], coef[len(vocabulary):],
                float(self._classifier.intercept_[0]),
            )
        return self._single


# --- evaluation -------------------------------------------------------------------------------


def labels_parse(labels: Iterable[int | str]) -> list[int]:
    """Labels as 0/1 ints; "1"/"0" strings (as read from CSV) are accepted."""
    parsed = []
    for index, label in enumerate(labels):
        value = str(label).strip()
        if value not in ("0", "1"):
            raise ValueError(f"label of row {index + 1} is {label!r}; expected 1 (positive) or 0 (negative)")
        parsed.append(int(value))
    return parsed


def roc_auc(scores: Sequence[float], positives: Sequence[int]) -> float:
    """Area under the ROC curve of ``scores`` for the class marked 1 in ``positives`` (ties count half)."""
    n_pos = sum(positives)
    n_neg = len(positives) - n_pos
    if not n_pos or not n_neg:
        raise ValueError("ROC AUC needs examples of both classes")
    order = sorted(range(len(scores)), key=lambda i: scores[i])
    rank_sum = 0.0
    index = 0
    while index < len(order):
        tie_end = index
        while tie_end + 1 < len(order) and scores[order[tie_end + 1]] == scores[order[index]]:
            tie_end += 1
        average_rank = (index + tie_end) / 2.0 + 1.0
        rank_sum += average_rank * sum(positives[order[k]] for k in range(index, tie_end + 1))
        index = tie_end + 1
    return (rank_sum - n_pos * (n_pos + 1) / 2.0) / (n_pos * n_neg)


def _at_threshold(scores: Sequence[int], negatives: Sequence[int], threshold: int) -> dict[str, float]:
    predicted = [score >= threshold for score in scores]
    true_positive = sum(1 for p, n in zip(predicted, negatives, strict=True) if p and n)
    flagged = sum(predicted)
    actual = sum(negatives)
    precision = true_positive / flagged if flagged else 0.0
    recall = true_positive / actual if actual else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"f1": f1, "precision": precision, "recall": recall}


def emotion_evaluate(
    train_rows: Iterable[tuple[str, int | str]],
    test_rows: Iterable[tuple[str, int | str]],
    *,
    threshold: int = EMOTION_THRESHOLD_DEFAULT,
    model: EmotionModel | None = None,
) -> dict[str, Any]:
    """Train an `EmotionModel` on ``train_rows`` and measure it, and the rules alone, on ``test_rows``.

    Rows are (text, label), label 1 positive / 0 negative (ints or strings). Negative sentiment is
    the class a high temperature should find: ``roc_auc`` is 1.0 when every negative text is
    hotter than every positive one. ``*_at_threshold`` treat a temperature ≥ ``threshold`` as a
    prediction of "negative".
    """
    train = list(train_rows)
    test = list(test_rows)
    if not train or not test:
        raise ValueError("emotion_evaluate needs training and test rows")
    train_texts = [text for text, _ in train]
    test_texts = [text for text, _ in test]
    train_labels = labels_parse(label for _, label in train)
    test_negative = [1 - label for label in labels_parse(label for _, label in test)]

    model = model or EmotionModel()
    started = time.perf_counter()
    model.fit(train_texts, train_labels)
    train_seconds = time.perf_counter() - started

    started = time.perf_counter()
    probabilities = model.negative_probabilities(test_texts)
    predict_seconds = time.perf_counter() - started
    temperatures = [round(100.0 * p) for p in probabilities]

    started = time.perf_counter()
    rule = [emotion_temperature(text) for text in test_texts]
    rule_seconds = time.perf_counter() - started
    rule_scores = [emotion.score for emotion in rule]

    trained = _at_threshold(temperatures, test_negative, threshold)
    lexicon = _at_threshold(rule_scores, test_negative, threshold)
    return {
        "roc_auc": round(roc_auc(probabilities, test_negative), 4),
        "f1_at_threshold": round(trained["f1"], 4),
        "precision_at_threshold": round(trained["precision"], 4),
        "recall_at_threshold": round(trained["recall"], 4),
        "threshold": threshold,
        "lexicon_roc_auc": round(roc_auc(rule_scores, test_negative), 4),
        "lexicon_f1_at_threshold": round(lexicon["f1"], 4),
        "lexicon_precision_at_threshold": round(lexicon["precision"], 4),
        "lexicon_recall_at_threshold": round(lexicon["recall"], 4),
        "n_train": len(train),
        "n_test": len(test),
        "train_seconds": round(train_seconds, 3),
        "predict_per_second": round(len(test) / predict_seconds) if predict_seconds else None,
        "lexicon_per_second": round(len(test) / rule_seconds) if rule_seconds else None,
    }
