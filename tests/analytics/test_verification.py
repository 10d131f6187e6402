"""The verification tests find a real effect and rarely claim one that is not there."""

from __future__ import annotations

import numpy as np
import pytest

from kesu.analytics.verification import (
    cost_benefit,
    mann_whitney,
    poisson_did,
    poisson_rate_test,
    proportion_did,
    two_proportion_z,
)


def test_an_injected_30_percent_drop_in_volume_is_found():
    rng = np.random.default_rng(1)
    before, after = rng.poisson(20 * 56), rng.poisson(14 * 56)  # 20 a day, then 14 a day, 8 weeks each

    verdict = poisson_rate_test(int(before), int(after))

    assert verdict.verdict == "worked" and verdict.p_value < 0.001
    assert verdict.low < -0.30 < verdict.high
    assert abs(verdict.effect + 0.30) < 0.08


def test_without_an_effect_fewer_than_10_of_100_trials_say_worked():
    rng = np.random.default_rng(2026)
    said = {"volume": 0, "share": 0, "duration": 0, "did": 0}
    for _trial in range(100):
        counts = rng.poisson(20 * 56, size=4)
        said["volume"] += poisson_rate_test(int(counts[0]), int(counts[1])).verdict == "worked"
        said["did"] += poisson_did(*(int(c) for c in counts)).verdict == "worked"
        x = rng.binomial(400, 0.1, size=2)
        said["share"] += two_proportion_z(int(x[0]), 400, int(x[1]), 400).verdict == "worked"
        said["duration"] += mann_whitney(rng.exponential(30, 200), rng.exponential(30, 200)).verdict == "worked"
    assert all(n < 10 for n in said.values()), said


def test_difference_in_differences_separates_the_measure_from_a_common_trend():
    # given both scopes fell by 20 % (a season), and the treated one by a further 30 %
    control = (1000, 800)
    treated = (1000, round(1000 * 0.8 * 0.7))

    plain = poisson_rate_test(*treated)
    did = poisson_did(*treated, *control)

    assert plain.effect < -0.4  # the plain before / after takes the season for the measure
    assert did.verdict == "worked" and abs(did.effect + 0.30) < 0.02


def test_proportions_and_durations_and_worse():
    drop = two_proportion_z(80, 800, 40, 800)
    assert drop.verdict == "worked" and drop.effect == pytest.approx(-0.05)
    assert two_proportion_z(40, 800, 80, 800).verdict == "worse"
    assert proportion_did((80, 800, 40, 800), (80, 800, 80, 800)).verdict == "worked"
    rng = np.random.default_rng(3)
    faster = mann_whitney(rng.exponential(30, 300), rng.exponential(20, 300))
    assert faster.verdict == "worked" and faster.low <= faster.effect <= faster.high < 0


def test_cost_benefit_line():
    assert cost_benefit(avoided=120, handling_cost=50, compensation_saved=3000, cost=5000) == {
        "avoided": 120, "benefit": 9000, "cost": 5000, "net": 4000}
