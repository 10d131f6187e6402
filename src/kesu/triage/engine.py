"""Triage of one complaint, as a pure function of its text and fields and the centre's configuration.

    result = triage_run(TriageInput(...), TriageContext(...))

No database, no clock: ``actions.py`` gathers the context (rows, the active model, the customer's
earlier complaints) and stores the result as an event. Every finding carries its reasons.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any, Protocol

from kesu.triage.emotion import emotion_temperature
from kesu.triage.keywords import KeywordMatcher
from kesu.triage.quality import quality_missing
from kesu.triage.redchannel import red_channel_detect
from kesu.triage.severity import MatrixCell, level, priority_decide, reason, severity_decide
from kesu.triage.similarity import shingles, similarity

# 2: reasons are message ids with parameters; the red channel reads context and keeps what it
# dismissed; the emotion temperature measures anger; severity and priority given at intake are kept
# (and said so) instead of being contradicted.
ENGINE_VERSION = "2"


class CategoryPredictor(Protocol):
    def predict_one(self, text: str): ...


class AngerPredictor(Protocol):
    def temperature(self, text: str, *, red_evidence: list[tuple[str, str]]): ...


@dataclass(frozen=True)
class EarlierComplaint:
    id: int
    number: str
    text: str
    created_at: datetime
    category: str = ""


@dataclass(frozen=True)
class TriageInput:
    subject: str
    content: str
    tier: str = "regular"
    category_given: str = ""  # set by a person at intake
    severity_given: str = ""  # set by a person at intake (kept; triage says what it found)
    priority_given: str = ""
    amount_claimed: Decimal | None = None
    fields: dict[str, Any] = field(default_factory=dict)  # for the quality check
    has_contact: bool = True
    created_at: datetime | None = None
    earlier: tuple[EarlierComplaint, ...] = ()  # the same customer's complaints in the window

    @property
    def text(self) -> str:
        return f"{self.subject}\n{self.content}" if self.subject else self.content


@dataclass(frozen=True)
class TriageContext:
    keywords: KeywordMatcher
    matrix: tuple[MatrixCell, ...]
    required_fields: dict[str, list[str]]  # category code -> field names
    parents: dict[str, str]  # category code -> parent code
    known_categories: frozenset[str]
    emotion_threshold: int = 70
    repeat_window_days: int = 30
    repeat_similarity: float = 0.3
    category_min_confidence: float = 0.5
    model: CategoryPredictor | None = None
    model_version: str = ""
    anger_model: AngerPredictor | None = None  # a centre's own anger model; the rules without one
    anger_model_version: str = ""


def _category(inp: TriageInput, ctx: TriageContext, tags) -> dict[str, Any]:
    if inp.category_given:
        return {"code": inp.category_given, "confidence": 1.0, "source": "given", "alternatives": [],
                "reasons": [reason("triage.category.given")], "apply": True}
    suggestion = None
    if ctx.model is not None:
        prediction = ctx.model.predict_one(inp.text)
        if prediction.label in ctx.known_categories:
            confident = prediction.confidence >= ctx.category_min_confidence
            suggestion = {
                "code": prediction.label, "confidence": round(float(prediction.confidence), 3),
                "source": f"model v{ctx.model_version}",
                "alternatives": [{"code": c, "confidence": round(float(p), 3)} for c, p in prediction.alternatives[:3]],
                "reasons": [reason("triage.category.ngram", ngram=ngram.strip("“”")) for ngram in list(prediction.reasons)[:5]]
                + ([] if confident else [reason("triage.category.below_confidence", limit=ctx.category_min_confidence)]),
                "apply": confident,
            }
            if confident:
                return suggestion
    # no model, or a model unsure of this text: the centre's category keywords decide when they are clear
    keywords = _keyword_category(ctx, tags)
    if suggestion is None or (keywords["apply"] and keywords["code"] != suggestion["code"]):
        if suggestion is not None:
            keywords["reasons"].append(reason("triage.category.model_unsure", category=suggestion["code"],
                                              confidence=suggestion["confidence"]))
        return keywords
    if keywords["apply"]:  # the keywords say what the model guessed: apply it
        suggestion["apply"] = True
        suggestion["reasons"] = [*suggestion["reasons"][:-1], *keywords["reasons"]]
    return suggestion


def _keyword_category(ctx: TriageContext, tags) -> dict[str, Any]:
    """The category the keyword tags point to; applied only when one category has more of them."""
    votes: dict[str, list[str]] = {}
    for tag in tags:
        if tag.category in ctx.known_categories:
            votes.setdefault(tag.category, []).append(tag.word)
    if not votes:
        return {"code": "", "confidence": 0.0, "source": "none", "alternatives": [],
                "reasons": [reason("triage.category.nothing")], "apply": False}
    ranked = sorted(votes.items(), key=lambda item: len(item[1]), reverse=True)
    total = sum(len(words) for _code, words in ranked)
    best, words = ranked[0]
    clear = len(ranked) == 1 or len(words) > len(ranked[1][1])
    return {
        "code": best, "confidence": round(len(words) / total, 3), "source": "keywords",
        "alternatives": [{"code": c, "confidence": round(len(w) / total, 3)} for c, w in ranked[1:4]],
        "reasons": [reason("triage.category.keyword", word=w) for w in words]
        + ([] if clear else [reason("triage.category.keywords_tied")]),
        "apply": clear,
    }


def _repeats(inp: TriageInput, ctx: TriageContext) -> list[dict[str, Any]]:
    if not inp.earlier:
        return []
    mine = shingles(inp.text)
    found = []
    for earlier in inp.earlier:
        score = similarity(mine, shingles(earlier.text))
        if score >= ctx.repeat_similarity:
            found.append({"id": earlier.id, "number": earlier.number, "similarity": round(score, 3)})
    return sorted(found, key=lambda r: r["similarity"], reverse=True)


def _emotion(text: str, ctx: TriageContext, red_evidence: list[tuple[str, str]]) -> dict[str, Any]:
    rules = emotion_temperature(text, red_evidence=red_evidence)
    found: dict[str, Any] = {"score": rules.score, "reasons": list(rules.reasons), "threshold": ctx.emotion_threshold}
    if ctx.anger_model is not None:
        probability = ctx.anger_model.temperature(text, red_evidence=red_evidence)
        found["score"] = probability
        found["rules_score"] = rules.score
        found["reasons"] = [reason("triage.emotion.model", version=ctx.anger_model_version, probability=probability),
                            *found["reasons"]]
    return found


def _kept(name: str, given: str, decision: Any) -> dict[str, Any]:
    """A severity or priority the person recorded: kept, with what triage found and why."""
    if not given or given == decision.value:
        return {"value": decision.value, "reasons": decision.reasons}
    shown = level(given) if name == "severity" else given
    found = level(decision.value) if name == "severity" else decision.value
    return {"value": given, "found": decision.value, "source": "given",
            "reasons": [reason(f"triage.{name}.kept", **{name: shown, "found": found}), *decision.reasons]}


def triage_run(inp: TriageInput, ctx: TriageContext) -> dict[str, Any]:
    """Everything triage finds about one complaint, as a JSON-ready dict with reasons.

    Reasons are stored messages (``{"code", "params"}``), rendered when shown. A severity or priority
    the person who recorded the complaint set is kept as the value (``source: "given"``), with what
    triage found next to it (``found``), so the result never contradicts the complaint.
    """
    text = inp.text
    tags = ctx.keywords.match(text)
    category = _category(inp, ctx, tags)
    red = red_channel_detect(text)
    red_evidence = [(e.kind, e.term) for e in red.evidence]
    emotion = _emotion(text, ctx, red_evidence)
    score = emotion["score"]
    repeats = _repeats(inp, ctx)
    found_severity = severity_decide(
        red_channel=red.flagged, red_kinds=red.kinds, emotion=score, emotion_threshold=ctx.emotion_threshold,
        repeat_count=len(repeats), amount_claimed=inp.amount_claimed, tier=inp.tier,
    )
    severity = _kept("severity", inp.severity_given, found_severity)
    code = category["code"] if category["apply"] else ""
    found_priority = priority_decide(
        list(ctx.matrix), category=code, parent_category=ctx.parents.get(code, ""), tier=inp.tier,
        severity=severity["value"],
    )
    priority = _kept("priority", inp.priority_given, found_priority)
    needs_senior = score >= ctx.emotion_threshold or bool(repeats) or inp.tier == "vip"
    senior_reasons = (
        ([reason("triage.senior.emotion", score=score, threshold=ctx.emotion_threshold)]
         if score >= ctx.emotion_threshold else [])
        + ([reason("triage.senior.repeat")] if repeats else [])
        + ([reason("triage.senior.vip")] if inp.tier == "vip" else [])
    )
    required = ctx.required_fields.get(code, []) or ctx.required_fields.get(ctx.parents.get(code, ""), [])
    missing = quality_missing(inp.fields, required, has_contact=inp.has_contact)
    return {
        "engine": ENGINE_VERSION,
        "model_version": ctx.model_version,
        "anger_model_version": ctx.anger_model_version,
        "category": category,
        "tags": [{"tag": t.tag, "word": t.word} for t in tags],
        "severity": severity,
        "priority": priority,
        "emotion": emotion,
        "needs_senior": {"value": needs_senior, "reasons": senior_reasons},
        "red_channel": {"flagged": red.flagged, "evidence": [asdict(e) for e in red.evidence],
                        "dismissed": [asdict(d) for d in red.dismissed]},
        "repeat": {"count": len(repeats), "earlier": repeats},
        "quality": {"missing": missing, "required": required},
    }
