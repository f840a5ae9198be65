"""Retention-based customer value: the one home of the formulas every chapter uses.

A customer who pays a margin *m* at the end of each period she is still a customer, stays
from one period to the next with probability *r* (the retention rate) and whose margin grows
by *g* per period of tenure, is worth, discounted at *d* per period,

.. math:: V = \\sum_{t=1}^{T} m (1+g)^{t-1} \\frac{r^t}{(1+d)^t} - a
          = m\\,\\frac{r}{1+d}\\,\\frac{1-q^T}{1-q} - a, \\qquad q = \\frac{r(1+g)}{1+d},

(*a* an acquisition cost), and with an infinite horizon :math:`V = m r/(1+d-r(1+g)) - a`;
for *g* = *a* = 0 this is *m* times the margin multiple :math:`r/(1+d-r)` of Gupta &
Lehmann (2003). Chapter 1 uses it to examine the "5% more retention, x% more profit" claims,
chapter 2 for the value of loyal customers, chapter 3 for customer lifetime value.

Units: ``margin`` and ``acquisition_cost`` in currency (per period / per customer),
``retention_rate``, ``discount_rate`` and ``margin_growth`` as fractions per period,
``periods`` in periods. Amounts are refused beyond 10^15 currency units and horizons beyond
10^6 periods (use ``periods=None`` for the infinite horizon), so that no argument can make
the arithmetic overflow silently.

References
----------
Gupta, S. & Lehmann, D. R. (2003). Customers as assets. *Journal of Interactive Marketing*
17(1), 9-24 (eq. 5, Table 2).
Gupta, S., Lehmann, D. R. & Stuart, J. A. (2004). Valuing customers. *Journal of Marketing
Research* 41(1), 7-18 (eq. 2).
Reichheld, F. F. & Sasser, W. E. (1990). Zero defections: quality comes to services.
*Harvard Business Review* 68(5), 105-111.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from . import _validate as v

__all__ = [
    "clv_from_retention",
    "expected_lifetime",
    "implied_retention",
    "margin_multiple",
    "max_value_ratio",
    "retention_for_lift",
    "retention_lift",
    "retention_lift_table",
    "value_curve",
]

MAX_PERIODS = 1_000_000
MAX_CURVE_PERIODS = 100_000


def _rates(retention_rate, discount_rate, margin_growth=0.0):
    r = v.probability("retention_rate", retention_rate, open_high=True)
    d = v.in_range("discount_rate", discount_rate, 0, 1, unit="per period")
    g = v.in_range("margin_growth", margin_growth, -1, 1, low_open=True, unit="per period")
    return r, d, g


def _out(value):
    return float(value) if np.ndim(value) == 0 else np.asarray(value, dtype=float)


def margin_multiple(retention_rate, discount_rate):
    """Margin multiple r / (1 + d − r): infinite-horizon value per unit of margin (Gupta & Lehmann 2003).

    Margins are received at the end of each period by customers still active, so the first
    margin is already discounted once and weighted by r.

    Parameters
    ----------
    retention_rate : float or array, in [0, 1)
        Retention rate r per period.
    discount_rate : float or array, in [0, 1]
        Discount rate d per period.

    Returns
    -------
    float or ndarray
        Periods' worth of margin (dimensionless).

    References
    ----------
    Gupta & Lehmann (2003), eq. 5 and Table 2.

    Examples
    --------
    >>> round(margin_multiple(0.8, 0.12), 3)   # Gupta & Lehmann's Table 2 gives 2.50
    2.5
    """
    r, d, _ = _rates(retention_rate, discount_rate)
    return _out(r / (1 + d - r))


def clv_from_retention(
    margin, retention_rate, discount_rate, periods=None, *, margin_growth=0.0, acquisition_cost=0.0, timing="end"
):
    """Lifetime value with constant retention: Σ_{t=1}^{T} m (1+g)^(t-1) r^t / (1+d)^t − a.

    Parameters
    ----------
    margin : float or array
        Margin per period m (currency per period), >= 0.
    retention_rate : float or array
        Retention rate r per period, in [0, 1).
    discount_rate : float or array
        Discount rate d per period, in [0, 1].
    periods : int, optional
        Horizon T in periods, 1 … 10^6 (None: infinite).
    margin_growth : float, default 0
        Growth g of the margin per period of tenure, in (−1, 1]; Reichheld & Sasser's profit
        per customer that rises with tenure. An infinite horizon needs r(1+g) < 1+d.
    acquisition_cost : float, default 0
        Cost a of winning the customer (currency), subtracted once.
    timing : {"end", "start"}
        "end": margins at the end of each period, paid by survivors (Gupta & Lehmann 2003).
        "start": a margin is received now as well (the "end" value times (1+d)/r, plus the
        first margin when r = 0), the convention of Gupta, Lehmann & Stuart (2004).

    Returns
    -------
    float or ndarray
        Present value in currency units.

    Raises
    ------
    ValueError
        For an argument out of its range, or an infinite horizon whose sum diverges.

    References
    ----------
    Gupta & Lehmann (2003); Gupta, Lehmann & Stuart (2004), eq. 2.

    Examples
    --------
    >>> round(clv_from_retention(100, 0.8, 0.1), 2)
    266.67
    >>> round(clv_from_retention(100, 0.8, 0.1, periods=10), 2)
    255.63
    """
    m = v.money("margin", margin, minimum=0, unit="currency per period")
    r, d, g = _rates(retention_rate, discount_rate, margin_growth)
    a = v.money("acquisition_cost", acquisition_cost, minimum=0, unit="currency per customer")
    v.one_of("timing", timing, ["end", "start"])
    q = np.asarray(r * (1 + g) / (1 + d), float)
    if periods is None:
        if np.any(q >= 1):
            raise ValueError(
                "retention_rate * (1 + margin_growth) must be below 1 + discount_rate for an "
                f"infinite horizon (the sum diverges); got q = {np.max(q):.4g}"
            )
        value = m * r / (1 + d) / (1 - q)
    else:
        T = v.integer("periods", periods, minimum=1, maximum=MAX_PERIODS)
        near_one = np.isclose(q, 1.0)
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            geo = np.where(near_one, float(T), (1 - q**T) / np.where(near_one, 1.0, 1 - q))
        value = m * r / (1 + d) * geo
    if timing == "start":
        value = np.where(r > 0, value * (1 + d) / np.where(r > 0, r, 1), m)
    value = np.asarray(value) - a
    v.finite_result("clv_from_retention", value, hint="shorten periods or lower margin_growth")
    return _out(value)


def value_curve(margin, retention_rate, discount_rate, periods):
    """Cumulative discounted value after 1 … T periods (the curve behind :func:`clv_from_retention`).

    Parameters
    ----------
    margin : float
        Margin per period (currency per period), >= 0.
    retention_rate : float in [0, 1)
    discount_rate : float in [0, 1]
    periods : int
        Number of periods T, 1 … 100,000.

    Returns
    -------
    pandas.Series
        Index ``period`` 1..T, values the present value accumulated so far (currency).

    Examples
    --------
    >>> value_curve(100, 0.8, 0.1, 3).round(2).tolist()
    [72.73, 125.62, 164.09]
    """
    T = v.integer("periods", periods, minimum=1, maximum=MAX_CURVE_PERIODS)
    m = v.money("margin", margin, minimum=0, unit="currency per period")
    r, d, _ = _rates(retention_rate, discount_rate)
    for name, x in (("margin", m), ("retention_rate", r), ("discount_rate", d)):
        if np.ndim(x):
            raise TypeError(f"{name} must be a single number for a value curve; got an array of shape {np.shape(x)}")
    t = np.arange(1, T + 1)
    pv = m * (r / (1 + d)) ** t
    return pd.Series(np.cumsum(pv), index=pd.Index(t, name="period"), name="cumulative value")


def retention_lift(
    retention_rate,
    discount_rate,
    *,
    retention_gain=0.05,
    margin_growth=0.0,
    margin=1.0,
    acquisition_cost=0.0,
    periods=None,
):
    """Relative change in customer value when retention rises by ``retention_gain``: V(r+Δr)/V(r) − 1.

    With no acquisition cost the margin cancels: the lift depends only on r, d, g and Δr.
    That is why the same "5% more retention" is quoted as 25%, 35%, 60% or 100% more profit:
    each number belongs to a different retention and discount rate (see
    :func:`retention_for_lift`). Reichheld & Sasser (1990) report 25–85% across industries,
    with margins that grow with tenure.

    Parameters
    ----------
    retention_rate : float or array in [0, 1)
    discount_rate : float or array in [0, 1]
    retention_gain : float in (0, 1), default 0.05
        Absolute rise Δr (0.05 = five points); r + Δr must stay below 1.
    margin_growth, margin, acquisition_cost, periods
        As in :func:`clv_from_retention`.

    Returns
    -------
    float or ndarray
        The lift as a fraction (0.275 = 27.5% more value).

    Examples
    --------
    >>> round(retention_lift(0.80, 0.10), 3)
    0.275
    """
    r, d, g = _rates(retention_rate, discount_rate, margin_growth)
    dr = v.in_range("retention_gain", retention_gain, 0, 1, low_open=True, high_open=True)
    if np.any(np.asarray(r + dr) >= 1):
        raise ValueError(f"retention_rate + retention_gain must stay below 1; got {np.max(np.asarray(r + dr)):.4g}")
    kw = dict(margin_growth=g, acquisition_cost=acquisition_cost)
    base = np.asarray(clv_from_retention(margin, r, d, periods, **kw))
    up = np.asarray(clv_from_retention(margin, r + dr, d, periods, **kw))
    if np.any(base <= 0):
        raise ValueError(
            "the customer's value at retention_rate must be positive for a relative lift; "
            f"got {np.min(base):.4g} (retention_rate 0, or acquisition_cost above the value)"
        )
    return _out(up / base - 1)


def retention_for_lift(target_lift, discount_rate=0.10, *, retention_gain=0.05, margin_growth=0.0):
    """The base retention rate at which ``retention_gain`` raises customer value by ``target_lift``.

    Solves :func:`retention_lift` ``(r) = target_lift`` for r by Brent's method (the lift rises
    with r on [0.5, 1 − Δr)). With no acquisition cost the margin plays no role.

    Raises
    ------
    ValueError
        If no retention rate in [0.5, 1 − retention_gain) gives the target. (Below 0.5 the lift
        rises again as retention falls, because a small base is easy to multiply; those are not
        the retention rates the quoted claims are about.)

    Examples
    --------
    >>> round(retention_for_lift(0.35, discount_rate=0.10), 3)
    0.869
    """
    from scipy.optimize import brentq

    t = v.in_range("target_lift", target_lift, 0, 1e6, low_open=True)
    d = v.in_range("discount_rate", discount_rate, 0, 1, unit="per period")
    g = v.in_range("margin_growth", margin_growth, -0.5, 0.5, unit="per period")
    dr = v.in_range("retention_gain", retention_gain, 0, 1, low_open=True, high_open=True)
    hi = min(1 - dr, (1 + d) / (1 + g) - dr) - 1e-9

    def gap(r):
        return retention_lift(r, d, retention_gain=dr, margin_growth=g) - t

    lo = 0.5
    if not (hi > lo and gap(lo) < 0 < gap(hi)):
        raise ValueError(
            f"no retention rate in [0.5, {1 - dr:g}) gives target_lift={t:g} with "
            f"discount_rate={d:g}, margin_growth={g:g}, retention_gain={dr:g}"
        )
    return float(brentq(gap, lo, hi, xtol=1e-12))


def retention_lift_table(
    targets=(0.25, 0.35, 0.60, 1.00), discount_rates=(0.05, 0.10, 0.15), *, retention_gain=0.05, margin_growth=0.0
) -> pd.DataFrame:
    """Base retention rate needed for each quoted lift at each discount rate (NaN: no such rate).

    Why some cells are empty: with a constant margin, V(r) = m r/(1+d−r) rises with r, and five
    more points of retention can raise it by at most (d+Δr)/(d(1−Δr)) − 1 (the limit as
    r + Δr → 1). That cap is +110.5% at d = 5%, +57.9% at 10% and +40.4% at 15% for Δr = 0.05, so a
    quoted "60%" or "100%" more profit cannot come from retention alone at those discount rates.

    Examples
    --------
    >>> retention_lift_table((0.25, 1.0), (0.05, 0.10)).round(3).to_dict()
    {'5%': {'25%': 0.7, '100%': 0.944}, '10%': {'25%': 0.761, '100%': nan}}
    """
    rows = {}
    for t in np.atleast_1d(v.as_float("targets", targets)):
        row = {}
        for d in np.atleast_1d(v.as_float("discount_rates", discount_rates)):
            try:
                row[f"{d:.0%}"] = retention_for_lift(t, d, retention_gain=retention_gain, margin_growth=margin_growth)
            except ValueError:
                row[f"{d:.0%}"] = np.nan
        rows[f"{t:.0%}"] = row
    out = pd.DataFrame.from_dict(rows, orient="index")
    out.index.name = "lift"
    out.columns.name = "discount rate"
    return out


def expected_lifetime(retention_rate):
    """Expected number of periods a customer stays, counting the first: 1/(1 − r).

    With a constant retention rate the number of periods is geometric, so its mean is
    1/(1 − r) = 1 / churn rate (periods).

    Examples
    --------
    >>> expected_lifetime(0.75)   # 25% of clients lost each year
    4.0
    """
    r = v.probability("retention_rate", retention_rate, open_high=True)
    return _out(1.0 / (1.0 - np.asarray(r)))


def max_value_ratio(discount_rate):
    r"""Largest possible ratio of a customer's lifetime value to one period's margin: (1+d)/d.

    Counted from today's purchase, the value is :math:`m(1+d)/(1+d-r)` (the "start" timing of
    :func:`clv_from_retention`); as :math:`r \to 1` it tends to :math:`m(1+d)/d`, so no customer
    can be worth more than :math:`(1+d)/d` periods' margins.

    Examples
    --------
    >>> round(max_value_ratio(0.10), 2)
    11.0
    """
    d = v.in_range("discount_rate", discount_rate, 0, 1, low_open=True, unit="per period")
    return _out((1 + d) / d)


def implied_retention(ratio, discount_rate):
    r"""Retention per period needed for a lifetime value of ``ratio`` times one period's margin.

    Solves :math:`(1+d)/(1+d-r) = R` for :math:`r = (1+d)(1 - 1/R)`. Returns NaN where the
    ratio is unreachable (:math:`r \ge 1`, i.e. :math:`R \ge (1+d)/d`).

    Parameters
    ----------
    ratio : float or array-like, 1 … 10^6
    discount_rate : float in (0, 1]

    Examples
    --------
    >>> round(implied_retention(5, 0.10), 3)
    0.88
    >>> implied_retention(16, 0.10)   # retail's 16:1 cannot be a CLV ratio at 10%
    nan
    """
    R = v.in_range("ratio", ratio, 1, 1e6)
    d = v.in_range("discount_rate", discount_rate, 0, 1, low_open=True, unit="per period")
    r = (1 + d) * (1 - 1 / np.asarray(R, float))
    return _out(np.where(r < 1, r, np.nan))
