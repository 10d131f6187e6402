"""The KPIs (docs/kpis.md and the requirements' targets), each defined once here and in docs/kpis.md: its counters, its value
and its state against the target set by the decision layer. Pure: counters in, a dict out."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Kpi:
    numerator: str
    denominator: str
    higher_is_better: bool = True
    scale: float = 1.0  # 1: a share (0–1); 5: a mean score; 100: NPS points
    low: float = 0.0
    high: float = 1.0
    default_target: float | None = None  # the targets the requirements name, used until the decision layer sets one


KPIS: dict[str, Kpi] = {
    # first-response clocks met / (met + breached), by the day the clock was decided
    "first_response_timeliness": Kpi("fr_met", "fr_decided"),
    # first resolutions by the first assignee, without transfer, not reopened within 7 days / first resolutions
    "first_contact_resolution": Kpi("fcr", "first_resolved", default_target=0.85),
    # first closings within 5 working days of creation / first closings
    "closure_within_5_working_days": Kpi("closed_5wd", "closed_first", default_target=0.90),
    # complaints created that repeat an earlier complaint / complaints created
    "repeat_rate": Kpi("repeat", "created", higher_is_better=False, default_target=0.05),
    # mean satisfaction score (1–5) of the answers; numerator: the sum of scores, denominator: answers
    "satisfaction": Kpi("sat_sum", "sat_answers", scale=5, low=1, high=5, default_target=4.5),
    # surveys answered / surveys sent in the period
    "survey_response_rate": Kpi("surveys_answered", "surveys_sent"),
    # (promoters − detractors) / recommendation answers × 100; numerator: promoters − detractors
    "nps": Kpi("nps_net", "nps_answers", scale=100, low=-100, high=100),
    # complaints reopened for the first time / first resolutions
    "reopen_rate": Kpi("reopened_first", "first_resolved", higher_is_better=False),
}
KPI_NAMES = tuple(KPIS)


def counters_derive(counters: Mapping[str, int]) -> dict[str, int]:
    """The counters with the two the KPIs derive (first-response clocks decided, net promoters)."""
    out = {key: int(value or 0) for key, value in counters.items()}
    out["fr_decided"] = out.get("fr_met", 0) + out.get("fr_breached", 0)
    out["nps_net"] = out.get("nps_promoters", 0) - out.get("nps_detractors", 0)
    return out


def kpi_state(value: float | None, *, target: Mapping[str, float] | None, higher_is_better: bool) -> str:
    """ok / amber / red / no_target. Higher is better: at or below ``red`` red, at or below ``amber``
    amber, else ok (mirrored when lower is better)."""
    if target is None:
        return "no_target"
    if value is None:
        return "ok"
    if higher_is_better:
        if value <= target["red"]:
            return "red"
        if value <= target["amber"]:
            return "amber"
        return "ok"
    if value >= target["red"]:
        return "red"
    if value >= target["amber"]:
        return "amber"
    return "ok"


def kpi_value(definition: Kpi, numerator: int, denominator: int) -> float | None:
    if not denominator:
        return None
    value = numerator / denominator
    if definition.scale == 100:
        value *= 100
    return round(value, 4)


def kpis_compute(counters: Mapping[str, int], targets: Mapping[str, Mapping[str, float]]) -> dict[str, dict[str, Any]]:
    """Every KPI: ``{"value", "target", "state", "numerator", "denominator"}``."""
    derived = counters_derive(counters)
    out: dict[str, dict[str, Any]] = {}
    for name, definition in KPIS.items():
        numerator, denominator = derived.get(definition.numerator, 0), derived.get(definition.denominator, 0)
        value = kpi_value(definition, numerator, denominator)
        target = targets.get(name)
        out[name] = {
            "value": value,
            "target": target["target"] if target else None,
            "state": kpi_state(value, target=target, higher_is_better=definition.higher_is_better),
            "numerator": numerator,
            "denominator": denominator,
        }
    return out
