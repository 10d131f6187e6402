"""The UI's wording of a triage result: labels of its codes and its reasons in the user's language.

Triage (``kesu.triage``) writes its findings and reasons in plain English (the emotion reasons in the
language of the complaint) and stores them in the ``triaged`` event. The web pages read them here:
``triage_panel`` turns a result into what the detail page shows, ``triaged_summary`` and
``correction_lines`` word the two timeline events. A reason of an unknown shape is shown as written.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext, pgettext_lazy

from kesu.complaints.models import Category, Complaint, Severity
from kesu.customers.models import Tier

Categories = Mapping[str, Category]

RED_KINDS = {
    "safety": gettext_lazy("Personal safety"),
    "group_incident": gettext_lazy("Group incident"),
    "media": gettext_lazy("Media exposure"),
    "regulator": gettext_lazy("Regulator complaint"),
    "legal": gettext_lazy("Legal action"),
}

# the emotion reasons, keyed by the label triage wrote (Chinese or English), worded again
_EMOTION_LABELS = {
    ("愤怒词", "angry word"): gettext_lazy("angry word “%(evidence)s”"),
    ("负面词", "negative word"): gettext_lazy("negative word “%(evidence)s”"),
    ("正面词", "positive word"): gettext_lazy("positive word “%(evidence)s”"),
    ("威胁", "threat"): gettext_lazy("threat “%(evidence)s”"),
    ("咨询语气", "calm enquiry"): gettext_lazy("calm enquiry “%(evidence)s”"),
    ("否定", "negation"): gettext_lazy("negation “%(evidence)s”"),
    ("否定负面", "negated complaint"): gettext_lazy("negated complaint “%(evidence)s”"),
    ("连续标点", "repeated punctuation"): gettext_lazy("repeated punctuation “%(evidence)s”"),
    ("全大写", "ALL CAPS"): gettext_lazy("ALL CAPS “%(evidence)s”"),
    ("重复字符", "repeated letters"): gettext_lazy("repeated letters “%(evidence)s”"),
}
_EMOTION_BY_LABEL = {label: say for labels, say in _EMOTION_LABELS.items() for label in labels}
_EMOTION_REASON = re.compile(r"(?P<label>[^“\"]+?) ?[“\"](?P<evidence>.*)[”\"]")

CONTACT = pgettext_lazy("missing field", "contact details")


def red_kind_label(kind: str) -> str:
    return str(RED_KINDS.get(kind, kind))


def category_name(code: str | None, categories: Categories) -> str:
    """The category's name in the user's language; the code itself when it is not (or no longer) known."""
    if not code:
        return _("not yet classified")
    category = categories.get(code)
    return category.name if category is not None else code


def severity_label(value: str | None) -> str:
    try:
        return str(Severity(value).label)
    except ValueError:
        return value or "—"


def source_label(source: str) -> str:
    """Where triage's category came from: set at intake, a model version, keywords, or nothing."""
    if source == "given":
        return _("set at intake")
    if source == "keywords":
        return _("keywords")
    model = re.fullmatch(r"model v(?P<version>\w+)", source or "")
    if model:
        return _("model v%(version)s") % model.groupdict()
    if source == "none":
        return _("no evidence")
    return source or "—"


def field_label(name: str) -> str:
    """A field the quality check found missing, by its label ("contact": the customer's handles)."""
    if name == "contact":
        return str(CONTACT)
    try:
        return capfirst(str(Complaint._meta.get_field(name).verbose_name))
    except FieldDoesNotExist:
        return name


def _matrix_part(value: str, categories: Categories) -> str:
    if value == "any category":
        return _("any category")
    if value == "any tier":
        return _("any tier")
    if value == "any severity":
        return _("any severity")
    if value in Tier.values:
        return str(Tier(value).label)
    if value in Severity.values:
        return str(Severity(value).label)
    return category_name(value, categories)


_Say = Callable[[dict[str, str], Categories], str]

_REASONS: list[tuple[re.Pattern[str], _Say]] = [
    (re.compile(r"set by the person who recorded it"), lambda g, c: _("set by the person who recorded it")),
    (re.compile(r"keyword “(?P<word>.+)”"), lambda g, c: _("keyword “%(word)s”") % g),
    (
        re.compile(r"no model trained yet and no category keyword in the text"),
        lambda g, c: _("no model trained yet and no category keyword in the text"),
    ),
    (
        re.compile(r"confidence below (?P<limit>[\d.]+): suggested only"),
        lambda g, c: _("confidence below %(limit)s: suggested only") % g,
    ),
    (
        re.compile(r"red channel: (?P<kinds>.+)"),
        lambda g, c: _("red channel: %(kinds)s")
        % {"kinds": pgettext("list separator", ", ").join(red_kind_label(k.strip()) for k in g["kinds"].split(","))},
    ),
    (
        re.compile(r"emotion temperature (?P<score>\d+) ≥ (?P<threshold>\d+)"),
        lambda g, c: _("emotion temperature %(score)s ≥ %(threshold)s") % g,
    ),
    (
        re.compile(r"repeat complaint \((?P<count>\d+) earlier on the same issue\)"),
        lambda g, c: _("repeat complaint (%(count)s earlier on the same issue)") % g,
    ),
    (
        re.compile(r"amount claimed (?P<amount>\S+) ≥ (?P<limit>\S+) CNY"),
        lambda g, c: _("amount claimed ¥%(amount)s ≥ ¥%(limit)s") % g,
    ),
    (
        re.compile(r"no red channel, calm, no repeat, no large claim"),
        lambda g, c: _("no red channel, calm, no repeat, no large claim"),
    ),
    (
        re.compile(r"no matrix cell matches; default (?P<priority>P\d)"),
        lambda g, c: _("no cell of the priority matrix matches; default %(priority)s") % g,
    ),
    (
        re.compile(r"matrix: (?P<category>.+?) × (?P<tier>.+?) × (?P<severity>.+?) → (?P<priority>P\d)"),
        lambda g, c: _("priority matrix: %(category)s × %(tier)s × %(severity)s → %(priority)s")
        % {
            "category": _matrix_part(g["category"], c),
            "tier": _matrix_part(g["tier"], c),
            "severity": _matrix_part(g["severity"], c),
            "priority": g["priority"],
        },
    ),
    (
        re.compile(r"emotion (?P<score>\d+) ≥ (?P<threshold>\d+)"),
        lambda g, c: _("emotion %(score)s ≥ %(threshold)s") % g,
    ),
    (re.compile(r"repeat complaint"), lambda g, c: _("repeat complaint")),
    (re.compile(r"VIP customer"), lambda g, c: _("VIP customer")),
]


def triage_reason(reason: str, categories: Categories) -> str:
    """One reason of a triage finding in the user's language."""
    for pattern, say in _REASONS:
        match = pattern.fullmatch(reason)
        if match:
            return say(match.groupdict(), categories)
    emotion = _EMOTION_REASON.fullmatch(reason)
    if emotion and emotion["label"] in _EMOTION_BY_LABEL:
        return str(_EMOTION_BY_LABEL[emotion["label"]]) % {"evidence": emotion["evidence"]}
    return reason


def _reasons(finding: Mapping[str, Any] | None, categories: Categories) -> list[str]:
    return [triage_reason(str(reason), categories) for reason in (finding or {}).get("reasons", [])]


def _percent(confidence: Any) -> int:
    try:
        return round(float(confidence) * 100)
    except (TypeError, ValueError):
        return 0


def triage_panel(result: Mapping[str, Any] | None, categories: Categories) -> dict[str, Any] | None:
    """What the detail page's triage panel shows of the newest result; None when never triaged."""
    if result is None:
        return None
    if "error" in result:
        return {"error": result["error"] or _("unknown error")}
    category = result.get("category") or {}
    emotion = result.get("emotion") or {}
    score = emotion.get("score")
    threshold = emotion.get("threshold", 70)
    red = result.get("red_channel") or {}
    quality = result.get("quality") or {}
    severity = result.get("severity") or {}
    priority = result.get("priority") or {}
    senior = result.get("needs_senior") or {}
    return {
        "engine": result.get("engine", ""),
        "model_version": result.get("model_version", ""),
        "category": {
            "code": category.get("code", ""),
            "name": category_name(category.get("code"), categories),
            "source": source_label(category.get("source", "")),
            "percent": _percent(category.get("confidence")),
            "applied": bool(category.get("apply")),
            "alternatives": [
                {"name": category_name(alternative.get("code"), categories),
                 "percent": _percent(alternative.get("confidence"))}
                for alternative in category.get("alternatives", [])[:3]
            ],
            "reasons": _reasons(category, categories),
        },
        "tags": result.get("tags", []),
        "severity": {"value": severity.get("value", ""), "label": severity_label(severity.get("value")),
                     "reasons": _reasons(severity, categories)},
        "priority": {"value": priority.get("value", ""), "reasons": _reasons(priority, categories)},
        "emotion": {
            "score": score,
            "threshold": threshold,
            "hot": score is not None and score >= threshold,
            "reasons": _reasons(emotion, categories),
        },
        "needs_senior": {"value": bool(senior.get("value")), "reasons": _reasons(senior, categories)},
        "red_channel": {
            "flagged": bool(red.get("flagged")),
            "evidence": [
                {"kind": e.get("kind", ""), "label": red_kind_label(e.get("kind", "")), "term": e.get("term", "")}
                for e in red.get("evidence", [])
            ],
        },
        "missing": [field_label(name) for name in quality.get("missing", [])],
    }


def triaged_summary(data: Mapping[str, Any], categories: Categories) -> str:
    """One line for a ``triaged`` event: what triage found, or that it failed."""
    result = data.get("result")
    if not result:
        return _("Triage failed: %(error)s") % {"error": data.get("error") or _("unknown error")}
    category = result.get("category") or {}
    values = {
        "severity": severity_label((result.get("severity") or {}).get("value")),
        "priority": (result.get("priority") or {}).get("value", "—"),
        "emotion": (result.get("emotion") or {}).get("score", "—"),
    }
    if not category.get("code"):
        return _("Triage: no category, severity %(severity)s, priority %(priority)s, emotion %(emotion)s") % values
    source = source_label(category.get("source", ""))
    if not category.get("apply"):
        source = _("%(source)s, suggested only") % {"source": source}
    return _(
        "Triage: category %(category)s (%(source)s), severity %(severity)s, priority %(priority)s, "
        "emotion %(emotion)s"
    ) % {**values, "category": category_name(category["code"], categories), "source": source}


def correction_lines(data: Mapping[str, Any], categories: Categories) -> list[str]:
    """What a ``corrected`` event changed, one line per field: "Category: A → B"."""
    changes = data.get("changes") or {}
    lines = []
    if "category" in changes:
        before, after = (list(changes["category"]) + [None, None])[:2]
        names = {"before": category_name(before, categories), "after": category_name(after, categories)}
        if before == after:
            lines.append(_("Category confirmed: %(after)s") % names)
        else:
            lines.append(_("Category: %(before)s → %(after)s") % names)
    if "severity" in changes:
        before, after = (list(changes["severity"]) + [None, None])[:2]
        labels = {"before": severity_label(before), "after": severity_label(after)}
        if before == after:
            lines.append(_("Severity confirmed: %(after)s") % labels)
        else:
            lines.append(_("Severity: %(before)s → %(after)s") % labels)
    return lines
