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
from kesu.triage.severity import MatrixCell, priority_decide, severity_decide
from kesu.triage.similarity import shingles, similarity

ENGINE_VERSION = "1"


class CategoryPredictor(Protocol):
    def predict_one(self, text: str): ...


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


def _category(inp: TriageInput, ctx: TriageContext, tags) -> dict[str, Any]:
    if inp.category_given:
        return {"code": inp.category_given, "confidence": 1.0, "source": "given", "alternatives": [],
                "reasons": ["set by the person who recorded it"], "apply": True}
    if ctx.model is not None:
        prediction = ctx.model.predict_one(inp.text)
        if prediction.label in ctx.known_categories:
            confident = prediction.confidence >= ctx.category_min_confidence
            return {
                "code": prediction.label, "confidence": round(float(prediction.confidence), 3),
                "source": f"model v{ctx.model_version}",
                "alternatives": [{"code": c, "confidence": round(float(p), 3)} for c, p in prediction.alternatives[:3]],
                "reasons": list(prediction.reasons)[:5]
                + ([] if confident else [f"confidence below {ctx.category_min_confidence}: suggested only"]),
                "apply": confident,
            }
    votes: dict[str, list[str]] = {}
    for tag in tags:
        if tag.category in ctx.known_categories:
            votes.setdefault(tag.category, []).append(tag.word)
    if not votes:
        return {"code": "", "confidence": 0.0, "source": "none", "alternatives": [],
                "reasons": ["no model trained yet and no category keyword in the text"], "apply": False}
    ranked = sorted(votes.items(), key=lambda item: len(item[1]), reverse=True)
    total = sum(len(words) for _code, words in ranked)
    best, words = ranked[0]
    clear = len(ranked) == 1 or len(words) > len(ranked[1][1])
    return {
        "code": best, "confidence": round(len(words) / total, 3), "source": "keywords",
        "alternatives": [{"code": c, "confidence": round(len(w) / total, 3)} for c, w in ranked[1:4]],
        "reasons": [f"keyword “{w}”" for w in words]
        + ([] if clear else ["as many keywords point elsewhere: suggested only"]),
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


def triage_run(inp: TriageInput, ctx: TriageContext) -> dict[str, Any]:
    """Everything triage finds about one complaint, as a JSON-ready dict with reasons."""
    text = inp.text
    tags = ctx.keywords.match(text)
    category = _category(inp, ctx, tags)
    emotion = emotion_temperature(text)
    red = red_channel_detect(text)
    red_kinds = sorted({e.kind for e in red.evidence})
    repeats = _repeats(inp, ctx)
    severity = severity_decide(
        red_channel=red.flagged, red_kinds=red_kinds, emotion=emotion.score, emotion_threshold=ctx.emotion_threshold,
        repeat_count=len(repeats), amount_claimed=inp.amount_claimed, tier=inp.tier,
    )
    code = category["code"] if category["apply"] else ""
    priority = priority_decide(
        list(ctx.matrix), category=code, parent_category=ctx.parents.get(code, ""), tier=inp.tier,
        severity=severity.value,
    )
    needs_senior = emotion.score >= ctx.emotion_threshold or bool(repeats) or inp.tier == "vip"
    senior_reasons = (
        ([f"emotion {emotion.score} ≥ {ctx.emotion_threshold}"] if emotion.score >= ctx.emotion_threshold else [])
        + (["repeat complaint"] if repeats else [])
        + (["VIP customer"] if inp.tier == "vip" else [])
    )
    required = ctx.required_fields.get(code, []) or ctx.required_fields.get(ctx.parents.get(code, ""), [])
    missing = quality_missing(inp.fields, required, has_contact=inp.has_contact)
    return {
        "engine": ENGINE_VERSION,
        "model_version": ctx.model_version,
        "category": category,
        "tags": [{"tag": t.tag, "word": t.word} for t in tags],
        "severity": {"value": severity.value, "reasons": severity.reasons},
        "priority": {"value": priority.value, "reasons": priority.reasons},
        "emotion": {"score": emotion.score, "reasons": list(emotion.reasons), "threshold": ctx.emotion_threshold},
        "needs_senior": {"value": needs_senior, "reasons": senior_reasons},
        "red_channel": {"flagged": red.flagged, "evidence": [asdict(e) for e in red.evidence]},
        "repeat": {"count": len(repeats), "earlier": repeats},
        "quality": {"missing": missing, "required": required},
    }
