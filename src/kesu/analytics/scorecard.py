"""The handler scorecard (seed 000): closure timeliness 40 %, resolution quality 30 %, repeat
complaints 20 %, praise 10 % (weights editable by the management), per week, from the rollups.

Each component is a share, so the score is normalised for workload: 0–100 whatever the volume.
A handler with fewer resolutions than the minimum in the period is shown but not ranked.

* closure timeliness: resolution clocks met / decided while the handler held the complaint;
* resolution quality: 1 − reopenings of the handler's resolutions / resolutions;
* repeat complaints: 1 − repeat complaints about complaints the handler resolved / resolutions;
* praise: survey answers of 5 / survey answers on complaints the handler resolved.
A component without data counts as the group's average (else it is left out of the weights).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

from django.db.models import Q, Sum

from kesu.analytics.models import HANDLER_COUNTERS, HandlerDaily, ScorecardWeights

COMPONENTS = ("timeliness", "quality", "repeat", "praise")


def weights_current() -> ScorecardWeights:
    weights, _ = ScorecardWeights.objects.get_or_create(pk=1)
    return weights


def _components(c: dict[str, int]) -> dict[str, float | None]:
    decided = c["res_met"] + c["res_breached"]
    return {
        "timeliness": c["res_met"] / decided if decided else None,
        "quality": max(0.0, 1 - c["reopened"] / c["resolved"]) if c["resolved"] else None,
        "repeat": max(0.0, 1 - c["repeat"] / c["resolved"]) if c["resolved"] else None,
        "praise": c["praise"] / c["sat_answers"] if c["sat_answers"] else None,
    }


def score(components: dict[str, float | None], weights: dict[str, int]) -> float | None:
    used = {k: v for k, v in components.items() if v is not None and weights.get(k)}
    total = sum(weights[k] for k in used)
    return round(100 * sum(weights[k] * v for k, v in used.items()) / total, 1) if total else None


def scorecard(*, date_from: date, date_to: date, handler_ids: list[int] | None = None,
              group_ids: list[int] | None = None) -> dict[str, Any]:
    """Every handler's counts, components, score and rank in the period, and each group's average.
    ``handler_ids`` / ``group_ids``: show only these handlers, and (a team lead's view) also every
    handler whose main group in the period is one of these groups; ranks stay centre-wide."""
    from kesu.core.models import User

    q = Q(day__gte=date_from, day__lte=date_to)
    rows = HandlerDaily.objects.filter(q).values("handler_id", "group_id").annotate(
        **{name: Sum(name) for name in HANDLER_COUNTERS})
    per: dict[int, dict[str, int]] = defaultdict(lambda: dict.fromkeys(HANDLER_COUNTERS, 0))
    groups: dict[int, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    for row in rows:
        for name in HANDLER_COUNTERS:
            per[row["handler_id"]][name] += int(row[name] or 0)
        groups[row["handler_id"]][row["group_id"]] += int(row["resolved"] or 0)
    w = weights_current()
    weights = {k: getattr(w, k) for k in COMPONENTS}
    people = {u.pk: u for u in User.objects.filter(pk__in=list(per))}
    handlers = []
    for handler_id, counts in per.items():
        main_group = max(groups[handler_id].items(), key=lambda kv: kv[1])[0] if groups[handler_id] else 0
        components = _components(counts)
        handlers.append({"handler_id": handler_id, "user": people.get(handler_id), "group_id": main_group,
                         "counts": counts, "components": components, "score": score(components, weights),
                         "ranked": counts["resolved"] >= w.min_volume})
    by_group: dict[int, list[dict]] = defaultdict(list)
    for h in handlers:
        if h["ranked"]:
            by_group[h["group_id"]].append(h)
    averages = {}
    for group_id, members in by_group.items():
        averages[group_id] = {k: _mean([m["components"][k] for m in members]) for k in COMPONENTS}
    ranked = sorted((h for h in handlers if h["ranked"] and h["score"] is not None), key=lambda h: -h["score"])
    for rank, h in enumerate(ranked, start=1):
        h["rank"] = rank
    if handler_ids is not None or group_ids is not None:
        handlers = [h for h in handlers if h["handler_id"] in (handler_ids or ())
                    or h["group_id"] in (group_ids or ())]
    handlers.sort(key=lambda h: (h.get("rank") or 10**6, -(h["counts"]["resolved"])))
    return {"handlers": handlers, "group_averages": averages, "weights": weights, "min_volume": w.min_volume}


def _mean(values: list[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return round(sum(present) / len(present), 4) if present else None
