"""Discounted expected residual transactions (DERT) of the Pareto/NBD and the exact continuous CLV
(issue 19, item 2): ``ParetoNBDResult.discounted_expected_residual_transactions`` and
``customer_lifetime_value(..., discounting="continuous")``.

References (named again next to each test):
* FHL2005b  Fader, Hardie & Lee (2005), "RFM and CLV: using iso-value curves for customer base
  analysis", JMR 42(4), 415-430, eq. 2: DERT = α^r β^s δ^(s-1) Γ(r+x+1) Ψ(s, s; δ(β+T)) /
  (Γ(r) (α+T)^(r+x+1) L(r, α, s, β | x, t_x, T)), with Ψ the confluent hypergeometric function of
  the second kind; their CDNOW Pareto/NBD parameters r = 0.5533, α = 10.5776, s = 0.6061,
  β = 11.6650 and their discount rate of 15% a year, δ = 0.0027 a week (continuously compounded).
  The paper's DERT values for example customers could not be found in the reachable sources (its
  text is cited but the table/figure values were not retrievable), so the numbers below are
  checked against the paper's *formula* and against numerical integration instead.
* QUAD      the definition, integrated numerically with scipy.integrate.quad over the posterior of
  the purchase rate λ and the dropout rate μ (Gamma(r, α) and Gamma(s, β) priors, the Poisson and
  exponential likelihoods of Fader & Hardie's 2005 note, http://brucehardie.com/notes/009/): the
  expectations over λ and μ by quad in ln λ, ln μ; only the likelihood of dying at y in (t_x, T]
  uses the textbook Gamma moments inside a quad over y. No code is shared with crmlib.
* BOUND     elementary bounds: a purchase in period k is discounted by (1+d)^-k in the discrete sum
  and by between (1+d)^-(k-1) and (1+d)^-k in continuous time at δ = ln(1+d)/τ, so
  discrete <= continuous <= (1+d) · discrete, customer by customer.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import integrate, special, stats

from crmlib import clv
from crmlib.clv import models
from crmlib.clv.models import BGNBDResult, ParetoNBDResult

FHL2005B = dict(r=0.5533, alpha=10.5776, s=0.6061, beta=11.6650)  # FHL2005b, CDNOW Pareto/NBD
DELTA_WEEKLY = 0.0027  # FHL2005b: 15% a year, continuously compounded per week (ln 1.15 / 52 = 0.00269)
CAL_END = "1997-09-30"


def _pn(**p):
    return ParetoNBDResult.from_params(**p)


# --------------------------------------------------------------------------------- QUAD reference
def _gamma_moment(shape, rate, f):
    """∫ Gamma(shape, rate) density(u) f(u) du by quad over ln u (no singularity at 0)."""

    def g(a):
        u = math.exp(a)
        return math.exp(stats.gamma.logpdf(u, shape, scale=1 / rate) + a) * f(u)

    mode = math.log(max(shape, 1e-3) / rate)
    pts = [mode - 60, mode - 5, mode, mode + 5, mode + 12]
    body = sum(integrate.quad(g, lo, hi, epsabs=0, epsrel=1e-12, limit=200)[0] for lo, hi in zip(pts[:-1], pts[1:]))
    eps = math.exp(pts[0])  # below it f is constant to 1e-20: f(eps) P(u < eps)
    return body + f(eps) * special.gammainc(shape, rate * eps)


def _dead_term(p, x, tx, T):
    """∫_{t_x}^T E[λ^x e^(-λy)] E[μ e^(-μy)] dy: the likelihood of dying at y in (t_x, T], by quad over y,
    with the Gamma moments E[λ^x e^(-λy)] = Γ(r+x)/Γ(r) α^r (α+y)^-(r+x) and E[μ e^(-μy)] = s β^s (β+y)^-(s+1)."""
    r, al, s, be = p["r"], p["alpha"], p["s"], p["beta"]
    if T <= tx:
        return 0.0

    def f(y):
        return math.exp(
            special.gammaln(r + x)
            - special.gammaln(r)
            + r * math.log(al)
            - (r + x) * math.log(al + y)
            + math.log(s)
            + s * math.log(be)
            - (s + 1) * math.log(be + y)
        )

    return integrate.quad(f, tx, T, epsabs=0, epsrel=1e-12, limit=200)[0]


def _dert_by_quadrature(p, delta, x, tx, T, horizon=None):
    """QUAD: E[λ ∫_0^H e^(-δt) 1{alive at T+t} dt | x, t_x, T] over the joint posterior of (λ, μ).

    Given (λ, μ): L = λ^x e^-(λ+μ)T (alive at T) + ∫_{t_x}^T λ^x e^-λy μ e^-μy dy (died at y), and a
    customer alive at T buys λ/(δ+μ) discounted purchases in (T, ∞), λ(1 - e^-(δ+μ)H)/(δ+μ) up to H.
    """
    r, al, s, be = p["r"], p["alpha"], p["s"], p["beta"]
    lam_part = _gamma_moment(r, al, lambda u: u**x * math.exp(-u * T))
    mu_alive = _gamma_moment(s, be, lambda u: math.exp(-u * T))

    def resid(mu):
        k = delta + mu
        return (1 / k) if horizon is None else -math.expm1(-k * horizon) / k

    num = _gamma_moment(r, al, lambda u: u ** (x + 1) * math.exp(-u * T)) * _gamma_moment(
        s, be, lambda u: math.exp(-u * T) * resid(u)
    )
    return num / (lam_part * mu_alive + _dead_term(p, x, tx, T))


CUSTOMERS = [(2, 30.43, 38.86), (0, 0.0, 38.86), (7, 35.0, 77.86), (15, 38.0, 38.86), (1, 2.0, 60.0), (3, 20.0, 20.0)]


@pytest.mark.parametrize("x,tx,T", CUSTOMERS)
def test_dert_matches_numerical_integration_over_the_posterior_at_the_cdnow_parameters(x, tx, T):
    """QUAD at FHL2005b's parameters and discount rate, infinite horizon and a one-year horizon."""
    res = _pn(**FHL2005B)
    got = res.discounted_expected_residual_transactions(DELTA_WEEKLY, x, tx, T)
    assert got == pytest.approx(_dert_by_quadrature(FHL2005B, DELTA_WEEKLY, x, tx, T), rel=1e-7)
    got52 = res.discounted_expected_residual_transactions(DELTA_WEEKLY, x, tx, T, horizon=52.0)
    assert got52 == pytest.approx(_dert_by_quadrature(FHL2005B, DELTA_WEEKLY, x, tx, T, horizon=52.0), rel=1e-7)
    assert 0 < got52 < got


@pytest.mark.parametrize(
    "p",
    [
        dict(r=0.5, alpha=5.0, s=1.0, beta=10.0),  # s = 1: (s-1) cancels in the closed form
        dict(r=2.0, alpha=3.0, s=0.05, beta=0.5),  # very heterogeneous dropout
        dict(r=0.3, alpha=8.0, s=35.0, beta=700.0),  # s > 20: the Gauss-Laguerre branch
        dict(r=1.0, alpha=4.0, s=5000.0, beta=2e5),  # nearly a common dropout rate 0.025
    ],
)
@pytest.mark.parametrize("delta", [0.0005, 0.02, 0.5])
def test_dert_matches_numerical_integration_over_the_parameter_space(p, delta):
    """QUAD over the posterior, on both sides of the switch between hyperu and quadrature (s = 20)."""
    res = _pn(**p)
    for x, tx, T in [(3, 25.0, 40.0), (0, 0.0, 12.0)]:
        got = res.discounted_expected_residual_transactions(delta, x, tx, T)
        assert got == pytest.approx(_dert_by_quadrature(p, delta, x, tx, T), rel=1e-7)


@pytest.mark.parametrize("s", [0.01, 0.6061, 1.0, 3.5, 19.9, 20.1, 170.0, 1e4, 1e9])
@pytest.mark.parametrize("z", [1e-6, 0.1, 3.0, 500.0])
def test_the_laplace_transform_of_the_lomax_tail_matches_quad(s, z):
    """QUAD: U(1, 2-s; z) = ∫_0^∞ e^(-zu) (1+u)^-s du, computed by scipy.integrate.quad in ln(1+u)."""

    def f(w):  # u = e^w - 1, du = e^w dw
        return math.exp(-z * math.expm1(w) - (s - 1) * w)

    scale, end = 1.0 / (z + s), 800.0 / z  # beyond u = 800/z the integrand is below e^-800
    pts = [u for u in (0.0, scale / 10, scale, 10 * scale, 100 * scale, 1e4 * scale, 1e7 * scale) if u < end]
    pts = [math.log1p(u) for u in (*pts, end)]
    ref = sum(integrate.quad(f, lo, hi, epsabs=0, epsrel=1e-12, limit=400)[0] for lo, hi in zip(pts[:-1], pts[1:]))
    assert models._lomax_laplace(s, z) == pytest.approx(ref, rel=1e-8)


@pytest.mark.parametrize("x,tx,T", CUSTOMERS)
def test_dert_is_the_published_closed_form(x, tx, T):
    """FHL2005b eq. 2 written out with scipy.special.hyperu(s, s, ·) (their Ψ) and the Pareto/NBD
    likelihood L obtained by QUAD (not crmlib's), at the paper's parameters and discount rate."""
    r, al, s, be = FHL2005B.values()
    d = DELTA_WEEKLY
    lam_alive = _gamma_moment(r, al, lambda u: u**x * math.exp(-u * T))
    mu_alive = _gamma_moment(s, be, lambda u: math.exp(-u * T))
    L = lam_alive * mu_alive + _dead_term(FHL2005B, x, tx, T)
    log_num = (
        r * math.log(al)
        + s * math.log(be)
        + (s - 1) * math.log(d)
        + special.gammaln(r + x + 1)
        + math.log(special.hyperu(s, s, d * (be + T)))
        - special.gammaln(r)
        - (r + x + 1) * math.log(al + T)
    )
    published = math.exp(log_num) / L
    got = _pn(**FHL2005B).discounted_expected_residual_transactions(d, x, tx, T)
    assert got == pytest.approx(published, rel=1e-7)


def test_dert_limits_and_monotonicity():
    """Closed forms: at δ = 0 over a horizon H, DERT is the conditional expectation E[Y(H) | ...]
    (FH2005 note, eq. 19); it falls as δ rises and rises with the horizon towards the unlimited DERT."""
    res = _pn(**FHL2005B)
    x, tx, T = np.array([0, 2, 7]), np.array([0.0, 30.43, 35.0]), np.array([38.86, 38.86, 77.86])
    for H in (1.0, 39.0, 520.0):
        np.testing.assert_allclose(
            res.discounted_expected_residual_transactions(0.0, x, tx, T, horizon=H),
            res.conditional_expected_purchases(H, x, tx, T),
            rtol=1e-12,
        )
    rates = [1e-4, 1e-3, DELTA_WEEKLY, 0.01, 0.1, 1.0]
    values = np.array([res.discounted_expected_residual_transactions(d, x, tx, T) for d in rates])
    assert np.all(np.diff(values, axis=0) < 0)
    horizons = [10.0, 100.0, 1e3, 1e4, 1e5]
    partial = np.array(
        [res.discounted_expected_residual_transactions(DELTA_WEEKLY, x, tx, T, horizon=h) for h in horizons]
    )
    assert np.all(np.diff(partial, axis=0) > 0)
    np.testing.assert_allclose(partial[-1], values[2], rtol=1e-9)  # e^(-0.0027 · 1e5) is nothing


def test_dert_keeps_the_index_and_refuses_bad_input():
    res = _pn(**FHL2005B)
    idx = ["c", "a", "b"]
    out = res.discounted_expected_residual_transactions(
        DELTA_WEEKLY,
        pd.Series([2, 0, 7], index=idx),
        pd.Series([30.43, 0.0, 35.0], index=idx),
        pd.Series([38.86, 38.86, 77.86], index=idx),
    )
    assert isinstance(out, pd.Series) and list(out.index) == idx
    with pytest.raises(ValueError, match="continuous_discount_rate"):
        res.discounted_expected_residual_transactions(0.0, 2, 30.43, 38.86)  # no horizon: diverges for s <= 1
    for bad in (-0.1, math.nan, math.inf, 1e308):
        with pytest.raises(ValueError, match="continuous_discount_rate"):
            res.discounted_expected_residual_transactions(bad, 2, 30.43, 38.86)
    with pytest.raises(TypeError, match="continuous_discount_rate"):
        res.discounted_expected_residual_transactions("0.01", 2, 30.43, 38.86)
    with pytest.raises(TypeError, match="continuous_discount_rate"):
        res.discounted_expected_residual_transactions([0.01, 0.02], 2, 30.43, 38.86)
    for bad in (0.0, -1.0, math.nan, 1e308):
        with pytest.raises(ValueError, match="horizon"):
            res.discounted_expected_residual_transactions(DELTA_WEEKLY, 2, 30.43, 38.86, horizon=bad)
    with pytest.raises(ValueError, match="recency"):
        res.discounted_expected_residual_transactions(DELTA_WEEKLY, 2, 40.0, 38.86)


# ------------------------------------------------------------------------- the CLV with continuous discounting
@pytest.fixture(scope="module")
def cdnow():
    from crmlib import datasets

    rfm = clv.rfm_summary(datasets.load_cdnow(), "customer_id", "date", "amount", calibration_end=CAL_END)
    pnbd = clv.fit_pareto_nbd(rfm["frequency"], rfm["recency"], rfm["T"])
    gg = clv.fit_gamma_gamma(rfm["frequency"], rfm["monetary_value"])
    return rfm, pnbd, gg


def _clv(cdnow, **kw):
    rfm, pnbd, gg = cdnow
    return clv.customer_lifetime_value(
        pnbd, gg, rfm["frequency"], rfm["recency"], rfm["T"], rfm["monetary_value"], **kw
    )


@pytest.mark.parametrize("period_length,discount_rate", [(4.345, 0.01), (13.0, 0.035), (52.0, 0.15)])
def test_the_discrete_clv_undervalues_the_exact_one_within_one_period_of_discounting(
    cdnow, period_length, discount_rate
):
    """BOUND, customer by customer: discrete <= continuous <= (1+d) discrete over the same K periods;
    the bias of the default (monthly) discrete value is shown: on CDNOW it is about d/2."""
    kw = dict(periods=12, period_length=period_length, discount_rate=discount_rate)
    discrete = _clv(cdnow, **kw)
    exact = _clv(cdnow, discounting="continuous", **kw)
    assert exact.index.equals(discrete.index)
    assert np.all(discrete <= exact * (1 + 1e-12))
    assert np.all(exact <= discrete * (1 + discount_rate) * (1 + 1e-12))
    bias = 1 - discrete.sum() / exact.sum()  # the share of value the discrete sum misses
    assert 0.2 * discount_rate < bias < discount_rate  # purchases spread over the period: about d/2


def test_the_discrete_clv_converges_to_the_exact_one_as_periods_shrink(cdnow):
    """BOUND again: with the same annual rate (15%) and a 2-year horizon, the relative gap shrinks with
    the period length (years, quarters, months, weeks) and stays within d per period."""
    gaps = []
    for per_year in (1, 4, 12, 52):
        tau = 52.0 / per_year
        d = 1.15 ** (1 / per_year) - 1
        kw = dict(periods=2 * per_year, period_length=tau, discount_rate=d)
        discrete, exact = _clv(cdnow, **kw).sum(), _clv(cdnow, discounting="continuous", **kw).sum()
        gaps.append(1 - discrete / exact)
        assert 0 < gaps[-1] < d
    assert all(b < a for a, b in zip(gaps[:-1], gaps[1:]))


def test_the_clv_over_the_whole_residual_lifetime_is_dert_times_spend(cdnow):
    """FHL2005b: CLV = margin · E[spend] · DERT(δ); δ = ln(1+d)/τ (15% a year on weekly data)."""
    rfm, pnbd, gg = cdnow
    whole = _clv(
        cdnow, periods=None, period_length=52.0, discount_rate=0.15, profit_share=0.3, discounting="continuous"
    )
    delta = math.log(1.15) / 52
    dert = pnbd.discounted_expected_residual_transactions(delta, rfm["frequency"], rfm["recency"], rfm["T"])
    spend = gg.conditional_expected_spend(rfm["frequency"], rfm["monetary_value"])
    pd.testing.assert_series_equal(whole, (0.3 * spend * dert).rename("customer_lifetime_value"), rtol=1e-12)
    ten_years = _clv(
        cdnow, periods=10, period_length=52.0, discount_rate=0.15, profit_share=0.3, discounting="continuous"
    )
    assert np.all(ten_years < whole)
    century = _clv(
        cdnow, periods=100, period_length=52.0, discount_rate=0.15, profit_share=0.3, discounting="continuous"
    )
    np.testing.assert_allclose(century, whole, rtol=1.15**-100 * 10)  # what is left after 100 years: < 1.15^-100


def test_continuous_discounting_refuses_models_and_settings_it_cannot_do(cdnow):
    rfm, pnbd, gg = cdnow
    bg = BGNBDResult.from_params(r=0.243, alpha=4.414, a=0.793, b=2.426)
    args = (rfm["frequency"], rfm["recency"], rfm["T"], rfm["monetary_value"])
    with pytest.raises(TypeError, match="purchase_model"):
        clv.customer_lifetime_value(bg, gg, *args, discounting="continuous")
    with pytest.raises(ValueError, match="discounting"):
        clv.customer_lifetime_value(pnbd, gg, *args, discounting="monthly")
    with pytest.raises(ValueError, match="discount_rate"):
        clv.customer_lifetime_value(pnbd, gg, *args, periods=None, discount_rate=0.0, discounting="continuous")
    with pytest.raises((TypeError, ValueError), match="periods"):
        clv.customer_lifetime_value(pnbd, gg, *args, periods=None)  # the discrete sum needs a horizon
