"""Tests of crmlib.stats: Kaplan-Meier, the log-rank test and the logit fit (statsmodels underneath),
Cronbach's alpha and Wilson intervals, each against an outside reference.

References used (none produced by crmlib):
* Kleinbaum & Klein (2012), Survival Analysis: A Self-Learning Text, 3rd ed., ch. 2: Kaplan-Meier
  estimates of the 6-MP arm of the Freireich et al. (1963) remission data;
* G. Rodriguez, "The Gehan Survival Data" (Princeton WWS 509 notes; Stata `sts list` output):
  control arm at t = 1 week, S = 0.9048, Greenwood s.e. 0.0641, lower 95% limit 0.6700;
* lifelines 0.30.3 (run once in a throwaway venv, /tmp/ref-lifelines, on the same data):
  KaplanMeierFitter survival and exponential-Greenwood (log-log) intervals, log-rank statistics;
* hand arithmetic: the product-limit estimate, Greenwood's sum, the log and plain intervals, the
  logit score equations and information matrix (Hosmer, Lemeshow & Sturdivant 2013, ch. 1-2),
  Cronbach's alpha and its covariance identity;
* an independent maximum-likelihood fit of the logit with scipy.optimize (not statsmodels);
* statsmodels' proportion_confint(method="wilson").
"""

from __future__ import annotations

import dataclasses
import math
import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crmlib import stats
from crmlib.results import ConvergenceWarning, FitResult

T_6MP = [6, 6, 6, 6, 7, 9, 10, 10, 11, 13, 16, 17, 19, 20, 22, 23, 25, 32, 32, 34, 35]
E_6MP = [1, 1, 1, 0, 1, 0, 1, 0, 0, 1, 1, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0]
T_CONTROL = [1, 1, 2, 2, 3, 4, 4, 5, 5, 8, 8, 8, 8, 11, 11, 12, 12, 15, 17, 22, 23]  # all relapsed


def _km_by_hand(t, e):
    """Product-limit estimate and Greenwood's sum at the distinct event times, written out."""
    t, e = np.asarray(t, float), np.asarray(e, bool)
    times = np.unique(t[e])
    s, gw, out = 1.0, 0.0, []
    for u in times:
        n = np.sum(t >= u)
        d = np.sum((t == u) & e)
        s *= 1 - d / n
        gw += d / (n * (n - d)) if n > d else math.inf
        out.append((u, s, s * math.sqrt(gw) if s > 0 else math.nan))
    return out


# ------------------------------------------------------------------ Kaplan-Meier
def test_kaplan_meier_6mp_against_kleinbaum_klein_and_by_hand():
    km = stats.kaplan_meier(T_6MP, E_6MP)
    # Kleinbaum & Klein (2012), ch. 2, KM table for the 6-MP group (remission data)
    published = {6: 0.8571, 7: 0.8067, 10: 0.7529, 13: 0.6902, 16: 0.6275, 22: 0.5378, 23: 0.4482}
    for t, s in published.items():
        assert km.survival_at(t) == pytest.approx(s, abs=5e-5)
    assert list(km.params.index) == [6.0, 7.0, 10.0, 13.0, 16.0, 22.0, 23.0] and km.params.index.name == "time"
    assert km.survival_at(5.9) == 1.0 and km.median == 23.0 and km.n_obs == 21 and km.n_events == 9
    # the product-limit estimate and Greenwood's variance written out, to rounding
    for u, s, se in _km_by_hand(T_6MP, E_6MP):
        assert km.params[u] == pytest.approx(s, rel=1e-14)
        assert km.standard_errors[u] == pytest.approx(se, rel=1e-13)
    # Greenwood at t = 7 by hand: S^2 (3/(21*18) + 1/(17*16))
    assert km.standard_errors[7.0] == pytest.approx(km.params[7.0] * math.sqrt(3 / 378 + 1 / 272))


def test_kaplan_meier_is_the_one_result_protocol():
    km = stats.kaplan_meier(T_6MP, E_6MP)
    assert isinstance(km, FitResult) and km.converged and km.message == "closed form"
    assert km.log_likelihood is None and km.iterations is None
    p = km.params
    p.iloc[0] = 0.0
    assert km.params.iloc[0] == pytest.approx(0.857142857)  # a fresh copy each time
    with pytest.raises(dataclasses.FrozenInstanceError):
        km.median = 1.0
    table = km.summary()
    assert list(table.columns) == ["at_risk", "events", "estimate", "std_error", "lower_95", "upper_95"]
    assert table.loc[6.0, "at_risk"] == 21 and table.loc[6.0, "events"] == 3
    assert "KaplanMeierResult(KM: n = 21, events = 9, S(23) = 0.4482, median 23" in repr(km)
    assert "<table" in km._repr_html_()
    # the risk table keeps every distinct time (censored ones too) and time 0
    full = km.table
    assert full["time"].iloc[0] == 0.0 and full["survival"].iloc[0] == 1.0
    assert full["events"].sum() == 9 and full["censored"].sum() == 12 and full["at_risk"].iloc[1] == 21
    assert full.set_index("time").loc[9.0, "survival"] == km.params[7.0]  # censored: the step holds


def test_kaplan_meier_intervals_against_lifelines_stata_and_the_formulas():
    km = stats.kaplan_meier(T_6MP, E_6MP)
    ci = km.conf_int()
    # lifelines 0.30.3 KaplanMeierFitter (exponential Greenwood = log(-log) interval), 6-MP arm
    lifelines = {6: (0.619718, 0.951552), 10: (0.503200, 0.889362), 16: (0.367511, 0.804912), 23: (0.188052, 0.680143)}
    for t, (lo, hi) in lifelines.items():
        assert ci.loc[float(t), "lower"] == pytest.approx(lo, abs=1e-6)
        assert ci.loc[float(t), "upper"] == pytest.approx(hi, abs=1e-6)
        assert km.table.set_index("time").loc[float(t), "ci_low"] == pytest.approx(lo, abs=1e-6)
    # Rodriguez, "The Gehan Survival Data" (Stata sts list), control arm at 1 week
    ctl = stats.kaplan_meier(T_CONTROL, [1] * 21)
    row = ctl.table.set_index("time").loc[1.0]
    assert (round(row["survival"], 4), round(row["std_error"], 4), round(row["ci_low"], 4)) == (0.9048, 0.0641, 0.67)
    # the log and plain intervals, written out from S and its standard error
    z = 1.6448536269514722  # norm.ppf(0.95)
    s, se = km.params, km.standard_errors
    log = stats.kaplan_meier(T_6MP, E_6MP, conf_type="log").conf_int(0.9)
    np.testing.assert_allclose(log["lower"], s * np.exp(-z * se / s), rtol=1e-12)
    np.testing.assert_allclose(log["upper"], np.minimum(1, s * np.exp(z * se / s)), rtol=1e-12)
    plain = stats.kaplan_meier(T_6MP, E_6MP, conf_type="plain").conf_int(0.9)
    np.testing.assert_allclose(plain["lower"], np.clip(s - z * se, 0, 1), rtol=1e-12)
    # a wider level gives a wider interval
    assert (km.conf_int(0.99)["lower"] < km.conf_int(0.9)["lower"]).all()


def test_kaplan_meier_curve_that_reaches_zero_and_curve_without_events():
    ctl = stats.kaplan_meier(T_CONTROL, [1] * 21)
    assert ctl.params.iloc[-1] == 0.0 and math.isnan(ctl.standard_errors.iloc[-1])  # Greenwood undefined at S = 0
    assert tuple(ctl.conf_int().iloc[-1]) == (0.0, 0.0) and ctl.median == 8.0
    none = stats.kaplan_meier([3, 4, 5], [0, 0, 0])
    assert len(none.params) == 0 and none.survival_at(10) == 1.0 and none.median == math.inf


def test_kaplan_meier_aligns_series_by_index():
    idx = [f"c{i}" for i in range(21)]
    t = pd.Series(T_6MP, index=idx)
    e = pd.Series(E_6MP, index=idx)
    ref = stats.kaplan_meier(T_6MP, E_6MP)
    shuffled = stats.kaplan_meier(t, e.iloc[::-1])  # same labels in another order: same curve
    pd.testing.assert_series_equal(shuffled.params, ref.params)
    with pytest.raises(ValueError, match="index"):
        stats.kaplan_meier(t, pd.Series(E_6MP, index=[f"x{i}" for i in range(21)]))
    with pytest.raises(TypeError, match="events"):
        stats.kaplan_meier(t, E_6MP)  # a Series is never paired with a list by position
    times = pd.Series([5.0, 7.0, 30.0], index=["a", "b", "c"])
    assert ref.survival_at(times).index.tolist() == ["a", "b", "c"]


def test_kaplan_meier_bad_input():
    with pytest.raises(ValueError, match="durations must be in"):
        stats.kaplan_meier([1, -2], [1, 0])
    with pytest.raises(ValueError, match="durations must be finite"):
        stats.kaplan_meier([1, np.inf], [1, 0])
    with pytest.raises(ValueError, match="durations, events must have the same length"):
        stats.kaplan_meier([1, 2, 3], [1, 0])
    with pytest.raises(ValueError, match="events must be True/False"):
        stats.kaplan_meier([1, 2], [1, 2])
    with pytest.raises(ValueError, match="events must not have missing values"):
        stats.kaplan_meier([1, 2], [1, None])
    with pytest.raises(ValueError, match="conf_type must be one of"):
        stats.kaplan_meier([1, 2], [1, 0], conf_type="arcsine")
    with pytest.raises(ValueError, match=r"level must be in \(0, 1\)"):
        stats.kaplan_meier([1, 2], [1, 0], level=95)
    with pytest.raises(TypeError, match="durations"):
        stats.kaplan_meier(None, [1])


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 30), st.booleans()), min_size=1, max_size=40))
def test_kaplan_meier_property_matches_the_product_limit(data):
    t, e = zip(*data)
    km = stats.kaplan_meier(list(t), list(e))
    hand = _km_by_hand(t, e)
    assert list(km.params.index) == [u for u, _, _ in hand]
    np.testing.assert_allclose(km.params.to_numpy(), [s for _, s, _ in hand], rtol=1e-12, atol=1e-15)
    ci = km.conf_int()
    assert ((ci["lower"] >= 0) & (ci["upper"] <= 1) & (ci["lower"] <= km.params + 1e-15)).all()
    assert (np.diff(km.params.to_numpy()) <= 0).all()


# ------------------------------------------------------------------ log-rank
def test_logrank_against_lifelines():
    # lifelines 0.30.3 logrank_test on the Gehan data: 16.792941 (p = 4.168809e-05)
    gehan = stats.logrank_test(T_6MP + T_CONTROL, E_6MP + [1] * 21, ["6-MP"] * 21 + ["control"] * 21)
    assert gehan.statistic == pytest.approx(16.792941, abs=1e-5) and gehan.df == 1
    assert gehan.p_value == pytest.approx(4.168809e-05, rel=1e-5)
    assert gehan.groups == ("6-MP", "control") and gehan.observed == (9.0, 21.0)
    assert sum(gehan.observed) == pytest.approx(sum(gehan.expected))
    # 2 x 2 by hand for two groups: (O1 - E1)^2 / V1 with the hypergeometric variance
    t = np.array(T_6MP + T_CONTROL, float)
    e = np.array(E_6MP + [1] * 21, bool)
    g = np.array([0] * 21 + [1] * 21)
    o1 = e1 = v1 = 0.0
    for u in np.unique(t[e]):
        n, n1 = np.sum(t >= u), np.sum((t >= u) & (g == 0))
        d, d1 = np.sum((t == u) & e), np.sum((t == u) & e & (g == 0))
        o1, e1 = o1 + d1, e1 + d * n1 / n
        v1 += d * (n1 / n) * (1 - n1 / n) * (n - d) / (n - 1) if n > 1 else 0.0
    assert gehan.statistic == pytest.approx((o1 - e1) ** 2 / v1, rel=1e-12)
    assert "LogrankResult(chi2=16.79, df=1" in repr(gehan)


def test_logrank_bad_input_and_alignment():
    with pytest.raises(ValueError, match="at least 2 different groups"):
        stats.logrank_test([1, 2], [1, 1], ["a", "a"])
    with pytest.raises(ValueError, match="no observed event"):
        stats.logrank_test([1, 2], [0, 0], ["a", "b"])
    idx = list("abcdef")
    d = pd.Series([1, 2, 3, 4, 5, 6], index=idx)
    e = pd.Series([1, 1, 0, 1, 1, 1], index=idx)
    grp = pd.Series(["x", "y", "x", "y", "x", "y"], index=idx)
    ref = stats.logrank_test(d, e, grp)
    assert stats.logrank_test(d, e.iloc[::-1], grp.iloc[::-1]).statistic == pytest.approx(ref.statistic)
    with pytest.raises(ValueError, match="index"):
        stats.logrank_test(d, e, pd.Series(grp.to_numpy(), index=list("uvwxyz")))


# ------------------------------------------------------------------ logit
def _logit_data(n=400, seed=3):
    rng = np.random.default_rng(seed)
    X = pd.DataFrame(
        {"const": 1.0, "x": rng.normal(size=n), "d": (rng.random(n) < 0.4).astype(float)},
        index=[f"r{i}" for i in range(n)],
    )
    eta = -0.5 + 1.2 * X["x"] - 0.8 * X["d"]
    y = pd.Series(rng.random(n) < 1 / (1 + np.exp(-eta)), index=X.index)
    return y, X


def test_fit_logit_against_an_independent_maximum_likelihood_fit():
    from scipy.optimize import minimize

    y, X = _logit_data()
    fit = stats.fit_logit(y, X, name="y ~ x + d")
    A, b = X.to_numpy(), y.to_numpy(float)

    def nll(beta):
        eta = A @ beta
        return float(np.sum(np.logaddexp(0, eta) - b * eta))

    def grad(beta):
        return A.T @ (1 / (1 + np.exp(-(A @ beta))) - b)

    ref = minimize(nll, np.zeros(3), jac=grad, method="BFGS", options={"gtol": 1e-10})
    np.testing.assert_allclose(fit.params.to_numpy(), ref.x, rtol=1e-6, atol=1e-8)
    assert fit.log_likelihood == pytest.approx(-ref.fun, rel=1e-10)
    # standard errors: inverse of the information matrix X' W X (hand formula)
    p = 1 / (1 + np.exp(-(A @ fit.params.to_numpy())))
    cov = np.linalg.inv(A.T @ (A * (p * (1 - p))[:, None]))
    np.testing.assert_allclose(fit.standard_errors.to_numpy(), np.sqrt(np.diag(cov)), rtol=1e-8)
    # score equations with an intercept: mean prediction = mean outcome
    assert fit.predict(X).mean() == pytest.approx(b.mean(), abs=1e-10)
    # null log-likelihood of the intercept-only model, by hand
    m = b.mean()
    assert fit.log_likelihood_null == pytest.approx(len(b) * (m * math.log(m) + (1 - m) * math.log(1 - m)))
    assert fit.pseudo_r2 == pytest.approx(1 - fit.log_likelihood / fit.log_likelihood_null)


def test_fit_logit_result_protocol_and_reading():
    y, X = _logit_data()
    fit = stats.fit_logit(y, X, name="y ~ x + d")
    assert isinstance(fit, FitResult) and fit.converged and fit.iterations >= 1 and fit.n_obs == 400
    assert fit.message.startswith("Newton-Raphson converged")
    ci = fit.conf_int(0.9)
    z = 1.6448536269514722
    np.testing.assert_allclose(ci["lower"], fit.params - z * fit.standard_errors, rtol=1e-12)
    ors = fit.odds_ratios(0.9)
    np.testing.assert_allclose(ors["odds_ratio"], np.exp(fit.params))
    np.testing.assert_allclose(ors["upper"], np.exp(ci["upper"]))
    summary = fit.summary()
    assert list(summary.columns) == ["estimate", "std_error", "z", "p_value", "lower_95", "upper_95", "odds_ratio"]
    assert repr(fit).startswith("LogitResult(y ~ x + d: n = 400") and "0x" not in repr(fit)
    # predictions match columns by name, not by position, and keep the index
    shuffled = X[["d", "const", "x"]].iloc[::-1]
    pd.testing.assert_series_equal(fit.predict(shuffled).loc[X.index], fit.predict(X))


def test_fit_logit_aligns_outcome_and_regressors_by_index():
    y, X = _logit_data()
    ref = stats.fit_logit(y, X)
    again = stats.fit_logit(y.iloc[::-1], X)
    np.testing.assert_allclose(again.params, ref.params, rtol=1e-10)
    with pytest.raises(ValueError, match="index"):
        stats.fit_logit(y.set_axis([f"z{i}" for i in range(len(y))]), X)


def test_fit_logit_refuses_what_it_cannot_identify_and_warns_when_it_stops_early():
    y, X = _logit_data()
    with pytest.raises(ValueError, match="both outcomes"):
        stats.fit_logit(pd.Series(True, index=X.index), X)
    with pytest.raises(ValueError, match="collinear"):
        stats.fit_logit(y, X.assign(x2=2 * X["x"]))
    with pytest.raises(ValueError, match="complete separation"):
        stats.fit_logit(X["x"] > 0, X)
    with pytest.raises(ValueError, match="more observations than terms"):
        stats.fit_logit([0, 1, 1], X.iloc[:3])
    with pytest.raises(TypeError, match="regressors must be a pandas DataFrame"):
        stats.fit_logit(y, X.to_numpy())
    with pytest.raises(ValueError, match="maxiter must be in"):
        stats.fit_logit(y, X, maxiter=0)
    with pytest.warns(ConvergenceWarning, match="did not converge.*raise maxiter"):
        early = stats.fit_logit(y, X, maxiter=1)
    assert not early.converged and early.iterations == 1 and "maxiter=1" in early.message
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a converged fit is silent
        stats.fit_logit(y, X)


# ------------------------------------------------------------------ Cronbach's alpha, Wilson
def test_cronbach_alpha_hand_and_identity():
    # hand: item variances 5/3 and 19/12, variance of the sum 6.25 -> 2 (1 - 3.25/6.25) = 0.96
    assert stats.cronbach_alpha([[1, 2], [2, 3], [3, 3], [4, 5]]) == pytest.approx(0.96)
    # identity alpha = k c / (v + (k - 1) c) with mean variance v and mean covariance c
    x = np.random.default_rng(3).normal(size=(50, 4)) + np.random.default_rng(4).normal(size=(50, 1))
    cov = np.cov(x, rowvar=False)
    k = 4
    vbar, cbar = np.mean(np.diag(cov)), (cov.sum() - np.trace(cov)) / (k * (k - 1))
    assert stats.cronbach_alpha(x) == pytest.approx(k * cbar / (vbar + (k - 1) * cbar))
    with pytest.raises(ValueError, match="items"):
        stats.cronbach_alpha([[1, 2, 3]])


def test_wilson_interval_matches_statsmodels_and_stays_in_0_1():
    from statsmodels.stats.proportion import proportion_confint

    lo, hi = stats.wilson_interval(np.array([0, 7, 20]), np.array([20, 20, 20]), level=0.9)
    ref_lo, ref_hi = proportion_confint(np.array([0, 7, 20]), 20, alpha=0.1, method="wilson")
    np.testing.assert_allclose(lo, ref_lo, atol=1e-15)
    np.testing.assert_allclose(hi, np.minimum(ref_hi, 1.0), atol=1e-15)
    assert hi.max() <= 1.0 and lo.min() >= 0.0


# ================================================================== survival and formula models (issue 18)
# A small tie-free data set with delayed entry (generated once with numpy; the references below were
# computed on exactly these numbers with lifelines 0.30.3 in a throwaway venv, /tmp/ref-lifelines):
T_SIM = [5.378, 8.691, 9.927, 5.433, 6.241, 3.564, 4.957, 3.31, 0.176, 5.384, 0.478, 1.22, 1.873, 2.573, 1.762,
         1.456, 6.17, 1.724, 3.317, 0.606, 8.641, 0.396, 6.218, 4.316, 4.721, 7.453, 16.483, 9.068, 2.826, 3.248,
         2.26, 3.957, 7.345, 18.558, 4.126, 3.056, 15.696, 12.613, 1.668, 12.231]  # fmt: skip
E_SIM = [1, 0, 1, 1, 0, 1, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1, 0, 0, 1, 0, 1, 1, 1, 0, 1,
         1, 0, 0, 1, 1]  # fmt: skip
X_SIM = [0.94, 0.3, 0.34, 0.56, 0.14, 0.29, -1.23, 0.45, 0.83, -0.82, -0.25, 1.85, -0.22, 0.62, 0.79, 0.05, -0.54,
         0.15, -0.39, -0.28, 0.72, -1.12, 0.12, 1.2, 0.71, 0.55, -1.63, -0.89, 1.39, -0.25, 0.45, 1.56, -0.81, -1.36,
         -1.46, 0.71, -1.31, -0.66, 0.48, 0.59]  # fmt: skip
G_SIM = [0, 1, 1, 0, 1, 0, 0, 0, 1, 0, 1, 0, 0, 0, 1, 1, 0, 1, 1, 0, 0, 1, 1, 0, 0, 0, 1, 0, 0, 1, 0, 0, 1, 0, 1,
         0, 0, 1, 0, 1]  # fmt: skip
ENTRY_SIM = [0.0, 6.453, 2.39, 0.0, 0.0, 2.451, 0.0, 0.0, 0.0, 1.534, 0.0, 0.0, 0.0, 0.695, 0.193, 0.0, 0.0, 0.0,
             2.12, 0.0, 3.749, 0.15, 4.428, 0.114, 2.667, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 4.916, 0.0, 1.443,
             1.438, 0.0, 0.0, 0.0, 0.0]  # fmt: skip
SIM = pd.DataFrame({"t": T_SIM, "e": E_SIM, "x": X_SIM, "g": G_SIM, "entry": ENTRY_SIM})
GEHAN = pd.DataFrame({"weeks": T_6MP + T_CONTROL, "relapse": E_6MP + [1] * 21, "placebo": [0] * 21 + [1] * 21})


# ------------------------------------------------------------------ Kaplan-Meier with delayed entry
def test_kaplan_meier_with_delayed_entry_against_lifelines_and_by_hand():
    km = stats.kaplan_meier(T_SIM, E_SIM, entry=ENTRY_SIM)
    # lifelines 0.30.3 KaplanMeierFitter(entry=...) on the same data
    lifelines = {0.176: 0.962962963, 0.695: 0.8559670782, 1.724: 0.7293447293, 3.056: 0.5617811544, 4.721: 0.4007256284}
    for t, s in lifelines.items():
        assert km.survival_at(t) == pytest.approx(s, abs=1e-9)
    # the risk set by hand: entered before t and not yet gone (entry < t <= duration)
    t, e, t0 = np.array(T_SIM), np.array(E_SIM, bool), np.array(ENTRY_SIM)
    s = 1.0
    for u in np.sort(t[e]):
        n = np.sum((t0 < u) & (t >= u))
        s *= 1 - np.sum((t == u) & e) / n
        assert km.survival_at(u) == pytest.approx(s, rel=1e-12)
        assert km.table.set_index("time").loc[u, "at_risk"] == n
    assert km.table.loc[km.table["time"] == 0.176, "at_risk"].item() == 27  # lifelines' event table
    assert km.delayed_entry and "delayed entry" in repr(km)
    # entry 0 for everyone is no delayed entry at all
    pd.testing.assert_series_equal(
        stats.kaplan_meier(T_6MP, E_6MP, entry=[0] * 21).params, stats.kaplan_meier(T_6MP, E_6MP).params
    )


def test_kaplan_meier_entry_must_precede_the_duration():
    with pytest.raises(ValueError, match=r"entry must be earlier than durations .* row 1: entry 5 >= duration 5"):
        stats.kaplan_meier([3, 5], [1, 0], entry=[0, 5])
    with pytest.raises(ValueError, match="entry must be in"):
        stats.kaplan_meier([3, 5], [1, 0], entry=[0, -1])
    idx = ["a", "b", "c"]
    with pytest.raises(ValueError, match="index"):
        stats.kaplan_meier(
            pd.Series([3, 5, 7], index=idx),
            pd.Series([1, 0, 1], index=idx),
            entry=pd.Series([0, 1, 2], index=["x", "y", "z"]),
        )


# ------------------------------------------------------------------ restricted mean survival time
def test_rmst_against_lifelines_hand_arithmetic_and_the_uncensored_identity():
    # lifelines 0.30.3 restricted_mean_survival_time(kmf, t=10): 5.345514115418894 and, with entry, 4.670217420263807
    assert stats.restricted_mean_survival(stats.kaplan_meier(T_SIM, E_SIM), 10).estimate == pytest.approx(
        5.345514115418894, rel=1e-12
    )
    late = stats.kaplan_meier(T_SIM, E_SIM, entry=ENTRY_SIM)
    assert stats.restricted_mean_survival(late, 10).estimate == pytest.approx(4.670217420263807, rel=1e-12)
    # 6-MP arm up to 23 weeks, area under the steps by hand (Kleinbaum & Klein's S(t)):
    # 6*1 + 1*.8571 + 3*.8067 + 3*.7529 + 3*.6902 + 6*.6275 + 1*.5378
    km = stats.kaplan_meier(T_6MP, E_6MP)
    s = km.params
    hand = 6 + s[6] + 3 * s[7] + 3 * s[10] + 3 * s[13] + 6 * s[16] + s[22]
    r = stats.restricted_mean_survival(km, 23)
    assert r.estimate == pytest.approx(hand, rel=1e-12) and r.tau == 23.0
    # Klein & Moeschberger eq. 4.5.2 written out: sum over event times of A_i^2 d_i / (n_i (n_i - d_i))
    tab = km.table.set_index("time")
    var = 0.0
    for u in km.params.index:
        a = 23 - u if u >= 22 else 0.0
        a = sum(s[w] * (nxt - w) for w, nxt in zip(s.index, [*s.index[1:], 23]) if w >= u and w < 23)
        n, d = tab.loc[u, "at_risk"], tab.loc[u, "events"]
        var += a**2 * d / (n * (n - d))
    assert r.std_error == pytest.approx(math.sqrt(var), rel=1e-12)
    # without censoring the KM curve is the empirical one: RMST = mean(min(T, tau)) and the variance
    # is the plug-in variance of min(T, tau) over n
    x = np.random.default_rng(5).exponential(10, 300)
    full = stats.restricted_mean_survival(stats.kaplan_meier(x, np.ones(300)), 12)
    assert full.estimate == pytest.approx(np.minimum(x, 12).mean(), rel=1e-12)
    assert full.std_error**2 == pytest.approx(np.minimum(x, 12).var() / 300, rel=1e-10)


def test_rmst_of_exponential_data_matches_the_closed_form():
    # S(t) = exp(-t / 10): RMST(tau) = 10 (1 - exp(-tau / 10)); with independent censoring
    rng = np.random.default_rng(11)
    t, c = rng.exponential(10, 20_000), rng.exponential(25, 20_000)
    r = stats.restricted_mean_survival(stats.kaplan_meier(np.minimum(t, c), t <= c), 15)
    truth = 10 * (1 - math.exp(-1.5))
    assert abs(r.estimate - truth) < 3 * r.std_error and r.lower < truth < r.upper
    assert r.std_error == pytest.approx(0.038, abs=0.006)  # sd(min(T, 15)) / sqrt(n) = 5.35 / 141 without censoring


def test_rmst_table_and_bad_input():
    curves = {"6-MP": stats.kaplan_meier(T_6MP, E_6MP), "placebo": stats.kaplan_meier(T_CONTROL, [1] * 21)}
    table = stats.restricted_mean_table(curves, 23)
    a, b = (stats.restricted_mean_survival(c, 23) for c in curves.values())
    assert table.loc["placebo", "difference"] == pytest.approx(b.estimate - a.estimate)
    assert table.loc["placebo", "difference_se"] == pytest.approx(math.hypot(a.std_error, b.std_error))
    assert table.loc["placebo", "p_value"] < 0.001 and math.isnan(table.loc["6-MP", "p_value"])
    with pytest.raises(ValueError, match="tau must be at most the curve's last observed time 35"):
        stats.restricted_mean_survival(curves["6-MP"], 40)
    with pytest.raises(ValueError, match="tau must be in"):
        stats.restricted_mean_survival(curves["6-MP"], 0)
    with pytest.raises(TypeError, match="curve must be a KaplanMeierResult"):
        stats.restricted_mean_survival([1, 2], 1)
    with pytest.raises(ValueError, match="reference must be one of"):
        stats.restricted_mean_table(curves, 10, reference="aspirin")


# ------------------------------------------------------------------ logit on a formula
def test_fit_logit_formula_equals_the_design_matrix_fit_and_predicts_new_rows():
    rng = np.random.default_rng(8)
    df = pd.DataFrame({"x": rng.normal(size=300), "plan": rng.choice(["basic", "plus", "pro"], 300)})
    df["churn"] = rng.random(300) < 1 / (1 + np.exp(-(0.5 * df["x"] + (df["plan"] == "pro"))))
    fit = stats.fit_logit_formula("churn ~ x + C(plan)", df)
    X = pd.DataFrame(
        {"const": 1.0, "plus": (df["plan"] == "plus") * 1.0, "pro": (df["plan"] == "pro") * 1.0, "x": df["x"]}
    )
    ref = stats.fit_logit(df["churn"], X)
    np.testing.assert_allclose(fit.params.to_numpy(), ref.params.to_numpy(), rtol=1e-10)
    np.testing.assert_allclose(fit.standard_errors.to_numpy(), ref.standard_errors.to_numpy(), rtol=1e-8)
    assert fit.param_names == ("Intercept", "C(plan)[T.plus]", "C(plan)[T.pro]", "x")
    assert fit.formula == "churn ~ x + C(plan)" and fit.columns == ("x", "plan")
    new = df.iloc[[5, 2]].drop(columns="churn")
    pd.testing.assert_series_equal(fit.predict(new), ref.predict(X.iloc[[5, 2]]))
    with pytest.raises(ValueError, match=r"regressors\['x'\] has 1 missing value"):
        fit.predict(new.assign(x=[np.nan, 1.0]))
    # a category column: treatment dummies against its first category, named in the notes
    cat = df.assign(plan=pd.Categorical(df["plan"], categories=["pro", "basic", "plus"]))
    assert stats.fit_logit_formula("churn ~ plan", cat).notes == "reference levels: plan: 'pro'"


def test_fit_logit_formula_bad_input_names_the_column():
    df = pd.DataFrame({"churn": [0, 1, 0, 1, 1, 0, 0, 1], "x": [1.0, 2, 3, 4, 5, 6, 7, 8], "plan": list("aabbaabb")})
    with pytest.raises(ValueError, match=r"data\['x'\] has 1 missing value\(s\) \(first at row 2\)"):
        stats.fit_logit_formula("churn ~ x", df.assign(x=[1.0, 2, np.nan, 4, 5, 6, 7, 8]))
    with pytest.raises(ValueError, match=r"data\['churn'\] has 1 missing"):
        stats.fit_logit_formula("churn ~ x", df.assign(churn=[0, 1, None, 1, 1, 0, 0, 1]))
    with pytest.raises(ValueError, match=r"data\['churn'\] must contain both outcomes"):
        stats.fit_logit_formula("churn ~ x", df.assign(churn=1))
    with pytest.raises(ValueError, match="left-hand side .* 'left' is not"):
        stats.fit_logit_formula("left ~ x", df)
    with pytest.raises(ValueError, match="cannot be evaluated on data"):
        stats.fit_logit_formula("churn ~ x + unknown", df)
    with pytest.raises(TypeError, match="formula must be a string"):
        stats.fit_logit_formula("churn", df)
    # quasi-complete separation: every customer of plan 'b' churned -> the term is named
    sep = df.assign(churn=[0, 1, 1, 1, 0, 0, 1, 1])
    with pytest.raises(ValueError, match=r"plan\[T.b\] = 1 have outcome True \(quasi-complete separation\)"):
        stats.fit_logit_formula("churn ~ x + plan", sep)
    with pytest.raises(ValueError, match="complete separation"):
        stats.fit_logit_formula("churn ~ x", df.assign(churn=df["x"] > 4))
    with pytest.raises(ValueError, match=r"collinear: 'I\(2 \* x\)' is a combination"):
        stats.fit_logit_formula("churn ~ x + I(2 * x)", df)


# ------------------------------------------------------------------ Cox proportional hazards
def test_cox_on_the_gehan_data_against_published_values():
    # Venables & Ripley, MASS (4th ed., section 13.3), coxph on gehan (Efron): coef 1.572, se 0.412;
    # Kleinbaum & Klein (2012, ch. 3), Stata's Breslow ties: coef 1.509, HR 4.523
    efron = stats.fit_cox("weeks ~ placebo", GEHAN, event="relapse")
    assert round(efron.params["placebo"], 3) == 1.572 and round(efron.standard_errors["placebo"], 3) == 0.412
    breslow = stats.fit_cox("weeks ~ placebo", GEHAN, event="relapse", ties="breslow")
    assert round(breslow.params["placebo"], 3) == 1.509
    assert round(breslow.hazard_ratios().loc["placebo", "hazard_ratio"], 3) == 4.523
    assert efron.converged and efron.n_events == 30 and efron.n_obs == 42 and isinstance(efron, FitResult)
    assert list(efron.summary().columns)[-1] == "hazard_ratio" and "HR 4.817" in repr(efron)


def test_cox_against_lifelines_with_and_without_delayed_entry():
    fit = stats.fit_cox("t ~ x + g", SIM, event="e")
    # lifelines 0.30.3 CoxPHFitter (Efron) on the same data; lifelines stops where the score is still
    # about 2.5e-4 (statsmodels' Newton-Raphson goes on to a score of 1e-15), hence the tolerances
    np.testing.assert_allclose(fit.params.to_numpy(), [0.67344602, -0.12497488], atol=5e-5)
    np.testing.assert_allclose(fit.standard_errors.to_numpy(), [0.24856541, 0.40835896], rtol=1e-4)
    assert fit.log_likelihood == pytest.approx(-84.2869475117416, abs=1e-7)
    late = stats.fit_cox("t ~ x + g", SIM, event="e", entry="entry")
    np.testing.assert_allclose(late.params.to_numpy(), [0.64394451, 0.09906395], atol=5e-5)
    np.testing.assert_allclose(late.standard_errors.to_numpy(), [0.23565757, 0.41397796], rtol=1e-4)
    assert late.log_likelihood == pytest.approx(-79.16358097818487, abs=1e-7) and late.delayed_entry


def test_cox_ph_test_against_lifelines_statsmodels_and_the_definition():
    fit = stats.fit_cox("t ~ x + g", SIM, event="e")
    # lifelines 0.30.3 proportional_hazard_test(time_transform=...): the same approximate Grambsch-Therneau test
    lifelines = {
        "rank": (1.29240179, 4.62247921),
        "identity": (2.19479554, 1.69379601),
        "log": (1.67560085, 5.18956613),
    }
    for transform, chi2 in lifelines.items():
        np.testing.assert_allclose(fit.ph_test(transform).loc[["x", "g"], "chi2"], chi2, rtol=1e-4)
    # with tied event times the Efron Schoenfeld residuals matter: lifelines on gehan, identity: 0.00020528
    gehan = stats.fit_cox("weeks ~ placebo", GEHAN, event="relapse")
    assert gehan.ph_test("identity").loc["placebo", "chi2"] == pytest.approx(0.000205283, rel=1e-3)
    # Breslow residuals are statsmodels' PHRegResults.schoenfeld_residuals (sorted by time)
    from statsmodels.duration.hazard_regression import PHReg

    breslow = stats.fit_cox("weeks ~ placebo", GEHAN, event="relapse", ties="breslow")
    ref = PHReg.from_formula("weeks ~ placebo", GEHAN, status="relapse", ties="breslow").fit().schoenfeld_residuals
    np.testing.assert_allclose(np.sort(breslow.schoenfeld[:, 0]), np.sort(ref[~np.isnan(ref[:, 0]), 0]), atol=1e-12)
    # "km": g(t) = 1 - KM(t-), the curve just before each event (R's cox.zph); the statistic written out
    table = fit.ph_test("km")
    km = stats.kaplan_meier(T_SIM, E_SIM)
    times = np.sort(np.array(T_SIM)[np.array(E_SIM, bool)])
    g = np.array([1 - km.survival_at(u - 1e-9) for u in times])
    xx = g - g.mean()
    V = np.asarray(fit.covariance)
    r2 = np.asarray(fit.schoenfeld) @ V * len(g)
    hand = (xx @ r2) ** 2 / (np.diag(V) * len(g) * (xx @ xx))
    np.testing.assert_allclose(table.loc[["x", "g"], "chi2"], hand, rtol=1e-12)
    assert table.loc["GLOBAL", "df"] == 2 and 0 <= table.loc["g", "p_value"] <= 1
    # scaled residuals average the coefficient: mean(beta + d V r_k) = beta since the residuals sum to 0
    np.testing.assert_allclose(fit.scaled_schoenfeld().mean(), fit.params, atol=1e-5)
    with pytest.raises(ValueError, match="transform must be one of"):
        fit.ph_test("spline")


def test_cox_bad_input_and_monotone_likelihood():
    with pytest.raises(ValueError, match=r"data\['x'\] has 1 missing"):
        stats.fit_cox("t ~ x", SIM.assign(x=[np.nan, *X_SIM[1:]]), event="e")
    with pytest.raises(ValueError, match="event must be a column of data; 'died' is not"):
        stats.fit_cox("t ~ x", SIM, event="died")
    with pytest.raises(ValueError, match="has no term on its right-hand side"):
        stats.fit_cox("t ~ 1", SIM, event="e")
    with pytest.raises(ValueError, match=r"data\['entry'\] must be earlier than data\['t'\]"):
        stats.fit_cox("t ~ x", SIM.assign(entry=SIM["t"]), event="e", entry="entry")
    with pytest.raises(ValueError, match=r"data\['e'\] has no event"):
        stats.fit_cox("t ~ x", SIM.assign(e=0), event="e")
    # a group without events: its coefficient runs off to minus infinity
    odd = SIM.assign(e=np.where(SIM["g"] == 1, 0, SIM["e"]))
    with pytest.warns(ConvergenceWarning, match="monotone likelihood"):
        stats.fit_cox("t ~ x + g", odd, event="e", maxiter=30)


# ------------------------------------------------------------------ Weibull
def test_weibull_on_the_gehan_data_against_kleinbaum_klein():
    # Kleinbaum & Klein (2012, ch. 7), Stata streg Weibull on the remission data, Rx = 1 for placebo:
    # AFT form: _cons 3.516, Rx -1.267, p = 1.366; PH form: Rx 1.731 (HR 5.65)
    fit = stats.fit_weibull("weeks ~ placebo", GEHAN, event="relapse")
    assert round(fit.params["Intercept"], 3) == 3.516 and round(fit.params["placebo"], 3) == -1.267
    assert round(fit.shape, 3) == 1.366 and fit.converged and fit.message.startswith("Newton-Raphson converged")
    assert round(math.log(fit.hazard_ratios().loc["placebo", "hazard_ratio"]), 3) == 1.731
    assert fit.time_ratios().loc["placebo", "time_ratio"] == pytest.approx(math.exp(fit.params["placebo"]))


def test_weibull_against_scipy_on_uncensored_and_censored_data():
    from scipy import stats as sps

    x = np.random.default_rng(21).weibull(1.7, 400) * 12
    fit = stats.fit_weibull("t ~ 1", pd.DataFrame({"t": x, "e": True}), event="e")
    c, _, scale = sps.weibull_min.fit(x, floc=0)
    assert fit.shape == pytest.approx(c, rel=1e-5) and math.exp(fit.params["Intercept"]) == pytest.approx(
        scale, rel=1e-5
    )
    assert fit.log_likelihood == pytest.approx(sps.weibull_min.logpdf(x, fit.shape, scale=scale).sum(), rel=1e-8)
    # right-censored: scipy's CensoredData maximum likelihood
    cens = np.minimum(x, 15.0)
    data = sps.CensoredData.right_censored(cens, x > 15.0)
    c2, _, scale2 = sps.weibull_min.fit(data, floc=0)
    fit2 = stats.fit_weibull("t ~ 1", pd.DataFrame({"t": cens, "e": x <= 15.0}), event="e")
    assert fit2.shape == pytest.approx(c2, rel=1e-4) and math.exp(fit2.params["Intercept"]) == pytest.approx(
        scale2, rel=1e-4
    )


def test_weibull_with_delayed_entry_against_lifelines():
    # lifelines 0.30.3 WeibullFitter(entry=...): lambda 6.112920748453656, rho 0.8842038318045977,
    # log-likelihood -82.34386749877835, se(rho) 0.1451841878500369; without entry lambda 7.556675749691699,
    # rho 0.9917954626265373, log-likelihood -87.64592387673278
    late = stats.fit_weibull("t ~ 1", SIM, event="e", entry="entry")
    assert math.exp(late.params["Intercept"]) == pytest.approx(6.112920748453656, rel=1e-5)
    assert late.shape == pytest.approx(0.8842038318045977, rel=1e-5)
    assert late.log_likelihood == pytest.approx(-82.34386749877835, rel=1e-9)
    assert late.standard_errors["shape"] == pytest.approx(0.1451841878500369, rel=1e-3)
    plain = stats.fit_weibull("t ~ 1", SIM, event="e")
    assert plain.shape == pytest.approx(0.9917954626265373, rel=1e-5)
    assert plain.log_likelihood == pytest.approx(-87.64592387673278, rel=1e-9)
    # WeibullAFTFitter with entry: Intercept 1.9039242646759054, g -0.08890339319541227, x -0.6913446694653059,
    # log(rho) 0.05686039630469583
    aft = stats.fit_weibull("t ~ g + x", SIM, event="e", entry="entry")
    np.testing.assert_allclose(
        aft.params.iloc[:3], [1.9039242646759054, -0.08890339319541227, -0.6913446694653059], atol=2e-5
    )
    assert math.log(aft.shape) == pytest.approx(0.05686039630469583, abs=2e-5)


def test_weibull_reading_and_bad_input():
    fit = stats.fit_weibull("t ~ 1", SIM, event="e")
    k, lam = fit.shape, math.exp(fit.params["Intercept"])
    assert fit.survival(5.0) == pytest.approx(math.exp(-((5 / lam) ** k)))
    assert fit.survival(fit.median()) == pytest.approx(0.5)
    from scipy.integrate import quad

    assert fit.restricted_mean(10) == pytest.approx(quad(lambda t: fit.survival(t), 0, 10)[0], rel=1e-8)
    lo, hi = fit.conf_int(0.9).loc["shape"]
    assert 0 < lo < k < hi  # the shape's interval is computed on the log scale
    reg = stats.fit_weibull("t ~ g", SIM, event="e")
    surv = reg.survival([1.0, 5.0], data=SIM.iloc[:2])
    assert surv.shape == (2, 2) and list(surv.index) == [0, 1]
    with pytest.raises(ValueError, match="data is needed"):
        reg.median()
    with pytest.raises(ValueError, match=r"data\['t'\] must be > 0 .* drop the customers with zero tenure"):
        stats.fit_weibull("t ~ 1", SIM.assign(t=[0.0, *T_SIM[1:]]), event="e")
    with pytest.raises(ValueError, match="must keep the intercept"):
        stats.fit_weibull("t ~ g - 1", SIM, event="e")
    with pytest.warns(ConvergenceWarning, match="did not converge"):
        early = stats.fit_weibull("t ~ g + x", SIM, event="e", maxiter=1)
    assert not early.converged and "maxiter=1" in early.message
