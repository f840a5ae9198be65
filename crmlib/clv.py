"""Chapter 3 — customer lifetime value (客户终身价值).

Three layers, from the blackboard to the research literature:

* **simple value** from a margin, a retention rate and a discount rate: the margin multiple,
  finite and infinite horizons, the course's customer lifetime value Cv (客户终身价值) over the
  T periods of the customer's life cycle counted from the valuation date (从核定期开始计算),
  customer equity of a stream of cohorts with acquisition cost, and the elasticities of value
  (Gupta & Lehmann 2003; Gupta, Lehmann & Stuart 2004). The slides name Cv and T but show the
  formula only as an image; ``continuing_value`` implements our reading of it;
* **contractual** settings (departures observed): the shifted-beta-geometric model fitted to
  cohort survivor counts or to individual censored tenures, survival and retention
  projections, discounted expected (residual) lifetime (Fader & Hardie 2007, 2010);
* **non-contractual** settings (departures hidden): ``rfm_summary`` of a transaction log in
  the Fader–Hardie conventions, the BG/NBD, Pareto/NBD and Gamma-Gamma models, holdout
  validation, P(alive), expected purchases and spend, CLV, and the customer value matrix of
  current value × growth potential (当前价值 × 增值潜力): current value is the value expected if
  the customer's present behaviour continues, growth potential the *additional* value of
  changing it (``growth_potential``, our operationalisation after Verhoef & Donkers 2001).

Symbols: m margin per period (currency), r retention rate per period, d discount rate per
period, T number of periods; x frequency (repeat purchases), t_x recency and T age (both
in the time unit of the summary, weeks for CDNOW).

References
----------
Gupta, S. & Lehmann, D. R. (2003). Customers as assets. Journal of Interactive Marketing 17(1), 9-24.
Gupta, S., Lehmann, D. R. & Stuart, J. A. (2004). Valuing customers. Journal of Marketing Research 41(1), 7-18.
Reichheld, F. F. & Sasser, W. E. (1990). Zero defections: quality comes to services. Harvard
Business Review 68(5), 105-111.
Fader, P. S., Hardie, B. G. S. & Lee, K. L. (2005a). "Counting your customers" the easy way.
Marketing Science 24(2), 275-284.
Fader, P. S., Hardie, B. G. S. & Lee, K. L. (2005b). RFM and CLV: using iso-value curves for
customer base analysis. Journal of Marketing Research 42(4), 415-430.
Fader, P. S. & Hardie, B. G. S. (2007). How to project customer retention. Journal of
Interactive Marketing 21(1), 76-90.
Fader, P. S. & Hardie, B. G. S. (2010). Customer-base valuation in a contractual setting.
Marketing Science 29(1), 85-93.
Fader, P. S. & Hardie, B. G. S. (2013). The Gamma-Gamma model of monetary value.
http://brucehardie.com/notes/025/
Ryals, L. (2002). Are your customers worth more than money? Journal of Retailing and Consumer
Services 9(5), 241-251.
Schmittlein, D. C., Morrison, D. G. & Colombo, R. (1987). Counting your customers.
Management Science 33(1), 1-24.
Verhoef, P. C. & Donkers, B. (2001). Predicting customer potential value: an application in the
insurance industry. Decision Support Systems 32(2), 189-199.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from . import _validate as v
from ._clv_models import (
    BGNBDResult,
    GammaGammaResult,
    ModelFitError,
    ParetoNBDResult,
    SBGResult,
    fit_bg_nbd_arrays,
    fit_gamma_gamma_arrays,
    fit_pareto_nbd_arrays,
    fit_sbg_counts,
    fit_sbg_tenure,
)

__all__ = [
    "BGNBDResult", "CLVScenario", "GammaGammaResult", "ModelFitError", "ParetoNBDResult", "SBGResult",
    "clv_from_retention", "continuing_value", "customer_equity", "customer_lifetime_value",
    "fit_bg_nbd", "fit_gamma_gamma", "fit_pareto_nbd", "fit_sbg", "growth_potential", "holdout_comparison",
    "margin_multiple", "plot_holdout", "plot_prob_alive", "plot_retention", "plot_tracking", "plot_value_curve",
    "plot_value_matrix", "retention_uplift", "rfm_summary", "scenario", "simulate_bg_nbd", "tracking_data",
    "value_curve", "value_elasticities", "value_matrix",
]


# =======================================================================================
# 1. simple value
# =======================================================================================
@dataclass(frozen=True)
class CLVScenario:
    """One simple-CLV scenario: margin per period, retention, discount rate and horizon.

    Attributes
    ----------
    margin : float
        Margin (profit) per period from an active customer, in currency units.
    retention_rate : float
        Share of customers active in one period still active in the next, in [0, 1).
    discount_rate : float
        Discount rate per period (e.g. 0.10 = 10% a year), >= 0.
    periods : int
        Horizon in periods (years by default) counted from the valuation date.
    """

    margin: float = 100.0
    retention_rate: float = 0.80
    discount_rate: float = 0.10
    periods: int = 10

    def __post_init__(self):
        v.non_negative("margin", self.margin, unit="currency per period")
        v.probability("retention_rate", self.retention_rate, open_high=True)
        v.non_negative("discount_rate", self.discount_rate, unit="per period")
        v.integer("periods", self.periods, minimum=1)


def scenario(**changes) -> CLVScenario:
    """The default simple-CLV scenario (margin 100 per year, r = 0.80, d = 0.10, 10 years), with changes.

    Examples
    --------
    >>> scenario(retention_rate=0.9)
    CLVScenario(margin=100.0, retention_rate=0.9, discount_rate=0.1, periods=10)
    """
    return CLVScenario(**changes)


def margin_multiple(retention_rate, discount_rate):
    """Margin multiple r / (1 + d - r): infinite-horizon CLV per unit of margin (Gupta & Lehmann 2003).

    Margins are received at the end of each period by customers still active, so the
    first margin is already discounted once and weighted by r.

    Parameters
    ----------
    retention_rate : float or array, in [0, 1)
    discount_rate : float or array, >= 0, per period

    Returns
    -------
    float or ndarray

    Raises
    ------
    ValueError
        If retention_rate is outside [0, 1) or discount_rate is negative.

    References
    ----------
    Gupta & Lehmann (2003), Journal of Interactive Marketing 17(1), eq. 5 and Table 2.

    Examples
    --------
    >>> round(margin_multiple(0.8, 0.12), 3)   # Gupta & Lehmann's Table 2 gives 2.50
    2.5
    """
    r = v.probability("retention_rate", retention_rate, open_high=True)
    d = v.non_negative("discount_rate", discount_rate, unit="per period")
    return r / (1 + d - r)


def clv_from_retention(margin, retention_rate, discount_rate, periods=None, *, margin_growth=0.0,
                       timing="end"):
    """Lifetime value of a customer with constant retention: Σ_t m (1+g)^(t-1) r^t / (1+d)^t.

    With ``periods=None`` the horizon is infinite and, for g = 0, the value is
    m · r/(1+d-r) (the margin multiple). With a finite horizon T the geometric sum is
    m · q (1 - q^T)/(1 - q), q = r(1+g)/(1+d).

    Parameters
    ----------
    margin : float or array
        Margin per period m (currency per period), >= 0.
    retention_rate : float or array
        Retention rate r per period, in [0, 1).
    discount_rate : float or array
        Discount rate d per period, >= 0.
    periods : int, optional
        Horizon T in periods (None: infinite).
    margin_growth : float, default 0
        Growth g of the margin per period of tenure (> -1); Reichheld & Sasser's profit
        per customer that rises with tenure. Infinite horizons need r(1+g) < 1+d.
    timing : {"end", "start"}
        "end": margins at the end of each period, paid by survivors (Gupta & Lehmann 2003).
        "start": a margin is received now as well (value multiplied by (1+d)/r), the
        convention of Gupta, Lehmann & Stuart (2004).

    Returns
    -------
    float or ndarray
        Present value in currency units.

    Raises
    ------
    ValueError
        For a retention rate outside [0, 1), a negative margin or discount rate, or an
        infinite horizon whose sum diverges.

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
    m = v.non_negative("margin", margin, unit="currency per period")
    r = v.probability("retention_rate", retention_rate, open_high=True)
    d = v.non_negative("discount_rate", discount_rate, unit="per period")
    g = v.in_range("margin_growth", margin_growth, -1, None, low_open=True)
    v.one_of("timing", timing, ["end", "start"])
    q = np.asarray(r * (1 + g) / (1 + d), float)
    if periods is None:
        if np.any(q >= 1):
            raise ValueError("retention_rate * (1 + margin_growth) must be below 1 + discount_rate for an "
                             f"infinite horizon (the sum diverges); got q = {np.max(q):.4g}")
        value = m * r / (1 + d) / (1 - q)
    else:
        T = v.integer("periods", periods, minimum=1)
        with np.errstate(divide="ignore", invalid="ignore"):
            geo = np.where(np.isclose(q, 1.0), float(T), (1 - q ** T) / np.where(np.isclose(q, 1.0), 1, 1 - q))
        value = m * r / (1 + d) * geo
    if timing == "start":
        value = np.where(r > 0, value * (1 + d) / np.where(r > 0, r, 1), m)
    return float(value) if np.ndim(value) == 0 else value


def value_curve(margin, retention_rate, discount_rate, periods):
    """Cumulative discounted value after 1..T periods (the curve behind ``clv_from_retention``).

    Returns
    -------
    pandas.Series
        Index ``period`` 1..T, values the present value accumulated so far (currency).

    Examples
    --------
    >>> value_curve(100, 0.8, 0.1, 3).round(2).tolist()
    [72.73, 125.62, 164.09]
    """
    T = v.integer("periods", periods, minimum=1)
    m = v.non_negative("margin", margin, unit="currency per period")
    r = v.probability("retention_rate", retention_rate, open_high=True)
    d = v.non_negative("discount_rate", discount_rate, unit="per period")
    t = np.arange(1, T + 1)
    pv = m * (r / (1 + d)) ** t
    return pd.Series(np.cumsum(pv), index=pd.Index(t, name="period"), name="cumulative value")


def continuing_value(profits, discount_rate):
    """The course's customer lifetime value Cv (客户终身价值) = Σ_{t=1}^{T} π_t / (1 + d)^t.

    The slides define Cv (客户终身价值) and T, the length of the customer's life cycle counted
    from the valuation date (从核定期开始计算的客户生命周期长度), but the formula itself is an
    image lost from the slide text. This function is **our reading** of it: the present value,
    at the valuation date, of the *expected* profits π_1..π_T of the T periods. Expected means
    weighted by the chance that she is still a customer: with a margin m per period and a
    retention rate r, π_t = m r^t, and Cv equals ``clv_from_retention(m, r, d, periods=T)``.
    Profits that assume she stays for sure (r = 1) give only an upper bound on her value.
    (The function keeps its historical name: another of the course's decks asks how large a
    customer's continuing value, 客户持续价值, is; the same idea under another label.)

    Parameters
    ----------
    profits : array-like
        Expected profit (contribution) π_t in periods 1..T, currency per period.
    discount_rate : float
        Discount rate d per period, >= 0.

    Returns
    -------
    float

    Examples
    --------
    >>> round(continuing_value([100, 100, 100], 0.10), 2)       # certain profits: an upper bound
    248.69
    >>> expected = 100 * 0.8 ** np.arange(1, 11)                # pi_t = m r^t, r = 0.8, T = 10
    >>> round(continuing_value(expected, 0.10), 2) == round(clv_from_retention(100, 0.8, 0.10, periods=10), 2)
    True
    """
    p = np.atleast_1d(v.as_float("profits", profits))
    d = v.non_negative("discount_rate", discount_rate, unit="per period")
    t = np.arange(1, p.size + 1)
    return float(np.sum(p / (1 + d) ** t))


def customer_equity(new_customers, margin, retention_rate, discount_rate, acquisition_cost=0.0):
    """Value of the current and all future cohorts: n (1+i)/i · [m (1+i)/(1+i-r) - c].

    Gupta, Lehmann & Stuart (2004, eq. 4) with constant cohort size n per period, margin
    m, retention r, discount rate i and acquisition cost c per new customer; a customer
    pays the margin in her first period (the "start" timing) and acquisition is paid as
    the cohort arrives.

    Parameters
    ----------
    new_customers : float
        Customers acquired per period (n > 0).
    margin : float
        Margin per customer per period (currency).
    retention_rate : float in [0, 1)
    discount_rate : float > 0
        Must be positive: an infinite stream of cohorts has no finite value at i = 0.
    acquisition_cost : float, default 0
        Cost of acquiring one customer (currency).

    Returns
    -------
    float
        Customer equity in currency units.

    Examples
    --------
    >>> round(customer_equity(1000, 100, 0.8, 0.12, acquisition_cost=150))
    1866667
    """
    n = v.positive("new_customers", new_customers, unit="customers per period")
    m = v.non_negative("margin", margin, unit="currency per period")
    r = v.probability("retention_rate", retention_rate, open_high=True)
    i = v.positive("discount_rate", discount_rate, unit="per period")
    c = v.non_negative("acquisition_cost", acquisition_cost, unit="currency per customer")
    return n * (1 + i) / i * (m * (1 + i) / (1 + i - r) - c)


def value_elasticities(margin, retention_rate, discount_rate, acquisition_cost=0.0):
    """Elasticities of customer equity to margin, retention, discount rate and acquisition cost.

    The percentage change in ``customer_equity`` for a 1% change of each driver
    (Gupta, Lehmann & Stuart 2004, Table 3 reports these for five firms): analytic
    derivatives of V = n (1+i)/i · [m (1+i)/(1+i-r) - c]; n cancels.

    Returns
    -------
    pandas.Series
        Index margin, retention_rate, discount_rate, acquisition_cost.

    Examples
    --------
    >>> value_elasticities(100, 0.8, 0.12).round(3).to_dict()
    {'margin': 1.0, 'retention_rate': 2.5, 'discount_rate': -1.161, 'acquisition_cost': -0.0}
    """
    m = v.non_negative("margin", margin, unit="currency per period")
    r = v.probability("retention_rate", retention_rate, open_high=True)
    i = v.positive("discount_rate", discount_rate, unit="per period")
    c = v.non_negative("acquisition_cost", acquisition_cost, unit="currency per customer")
    V = (1 + i) / i * (m * (1 + i) / (1 + i - r) - c)
    if V <= 0:
        raise ValueError(f"customer equity must be positive for elasticities; got {V:.4g} (acquisition_cost too high)")
    dV_dm = (1 + i) / i * (1 + i) / (1 + i - r)
    dV_dr = (1 + i) / i * m * (1 + i) / (1 + i - r) ** 2
    dV_dc = -(1 + i) / i
    f, g = (1 + i) ** 2, i * (1 + i - r)
    dV_di = m * (2 * (1 + i) * g - f * (1 + 2 * i - r)) / g ** 2 + c / i ** 2
    return pd.Series({"margin": dV_dm * m / V, "retention_rate": dV_dr * r / V,
                      "discount_rate": dV_di * i / V, "acquisition_cost": dV_dc * c / V}, name="elasticity")


def retention_uplift(retention_rate, discount_rate, uplift=0.05, *, margin_growth=0.0, periods=None):
    """Relative increase in CLV when retention rises by ``uplift`` (absolute, e.g. 0.05 = 5 points).

    The number behind Reichheld & Sasser's (1990) "5% more retention, 25% to 85% more profit"
    claim: CLV(r + uplift)/CLV(r) - 1 with ``clv_from_retention`` (the margin cancels).

    Examples
    --------
    >>> round(retention_uplift(0.80, 0.10), 3)
    0.275
    """
    r = v.probability("retention_rate", retention_rate, open_high=True)
    u = v.in_range("uplift", uplift, 0, 1, low_open=True)
    if np.any(np.asarray(r + u) >= 1):
        raise ValueError(f"retention_rate + uplift must stay below 1; got {np.max(np.asarray(r + u)):.4g}")
    base = clv_from_retention(1.0, r, discount_rate, periods, margin_growth=margin_growth)
    up = clv_from_retention(1.0, r + u, discount_rate, periods, margin_growth=margin_growth)
    return up / base - 1


# =======================================================================================
# 2. RFM summary of a transaction log
# =======================================================================================
_UNIT_DAYS = {"D": 1.0, "W": 7.0}


def rfm_summary(transactions, customer_col, date_col, amount_col=None, calibration_end=None,
                observation_end=None, freq="W"):
    """Frequency, recency, age and monetary value of each customer, in the Fader–Hardie conventions.

    * purchases of one customer on the same day form one purchase occasion (amounts summed);
    * ``frequency`` x = number of repeat occasions (occasions after the first) up to
      ``calibration_end``;
    * ``recency`` t_x = time from the first to the last occasion, ``T`` = time from the first
      occasion to ``calibration_end``, both in the unit ``freq`` as exact fractions (weeks =
      days / 7, as in the published CDNOW analyses);
    * ``monetary_value`` = mean amount of the repeat occasions (0 when x = 0);
    * with ``calibration_end`` before ``observation_end``: ``frequency_holdout`` (occasions in
      the holdout period), ``monetary_value_holdout`` and ``duration_holdout``.

    Customers whose first purchase is after ``calibration_end`` are left out. The work is a
    handful of vectorised NumPy passes (one sort), fast on tens of millions of rows.

    Parameters
    ----------
    transactions : pandas.DataFrame
        One row per transaction.
    customer_col, date_col : str
        Columns with the customer id and the date (datetime-like; the time of day is ignored).
    amount_col : str, optional
        Column with the transaction value (>= 0, currency).
    calibration_end : date-like, optional
        Last day (inclusive) of the calibration period; default: the last date in the data.
    observation_end : date-like, optional
        Last day (inclusive) of the holdout period; default: the last date in the data.
        Transactions after it are ignored.
    freq : {"W", "D"}
        Time unit of recency, T and durations: weeks or days.

    Returns
    -------
    pandas.DataFrame
        Indexed by customer id (sorted): frequency (int), recency, T, [monetary_value],
        and the holdout columns when there is a holdout period.

    Raises
    ------
    ValueError
        Missing columns or values, negative amounts, ``observation_end`` before
        ``calibration_end`` (dates out of order), an empty calibration period.

    References
    ----------
    Fader, Hardie & Lee (2005a), section 4; Fader & Hardie, "Creating an RFM summary using
    Excel", http://brucehardie.com/notes/022/.

    Examples
    --------
    >>> log = pd.DataFrame({"id": [1, 1, 1, 2], "amount": [10.0, 5.0, 20.0, 8.0],
    ...                     "date": pd.to_datetime(["2024-01-01", "2024-01-01", "2024-01-15", "2024-01-08"])})
    >>> rfm_summary(log, "id", "date", "amount", calibration_end="2024-01-29", observation_end="2024-01-29").reset_index()
       id  frequency  recency    T  monetary_value
    0   1          1      2.0  4.0            20.0
    1   2          0      0.0  3.0             0.0
    """
    v.columns("transactions", transactions, [customer_col, date_col] + ([amount_col] if amount_col else []))
    v.one_of("freq", freq, list(_UNIT_DAYS))
    unit = _UNIT_DAYS[freq]
    if len(transactions) == 0:
        raise ValueError("transactions must not be empty; got a frame with 0 rows")
    ids = transactions[customer_col]
    if ids.isna().any():
        raise ValueError(f"transactions[{customer_col!r}] must not have missing customer ids; "
                         f"got {int(ids.isna().sum())} missing")
    dates = transactions[date_col]
    if not pd.api.types.is_datetime64_any_dtype(dates):
        try:
            dates = pd.to_datetime(dates)
        except (ValueError, TypeError):
            raise TypeError(f"transactions[{date_col!r}] must hold dates; got values like {dates.iloc[0]!r}") from None
    if dates.isna().any():
        raise ValueError(f"transactions[{date_col!r}] must not have missing dates; got {int(dates.isna().sum())} missing")
    day = dates.to_numpy().astype("datetime64[D]").astype(np.int64)
    last_day = int(day.max())
    obs_end = last_day if observation_end is None else _as_day("observation_end", observation_end)
    cal_end = obs_end if calibration_end is None else _as_day("calibration_end", calibration_end)
    if cal_end > obs_end:
        raise ValueError(f"calibration_end must not be after observation_end (dates out of order); got "
                         f"calibration_end={_day_str(cal_end)} > observation_end={_day_str(obs_end)}")
    if amount_col is not None:
        amount = v.as_float(f"transactions[{amount_col!r}]", transactions[amount_col].to_numpy())
        amount = np.atleast_1d(amount)
        if (amount < 0).any():
            i = int(np.flatnonzero(amount < 0)[0])
            raise ValueError(f"transactions[{amount_col!r}] must be >= 0 (amounts are purchase values); got "
                             f"{amount[i]!r} at row {i}; remove returns or net them out first")
    keep = day <= obs_end
    if not keep.any():
        raise ValueError(f"observation_end={_day_str(obs_end)} is before every transaction (first on "
                         f"{_day_str(int(day.min()))}); nothing to summarise")
    all_kept = bool(keep.all())
    id_values = ids.to_numpy() if all_kept else ids.to_numpy()[keep]
    if not all_kept:
        day = day[keep]
        if amount_col is not None:
            amount = amount[keep]
    base = int(day.min())
    day = day - base
    cal_rel, obs_rel = cal_end - base, obs_end - base
    span = int(day.max()) + 1
    n = day.size
    # customer codes: small non-negative integer ids are their own codes (no hashing needed)
    if np.issubdtype(id_values.dtype, np.integer) and id_values.min() >= 0 and id_values.max() < 2**40:
        codes, uniques = id_values.astype(np.int64, copy=False), None
    else:
        codes, uniques = pd.factorize(id_values)
        codes = codes.astype(np.int64)
    key = codes * span + day                      # one integer per (customer, day)
    row_bits = max(int(n - 1).bit_length(), 1)
    if int(key.max()) < 2 ** (62 - row_bits):
        # sort (customer, day, row) packed in one int64: np.sort is much faster than argsort
        packed = (key << row_bits) | np.arange(n, dtype=np.int64)
        packed.sort()
        order = packed & ((1 << row_bits) - 1)
        key = packed >> row_bits
        del packed
    else:
        order = np.argsort(key)
        key = key[order]
    new_occ = np.empty(n, dtype=bool)
    new_occ[0] = True
    np.not_equal(key[1:], key[:-1], out=new_occ[1:])
    starts = np.flatnonzero(new_occ)
    del new_occ
    occ_key = key[starts]
    del key
    occ_cust = occ_key // span
    occ_day = occ_key - occ_cust * span
    occ_amt = np.add.reduceat(amount[order], starts) if amount_col is not None else None
    del order, starts, occ_key
    # customer blocks (occasions sorted by customer, then day)
    chg = np.empty(occ_cust.size, dtype=bool)
    chg[0] = True
    np.not_equal(occ_cust[1:], occ_cust[:-1], out=chg[1:])
    first_idx = np.flatnonzero(chg)
    del chg
    first_day = occ_day[first_idx]
    cust = occ_cust[first_idx]
    in_cal_cust = first_day <= cal_rel
    if not in_cal_cust.any():
        raise ValueError(f"calibration_end={_day_str(cal_end)} leaves an empty calibration period: no customer "
                         f"bought on or before it (first purchase {_day_str(base)})")
    n_occ = np.diff(np.r_[first_idx, occ_day.size])
    holdout = obs_rel > cal_rel
    if holdout:
        is_cal = occ_day <= cal_rel
        n_cal = np.add.reduceat(is_cal.astype(np.int64), first_idx)
        last_cal = np.maximum.reduceat(np.where(is_cal, occ_day, -1), first_idx)
    else:
        n_cal = n_occ
        last_cal = np.maximum.reduceat(occ_day, first_idx)
    x = (n_cal - 1).astype(np.int64)
    out = {"frequency": x, "recency": (last_cal - first_day) / unit, "T": (cal_rel - first_day) / unit}
    if amount_col is not None:
        tot_cal = np.add.reduceat(np.where(is_cal, occ_amt, 0.0) if holdout else occ_amt, first_idx)
        rep = tot_cal - occ_amt[first_idx]
        out["monetary_value"] = np.where(x > 0, rep / np.maximum(x, 1), 0.0)
    if holdout:
        n_hold = n_occ - n_cal
        out["frequency_holdout"] = n_hold.astype(np.int64)
        if amount_col is not None:
            tot_hold = np.add.reduceat(occ_amt, first_idx) - tot_cal
            out["monetary_value_holdout"] = np.where(n_hold > 0, tot_hold / np.maximum(n_hold, 1), 0.0)
        out["duration_holdout"] = np.full(first_idx.size, (obs_rel - cal_rel) / unit)
    index = pd.Index(cust if uniques is None else np.asarray(uniques)[cust], name=customer_col)
    frame = pd.DataFrame(out, index=index)[in_cal_cust]
    if uniques is not None:
        frame = frame.sort_index()
    return frame


def _as_day(name, value) -> int:
    try:
        ts = pd.Timestamp(value)
    except (ValueError, TypeError):
        raise TypeError(f"{name} must be a date (e.g. '1997-09-30'); got {value!r}") from None
    if ts is pd.NaT:
        raise ValueError(f"{name} must be a date; got {value!r}")
    return int(np.datetime64(ts.date(), "D").astype(np.int64))


def _day_str(day: int) -> str:
    return str(np.datetime64(int(day), "D"))


# =======================================================================================
# 3. model fitting (public wrappers)
# =======================================================================================
def fit_sbg(survivors=None, *, tenure=None, churned=None) -> SBGResult:
    """Fit the shifted-beta-geometric (sBG) model of contract duration by maximum likelihood.

    Either from cohort **survivor counts** n_0 >= n_1 >= ... >= n_k (customers still active
    at the end of periods 0..k; the last count is right-censored), or from **individual
    tenures** (whole periods) with a ``churned`` flag (False = still active, censored).

    LL = Σ_t (lost in t) ln P(T=t) + (still active) ln S(t), with P(T=t) = B(α+1, β+t-1)/B(α,β)
    and S(t) = B(α, β+t)/B(α,β) (Fader & Hardie 2007, eq. 7).

    Parameters
    ----------
    survivors : sequence of int, optional
    tenure : array of int, optional
        Periods each customer has been (or was) a customer.
    churned : array of bool, optional
        True where the customer has left (her tenure is complete).

    Returns
    -------
    SBGResult
        ``params`` alpha, beta; ``survival``, ``retention_rate``, ``project_survivors``,
        ``discounted_expected_lifetime``, ``discounted_expected_residual_lifetime``.

    Raises
    ------
    ValueError
        Increasing survivor counts, negative tenures, neither or both data forms.
    ModelFitError
        If nobody churned.

    Examples
    --------
    >>> res = fit_sbg([1000, 869, 743, 653, 593, 551, 517, 491])   # Fader & Hardie (2007), high end
    >>> res.params.round(3).to_dict()
    {'alpha': 0.668, 'beta': 3.806}
    """
    if (survivors is None) == (tenure is None):
        raise ValueError("give either survivors (cohort counts) or tenure and churned (individual data); "
                         f"got survivors={'None' if survivors is None else 'given'}, "
                         f"tenure={'None' if tenure is None else 'given'}")
    if survivors is not None:
        return fit_sbg_counts(survivors)
    if churned is None:
        raise ValueError("churned must be given with tenure (True where the customer left); got None")
    return fit_sbg_tenure(tenure, churned)


def fit_bg_nbd(frequency, recency, T, weights=None) -> BGNBDResult:
    """Fit the BG/NBD model (Fader, Hardie & Lee 2005a) by maximum likelihood.

    Log-likelihood (their eq. 6), in log space with analytic gradient:
    ln L = ln Γ(r+x) - ln Γ(r) + r ln α + ln[ B(a, b+x)/B(a,b) (α+T)^-(r+x)
    + δ(x>0) B(a+1, b+x-1)/B(a,b) (α+t_x)^-(r+x) ]. Customers with identical (x, t_x, T)
    are counted once with a weight.

    Parameters
    ----------
    frequency : array of int
        Repeat purchases x in the calibration period.
    recency : array of float
        Time t_x of the last repeat purchase after the first purchase (0 if x = 0).
    T : array of float
        Time from the first purchase to the end of the calibration period (same unit).
    weights : array of float, optional
        Number of customers each row stands for.

    Returns
    -------
    BGNBDResult
        ``params`` r, alpha, a, b; ``log_likelihood``; ``standard_errors``; methods
        ``expected_purchases``, ``prob_alive``, ``conditional_expected_purchases``.

    Raises
    ------
    ValueError
        Negative or non-integer frequency, recency > T, mismatched lengths.
    ModelFitError
        If no customer made a repeat purchase.

    Examples
    --------
    >>> from crmlib import datasets
    >>> rfm = rfm_summary(datasets.load_cdnow(), "customer_id", "date", calibration_end="1997-09-30")
    >>> res = fit_bg_nbd(rfm["frequency"], rfm["recency"], rfm["T"])
    >>> res.params.round(3).to_dict(), round(res.log_likelihood, 1)
    ({'r': 0.243, 'alpha': 4.414, 'a': 0.793, 'b': 2.426}, -9582.4)
    """
    return fit_bg_nbd_arrays(frequency, recency, T, weights=weights)


def fit_pareto_nbd(frequency, recency, T, weights=None) -> ParetoNBDResult:
    """Fit the Pareto/NBD model (Schmittlein, Morrison & Colombo 1987) by maximum likelihood.

    The likelihood (Fader & Hardie's 2005 note, eq. 21-22) is L = C [(α+T)^-(r+x) (β+T)^-s + s I]
    with I = ∫_{t_x}^{T} (α+y)^-(r+x) (β+y)^-(s+1) dy. The optimiser works with a fast
    tanh-sinh quadrature of I and its analytic gradient (differentiation under the integral
    sign); the reported ``log_likelihood`` is the exact closed form, with the Gauss
    hypergeometric terms Pfaff-transformed and kept in logs, so that nothing overflows for
    large x or long T (the two agree to about 1e-9). See :func:`fit_bg_nbd` for the arguments.

    Returns
    -------
    ParetoNBDResult
        ``params`` r, alpha, s, beta.

    Examples
    --------
    >>> from crmlib import datasets
    >>> rfm = rfm_summary(datasets.load_cdnow(), "customer_id", "date", calibration_end="1997-09-30")
    >>> res = fit_pareto_nbd(rfm["frequency"], rfm["recency"], rfm["T"])
    >>> res.params.round(3).to_dict(), round(res.log_likelihood, 1)
    ({'r': 0.553, 'alpha': 10.578, 's': 0.606, 'beta': 11.669}, -9595.0)
    """
    return fit_pareto_nbd_arrays(frequency, recency, T, weights=weights)


def fit_gamma_gamma(frequency, monetary_value, weights=None) -> GammaGammaResult:
    """Fit the Gamma-Gamma spend model (Fader & Hardie 2013) on customers with repeat purchases.

    ln f(m̄ | x) = ln Γ(px+q) - ln Γ(px) - ln Γ(q) + q ln γ + (px-1) ln m̄ + px ln x
    - (px+q) ln(γ + m̄x), for each customer with x >= 1 repeat transactions of mean value m̄.
    Rows with x = 0 are ignored.

    Returns
    -------
    GammaGammaResult
        ``params`` p, q, gamma; ``conditional_expected_spend``.

    Raises
    ------
    ModelFitError
        If no customer made a repeat purchase.

    Examples
    --------
    >>> from crmlib import datasets
    >>> rfm = rfm_summary(datasets.load_cdnow(), "customer_id", "date", "amount", calibration_end="1997-09-30")
    >>> res = fit_gamma_gamma(rfm["frequency"], rfm["monetary_value"])
    >>> res.params.round(2).to_dict(), res.n_customers
    ({'p': 6.25, 'q': 3.74, 'gamma': 15.44}, 946)
    """
    return fit_gamma_gamma_arrays(frequency, monetary_value, weights=weights)


def customer_lifetime_value(purchase_model, spend_model, frequency, recency, T, monetary_value, *,
                            periods=12, period_length=4.345, discount_rate=0.01, margin=1.0):
    """Discounted expected value of each customer's future purchases.

    CLV = margin · E[spend] · Σ_{k=1}^{K} (E[Y(kτ)] - E[Y((k-1)τ)]) / (1+d)^k, where E[Y(t)]
    are the conditional expected purchases of the BG/NBD or Pareto/NBD model, E[spend] the
    Gamma-Gamma conditional mean spend, τ the period length in the model's time unit and d
    the discount rate per period (Fader, Hardie & Lee 2005b use the same discounting idea in
    continuous time). This is the **current value** (当前价值) of the value matrix: what the
    customer is expected to bring if her present behaviour continues (see :func:`growth_potential`
    for the other axis).

    Parameters
    ----------
    purchase_model : BGNBDResult or ParetoNBDResult
    spend_model : GammaGammaResult
    frequency, recency, T, monetary_value : arrays
        The customers' calibration summary (``rfm_summary``).
    periods : int, default 12
        Number of discounting periods K.
    period_length : float, default 4.345
        τ in the model's time unit (4.345 weeks = one month).
    discount_rate : float, default 0.01
        d per period (0.01 a month is about 12.7% a year).
    margin : float, default 1.0
        Profit share of the spend (1.0 = revenue value).

    Returns
    -------
    ndarray or float

    Examples
    --------
    >>> from crmlib import datasets
    >>> rfm = rfm_summary(datasets.load_cdnow(), "customer_id", "date", "amount", calibration_end="1997-09-30")
    >>> bg = fit_bg_nbd(rfm["frequency"], rfm["recency"], rfm["T"])
    >>> gg = fit_gamma_gamma(rfm["frequency"], rfm["monetary_value"])
    >>> value = customer_lifetime_value(bg, gg, rfm["frequency"], rfm["recency"], rfm["T"], rfm["monetary_value"])
    >>> round(float(value.mean()), 2)
    30.34
    """
    mg, spend, purchases = _value_parts(purchase_model, spend_model, frequency, recency, T, monetary_value,
                                        periods, period_length, discount_rate, margin)
    out = mg * spend * purchases
    return float(out.ravel()[0]) if np.ndim(frequency) == 0 else out


def _value_parts(purchase_model, spend_model, frequency, recency, T, monetary_value, periods, period_length,
                 discount_rate, margin):
    """(margin, E[spend], discounted expected purchases) of each customer: CLV is their product."""
    if not isinstance(purchase_model, (BGNBDResult, ParetoNBDResult)):
        raise TypeError(f"purchase_model must be a fitted BG/NBD or Pareto/NBD result; got {type(purchase_model).__name__}")
    if not isinstance(spend_model, GammaGammaResult):
        raise TypeError(f"spend_model must be a fitted Gamma-Gamma result; got {type(spend_model).__name__}")
    K = v.integer("periods", periods, minimum=1)
    tau = v.positive("period_length", period_length, unit="model time units")
    d = v.non_negative("discount_rate", discount_rate, unit="per period")
    mg = v.non_negative("margin", margin)
    spend = np.asarray(spend_model.conditional_expected_spend(frequency, monetary_value), float)
    total = np.zeros_like(spend)
    prev = 0.0
    for k in range(1, K + 1):
        cur = np.asarray(purchase_model.conditional_expected_purchases(k * tau, frequency, recency, T), float)
        total = total + (cur - prev) / (1 + d) ** k
        prev = cur
    return mg, spend, total


def growth_potential(purchase_model, spend_model, frequency, recency, T, monetary_value, *, groups=None,
                     quantile=0.75, periods=12, period_length=4.345, discount_rate=0.01, margin=1.0):
    """Growth potential (增值潜力): the *additional* value if a customer's spend per purchase rose to
    that of her group's better customers (up- and cross-selling), her buying otherwise unchanged.

    The customer-lifetime-profit literature splits a customer's future value in two: the
    **current value** (当前价值), expected if her present behaviour continues, and the
    **potential** the firm could add by changing that behaviour (Verhoef & Donkers 2001 predict
    a customer's potential from what comparable customers buy; Ryals 2002 places customers on
    such a value grid). Past spend is neither. Our operationalisation for a purchase log:

    * current value_i = margin · E[spend_i] · DEP_i, which is ``customer_lifetime_value``
      (E[spend_i] from the Gamma-Gamma model, DEP_i the discounted expected purchases of the
      BG/NBD or Pareto/NBD model over ``periods`` periods);
    * target spend s*_g = the ``quantile`` (default the upper quartile) of E[spend] among the
      repeat buyers (x >= 1) of the customer's group g (all repeat buyers when ``groups`` is
      None, or when her group has none);
    * growth potential_i = margin · max(s*_g - E[spend_i], 0) · DEP_i.

    Only the basket is changed: her purchase rate and her chance of being alive stay at their
    model values, so retention is counted once, in the current value. A customer who already
    spends at least s*_g per purchase has no growth potential on this lever; a customer the
    model thinks is gone (small DEP) has little. Referrals and a higher purchase frequency are
    not in a purchase log and are left out.

    Parameters
    ----------
    purchase_model : BGNBDResult or ParetoNBDResult
    spend_model : GammaGammaResult
    frequency, recency, T, monetary_value : arrays
        The customers' calibration summary (``rfm_summary``).
    groups : array-like, optional
        A label per customer (e.g. a segment); the better customers are sought within it.
    quantile : float in (0, 1], default 0.75
        Which spend per purchase counts as that of the "better customers".
    periods, period_length, discount_rate, margin
        As in :func:`customer_lifetime_value` (the same horizon and discounting as the current value).

    Returns
    -------
    ndarray or float
        Additional value per customer (currency; revenue when ``margin=1``).

    Raises
    ------
    ValueError
        For a quantile outside (0, 1], groups of the wrong length, or no repeat buyer at all.

    References
    ----------
    Verhoef & Donkers (2001), Decision Support Systems 32(2), 189-199; Ryals (2002), Journal of
    Retailing and Consumer Services 9(5), 241-251.

    Examples
    --------
    >>> from crmlib import datasets
    >>> rfm = rfm_summary(datasets.load_cdnow(), "customer_id", "date", "amount", calibration_end="1997-09-30")
    >>> bg = fit_bg_nbd(rfm["frequency"], rfm["recency"], rfm["T"])
    >>> gg = fit_gamma_gamma(rfm["frequency"], rfm["monetary_value"])
    >>> args = (bg, gg, rfm["frequency"], rfm["recency"], rfm["T"], rfm["monetary_value"])
    >>> current, growth = customer_lifetime_value(*args), growth_potential(*args)
    >>> round(float(current.mean()), 2), round(float(growth.mean()), 2)
    (30.34, 7.64)
    """
    q = v.in_range("quantile", quantile, 0, 1, low_open=True)
    mg, spend, purchases = _value_parts(purchase_model, spend_model, frequency, recency, T, monetary_value,
                                        periods, period_length, discount_rate, margin)
    x = np.atleast_1d(np.asarray(frequency, float))
    spend1 = np.atleast_1d(spend)
    repeat = x > 0
    if not repeat.any():
        raise ValueError("growth_potential needs repeat buyers (frequency >= 1) to set the target spend; "
                         "got none")
    overall = float(np.quantile(spend1[repeat], q))
    target = np.full(spend1.shape, overall)
    if groups is not None:
        labels = pd.Series(np.asarray(groups, dtype=object).ravel())
        v.same_length(frequency=x, groups=labels.to_numpy())
        codes, uniques = pd.factorize(labels)
        for g in range(len(uniques)):
            member = codes == g
            if (member & repeat).any():
                target[member] = np.quantile(spend1[member & repeat], q)
    out = mg * np.maximum(target - spend1, 0.0) * np.atleast_1d(purchases)
    return float(out[0]) if np.ndim(frequency) == 0 else out


def simulate_bg_nbd(r, alpha, a, b, n_customers, *, rng, calibration_days=273, first_purchase_days=84,
                    days_per_unit=7.0):
    """Simulate the calibration summary of a BG/NBD customer population (daily dates, like CDNOW).

    Each customer makes a first purchase on a day uniform in 0..``first_purchase_days``-1
    and is observed until day ``calibration_days``-1; λ ~ Gamma(r, α) (α in purchases per
    ``days_per_unit`` days), p ~ Beta(a, b); she can drop out right after each repeat purchase
    with probability p (Fader, Hardie & Lee 2005a, assumptions i-v). Given K purchases in
    (0, T], the x-th purchase time is T times a Beta(x, K-x+1) variate; times are rounded up
    to whole days, as in a daily transaction log.

    Returns
    -------
    pandas.DataFrame
        frequency, recency, T (in units of ``days_per_unit`` days, weeks by default).

    Examples
    --------
    >>> sim = simulate_bg_nbd(0.243, 4.414, 0.793, 2.426, 5, rng=np.random.default_rng(1))
    >>> list(sim.columns), len(sim)
    (['frequency', 'recency', 'T'], 5)
    """
    for name, val in (("r", r), ("alpha", alpha), ("a", a), ("b", b)):
        v.positive(name, val)
    n = v.integer("n_customers", n_customers, minimum=1)
    rng = v.rng("rng", rng)
    cal = v.integer("calibration_days", calibration_days, minimum=2)
    fp = v.integer("first_purchase_days", first_purchase_days, minimum=1)
    if fp >= cal:
        raise ValueError(f"first_purchase_days must be below calibration_days; got {fp} >= {cal}")
    unit = v.positive("days_per_unit", days_per_unit)
    first = rng.integers(0, fp, size=n)
    T_days = (cal - 1 - first).astype(float)
    lam = rng.gamma(r, 1.0 / alpha, size=n) / unit  # per day
    p = rng.beta(a, b, size=n)
    K = rng.poisson(lam * T_days)
    J = rng.geometric(p)  # repeat purchases until (and including) the one after which she drops out
    x = np.minimum(K, J)
    pos = x > 0
    frac = np.zeros(n)
    frac[pos] = rng.beta(x[pos], K[pos] - x[pos] + 1)
    rec_days = np.where(pos, np.clip(np.ceil(frac * T_days), 1, T_days), 0.0)
    return pd.DataFrame({"frequency": x.astype(np.int64), "recency": rec_days / unit, "T": T_days / unit})


# =======================================================================================
# 4. holdout validation and the value matrix
# =======================================================================================
def holdout_comparison(model, summary, max_frequency=7):
    """Mean holdout purchases, actual vs predicted, by calibration frequency (FHL 2005a, Figure 4).

    Parameters
    ----------
    model : BGNBDResult or ParetoNBDResult
    summary : pandas.DataFrame
        An ``rfm_summary`` with holdout columns (``frequency_holdout``, ``duration_holdout``).
    max_frequency : int, default 7
        Frequencies above it are pooled into one ``max_frequency+`` group.

    Returns
    -------
    pandas.DataFrame
        Index: calibration frequency group; columns customers, actual, predicted.
    """
    if not isinstance(model, (BGNBDResult, ParetoNBDResult)):
        raise TypeError(f"model must be a fitted BG/NBD or Pareto/NBD result; got {type(model).__name__}")
    v.columns("summary", summary, ["frequency", "recency", "T", "frequency_holdout", "duration_holdout"])
    k = v.integer("max_frequency", max_frequency, minimum=1)
    pred = model.conditional_expected_purchases(float(summary["duration_holdout"].iloc[0]), summary["frequency"],
                                                summary["recency"], summary["T"])
    grp = np.minimum(summary["frequency"].to_numpy(), k)
    labels = [str(i) for i in range(k)] + [f"{k}+"]
    df = pd.DataFrame({"group": pd.Categorical([labels[g] for g in grp], categories=labels, ordered=True),
                       "actual": summary["frequency_holdout"].to_numpy(float), "predicted": pred})
    out = df.groupby("group", observed=True).agg(customers=("actual", "size"), actual=("actual", "mean"),
                                                 predicted=("predicted", "mean"))
    out.index.name = "calibration frequency"
    return out


def tracking_data(model, transactions, customer_col, date_col, calibration_end, observation_end=None, freq="W"):
    """Cumulative repeat purchases of the whole cohort per week, actual vs model (FHL 2005a, Figure 2).

    The expected curve is Σ_i E[X(t - s_i)] over customers with first purchase s_i < t,
    using the model's unconditional expectation; same-day purchases count once.

    Returns
    -------
    pandas.DataFrame
        Index: time since the start of the log (in ``freq`` units, 1, 2, ...); columns
        actual, expected (cumulative repeat purchases), and calibration (bool).
    """
    if not isinstance(model, (BGNBDResult, ParetoNBDResult)):
        raise TypeError(f"model must be a fitted BG/NBD or Pareto/NBD result; got {type(model).__name__}")
    v.columns("transactions", transactions, [customer_col, date_col])
    v.one_of("freq", freq, list(_UNIT_DAYS))
    unit = _UNIT_DAYS[freq]
    day = pd.to_datetime(transactions[date_col]).to_numpy().astype("datetime64[D]").astype(np.int64)
    obs_end = int(day.max()) if observation_end is None else _as_day("observation_end", observation_end)
    cal_end = _as_day("calibration_end", calibration_end)
    if cal_end > obs_end:
        raise ValueError(f"calibration_end must not be after observation_end (dates out of order); got "
                         f"{_day_str(cal_end)} > {_day_str(obs_end)}")
    occ = pd.DataFrame({"c": transactions[customer_col].to_numpy(), "d": day}).drop_duplicates()
    occ = occ[occ["d"] <= obs_end]
    base = int(occ["d"].min())
    first = occ.groupby("c")["d"].transform("min")
    first_per_customer = occ.groupby("c")["d"].min()
    first_per_customer = first_per_customer[first_per_customer <= cal_end]
    occ = occ[occ["c"].isin(first_per_customer.index)]
    first = first.loc[occ.index]
    repeat_days = (occ["d"][occ["d"] > first] - base).to_numpy()
    n_steps = int(np.floor((obs_end - base + 1) / unit))
    edges = np.arange(1, n_steps + 1) * unit  # end of each step, in days since base (exclusive)
    actual = np.searchsorted(np.sort(repeat_days), edges, side="left")
    s_days, s_counts = np.unique((first_per_customer - base).to_numpy(), return_counts=True)
    expected = np.zeros(n_steps)
    for sd, cnt in zip(s_days, s_counts):
        # a customer who first bought on day sd can repeat from day sd+1 on; by the end of
        # step k (day edges[k]-1 included) she has had (edges[k] - 1 - sd) days
        age = np.maximum(edges - 1 - sd, 0) / unit
        expected += cnt * np.asarray(model.expected_purchases(age), float)
    idx = pd.Index(np.arange(1, n_steps + 1), name=f"time ({'weeks' if freq == 'W' else 'days'})")
    return pd.DataFrame({"actual": actual.astype(int), "expected": expected,
                         "calibration": edges - 1 <= cal_end - base}, index=idx)


_SEGMENTS = {
    (True, True): "invest: high value, high potential (重点保持与发展)",
    (True, False): "maintain: high value, low potential (维持)",
    (False, True): "develop: low value, high potential (重点培养)",
    (False, False): "economise: low value, low potential (降低服务成本)",
}


def value_matrix(current_value, growth_potential, *, current_split=None, growth_split=None):
    """Place customers on the current value × growth potential matrix (当前价值 × 增值潜力).

    The slides rank customers on these two dimensions of their predicted lifetime profit
    (全生涯周期利润, CLP), not on transaction volume; the matrix itself is an image in the
    slides. Following the CLP literature, both axes look forward:

    * **current value**: the profit expected if the customer's present behaviour continues,
      e.g. the model value ``customer_lifetime_value`` (BG/NBD or Pareto/NBD with Gamma-Gamma)
      or a retention-based value ``clv_from_retention``;
    * **growth potential**: the *additional* profit from changing that behaviour (up- and
      cross-selling, referrals), e.g. :func:`growth_potential`.

    Past spend is neither: it is history, and it is the transaction volume the slides warn
    against. Each customer is high or low on both axes (split at the medians unless given),
    giving four groups whose names and treatments are ours: invest, maintain, develop,
    economise.

    Parameters
    ----------
    current_value : pandas.Series or array
        Expected future value under present behaviour (currency).
    growth_potential : pandas.Series or array
        Additional expected value from changed behaviour (currency).
    current_split, growth_split : float, optional
        Thresholds; default the medians. A customer exactly at a threshold counts as low.

    Returns
    -------
    pandas.DataFrame
        current_value, growth_potential, segment (categorical).

    References
    ----------
    Verhoef & Donkers (2001); Ryals (2002) (see the module docstring).

    Examples
    --------
    >>> value_matrix([10, 50, 20, 80], [5, 40, 60, 1])["segment"].str.split(":").str[0].tolist()
    ['economise', 'invest', 'develop', 'maintain']
    """
    cur = np.atleast_1d(v.as_float("current_value", current_value))
    gro = np.atleast_1d(v.as_float("growth_potential", growth_potential))
    v.same_length(current_value=cur, growth_potential=gro)
    cs = float(np.median(cur)) if current_split is None else v.as_float("current_split", current_split)
    gs = float(np.median(gro)) if growth_split is None else v.as_float("growth_split", growth_split)
    hi_c, hi_g = cur > cs, gro > gs
    labels = [_SEGMENTS[(a, b)] for a, b in zip(hi_c, hi_g)]
    index = current_value.index if isinstance(current_value, pd.Series) else None
    cats = list(_SEGMENTS.values())
    return pd.DataFrame({"current_value": cur, "growth_potential": gro,
                         "segment": pd.Categorical(labels, categories=cats)}, index=index)


# =======================================================================================
# 5. plots (matplotlib imported inside; never show())
# =======================================================================================
def _axis(ax):
    if ax is None:
        import matplotlib.pyplot as plt

        _, ax = plt.subplots()
    return ax


def plot_value_curve(margin, retention_rate, discount_rate, periods, ax=None):
    """Cumulative discounted value by period, with the infinite-horizon value as a dashed line."""
    ax = _axis(ax)
    curve = value_curve(margin, retention_rate, discount_rate, periods)
    ax.plot(curve.index, curve.to_numpy(), marker="o", ms=3, label=f"{periods}-period value")
    if retention_rate < 1 + discount_rate:
        inf = clv_from_retention(margin, retention_rate, discount_rate)
        ax.axhline(inf, ls="--", color="grey", label=f"infinite horizon {inf:,.0f}")
    ax.set_xlabel("period after the valuation date (years)")
    ax.set_ylabel("cumulative present value (currency)")
    ax.set_title("customer lifetime value 客户终身价值")
    ax.legend(loc="lower right")
    return ax


def plot_retention(result: SBGResult, observed=None, periods=12, fitted_periods=None, ax=None):
    """Observed vs sBG-projected survivors (per 1,000) by period."""
    ax = _axis(ax)
    proj = result.project_survivors(periods)
    ax.plot(proj.index, proj.to_numpy(), label="sBG model")
    if observed is not None:
        obs = np.asarray(observed, float)
        ax.plot(np.arange(obs.size), obs, "o", ms=4, label="observed")
    if fitted_periods is not None:
        ax.axvline(fitted_periods, ls=":", color="grey")
    ax.set_xlabel("period (years)")
    ax.set_ylabel("customers still active (of 1,000)")
    ax.legend()
    return ax


def plot_tracking(tracking: pd.DataFrame, ax=None):
    """Cumulative repeat purchases, actual vs model, with the end of calibration marked."""
    ax = _axis(ax)
    ax.plot(tracking.index, tracking["actual"], label="actual")
    ax.plot(tracking.index, tracking["expected"], ls="--", label="model")
    cal = tracking.index[tracking["calibration"]].max()
    ax.axvline(cal, color="grey", ls=":")
    ax.set_xlabel(tracking.index.name)
    ax.set_ylabel("cumulative repeat purchases")
    ax.legend()
    return ax


def plot_holdout(comparison: pd.DataFrame, ax=None):
    """Actual vs predicted mean holdout purchases by calibration frequency."""
    ax = _axis(ax)
    x = np.arange(len(comparison))
    ax.plot(x, comparison["actual"], marker="o", label="actual")
    ax.plot(x, comparison["predicted"], marker="s", ls="--", label="model")
    ax.set_xticks(x, comparison.index.astype(str))
    ax.set_xlabel("repeat purchases in the calibration period")
    ax.set_ylabel("mean purchases in the holdout period")
    ax.legend()
    return ax


def plot_value_matrix(matrix: pd.DataFrame, ax=None):
    """Scatter of customers on current value × growth potential (当前价值 × 增值潜力), by segment (log scales)."""
    ax = _axis(ax)
    for seg in matrix["segment"].cat.categories:
        part = matrix[matrix["segment"] == seg]
        ax.scatter(part["current_value"] + 1, part["growth_potential"] + 1, s=8, alpha=0.6,
                   label=seg.split(":")[0])
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("current value 当前价值 + 1 (USD, log scale)")
    ax.set_ylabel("growth potential 增值潜力 + 1 (USD, log)")
    ax.legend(fontsize=8)
    return ax


def plot_prob_alive(model, frequency, recency, T, ax=None):
    """P(alive) against the week of the last purchase, for a customer with ``frequency`` repeat
    purchases and age ``T``; the chosen ``recency`` is marked (FHL 2005a, Figure 5 idea)."""
    if not isinstance(model, (BGNBDResult, ParetoNBDResult)):
        raise TypeError(f"model must be a fitted BG/NBD or Pareto/NBD result; got {type(model).__name__}")
    ax = _axis(ax)
    x = v.integer("frequency", frequency, minimum=0)
    TT = v.positive("T", T)
    tx = v.in_range("recency", recency, 0, TT)
    if x > 0:
        grid = np.linspace(min(0.5, TT), TT, 60)
        ax.plot(grid, model.prob_alive(np.full(grid.size, x), grid, np.full(grid.size, TT)))
    ax.plot([tx], [model.prob_alive(x, tx if x > 0 else 0.0, TT)], "o", color="#D55E00")
    ax.set_ylim(0, 1.02)
    ax.set_xlabel("recency t_x: week of the last purchase (weeks after the first)")
    ax.set_ylabel("P(alive) 存活概率")
    ax.set_title(f"{x} repeat purchases, customer for {TT:g} weeks")
    return ax
