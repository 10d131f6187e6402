"""Thematic analysis ("point"): a theme is a filter (category, product, region, keyword) and a
period; its analysis is its weekly trend against the whole, its distinctive words, root causes,
satisfaction, repeats and typical complaints. Reads the complaints of the period (bounded by the
period and a sample), not the rollups: a keyword cannot be rolled up.

Distinctive words (pure, :func:`words_distinctive`): jieba words of the theme's complaints against
those of all other complaints of the period, ranked by the log-odds ratio with an informative
Dirichlet prior (Monroe, Colaresi & Quinn 2008), z-scored; words of one character and numbers are
left out."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import Any

SAMPLE = 3000


def words_distinctive(theme: Iterable[str], others: Iterable[str], *, top: int = 15) -> list[tuple[str, float]]:
    """The words most over-represented in ``theme`` against ``others`` (log-odds z-scores)."""
    from kesu.triage.text import text_normalise, words

    def counts(texts: Iterable[str]) -> Counter:
        c: Counter = Counter()
        for text in texts:
            c.update(w for w in set(words(text_normalise(text))) if len(w) > 1 and not w.isdigit() and w.isalnum())
        return c

    a, b = counts(theme), counts(others)
    prior = a + b
    n_a, n_b, n_p = sum(a.values()), sum(b.values()), sum(prior.values())
    if not n_a or not n_b:
        return []
    scale = 500 / n_p  # the prior's total weight
    out = []
    for word, p in prior.items():
        alpha = p * scale
        alpha0 = n_p * scale
        ya, yb = a.get(word, 0), b.get(word, 0)
        delta = (math.log((ya + alpha) / (n_a + alpha0 - ya - alpha))
                 - math.log((yb + alpha) / (n_b + alpha0 - yb - alpha)))
        variance = 1 / (ya + alpha) + 1 / (yb + alpha)
        out.append((word, round(delta / math.sqrt(variance), 2)))
    return sorted(out, key=lambda item: -item[1])[:top]


def theme_filter(filters: dict[str, str]):
    from django.db.models import Q

    q = Q()
    if filters.get("category"):
        q &= Q(category__code=filters["category"]) | Q(category__parent__code=filters["category"])
    if filters.get("product"):
        q &= Q(product=filters["product"])
    if filters.get("batch"):
        q &= Q(batch=filters["batch"])
    if filters.get("region"):
        q &= Q(region__startswith=filters["region"])
    if filters.get("keyword"):
        q &= Q(content__icontains=filters["keyword"]) | Q(subject__icontains=filters["keyword"])
    return q


def theme_analysis(*, filters: dict[str, str], date_from: date, date_to: date) -> dict[str, Any]:
    from kesu.analytics.actions import centre_zone
    from kesu.complaints.models import Complaint
    from kesu.surveys.models import Survey

    tz = centre_zone()
    start = datetime.combine(date_from, datetime.min.time(), tzinfo=tz)
    end = datetime.combine(date_to + timedelta(days=1), datetime.min.time(), tzinfo=tz)
    period = Complaint.objects.filter(created_at__gte=start, created_at__lt=end, merged_into__isnull=True)
    q = theme_filter(filters)
    theme = period.filter(q)
    weekly: dict[str, list[int]] = {}
    for created_at, in_theme in _weeks(period, q):
        monday = (created_at.astimezone(tz).date() - timedelta(days=created_at.astimezone(tz).weekday())).isoformat()
        pair = weekly.setdefault(monday, [0, 0])
        pair[0] += 1
        pair[1] += in_theme
    texts = list(theme.order_by("-id").values_list("content", flat=True)[:SAMPLE])
    others = list(period.exclude(q).order_by("-id").values_list("content", flat=True)[:SAMPLE])
    distinctive = words_distinctive(texts, others)
    causes = Counter(theme.exclude(root_cause="").values_list("root_cause", flat=True))
    total = theme.count()
    surveys = Survey.objects.filter(complaint__in=theme, satisfaction__isnull=False).values_list("satisfaction", flat=True)
    scores = list(surveys)
    top_words = {w for w, _z in distinctive[:5]}
    typical = sorted(theme.order_by("-id")[:300], key=lambda c: -sum(w in c.content for w in top_words))[:5]
    return {
        "total": total, "whole": period.count(),
        "weeks": [{"week": k, "whole": v[0], "theme": v[1]} for k, v in sorted(weekly.items())],
        "words": distinctive, "root_causes": causes.most_common(),
        "satisfaction": round(sum(scores) / len(scores), 2) if scores else None, "answers": len(scores),
        "repeat_share": round(theme.filter(repeat_count__gt=0).count() / total, 4) if total else None,
        "typical": typical,
    }


def _weeks(period, q):
    from django.db.models import BooleanField, Case, Value, When

    flagged = period.annotate(in_theme=Case(When(q, then=Value(True)), default=Value(False),
                                            output_field=BooleanField()))
    return flagged.values_list("created_at", "in_theme").iterator(chunk_size=5000)
