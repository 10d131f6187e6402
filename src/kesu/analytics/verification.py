"""Verification of an improvement measure (seed 004, "验证"): before / after over equal windows, with
the test that suits the metric, and against a control scope when one is given (difference in
differences). Pure: counts and samples in, a verdict out.

* volumes (complaints per window): the Poisson rate test (the after count given the total is binomial
  with p = t_after / (t_before + t_after)); effect = the rate ratio − 1, its 95 % interval from the
  log rate ratio's normal approximation. With a control: the ratio of the two rate ratios, log
  variance 1/a + 1/b + 1/c + 1/d.
* proportions (e.g. reopen rate): the two-proportion z test (pooled); effect = the difference of the
  shares and its Wald 95 % interval. With a control: the difference of the differences, variance the
  sum of the four.
* durations (e.g. hours to resolve): Mann–Whitney U (two-sided); effect = the difference of the
  medians, its 95 % interval by a seeded bootstrap (2,000 resamples). No control for durations.

Verdict: "worked" when p < 0.05 and the effect goes the expected way, "worse" when p < 0.05 and it
goes the other way, else "not_significant".
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from scipy import stats

ALPHA = 0.05
Z95 = 1.959963984540054


@dataclass(frozen=True)
class Verdict:
    test: str
    effect: float  # volumes: relative change (−0.3 = 30 % fewer); proportions: difference; durations: median difference
    low: float
    high: float
    p_value: float
    verdict: str  # worked / not_significant / worse
    before: float
    after: float

    def as_dict(self) -> dict:
        return {k: (round(v, 6) if isinstance(v, float) else v) for k, v in self.__dict__.items()}


def _verdict(effect: float, p_value: float, *, lower_is_better: bool) -> str:
    if p_value >= ALPHA or effect == 0:
        return "not_significant"
    improved = effect < 0 if lower_is_better else effect > 0
    return "worked" if improved else "worse"


def poisson_rate_test(before: int, after: int, *, t_before: float = 1.0, t_after: float = 1.0,
                      lower_is_better: bool = True) -> Verdict:
    total = before + after
    if total == 0:
        return Verdict("poisson_rate", 0.0, 0.0, 0.0, 1.0, "not_significant", 0.0, 0.0)
    p_value = float(stats.binomtest(after, total, t_after / (t_before + t_after)).pvalue)
    rate_before, rate_after = before / t_before, after / t_after
    a, b = max(before, 0.5), max(after, 0.5)
    log_ratio = math.log((b / t_after) / (a / t_before))
    half = Z95 * math.sqrt(1 / a + 1 / b)
    effect = rate_after / rate_before - 1 if rate_before else math.inf
    return Verdict("poisson_rate", effect, math.exp(log_ratio - half) - 1, math.exp(log_ratio + half) - 1, p_value,
                   _verdict(effect, p_value, lower_is_better=lower_is_better), rate_before, rate_after)


def poisson_did(before: int, after: int, control_before: int, control_after: int, *,
                lower_is_better: bool = True) -> Verdict:
    """The treated scope's rate ratio over the control's (equal windows): −0.25 = 25 % fewer than the
    control's trend would predict."""
    cells = [max(x, 0.5) for x in (before, after, control_before, control_after)]
    log_ratio = math.log(cells[1] / cells[0]) - math.log(cells[3] / cells[2])
    se = math.sqrt(sum(1 / c for c in cells))
    z = log_ratio / se
    p_value = float(2 * stats.norm.sf(abs(z)))
    effect = math.exp(log_ratio) - 1
    return Verdict("poisson_did", effect, math.exp(log_ratio - Z95 * se) - 1, math.exp(log_ratio + Z95 * se) - 1,
                   p_value, _verdict(effect, p_value, lower_is_better=lower_is_better), float(before), float(after))


def two_proportion_z(x_before: int, n_before: int, x_after: int, n_after: int, *,
                     lower_is_better: bool = True) -> Verdict:
    if not n_before or not n_after:
        return Verdict("two_proportion_z", 0.0, 0.0, 0.0, 1.0, "not_significant", 0.0, 0.0)
    p1, p2 = x_before / n_before, x_after / n_after
    pooled = (x_before + x_after) / (n_before + n_after)
    se_pooled = math.sqrt(pooled * (1 - pooled) * (1 / n_before + 1 / n_after))
    p_value = 1.0 if se_pooled == 0 else float(2 * stats.norm.sf(abs(p2 - p1) / se_pooled))
    se = math.sqrt(p1 * (1 - p1) / n_before + p2 * (1 - p2) / n_after)
    effect = p2 - p1
    return Verdict("two_proportion_z", effect, effect - Z95 * se, effect + Z95 * se, p_value,
                   _verdict(effect, p_value, lower_is_better=lower_is_better), p1, p2)


def proportion_did(treated: tuple[int, int, int, int], control: tuple[int, int, int, int], *,
                   lower_is_better: bool = True) -> Verdict:
    """Each tuple: (x_before, n_before, x_after, n_after)."""
    def parts(x1, n1, x2, n2):
        p1, p2 = x1 / n1 if n1 else 0.0, x2 / n2 if n2 else 0.0
        var = (p1 * (1 - p1) / n1 if n1 else 0.0) + (p2 * (1 - p2) / n2 if n2 else 0.0)
        return p2 - p1, var, p1, p2

    d_t, v_t, p1, p2 = parts(*treated)
    d_c, v_c, _c1, _c2 = parts(*control)
    effect, se = d_t - d_c, math.sqrt(v_t + v_c)
    p_value = 1.0 if se == 0 else float(2 * stats.norm.sf(abs(effect) / se))
    return Verdict("proportion_did", effect, effect - Z95 * se, effect + Z95 * se, p_value,
                   _verdict(effect, p_value, lower_is_better=lower_is_better), p1, p2)


def mann_whitney(before: Sequence[float], after: Sequence[float], *, lower_is_better: bool = True,
                 seed: int = 12) -> Verdict:
    import numpy as np

    if len(before) < 2 or len(after) < 2:
        return Verdict("mann_whitney", 0.0, 0.0, 0.0, 1.0, "not_significant", 0.0, 0.0)
    a, b = np.asarray(before, dtype=float), np.asarray(after, dtype=float)
    p_value = float(stats.mannwhitneyu(a, b, alternative="two-sided").pvalue)
    effect = float(np.median(b) - np.median(a))
    rng = np.random.default_rng(seed)
    draws = [float(np.median(rng.choice(b, b.size)) - np.median(rng.choice(a, a.size))) for _ in range(2000)]
    low, high = np.percentile(draws, [2.5, 97.5])
    return Verdict("mann_whitney", effect, float(low), float(high), p_value,
                   _verdict(effect, p_value, lower_is_better=lower_is_better), float(np.median(a)), float(np.median(b)))


def cost_benefit(*, avoided: float, handling_cost: float, compensation_saved: float, cost: float) -> dict[str, float]:
    """Complaints avoided × handling cost + compensation saved, against the measure's cost."""
    benefit = max(avoided, 0.0) * handling_cost + compensation_saved
    return {"avoided": round(avoided, 1), "benefit": round(benefit, 2), "cost": round(cost, 2),
            "net": round(benefit - cost, 2)}
