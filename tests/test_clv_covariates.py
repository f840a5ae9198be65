"""BG/NBD and Pareto/NBD with time-invariant customer covariates (issue 19, item 2):
``fit_bg_nbd_covariates``, ``fit_pareto_nbd_covariates`` (crmlib/clv/covariates.py).

References (named again next to each test):
* CLVTOOLS  the parameterisation of R CLVTools' static covariates (read in its source, src/pnbd.cpp and
  src/bgnbd.cpp, version 0.12.1): Pareto/NBD α_i = α exp(-γ_trans'z), β_i = β exp(-γ_life'z); BG/NBD
  α_i = α exp(-γ_trans'z), a_i = a exp(γ_life'z), b_i = b exp(γ_life'z) (Fader & Hardie 2007,
  http://brucehardie.com/notes/019/). CLVTools' own estimates of the no-covariate Pareto/NBD on CDNOW
  (tests/testthat/test_correctness_pnbd_nocovstaticcov.R): r = 0.55315, α = 10.57633, s = 0.60625,
  β = 11.67150, LL = -9594.976. CLVTools' apparel example (apparelTrans with Gender and Channel) was
  not reproduced: its estimates are not published in the package (the vignette computes them at build
  time), and its data (.rda, GPL-3) are not redistributed here.
* SPLIT     with one 0/1 covariate the model is two plain models, one per group, with the group's own
  α (β, a, b): the covariate log-likelihood equals the sum of crmlib's plain log-likelihoods of the
  two groups at (α, β) and (α e^-γ_P, β e^-γ_D) — a check of the parameterisation.
* NESTED    with every coefficient 0, or with a constant covariate, the model is the plain one.
* SIM       a seeded simulation of the models' stories with known coefficients, written here (not
  crmlib's), refitted: every estimate within 3.5 standard errors of the truth.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from crmlib import clv
from crmlib.clv import covariates as cov
from crmlib.clv import models
from crmlib.clv.covariates import BGNBDCovariateResult, ParetoNBDCovariateResult
from crmlib.clv.models import BGNBDResult, EstimationWarning, ParetoNBDResult
from crmlib.results import FitResult

CAL_END = "1997-09-30"
CLVTOOLS_CDNOW = {"r": 0.55315, "alpha": 10.57633, "s": 0.60625, "beta": 11.67150}  # CLVTOOLS
CLVTOOLS_CDNOW_LL = -9594.976


@pytest.fixture(scope="module")
def rfm():
    from crmlib import datasets

    return clv.rfm_summary(datasets.load_cdnow(), "customer_id", "date", calibration_end=CAL_END)


# ------------------------------------------------------------------------------------------ SIM
def _simulate(kind, n_customers, truth, Z, rng):
    """SIM: (frequency, recency, T) of customers with covariate columns Z (the same on both processes)."""
    k = Z.shape[1]
    r, al0, p3, p4 = truth[:4]
    gp, gd = np.asarray(truth[4 : 4 + k]), np.asarray(truth[4 + k :])
    T = rng.uniform(26.0, 52.0, n_customers)
    lam = rng.gamma(r, 1.0 / (al0 * np.exp(-(Z @ gp))))
    if kind == "pnbd":
        mu = rng.gamma(p3, 1.0 / (p4 * np.exp(-(Z @ gd))))
        active = np.minimum(rng.exponential(1.0 / mu), T)
        x = rng.poisson(lam * active)
        tx = np.where(x > 0, active * rng.beta(np.maximum(x, 1), 1.0), 0.0)
    else:
        sc = np.exp(Z @ gd)
        p = np.maximum(rng.beta(p3 * sc, p4 * sc), 1e-12)
        K = rng.poisson(lam * T)
        x = np.minimum(K, rng.geometric(p))
        tx = np.where(x > 0, T * rng.beta(np.maximum(x, 1), np.maximum(K - x + 1, 1)), 0.0)
    return x, tx, T


@pytest.mark.parametrize(
    "kind,truth",
    [
        ("pnbd", [0.8, 6.0, 1.2, 15.0, 0.5, -0.3, 0.7, 0.4]),  # r, α, s, β, γ_P (2), γ_D (2)
        ("bgnbd", [0.8, 6.0, 1.0, 3.0, 0.5, -0.3, 0.6, -0.4]),  # r, α, a, b, γ_P (2), γ_D (2)
    ],
)
def test_a_seeded_simulation_recovers_the_coefficients_within_their_standard_errors(kind, truth):
    """SIM: 4000 customers, a 0/1 dummy and a standard-normal covariate on both processes."""
    rng = np.random.default_rng(19)
    n_customers = 4000
    Z = np.column_stack([rng.integers(0, 2, n_customers), rng.standard_normal(n_customers)]).astype(float)
    x, tx, T = _simulate(kind, n_customers, truth, Z, rng)
    fit = (clv.fit_pareto_nbd_covariates if kind == "pnbd" else clv.fit_bg_nbd_covariates)(x, tx, T, Z, Z)
    assert isinstance(fit, FitResult) and fit.converged and fit.n_obs == n_customers
    assert list(fit.params.index)[4:] == ["purchase.z1", "purchase.z2", "dropout.z1", "dropout.z2"]
    se = fit.standard_errors.to_numpy()
    assert np.all(np.isfinite(se)) and np.all(se > 0)
    zscores = (fit.params.to_numpy() - np.array(truth)) / se
    assert np.all(np.abs(zscores) < 3.5), dict(zip(fit.params.index, zscores.round(2)))
    table = fit.summary()
    assert list(table.columns[:2]) == ["estimate", "std_error"] and len(table) == 8
    np.testing.assert_allclose(fit.purchase_coefficients, fit.params.iloc[4:6])
    np.testing.assert_allclose(fit.dropout_coefficients, fit.params.iloc[6:8])


# ---------------------------------------------------------------------------------------- NESTED
def _random_rows(rng, n=60):
    T = rng.uniform(10, 50, n)
    x = rng.integers(0, 8, n).astype(float)
    tx = np.where(x > 0, T * rng.uniform(0.05, 1.0, n), 0.0)
    return x, tx, T


def test_with_zero_coefficients_the_likelihood_is_the_plain_models():
    """NESTED: at γ = 0 the covariate log-likelihoods equal crmlib's plain BG/NBD and Pareto/NBD ones."""
    rng = np.random.default_rng(3)
    x, tx, T = _random_rows(rng)
    w = np.ones_like(x)
    ux, inv = np.unique(x, return_inverse=True)
    Z = rng.standard_normal((x.size, 2))
    bg = np.array([0.4, 5.0, 0.8, 2.5])
    z_bg = np.concatenate([np.log(bg), np.zeros(4)])
    assert cov._bgnbd_cov_negll(z_bg, x, tx, T, w, Z, Z)[0] == pytest.approx(
        models._bgnbd_negll(bg, x, tx, T, w, ux, inv)[0], rel=1e-13
    )
    pn = np.array([0.55, 10.6, 0.6, 11.7])
    z_pn = np.concatenate([np.log([pn[0], pn[1], pn[2], pn[2] / pn[3]]), np.zeros(4)])
    assert cov._pnbd_cov_negll(z_pn, x, tx, T, w, Z, Z, rule=models._RULE_FINE)[0] == pytest.approx(
        models._pnbd_negll(pn, x, tx, T, w), rel=1e-12
    )


def test_with_a_constant_covariate_the_fit_is_the_plain_fit_and_warns(rfm):
    """NESTED and CLVTOOLS: a constant covariate leaves the likelihood at the plain model's maximum, which
    reproduces CLVTools' CDNOW estimates; α e^(-γ) equals the plain α; the fit warns that γ is not identified."""
    const = pd.DataFrame({"one": 1.0}, index=rfm.index)
    with pytest.warns(EstimationWarning, match="constant"):
        fit = clv.fit_pareto_nbd_covariates(rfm["frequency"], rfm["recency"], rfm["T"], purchase_covariates=const)
    assert fit.log_likelihood == pytest.approx(CLVTOOLS_CDNOW_LL, abs=1e-3)
    alpha_eff = fit.params["alpha"] * np.exp(-fit.params["purchase.one"])
    assert alpha_eff == pytest.approx(CLVTOOLS_CDNOW["alpha"], rel=3e-4)
    for name in ("r", "s", "beta"):  # CLVTools' optimiser stops a few units of 1e-4 from the maximum
        assert fit.params[name] == pytest.approx(CLVTOOLS_CDNOW[name], rel=3e-4)
    plain = clv.fit_pareto_nbd(rfm["frequency"], rfm["recency"], rfm["T"])
    assert fit.log_likelihood == pytest.approx(plain.log_likelihood, abs=1e-6)


# ----------------------------------------------------------------------------------------- SPLIT
@pytest.mark.parametrize("kind", ["pnbd", "bgnbd"])
def test_a_dummy_covariate_is_two_plain_models_with_their_own_scales(kind):
    """SPLIT: the log-likelihood and the predictions of the covariate model at given parameters equal
    those of the plain model per group, with the group's own α_i and β_i (a_i, b_i)."""
    rng = np.random.default_rng(5)
    x, tx, T = _random_rows(rng, 80)
    d = (rng.random(x.size) < 0.4).astype(float)[:, None]
    gp, gd = 0.6, -0.8
    w = np.ones_like(x)
    if kind == "pnbd":
        base = dict(r=0.55, alpha=10.6, s=0.6, beta=11.7)
        z = np.concatenate([np.log([0.55, 10.6, 0.6, 0.6 / 11.7]), [gp, gd]])
        ours = -cov._pnbd_cov_negll(z, x, tx, T, w, d, d, rule=models._RULE_FINE)[0]
        groups = [dict(base), dict(base, alpha=10.6 * np.exp(-gp), beta=11.7 * np.exp(-gd))]
        plain_ll = [
            lambda p, s: -models._pnbd_negll([p["r"], p["alpha"], p["s"], p["beta"]], x[s], tx[s], T[s], w[s]),
        ] * 2
        result = ParetoNBDCovariateResult(
            param_names=("r", "alpha", "s", "beta", "purchase.d", "dropout.d"),
            param_values=(0.55, 10.6, 0.6, 11.7, gp, gd),
            n_obs=0,
            converged=True,
            purchase_names=("d",),
            dropout_names=("d",),
        )
        plain_cls = ParetoNBDResult
    else:
        base = dict(r=0.4, alpha=5.0, a=0.8, b=2.5)
        z = np.concatenate([np.log([0.4, 5.0, 0.8, 2.5]), [gp, gd]])
        ours = -cov._bgnbd_cov_negll(z, x, tx, T, w, d, d)[0]
        groups = [dict(base), dict(base, alpha=5.0 * np.exp(-gp), a=0.8 * np.exp(gd), b=2.5 * np.exp(gd))]

        def one(p, s):
            ux, inv = np.unique(x[s], return_inverse=True)
            return -models._bgnbd_negll(np.array(list(p.values())), x[s], tx[s], T[s], w[s], ux, inv)[0]

        plain_ll = [one, one]
        result = BGNBDCovariateResult(
            param_names=("r", "alpha", "a", "b", "purchase.d", "dropout.d"),
            param_values=(0.4, 5.0, 0.8, 2.5, gp, gd),
            n_obs=0,
            converged=True,
            purchase_names=("d",),
            dropout_names=("d",),
        )
        plain_cls = BGNBDResult
    sel = [d[:, 0] == 0, d[:, 0] == 1]
    assert ours == pytest.approx(sum(f(p, s) for f, p, s in zip(plain_ll, groups, sel)), rel=1e-11)
    pa = result.prob_alive(x, tx, T, d, d)
    cep = result.conditional_expected_purchases(26.0, x, tx, T, d, d)
    dert = result.discounted_expected_residual_transactions(0.01, x, tx, T, d, d) if kind == "pnbd" else None
    for p, s in zip(groups, sel):
        plain = plain_cls.from_params(**p)
        np.testing.assert_allclose(pa[s], plain.prob_alive(x[s], tx[s], T[s]), rtol=1e-10)
        np.testing.assert_allclose(cep[s], plain.conditional_expected_purchases(26.0, x[s], tx[s], T[s]), rtol=1e-10)
        if dert is not None:
            np.testing.assert_allclose(
                dert[s], plain.discounted_expected_residual_transactions(0.01, x[s], tx[s], T[s]), rtol=1e-10
            )


@pytest.mark.parametrize("kind", ["pnbd", "bgnbd"])
def test_the_gradient_is_the_derivative_of_the_likelihood(kind):
    """Central differences of the log-likelihood against the analytic gradient (in the fitting coordinates)."""
    rng = np.random.default_rng(11)
    x, tx, T = _random_rows(rng, 50)
    w = np.ones_like(x)
    Zp, Zd = rng.standard_normal((x.size, 2)), rng.integers(0, 2, (x.size, 1)).astype(float)
    if kind == "pnbd":
        z = np.array([np.log(0.6), np.log(9.0), np.log(0.7), np.log(0.05), 0.3, -0.2, 0.5])

        def f(zz):
            return cov._pnbd_cov_negll(zz, x, tx, T, w, Zp, Zd, rule=models._RULE_FINE)

    else:
        z = np.array([np.log(0.4), np.log(5.0), np.log(0.9), np.log(2.2), 0.3, -0.2, 0.5])

        def f(zz):
            return cov._bgnbd_cov_negll(zz, x, tx, T, w, Zp, Zd)

    g = f(z)[1]
    for i in range(z.size):
        e = np.zeros_like(z)
        e[i] = 1e-6
        fd = (f(z + e)[0] - f(z - e)[0]) / 2e-6
        assert g[i] == pytest.approx(fd, rel=1e-5, abs=1e-6)


# ------------------------------------------------------------------------------ inputs and index
def test_covariates_are_aligned_by_index_and_bad_ones_are_refused(rfm):
    small = rfm
    early = (small["T"] > small["T"].median()).astype(int).to_frame("early")
    args = (small["frequency"], small["recency"], small["T"])
    fit = clv.fit_bg_nbd_covariates(*args, dropout_covariates=early)
    shuffled = clv.fit_bg_nbd_covariates(*args, dropout_covariates=early.sample(frac=1.0, random_state=1))
    pd.testing.assert_series_equal(fit.params, shuffled.params, rtol=1e-8)
    out = fit.prob_alive(*args, dropout_covariates=early)
    assert isinstance(out, pd.Series) and out.index.equals(small.index)
    params = fit.individual_params(*args, dropout_covariates=early)
    assert list(params.columns) == ["alpha", "a", "b"] and params.index.equals(small.index)
    with pytest.raises(ValueError, match="dropout_covariates"):
        clv.fit_bg_nbd_covariates(*args, dropout_covariates=early.reset_index(drop=True))
    with pytest.raises(TypeError, match="dropout_covariates"):
        clv.fit_bg_nbd_covariates(*args, dropout_covariates=early.to_numpy())
    with pytest.raises(TypeError, match="purchase_covariates"):
        clv.fit_bg_nbd_covariates(*(a.to_numpy() for a in args), purchase_covariates=early)
    with pytest.raises(TypeError, match="purchase_covariates"):
        clv.fit_pareto_nbd_covariates(*args, purchase_covariates=early.astype(str))
    for bad in (np.nan, np.inf, 1e308):
        with pytest.raises(ValueError, match="purchase_covariates"):
            clv.fit_pareto_nbd_covariates(*args, purchase_covariates=early.astype(float).replace(1.0, bad))
    with pytest.raises(ValueError, match="dropout_covariates"):
        fit.prob_alive(*args)  # the model needs the covariates it was fitted with
    with pytest.raises(ValueError, match="purchase_covariates"):
        fit.prob_alive(*args, purchase_covariates=early, dropout_covariates=early)


def test_a_coefficient_running_off_warns(rfm):
    """On 300 CDNOW customers the dropout coefficient of 'early' runs off towards -infinity."""
    small = rfm.head(300)
    early = (small["T"] > small["T"].median()).astype(int).to_frame("early")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with pytest.warns(EstimationWarning, match="running off"):
            clv.fit_bg_nbd_covariates(small["frequency"], small["recency"], small["T"], dropout_covariates=early)


def test_collinear_dummies_warn():
    """A full set of dummies is collinear with the scale parameter (the 'intercept'): not identified."""
    rng = np.random.default_rng(2)
    x, tx, T = _random_rows(rng, 200)
    d = rng.integers(0, 2, x.size).astype(float)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", category=UserWarning)
        with pytest.warns(EstimationWarning, match="linearly dependent"):
            clv.fit_bg_nbd_covariates(x, tx, T, purchase_covariates=np.column_stack([d, 1 - d]))


def test_the_standard_errors_match_the_spread_over_replications():
    """SIM: over 40 seeded replications (BG/NBD, 1500 customers, one dummy on each process) the standard
    deviation of the coefficient estimates agrees with the average standard error within 35% (the sampling
    error of a standard deviation from 40 draws is about 11%)."""
    truth = [0.8, 6.0, 1.0, 3.0, 0.5, 0.6]
    estimates, ses = [], []
    for seed in range(40):
        rng = np.random.default_rng(1000 + seed)
        Z = rng.integers(0, 2, (1500, 1)).astype(float)
        x, tx, T = _simulate("bgnbd", 1500, truth, Z, rng)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            fit = clv.fit_bg_nbd_covariates(x, tx, T, Z, Z)
        estimates.append(fit.params.to_numpy()[4:])
        ses.append(fit.standard_errors.to_numpy()[4:])
    spread = np.std(estimates, axis=0, ddof=1)
    typical = np.median(ses, axis=0)
    np.testing.assert_allclose(spread, typical, rtol=0.35)
    assert np.all(np.abs(np.mean(estimates, axis=0) - truth[4:]) < 3 * spread / np.sqrt(40) + 0.02)
