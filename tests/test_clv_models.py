"""Trustworthy customer-base fits (issue 20): the result protocol, convergence, refused degenerate data,
and predictions that stay finite over the whole legal parameter space.

References: the closed forms of Fader, Hardie & Lee (2005a) and of Fader & Hardie's Pareto/NBD note
(2005); the published conditional expectation of the CDNOW customer (x = 2, t_x = 30.43, T = 38.86:
1.226 purchases in the next 39 weeks, FHL 2005a p. 280); and independent numerical integration of the
definitions (scipy.integrate.dblquad over the Gamma and Beta mixing distributions), which shares no
code with crmlib's formulas.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import integrate, stats

from crmlib import clv
from crmlib.clv.models import BGNBDResult, ModelFitError, ParetoNBDResult
from crmlib.results import ConvergenceWarning, FitResult


def _bg(r, al, a, b):
    return BGNBDResult(param_names=("r", "alpha", "a", "b"), param_values=(r, al, a, b), n_obs=1, converged=True)


def _pn(r, al, s, be):
    return ParetoNBDResult(
        param_names=("r", "alpha", "s", "beta"), param_values=(r, al, s, be), n_obs=1, converged=True
    )


def _bg_expected_by_definition(r, al, a, b, t):
    """E[X(t)] = E_{λ,p}[(1/p)(1 - exp(-λ p t))], λ ~ Gamma(r, α), p ~ Beta(a, b), by 2-D quadrature."""
    lam = stats.gamma(r, scale=1 / al)
    pp = stats.beta(a, b)

    def inner(p):
        val, _ = integrate.quad(lambda x: -math.expm1(-x * p * t) / p * lam.pdf(x), 0, np.inf, limit=200)
        return val * pp.pdf(p)

    val, _ = integrate.quad(inner, 0, 1, limit=200)
    return val


# ------------------------------------------------------------------------------ protocol
def test_fits_return_the_result_protocol_and_report_convergence(recwarn):
    rfm = clv.rfm_summary(
        __import__("crmlib.datasets").datasets.load_cdnow(),
        "customer_id",
        "date",
        "amount",
        calibration_end="1997-09-30",
    )
    bg = clv.fit_bg_nbd(rfm["frequency"], rfm["recency"], rfm["T"])
    assert isinstance(bg, FitResult) and bg.converged and bg.iterations > 0 and bg.n_obs == 2357
    assert not [w for w in recwarn if issubclass(w.category, ConvergenceWarning)]
    # parameters cannot be changed after the fit
    p = bg.params
    p["r"] = 99.0
    assert bg.params["r"] == pytest.approx(0.243, abs=1e-3)


# ------------------------------------------------------------------------------ degenerate data
def test_a_single_customer_is_refused():
    with pytest.raises(ModelFitError, match="one customer"):
        clv.fit_bg_nbd([3], [20.0], [30.0])
    with pytest.raises(ModelFitError, match="one customer"):
        clv.fit_pareto_nbd([3], [20.0], [30.0])


def test_no_repeat_buyers_is_refused():
    with pytest.raises(ModelFitError, match="repeat purchase"):
        clv.fit_bg_nbd([0, 0, 0], [0.0, 0.0, 0.0], [30.0, 20.0, 10.0])


def test_a_cohort_lost_in_one_period_is_refused():
    with pytest.raises(ModelFitError, match="same period"):
        clv.fit_sbg([1000, 0])
    with pytest.raises(ModelFitError, match="same period"):
        clv.fit_sbg(tenure=[1, 1, 1, 1], churned=[True, True, True, True])


# ------------------------------------------------------------------------------ predictions
@pytest.mark.parametrize(
    "params,t",
    [
        ((0.5, 2.0, 1.0, 2.0), 10.0),  # a = 1: the closed form divides by a - 1 (ZeroDivisionError before)
        ((0.5, 2.0, 0.5, 0.5), 10.0),  # a + b = 1: the hypergeometric function has c = 0 (NaN before)
        ((0.1, 0.1, 0.1, 5.0), 46.0),  # small parameters at long horizons (NaN before, from t = 46 on)
        ((0.243, 4.414, 0.793, 2.426), 39.0),
    ],  # the published CDNOW estimates (closed form)
)
def test_bg_nbd_expected_purchases_match_the_definition(params, t):
    ours = _bg(*params).expected_purchases(t)
    ref = _bg_expected_by_definition(*params, t)
    assert np.isfinite(ours) and ours == pytest.approx(ref, rel=1e-5)


def test_bg_nbd_a_equal_one_is_the_limit_of_the_closed_form():
    at_one = _bg(0.5, 2.0, 1.0, 2.0).expected_purchases(10.0)
    near = _bg(0.5, 2.0, 1.0 + 1e-5, 2.0).expected_purchases(10.0)
    assert at_one == pytest.approx(near, rel=1e-4)


def test_bg_nbd_conditional_expectation_at_unit_parameters():
    # x = 0, T = 1: P(alive) = 1, λ | data ~ Gamma(1, 2), p ~ Beta(1, 1); E[Y(1)] = ∫ 1/(2+p) dp = ln(3/2)
    ours = _bg(1.0, 1.0, 1.0, 1.0).conditional_expected_purchases(1.0, 0, 0.0, 1.0)
    assert ours == pytest.approx(math.log(1.5), rel=1e-10)


def test_bg_nbd_conditional_expectation_reproduces_the_published_cdnow_customer():
    ours = _bg(0.243, 4.414, 0.793, 2.426).conditional_expected_purchases(39.0, 2, 30.43, 38.86)
    assert ours == pytest.approx(1.226, abs=1e-3)  # FHL (2005a), p. 280


def test_pareto_nbd_prob_alive_and_expectation_at_extreme_histories():
    # a purchase at the very end of the observation period: alive for sure (was NaN for x = 98)
    assert _pn(1.0, 1.0, 1.0, 20.0).prob_alive(98, 1.0, 1.0) == 1.0
    # a heavy buyer silent for half a period: finite, small, and consistent with P(alive)
    m = _pn(1.0, 8.0, 1.0, 0.25)
    e = m.conditional_expected_purchases(1.0, 169, 0.5, 1.0)
    pa = m.prob_alive(169, 0.5, 1.0)
    assert np.isfinite(e) and 0 <= pa < 1e-3
    # E[Y | alive] for s = 1: (r+x)(β+T)/(α+T) · ln(1 + t/(β+T)) (note, eq. 19 with the s -> 1 limit)
    assert e == pytest.approx(pa * 170 * 1.25 / 9.0 * math.log1p(1 / 1.25), rel=1e-9)


@settings(max_examples=60, deadline=None)
@given(r=st.floats(0.05, 5), al=st.floats(0.05, 50), a=st.floats(0.05, 5), b=st.floats(0.05, 20), t=st.floats(0.1, 200))
def test_property_bg_nbd_expectation_is_finite_positive_and_increasing(r, al, a, b, t):
    m = _bg(r, al, a, b)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        e1, e2 = m.expected_purchases(t), m.expected_purchases(2 * t)
    assert np.isfinite(e1) and np.isfinite(e2)
    assert 0 <= e1 <= e2 * (1 + 1e-9)
    assert e1 <= r / al * t * (1 + 1e-6)  # never more than an immortal customer would buy


@settings(max_examples=60, deadline=None)
@given(
    r=st.floats(0.05, 5),
    al=st.floats(0.05, 50),
    s=st.floats(0.05, 5),
    be=st.floats(0.05, 50),
    x=st.integers(0, 200),
    frac=st.floats(0, 1),
    T=st.floats(0.5, 100),
)
def test_property_pareto_nbd_prob_alive_is_a_probability(r, al, s, be, x, frac, T):
    tx = frac * T if x > 0 else 0.0
    if x > 0 and tx == 0:
        tx = T / 2
    pa = _pn(r, al, s, be).prob_alive(x, tx, T)
    assert 0.0 <= pa <= 1.0
