"""The MBG/NBD model (issue 19, item 2): ``fit_mbg_nbd`` and ``MBGNBDResult``.

References (named again next to each test):
* BDF2007   Batislam, Denizel & Filiztekin (2007), "Empirical validation and comparison of models for
  customer base analysis", IJRM 24(3), 201-209: the likelihood (eq. 3), P(alive) (eq. 5), and, as
  corrected by Wagner & Hoppe (2008), IJRM 25(3), 225-226, E[X(t)] = b/(a-1) [1 - (α/(α+t))^r
  2F1(r, b+1; a+b; t/(α+t))] and E[Y(t) | x, t_x, T] = (a+b+x)/(a-1) [1 - ((α+T)/(α+T+t))^(r+x)
  2F1(r+x, b+x+1; a+b+x; t/(α+T+t))] P(alive): written out below with scipy.special.hyp2f1.
* PEER      the ``lifetimes`` package (0.11.3), ``ModifiedBetaGeoFitter().fit(frequency, recency, T,
  tol=1e-7)`` on the CDNOW calibration summary (``rfm_summary(load_cdnow(), ..., calibration_end=
  "1997-09-30")``, 2357 customers, weeks), run in a separate environment on 2026-12-02 (lifetimes is
  not a dependency of crmlib). Its numbers are recorded in ``LIFETIMES`` below; when lifetimes is
  installed, ``test_agrees_with_lifetimes_live`` recomputes them.
* QUAD      the likelihood integrated numerically over the dropout probability p ~ Beta(a, b) with
  scipy.integrate.quad (the Poisson-Gamma moments over λ in their textbook closed form).
* SIM       a seeded simulation of the model's story written here (not crmlib's), refitted.
"""

from __future__ import annotations

import importlib.util
import math
import warnings

import numpy as np
import pandas as pd
import pytest
from scipy import integrate, special

from crmlib import clv
from crmlib.clv import models
from crmlib.clv.models import BGNBDResult, MBGNBDResult, ModelFitError
from crmlib.results import FitResult

CAL_END = "1997-09-30"
# PEER: lifetimes 0.11.3 ModifiedBetaGeoFitter on the CDNOW calibration summary (see the module notes)
LIFETIMES = {
    "params": {"r": 0.5248429031495553, "alpha": 6.18308176439901, "a": 0.8913595172712963, "b": 1.6140029311986195},
    "log_likelihood": -9582.135715553766,
    "standard_errors": {
        "r": 0.08326808867854428,
        "alpha": 0.6956199090360393,
        "a": 0.15478993801751084,
        "b": 0.5374947939556508,
    },
    # customers (x, t_x, T) = (0, 0, 38.86), (2, 30.43, 38.86), (7, 35, 38.86)
    "prob_alive": [0.38971519, 0.7061257, 0.83121066],
    "conditional_expected_purchases_39": [0.15395428, 1.26266922, 4.22761617],
    "expected_purchases": {1: 0.05306033, 10: 0.43325101, 39: 1.18227985, 78: 1.80363052},
    "probability_of_n_purchases_39": {0: 0.5826050537745037, 1: 0.18276393736096175, 2: 0.08687084130258776,
                                      5: 0.01937574678489108},
}  # fmt: skip
CUSTOMERS = (np.array([0, 2, 7]), np.array([0.0, 30.43, 35.0]), np.array([38.86, 38.86, 38.86]))


@pytest.fixture(scope="module")
def rfm():
    from crmlib import datasets

    return clv.rfm_summary(datasets.load_cdnow(), "customer_id", "date", calibration_end=CAL_END)


@pytest.fixture(scope="module")
def fit(rfm):
    return clv.fit_mbg_nbd(rfm["frequency"], rfm["recency"], rfm["T"])


def _mbg(r, al, a, b):
    return MBGNBDResult.from_params(r=r, alpha=al, a=a, b=b)


# ------------------------------------------------------------------------------------------- PEER
def test_fit_reproduces_lifetimes_on_cdnow(fit):
    """PEER: estimates, log-likelihood and standard errors of lifetimes' ModifiedBetaGeoFitter."""
    assert isinstance(fit, FitResult) and fit.converged and fit.n_obs == 2357
    pd.testing.assert_series_equal(
        fit.params, pd.Series(LIFETIMES["params"]).rename_axis("parameter").rename("estimate"), rtol=2e-5
    )
    assert fit.log_likelihood == pytest.approx(LIFETIMES["log_likelihood"], abs=1e-6)
    np.testing.assert_allclose(fit.standard_errors, list(LIFETIMES["standard_errors"].values()), rtol=2e-3)
    table = fit.summary()
    assert list(table.index) == ["r", "alpha", "a", "b"] and table["std_error"].notna().all()


def test_predictions_reproduce_lifetimes_at_its_estimates():
    """PEER: at lifetimes' own estimates, our predictions equal its closed-form ones."""
    res = MBGNBDResult.from_params(**LIFETIMES["params"])
    np.testing.assert_allclose(res.prob_alive(*CUSTOMERS), LIFETIMES["prob_alive"], rtol=1e-7)
    np.testing.assert_allclose(
        res.conditional_expected_purchases(39, *CUSTOMERS), LIFETIMES["conditional_expected_purchases_39"], rtol=1e-7
    )
    t = np.array(list(LIFETIMES["expected_purchases"]), float)
    np.testing.assert_allclose(res.expected_purchases(t), list(LIFETIMES["expected_purchases"].values()), rtol=1e-7)
    n = np.array(list(LIFETIMES["probability_of_n_purchases_39"]))
    np.testing.assert_allclose(
        res.probability_of_n_purchases(39.0, n), list(LIFETIMES["probability_of_n_purchases_39"].values()), rtol=1e-7
    )


@pytest.mark.skipif(importlib.util.find_spec("lifetimes") is None, reason="lifetimes (a peer library) is not installed")
def test_agrees_with_lifetimes_live(rfm, fit):  # pragma: no cover - only where lifetimes is installed
    """PEER, recomputed: lifetimes' fit and predictions on the same data."""
    from lifetimes import ModifiedBetaGeoFitter

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        peer = ModifiedBetaGeoFitter().fit(rfm["frequency"], rfm["recency"], rfm["T"], tol=1e-7)
    np.testing.assert_allclose(fit.params[["r", "alpha", "a", "b"]], peer.params_[["r", "alpha", "a", "b"]], rtol=1e-4)
    np.testing.assert_allclose(
        fit.prob_alive(rfm["frequency"], rfm["recency"], rfm["T"]),
        peer.conditional_probability_alive(rfm["frequency"], rfm["recency"], rfm["T"]),
        rtol=1e-4,
    )


# ------------------------------------------------------------------------------- BDF2007 closed forms
PARAMS = [(0.243, 4.414, 0.793, 2.426), (0.5248, 6.183, 0.8914, 1.614), (2.0, 10.0, 3.5, 8.0), (1.3, 0.7, 2.2, 0.4)]


@pytest.mark.parametrize("p", PARAMS)
def test_expectations_equal_the_published_closed_forms(p):
    """BDF2007 with Wagner & Hoppe's correction, written out with scipy.special.hyp2f1 (a != 1)."""
    r, al, a, b = p
    res = _mbg(*p)
    t = np.array([0.5, 5.0, 39.0, 150.0])
    closed = b / (a - 1) * (1 - (al / (al + t)) ** r * special.hyp2f1(r, b + 1, a + b, t / (al + t)))
    np.testing.assert_allclose(res.expected_purchases(t), closed, rtol=1e-8)
    x, tx, T = np.array([0, 1, 4, 12]), np.array([0.0, 3.0, 20.0, 30.0]), np.array([10.0, 25.0, 30.0, 31.0])
    pa = 1 / (1 + a / (b + x) * ((al + T) / (al + tx)) ** (r + x))
    np.testing.assert_allclose(res.prob_alive(x, tx, T), pa, rtol=1e-12)
    for h in (1.0, 39.0):
        z = h / (al + T + h)
        hyp = special.hyp2f1(r + x, b + x + 1, a + b + x, z)
        cep = (a + b + x) / (a - 1) * (1 - ((al + T) / (al + T + h)) ** (r + x) * hyp) * pa
        np.testing.assert_allclose(res.conditional_expected_purchases(h, x, tx, T), cep, rtol=1e-8)


def test_a_equal_to_one_is_the_limit_of_the_closed_form():
    """BDF2007's b/(a-1) divides by zero at a = 1; the value there is the limit from both sides."""
    t = np.array([1.0, 39.0])
    at_one = _mbg(0.5, 6.0, 1.0, 1.6).expected_purchases(t)
    near = [_mbg(0.5, 6.0, 1.0 + e, 1.6).expected_purchases(t) for e in (-1e-6, 1e-6)]
    np.testing.assert_allclose(at_one, np.mean(near, axis=0), rtol=1e-6)


@pytest.mark.parametrize("p", PARAMS)
def test_purchase_count_probabilities_sum_to_one_and_give_the_mean(p):
    """Consistency: Σ_n P(X(t)=n) = 1 and Σ_n n P(X(t)=n) = E[X(t)] (BDF2007 eq. 7 against eq. 4)."""
    res = _mbg(*p)
    n = np.arange(0, 4000)
    probs = res.probability_of_n_purchases(20.0, n)
    assert probs.min() >= 0
    assert probs.sum() == pytest.approx(1.0, abs=1e-9)
    assert float(n @ probs) == pytest.approx(res.expected_purchases(20.0), rel=1e-6)


def test_prob_alive_is_below_one_without_repeat_purchases():
    """The point of the model: a customer with x = 0 may have left right after her first purchase,
    P(alive) = 1/(1 + a/b) at T = 0; the BG/NBD says 1."""
    res = _mbg(0.5, 6.0, 0.9, 1.6)
    assert res.prob_alive(0, 0.0, 1e-9) == pytest.approx(1 / (1 + 0.9 / 1.6), rel=1e-8)
    assert res.prob_alive(0, 0.0, 30.0) < res.prob_alive(0, 0.0, 1.0) < 1
    assert BGNBDResult.from_params(r=0.5, alpha=6.0, a=0.9, b=1.6).prob_alive(0, 0.0, 30.0) == 1.0


# ------------------------------------------------------------------------------------------- QUAD
@pytest.mark.parametrize("p", PARAMS)
def test_log_likelihood_and_gradient_match_the_definition(p):
    """QUAD: L(x, t_x, T) = E_p[(1-p)^(x+1) A(T) + p (1-p)^x A(t_x)], A(y) = E_λ[λ^x e^(-λy)] =
    Γ(r+x)/Γ(r) α^r (α+y)^-(r+x), by quad over p ~ Beta(a, b); the gradient by central differences."""
    r, al, a, b = p
    x, tx, T = np.array([0.0, 1, 3, 10]), np.array([0.0, 5.0, 12.0, 30.0]), np.array([20.0, 20.0, 25.0, 32.0])
    ux, inv = np.unique(x, return_inverse=True)
    w = np.ones_like(x)
    ours = -models._mbgnbd_negll(np.array(p), x, tx, T, w, ux, inv)[0]
    total = 0.0
    for xi, ti, Ti in zip(x, tx, T):

        def A(y, xi=xi):
            return math.exp(
                special.gammaln(r + xi) - special.gammaln(r) + r * math.log(al) - (r + xi) * math.log(al + y)
            )

        def f(q, xi=xi, ti=ti, Ti=Ti):  # the Beta density without q^(a-1) (1-q)^(b-1): QUADPACK's weight
            return math.exp(-special.betaln(a, b)) * ((1 - q) ** (xi + 1) * A(Ti) + q * (1 - q) ** xi * A(ti))

        val = integrate.quad(f, 0, 1, weight="alg", wvar=(a - 1, b - 1), epsabs=0, epsrel=1e-12, limit=200)[0]
        total += math.log(val)
    assert ours == pytest.approx(total, rel=1e-9)
    theta = np.array(p)
    grad = models._mbgnbd_negll(theta, x, tx, T, w, ux, inv)[1]
    for i in range(4):
        h = 1e-6 * theta[i]
        up, dn = theta.copy(), theta.copy()
        up[i] += h
        dn[i] -= h
        fd = (models._mbgnbd_negll(up, x, tx, T, w, ux, inv)[0] - models._mbgnbd_negll(dn, x, tx, T, w, ux, inv)[0]) / (
            2 * h
        )
        assert grad[i] == pytest.approx(fd, rel=1e-5, abs=1e-7)


# -------------------------------------------------------------------------------------------- SIM
def _simulate_mbg(r, al, a, b, n_customers, T, rng):
    """SIM: λ ~ Gamma(r, α), p ~ Beta(a, b); she leaves right after her first purchase with probability
    p; otherwise she buys as a Poisson process and leaves after each repeat purchase with probability p."""
    lam = rng.gamma(r, 1 / al, n_customers)
    p = rng.beta(a, b, n_customers)
    x, tx = np.zeros(n_customers, int), np.zeros(n_customers)
    for i in range(n_customers):
        if rng.random() < p[i]:
            continue
        t = 0.0
        while True:
            t += rng.exponential(1 / lam[i])
            if t > T:
                break
            x[i] += 1
            tx[i] = t
            if rng.random() < p[i]:
                break
    return x, tx, np.full(n_customers, T)


def test_a_seeded_simulation_is_recovered_within_its_standard_errors():
    """SIM: 3000 customers from (r, α, a, b) = (0.8, 5, 1.2, 3) over 52 weeks; each estimate within
    3.5 standard errors of the truth (a fixed seed: the check is deterministic)."""
    truth = np.array([0.8, 5.0, 1.2, 3.0])
    x, tx, T = _simulate_mbg(*truth, 3000, 52.0, np.random.default_rng(2026))
    res = clv.fit_mbg_nbd(x, tx, T)
    assert res.converged
    z = (res.params.to_numpy() - truth) / res.standard_errors.to_numpy()
    assert np.all(np.abs(z) < 3.5), z


# ------------------------------------------------------------------------------ protocol and input
def test_degenerate_data_are_refused_and_series_keep_their_index(fit, rfm):
    with pytest.raises(ModelFitError, match="repeat purchase"):
        clv.fit_mbg_nbd([0, 0, 0], [0.0, 0.0, 0.0], [10.0, 20.0, 30.0])
    with pytest.raises(ModelFitError, match="one customer"):
        clv.fit_mbg_nbd([2], [5.0], [10.0])
    with pytest.raises(ValueError, match="recency"):
        clv.fit_mbg_nbd([2, 1], [15.0, 3.0], [10.0, 10.0])
    head = rfm.head(5).iloc[::-1]
    out = fit.conditional_expected_purchases(10.0, head["frequency"], head["recency"], head["T"])
    assert isinstance(out, pd.Series) and out.index.equals(head.index)
    with pytest.raises(ValueError, match="index"):
        fit.prob_alive(head["frequency"], head["recency"].reset_index(drop=True), head["T"])


def test_weights_stand_for_repeated_customers(rfm):
    """Compressing identical histories into weights gives the same fit as the full data."""
    small = rfm.head(400)
    full = clv.fit_mbg_nbd(small["frequency"], small["recency"], small["T"])
    grouped = small.groupby(["frequency", "recency", "T"]).size().rename("w").reset_index()
    weighted = clv.fit_mbg_nbd(grouped["frequency"], grouped["recency"], grouped["T"], grouped["w"])
    np.testing.assert_allclose(weighted.params, full.params, rtol=1e-5)
    assert weighted.n_obs == full.n_obs == 400


def test_the_mbg_nbd_values_customers_like_the_other_purchase_models(rfm, fit):
    """The model-based CLV takes the MBG/NBD as it takes the BG/NBD (discrete discounting); a customer
    without repeat purchases is worth less than under the BG/NBD, which takes her to be alive for sure."""
    from crmlib import datasets

    spend = clv.rfm_summary(datasets.load_cdnow(), "customer_id", "date", "amount", calibration_end=CAL_END)
    gg = clv.fit_gamma_gamma(spend["frequency"], spend["monetary_value"])
    args = (spend["frequency"], spend["recency"], spend["T"], spend["monetary_value"])
    mbg_value = clv.customer_lifetime_value(fit, gg, *args)
    assert mbg_value.index.equals(spend.index) and (mbg_value > 0).all()
    bg = clv.fit_bg_nbd(spend["frequency"], spend["recency"], spend["T"])
    bg_value = clv.customer_lifetime_value(bg, gg, *args)
    zero = spend["frequency"] == 0
    assert (mbg_value[zero] < bg_value[zero]).all()
