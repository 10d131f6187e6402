"""What the complaint page shows of triage: the panel, and the timeline lines of its two events.

Triage stores its findings with reasons as message ids and parameters (``{"code", "params"}``,
wordings in triage/messages.py); they are rendered here, in the reader's language, when shown.
Results stored before reasons carried ids (plain English strings) are shown as they were written.

The panel never contradicts the complaint: severity and priority are shown as stored on the
complaint, and when that differs from what triage found, the event that changed it says why (a
correction, a routing rule, or the person who recorded it).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from kesu.complaints.models import Category, Complaint, EventKind, Severity
from kesu.core.messages import message_render

Categories = Mapping[str, Category]

CONTACT = pgettext_lazy("missing field", "contact details")


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


def red_kind_label(kind: str) -> str:
    return message_render(f"triage.red.kind.{kind}") if kind in _RED_KINDS else kind


_RED_KINDS = frozenset(("safety", "group_incident", "media", "regulator", "legal"))


def reason_text(reason: Any, categories: Categories) -> str:
    """One stored reason in the reader's language. A ``category`` parameter holding a category code is
    shown as the category's name; a reason stored as plain text (before message ids) as written."""
    if isinstance(reason, Mapping) and "code" in reason:
        params = dict(reason.get("params") or {})
        if isinstance(params.get("category"), str):
            params["category"] = category_name(params["category"], categories)
        return message_render(str(reason["code"]), params)
    return str(reason)


def _reasons(finding: Mapping[str, Any] | None, categories: Categories) -> list[str]:
    return [reason_text(reason, categories) for reason in (finding or {}).get("reasons", [])]


def source_label(source: str) -> str:
    """Where triage's category came from: set at intake, a model version, keywords, or nothing."""
    if source in ("given", "keywords", "none"):
        return message_render(f"triage.source.{source}")
    if source.startswith("model v"):
        return message_render("triage.source.model", {"version": source.removeprefix("model v")})
    return source or "—"


def field_label(name: str) -> str:
    """A field the quality check found missing, by its label ("contact": the customer's handles)."""
    if name == "contact":
        return str(CONTACT)
    try:
        return capfirst(str(Complaint._meta.get_field(name).verbose_name))
    except FieldDoesNotExist:
        return name


def _percent(confidence: Any) -> int:
    try:
        return round(float(confidence) * 100)
    except (TypeError, ValueError):
        return 0


def _change_note(name: str, stored: str, found: Mapping[str, Any], events: Iterable[Any]) -> str:
    """Why ``stored`` differs from triage's finding: the newest event that set this field."""
    for event in reversed(list(events)):
        data = event.data or {}
        if event.kind == EventKind.CORRECTED and name in (data.get("changes") or {}):
            by = getattr(event.actor, "username", "") or "—"
            why = data.get("reason") or ""
            return _("corrected by %(user)s%(why)s") % {"user": by, "why": f": {why}" if why else ""}
        if event.kind == EventKind.ROUTED and name == "priority" and data.get("priority"):
            rule = (data.get("rule") or {}).get("name") or "—"
            return _("set by the routing rule “%(rule)s”") % {"rule": rule}
        if event.kind == EventKind.TRIAGED:
            break
    if found.get("source") == "given":
        return _("set at intake")
    return _("changed since triage")


def _decided(name: str, finding: Mapping[str, Any], stored: str | None, events: Iterable[Any],
             categories: Categories) -> dict[str, Any]:
    """Severity or priority as the complaint holds it, with triage's finding and why they differ."""
    found = finding.get("found", finding.get("value", ""))
    value = stored if stored else finding.get("value", "")
    shown = {"value": value, "reasons": _reasons(finding, categories), "found": "", "note": ""}
    if value != found and found:
        shown["found"] = severity_label(found) if name == "severity" else found
        shown["note"] = _change_note(name, value, finding, events)
    if name == "severity":
        shown["label"] = severity_label(value)
    return shown


def triage_panel(
    result: Mapping[str, Any] | None, categories: Categories, *, complaint: Complaint | None = None,
    events: Iterable[Any] = (),
) -> dict[str, Any] | None:
    """What the complaint page's triage panel shows of the newest result; None when never triaged."""
    if result is None:
        return None
    if "error" in result:
        return {"error": result["error"] or _("unknown error")}
    events = list(events)
    category = result.get("category") or {}
    emotion = result.get("emotion") or {}
    score = emotion.get("score")
    threshold = emotion.get("threshold", 70)
    red = result.get("red_channel") or {}
    quality = result.get("quality") or {}
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
        "severity": _decided("severity", result.get("severity") or {}, complaint.severity if complaint else None,
                             events, categories),
        "priority": _decided("priority", result.get("priority") or {}, complaint.priority if complaint else None,
                             events, categories),
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
            "dismissed": [
                {"label": red_kind_label(d.get("kind", "")), "term": d.get("term", ""),
                 "why": message_render(f"triage.red.dismissed.{d.get('why', '')}")}
                for d in red.get("dismissed", [])[:8]
            ],
        },
        "missing": [field_label(name) for name in quality.get("missing", [])],
    }


def triaged_summary(data: Mapping[str, Any], categories: Categories) -> str:
    """One line for a ``triaged`` event: what triage found, or that it failed."""
    result = data.get("result")
    if not result:
        return message_render("triage.failed", {"error": data.get("error") or _("unknown error")})
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
