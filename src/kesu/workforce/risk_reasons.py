"""A risk score's reasons (its largest feature contributions) worded for people, in the reader's language."""

from __future__ import annotations

import math
from collections.abc import Callable

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kesu.workforce.risk import CHANNELS


def _count(value: float) -> str:
    return str(round(value))


def _hours(value: float) -> str:  # stored as log1p(hours)
    return f"{math.expm1(value):.0f}"


def _percent(value: float) -> str:  # stored as a share of 100
    return str(round(100 * value))


# feature → (wording with %(value)s, how the stored value is shown)
WORDINGS: dict[str, tuple[str, Callable[[float], str]]] = {
    "complaints_30d": (gettext_lazy("%(value)s complaints in the last 30 days"), _count),
    "complaints_90d": (gettext_lazy("%(value)s complaints in the last 90 days"), _count),
    "escalations_90d": (gettext_lazy("%(value)s escalations in the last 90 days"), _count),
    "repeat_count": (gettext_lazy("Repeat complaint (%(value)s)"), _count),
    "emotion": (gettext_lazy("Emotion at intake %(value)s"), _percent),
    "emotion_missing": (gettext_lazy("Emotion at intake unknown"), _count),
    "vip": (gettext_lazy("VIP customer"), _count),
    "claim_log": (gettext_lazy("Compensation asked"), _count),
    "threat_words": (gettext_lazy("Threat words at intake (%(value)s)"), _count),
    "priority": (gettext_lazy("High priority"), _count),
    "red_channel": (gettext_lazy("Red channel"), _count),
    "needs_senior": (gettext_lazy("Needs a senior handler"), _count),
    "age_hours_log": (gettext_lazy("Open for %(value)s hours"), _hours),
    "customer_messages": (gettext_lazy("%(value)s messages from the customer"), _count),
    "hours_since_contact_log": (gettext_lazy("%(value)s hours since the last contact"), _hours),
    "reopens": (gettext_lazy("Reopened %(value)s times"), _count),
    "transfers": (gettext_lazy("Transferred %(value)s times"), _count),
    "pending": (gettext_lazy("Waiting for the customer"), _count),
    "sla_warned": (gettext_lazy("Time limit warning"), _count),
    "sla_breached": (gettext_lazy("Time limit breached"), _count),
    "escalation_level": (gettext_lazy("Already escalated once"), _count),
    "anger_max": (gettext_lazy("Angriest customer message %(value)s"), _percent),
    "anger_last": (gettext_lazy("Last customer message's anger %(value)s"), _percent),
}


def reason_text(reason: dict) -> str:
    feature = str(reason.get("feature", ""))
    value = float(reason.get("value") or 0)
    if feature.startswith("channel_") and feature[len("channel_") :] in CHANNELS:
        from kesu.complaints.models import Channel

        code = feature[len("channel_") :]
        return _("Came in by %(channel)s") % {"channel": dict(Channel.choices).get(code, code)}
    wording, shown = WORDINGS.get(feature, (None, _count))
    if wording is None:
        return feature
    return str(wording) % {"value": shown(value)} if "%(value)s" in str(wording) else str(wording)
