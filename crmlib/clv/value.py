"""Chapter 3, value layer: the course's Cv, customer equity, elasticities, model-based CLV,
growth potential and the value matrix. Retention-based value itself lives in :mod:`crmlib.value`."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .. import _validate as v
from ..value import clv_from_retention, margin_multiple, value_curve  # noqa: F401  (used in doctests)
from .models import BGNBDResult, GammaGammaResult, ParetoNBDResult


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
    >>> from crmlib.clv import fit_bg_nbd, fit_gamma_gamma, fit_pareto_nbd, rfm_summary
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
