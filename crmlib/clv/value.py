"""Chapter 3, value layer: the course's Cv, customer equity, elasticities, model-based CLV,
growth potential and the value matrix. Retention-based value itself lives in :mod:`crmlib.value`.

The model-based functions take the fitted purchase and spend models by what they can do
(``conditional_expected_purchases``/``prob_alive`` and ``conditional_expected_spend``), so this
module does not import :mod:`crmlib.clv.models`. Per-customer inputs follow the index rule:
pandas Series are aligned by their index (mismatched indexes are refused) and the result is a
Series on the same index; arrays give arrays, scalars a float.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .. import _validate as v
from ..i18n import N_
from ..value import MAX_PERIODS, clv_from_retention, margin_multiple, value_curve  # noqa: F401  (doctests)

__all__ = [
    "CLVScenario",
    "continuing_value",
    "customer_equity",
    "customer_lifetime_value",
    "growth_potential",
    "scenario",
    "value_elasticities",
    "value_matrix",
]

#: Largest number of repeat purchases and largest age T (in the model's time unit) accepted.
MAX_FREQUENCY = 1_000_000
MAX_AGE = 1e6
#: Largest number of discounting periods of the model-based CLV (one model evaluation each).
MAX_VALUE_PERIODS = 10_000
#: Largest number of new customers per period in customer equity.
MAX_NEW_CUSTOMERS = 1e12


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
        Discount rate per period (e.g. 0.10 = 10% a year), in [0, 1].
    periods : int
        Horizon in periods (years by default) counted from the valuation date, 1 … 10^6.

    Change a scenario with ``dataclasses.replace(s, retention_rate=0.9)`` (validated again).
    """

    margin: float = 100.0
    retention_rate: float = 0.80
    discount_rate: float = 0.10
    periods: int = 10

    def __post_init__(self):
        v.money("margin", self.margin, minimum=0, unit="currency per period")
        v.probability("retention_rate", self.retention_rate, open_high=True)
        v.in_range("discount_rate", self.discount_rate, 0, 1, unit="per period")
        v.integer("periods", self.periods, minimum=1, maximum=MAX_PERIODS)


def scenario(**changes) -> CLVScenario:
    """The default simple-CLV scenario (margin 100 per year, r = 0.80, d = 0.10, 10 years), with changes.

    Examples
    --------
    >>> scenario(retention_rate=0.9)
    CLVScenario(margin=100.0, retention_rate=0.9, discount_rate=0.1, periods=10)
    """
    return CLVScenario(**changes)


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
        Expected profit (contribution) π_t in periods 1..T, currency per period (|π_t| <= 10^15).
    discount_rate : float
        Discount rate d per period, in [0, 1].

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
    p = np.atleast_1d(v.money("profits", profits, unit="currency per period"))
    if p.ndim != 1 or p.size > MAX_PERIODS:
        raise ValueError(f"profits must be one profit per period, at most 10^6 of them; got shape {p.shape}")
    d = v.in_range("discount_rate", discount_rate, 0, 1, unit="per period")
    t = np.arange(1, p.size + 1)
    return float(np.sum(p * np.exp(-t * np.log1p(d))))


def customer_equity(new_customers, margin, retention_rate, discount_rate, acquisition_cost=0.0):
    """Value of the current and all future cohorts: n (1+i)/i · [m (1+i)/(1+i-r) - c].

    Gupta, Lehmann & Stuart (2004, eq. 4) with constant cohort size n per period, margin
    m, retention r, discount rate i and acquisition cost c per new customer; a customer
    pays the margin in her first period (the "start" timing) and acquisition is paid as
    the cohort arrives.

    Parameters
    ----------
    new_customers : float
        Customers acquired per period (0 < n <= 10^12).
    margin : float
        Margin per customer per period (currency, <= 10^15).
    retention_rate : float in [0, 1)
    discount_rate : float in (0, 1]
        Must be positive: an infinite stream of cohorts has no finite value at i = 0.
    acquisition_cost : float, default 0
        Cost of acquiring one customer (currency, <= 10^15).

    Returns
    -------
    float or ndarray
        Customer equity in currency units (an array when an argument is an array).

    Examples
    --------
    >>> round(customer_equity(1000, 100, 0.8, 0.12, acquisition_cost=150))
    1866667
    """
    n = v.in_range("new_customers", new_customers, 0, MAX_NEW_CUSTOMERS, low_open=True, unit="customers per period")
    m, r, i, c = _equity_drivers(margin, retention_rate, discount_rate, acquisition_cost)
    out = n * (1 + i) / i * (m * (1 + i) / (1 + i - r) - c)
    v.finite_result("customer_equity", out, hint="raise discount_rate or lower new_customers")
    return float(out) if np.ndim(out) == 0 else np.asarray(out, dtype=float)


def _equity_drivers(margin, retention_rate, discount_rate, acquisition_cost):
    m = v.money("margin", margin, minimum=0, unit="currency per period")
    r = v.probability("retention_rate", retention_rate, open_high=True)
    i = v.in_range("discount_rate", discount_rate, 0, 1, low_open=True, unit="per period")
    c = v.money("acquisition_cost", acquisition_cost, minimum=0, unit="currency per customer")
    return m, r, i, c


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
    m, r, i, c = _equity_drivers(margin, retention_rate, discount_rate, acquisition_cost)
    for name, x in (("margin", m), ("retention_rate", r), ("discount_rate", i), ("acquisition_cost", c)):
        if np.ndim(x):
            raise TypeError(f"{name} must be a single number; got an array of shape {np.shape(x)}")
    V = (1 + i) / i * (m * (1 + i) / (1 + i - r) - c)
    v.finite_result("customer equity", V, hint="raise discount_rate")
    if V <= 0:
        raise ValueError(f"customer equity must be positive for elasticities; got {V:.4g} (acquisition_cost too high)")
    dV_dm = (1 + i) / i * (1 + i) / (1 + i - r)
    dV_dr = (1 + i) / i * m * (1 + i) / (1 + i - r) ** 2
    dV_dc = -(1 + i) / i
    f, g = (1 + i) ** 2, i * (1 + i - r)
    dV_di = m * (2 * (1 + i) * g - f * (1 + 2 * i - r)) / g**2 + c / i**2
    out = pd.Series(
        {
            "margin": dV_dm * m / V,
            "retention_rate": dV_dr * r / V,
            "discount_rate": dV_di * i / V,
            "acquisition_cost": dV_dc * c / V,
        },
        name="elasticity",
    )
    v.finite_result("value_elasticities", out.to_numpy(), hint="raise discount_rate")
    return out


def customer_lifetime_value(
    purchase_model,
    spend_model,
    frequency,
    recency,
    T,
    monetary_value,
    *,
    periods=12,
    period_length=4.345,
    discount_rate=0.01,
    profit_share=1.0,
    discounting="discrete",
):
    """Discounted expected value of each customer's future purchases.

    CLV = profit_share · E[spend] · DEP, with E[spend] the Gamma-Gamma conditional mean spend and DEP
    the discounted expected purchases over K = ``periods`` periods of τ = ``period_length``
    model time units, at the discount rate d per period:

    * ``discounting="discrete"`` (default): DEP = Σ_{k=1}^{K} (E[Y(kτ)] - E[Y((k-1)τ)]) / (1+d)^k,
      with E[Y(t)] the conditional expected purchases of the BG/NBD, MBG/NBD or Pareto/NBD model:
      every purchase of period k is discounted as if made at its end, which undervalues the
      stream by up to a factor 1/(1+d) (about d/2 on average);
    * ``discounting="continuous"`` (Pareto/NBD only): DEP = ∫_0^{Kτ} e^(-δt) dE[Y(t)], each
      purchase discounted from the moment it is made at the equivalent continuous rate
      δ = ln(1+d)/τ per time unit, i.e. the discounted expected residual transactions (DERT) of
      Fader, Hardie & Lee (2005b) in closed form; ``periods=None`` takes the whole residual
      lifetime (their CLV), which needs d > 0.

    This is the **current value** (当前价值) of the value matrix: what the customer is expected to
    bring if her present behaviour continues (see :func:`growth_potential` for the other axis).

    Parameters
    ----------
    purchase_model : BGNBDResult, MBGNBDResult or ParetoNBDResult
    spend_model : GammaGammaResult
    frequency, recency, T, monetary_value : pandas.Series, arrays or numbers
        The customers' calibration summary (``rfm_summary``): repeat purchases (whole, 0 …
        10^6), recency and age in the model's time unit (0 <= recency <= T <= 10^6) and mean
        repeat spend (currency). Series are aligned by their index (all four must carry the
        same customers; mismatched indexes are refused).
    periods : int or None, default 12
        Number of discounting periods K, 1 … 10,000 (None, continuous discounting only: no horizon).
    period_length : float, default 4.345
        τ in the model's time unit (4.345 weeks = one month), 0 < τ <= 10^4.
    discount_rate : float, default 0.01
        d per period, in [0, 1] (0.01 a month is about 12.7% a year).
    profit_share : float, default 1.0
        Profit share of the spend, in [0, 1] (1.0 = revenue value).
    discounting : {"discrete", "continuous"}, default "discrete"
        Discount each period's purchases at the period's end, or each purchase when it happens
        (exact; needs a purchase model with ``discounted_expected_residual_transactions``, the
        Pareto/NBD).

    Returns
    -------
    pandas.Series, ndarray or float
        A Series on the index of the inputs when they are Series, an array for arrays, a float
        for single numbers (currency; revenue when ``profit_share=1``).

    Examples
    --------
    >>> from crmlib import datasets
    >>> from crmlib.clv import fit_bg_nbd, fit_gamma_gamma, fit_pareto_nbd, rfm_summary
    >>> rfm = rfm_summary(datasets.load_cdnow(), "customer_id", "date", "amount", calibration_end="1997-09-30")
    >>> bg = fit_bg_nbd(rfm["frequency"], rfm["recency"], rfm["T"])
    >>> gg = fit_gamma_gamma(rfm["frequency"], rfm["monetary_value"])
    >>> value = customer_lifetime_value(bg, gg, rfm["frequency"], rfm["recency"], rfm["T"], rfm["monetary_value"])
    >>> round(float(value.mean()), 2), value.index.equals(rfm.index)
    (30.34, True)

    The Pareto/NBD's exact value over the whole residual lifetime at 15% a year (Fader, Hardie & Lee
    2005b's discounting; 52 one-week periods a year):

    >>> pnbd = fit_pareto_nbd(rfm["frequency"], rfm["recency"], rfm["T"])
    >>> whole = customer_lifetime_value(pnbd, gg, rfm["frequency"], rfm["recency"], rfm["T"], rfm["monetary_value"],
    ...     periods=None, period_length=1.0, discount_rate=0.15 / 52, discounting="continuous")
    >>> bool(whole.gt(0).all())
    True
    """
    parts = _value_parts(
        purchase_model,
        spend_model,
        frequency,
        recency,
        T,
        monetary_value,
        periods,
        period_length,
        discount_rate,
        profit_share,
        discounting,
    )
    return parts.output(parts.profit_share * parts.spend * parts.purchases, "customer_lifetime_value")


@dataclass(frozen=True)
class _ValueParts:
    """The pieces of a model-based value, one entry per customer (CLV = profit_share · spend · purchases)."""

    index: pd.Index | None  # the customers' index when the inputs were Series
    scalar: bool  # all inputs were single numbers
    frequency: np.ndarray
    profit_share: float
    spend: np.ndarray  # E[spend per purchase]
    purchases: np.ndarray  # discounted expected purchases over the horizon

    def output(self, values, name):
        values = np.asarray(values, dtype=float)
        v.finite_result(name, values, hint="shorten periods or period_length")
        if self.scalar:
            return float(values[0])
        return values if self.index is None else pd.Series(values, index=self.index, name=name)


def _check_models(purchase_model, spend_model):
    if isinstance(purchase_model, type) or not all(
        callable(getattr(purchase_model, m, None)) for m in ("conditional_expected_purchases", "prob_alive")
    ):
        raise TypeError(
            f"purchase_model must be a fitted BG/NBD, MBG/NBD or Pareto/NBD result; got {type(purchase_model).__name__}"
        )
    if isinstance(spend_model, type) or not callable(getattr(spend_model, "conditional_expected_spend", None)):
        raise TypeError(f"spend_model must be a fitted Gamma-Gamma result; got {type(spend_model).__name__}")


def _customers(frequency, recency, T, monetary_value):
    """Validated per-customer arrays, aligned by index when Series: (index, scalar, x, t_x, T, m)."""
    index, a = v.aligned(frequency=frequency, recency=recency, T=T, monetary_value=monetary_value)
    x = np.asarray(v.integer("frequency", a["frequency"], minimum=0, maximum=MAX_FREQUENCY), float)
    age = v.in_range("T", a["T"], 0, MAX_AGE, low_open=True, unit="model time units")
    tx = v.in_range("recency", a["recency"], 0, MAX_AGE, unit="model time units")
    late = tx > age
    if late.any():
        i = int(np.flatnonzero(late)[0])
        raise ValueError(
            f"recency must not exceed T (the last purchase cannot be after the end of calibration); "
            f"got recency={tx[i]:g} > T={age[i]:g} at position {i}"
        )
    m = v.money("monetary_value", a["monetary_value"], minimum=0, unit="currency per purchase")
    scalar = all(np.ndim(z) == 0 for z in (frequency, recency, T, monetary_value))
    return index, scalar, x, tx, age, np.asarray(m, float)


_DISCOUNTING = ("discrete", "continuous")


def _value_parts(
    purchase_model,
    spend_model,
    frequency,
    recency,
    T,
    monetary_value,
    periods,
    period_length,
    discount_rate,
    profit_share,
    discounting="discrete",
) -> _ValueParts:
    """(profit_share, E[spend], discounted expected purchases) of each customer: CLV is their product."""
    if not isinstance(discounting, str) or discounting not in _DISCOUNTING:
        raise ValueError(f"discounting must be one of {list(_DISCOUNTING)}; got {discounting!r}")
    _check_models(purchase_model, spend_model)
    continuous = discounting == "continuous"
    if continuous and not callable(getattr(purchase_model, "discounted_expected_residual_transactions", None)):
        raise TypeError(
            "discounting='continuous' needs a purchase_model with a closed-form discounted expected residual "
            f"transactions (a fitted Pareto/NBD); got {type(purchase_model).__name__}. Use discounting='discrete'."
        )
    index, scalar, x, tx, age, m = _customers(frequency, recency, T, monetary_value)
    K = (
        None
        if (continuous and periods is None)
        else v.integer("periods", periods, minimum=1, maximum=MAX_VALUE_PERIODS)
    )
    tau = v.in_range("period_length", period_length, 0, 1e4, low_open=True, unit="model time units")
    d = v.in_range("discount_rate", discount_rate, 0, 1, unit="per period")
    mg = v.in_range("profit_share", profit_share, 0, 1, unit="(profit share of the spend)")
    for name, z in (("period_length", tau), ("discount_rate", d), ("profit_share", mg)):
        if np.ndim(z):
            raise TypeError(f"{name} must be a single number; got an array of shape {np.shape(z)}")
    if K is None and d == 0:
        raise ValueError(
            "discount_rate must be > 0 with periods=None (undiscounted purchases over an unlimited horizon "
            "need not have a finite sum); got discount_rate=0"
        )
    spend = np.atleast_1d(np.asarray(spend_model.conditional_expected_spend(x, m), float))
    if continuous:
        delta = float(np.log1p(d) / tau)  # the continuous rate with the same discount factor per period
        horizon = None if K is None else K * float(tau)
        total = np.atleast_1d(
            np.asarray(
                purchase_model.discounted_expected_residual_transactions(delta, x, tx, age, horizon=horizon), float
            )
        )
        return _ValueParts(index=index, scalar=scalar, frequency=x, profit_share=mg, spend=spend, purchases=total)
    total = np.zeros_like(x)
    prev = 0.0
    for k in range(1, K + 1):
        cur = np.atleast_1d(np.asarray(purchase_model.conditional_expected_purchases(k * tau, x, tx, age), float))
        total = total + (cur - prev) / (1 + d) ** k
        prev = cur
    return _ValueParts(index=index, scalar=scalar, frequency=x, profit_share=mg, spend=spend, purchases=total)


def growth_potential(
    purchase_model,
    spend_model,
    frequency,
    recency,
    T,
    monetary_value,
    *,
    groups=None,
    quantile=0.75,
    periods=12,
    period_length=4.345,
    discount_rate=0.01,
    profit_share=1.0,
):
    """Growth potential (增值潜力): the *additional* value if a customer's spend per purchase rose to
    that of her group's better customers (up- and cross-selling), her buying otherwise unchanged.

    The customer-lifetime-profit literature splits a customer's future value in two: the
    **current value** (当前价值), expected if her present behaviour continues, and the
    **potential** the firm could add by changing that behaviour (Verhoef & Donkers 2001 predict
    a customer's potential from what comparable customers buy; Ryals 2002 places customers on
    such a value grid). Past spend is neither. Our operationalisation for a purchase log:

    * current value_i = profit_share · E[spend_i] · DEP_i, which is ``customer_lifetime_value``
      (E[spend_i] from the Gamma-Gamma model, DEP_i the discounted expected purchases of the
      BG/NBD or Pareto/NBD model over ``periods`` periods);
    * target spend s*_g = the ``quantile`` (default the upper quartile) of E[spend] among the
      repeat buyers (x >= 1) of the customer's group g (all repeat buyers when ``groups`` is
      None, or when her group has none);
    * growth potential_i = profit_share · max(s*_g - E[spend_i], 0) · DEP_i.

    Only the basket is changed: her purchase rate and her chance of being alive stay at their
    model values, so retention is counted once, in the current value. A customer who already
    spends at least s*_g per purchase has no growth potential on this lever; a customer the
    model thinks is gone (small DEP) has little. Referrals and a higher purchase frequency are
    not in a purchase log and are left out.

    Parameters
    ----------
    purchase_model : BGNBDResult or ParetoNBDResult
    spend_model : GammaGammaResult
    frequency, recency, T, monetary_value : pandas.Series, arrays or numbers
        The customers' calibration summary (``rfm_summary``), as in
        :func:`customer_lifetime_value` (Series are aligned by index).
    groups : pandas.Series or array-like, optional
        A label per customer (e.g. a segment); the better customers are sought within it. A
        Series is aligned by index like the other inputs (it must carry the same customers);
        an array must have one label per customer and goes with array inputs only.
    quantile : float in (0, 1], default 0.75
        Which spend per purchase counts as that of the "better customers".
    periods, period_length, discount_rate, profit_share
        As in :func:`customer_lifetime_value` (the same horizon and discounting as the current value).

    Returns
    -------
    pandas.Series, ndarray or float
        Additional value per customer (currency; revenue when ``profit_share=1``), on the index of
        the inputs when they are Series.

    Raises
    ------
    ValueError
        For a quantile outside (0, 1], groups of the wrong length or index, or no repeat buyer at all.

    References
    ----------
    Verhoef & Donkers (2001), Decision Support Systems 32(2), 189-199; Ryals (2002), Journal of
    Retailing and Consumer Services 9(5), 241-251.

    Examples
    --------
    >>> from crmlib import datasets
    >>> from crmlib.clv import fit_bg_nbd, fit_gamma_gamma, fit_pareto_nbd, rfm_summary
    >>> rfm = rfm_summary(datasets.load_cdnow(), "customer_id", "date", "amount", calibration_end="1997-09-30")
    >>> bg = fit_bg_nbd(rfm["frequency"], rfm["recency"], rfm["T"])
    >>> gg = fit_gamma_gamma(rfm["frequency"], rfm["monetary_value"])
    >>> args = (bg, gg, rfm["frequency"], rfm["recency"], rfm["T"], rfm["monetary_value"])
    >>> current, growth = customer_lifetime_value(*args), growth_potential(*args)
    >>> round(float(current.mean()), 2), round(float(growth.mean()), 2)
    (30.34, 7.64)
    """
    q = v.in_range("quantile", quantile, 0, 1, low_open=True)
    parts = _value_parts(
        purchase_model,
        spend_model,
        frequency,
        recency,
        T,
        monetary_value,
        periods,
        period_length,
        discount_rate,
        profit_share,
    )
    spend, repeat = parts.spend, parts.frequency > 0
    if not repeat.any():
        raise ValueError("growth_potential needs repeat buyers (frequency >= 1) to set the target spend; got none")
    target = np.full(spend.shape, float(np.quantile(spend[repeat], q)))
    if groups is not None:
        codes, n_groups = _group_codes(groups, parts.index, spend.size)
        for g in range(n_groups):
            member = codes == g
            if (member & repeat).any():
                target[member] = np.quantile(spend[member & repeat], q)
    return parts.output(parts.profit_share * np.maximum(target - spend, 0.0) * parts.purchases, "growth_potential")


def _group_codes(groups, index, n):
    """Integer codes of the group labels, one per customer, aligned with ``index`` when it is given."""
    if isinstance(groups, (str, bytes)) or np.ndim(groups) == 0:
        raise TypeError(f"groups must be one label per customer (a Series or an array); got {groups!r}")
    if index is not None:
        if not isinstance(groups, pd.Series):
            raise TypeError(
                "groups must be a pandas Series like frequency (inputs are aligned by index, not by "
                f"position); got {type(groups).__name__}"
            )
        if groups.index.has_duplicates or not groups.index.sort_values().equals(index.sort_values()):
            raise ValueError(
                "frequency and groups must have the same index (they are aligned by label, not by position)"
            )
        labels = groups.reindex(index)
    else:
        if isinstance(groups, pd.Series):
            raise TypeError(
                "groups is a pandas Series but frequency is not: pass Series for all the customer "
                "inputs (aligned by index) or arrays for all of them"
            )
        labels = pd.Series(np.asarray(groups, dtype=object).ravel())
        if len(labels) != n:
            raise ValueError(
                f"frequency and groups must have the same length; frequency has {n}, groups has {len(labels)}"
            )
    if labels.isna().any():
        raise ValueError(f"groups must not have missing labels; got {int(labels.isna().sum())} missing")
    codes, uniques = pd.factorize(labels)
    return codes, len(uniques)


_SEGMENTS = {  # N_: the value matrix's quadrants are shown in Chinese in the Chinese edition
    (True, True): N_("invest: high value, high potential (重点保持与发展)"),
    (True, False): N_("maintain: high value, low potential (维持)"),
    (False, True): N_("develop: low value, high potential (重点培养)"),
    (False, False): N_("economise: low value, low potential (降低服务成本)"),
}
#: Other word labels of the tables this module returns (value_elasticities, value_matrix).
_TABLE_LABELS = (
    N_("elasticity"),
    N_("margin"),
    N_("retention_rate"),
    N_("discount_rate"),
    N_("acquisition_cost"),
    N_("current_value"),
    N_("growth_potential"),
    N_("segment"),
    N_("customer_lifetime_value"),
    # the names chapter 3 gives these results and the CDNOW amounts in its tables (rfm["clv"], …)
    N_("clv"),
    N_("spend_per_purchase"),
    N_("amount"),
)


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
        Additional expected value from changed behaviour (currency). Two Series are aligned by
        index (they must carry the same customers); two arrays must have the same length.
    current_split, growth_split : float, optional
        Thresholds; default the medians. A customer exactly at a threshold counts as low.

    Returns
    -------
    pandas.DataFrame
        current_value, growth_potential, segment (categorical); on the index of
        ``current_value`` when the inputs are Series.

    References
    ----------
    Verhoef & Donkers (2001); Ryals (2002) (see the module docstring).

    Examples
    --------
    >>> value_matrix([10, 50, 20, 80], [5, 40, 60, 1])["segment"].str.split(":").str[0].tolist()
    ['economise', 'invest', 'develop', 'maintain']
    """
    index, a = v.aligned(current_value=current_value, growth_potential=growth_potential)
    cur = np.asarray(v.money("current_value", a["current_value"]), float)
    gro = np.asarray(v.money("growth_potential", a["growth_potential"]), float)
    cs = float(np.median(cur)) if current_split is None else v.money("current_split", current_split)
    gs = float(np.median(gro)) if growth_split is None else v.money("growth_split", growth_split)
    for name, z in (("current_split", cs), ("growth_split", gs)):
        if np.ndim(z):
            raise TypeError(f"{name} must be a single number; got an array of shape {np.shape(z)}")
    hi_c, hi_g = cur > cs, gro > gs
    labels = [_SEGMENTS[(a, b)] for a, b in zip(hi_c, hi_g)]
    cats = list(_SEGMENTS.values())
    return pd.DataFrame(
        {"current_value": cur, "growth_potential": gro, "segment": pd.Categorical(labels, categories=cats)},
        index=index,
    )
