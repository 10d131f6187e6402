"""Erlang C (with shrinkage) and Erlang A (with abandonment): pure numpy / scipy, no factorials.

Erlang B is computed by its recursion ``B(n) = A·B(n−1) / (n + A·B(n−1))``, which stays in [0, 1] for any
number of agents; Erlang C follows from B. Erlang A is the M/M/N+M birth–death chain solved in log space.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

import numpy as np
from scipy.linalg import expm
from scipy.special import logsumexp

MAX_AGENTS = 100_000


@dataclass(frozen=True)
class Staffing:
    agents: int
    positions: int
    service_level: float
    occupancy: float
    p_wait: float
    asa_seconds: float
    traffic_erlangs: float
    p_abandon: float | None = None

    def as_dict(self) -> dict:
        data = asdict(self)
        if data["p_abandon"] is None:
            del data["p_abandon"]
        return data


def traffic(arrivals: float, interval_seconds: float, aht_seconds: float) -> float:
    """Offered load in Erlangs."""
    return arrivals * aht_seconds / interval_seconds


def erlang_b(agents: int, load: float) -> float:
    blocked = 1.0
    for n in range(1, agents + 1):
        blocked = load * blocked / (n + load * blocked)
    return blocked


def erlang_c(agents: int, load: float) -> float:
    """Probability that an arrival waits (1 when the agents cannot carry the load)."""
    if agents <= load:
        return 1.0
    blocked = erlang_b(agents, load)
    return agents * blocked / (agents - load * (1 - blocked))


def erlang_c_measures(agents: int, load: float, aht_seconds: float, answer_seconds: float) -> tuple[float, float, float]:
    """(service level, p_wait, average speed of answer in seconds) of ``agents`` on ``load`` Erlangs."""
    if agents <= load:
        return 0.0, 1.0, math.inf
    p_wait = erlang_c(agents, load)
    service_level = 1 - p_wait * math.exp(-(agents - load) * answer_seconds / aht_seconds)
    asa = p_wait * aht_seconds / (agents - load)
    return service_level, p_wait, asa


def positions_for(agents: int, shrinkage: float) -> int:
    """Scheduled positions so that ``agents`` are on the phones after ``shrinkage`` (breaks, training …)."""
    return math.ceil(agents / (1 - shrinkage) - 1e-9) if agents else 0


def staffing_erlang_c(
    *, arrivals: float, interval_seconds: float, aht_seconds: float, target: float, answer_seconds: float,
    shrinkage: float = 0.0,
) -> Staffing:
    """The fewest agents whose service level reaches ``target`` (e.g. 0.8 answered within 20 s)."""
    load = traffic(arrivals, interval_seconds, aht_seconds)
    if load <= 0:
        return Staffing(0, 0, 1.0, 0.0, 0.0, 0.0, 0.0)
    agents = max(1, math.floor(load) + 1)
    while True:
        service_level, p_wait, asa = erlang_c_measures(agents, load, aht_seconds, answer_seconds)
        if service_level >= target or agents >= MAX_AGENTS:
            break
        agents += 1
    return Staffing(
        agents=agents, positions=positions_for(agents, shrinkage), service_level=round(service_level, 3),
        occupancy=round(load / agents, 3), p_wait=round(p_wait, 3), asa_seconds=round(asa, 1),
        traffic_erlangs=round(load, 3),
    )


def _erlang_a_chain(agents: int, load: float, aht_seconds: float, patience_seconds: float) -> np.ndarray:
    """Stationary probabilities of the number in system of M/M/N+M (log-space, truncated far in the tail)."""
    mu, theta = 1 / aht_seconds, 1 / patience_seconds
    lam = load * mu
    # the queue beyond which the chain's mass is negligible; bounded so that a huge patience stays cheap
    queue_cap = int(min(5000, max(50, 10 * math.sqrt(agents + 1) + lam / theta * 6)))
    size = agents + queue_cap + 1
    n = np.arange(1, size)
    death = np.minimum(n, agents) * mu + np.maximum(n - agents, 0) * theta
    log_p = np.concatenate([[0.0], np.cumsum(np.log(lam) - np.log(death))])
    return np.exp(log_p - logsumexp(log_p))


def erlang_a_measures(
    agents: int, load: float, aht_seconds: float, answer_seconds: float, patience_seconds: float
) -> tuple[float, float, float, float]:
    """(service level, p_wait, ASA seconds, p_abandon) of M/M/N+M; service level counts a caller answered
    within ``answer_seconds`` (callers who abandon are not answered)."""
    mu, theta = 1 / aht_seconds, 1 / patience_seconds
    lam = load * mu
    probs = _erlang_a_chain(agents, load, aht_seconds, patience_seconds)
    waiting = np.arange(probs.size) - agents
    queued = np.clip(waiting, 0, None)
    p_wait = float(probs[agents:].sum())
    mean_queue = float((queued * probs).sum())
    p_abandon = theta * mean_queue / lam
    # A tagged arrival that finds k callers queued ahead: its position falls at rate N·μ + jθ (served
    # ahead or abandoning ahead), it is served from the head at N·μ, it abandons itself at θ.
    tail = np.cumsum(probs[agents:][::-1])[::-1]  # mass at or beyond each queue length
    depth = max(1, int(np.count_nonzero(tail > 1e-9 * max(p_wait, 1e-300))))
    states = depth + 2  # positions 0..depth-1, served, abandoned
    generator = np.zeros((states, states))
    served, gone = depth, depth + 1
    for j in range(depth):
        out_ahead = agents * mu + j * theta
        if j == 0:
            generator[j, served] = agents * mu
        else:
            generator[j, j - 1] = out_ahead
        generator[j, gone] = theta
        generator[j, j] = -(out_ahead + theta)
    transition = expm(generator * answer_seconds)
    arrival_k = probs[agents:agents + depth] / max(p_wait, 1e-300)
    served_in_time = float((arrival_k * transition[:depth, served]).sum())
    service_level = (1 - p_wait) + p_wait * served_in_time
    # Little: mean wait of all arrivals = E[queue] / λ.
    asa = mean_queue / lam
    return service_level, p_wait, asa, p_abandon


def staffing_erlang_a(
    *, arrivals: float, interval_seconds: float, aht_seconds: float, target: float, answer_seconds: float,
    patience_seconds: float, shrinkage: float = 0.0,
) -> Staffing:
    """The fewest agents reaching ``target`` when callers abandon after a mean patience."""
    load = traffic(arrivals, interval_seconds, aht_seconds)
    if load <= 0:
        return Staffing(0, 0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0)
    upper = staffing_erlang_c(arrivals=arrivals, interval_seconds=interval_seconds, aht_seconds=aht_seconds,
                              target=target, answer_seconds=answer_seconds).agents
    low, high = 1, max(1, upper)  # abandonment never needs more agents than Erlang C; bisect (monotone)
    while low < high:
        middle = (low + high) // 2
        if erlang_a_measures(middle, load, aht_seconds, answer_seconds, patience_seconds)[0] >= target:
            high = middle
        else:
            low = middle + 1
    agents = low
    service_level, p_wait, asa, p_abandon = erlang_a_measures(agents, load, aht_seconds, answer_seconds, patience_seconds)
    carried = load * (1 - p_abandon)
    return Staffing(
        agents=agents, positions=positions_for(agents, shrinkage), service_level=round(service_level, 3),
        occupancy=round(carried / agents, 3), p_wait=round(p_wait, 3), asa_seconds=round(asa, 1),
        traffic_erlangs=round(load, 3), p_abandon=round(p_abandon, 3),
    )
