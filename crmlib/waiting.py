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
==============================  ======================================================

The figures of the chapter are in :mod:`crmlib.plotting.waiting`.

Symbols (docstrings and notebook): arrival rate :math:`\\lambda`, service rate
:math:`\\mu` (1 / mean handle time), servers :math:`c`, offered load
:math:`A=\\lambda/\\mu` (Erlangs), utilisation (occupancy) :math:`\\rho=A/c`, probability
of waiting :math:`C(c, A)`, waiting time in queue :math:`W_q`. Rates and times use one
time unit of the caller's choice (e.g. minutes): a rate per minute goes with times in
minutes.

Conventions: every simulator takes ``rng``, a :class:`numpy.random.Generator`, keyword-only
and required (no hidden global seed). The analytic functions accept numbers, arrays
(broadcast like numpy) or pandas Series; Series are aligned by their index, never paired by
position, and the result is a Series with the same index. Records
(:class:`QueueScenario`, :class:`QueueDesign`, :class:`WaitExperience`,
:class:`Principle`) validate their fields when built and are changed with
:func:`dataclasses.replace`, which validates again.

Limits (so that no argument can make the arithmetic overflow or a call run for minutes):

* rates (``arrival_rate``, ``service_rate``): :data:`MIN_RATE` to :data:`MAX_RATE`
  (1e-12 to 1e12 per time unit);
* times (targets, handle times, patience, interval lengths): at most :data:`MAX_TIME`
  (1e12 time units);
* servers in the formulas: at most :data:`MAX_SERVERS` (10^12); Erlang B and C take well
  under a millisecond at any size (see :func:`erlang_b`); offered load in :func:`erlang_b`:
  at most :data:`MAX_LOAD` (1e15 Erlangs);
* simulations: at most :data:`MAX_CUSTOMERS` customers (10^7, about 1 GB of memory), at most
  :data:`MAX_SIMULATED_SERVERS` servers (10^5), and customers x servers at most
  :data:`MAX_SIMULATION_WORK` (10^10, about ten seconds);
* perception factors: 1 to :data:`MAX_FACTOR` (10).

Importing this module is quick and changes no global state: numba and scipy are imported
inside the functions that need them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, fields
from functools import lru_cache

import numpy as np
import pandas as pd

from . import _validate as v
from .i18n import N_, NP_
from .i18n import gettext as _
from .results import _field_repr

__all__ = [
    "QueueScenario",
    "queue_scenario",
    "QueueMetrics",
    "queue_metrics",
    "offered_load",
    "utilization",
    "erlang_b",
    "erlang_c",
    "mean_wait",
    "prob_wait_exceeds",
    "service_level",
    "mean_queue_length",
    "required_servers",
    "QueueSimulation",
    "simulate_queue",
    "simulate_parallel_lines",
    "queue_length_path",
    "FairnessResult",
    "queue_fairness",
    "Principle",
    "PRINCIPLES",
    "WaitExperience",
    "perception_factor",
    "perceived_wait",
    "principles_table",
    "only_worse",
    "compare_designs",
    "JONES_PEPPIATT_1996",
    "MUNICHOR_RAFAELI_2007",
    "QueueDesign",
    "queue_design",
    "DesignOutcome",
    "evaluate_design",
    "DayStaffing",
    "staff_day",
    "arrival_profile",
    "staffing_plan",
    "interval_service_level",
]

#: Smallest and largest rate (arrivals or services per time unit) accepted.
MIN_RATE = 1e-12
MAX_RATE = 1e12
#: Largest time (target, handle time, patience, interval length) accepted, in time units.
MAX_TIME = 1e12
#: Largest number of servers in the analytic formulas.
MAX_SERVERS = 10**12
#: Largest offered load (Erlangs) accepted by :func:`erlang_b`.
MAX_LOAD = 1e15
#: Largest number of customers (or candidate arrivals) one simulation may draw.
MAX_CUSTOMERS = 10_000_000
#: Largest number of servers in a simulation (each arrival scans the servers).
MAX_SIMULATED_SERVERS = 100_000
#: Largest customers x servers of one simulation (about ten seconds on a laptop).
MAX_SIMULATION_WORK = 10**10
#: Largest factor of one principle of waiting (perceived / actual time).
MAX_FACTOR = 10.0

# ρ within this relative distance of 1 counts as ρ = 1: e.g. 1.2 per minute with a
# 2.5-minute handle time on 3 servers computes as ρ = 0.9999999999999999, still unstable.
_STABILITY_TOL = 1e-12
# Erlang B by its recursion up to this many servers; above it, the closed form of
# _erlang_b_large (well under a millisecond at any size).
_RECURSION_MAX_SERVERS = 1000


# --------------------------------------------------------------------------- argument checks
def _scalar(name, value):
    if np.ndim(value) != 0:
        raise TypeError(f"{name} must be a single number; got {v._show(value)}")
    return value


def _rate(name, value):
    return v.in_range(name, value, MIN_RATE, MAX_RATE, unit="per time unit")


def _servers(name, value, *, maximum=MAX_SERVERS, minimum=1):
    return v.integer(name, value, minimum=minimum, maximum=maximum)


def _time(name, value, *, positive=False):
    return v.in_range(name, value, 0, MAX_TIME, low_open=positive, unit="time units")


def _flag(name, value) -> bool:
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be True or False; got {value!r}")
    return bool(value)


def _inputs(**named):
    """The named inputs and the index of the result.

    With any pandas Series among them, they are aligned by label (``_validate.aligned``:
    same labels required, no pairing by position) and the result carries the first Series'
    index; otherwise they stay as given and broadcast like numpy arrays.
    """
    if any(isinstance(x, pd.Series) for x in named.values()):
        return v.aligned(**named)
    return None, named


def _out(index, value):
    """Index in, same index out: a Series on ``index``, a float for a scalar, else an array."""
    value = np.asarray(value, dtype=float)
    if index is not None:
        return pd.Series(value.reshape(-1), index=index)
    return float(value) if value.ndim == 0 else value


# --------------------------------------------------------------------------- records
#: Words shown after each field of :class:`QueueScenario` in the Chinese edition (its repr).
_SCENARIO_LABELS = {
    "arrival_rate": N_("arrival_rate"),
    "service_rate": N_("service_rate"),
    "servers": N_("servers"),
    "time_unit": N_("time_unit"),
}


@dataclass(frozen=True)
class QueueScenario:
    """One M/M/c queue: arrival rate, service rate and servers (rates per time unit).

    Every field is checked when the record is built (and again by
    ``dataclasses.replace(scenario, servers=5)``, the one way to change it):
    rates in [1e-12, 1e12] per time unit, servers a whole number in [1, 10^12].
    :func:`queue_scenario` builds one from a handle time, with the defaults used by the
    chapter's static example and by :func:`crmlib.widgets.waiting.explore_queue`.

    Examples
    --------
    >>> import dataclasses
    >>> s = QueueScenario(1.5, 0.5, 4)
    >>> dataclasses.replace(s, servers=5).utilization
    0.6
    >>> QueueScenario(-1, 0.5, 0)
    Traceback (most recent call last):
    ...
    ValueError: arrival_rate must be in [1e-12, 1e+12] per time unit; got -1.0
    """

    arrival_rate: float
    service_rate: float
    servers: int
    time_unit: str = "minute"

    def __post_init__(self):
        object.__setattr__(
            self, "arrival_rate", float(_rate("arrival_rate", _scalar("arrival_rate", self.arrival_rate)))
        )
        object.__setattr__(
            self, "service_rate", float(_rate("service_rate", _scalar("service_rate", self.service_rate)))
        )
        object.__setattr__(self, "servers", int(_servers("servers", _scalar("servers", self.servers))))
        if not isinstance(self.time_unit, str) or not self.time_unit:
            raise TypeError(f"time_unit must be a non-empty string such as 'minute'; got {self.time_unit!r}")

    def __repr__(self) -> str:
        return _field_repr(self, _SCENARIO_LABELS)

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


def queue_scenario(
    arrival_rate: float = 1.5, handle_time: float = 2.0, servers: int = 4, time_unit: str = "minute"
) -> QueueScenario:
    """Defaulting constructor of :class:`QueueScenario` (handle time instead of rate).

    The defaults describe a service desk (a bank counter, an exhibition registration
    desk): 1.5 arrivals per minute, a 2-minute mean handle time, 4 servers, so
    A = 3 Erlangs and ρ = 0.75. They are illustrative, not data.

    Parameters
    ----------
    arrival_rate : float
        λ, customers per ``time_unit``, in [1e-12, 1e12].
    handle_time : float
        Mean service time 1/μ in ``time_unit``, in [1e-12, 1e12].
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
    handle_time = v.in_range(
        "handle_time", _scalar("handle_time", handle_time), 1 / MAX_RATE, 1 / MIN_RATE, unit=f"{time_unit}s"
    )
    return QueueScenario(arrival_rate, 1.0 / float(handle_time), servers, time_unit)


# --------------------------------------------------------------------------- Erlang formulas
_NO_SERVERS = object()  # marks "no servers argument" (offered_load), so that servers=None is refused


def _mmc_inputs(arrival_rate, service_rate, servers=_NO_SERVERS, **extra):
    """Validated λ, μ, c (and extra times) as arrays, with the index of the result."""
    named = {"arrival_rate": arrival_rate, "service_rate": service_rate}
    if servers is not _NO_SERVERS:
        named["servers"] = servers
    named.update(extra)
    index, vals = _inputs(**named)
    out = {
        "arrival_rate": np.asarray(_rate("arrival_rate", vals["arrival_rate"])),
        "service_rate": np.asarray(_rate("service_rate", vals["service_rate"])),
    }
    if servers is not _NO_SERVERS:
        out["servers"] = np.asarray(_servers("servers", vals["servers"]))
    for k in extra:
        out[k] = np.asarray(_time(k, vals[k]))
    try:
        np.broadcast_shapes(*(a.shape for a in out.values()))
    except ValueError:
        shapes = ", ".join(f"{k} {a.shape}" for k, a in out.items())
        raise ValueError(f"{', '.join(out)} must have shapes that broadcast together; got {shapes}") from None
    return index, out


def offered_load(arrival_rate, service_rate):
    """Offered load A = λ/μ in Erlangs: the mean number of servers the work keeps busy.

    It is not a staffing level: with exactly A servers the utilisation is ρ = 1, there is
    no spare capacity to absorb random bursts and the queue grows without bound. The
    smallest stable staffing is ⌊A⌋ + 1 servers (see :func:`required_servers`). The
    result is rounded to 12 significant digits, so that 200 calls an hour of 3 minutes
    are 10 Erlangs, not 10.000000000000002.

    Examples
    --------
    >>> offered_load(200 / 60, 1 / 3)   # 200 calls an hour, 3-minute calls, in minutes
    10.0
    """
    index, x = _mmc_inputs(arrival_rate, service_rate)
    a = x["arrival_rate"] / x["service_rate"]
    scale = 10.0 ** (11 - np.floor(np.log10(a)))
    return _out(index, np.round(a * scale) / scale)


def utilization(arrival_rate, service_rate, servers):
    """Utilisation (occupancy) ρ = λ/(cμ): the long-run share of time a server is busy.

    Examples
    --------
    >>> utilization(9.5, 1.0, 10)
    0.95
    """
    index, x = _mmc_inputs(arrival_rate, service_rate, servers)
    return _out(index, x["arrival_rate"] / (x["servers"] * x["service_rate"]))


def _erlang_b_recursion(load: np.ndarray, servers: np.ndarray) -> np.ndarray:
    # B(0)=1, B(k)=A B(k-1) / (k + A B(k-1)); every step is a probability in [0, 1], so it
    # neither overflows nor loses precision, but it takes c steps.
    load, servers = np.broadcast_arrays(np.asarray(load, float), np.asarray(servers))
    b = np.ones(load.shape)
    top = int(servers.max()) if servers.size else 0
    for k in range(1, top + 1):
        step = load * b / (k + load * b)
        b = np.where(servers >= k, step, b)
    return b


def _log_poisson_pmf(c: np.ndarray, a: np.ndarray) -> np.ndarray:
    """log P(N = c) for N ~ Poisson(a), c >= 16, without cancellation (Loader 2000).

    log p = -stirlerr(c) - bd0(c, a) - log(2πc)/2, with Stirling's error term as its
    series and bd0(c, a) = c log(c/a) + a - c summed as a series when c is near a.
    """
    stirlerr = 1 / (12 * c) - 1 / (360 * c**3) + 1 / (1260 * c**5)
    d = c - a
    near = np.abs(d) < 0.1 * (c + a)
    ratio = np.where(near, 1.0, c / np.where(near, 1.0, a))
    bd0 = np.where(near, 0.0, c * np.log(ratio) + a - c)
    u = np.where(near, d / (c + a), 0.0)
    series = d * u
    term = 2 * c * u
    for j in range(1, 25):  # |u| < 0.1: the terms fall by 100 each step
        term = term * u * u
        series = series + term / (2 * j + 1)
    bd0 = np.where(near, series, bd0)
    return -stirlerr - bd0 - 0.5 * np.log(2 * np.pi * c)


def _erlang_b_continued_fraction(c: np.ndarray, a: np.ndarray) -> np.ndarray:
    """B(c, A) = 1 / (A h), h the continued fraction of Γ(c+1, A) e^A A^-(c+1) (modified Lentz).

    Used where A >= c + 1 + 3√c: there the fraction converges in fewer than 60 steps.
    """
    tiny = 1e-300
    s = c + 1.0
    b = a + 1.0 - s
    num = np.full(b.shape, 1.0 / tiny)
    den = 1.0 / b
    h = den.copy()
    for i in range(1, 2000):
        an = -i * (i - s)
        b = b + 2.0
        den = an * den + b
        den = np.where(np.abs(den) < tiny, tiny, den)
        num = b + an / num
        num = np.where(np.abs(num) < tiny, tiny, num)
        den = 1.0 / den
        delta = den * num
        h = h * delta
        if np.all(np.abs(delta - 1.0) < 1e-16):
            break
    return 1.0 / (a * h)


def _erlang_b_large(load: np.ndarray, servers: np.ndarray) -> np.ndarray:
    """Erlang B for many servers in O(1): the ratio of the Poisson(A) pmf to its cdf at c.

    B(c, A) = P(N = c) / P(N <= c), N ~ Poisson(A) (Cooper 1981, ch. 3): the log pmf by
    Loader's saddle-point form, the cdf as the regularised incomplete gamma function
    Q(c + 1, A) (scipy.special.gammaincc); far beyond capacity, where that cdf underflows,
    the continued fraction of the incomplete gamma function instead.
    """
    from scipy import special

    c = np.asarray(servers, float)
    a = np.asarray(load, float)
    out = np.empty(c.shape)
    far = a >= c + 1.0 + 3.0 * np.sqrt(c)
    if np.any(~far):
        cn, an = c[~far], a[~far]
        cdf = special.gammaincc(cn + 1.0, an)
        out[~far] = np.exp(_log_poisson_pmf(cn, an) - np.log(cdf))
    if np.any(far):
        out[far] = _erlang_b_continued_fraction(c[far], a[far])
    return out


def _erlang_b_array(load, servers) -> np.ndarray:
    """Erlang B element by element: the recursion up to 1,000 servers, the closed form above."""
    load, servers = np.broadcast_arrays(np.asarray(load, float), np.asarray(servers, np.int64))
    shape = load.shape
    a, c = load.ravel(), servers.ravel()
    out = np.empty(a.shape)
    small = c <= _RECURSION_MAX_SERVERS
    if small.any():
        out[small] = _erlang_b_recursion(a[small], c[small])
    if (~small).any():
        out[~small] = _erlang_b_large(a[~small], c[~small])
    return out.reshape(shape)


def erlang_b(load, servers):
    """Erlang B: probability that an arrival finds all ``servers`` busy in M/M/c/c (lost calls).

    Up to 1,000 servers it uses the stable recursion :math:`B(0)=1`,
    :math:`B(k)=A\\,B(k-1)/(k+A\\,B(k-1))` (c steps, exact to rounding). Above, it uses the
    identity with the Poisson distribution, :math:`B(c, A) = P(N=c)/P(N\\le c)` for
    :math:`N\\sim\\text{Poisson}(A)`, evaluated in log space (the cdf is the regularised
    incomplete gamma function :math:`Q(c+1, A)`; far beyond capacity its continued
    fraction): well under a millisecond for any number of servers up to 10^12. Both routes
    agree with the exact definition :math:`(A^c/c!)/\\sum_{k\\le c} A^k/k!` to about 1e-12
    (relative); the tests check this in exact integer arithmetic up to 10,000 servers.

    Parameters
    ----------
    load : float, array or Series
        Offered load A in Erlangs, in (0, 1e15].
    servers : int, array or Series of int
        Number of servers c, in [1, 10^12].

    Returns
    -------
    float, ndarray or Series (with the index of the Series given)

    References
    ----------
    Cooper, R. B. (1981). *Introduction to Queueing Theory*, 2nd ed. North Holland, ch. 3.
    Loader, C. (2000). Fast and accurate computation of binomial probabilities. Technical
    report, Bell Labs (the log Poisson probability without cancellation).

    Examples
    --------
    >>> round(erlang_b(5.0, 10), 6)   # a standard Erlang B table entry: about 1.84%
    0.018385
    >>> round(erlang_b(1e8, 10**8), 9)   # a hundred million servers, in a fraction of a millisecond
    7.9784e-05
    """
    index, x = _inputs(load=load, servers=servers)
    a = np.asarray(v.in_range("load", x["load"], 0, MAX_LOAD, low_open=True, unit="Erlangs"))
    c = np.asarray(_servers("servers", x["servers"]))
    return _out(index, _erlang_b_array(a, c))


def _check_stable(lam, mu, c, what="a steady state"):
    rho = np.asarray(lam) / (np.asarray(c) * np.asarray(mu))
    bad = rho >= 1 - _STABILITY_TOL
    if np.any(bad):
        idx = int(np.flatnonzero(np.ravel(bad))[0]) if np.ndim(bad) else 0
        shown = float(np.ravel(rho)[idx])
        raise ValueError(
            f"arrival_rate must be below servers x service_rate for {what} (utilisation < 1); "
            f"got utilisation {shown:.4g}: the queue would grow without bound"
        )


def _erlang_c_array(lam, mu, c):
    a = np.asarray(lam, float) / np.asarray(mu, float)
    c = np.asarray(c)
    b = _erlang_b_array(a, c)
    return c * b / ((c - a) + a * b)


def erlang_c(arrival_rate, service_rate, servers):
    """Erlang C: probability that an arriving customer has to wait in an M/M/c queue.

    .. math:: C(c, A) = \\frac{c\\,B(c, A)}{c - A\\,(1 - B(c, A))},\\qquad A=\\lambda/\\mu

    where B is :func:`erlang_b`; no factorials, so it is numerically stable and fast for
    any number of servers up to 10^12.

    Parameters
    ----------
    arrival_rate : float, array or Series
        λ, arrivals per time unit, in [1e-12, 1e12].
    service_rate : float, array or Series
        μ, services per server per time unit, in [1e-12, 1e12]; 1/μ is the mean handle time.
    servers : int, array or Series of int
        c in [1, 10^12]. Needs λ < cμ (utilisation below 1).

    Returns
    -------
    float, ndarray or Series
        Probability of waiting, in [0, 1]. Series inputs are aligned by index and the
        result keeps it.

    Raises
    ------
    ValueError
        For rates or servers out of range, Series with different indexes, or utilisation >= 1.

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
    index, x = _mmc_inputs(arrival_rate, service_rate, servers)
    lam, mu, c = x["arrival_rate"], x["service_rate"], x["servers"]
    _check_stable(lam, mu, c)
    return _out(index, _erlang_c_array(lam, mu, c))


def _finite(what, value):
    v.finite_result(what, value, hint="service_rate x servers - arrival_rate is too small for these units")
    return value


def mean_wait(arrival_rate, service_rate, servers):
    """Mean waiting time in queue of an M/M/c queue, :math:`W_q = C(c,A)/(c\\mu-\\lambda)`.

    In the same time unit as the rates (the average speed of answer, ASA, of a call
    centre). See :func:`erlang_c` for parameters and references.

    Examples
    --------
    >>> round(mean_wait(0.9, 1.0, 1), 6)   # M/M/1: ρ/(μ-λ) = 9
    9.0
    """
    index, x = _mmc_inputs(arrival_rate, service_rate, servers)
    lam, mu, c = x["arrival_rate"], x["service_rate"], x["servers"]
    _check_stable(lam, mu, c)
    out = _erlang_c_array(lam, mu, c) / (c * mu - lam)
    return _out(index, _finite("mean_wait", out))


def mean_queue_length(arrival_rate, service_rate, servers):
    """Mean number waiting, :math:`L_q = \\lambda W_q` (Little's law; Little 1961).

    Examples
    --------
    >>> round(mean_queue_length(0.9, 1.0, 1), 6)   # M/M/1: ρ²/(1-ρ)
    8.1
    """
    index, x = _mmc_inputs(arrival_rate, service_rate, servers)
    lam, mu, c = x["arrival_rate"], x["service_rate"], x["servers"]
    _check_stable(lam, mu, c)
    out = lam * _erlang_c_array(lam, mu, c) / (c * mu - lam)
    return _out(index, _finite("mean_queue_length", out))


def _prob_wait_exceeds(lam, mu, c, t):
    return _erlang_c_array(lam, mu, c) * np.exp(-(c * mu - lam) * t)


def prob_wait_exceeds(arrival_rate, service_rate, servers, t):
    """P(W_q > t) = C(c, A) exp(-(cμ - λ) t) for an M/M/c queue (FCFS).

    Parameters
    ----------
    arrival_rate, service_rate, servers
        As in :func:`erlang_c`.
    t : float, array or Series
        Waiting time threshold in [0, 1e12], in the rates' time unit.

    References
    ----------
    Gans, Koole & Mandelbaum (2003), section 4.1; Cooper (1981), ch. 3.

    Examples
    --------
    >>> round(prob_wait_exceeds(0.9, 1.0, 1, 0.0), 6)
    0.9
    """
    index, x = _mmc_inputs(arrival_rate, service_rate, servers, t=t)
    lam, mu, c = x["arrival_rate"], x["service_rate"], x["servers"]
    _check_stable(lam, mu, c)
    return _out(index, _prob_wait_exceeds(lam, mu, c, x["t"]))


def service_level(arrival_rate, service_rate, servers, target_time):
    """Service level: share of customers whose wait is at most ``target_time`` (M/M/c).

    .. math:: SL(t) = 1 - C(c, A)\\,e^{-(c\\mu-\\lambda)t}

    Parameters
    ----------
    arrival_rate, service_rate : float, array or Series
        λ and μ per time unit, in [1e-12, 1e12].
    servers : int, array or Series of int
        c in [1, 10^12], with λ < cμ.
    target_time : float, array or Series
        The answer-time target t in [0, 1e12], e.g. 20 seconds = 1/3 minute.

    Returns
    -------
    float, ndarray or Series in [0, 1]

    References
    ----------
    Gans, Koole & Mandelbaum (2003); Cooper (1981).

    Examples
    --------
    >>> round(service_level(200 / 60, 1 / 3, 14, 20 / 60), 3)   # 10 Erlangs, 14 agents, 20 s
    0.888
    """
    index, x = _mmc_inputs(arrival_rate, service_rate, servers, target_time=target_time)
    lam, mu, c = x["arrival_rate"], x["service_rate"], x["servers"]
    _check_stable(lam, mu, c)
    return _out(index, 1.0 - _prob_wait_exceeds(lam, mu, c, x["target_time"]))


def required_servers(arrival_rate, service_rate, target_time, target_level, *, max_servers=None):
    """Smallest number of servers whose M/M/c service level reaches ``target_level``.

    Starts at the smallest stable staffing ⌊A⌋+1. Up to 1,000 servers it adds one server
    at a time, updating Erlang B by its recursion; beyond, it brackets the answer in steps
    of about √A servers (square-root staffing) and bisects, using the closed form of
    :func:`erlang_b`, so a load of 10^8 Erlangs takes milliseconds. The service level rises
    with every server added, so the search finds the smallest one.

    Parameters
    ----------
    arrival_rate, service_rate : float
        λ and μ per time unit, in [1e-12, 1e12].
    target_time : float
        Answer-time target t in [0, 1e12], in the same time unit.
    target_level : float
        Required share answered within ``target_time``, in (0, 1).
    max_servers : int, optional
        Search limit (default 10^12, :data:`MAX_SERVERS`).

    Returns
    -------
    int

    References
    ----------
    Gans, Koole & Mandelbaum (2003), section 4.1 (staffing by Erlang C; square-root staffing).

    Examples
    --------
    >>> required_servers(200 / 60, 1 / 3, 20 / 60, 0.8)   # 10 Erlangs, 3-min calls, 80/20
    14
    """
    lam = float(_rate("arrival_rate", _scalar("arrival_rate", arrival_rate)))
    mu = float(_rate("service_rate", _scalar("service_rate", service_rate)))
    t = float(_time("target_time", _scalar("target_time", target_time)))
    level = float(
        v.in_range("target_level", _scalar("target_level", target_level), 0, 1, low_open=True, high_open=True)
    )
    top = MAX_SERVERS if max_servers is None else _servers("max_servers", _scalar("max_servers", max_servers))
    a = lam / mu

    def too_few():
        return ValueError(
            f"max_servers={top} is too small for load {a:.4g} Erlangs and target_level {level} "
            f"(raise max_servers, lower target_level or lengthen target_time)"
        )

    k0 = int(math.floor(a * (1 + _STABILITY_TOL))) + 1  # smallest stable staffing
    while a / k0 >= 1 - _STABILITY_TOL:
        k0 += 1
    if k0 > top:
        raise too_few()
    if k0 <= _RECURSION_MAX_SERVERS:
        b = 1.0
        for k in range(1, min(top, _RECURSION_MAX_SERVERS) + 1):
            b = a * b / (k + a * b)
            if k < k0:
                continue
            c_prob = k * b / ((k - a) + a * b)
            if 1.0 - c_prob * math.exp(-(k * mu - lam) * t) >= level:
                return k
        k0 = _RECURSION_MAX_SERVERS + 1
        if k0 > top:
            raise too_few()

    def meets(k: int) -> bool:
        return bool(1.0 - _prob_wait_exceeds(lam, mu, np.array(k), t) >= level)

    lo, hi, step = k0 - 1, k0, max(1, int(math.sqrt(a)))
    while not meets(hi):
        if hi >= top:
            raise too_few()
        lo, hi, step = hi, min(top, hi + step), 2 * step
    while hi - lo > 1:  # lo fails (or is unstable), hi meets the target
        mid = (lo + hi) // 2
        lo, hi = (lo, mid) if meets(mid) else (mid, hi)
    return hi


#: Field names of :class:`QueueMetrics` shown as table labels (its ``summary()``), marked for the Chinese edition.
_METRIC_LABELS = (N_("service_rate"), N_("target_time"), N_("mean_queue_length"))


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
        return pd.Series({f.name: getattr(self, f.name) for f in fields(self)}, name="M/M/c")

    def summary(self) -> pd.DataFrame:
        """The measures as a one-column table, rounded to 4 decimals."""
        return _parameter_frame(self.params.round(4))

    def __repr__(self) -> str:
        text = _(
            "c={servers}, A={load:.4g} Erlangs, rho={utilization:.4f}, P(wait)={prob_wait:.4f}, Wq={mean_wait:.4g}, "
            "Lq={queue_length:.4g}, SL({target_time:g})={service_level:.4f}"
        ).format(
            servers=self.servers,
            load=self.load,
            utilization=self.utilization,
            prob_wait=self.prob_wait,
            mean_wait=self.mean_wait,
            queue_length=self.mean_queue_length,
            target_time=self.target_time,
            service_level=self.service_level,
        )
        return f"QueueMetrics({text})"


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
    t = float(_time("target_time", _scalar("target_time", target_time)))
    return QueueMetrics(
        s.arrival_rate,
        s.service_rate,
        s.servers,
        t,
        s.load,
        s.utilization,
        erlang_c(s.arrival_rate, s.service_rate, s.servers),
        mean_wait(s.arrival_rate, s.service_rate, s.servers),
        mean_queue_length(s.arrival_rate, s.service_rate, s.servers),
        service_level(s.arrival_rate, s.service_rate, s.servers, t),
    )


#: The queue disciplines the simulators name (:attr:`QueueSimulation.discipline`), marked so that
#: the records' reprs and tables labelled by them read in Chinese in the Chinese edition.
_DISCIPLINES = (N_("FCFS single line"), N_("parallel lines (shortest)"), N_("parallel lines (random)"))


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
                        break  # nobody can start earlier than this
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
        # one line per server, customers join on arrival and never switch (no jockeying);
        # each line is a linked list through nxt, so memory is O(customers + servers)
        n = arrival.shape[0]
        nxt = np.full(n, -1, np.int64)
        head = np.full(servers, -1, np.int64)  # oldest customer of the line not yet done
        tail = np.full(servers, -1, np.int64)  # last customer who joined the line
        count = np.zeros(servers, np.int64)
        done = np.zeros(servers, np.int64)
        free = np.zeros(servers)
        start = np.empty(n)
        end = np.empty(n)
        line = np.empty(n, np.int64)
        for i in range(n):
            a = arrival[i]
            for k in range(servers):
                h = head[k]
                while h >= 0 and end[h] <= a:
                    done[k] += 1
                    h = nxt[h]
                head[k] = h
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
            if tail[k] >= 0:
                nxt[tail[k]] = i
            if head[k] < 0:
                head[k] = i
            tail[k] = i
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
    ('gamma', cv), ('lognormal', cv) with cv in (0, 10], or a callable ``f(rng, size)``."""
    if spec is None or (isinstance(spec, str) and spec == "exponential"):
        return rng.exponential(mean, n)
    if isinstance(spec, str) and spec == "deterministic":
        return np.full(n, mean)
    if callable(spec):
        out = np.asarray(spec(rng, n), dtype=float)
        if out.shape != (n,):
            raise ValueError(f"{name} callable must return {n} values for size={n}; got shape {out.shape}")
        if not np.all(np.isfinite(out)) or np.any(out < 0) or np.any(out > MAX_TIME):
            raise ValueError(f"{name} callable must return finite non-negative times up to {MAX_TIME:g}")
        return out
    if isinstance(spec, tuple) and len(spec) == 2 and isinstance(spec[0], str) and spec[0] in ("gamma", "lognormal"):
        cv = float(v.in_range(f"{name} coefficient of variation", spec[1], 0, 10, low_open=True))
        if spec[0] == "gamma":
            shape = 1.0 / cv**2
            return rng.gamma(shape, mean / shape, n)
        sigma2 = math.log1p(cv**2)
        return rng.lognormal(math.log(mean) - sigma2 / 2, math.sqrt(sigma2), n)
    raise ValueError(
        f"{name} must be 'exponential', 'deterministic', ('gamma', cv), ('lognormal', cv) "
        f"or a callable f(rng, size); got {spec!r}"
    )


def _nhpp_arrivals(rates: np.ndarray, interval: float, rng: np.random.Generator) -> np.ndarray:
    """Arrival times of a non-homogeneous Poisson process with piecewise-constant rates,
    by thinning (Lewis & Shedler 1979): simulate at the peak rate, keep each point with
    probability rate(t)/peak."""
    peak = float(rates.max())
    horizon = interval * rates.size
    expected = peak * horizon
    if expected > MAX_CUSTOMERS:
        raise ValueError(
            f"arrival_rate profile x interval_length gives about {expected:.3g} candidate arrivals; "
            f"the limit is {MAX_CUSTOMERS:.0e} (check the time unit of interval_length)"
        )
    n = rng.poisson(expected)
    t = np.sort(rng.uniform(0.0, horizon, n))
    idx = np.minimum((t // interval).astype(np.int64), rates.size - 1)
    keep = rng.uniform(0.0, 1.0, n) * peak < rates[idx]
    return t[keep]


def _check_work(n: int, servers: int, what: str = "servers") -> None:
    if n * servers > MAX_SIMULATION_WORK:
        raise ValueError(
            f"{what} x customers = {servers} x {n} = {n * servers:.3g} exceeds {MAX_SIMULATION_WORK:.0e} "
            f"(about ten seconds of simulation); simulate fewer customers or use the Erlang C formulas"
        )


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
        """Mean waiting time of the customers who were served (NaN if nobody was)."""
        return float(self.wait[self.served].mean()) if self.served.any() else float("nan")

    def prob_wait(self) -> float:
        """Share of served customers who waited a positive time (NaN if nobody was served)."""
        return float((self.wait[self.served] > 0).mean()) if self.served.any() else float("nan")

    def abandonment_rate(self) -> float:
        return float(self.abandoned.mean()) if self.n_customers else float("nan")

    def service_level(self, target_time: float) -> float:
        """Share of all arrivals answered within ``target_time`` (abandoned count as failures)."""
        t = float(_time("target_time", _scalar("target_time", target_time)))
        return float((self.served & (self.wait <= t)).mean()) if self.n_customers else float("nan")

    def frame(self) -> pd.DataFrame:
        """The per-customer record as a DataFrame."""
        return pd.DataFrame(
            {
                "arrival": self.arrival,
                "start": self.start,
                "end": self.end,
                "wait": self.wait,
                "abandoned": self.abandoned,
                "server": self.server,
            }
        )

    @property
    def params(self) -> pd.Series:
        return pd.Series(
            {
                N_("customers"): float(self.n_customers),
                "mean_wait": self.mean_wait(),
                "prob_wait": self.prob_wait(),
                N_("abandonment_rate"): self.abandonment_rate(),
            }
        )

    def summary(self) -> pd.DataFrame:
        return _parameter_frame(self.params.round(4))

    def __repr__(self) -> str:
        text = _(
            "{discipline}, customers={customers}, mean_wait={mean_wait:.4g}, prob_wait={prob_wait:.4f}, "
            "abandoned={abandoned:.4f}"
        ).format(
            discipline=_(self.discipline),
            customers=self.n_customers,
            mean_wait=self.mean_wait(),
            prob_wait=self.prob_wait(),
            abandoned=self.abandonment_rate(),
        )
        return f"QueueSimulation({text})"


def simulate_queue(
    arrival_rate,
    service_rate,
    servers,
    n_customers=None,
    *,
    rng: np.random.Generator,
    service="exponential",
    patience=None,
    interval_length: float = 1.0,
) -> QueueSimulation:
    """Simulate a first-come-first-served multi-server queue, customer by customer.

    Each customer, in arrival order, is served by the server that can start earliest
    (one shared line, FCFS); the loop is compiled with numba (imported on first call and
    cached on disk), so a million customers take a fraction of a second.

    Parameters
    ----------
    arrival_rate : float or 1-d array
        λ per time unit, in [1e-12, 1e12]. A scalar gives a Poisson process. An array is
        a **rate profile**: rate ``arrival_rate[j]`` (>= 0) holds on
        ``[j, j+1) * interval_length``; arrivals then follow a non-homogeneous Poisson
        process generated by thinning (Lewis & Shedler 1979) over the whole profile.
    service_rate : float
        μ, so the mean service time is 1/μ; in [1e-12, 1e12].
    servers : int or 1-d array of int
        c, or a staffing level per interval of ``interval_length`` (same length as the
        rate profile, or any length with a scalar rate). A server that goes off duty
        finishes its current customer; after the last interval staffing stays at the
        last value. At most 10^5 servers, and customers x servers at most 10^10.
    n_customers : int or None
        Number of arrivals with a scalar rate, in [1, 10^7]. With a rate profile leave it
        None (all arrivals of the profile) or give a cap.
    rng : numpy.random.Generator
        Required, keyword-only (randomness is always explicit).
    service : str, tuple or callable
        Service-time distribution with mean 1/μ: ``'exponential'`` (M/M/c),
        ``'deterministic'``, ``('gamma', cv)`` or ``('lognormal', cv)`` with coefficient
        of variation cv in (0, 10], or a callable ``f(rng, size)`` returning the times.
    patience : None, float or callable
        None: nobody abandons. A number in (0, 1e12]: exponential patience with that mean
        (M/M/c+M, "Erlang A"). A callable ``f(rng, size)``: patience times. A customer
        whose wait would exceed the patience leaves at that moment.
    interval_length : float
        Length of one profile / staffing interval, in (0, 1e12].

    Returns
    -------
    QueueSimulation
        ``.wait`` holds every customer's waiting time in arrival order.

    Raises
    ------
    TypeError
        If ``rng`` is not a numpy Generator.
    ValueError
        For rates, servers or sizes out of range, an empty rate profile, a missing
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
    mu = float(_rate("service_rate", _scalar("service_rate", service_rate)))
    interval_length = float(_time("interval_length", _scalar("interval_length", interval_length), positive=True))
    if np.ndim(servers) == 0:
        c = _servers("servers", servers, maximum=MAX_SIMULATED_SERVERS)
        staff = None
    else:
        staff = np.atleast_1d(_servers("servers", servers, minimum=0, maximum=MAX_SIMULATED_SERVERS))
        if staff.ndim != 1 or staff.size > MAX_CUSTOMERS or staff.max() < 1:
            raise ValueError(
                f"servers as a staffing plan must be a 1-d array of at most {MAX_CUSTOMERS:.0e} intervals with "
                f"at least one server on duty; got {v._show(staff)}"
            )
        staff = staff.astype(np.int64)
        c = int(staff.max())
        if staff.size * c > 5 * MAX_CUSTOMERS:
            raise ValueError(
                f"servers as a staffing plan has {staff.size} intervals x up to {c} servers; at most "
                f"{5 * MAX_CUSTOMERS:.0e} (interval, server) pairs fit the simulator's table"
            )
    cap = None if n_customers is None else v.integer("n_customers", n_customers, minimum=1, maximum=MAX_CUSTOMERS)
    if np.ndim(arrival_rate) == 0:
        lam = float(_rate("arrival_rate", arrival_rate))
        if cap is None:
            raise ValueError("n_customers must be given (a whole number >= 1) when arrival_rate is a single rate")
        n = cap
        _check_work(n, c)
        arrival = np.cumsum(rng.exponential(1.0 / lam, n))
        horizon = float(arrival[-1])
    else:
        rates = np.asarray(v.in_range("arrival_rate", arrival_rate, 0, MAX_RATE, unit="per time unit"))
        if rates.ndim != 1:
            raise ValueError(f"arrival_rate as a rate profile must be a 1-d array; got shape {rates.shape}")
        if rates.max() <= 0:
            raise ValueError("arrival_rate profile must have at least one positive rate; got all zeros")
        arrival = _nhpp_arrivals(rates, interval_length, rng)
        if cap is not None:
            arrival = arrival[:cap]
        horizon = interval_length * rates.size
        n = arrival.size
        _check_work(n, c)
    service_times = _draw_times(service, 1.0 / mu, n, rng, "service")
    if patience is None:
        pat = np.full(n, np.inf)
    elif callable(patience):
        pat = _draw_times(patience, 1.0, n, rng, "patience")
    else:
        pat = rng.exponential(float(_time("patience", _scalar("patience", patience), positive=True)), n)
    fcfs_constant, fcfs_staffed, _, _ = _kernels()
    if staff is None:
        start, end, wait, server, abandoned = fcfs_constant(arrival, service_times, pat, c)
        servers_out = c
    else:
        start, end, wait, server, abandoned = fcfs_staffed(arrival, service_times, pat, staff, interval_length)
        servers_out = staff
    return QueueSimulation(
        arrival,
        start,
        end,
        wait,
        abandoned,
        server,
        servers_out,
        horizon,
        inputs={"service_rate": mu, "interval_length": interval_length},
    )


def simulate_parallel_lines(
    arrival_rate,
    service_rate,
    servers,
    n_customers,
    *,
    rng: np.random.Generator,
    choice: str = "shortest",
    service="exponential",
) -> QueueSimulation:
    """Simulate ``servers`` separate lines (one per server), as at supermarket checkouts.

    Each arrival joins a line and stays in it (no jockeying): the shortest line
    (``choice='shortest'``, ties broken at random) or a random line
    (``choice='random'``). Within a line service is FCFS. Compare with
    :func:`simulate_queue` (one shared line) using :func:`queue_fairness`.

    Parameters are as in :func:`simulate_queue` (scalar arrival rate, constant servers;
    ``rng`` required and keyword-only).

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
    lam = float(_rate("arrival_rate", _scalar("arrival_rate", arrival_rate)))
    mu = float(_rate("service_rate", _scalar("service_rate", service_rate)))
    c = _servers("servers", _scalar("servers", servers), maximum=MAX_SIMULATED_SERVERS)
    n = v.integer("n_customers", _scalar("n_customers", n_customers), minimum=1, maximum=MAX_CUSTOMERS)
    v.one_of("choice", choice, ["shortest", "random"])
    _check_work(n, c)
    arrival = np.cumsum(rng.exponential(1.0 / lam, n))
    service_times = _draw_times(service, 1.0 / mu, n, rng, "service")
    tiebreak = rng.integers(0, c, n)
    _, _, lines, _ = _kernels()
    start, end, line = lines(arrival, service_times, c, choice == "shortest", tiebreak)
    return QueueSimulation(
        arrival,
        start,
        end,
        start - arrival,
        np.zeros(n, bool),
        line,
        c,
        float(arrival[-1]),
        discipline=f"parallel lines ({choice})",
        inputs={"service_rate": mu},
    )


@dataclass(frozen=True)
class FairnessResult:
    """Larson's (1987) fairness measures of a simulated queue.

    A customer *slips* past an earlier arrival who is served later, and is *skipped*
    (Larson: is "slipped") when a later arrival is served first. Under strict FCFS in
    one line both are zero.
    """

    discipline: str
    customers: int
    share_slipped: float  # customers overtaken by at least one later arrival
    mean_slips: float  # mean number of later arrivals served first, per customer
    share_skipping: float  # customers who overtake at least one earlier arrival
    mean_wait: float
    sd_wait: float

    @property
    def params(self) -> pd.Series:
        keys = ("customers", "share_slipped", N_("mean_slips"), N_("share_skipping"), "mean_wait", N_("sd_wait"))
        return pd.Series({k: getattr(self, k) for k in keys}, name=self.discipline, dtype=float)

    def summary(self) -> pd.DataFrame:
        return self.params.round(4).to_frame(self.discipline)

    def __repr__(self) -> str:
        text = _(
            "{discipline}: slipped={slipped:.3f}, mean_slips={mean_slips:.3f}, skipping={skipping:.3f}, "
            "mean_wait={mean_wait:.3f}, sd_wait={sd_wait:.3f}"
        ).format(
            discipline=_(self.discipline),
            slipped=self.share_slipped,
            mean_slips=self.mean_slips,
            skipping=self.share_skipping,
            mean_wait=self.mean_wait,
            sd_wait=self.sd_wait,
        )
        return f"FairnessResult({text})"


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
    return FairnessResult(
        sim.discipline,
        int(start.size),
        float((slips > 0).mean()),
        float(slips.mean()),
        float((skips > 0).mean()),
        float(w.mean()),
        float(w.std()),
    )


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
    state named by ``worse`` (e.g. unoccupied); it lies in [1, 10]. ``evidence`` says
    where the number comes from:

    * ``'illustrative assumption'``: a value chosen for teaching, which the user can
      change; never a finding;
    * ``'proxy: one study's overall ratio'``: a measured number that is *not* a
      measurement of this principle. The occupied/unoccupied factor is Jones & Peppiatt's
      (1996) overall perceived/actual ratio in one food outlet, borrowed as a stand-in.

    No factor is a measured effect of its own principle; ``basis`` says what is known.
    ``chinese`` states the principle, and ``worse_chinese`` / ``better_chinese`` name its
    two states, in the course slides' wording (e.g. 无所适事 / 有事可干). Fields are checked
    when the record is built; change one with ``dataclasses.replace(principle, factor=1.5)``.
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

    def __post_init__(self):
        for f in fields(self):
            if f.name != "factor" and not isinstance(getattr(self, f.name), str):
                raise TypeError(f"{f.name} must be a string; got {getattr(self, f.name)!r}")
        if not self.key.isidentifier():
            raise ValueError(f"key must be a short identifier such as 'occupied'; got {self.key!r}")
        factor = v.in_range("factor", _scalar("factor", self.factor), 1.0, MAX_FACTOR)
        object.__setattr__(self, "factor", float(factor))


_ILL = N_("illustrative assumption")
_PROXY = N_("proxy: one study's overall ratio")

#: The ten principles (Maister 1985; Davis & Heineke 1994; Jones & Peppiatt 1996), with the
#: Chinese wording of the course slides (Maister's eight plus the two later additions).
PRINCIPLES: tuple[Principle, ...] = (
    Principle(
        NP_("waiting principle", "occupied"),
        N_("Unoccupied time feels longer than occupied time"),
        "无所适事的等待比有事可干的等待感觉更长",
        "Maister (1985); factor borrowed from Jones & Peppiatt (1996)",
        N_("unoccupied"),
        "occupied",
        1.40,
        _PROXY,
        N_(
            "Jones & Peppiatt (1996) timed customers queueing in one small UK food outlet: their judged waits "
            "averaged 221 s against 158 s on the clock, a ratio of 1.40 over the whole sample. That is an overall "
            "over-estimate of waiting time, not a measured contrast between occupied and unoccupied customers; "
            "the model borrows it as a stand-in (proxy) for the unoccupied factor. Larson (quoted in 2012) puts "
            "the over-estimate of people doing nothing in a line at about 36%, a press quotation, not a "
            "controlled comparison either."
        ),
        N_("Restaurant: hand out menus while guests wait for a table."),
        "无所适事",
        "有事可干",
    ),
    Principle(
        NP_("waiting principle", "in_process"),
        N_("Pre-process and post-process waits feel longer than in-process waits"),
        "过程前、过程后的等待比过程中的等待感觉更长",
        "Maister (1985)",
        N_("pre- or post-process"),
        "in-process",
        1.20,
        _ILL,
        N_(
            "No effect size in the sources used here. One factor covers both the wait before the service "
            "starts and the wait after it ends."
        ),
        N_(
            "Exhibition: scan badges and give the catalogue while visitors queue to enter; send the exit "
            "shuttles as soon as they fill."
        ),
        "过程前、过程后",
        "过程中",
    ),
    Principle(
        NP_("waiting principle", "anxiety"),
        N_("Anxiety makes waits seem longer"),
        "焦虑使等待显得比实际更长",
        "Maister (1985)",
        N_("anxious"),
        "calm",
        1.25,
        _ILL,
        N_("No effect size in the sources used here."),
        N_("Bank: a customer unsure whether she chose the right counter line."),
        "焦虑",
        "不焦虑",
    ),
    Principle(
        NP_("waiting principle", "known"),
        N_("Uncertain waits are longer than known, finite waits"),
        "不确定的等待比已知的、有限的等待更长",
        "Maister (1985)",
        N_("uncertain"),
        "known",
        1.20,
        _ILL,
        N_(
            "Munichor & Rafaeli (2007) found that telling callers their queue position cut hang-ups "
            "(about 70% with music only vs 36%) but worked through a sense of progress, not through "
            "perceived duration; so the time factor here is an assumption."
        ),
        N_("Call centre: announce the expected wait or the caller's position in the queue."),
        "不确定",
        "已知的、有限的",
    ),
    Principle(
        NP_("waiting principle", "explained"),
        N_("Unexplained waits are longer than explained waits"),
        "没有说明理由的等待比说明了理由的等待更长",
        "Maister (1985)",
        N_("unexplained"),
        "explained",
        1.15,
        _ILL,
        N_(
            "No effect size in the sources used here; apologies alone did not reduce hang-ups in "
            "Munichor & Rafaeli (2007)."
        ),
        N_("Airline / exhibition shuttle: say why the delay happens."),
        "没有说明理由",
        "说明了理由",
    ),
    Principle(
        NP_("waiting principle", "fair"),
        N_("Unfair waits are longer than equitable waits"),
        "不公平的等待比平等的等待更长",
        "Maister (1985); Larson (1987)",
        N_("unfair"),
        "fair",
        1.30,
        _ILL,
        N_("Larson (1987) shows customers mind 'slips and skips'; no time multiplier is measured."),
        N_("Bank: one serpentine line instead of a line per counter."),
        "不公平",
        "平等",
    ),
    Principle(
        NP_("waiting principle", "valuable"),
        N_("The more valuable the service, the longer people will wait"),
        "服务的价值越高，人们愿意等待的时间越长",
        "Maister (1985)",
        N_("low value"),
        "high value",
        1.20,
        _ILL,
        N_("A tolerance effect, expressed here as equivalent extra perceived time."),
        N_("Exhibition: visitors queue long for a famous keynote, not for the cloakroom."),
        "服务价值低",
        "服务价值高",
    ),
    Principle(
        NP_("waiting principle", "group"),
        N_("Solo waits feel longer than group waits"),
        "单个人等待比许多人一起等待感觉更长",
        "Maister (1985)",
        N_("solo"),
        "group",
        1.10,
        _ILL,
        N_("Tested by Jones & Peppiatt (1996); no multiplier is taken from it here."),
        N_("Restaurant: a family waiting together chats; a lone diner watches the clock."),
        "单个人等待",
        "许多人一起等待",
    ),
    Principle(
        NP_("waiting principle", "comfortable"),
        N_("Uncomfortable waits feel longer than comfortable waits"),
        "令人身体不舒适的等待比舒适的等待感觉更长",
        "Davis & Heineke (1994)",
        N_("uncomfortable"),
        "comfortable",
        1.15,
        _ILL,
        N_("No effect size in the sources used here."),
        N_("Exhibition: shade, seats and water for a queue in the sun."),
        "令人身体不舒适",
        "舒适",
    ),
    Principle(
        NP_("waiting principle", "familiar"),
        N_("Unfamiliar waits feel longer than familiar waits"),
        "不熟悉的等待比熟悉的等待更长",
        "Jones & Peppiatt (1996)",
        N_("unfamiliar"),
        "familiar",
        1.10,
        _ILL,
        N_("Jones & Peppiatt (1996) compared new and frequent users; no multiplier is taken from it here."),
        N_("Bank: first-time visitors do not know the steps; regulars do."),
        "不熟悉",
        "熟悉",
    ),
)

_PRINCIPLE_KEYS = tuple(p.key for p in PRINCIPLES)


def _parameter_frame(params: pd.Series) -> pd.DataFrame:
    """A result's parameters as a one-column table "value" (a number: 数值, not a customer's 价值)."""
    out = params.to_frame(NP_("parameters", "value"))
    out.attrs["i18n_context"] = "parameters"
    return out


#: Jones & Peppiatt (1996), whole sample: mean actual and perceived wait in seconds. (The keys of
#: this dict and the next are marked, so shown as a Series, ``pd.Series(JONES_PEPPIATT_1996)``,
#: they are labelled in Chinese in the Chinese edition.)
JONES_PEPPIATT_1996 = {N_("actual_seconds"): 158.0, N_("perceived_seconds"): 221.0, N_("ratio"): 221.0 / 158.0}

#: Munichor & Rafaeli (2007), study 1 (123 real calls, a wait of about 108 s as reported in
#: the APA Monitor summary): share of callers who hung up, by waiting-time filler.
MUNICHOR_RAFAELI_2007 = {
    N_("music only"): 0.70,
    N_("music + apologies"): 0.67,
    N_("music + queue position"): 0.36,
}


@dataclass(frozen=True)
class WaitExperience:
    """How a wait is designed: one flag per principle, True = the *better* state.

    The defaults describe an unmanaged wait (every flag False): unoccupied,
    pre- or post-process, anxious, uncertain, unexplained, unfair, low value, solo,
    uncomfortable, unfamiliar. Every flag must be ``True`` or ``False`` (checked when the
    record is built); change one with ``dataclasses.replace(experience, occupied=True)``.
    """

    occupied: bool = False
    in_process: bool = False  # True = in-process; False = before the service starts or after it ends
    anxiety: bool = False  # True = calm
    known: bool = False
    explained: bool = False
    fair: bool = False
    valuable: bool = False
    group: bool = False
    comfortable: bool = False
    familiar: bool = False

    def __post_init__(self):
        for f in fields(self):
            object.__setattr__(self, f.name, _flag(f.name, getattr(self, f.name)))

    def __repr__(self) -> str:
        return _field_repr(self, _EXPERIENCE_LABELS, context="wait experience")


#: Words shown after each flag of :class:`WaitExperience` in the Chinese edition: the question
#: the flag answers (True = the better state), e.g. ``anxiety=True（是否平静、不焦虑）``.
_EXPERIENCE_LABELS = {
    "occupied": NP_("wait experience", "occupied"),
    "in_process": NP_("wait experience", "in_process"),
    "anxiety": NP_("wait experience", "anxiety"),
    "known": NP_("wait experience", "known"),
    "explained": NP_("wait experience", "explained"),
    "fair": NP_("wait experience", "fair"),
    "valuable": NP_("wait experience", "valuable"),
    "group": NP_("wait experience", "group"),
    "comfortable": NP_("wait experience", "comfortable"),
    "familiar": NP_("wait experience", "familiar"),
}


def perception_factor(experience: WaitExperience | None = None, factors: dict | None = None) -> float:
    """Ratio perceived / actual waiting time for one wait design.

    .. math:: \\frac{\\text{perceived}}{\\text{actual}} = \\prod_{i:\\ \\text{worse state}} f_i

    the product of the factors of the principles whose wait is in the worse state.

    Parameters
    ----------
    experience : WaitExperience, optional
        Default: an unmanaged wait (all worse states).
    factors : dict, optional
        Override factors by principle key (each in [1, 10]), e.g. ``{"fair": 1.5}``.

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
    if factors is not None and not isinstance(factors, dict):
        raise TypeError(f"factors must be a dict of principle key -> factor; got {type(factors).__name__}")
    factors = dict(factors or {})
    unknown = set(factors) - set(_PRINCIPLE_KEYS)
    if unknown:
        raise ValueError(f"factors has unknown principle key(s) {sorted(unknown)}; allowed {list(_PRINCIPLE_KEYS)}")
    out = 1.0
    for p in PRINCIPLES:
        name = f"factors[{p.key!r}]"
        f = float(v.in_range(name, _scalar(name, factors.get(p.key, p.factor)), 1.0, MAX_FACTOR))
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
    actual_wait : float, array or Series
        Clock waiting time(s) in [0, 1e12], any time unit (the output has the same unit;
        a Series keeps its index).

    Examples
    --------
    >>> round(perceived_wait(158.0, WaitExperience(*[True] * 10)), 1)
    158.0
    """
    index, x = _inputs(actual_wait=actual_wait)
    w = np.asarray(_time("actual_wait", x["actual_wait"]))
    return _out(index, w * perception_factor(experience, factors))


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
    :class:`Principle`), ``basis`` (what the factor rests on) and ``example``. The index holds
    the principles' keys (the codes :func:`only_worse` and ``factors=`` take); the Chinese edition
    shows them as the principles' short Chinese names (``group`` as 许多人一起).

    Examples
    --------
    >>> t = principles_table()
    >>> len(t), t["evidence"].value_counts().to_dict()
    (10, {'illustrative assumption': 9, "proxy: one study's overall ratio": 1})
    >>> t.loc["in_process", "中文 (worse / better)"]
    '过程前、过程后 / 过程中'
    """
    out = pd.DataFrame(
        {
            N_("principle"): [p.english for p in PRINCIPLES],
            N_("中文"): [p.chinese for p in PRINCIPLES],
            N_("source"): [p.source for p in PRINCIPLES],
            N_("worse state"): [p.worse for p in PRINCIPLES],
            N_("中文 (worse / better)"): [f"{p.worse_chinese} / {p.better_chinese}" for p in PRINCIPLES],
            N_("factor"): [p.factor for p in PRINCIPLES],
            N_("evidence"): [p.evidence for p in PRINCIPLES],
            N_("basis"): [p.basis for p in PRINCIPLES],
            N_("example"): [p.example for p in PRINCIPLES],
        },
        index=pd.Index(_PRINCIPLE_KEYS, name=N_("key")),
    )
    # the keys are codes (``only_worse("group")``); shown, they read as the principle's short name
    out.attrs["i18n_context"] = "waiting principle"
    # the slides' wording beside the English: the Chinese edition shows it in place of the English
    out.attrs["english_only"] = ["中文", "中文 (worse / better)"]
    return out


# --------------------------------------------------------------------------- design: servers vs experience
#: Words shown after each field of :class:`QueueDesign` in the Chinese edition (its repr).
_DESIGN_LABELS = {
    "scenario": NP_("queue design", "scenario"),
    "occupy": NP_("queue design", "occupy"),
    "announce": NP_("queue design", "announce"),
    "single_line": NP_("queue design", "single_line"),
    "target_time": N_("target_time"),
}


@dataclass(frozen=True)
class QueueDesign:
    """A service design: the queue (:class:`QueueScenario`) plus three experience levers.

    ``occupy`` fills the wait (principle *occupied*), ``announce`` tells customers the
    expected wait and why (principles *known* and *explained*), ``single_line`` serves
    everybody from one FCFS line instead of one line per server (principle *fair*, and
    it also changes the actual waits). ``target_time`` (in [0, 1e12], the scenario's time
    unit) is the service-level target. Build it with :func:`queue_design`; change it with
    ``dataclasses.replace(design, single_line=True)``.

    Examples
    --------
    >>> import dataclasses
    >>> d = dataclasses.replace(queue_design(), occupy=True)
    >>> d.occupy, d.experience().occupied
    (True, True)
    """

    scenario: QueueScenario
    occupy: bool = False
    announce: bool = False
    single_line: bool = False
    target_time: float = 0.5

    def __post_init__(self):
        if not isinstance(self.scenario, QueueScenario):
            raise TypeError(
                f"scenario must be a QueueScenario (see queue_scenario()); got {type(self.scenario).__name__}"
            )
        for name in ("occupy", "announce", "single_line"):
            object.__setattr__(self, name, _flag(name, getattr(self, name)))
        object.__setattr__(self, "target_time", float(_time("target_time", _scalar("target_time", self.target_time))))

    def __repr__(self) -> str:
        return _field_repr(self, _DESIGN_LABELS, context="queue design")

    def experience(self) -> WaitExperience:
        """The wait design as a :class:`WaitExperience`; principles not touched by the
        three levers are held at their better state, so they do not mask the levers."""
        return WaitExperience(
            occupied=self.occupy,
            in_process=True,
            anxiety=True,
            known=self.announce,
            explained=self.announce,
            fair=self.single_line,
            valuable=True,
            group=True,
            comfortable=True,
            familiar=True,
        )


def queue_design(
    arrival_rate: float = 1.5,
    handle_time: float = 2.0,
    servers: int = 4,
    *,
    occupy: bool = False,
    announce: bool = False,
    single_line: bool = False,
    target_time: float = 0.5,
) -> QueueDesign:
    """Defaulting constructor of :class:`QueueDesign` (defaults as :func:`queue_scenario`,
    no levers pulled, target: served within half a minute).

    Examples
    --------
    >>> d = queue_design()
    >>> d.scenario.servers, d.single_line, round(perception_factor(d.experience()), 4)
    (4, False, 2.5116)
    """
    sc = queue_scenario(arrival_rate, handle_time, servers)
    return QueueDesign(sc, occupy, announce, single_line, target_time)


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
        return pd.Series(
            {
                "mean_actual_wait": float(self.actual.mean()),
                "mean_perceived_wait": float(self.perceived.mean()),
                "perception_factor": self.factor,
                "service_level": self.service_level,
                N_("erlang_c_service_level"): self.erlang_service_level,
                "share_slipped": self.share_slipped,
            }
        )

    def summary(self) -> pd.DataFrame:
        return _parameter_frame(self.params.round(4))

    def __repr__(self) -> str:
        d = self.design
        text = _(
            "c={servers}, occupy={occupy}, announce={announce}, single_line={single_line}: actual={actual:.3f}, "
            "perceived={perceived:.3f}, SL={service_level:.3f}"
        ).format(
            servers=d.scenario.servers,
            occupy=d.occupy,
            announce=d.announce,
            single_line=d.single_line,
            actual=self.actual.mean(),
            perceived=self.perceived.mean(),
            service_level=self.service_level,
        )
        return f"DesignOutcome({text})"


def evaluate_design(
    design: QueueDesign, *, rng: np.random.Generator, n_customers: int = 20_000, warmup: int = 1_000
) -> DesignOutcome:
    """Simulate a design and convert its actual waits into perceived waits.

    One shared FCFS line (:func:`simulate_queue`) when ``design.single_line``, else one
    line per server joined at the shortest (:func:`simulate_parallel_lines`). Perceived
    waits are actual waits times :func:`perception_factor` of ``design.experience()``.
    The first ``warmup`` customers (who found the system nearly empty) are dropped.

    Parameters
    ----------
    design : QueueDesign
    rng : numpy.random.Generator
        Required, keyword-only.
    n_customers : int
        Customers simulated, in [2, 10^7].
    warmup : int
        Customers dropped at the start, fewer than ``n_customers``.

    Examples
    --------
    >>> import numpy as np
    >>> out = evaluate_design(queue_design(single_line=True), rng=np.random.default_rng(1))
    >>> round(out.factor, 3), round(out.share_slipped, 3)
    (1.932, 0.0)
    """
    if not isinstance(design, QueueDesign):
        raise TypeError(f"design must be a QueueDesign (see queue_design()); got {type(design).__name__}")
    v.rng("rng", rng)
    n = v.integer("n_customers", _scalar("n_customers", n_customers), minimum=2, maximum=MAX_CUSTOMERS)
    warmup = v.integer("warmup", _scalar("warmup", warmup), minimum=0, maximum=MAX_CUSTOMERS)
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
    return DesignOutcome(
        design,
        actual,
        actual * factor,
        factor,
        float((actual <= design.target_time).mean()),
        service_level(sc.arrival_rate, sc.service_rate, sc.servers, design.target_time),
        fair.share_slipped,
    )


def compare_designs(designs: dict, *, rng: np.random.Generator, n_customers: int = 20_000) -> pd.DataFrame:
    """Actual and perceived waits of several designs, simulated with common random numbers.

    One integer seed is drawn from ``rng`` and every design is evaluated with a fresh
    ``numpy.random.default_rng(seed)``, so all designs meet the same random arrivals and
    service times (common random numbers): differences come from the designs, not from luck.

    Parameters
    ----------
    designs : dict of name -> QueueDesign
    rng : numpy.random.Generator
        Required, keyword-only.
    n_customers : int
        Customers simulated per design (see :func:`evaluate_design`).

    Returns
    -------
    DataFrame
        One row per design: servers, mean actual and perceived wait, perception factor,
        simulated service level, share of customers slipped.

    Examples
    --------
    >>> import numpy as np
    >>> t = compare_designs({"now": queue_design(), "one line": queue_design(single_line=True)},
    ...                     rng=np.random.default_rng(2026))
    >>> t.index.tolist()
    ['now', 'one line']
    """
    if not isinstance(designs, dict) or not designs:
        raise ValueError(f"designs must be a non-empty dict of name -> QueueDesign; got {designs!r}")
    for name, d in designs.items():
        if not isinstance(d, QueueDesign):
            raise TypeError(f"designs[{name!r}] must be a QueueDesign (see queue_design()); got {type(d).__name__}")
    v.rng("rng", rng)
    n = v.integer("n_customers", _scalar("n_customers", n_customers), minimum=2, maximum=MAX_CUSTOMERS)
    seed = int(rng.integers(0, 2**63 - 1))
    rows = {}
    for name, d in designs.items():
        out = evaluate_design(d, rng=np.random.default_rng(seed), n_customers=n)
        rows[name] = {
            N_("servers"): d.scenario.servers,
            N_("mean_actual_wait"): float(out.actual.mean()),
            N_("mean_perceived_wait"): float(out.perceived.mean()),
            N_("perception_factor"): out.factor,
            N_("service_level"): out.service_level,
            N_("share_slipped"): out.share_slipped,
        }
    return pd.DataFrame.from_dict(rows, orient="index")


# --------------------------------------------------------------------------- real data: staffing a day
_WEEKDAYS = (N_("Monday"), N_("Tuesday"), N_("Wednesday"), N_("Thursday"), N_("Friday"), N_("Saturday"), N_("Sunday"))


def arrival_profile(calls: pd.DataFrame, by: str = "time", *, tz: str | None = None) -> pd.DataFrame:
    """Mean calls per interval by time of day (``by='time'``) or by weekday and time.

    Parameters
    ----------
    calls : DataFrame
        One row per interval: ``datetime`` (its start, datetime64) and ``calls`` (the
        count, >= 0), e.g. :func:`crmlib.datasets.load_bank_calls`. Every day must have a
        row for every clock time that occurs (an interval without calls is a row with
        0); repeated timestamps and missing, negative or infinite counts are refused.
    by : {'time', 'weekday'}
        'time': one row per clock time (mean, sd, and index of dispersion var/mean over
        days). 'weekday': a table of mean calls, clock time x weekday (the weekdays
        present in the data, Monday first).
    tz : str, optional
        For time-zone-aware timestamps: the zone whose clock times and days are counted, e.g.
        ``'America/New_York'`` (default: the data's own zone). Naive timestamps are taken as
        local time already (the same rule as :func:`crmlib.clv.rfm_summary`).

    Returns
    -------
    DataFrame
        Indexed by clock time ``'HH:MM'`` (index name ``time``).

    Examples
    --------
    >>> from crmlib.datasets import load_bank_calls
    >>> prof = arrival_profile(load_bank_calls())
    >>> len(prof), prof["mean"].idxmax()
    (169, '10:20')
    """
    v.columns("calls", calls, ["datetime", "calls"])
    v.one_of("by", by, ["time", "weekday"])
    stamps = calls["datetime"]
    if not pd.api.types.is_datetime64_any_dtype(stamps):
        raise TypeError(
            f"calls['datetime'] must hold timestamps (datetime64); got dtype {stamps.dtype}: parse text with "
            "pandas.to_datetime(..., format=...) first"
        )
    if stamps.isna().any():
        raise ValueError(f"calls['datetime'] has {int(stamps.isna().sum())} missing timestamp(s); drop them first")
    if tz is not None:
        if not isinstance(tz, str):
            raise TypeError(f"tz must be a time zone such as 'Asia/Shanghai' or 'UTC' (or None); got {tz!r}")
        try:
            pd.Timestamp("2000-01-01", tz=tz)
        except Exception:  # noqa: BLE001 - zoneinfo/pytz raise several kinds of errors for unknown zones
            raise ValueError(f"tz must be a time zone such as 'Asia/Shanghai' or 'UTC' (or None); got {tz!r}") from None
    if isinstance(stamps.dtype, pd.DatetimeTZDtype):
        if tz is not None:
            stamps = stamps.dt.tz_convert(tz)
    elif tz is not None:
        raise ValueError(
            f"tz={tz!r} converts time-zone-aware timestamps; calls['datetime'] has none (it is read as local "
            "time already): drop tz=, or attach the zone first with .dt.tz_localize(...)"
        )
    try:
        counts = np.asarray(calls["calls"], dtype=float)
    except (TypeError, ValueError):
        raise TypeError(f"calls['calls'] must hold numbers (counts); got dtype {calls['calls'].dtype}") from None
    bad = ~np.isfinite(counts) | (counts < 0)
    if bad.any():
        first = int(np.flatnonzero(bad)[0])
        raise ValueError(
            f"calls['calls'] has {int(bad.sum())} missing, negative or infinite count(s) (first {counts[first]!r} "
            f"at row {calls.index[first]!r}); correct or drop them first: a missing count is not 0"
        )
    repeated = stamps.duplicated().to_numpy()
    if repeated.any():
        raise ValueError(
            f"calls['datetime'] repeats {int(repeated.sum())} timestamp(s) (first {stamps[repeated].iloc[0]}); "
            "each interval must appear once"
        )
    clock = stamps.dt.strftime("%H:%M").to_numpy()
    day = stamps.dt.strftime("%Y-%m-%d").to_numpy()
    n_days = len(set(day))
    rows_per_clock = pd.Series(clock).value_counts()
    short = rows_per_clock[rows_per_clock < n_days]
    if len(short):
        raise ValueError(
            f"calls has no row for {short.index[0]} on {n_days - int(short.iloc[0])} of {n_days} days; the "
            "profile averages each clock time over all days, so add the missing intervals (0 calls if none "
            "arrived) or drop the incomplete days first"
        )
    if by == "time":
        g = pd.Series(counts).groupby(clock)
        out = pd.DataFrame({N_("mean"): g.mean(), N_("sd"): g.std()})
        out[N_("dispersion")] = out["sd"] ** 2 / out["mean"]
        out.index.name = N_("time")
        return out
    names = stamps.dt.day_name().to_numpy()
    present = [d for d in _WEEKDAYS if d in set(names)]
    frame = pd.DataFrame({"time": clock, N_("weekday"): pd.Categorical(names, categories=present), "calls": counts})
    out = frame.pivot_table(index="time", columns="weekday", values="calls", aggfunc="mean", observed=True)
    out.columns = out.columns.astype(str)
    return out


def _per_interval(name: str, values, *, positive: bool):
    """A 1-d profile (array or Series) checked element-wise; returns (values, index or None)."""
    index = values.index if isinstance(values, pd.Series) else None
    raw = values.to_numpy() if index is not None else values
    arr = np.atleast_1d(v.in_range(name, raw, 0, None, low_open=positive))
    if arr.ndim != 1:
        raise ValueError(f"{name} must be a 1-d sequence (one value per interval); got shape {arr.shape}")
    if index is not None and index.has_duplicates:
        raise ValueError(
            f"{name} has duplicate index labels (e.g. {index[index.duplicated()][0]!r}); each interval must appear once"
        )
    return arr, index


def staffing_plan(arrival_rates, service_rate, target_time, target_level) -> pd.DataFrame:
    """Erlang C staffing per interval: the fewest agents meeting the service-level target.

    Each interval is treated as its own steady-state M/M/c queue (the usual
    "stationary independent period-by-period" practice; Green, Kolesar & Whitt 2007
    explain where it fails).

    Parameters
    ----------
    arrival_rates : 1-d array or Series
        λ per time unit for each interval, in [1e-12, 1e12]. A Series labels the
        intervals (e.g. by clock time): the plan keeps its index.
    service_rate : float
        μ per time unit.
    target_time, target_level : float
        E.g. 20 s and 0.8.

    Returns
    -------
    DataFrame
        Columns arrival_rate, load, servers, utilization, prob_wait, mean_wait, service_level;
        the index of ``arrival_rates`` (or 0, 1, ... named ``interval``).

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
    rates, index = _per_interval("arrival_rates", arrival_rates, positive=True)
    rates = np.asarray(_rate("arrival_rates", rates)).reshape(-1)
    mu = float(_rate("service_rate", _scalar("service_rate", service_rate)))
    t = float(_time("target_time", _scalar("target_time", target_time)))
    staff = np.array([required_servers(r, mu, t, target_level) for r in rates], dtype=np.int64)
    pw = _erlang_c_array(rates, mu, staff)
    out = pd.DataFrame(
        {
            N_("arrival_rate"): rates,
            N_("load"): rates / mu,
            N_("servers"): staff,
            N_("utilization"): rates / (staff * mu),
            N_("prob_wait"): pw,
            N_("mean_wait"): pw / (staff * mu - rates),
            N_("service_level"): 1.0 - _prob_wait_exceeds(rates, mu, staff, t),
        }
    )
    out.index = index.copy() if index is not None else pd.RangeIndex(len(out), name="interval")
    return out


def interval_service_level(
    sim: QueueSimulation, interval_length: float, target_time: float, n_intervals: int | None = None
) -> pd.DataFrame:
    """Simulated service level and mean wait per arrival interval of a staffed day.

    Intervals without arrivals (or without served customers) have NaN rates.

    Examples
    --------
    >>> import numpy as np
    >>> sim = simulate_queue([2.0, 4.0], 1.0, [3, 6], rng=np.random.default_rng(0), interval_length=60)
    >>> interval_service_level(sim, 60, 0.5).shape
    (2, 4)
    """
    if not isinstance(sim, QueueSimulation):
        raise TypeError(f"sim must be a QueueSimulation; got {type(sim).__name__}")
    length = float(_time("interval_length", _scalar("interval_length", interval_length), positive=True))
    t = float(_time("target_time", _scalar("target_time", target_time)))
    if n_intervals is not None:
        m = v.integer("n_intervals", _scalar("n_intervals", n_intervals), minimum=1, maximum=MAX_CUSTOMERS)
    else:
        m = max(1, math.ceil(sim.horizon / length))
        if m > MAX_CUSTOMERS:
            raise ValueError(
                f"interval_length {length:g} cuts the horizon {sim.horizon:g} into {m:.3g} intervals; "
                f"at most {MAX_CUSTOMERS:.0e}"
            )
    idx = np.minimum((sim.arrival // length).astype(np.int64), m - 1)
    ok = (sim.served & (sim.wait <= t)).astype(float)
    count = np.bincount(idx, minlength=m).astype(float)
    with np.errstate(invalid="ignore", divide="ignore"):
        sl = np.bincount(idx, weights=ok, minlength=m) / count
        served = np.bincount(idx, weights=sim.served.astype(float), minlength=m)
        w = np.bincount(idx, weights=np.where(sim.served, sim.wait, 0.0), minlength=m) / served
        ab = np.bincount(idx, weights=sim.abandoned.astype(float), minlength=m) / count
    return pd.DataFrame(
        {N_("arrivals"): count.astype(np.int64), "service_level": sl, "mean_wait": w, N_("abandoned"): ab},
        index=pd.RangeIndex(m, name="interval"),
    )


@dataclass(frozen=True, repr=False, eq=False)
class DayStaffing:
    """An Erlang C staffing plan for one day and its simulated service level per interval.

    ``plan`` and ``simulated`` share one index: the intervals of the profile staffed.
    """

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
        return pd.Series(
            {
                N_("agent_hours"): self.agent_hours,
                N_("peak_agents"): float(self.plan["servers"].max()),
                N_("erlang_c_service_level_min"): float(self.plan["service_level"].min()),
                N_("simulated_service_level_day"): float(
                    np.average(self.simulated["service_level"].fillna(0.0), weights=self.simulated["arrivals"])
                ),
                N_("share_intervals_missed"): self.share_intervals_missed,
            }
        )

    def summary(self) -> pd.DataFrame:
        return _parameter_frame(self.params.round(4))

    def __repr__(self) -> str:
        p = self.params
        text = _(
            "handle_time={handle_time:g} min, target {target_level:.0%} within {seconds:g} s: "
            "agent_hours={agent_hours:.1f}, peak_agents={peak_agents:.0f}, simulated day service level="
            "{day_level:.3f}, intervals missed={missed:.3f}"
        ).format(
            handle_time=self.handle_time,
            target_level=self.target_level,
            seconds=self.target_time * 60,
            agent_hours=p["agent_hours"],
            peak_agents=p["peak_agents"],
            day_level=p["simulated_service_level_day"],
            missed=p["share_intervals_missed"],
        )
        return f"DayStaffing({text})"


def staff_day(
    calls_per_interval,
    handle_time: float = 4.0,
    target_time: float = 20 / 60,
    target_level: float = 0.8,
    *,
    rng: np.random.Generator,
    interval_length: float = 5.0,
    actual_calls_per_interval=None,
    patience=None,
) -> DayStaffing:
    """Staff a day interval by interval with Erlang C, then simulate the staffed day.

    Parameters
    ----------
    calls_per_interval : 1-d array or Series
        Forecast calls per interval (> 0), e.g. the mean 5-minute profile of the bank
        data. A Series labels the intervals: the plan keeps its index.
    handle_time : float
        Mean handle time in minutes (the bank data have no handle times: this is an
        assumption you state).
    target_time : float
        Answer-time target in minutes (20 s = 1/3).
    target_level : float
        Required share answered within ``target_time``.
    rng : numpy.random.Generator
        Required, keyword-only, for the simulation.
    interval_length : float
        Minutes per interval (5 for the bank data).
    actual_calls_per_interval : 1-d array or Series, optional
        The calls that really arrive (>= 0, e.g. a Monday's profile) when they differ from
        the forecast used for staffing; default: the forecast. Given as a Series (with a
        Series forecast) it is matched to the forecast by index label (clock time), never
        by position; an array needs an array forecast of the same length.
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
    length = float(_time("interval_length", _scalar("interval_length", interval_length), positive=True))
    forecast, index = _per_interval("calls_per_interval", calls_per_interval, positive=True)
    ht = float(
        v.in_range("handle_time", _scalar("handle_time", handle_time), 1 / MAX_RATE, 1 / MIN_RATE, unit="minutes")
    )
    if actual_calls_per_interval is None:
        actual = forecast
    elif isinstance(calls_per_interval, pd.Series) or isinstance(actual_calls_per_interval, pd.Series):
        if not isinstance(actual_calls_per_interval, pd.Series):
            raise TypeError(
                "actual_calls_per_interval must be a pandas Series like calls_per_interval (intervals are matched "
                f"by index label, not by position); got {type(actual_calls_per_interval).__name__}"
            )
        if not isinstance(calls_per_interval, pd.Series):
            raise TypeError(
                "calls_per_interval must be a pandas Series when actual_calls_per_interval is one (intervals are "
                f"matched by index label, not by position); got {type(calls_per_interval).__name__}"
            )
        _, aligned = v.aligned(
            calls_per_interval=calls_per_interval, actual_calls_per_interval=actual_calls_per_interval
        )
        actual, _ = _per_interval("actual_calls_per_interval", aligned["actual_calls_per_interval"], positive=False)
    else:
        actual, _ = _per_interval("actual_calls_per_interval", actual_calls_per_interval, positive=False)
        if actual.size != forecast.size:
            raise ValueError(
                f"actual_calls_per_interval must have {forecast.size} intervals like calls_per_interval; "
                f"got {actual.size}"
            )
    rates = np.asarray(_rate("calls_per_interval / interval_length", forecast / length))
    if actual.max() <= 0:
        raise ValueError("actual_calls_per_interval must have calls in at least one interval; got all zeros")
    if actual.max() * actual.size > MAX_CUSTOMERS:
        raise ValueError(
            f"actual_calls_per_interval adds up to about {actual.max() * actual.size:.3g} candidate arrivals; "
            f"the simulation takes at most {MAX_CUSTOMERS:.0e}"
        )
    plan = staffing_plan(
        pd.Series(rates, index=index) if index is not None else rates, 1.0 / ht, target_time, target_level
    )
    sim = simulate_queue(
        actual / length,
        1.0 / ht,
        plan["servers"].to_numpy(),
        rng=rng,
        interval_length=length,
        patience=patience,
    )
    per = interval_service_level(sim, length, target_time, n_intervals=forecast.size)
    per.index = plan.index  # the same intervals, in the same order (built from one profile)
    return DayStaffing(plan, per, ht, float(target_time), float(target_level), length)
