"""Chapter 5 - the psychology of waiting: how long customers wait, and how long it feels.

The module joins the operations side of waiting (queueing theory, staffing) to the
experience side (Maister's principles), so that "add a server" can be compared with
"occupy, inform and be fair" in the same minutes.

==============================  ======================================================
analytic M/M/c (Erlang C)       :func:`offered_load`, :func:`utilization`,
                                :func:`erlang_b`, :func:`erlang_c`, :func:`mean_wait`,
                                :func:`prob_wait_exceeds`, :func:`service_level`,
                                :func:`mean_queue_length`, :func:`required_servers`,
                                :func:`queue_metrics`
simulation                      :func:`simulate_queue` (FCFS, general service times,
                                time-varying arrivals and staffing, abandonment),
                                :func:`simulate_parallel_lines`, :func:`queue_fairness`,
                                :func:`queue_length_path`
perceived waits                 :data:`PRINCIPLES`, :class:`WaitExperience`,
                                :func:`perception_factor`, :func:`perceived_wait`,
                                :func:`only_worse`, :func:`principles_table`
servers vs experience           :func:`queue_design`, :func:`evaluate_design`,
                                :func:`compare_designs`
real data                       :func:`arrival_profile`, :func:`staffing_plan`,
                                :func:`staff_day`, :func:`interval_service_level`
figures                         :func:`plot_wait_distribution`, :func:`plot_staffing_day`,
                                :func:`plot_wait_vs_servers`
==============================  ======================================================

Symbols (docstrings and notebook): arrival rate :math:`\\lambda`, service rate
:math:`\\mu` (1 / mean handle time), servers :math:`c`, offered load
:math:`A=\\lambda/\\mu` (Erlangs), utilisation (occupancy) :math:`\\rho=A/c`, probability
of waiting :math:`C(c, A)`, waiting time in queue :math:`W_q`. Rates and times use one
time unit of the caller's choice (e.g. minutes): a rate per minute goes with times in
minutes.

Randomness is explicit: every simulator takes ``rng``, a :class:`numpy.random.Generator`;
``rng=None`` raises a :class:`TypeError` (no hidden global seed). Importing this module
is quick and changes no global state: numba and matplotlib are imported inside the
functions that need them.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
import pandas as pd

from . import _validate as v

__all__ = [
    "QueueScenario", "queue_scenario", "QueueMetrics", "queue_metrics",
    "offered_load", "utilization", "erlang_b", "erlang_c", "mean_wait", "prob_wait_exceeds",
    "service_level", "mean_queue_length", "required_servers",
    "QueueSimulation", "simulate_queue", "simulate_parallel_lines", "queue_length_path",
    "FairnessResult", "queue_fairness",
    "Principle", "PRINCIPLES", "WaitExperience", "perception_factor", "perceived_wait",
    "principles_table", "only_worse", "compare_designs", "JONES_PEPPIATT_1996", "MUNICHOR_RAFAELI_2007",
    "QueueDesign", "queue_design", "DesignOutcome", "evaluate_design", "DayStaffing", "staff_day",
    "arrival_profile", "staffing_plan", "interval_service_level",
    "plot_wait_distribution", "plot_staffing_day", "plot_wait_vs_servers",
]


# --------------------------------------------------------------------------- records
@dataclass(frozen=True)
class QueueScenario:
    """One M/M/c queue: arrival rate, service rate and servers (rates per time unit).

    Build it with :func:`queue_scenario`, which supplies the defaults used by the
    chapter's static example and by :func:`crmlib.widgets.waiting.explore_queue`.
    """

    arrival_rate: float
    service_rate: float
    servers: int
    time_unit: str = "minute"

    @property
    def handle_time(self) -> float:
        """Mean handle (service) time, 1/μ, in ``time_unit``."""
        return 1.0 / self.service_rate

    @property
    def load(self) -> float:
        """Offered load A = λ/μ in Erlangs."""
        return self.arrival_rate / self.service_rate

    @property
    def utilization(self) -> float:
        """Utilisation ρ = λ/(cμ)."""
        return self.load / self.servers

    @property
    def stable(self) -> bool:
        """True when ρ < 1, so the queue has a steady state (ρ = 1 up to rounding counts as unstable)."""
        return bool(self.utilization < 1 - _STABILITY_TOL)


def queue_scenario(arrival_rate: float = 1.5, handle_time: float = 2.0, servers: int = 4,
                   time_unit: str = "minute") -> QueueScenario:
    """Defaulting constructor of :class:`QueueScenario` (handle time instead of rate).

    The defaults describe a service desk (a bank counter, an exhibition registration
    desk): 1.5 arrivals per minute, a 2-minute mean handle time, 4 servers, so
    A = 3 Erlangs and ρ = 0.75. They are illustrative, not data.

    Parameters
    ----------
    arrival_rate : float
        λ, customers per ``time_unit`` (> 0).
    handle_time : float
        Mean service time 1/μ in ``time_unit`` (> 0).
    servers : int
        Number of servers c (>= 1).
    time_unit : str
        Name of the time unit, for labels.

    Examples
    --------
    >>> s = queue_scenario()
    >>> s.load, s.utilization
    (3.0, 0.75)
    """
    arrival_rate = v.positive("arrival_rate", arrival_rate, unit=f"per {time_unit}")
    handle_time = v.positive("handle_time", handle_time, unit=f"{time_unit}s")
    servers = v.integer("servers", servers, minimum=1)
    return QueueScenario(float(arrival_rate), 1.0 / float(handle_time), int(servers), str(time_unit))


# --------------------------------------------------------------------------- Erlang formulas
def _rates(arrival_rate, service_rate):
    lam = v.positive("arrival_rate", arrival_rate)
    mu = v.positive("service_rate", service_rate)
    return lam, mu


def _servers(servers):
    return v.integer("servers", servers, minimum=1)


def offered_load(arrival_rate, service_rate):
    """Offered load A = λ/μ in Erlangs: the mean number of servers the work keeps busy.

    It is not a staffing level: with exactly A servers the utilisation is ρ = 1, there is
    no spare capacity to absorb random bursts and the queue grows without bound. The
    smallest stable staffing is ⌊A⌋ + 1 servers (see :func:`required_servers`).

    Examples
    --------
    >>> offered_load(200 / 60, 1 / 3)   # 200 calls an hour, 3-minute calls, in minutes
    10.0
    """
    lam, mu = _rates(arrival_rate, service_rate)
    out = np.asarray(lam) / np.asarray(mu)
    return float(np.round(out, 12)) if out.ndim == 0 else np.round(out, 12)


def utilization(arrival_rate, service_rate, servers):
    """Utilisation (occupancy) ρ = λ/(cμ): the long-run share of time a server is busy.

    Examples
    --------
    >>> utilization(9.5, 1.0, 10)
    0.95
    """
    lam, mu = _rates(arrival_rate, service_rate)
    c = _servers(servers)
    out = np.asarray(lam) / (np.asarray(c) * np.asarray(mu))
    return float(out) if out.ndim == 0 else out


def _erlang_b_array(load: np.ndarray, servers: np.ndarray) -> np.ndarray:
    # Erlang B by the recursion B(0)=1, B(k)=A B(k-1) / (k + A B(k-1)); every step is a
    # probability in [0, 1], so it neither overflows nor loses precision for large c.
    load, servers = np.broadcast_arrays(np.asarray(load, float), np.asarray(servers))
    b = np.ones(load.shape)
    top = int(servers.max()) if servers.size else 0
    for k in range(1, top + 1):
        step = load * b / (k + load * b)
        b = np.where(servers >= k, step, b)
    return b


def erlang_b(load, servers):
    """Erlang B: probability that an arrival finds all ``servers`` busy in M/M/c/c (lost calls).

    Computed with the stable recursion :math:`B(0)=1`,
    :math:`B(k)=A\\,B(k-1)/(k+A\\,B(k-1))`, which works for thousands of servers.

    Parameters
    ----------
    load : float or array
        Offered load A in Erlangs (> 0).
    servers : int or array of int
        Number of servers c (>= 1).

    Returns
    -------
    float or ndarray

    References
    ----------
    Cooper, R. B. (1981). *Introduction to Queueing Theory*, 2nd ed. North Holland, ch. 3.

    Examples
    --------
    >>> round(erlang_b(5.0, 10), 6)   # a standard Erlang B table entry: about 1.84%
    0.018385
    """
    a = v.positive("load", load, unit="Erlangs")
    c = _servers(servers)
    out = _erlang_b_array(np.asarray(a), np.asarray(c))
    return float(out) if out.ndim == 0 else out


# ρ within this relative distance of 1 counts as ρ = 1: e.g. 1.2 per minute with a
# 2.5-minute handle time on 3 servers computes as ρ = 0.9999999999999999, still unstable.
_STABILITY_TOL = 1e-12


def _check_stable(lam, mu, c, what="a steady state"):
    rho = np.asarray(lam) / (np.asarray(c) * np.asarray(mu))
    bad = rho >= 1 - _STABILITY_TOL
    if np.any(bad):
        idx = int(np.flatnonzero(np.ravel(bad))[0]) if np.ndim(bad) else 0
        shown = float(np.ravel(rho)[idx])
        raise ValueError(
            f"arrival_rate must be below servers x service_rate for {what} (utilisation < 1); "
            f"got utilisation {shown:.4g}: the queue would grow without bound")


def erlang_c(arrival_rate, service_rate, servers):
    """Erlang C: probability that an arriving customer has to wait in an M/M/c queue.

    .. math:: C(c, A) = \\frac{c\\,B(c, A)}{c - A\\,(1 - B(c, A))},\\qquad A=\\lambda/\\mu

    where B is :func:`erlang_b`; this form is numerically stable for hundreds or
    thousands of servers (no factorials).

    Parameters
    ----------
    arrival_rate : float or array
        λ, arrivals per time unit (> 0).
    service_rate : float or array
        μ, services per server per time unit (> 0); 1/μ is the mean handle time.
    servers : int or array of int
        c >= 1. Needs λ < cμ (utilisation below 1).

    Returns
    -------
    float or ndarray
        Probability of waiting, in [0, 1].

    Raises
    ------
    ValueError
        For non-positive rates, servers < 1, or utilisation >= 1.

    References
    ----------
    Cooper, R. B. (1981). *Introduction to Queueing Theory*, 2nd ed., ch. 3.
    Gans, N., Koole, G. & Mandelbaum, A. (2003). Telephone call centers: tutorial,
    review, and research prospects. *Manufacturing & Service Operations Management* 5(2), 79-141.

    Examples
    --------
    >>> round(erlang_c(0.9, 1.0, 1), 6)   # M/M/1: P(wait) = ρ
    0.9
    >>> round(erlang_c(200 / 60, 1 / 3, 11), 4)   # 10 Erlangs, 11 agents
    0.6821
    """
    lam, mu = _rates(arrival_rate, service_rate)
    c = _servers(servers)
    _check_stable(lam, mu, c)
    a = np.asarray(lam) / np.asarray(mu)
    b = _erlang_b_array(a, np.asarray(c))
    out = np.asarray(c) * b / (np.asarray(c) - a * (1 - b))
    return float(out) if out.ndim == 0 else out


def mean_wait(arrival_rate, service_rate, servers):
    """Mean waiting time in queue of an M/M/c queue, :math:`W_q = C(c,A)/(c\\mu-\\lambda)`.

    In the same time unit as the rates (the average speed of answer, ASA, of a call
    centre). See :func:`erlang_c` for parameters and references.

    Examples
    --------
    >>> round(mean_wait(0.9, 1.0, 1), 6)   # M/M/1: ρ/(μ-λ) = 9
    9.0
    """
    lam, mu = _rates(arrival_rate, service_rate)
    c = _servers(servers)
    p = erlang_c(lam, mu, c)
    out = np.asarray(p) / (np.asarray(c) * np.asarray(mu) - np.asarray(lam))
    return float(out) if out.ndim == 0 else out


def mean_queue_length(arrival_rate, service_rate, servers):
    """Mean number waiting, :math:`L_q = \\lambda W_q` (Little's law; Little 1961).

    Examples
    --------
    >>> round(mean_queue_length(0.9, 1.0, 1), 6)   # M/M/1: ρ²/(1-ρ)
    8.1
    """
    lam, _ = _rates(arrival_rate, service_rate)
    out = np.asarray(lam) * np.asarray(mean_wait(arrival_rate, service_rate, servers))
    return float(out) if out.ndim == 0 else out


def prob_wait_exceeds(arrival_rate, service_rate, servers, t):
    """P(W_q > t) = C(c, A) exp(-(cμ - λ) t) for an M/M/c queue (FCFS).

    Parameters
    ----------
    t : float or array
        Waiting time threshold (>= 0), in the rates' time unit.

    References
    ----------
    Gans, Koole & Mandelbaum (2003), section 4.1; Cooper (1981), ch. 3.

    Examples
    --------
    >>> round(prob_wait_exceeds(0.9, 1.0, 1, 0.0), 6)
    0.9
    """
    lam, mu = _rates(arrival_rate, service_rate)
    c = _servers(servers)
    t = v.non_negative("t", t)
    p = np.asarray(erlang_c(lam, mu, c))
    out = p * np.exp(-(np.asarray(c) * np.asarray(mu) - np.asarray(lam)) * np.asarray(t))
    return float(out) if out.ndim == 0 else out


def service_level(arrival_rate, service_rate, servers, target_time):
    """Service level: share of customers whose wait is at most ``target_time`` (M/M/c).

    .. math:: SL(t) = 1 - C(c, A)\\,e^{-(c\\mu-\\lambda)t}

    Parameters
    ----------
    arrival_rate, service_rate : float or array
        λ and μ per time unit (> 0).
    servers : int or array of int
        c >= 1, with λ < cμ.
    target_time : float or array
        The answer-time target t (>= 0), e.g. 20 seconds = 1/3 minute.

    Returns
    -------
    float or ndarray in [0, 1]

    References
    ----------
    Gans, Koole & Mandelbaum (2003); Cooper (1981).

    Examples
    --------
    >>> round(service_level(200 / 60, 1 / 3, 14, 20 / 60), 3)   # 10 Erlangs, 14 agents, 20 s
    0.888
    """
    lam, mu = _rates(arrival_rate, service_rate)
    c = _servers(servers)
    t = v.non_negative("target_time", target_time)
    out = 1.0 - np.asarray(prob_wait_exceeds(lam, mu, c, t))
    return float(out) if out.ndim == 0 else out


def required_servers(arrival_rate, service_rate, target_time, target_level, *, max_servers: int = 100_000):
    """Smallest number of servers whose M/M/c service level reaches ``target_level``.

    Starts at the smallest stable staffing ⌊A⌋+1 and adds one server at a time,
    updating Erlang B by its recursion, so it is exact and fast for thousands of servers.

    Parameters
    ----------
    arrival_rate, service_rate : float
        λ and μ per time unit (> 0).
    target_time : float
        Answer-time target t (>= 0) in the same time unit.
    target_level : float
        Required share answered within ``target_time``, in (0, 1).
    max_servers : int
        Search limit.

    Returns
    -------
    int

    References
    ----------
    Gans, Koole & Mandelbaum (2003), section 4.1 (staffing by Erlang C).

    Examples
    --------
    >>> required_servers(200 / 60, 1 / 3, 20 / 60, 0.8)   # 10 Erlangs, 3-min calls, 80/20
    14
    """
    lam = float(v.positive("arrival_rate", arrival_rate))
    mu = float(v.positive("service_rate", service_rate))
    t = float(v.non_negative("target_time", target_time))
    level = float(v.in_range("target_level", target_level, 0, 1, low_open=True, high_open=True))
    max_servers = v.integer("max_servers", max_servers, minimum=1)
    a = lam / mu
    b = 1.0
    k = 0
    while True:
        k += 1
        if k > max_servers:
            raise ValueError(f"max_servers={max_servers} is too small for load {a:.4g} Erlangs "
                             f"and target_level {level}")
        b = a * b / (k + a * b)
        if k <= a * (1 + _STABILITY_TOL):        # k <= A: no steady state
            continue
        c_prob = k * b / (k - a * (1 - b))
        sl = 1.0 - c_prob * math.exp(-(k * mu - lam) * t)
        if sl >= level:
            return k


@dataclass(frozen=True)
class QueueMetrics:
    """Steady-state measures of one M/M/c scenario (times in the scenario's unit)."""

    arrival_rate: float
    service_rate: float
    servers: int
    target_time: float
    load: float
    utilization: float
    prob_wait: float
    mean_wait: float
    mean_queue_length: float
    service_level: float

    @property
    def params(self) -> pd.Series:
        """All measures as a labelled Series."""
        return pd.Series({k: getattr(self, k) for k in self.__dataclass_fields__}, name="M/M/c")

    def summary(self) -> pd.DataFrame:
        """The measures as a one-column table, rounded to 4 decimals."""
        return self.params.round(4).to_frame("value")

    def __repr__(self) -> str:
        return (f"QueueMetrics(c={self.servers}, A={self.load:.4g} Erlangs, rho={self.utilization:.4f}, "
                f"P(wait)={self.prob_wait:.4f}, Wq={self.mean_wait:.4g}, Lq={self.mean_queue_length:.4g}, "
                f"SL({self.target_time:g})={self.service_level:.4f})")


def queue_metrics(scenario: QueueScenario, target_time: float = 0.5) -> QueueMetrics:
    """All steady-state M/M/c measures of ``scenario`` in one record.

    Examples
    --------
    >>> queue_metrics(queue_scenario(), target_time=0.5)
    QueueMetrics(c=4, A=3 Erlangs, rho=0.7500, P(wait)=0.5094, Wq=1.019, Lq=1.528, SL(0.5)=0.6033)
    """
    if not isinstance(scenario, QueueScenario):
        raise TypeError(f"scenario must be a QueueScenario (see queue_scenario()); got {type(scenario).__name__}")
    s = scenario
    return QueueMetrics(
        s.arrival_rate, s.service_rate, s.servers, float(v.non_negative("target_time", target_time)),
        s.load, s.utilization, erlang_c(s.arrival_rate, s.service_rate, s.servers),
        mean_wait(s.arrival_rate, s.service_rate, s.servers),
        mean_queue_length(s.arrival_rate, s.service_rate, s.servers),
        service_level(s.arrival_rate, s.service_rate, s.servers, target_time))


# --------------------------------------------------------------------------- simulation kernels
@lru_cache(maxsize=1)
def _kernels():
    """Compile (or load from numba's cache) the simulation loops; imported lazily."""
    import numba

    @numba.njit(cache=True)
    def fcfs_constant(arrival, service, patience, servers):
        n = arrival.shape[0]
        free = np.zeros(servers)
        start = np.empty(n)
        end = np.empty(n)
        wait = np.empty(n)
        server = np.empty(n, np.int64)
        abandoned = np.zeros(n, np.bool_)
        last_start = 0.0
        for i in range(n):
            # the server that frees first (linear scan: fastest for tens of servers)
            k = 0
            best = free[0]
            for j in range(1, servers):
                if free[j] < best:
                    best = free[j]
                    k = j
            a = arrival[i]
            s = best if best > a else a
            if s < last_start:
                s = last_start
            if s - a > patience[i]:
                abandoned[i] = True
                wait[i] = patience[i]
                start[i] = np.nan
                end[i] = np.nan
                server[i] = -1
                continue
            start[i] = s
            wait[i] = s - a
            end[i] = s + service[i]
            free[k] = end[i]
            server[i] = k
            last_start = s
        return start, end, wait, server, abandoned

    @numba.njit(cache=True)
    def fcfs_staffed(arrival, service, patience, staff, interval):
        # staff[j] servers are on duty in [j*interval, (j+1)*interval); server k may start
        # a service only while on duty (k < staff[j]) and always finishes it.
        n = arrival.shape[0]
        m = staff.shape[0]
        top = 0
        for j in range(m):
            if staff[j] > top:
                top = staff[j]
        # next_on[i, j]: first interval >= i in which server j is on duty (m if none)
        next_on = np.empty((m, top), np.int64)
        for j in range(top):
            nxt = m
            for i in range(m - 1, -1, -1):
                if staff[i] > j:
                    nxt = i
                next_on[i, j] = nxt
        free = np.zeros(top)
        start = np.empty(n)
        end = np.empty(n)
        wait = np.empty(n)
        server = np.empty(n, np.int64)
        abandoned = np.zeros(n, np.bool_)
        last_start = 0.0
        for i in range(n):
            a = arrival[i]
            best = np.inf
            k = -1
            for j in range(top):
                t = free[j] if free[j] > a else a
                if t < last_start:
                    t = last_start
                idx = int(t // interval)
                if idx >= m:
                    # after the plan, staffing stays at the last interval's level
                    if staff[m - 1] <= j:
                        continue
                else:
                    nxt = next_on[idx, j]
                    if nxt >= m:
                        if staff[m - 1] <= j:
                            continue
                        nxt = m - 1
                    if nxt > idx:
                        t = nxt * interval
                if t < best:
                    best = t
                    k = j
                    if t <= a or t <= last_start:
                        break           # nobody can start earlier than this
            if k < 0 or best - a > patience[i]:
                abandoned[i] = True
                wait[i] = patience[i] if k >= 0 or np.isfinite(patience[i]) else np.inf
                start[i] = np.nan
                end[i] = np.nan
                server[i] = -1
                continue
            start[i] = best
            wait[i] = best - a
            end[i] = best + service[i]
            free[k] = end[i]
            server[i] = k
            last_start = best
        return start, end, wait, server, abandoned

    @numba.njit(cache=True)
    def parallel_lines(arrival, service, servers, choose_shortest, tiebreak):
        # one line per server, customers join on arrival and never switch (no jockeying)
        n = arrival.shape[0]
        ends = np.empty((servers, n))
        count = np.zeros(servers, np.int64)
        done = np.zeros(servers, np.int64)
        free = np.zeros(servers)
        start = np.empty(n)
        end = np.empty(n)
        line = np.empty(n, np.int64)
        for i in range(n):
            a = arrival[i]
            for k in range(servers):
                while done[k] < count[k] and ends[k, done[k]] <= a:
                    done[k] += 1
            if choose_shortest:
                best = count[0] - done[0]
                k = 0
                # ties are broken by a random offset so no line is favoured
                off = tiebreak[i]
                for r in range(servers):
                    j = (r + off) % servers
                    q = count[j] - done[j]
                    if q < best or (q == best and r == 0):
                        best = q
                        k = j
            else:
                k = tiebreak[i]
            s = free[k] if free[k] > a else a
            start[i] = s
            end[i] = s + service[i]
            free[k] = end[i]
            ends[k, count[k]] = end[i]
            count[k] += 1
            line[i] = k
        return start, end, line

    @numba.njit(cache=True)
    def slips_skips(rank):
        # rank[i]: position of customer i (arrival order) in service order.
        # slips[i] = later arrivals served before i; skips[i] = earlier arrivals served after i.
        n = rank.shape[0]
        tree = np.zeros(n + 1, np.int64)
        slips = np.zeros(n, np.int64)
        skips = np.zeros(n, np.int64)
        for i in range(n):
            # earlier arrivals served before i
            r = rank[i]
            s = 0
            x = r
            while x > 0:
                s += tree[x]
                x -= x & (-x)
            skips[i] = i - s
            x = r + 1
            while x <= n:
                tree[x] += 1
                x += x & (-x)
        # slips: later arrivals with a smaller rank = (rank[i]) - (earlier arrivals served before i)
        for i in range(n):
            slips[i] = rank[i] - (i - skips[i])
        return slips, skips

    return fcfs_constant, fcfs_staffed, parallel_lines, slips_skips


def _draw_times(spec, mean: float, n: int, rng: np.random.Generator, name: str) -> np.ndarray:
    """Service or patience times from a spec: 'exponential', 'deterministic',
    ('gamma', cv), ('lognormal', cv) or a callable ``f(rng, size)``."""
    if spec is None or spec == "exponential":
        return rng.exponential(mean, n)
    if spec == "deterministic":
        return np.full(n, mean)
    if callable(spec):
        out = np.asarray(spec(rng, n), dtype=float)
        if out.shape != (n,):
            raise ValueError(f"{name} callable must return {n} values for size={n}; got shape {out.shape}")
        if not np.all(np.isfinite(out)) or np.any(out < 0):
            raise ValueError(f"{name} callable must return finite non-negative times")
        return out
    if isinstance(spec, tuple) and len(spec) == 2 and spec[0] in ("gamma", "lognormal"):
        cv = float(v.positive(f"{name} coefficient of variation", spec[1]))
        if spec[0] == "gamma":
            shape = 1.0 / cv**2
            return rng.gamma(shape, mean / shape, n)
        sigma2 = math.log1p(cv**2)
        return rng.lognormal(math.log(mean) - sigma2 / 2, math.sqrt(sigma2), n)
    raise ValueError(f"{name} must be 'exponential', 'deterministic', ('gamma', cv), ('lognormal', cv) "
                     f"or a callable f(rng, size); got {spec!r}")


def _nhpp_arrivals(rates: np.ndarray, interval: float, rng: np.random.Generator) -> np.ndarray:
    """Arrival times of a non-homogeneous Poisson process with piecewise-constant rates,
    by thinning (Lewis & Shedler 1979): simulate at the peak rate, keep each point with
    probability rate(t)/peak."""
    peak = float(rates.max())
    horizon = interval * rates.size
    if peak == 0:
        return np.empty(0)
    expected = peak * horizon
    if expected > 5e7:
        raise ValueError(f"arrival_rate profile x interval_length gives about {expected:.3g} candidate arrivals; "
                         f"the limit is 5e7 (check the time unit of interval_length)")
    n = rng.poisson(expected)
    t = np.sort(rng.uniform(0.0, horizon, n))
    idx = np.minimum((t // interval).astype(np.int64), rates.size - 1)
    keep = rng.uniform(0.0, 1.0, n) * peak < rates[idx]
    return t[keep]


@dataclass(frozen=True, repr=False, eq=False)
class QueueSimulation:
    """Per-customer record of one simulated queue, in arrival order (read-only arrays).

    Attributes
    ----------
    arrival, start, end, wait : ndarray
        Arrival time, service start, service end and waiting time in queue of every
        customer (time unit of the rates). Abandoned customers have ``start`` and
        ``end`` NaN and ``wait`` equal to the time they waited before leaving.
    abandoned : ndarray of bool
    server : ndarray of int
        Server (or line) that served the customer, -1 if abandoned.
    servers : int or ndarray
        Number of servers (constant) or staffing per interval.
    horizon : float
        End of the arrival window (last arrival for a constant rate).
    discipline : str
        'FCFS single line' or 'parallel lines (...)'.
    """

    arrival: np.ndarray
    start: np.ndarray
    end: np.ndarray
    wait: np.ndarray
    abandoned: np.ndarray
    server: np.ndarray
    servers: object
    horizon: float
    discipline: str = "FCFS single line"
    inputs: dict = field(default_factory=dict)

    def __post_init__(self):
        for name in ("arrival", "start", "end", "wait", "abandoned", "server"):
            getattr(self, name).flags.writeable = False

    @property
    def n_customers(self) -> int:
        return int(self.arrival.size)

    def __len__(self) -> int:
        return self.n_customers

    @property
    def served(self) -> np.ndarray:
        return ~self.abandoned

    def mean_wait(self) -> float:
        """Mean waiting time of the customers who were served."""
        return float(self.wait[self.served].mean()) if self.served.any() else float("nan")

    def prob_wait(self) -> float:
        """Share of served customers who waited a positive time."""
        return float((self.wait[self.served] > 0).mean()) if self.served.any() else float("nan")

    def abandonment_rate(self) -> float:
        return float(self.abandoned.mean()) if self.n_customers else float("nan")

    def service_level(self, target_time: float) -> float:
        """Share of all arrivals answered within ``target_time`` (abandoned count as failures)."""
        t = float(v.non_negative("target_time", target_time))
        return float((self.served & (self.wait <= t)).mean()) if self.n_customers else float("nan")

    def frame(self) -> pd.DataFrame:
        """The per-customer record as a DataFrame."""
        return pd.DataFrame({"arrival": self.arrival, "start": self.start, "end": self.end,
                             "wait": self.wait, "abandoned": self.abandoned, "server": self.server})

    @property
    def params(self) -> pd.Series:
        s = pd.Series({"customers": float(self.n_customers), "mean_wait": self.mean_wait(),
                       "prob_wait": self.prob_wait(), "abandonment_rate": self.abandonment_rate()})
        return s

    def summary(self) -> pd.DataFrame:
        return self.params.round(4).to_frame("value")

    def __repr__(self) -> str:
        return (f"QueueSimulation({self.discipline}, customers={self.n_customers}, "
                f"mean_wait={self.mean_wait():.4g}, prob_wait={self.prob_wait():.4f}, "
                f"abandoned={self.abandonment_rate():.4f})")


def simulate_queue(arrival_rate, service_rate, servers, n_customers=None, rng=None, *,
                   service="exponential", patience=None, interval_length: float = 1.0) -> QueueSimulation:
    """Simulate a first-come-first-served multi-server queue, customer by customer.

    Each customer, in arrival order, is served by the server that can start earliest
    (one shared line, FCFS); the loop is compiled with numba (imported on first call and
    cached on disk), so a million customers take a fraction of a second.

    Parameters
    ----------
    arrival_rate : float or 1-d array
        λ per time unit. A scalar gives a Poisson process. An array is a **rate profile**:
        rate ``arrival_rate[j]`` holds on ``[j, j+1) * interval_length``; arrivals then
        follow a non-homogeneous Poisson process generated by thinning (Lewis & Shedler
        1979) over the whole profile.
    service_rate : float
        μ, so the mean service time is 1/μ (> 0).
    servers : int or 1-d array of int
        c, or a staffing level per interval of ``interval_length`` (same length as the
        rate profile, or any length with a scalar rate). A server that goes off duty
        finishes its current customer; after the last interval staffing stays at the
        last value.
    n_customers : int or None
        Number of arrivals with a scalar rate (>= 1). With a rate profile leave it
        None (all arrivals of the profile) or give a cap.
    rng : numpy.random.Generator
        Required; ``None`` raises TypeError (randomness is always explicit).
    service : str, tuple or callable
        Service-time distribution with mean 1/μ: ``'exponential'`` (M/M/c),
        ``'deterministic'``, ``('gamma', cv)`` or ``('lognormal', cv)`` with coefficient
        of variation cv, or a callable ``f(rng, size)`` returning the times.
    patience : None, float or callable
        None: nobody abandons. A number: exponential patience with that mean (M/M/c+M,
        "Erlang A"). A callable ``f(rng, size)``: patience times. A customer whose wait
        would exceed the patience leaves at that moment.
    interval_length : float
        Length of one profile / staffing interval (> 0).

    Returns
    -------
    QueueSimulation
        ``.wait`` holds every customer's waiting time in arrival order.

    Raises
    ------
    TypeError
        If ``rng`` is not a numpy Generator.
    ValueError
        For non-positive rates or servers, an empty rate profile, a missing
        ``n_customers`` with a scalar rate, or a bad distribution spec.

    References
    ----------
    Lewis, P. A. W. & Shedler, G. S. (1979). Simulation of nonhomogeneous Poisson
    processes by thinning. *Naval Research Logistics Quarterly* 26(3), 403-413.
    Garnett, O., Mandelbaum, A. & Reiman, M. (2002). Designing a call center with
    impatient customers. *M&SOM* 4(3), 208-227.

    Examples
    --------
    >>> import numpy as np
    >>> sim = simulate_queue(3.0, 1.0, 4, 200_000, rng=np.random.default_rng(0))
    >>> round(sim.mean_wait(), 2), round(mean_wait(3.0, 1.0, 4), 2)
    (0.51, 0.51)
    """
    v.rng("rng", rng)
    mu = float(v.positive("service_rate", service_rate))
    interval_length = float(v.positive("interval_length", interval_length))
    rate_arr = np.asarray(arrival_rate, dtype=float) if not np.isscalar(arrival_rate) else None
    if rate_arr is not None and rate_arr.ndim == 0:
        rate_arr = None
    if rate_arr is None:
        lam = float(v.positive("arrival_rate", arrival_rate))
        if n_customers is None:
            raise ValueError("n_customers must be given (a whole number >= 1) when arrival_rate is a single rate")
        n = v.integer("n_customers", n_customers, minimum=1)
        arrival = np.cumsum(rng.exponential(1.0 / lam, n))
        horizon = float(arrival[-1])
    else:
        if rate_arr.ndim != 1 or rate_arr.size == 0:
            raise ValueError(f"arrival_rate as a rate profile must be a non-empty 1-d array; got shape {rate_arr.shape}")
        rates = v.non_negative("arrival_rate", rate_arr)
        if rates.max() <= 0:
            raise ValueError("arrival_rate profile must have at least one positive rate; got all zeros")
        arrival = _nhpp_arrivals(rates, interval_length, rng)
        if n_customers is not None:
            arrival = arrival[: v.integer("n_customers", n_customers, minimum=1)]
        horizon = interval_length * rates.size
        n = arrival.size
    service_times = _draw_times(service, 1.0 / mu, n, rng, "service")
    if patience is None:
        pat = np.full(n, np.inf)
    elif callable(patience):
        pat = _draw_times(patience, 1.0, n, rng, "patience")
    else:
        pat = rng.exponential(float(v.positive("patience", patience)), n)
    fcfs_constant, fcfs_staffed, _, _ = _kernels()
    if np.ndim(servers) == 0:
        c = v.integer("servers", servers, minimum=1)
        start, end, wait, server, abandoned = fcfs_constant(arrival, service_times, pat, c)
        servers_out = c
    else:
        staff = np.asarray(v.integer("servers", np.asarray(servers), minimum=0), dtype=np.int64)
        if staff.ndim != 1 or staff.size == 0 or staff.max() < 1:
            raise ValueError(f"servers as a staffing plan must be a non-empty 1-d array with at least one "
                             f"server on duty; got {staff!r}")
        start, end, wait, server, abandoned = fcfs_staffed(arrival, service_times, pat, staff, interval_length)
        servers_out = staff
    return QueueSimulation(arrival, start, end, wait, abandoned, server, servers_out, horizon,
                           inputs={"service_rate": mu, "interval_length": interval_length})


def simulate_parallel_lines(arrival_rate, service_rate, servers, n_customers, rng=None, *,
                            choice: str = "shortest", service="exponential") -> QueueSimulation:
    """Simulate ``servers`` separate lines (one per server), as at supermarket checkouts.

    Each arrival joins a line and stays in it (no jockeying): the shortest line
    (``choice='shortest'``, ties broken at random) or a random line
    (``choice='random'``). Within a line service is FCFS. Compare with
    :func:`simulate_queue` (one shared line) using :func:`queue_fairness`.

    Parameters are as in :func:`simulate_queue` (scalar arrival rate, constant servers).

    References
    ----------
    Larson, R. C. (1987). Perspectives on queues: social justice and the psychology of
    queueing. *Operations Research* 35(6), 895-905.
    Rothkopf, M. H. & Rech, P. (1987). Perspectives on queues: combining queues is not
    always beneficial. *Operations Research* 35(6), 906-909.

    Examples
    --------
    >>> import numpy as np
    >>> sim = simulate_parallel_lines(3.0, 1.0, 4, 5000, rng=np.random.default_rng(3))
    >>> sim.discipline
    'parallel lines (shortest)'
    """
    v.rng("rng", rng)
    lam = float(v.positive("arrival_rate", arrival_rate))
    mu = float(v.positive("service_rate", service_rate))
    c = v.integer("servers", servers, minimum=1)
    n = v.integer("n_customers", n_customers, minimum=1)
    v.one_of("choice", choice, ["shortest", "random"])
    arrival = np.cumsum(rng.exponential(1.0 / lam, n))
    service_times = _draw_times(service, 1.0 / mu, n, rng, "service")
    tiebreak = rng.integers(0, c, n)
    _, _, lines, _ = _kernels()
    start, end, line = lines(arrival, service_times, c, choice == "shortest", tiebreak)
    return QueueSimulation(arrival, start, end, start - arrival, np.zeros(n, bool), line, c,
                           float(arrival[-1]), discipline=f"parallel lines ({choice})",
                           inputs={"service_rate": mu})


@dataclass(frozen=True)
class FairnessResult:
    """Larson's (1987) fairness measures of a simulated queue.

    A customer *slips* past an earlier arrival who is served later, and is *skipped*
    (Larson: is "slipped") when a later arrival is served first. Under strict FCFS in
    one line both are zero.
    """

    discipline: str
    customers: int
    share_slipped: float     # customers overtaken by at least one later arrival
    mean_slips: float        # mean number of later arrivals served first, per customer
    share_skipping: float    # customers who overtake at least one earlier arrival
    mean_wait: float
    sd_wait: float

    @property
    def params(self) -> pd.Series:
        return pd.Series({k: getattr(self, k) for k in ("customers", "share_slipped", "mean_slips",
                                                        "share_skipping", "mean_wait", "sd_wait")},
                         name=self.discipline, dtype=float)

    def summary(self) -> pd.DataFrame:
        return self.params.round(4).to_frame(self.discipline)

    def __repr__(self) -> str:
        return (f"FairnessResult({self.discipline}: slipped={self.share_slipped:.3f}, "
                f"mean_slips={self.mean_slips:.3f}, skipping={self.share_skipping:.3f}, "
                f"mean_wait={self.mean_wait:.3f}, sd_wait={self.sd_wait:.3f})")


def queue_fairness(sim: QueueSimulation) -> FairnessResult:
    """Count Larson's "slips and skips" in a simulated queue (served customers only).

    For each customer, a *slip* is a later arrival who starts service earlier, and a
    *skip* an earlier arrival who starts later; counted in O(n log n) with a Fenwick tree.

    References
    ----------
    Larson, R. C. (1987). Perspectives on queues: social justice and the psychology of
    queueing. *Operations Research* 35(6), 895-905.

    Examples
    --------
    >>> import numpy as np
    >>> one = simulate_queue(3.0, 1.0, 4, 5000, rng=np.random.default_rng(3))
    >>> queue_fairness(one).share_slipped
    0.0
    """
    if not isinstance(sim, QueueSimulation):
        raise TypeError(f"sim must be a QueueSimulation; got {type(sim).__name__}")
    served = sim.served
    start = sim.start[served]
    if start.size == 0:
        raise ValueError("sim has no served customers to compare")
    order = np.argsort(start, kind="stable")
    rank = np.empty(start.size, np.int64)
    rank[order] = np.arange(start.size)
    _, _, _, slips_skips = _kernels()
    slips, skips = slips_skips(rank)
    w = sim.wait[served]
    return FairnessResult(sim.discipline, int(start.size), float((slips > 0).mean()), float(slips.mean()),
                          float((skips > 0).mean()), float(w.mean()), float(w.std()))


def queue_length_path(sim: QueueSimulation):
    """Number of customers waiting over time, as a step function.

    Returns ``(times, counts)``: ``counts[i]`` waiting on ``[times[i], times[i+1])``.
    Built by sweeping arrival and leave-the-queue events, independently of ``wait``,
    so that Little's law :math:`L_q=\\lambda W_q` can be checked on a sample path.

    Examples
    --------
    >>> import numpy as np
    >>> sim = simulate_queue(2.0, 1.0, 3, 1000, rng=np.random.default_rng(0))
    >>> t, q = queue_length_path(sim)
    >>> int(q.min()) >= 0
    True
    """
    if not isinstance(sim, QueueSimulation):
        raise TypeError(f"sim must be a QueueSimulation; got {type(sim).__name__}")
    leave = np.where(sim.abandoned, sim.arrival + sim.wait, sim.start)
    times = np.concatenate([sim.arrival, leave])
    steps = np.concatenate([np.ones(sim.n_customers), -np.ones(sim.n_customers)])
    # at equal times joining comes first, so a customer served on arrival never makes
    # the count negative
    order = np.lexsort((-steps, times))
    return times[order], np.cumsum(steps[order])


# --------------------------------------------------------------------------- perceived waits
@dataclass(frozen=True)
class Principle:
    """One principle of the psychology of waiting, as a multiplicative adjustment.

    ``factor`` multiplies the perceived/actual ratio when the wait is in the *worse*
    state named by ``worse`` (e.g. unoccupied). ``evidence`` says where the number comes
    from:

    * ``'illustrative assumption'``: a value chosen for teaching, which the user can
      change; never a finding;
    * ``'proxy: one study's overall ratio'``: a measured number that is *not* a
      measurement of this principle. The occupied/unoccupied factor is Jones & Peppiatt's
      (1996) overall perceived/actual ratio in one food outlet, borrowed as a stand-in.

    No factor is a measured effect of its own principle; ``basis`` says what is known.
    ``chinese`` states the principle, and ``worse_chinese`` / ``better_chinese`` name its
    two states, in the course slides' wording (e.g. 无所适事 / 有事可干).
    """

    key: str
    english: str
    chinese: str
    source: str
    worse: str
    better: str
    factor: float
    evidence: str
    basis: str
    example: str
    worse_chinese: str = ""
    better_chinese: str = ""


_ILL = "illustrative assumption"
_PROXY = "proxy: one study's overall ratio"

#: The ten principles (Maister 1985; Davis & Heineke 1994; Jones & Peppiatt 1996), with the
#: Chinese wording of the course slides (Maister's eight plus the two later additions).
PRINCIPLES: tuple[Principle, ...] = (
    Principle("occupied", "Unoccupied time feels longer than occupied time", "无所适事的等待比有事可干的等待感觉更长",
              "Maister (1985); factor borrowed from Jones & Peppiatt (1996)", "unoccupied", "occupied", 1.40, _PROXY,
              "Jones & Peppiatt (1996) timed customers queueing in one small UK food outlet: their judged waits "
              "averaged 221 s against 158 s on the clock, a ratio of 1.40 over the whole sample. That is an overall "
              "over-estimate of waiting time, not a measured contrast between occupied and unoccupied customers; "
              "the model borrows it as a stand-in (proxy) for the unoccupied factor. Larson (quoted in 2012) puts "
              "the over-estimate of people doing nothing in a line at about 36%, a press quotation, not a "
              "controlled comparison either.",
              "Restaurant: hand out menus while guests wait for a table.", "无所适事", "有事可干"),
    Principle("in_process", "Pre-process and post-process waits feel longer than in-process waits",
              "过程前、过程后的等待比过程中的等待感觉更长",
              "Maister (1985)", "pre- or post-process", "in-process", 1.20, _ILL,
              "No effect size in the sources used here. One factor covers both the wait before the service "
              "starts and the wait after it ends.",
              "Exhibition: scan badges and give the catalogue while visitors queue to enter; send the exit "
              "shuttles as soon as they fill.", "过程前、过程后", "过程中"),
    Principle("anxiety", "Anxiety makes waits seem longer", "焦虑使等待显得比实际更长",
              "Maister (1985)", "anxious", "calm", 1.25, _ILL,
              "No effect size in the sources used here.",
              "Bank: a customer unsure whether she chose the right counter line.", "焦虑", "不焦虑"),
    Principle("known", "Uncertain waits are longer than known, finite waits", "不确定的等待比已知的、有限的等待更长",
              "Maister (1985)", "uncertain", "known", 1.20, _ILL,
              "Munichor & Rafaeli (2007) found that telling callers their queue position cut hang-ups "
              "(about 70% with music only vs 36%) but worked through a sense of progress, not through "
              "perceived duration; so the time factor here is an assumption.",
              "Call centre: announce the expected wait or the caller's position in the queue.",
              "不确定", "已知的、有限的"),
    Principle("explained", "Unexplained waits are longer than explained waits", "没有说明理由的等待比说明了理由的等待更长",
              "Maister (1985)", "unexplained", "explained", 1.15, _ILL,
              "No effect size in the sources used here; apologies alone did not reduce hang-ups in "
              "Munichor & Rafaeli (2007).",
              "Airline / exhibition shuttle: say why the delay happens.", "没有说明理由", "说明了理由"),
    Principle("fair", "Unfair waits are longer than equitable waits", "不公平的等待比平等的等待更长",
              "Maister (1985); Larson (1987)", "unfair", "fair", 1.30, _ILL,
              "Larson (1987) shows customers mind 'slips and skips'; no time multiplier is measured.",
              "Bank: one serpentine line instead of a line per counter.", "不公平", "平等"),
    Principle("valuable", "The more valuable the service, the longer people will wait", "服务的价值越高，人们愿意等待的时间越长",
              "Maister (1985)", "low value", "high value", 1.20, _ILL,
              "A tolerance effect, expressed here as equivalent extra perceived time.",
              "Exhibition: visitors queue long for a famous keynote, not for the cloakroom.",
              "服务价值低", "服务价值高"),
    Principle("group", "Solo waits feel longer than group waits", "单个人等待比许多人一起等待感觉更长",
              "Maister (1985)", "solo", "group", 1.10, _ILL,
              "Tested by Jones & Peppiatt (1996); no multiplier is taken from it here.",
              "Restaurant: a family waiting together chats; a lone diner watches the clock.",
              "单个人等待", "许多人一起等待"),
    Principle("comfortable", "Uncomfortable waits feel longer than comfortable waits", "令人身体不舒适的等待比舒适的等待感觉更长",
              "Davis & Heineke (1994)", "uncomfortable", "comfortable", 1.15, _ILL,
              "No effect size in the sources used here.",
              "Exhibition: shade, seats and water for a queue in the sun.", "令人身体不舒适", "舒适"),
    Principle("familiar", "Unfamiliar waits feel longer than familiar waits", "不熟悉的等待比熟悉的等待更长",
              "Jones & Peppiatt (1996)", "unfamiliar", "familiar", 1.10, _ILL,
              "Jones & Peppiatt (1996) compared new and frequent users; no multiplier is taken from it here.",
              "Bank: first-time visitors do not know the steps; regulars do.", "不熟悉", "熟悉"),
)

_PRINCIPLE_KEYS = tuple(p.key for p in PRINCIPLES)

#: Jones & Peppiatt (1996), whole sample: mean actual and perceived wait in seconds.
JONES_PEPPIATT_1996 = {"actual_seconds": 158.0, "perceived_seconds": 221.0, "ratio": 221.0 / 158.0}

#: Munichor & Rafaeli (2007), study 1 (123 real calls, a wait of about 108 s as reported in
#: the APA Monitor summary): share of callers who hung up, by waiting-time filler.
MUNICHOR_RAFAELI_2007 = {"music only": 0.70, "music + apologies": 0.67, "music + queue position": 0.36}


@dataclass(frozen=True)
class WaitExperience:
    """How a wait is designed: one flag per principle, True = the *better* state.

    The defaults describe an unmanaged wait (every flag False): unoccupied,
    pre- or post-process, anxious, uncertain, unexplained, unfair, low value, solo,
    uncomfortable, unfamiliar.
    """

    occupied: bool = False
    in_process: bool = False    # True = in-process; False = before the service starts or after it ends
    anxiety: bool = False       # True = calm
    known: bool = False
    explained: bool = False
    fair: bool = False
    valuable: bool = False
    group: bool = False
    comfortable: bool = False
    familiar: bool = False


def perception_factor(experience: WaitExperience | None = None, factors: dict | None = None) -> float:
    """Ratio perceived / actual waiting time for one wait design.

    .. math:: \\frac{\\text{perceived}}{\\text{actual}} = \\prod_{i:\\ \\text{worse state}} f_i

    the product of the factors of the principles whose wait is in the worse state.

    Parameters
    ----------
    experience : WaitExperience, optional
        Default: an unmanaged wait (all worse states).
    factors : dict, optional
        Override factors by principle key (each >= 1), e.g. ``{"fair": 1.5}``.

    Examples
    --------
    >>> round(perception_factor(WaitExperience(*[True] * 10)), 6)   # every principle managed
    1.0
    >>> round(perception_factor(WaitExperience(occupied=False, in_process=True, anxiety=True, known=True,
    ...     explained=True, fair=True, valuable=True, group=True, comfortable=True, familiar=True)), 2)
    1.4
    """
    experience = WaitExperience() if experience is None else experience
    if not isinstance(experience, WaitExperience):
        raise TypeError(f"experience must be a WaitExperience; got {type(experience).__name__}")
    factors = dict(factors or {})
    unknown = set(factors) - set(_PRINCIPLE_KEYS)
    if unknown:
        raise ValueError(f"factors has unknown principle key(s) {sorted(unknown)}; allowed {list(_PRINCIPLE_KEYS)}")
    out = 1.0
    for p in PRINCIPLES:
        f = float(v.in_range(f"factors[{p.key!r}]", factors.get(p.key, p.factor), 1.0, None))
        if not getattr(experience, p.key):
            out *= f
    return out


def perceived_wait(actual_wait, experience: WaitExperience | None = None, factors: dict | None = None):
    """Perceived waiting time = actual waiting time x :func:`perception_factor`.

    A teaching model, not a measured one: the occupied/unoccupied factor borrows the
    overall perceived/actual ratio of one study (Jones & Peppiatt 1996: 221 s judged
    against 158 s measured, whole sample), which is not a measured occupied-vs-unoccupied
    contrast; the other factors are illustrative assumptions (see :func:`principles_table`).

    Parameters
    ----------
    actual_wait : float or array
        Clock waiting time(s), >= 0, any time unit (the output has the same unit).

    Examples
    --------
    >>> round(perceived_wait(158.0, WaitExperience(*[True] * 10)), 1)
    158.0
    """
    w = v.non_negative("actual_wait", actual_wait)
    out = np.asarray(w) * perception_factor(experience, factors)
    return float(out) if out.ndim == 0 else out


def only_worse(key: str) -> WaitExperience:
    """A wait that is in the better state on every principle except ``key``.

    Isolates one principle: ``perceived_wait(10, only_worse("occupied"))`` is how a
    10-minute wait feels when only its being unoccupied is wrong.

    Examples
    --------
    >>> round(perceived_wait(10.0, only_worse("occupied")), 2)
    14.0
    """
    v.one_of("key", key, _PRINCIPLE_KEYS)
    flags = {k: True for k in _PRINCIPLE_KEYS}
    flags[key] = False
    return WaitExperience(**flags)


def principles_table() -> pd.DataFrame:
    """The ten principles in English and Chinese, with their factor, evidence, basis and example.

    Columns: ``principle`` (English), ``中文`` (the principle in the course slides'
    wording), ``source``, ``worse state``, ``中文 (worse / better)`` (the slides' terms for
    the two states, e.g. 无所适事 / 有事可干), ``factor``, ``evidence`` (see
    :class:`Principle`), ``basis`` (what the factor rests on) and ``example``.

    Examples
    --------
    >>> t = principles_table()
    >>> len(t), t["evidence"].value_counts().to_dict()
    (10, {'illustrative assumption': 9, "proxy: one study's overall ratio": 1})
    >>> t.loc["in_process", "中文 (worse / better)"]
    '过程前、过程后 / 过程中'
    """
    return pd.DataFrame({"principle": [p.english for p in PRINCIPLES], "中文": [p.chinese for p in PRINCIPLES],
                         "source": [p.source for p in PRINCIPLES], "worse state": [p.worse for p in PRINCIPLES],
                         "中文 (worse / better)": [f"{p.worse_chinese} / {p.better_chinese}" for p in PRINCIPLES],
                         "factor": [p.factor for p in PRINCIPLES], "evidence": [p.evidence for p in PRINCIPLES],
                         "basis": [p.basis for p in PRINCIPLES], "example": [p.example for p in PRINCIPLES]},
                        index=pd.Index(_PRINCIPLE_KEYS, name="key"))


# --------------------------------------------------------------------------- design: servers vs experience
@dataclass(frozen=True)
class QueueDesign:
    """A service design: the queue (:class:`QueueScenario`) plus three experience levers.

    ``occupy`` fills the wait (principle *occupied*), ``announce`` tells customers the
    expected wait and why (principles *known* and *explained*), ``single_line`` serves
    everybody from one FCFS line instead of one line per server (principle *fair*, and
    it also changes the actual waits). Build it with :func:`queue_design`.
    """

    scenario: QueueScenario
    occupy: bool = False
    announce: bool = False
    single_line: bool = False
    target_time: float = 0.5

    def experience(self) -> WaitExperience:
        """The wait design as a :class:`WaitExperience`; principles not touched by the
        three levers are held at their better state, so they do not mask the levers."""
        return WaitExperience(occupied=self.occupy, in_process=True, anxiety=True, known=self.announce,
                              explained=self.announce, fair=self.single_line, valuable=True, group=True,
                              comfortable=True, familiar=True)


def queue_design(arrival_rate: float = 1.5, handle_time: float = 2.0, servers: int = 4, *, occupy: bool = False,
                 announce: bool = False, single_line: bool = False, target_time: float = 0.5) -> QueueDesign:
    """Defaulting constructor of :class:`QueueDesign` (defaults as :func:`queue_scenario`,
    no levers pulled, target: served within half a minute).

    Examples
    --------
    >>> d = queue_design()
    >>> d.scenario.servers, d.single_line, round(perception_factor(d.experience()), 4)
    (4, False, 2.5116)
    """
    sc = queue_scenario(arrival_rate, handle_time, servers)
    t = float(v.non_negative("target_time", target_time))
    return QueueDesign(sc, bool(occupy), bool(announce), bool(single_line), t)


@dataclass(frozen=True, repr=False, eq=False)
class DesignOutcome:
    """Actual and perceived waits of one :class:`QueueDesign`, simulated."""

    design: QueueDesign
    actual: np.ndarray
    perceived: np.ndarray
    factor: float
    service_level: float
    erlang_service_level: float
    share_slipped: float

    @property
    def params(self) -> pd.Series:
        return pd.Series({"mean_actual_wait": float(self.actual.mean()),
                          "mean_perceived_wait": float(self.perceived.mean()),
                          "perception_factor": self.factor, "service_level": self.service_level,
                          "erlang_c_service_level": self.erlang_service_level,
                          "share_slipped": self.share_slipped})

    def summary(self) -> pd.DataFrame:
        return self.params.round(4).to_frame("value")

    def __repr__(self) -> str:
        d = self.design
        return (f"DesignOutcome(c={d.scenario.servers}, occupy={d.occupy}, announce={d.announce}, "
                f"single_line={d.single_line}: actual={self.actual.mean():.3f}, "
                f"perceived={self.perceived.mean():.3f}, SL={self.service_level:.3f})")


def evaluate_design(design: QueueDesign, rng: np.random.Generator, n_customers: int = 20_000,
                    warmup: int = 1_000) -> DesignOutcome:
    """Simulate a design and convert its actual waits into perceived waits.

    One shared FCFS line (:func:`simulate_queue`) when ``design.single_line``, else one
    line per server joined at the shortest (:func:`simulate_parallel_lines`). Perceived
    waits are actual waits times :func:`perception_factor` of ``design.experience()``.
    The first ``warmup`` customers (who found the system nearly empty) are dropped.

    Examples
    --------
    >>> import numpy as np
    >>> out = evaluate_design(queue_design(single_line=True), np.random.default_rng(1))
    >>> round(out.factor, 3), round(out.share_slipped, 3)
    (1.932, 0.0)
    """
    if not isinstance(design, QueueDesign):
        raise TypeError(f"design must be a QueueDesign (see queue_design()); got {type(design).__name__}")
    n = v.integer("n_customers", n_customers, minimum=2)
    warmup = v.integer("warmup", warmup, minimum=0)
    if warmup >= n:
        raise ValueError(f"warmup must be smaller than n_customers={n}; got {warmup}")
    sc = design.scenario
    _check_stable(sc.arrival_rate, sc.service_rate, sc.servers, "a design to evaluate")
    if design.single_line:
        sim = simulate_queue(sc.arrival_rate, sc.service_rate, sc.servers, n, rng=rng)
    else:
        sim = simulate_parallel_lines(sc.arrival_rate, sc.service_rate, sc.servers, n, rng=rng)
    fair = queue_fairness(sim)
    actual = np.array(sim.wait[warmup:])
    factor = perception_factor(design.experience())
    return DesignOutcome(design, actual, actual * factor, factor, float((actual <= design.target_time).mean()),
                         service_level(sc.arrival_rate, sc.service_rate, sc.servers, design.target_time),
                         fair.share_slipped)


def compare_designs(designs: dict, seed: int = 2026, n_customers: int = 20_000) -> pd.DataFrame:
    """Actual and perceived waits of several designs, simulated with common random numbers.

    Every design is evaluated with a generator seeded by ``seed``, so differences come
    from the designs, not from luck.

    Parameters
    ----------
    designs : dict of name -> QueueDesign

    Returns
    -------
    DataFrame
        One row per design: servers, mean actual and perceived wait, perception factor,
        simulated service level, share of customers slipped.

    Examples
    --------
    >>> t = compare_designs({"now": queue_design(), "one line": queue_design(single_line=True)})
    >>> t.index.tolist()
    ['now', 'one line']
    """
    if not isinstance(designs, dict) or not designs:
        raise ValueError(f"designs must be a non-empty dict of name -> QueueDesign; got {designs!r}")
    rows = {}
    for name, d in designs.items():
        out = evaluate_design(d, np.random.default_rng(seed), n_customers=n_customers)
        rows[name] = {"servers": d.scenario.servers, "mean_actual_wait": float(out.actual.mean()),
                      "mean_perceived_wait": float(out.perceived.mean()), "perception_factor": out.factor,
                      "service_level": out.service_level, "share_slipped": out.share_slipped}
    return pd.DataFrame.from_dict(rows, orient="index")


# --------------------------------------------------------------------------- real data: staffing a day
def arrival_profile(calls: pd.DataFrame, by: str = "time") -> pd.DataFrame:
    """Mean calls per 5-minute interval by time of day (``by='time'``) or by weekday and time.

    Parameters
    ----------
    calls : DataFrame
        :func:`crmlib.datasets.load_bank_calls` output (columns ``datetime``, ``calls``).
    by : {'time', 'weekday'}
        'time': one row per clock time (mean, sd, and index of dispersion var/mean over
        days). 'weekday': a table of mean calls, clock time x weekday.

    Examples
    --------
    >>> from crmlib.datasets import load_bank_calls
    >>> prof = arrival_profile(load_bank_calls())
    >>> len(prof), prof["mean"].idxmax()
    (169, '10:20')
    """
    v.columns("calls", calls, ["datetime", "calls"])
    v.one_of("by", by, ["time", "weekday"])
    clock = calls["datetime"].dt.strftime("%H:%M")
    if by == "time":
        g = calls["calls"].groupby(clock)
        out = pd.DataFrame({"mean": g.mean(), "sd": g.std()})
        out["dispersion"] = out["sd"] ** 2 / out["mean"]
        out.index.name = "time"
        return out
    day = pd.Categorical(calls["datetime"].dt.day_name(),
                         categories=["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"], ordered=True)
    out = calls.assign(time=clock, weekday=day).pivot_table(index="time", columns="weekday", values="calls",
                                                            aggfunc="mean", observed=True)
    out.columns = out.columns.astype(str)
    return out


def staffing_plan(arrival_rates, service_rate, target_time, target_level, *, labels=None) -> pd.DataFrame:
    """Erlang C staffing per interval: the fewest agents meeting the service-level target.

    Each interval is treated as its own steady-state M/M/c queue (the usual
    "stationary independent period-by-period" practice; Green, Kolesar & Whitt 2007
    explain where it fails).

    Parameters
    ----------
    arrival_rates : 1-d array
        λ per time unit for each interval (> 0).
    service_rate : float
        μ per time unit.
    target_time, target_level : float
        E.g. 20 s and 0.8.
    labels : sequence, optional
        Index labels (e.g. clock times).

    Returns
    -------
    DataFrame
        Columns arrival_rate, load, servers, utilization, prob_wait, mean_wait, service_level.

    References
    ----------
    Green, L. V., Kolesar, P. J. & Whitt, W. (2007). Coping with time-varying demand when
    setting staffing requirements for a service system. *Production and Operations
    Management* 16(1), 13-39.

    Examples
    --------
    >>> staffing_plan([200 / 60, 400 / 60], 1 / 3, 20 / 60, 0.8)["servers"].tolist()
    [14, 24]
    """
    rates = v.positive("arrival_rates", np.atleast_1d(np.asarray(arrival_rates, dtype=float)))
    rates = np.atleast_1d(rates)
    mu = float(v.positive("service_rate", service_rate))
    staff = np.array([required_servers(r, mu, target_time, target_level) for r in rates], dtype=np.int64)
    out = pd.DataFrame({"arrival_rate": rates, "load": rates / mu, "servers": staff,
                        "utilization": utilization(rates, mu, staff), "prob_wait": erlang_c(rates, mu, staff),
                        "mean_wait": mean_wait(rates, mu, staff),
                        "service_level": service_level(rates, mu, staff, target_time)})
    if labels is not None:
        if len(labels) != len(out):
            raise ValueError(f"labels must have one entry per interval ({len(out)}); got {len(labels)}")
        out.index = pd.Index(list(labels), name="interval")
    return out


def interval_service_level(sim: QueueSimulation, interval_length: float, target_time: float,
                           n_intervals: int | None = None) -> pd.DataFrame:
    """Simulated service level and mean wait per arrival interval of a staffed day.

    Examples
    --------
    >>> import numpy as np
    >>> sim = simulate_queue([2.0, 4.0], 1.0, [3, 6], rng=np.random.default_rng(0), interval_length=60)
    >>> interval_service_level(sim, 60, 0.5).shape
    (2, 4)
    """
    if not isinstance(sim, QueueSimulation):
        raise TypeError(f"sim must be a QueueSimulation; got {type(sim).__name__}")
    length = float(v.positive("interval_length", interval_length))
    t = float(v.non_negative("target_time", target_time))
    idx = (sim.arrival // length).astype(np.int64)
    m = int(n_intervals) if n_intervals is not None else int(math.ceil(sim.horizon / length))
    idx = np.minimum(idx, m - 1)
    ok = (sim.served & (sim.wait <= t)).astype(float)
    count = np.bincount(idx, minlength=m).astype(float)
    with np.errstate(invalid="ignore", divide="ignore"):
        sl = np.bincount(idx, weights=ok, minlength=m) / count
        w = np.bincount(idx, weights=np.where(sim.served, sim.wait, 0.0), minlength=m) / \
            np.bincount(idx, weights=sim.served.astype(float), minlength=m)
        ab = np.bincount(idx, weights=sim.abandoned.astype(float), minlength=m) / count
    return pd.DataFrame({"arrivals": count.astype(np.int64), "service_level": sl, "mean_wait": w,
                         "abandoned": ab}, index=pd.RangeIndex(m, name="interval"))


@dataclass(frozen=True, repr=False, eq=False)
class DayStaffing:
    """An Erlang C staffing plan for one day and its simulated service level per interval."""

    plan: pd.DataFrame
    simulated: pd.DataFrame
    handle_time: float
    target_time: float
    target_level: float
    interval_length: float

    @property
    def agent_hours(self) -> float:
        """Staffed agent-hours over the day (interval length in minutes)."""
        return float(self.plan["servers"].sum() * self.interval_length / 60.0)

    @property
    def share_intervals_missed(self) -> float:
        """Share of intervals whose simulated service level is below the target."""
        return float((self.simulated["service_level"] < self.target_level).mean())

    @property
    def params(self) -> pd.Series:
        return pd.Series({"agent_hours": self.agent_hours, "peak_agents": float(self.plan["servers"].max()),
                          "erlang_c_service_level_min": float(self.plan["service_level"].min()),
                          "simulated_service_level_day": float(
                              np.average(self.simulated["service_level"], weights=self.simulated["arrivals"])),
                          "share_intervals_missed": self.share_intervals_missed})

    def summary(self) -> pd.DataFrame:
        return self.params.round(4).to_frame("value")

    def __repr__(self) -> str:
        p = self.params
        return (f"DayStaffing(handle_time={self.handle_time:g} min, target {self.target_level:.0%} within "
                f"{self.target_time * 60:g} s: agent_hours={p['agent_hours']:.1f}, peak_agents={p['peak_agents']:.0f}, "
                f"simulated day service level={p['simulated_service_level_day']:.3f}, "
                f"intervals missed={p['share_intervals_missed']:.3f})")


def staff_day(calls_per_interval, handle_time: float = 4.0, target_time: float = 20 / 60,
              target_level: float = 0.8, rng: np.random.Generator | None = None, *,
              interval_length: float = 5.0, actual_calls_per_interval=None, labels=None,
              patience=None) -> DayStaffing:
    """Staff a day interval by interval with Erlang C, then simulate the staffed day.

    Parameters
    ----------
    calls_per_interval : 1-d array
        Forecast calls per interval (e.g. the mean 5-minute profile of the bank data).
    handle_time : float
        Mean handle time in minutes (the bank data have no handle times: this is an
        assumption you state).
    target_time : float
        Answer-time target in minutes (20 s = 1/3).
    target_level : float
        Required share answered within ``target_time``.
    rng : numpy.random.Generator
        Required, for the simulation.
    interval_length : float
        Minutes per interval (5 for the bank data).
    actual_calls_per_interval : 1-d array, optional
        The calls that really arrive (e.g. a Monday's profile) when they differ from the
        forecast used for staffing; default: the forecast.
    labels : sequence, optional
        Clock-time labels of the intervals.
    patience : float, optional
        Mean (exponential) patience in minutes; None means nobody abandons.

    Returns
    -------
    DayStaffing

    References
    ----------
    Green, Kolesar & Whitt (2007); Gans, Koole & Mandelbaum (2003).

    Examples
    --------
    >>> import numpy as np
    >>> day = staff_day([100, 200, 100], rng=np.random.default_rng(0))
    >>> day.plan["servers"].tolist()
    [87, 169, 87]
    """
    v.rng("rng", rng)
    length = float(v.positive("interval_length", interval_length))
    forecast = v.positive("calls_per_interval", np.atleast_1d(np.asarray(calls_per_interval, dtype=float)))
    forecast = np.atleast_1d(forecast)
    ht = float(v.positive("handle_time", handle_time, unit="minutes"))
    plan = staffing_plan(forecast / length, 1.0 / ht, target_time, target_level, labels=labels)
    actual = forecast if actual_calls_per_interval is None else np.atleast_1d(
        v.non_negative("actual_calls_per_interval", np.asarray(actual_calls_per_interval, dtype=float)))
    if actual.size != forecast.size:
        raise ValueError(f"actual_calls_per_interval must have {forecast.size} intervals like "
                         f"calls_per_interval; got {actual.size}")
    sim = simulate_queue(actual / length, 1.0 / ht, plan["servers"].to_numpy(), rng=rng,
                         interval_length=length, patience=patience)
    per = interval_service_level(sim, length, target_time, n_intervals=forecast.size)
    per.index = plan.index
    return DayStaffing(plan, per, ht, float(target_time), float(target_level), length)


# --------------------------------------------------------------------------- figures
def plot_wait_distribution(actual, perceived=None, *, target_time=None, unit: str = "minutes", ax=None,
                           bins: int = 40):
    """Histogram of actual (and perceived) waiting times; returns the axis.

    Parameters
    ----------
    actual, perceived : array
        Waiting times in ``unit`` (perceived is optional).
    target_time : float, optional
        Draws the service-level target as a dashed line.
    unit : str
        Time unit for the axis label.
    ax : matplotlib Axes, optional
    bins : int

    Examples
    --------
    >>> import numpy as np
    >>> ax = plot_wait_distribution(np.array([0.0, 1.0, 2.0]), np.array([0.0, 1.4, 2.8]), target_time=0.5)
    >>> ax.get_xlabel()
    'waiting time (minutes)'
    """
    import matplotlib.pyplot as plt
    from .plotting import PALETTE

    a = np.asarray(actual, dtype=float)
    if ax is None:
        _, ax = plt.subplots()
    top = float(np.quantile(np.concatenate([a, np.asarray(perceived, float)]) if perceived is not None else a, 0.99))
    edges = np.linspace(0, max(top, 1e-9), bins + 1)
    # histograms drawn as filled steps: one artist each, fast enough for widgets
    ax.stairs(np.histogram(a, edges)[0], edges, fill=True, color=PALETTE[0], alpha=0.6,
              label=f"actual (mean {a.mean():.2f})")
    if perceived is not None:
        p = np.asarray(perceived, dtype=float)
        ax.stairs(np.histogram(p, edges)[0], edges, fill=True, color=PALETTE[1], alpha=0.5,
                  label=f"perceived (mean {p.mean():.2f})")
    if target_time is not None:
        ax.axvline(target_time, color=PALETTE[7], ls="--", lw=1, label=f"target {target_time:g}")
    ax.set_xlabel(f"waiting time ({unit})")
    ax.set_ylabel("customers")
    ax.legend()
    return ax


def plot_wait_vs_servers(arrival_rate, service_rate, servers_range, *, target_time, unit="minutes", ax=None):
    """Mean wait (left axis) and service level (right axis) against the number of servers (M/M/c).

    Server counts that cannot carry the load (cμ <= λ) are skipped. Returns the left axis.

    Examples
    --------
    >>> ax = plot_wait_vs_servers(200 / 60, 1 / 3, range(11, 16), target_time=20 / 60)
    >>> len(ax.lines[0].get_xdata())
    5
    """
    import matplotlib.pyplot as plt
    from .plotting import PALETTE

    lam, mu = float(arrival_rate), float(service_rate)
    cs = np.array([c for c in servers_range if c * mu > lam * (1 + _STABILITY_TOL)])
    if ax is None:
        _, ax = plt.subplots()
    ax.plot(cs, mean_wait(lam, mu, cs), "o-", color=PALETTE[0], label="mean wait")
    ax.set_xlabel("servers c")
    ax.set_ylabel(f"mean wait ({unit})")
    ax2 = ax.twinx()
    ax2.plot(cs, service_level(lam, mu, cs, target_time), "s--", color=PALETTE[1], label="service level")
    ax2.set_ylabel(f"share served within {target_time:.3g} {unit}")
    ax2.set_ylim(0, 1.02)
    ax2.grid(False)
    h1, l1 = ax.get_legend_handles_labels()
    h2, l2 = ax2.get_legend_handles_labels()
    ax.legend(h1 + h2, l1 + l2, loc="center right")
    return ax


def plot_staffing_day(plan: pd.DataFrame, simulated: pd.DataFrame | None = None, *, target_level=None, ax=None):
    """Agents on duty per interval (steps) and the service level per interval (lines); returns the axis.

    Parameters
    ----------
    plan : DataFrame
        :func:`staffing_plan` output (``DayStaffing.plan``).
    simulated : DataFrame, optional
        :func:`interval_service_level` output (``DayStaffing.simulated``).
    target_level : float, optional
        Draws the target as a dashed line.

    Examples
    --------
    >>> ax = plot_staffing_day(staffing_plan([100 / 5, 200 / 5], 1 / 4, 20 / 60, 0.8))
    >>> ax.get_ylabel()
    'agents on duty'
    """
    import matplotlib.pyplot as plt
    from .plotting import PALETTE

    if ax is None:
        _, ax = plt.subplots()
    x = np.arange(len(plan))
    ax.step(x, plan["servers"].to_numpy(), where="post", color=PALETTE[0], label="agents staffed")
    ax.set_ylabel("agents on duty")
    labels = [str(s) for s in plan.index]
    ticks = x[:: max(1, len(x) // 7)]
    ax.set_xticks(ticks, [labels[i] for i in ticks])
    ax.set_xlabel("time of day (5-minute intervals)")
    ax2 = ax.twinx()
    ax2.plot(x, plan["service_level"].to_numpy(), color=PALETTE[2], lw=1, label="Erlang C service level")
    if simulated is not None:
        ax2.plot(x[: len(simulated)], simulated["service_level"].to_numpy()[: len(x)], color=PALETTE[1], lw=1,
                 label="simulated service level")
    if target_level is not None:
        ax2.axhline(target_level, color=PALETTE[7], ls="--", lw=1)
    ax2.set_ylim(0, 1.02)
    ax2.set_ylabel("share answered within target")
    ax2.grid(False)
    h1, l1 = ax.get_legend_handles_labels()
    h2, l2 = ax2.get_legend_handles_labels()
    ax.legend(h1 + h2, l1 + l2, loc="lower center", fontsize=9)
    return ax
