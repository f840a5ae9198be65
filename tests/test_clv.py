"""Tests of crmlib.clv against numbers nobody here produced.

Reference sources (named again next to each test):
* FHL2005a  Fader, Hardie & Lee (2005), "Counting your customers" the easy way, Marketing
  Science 24(2): BG/NBD on the CDNOW sample, r=0.243, alpha=4.414, a=0.793, b=2.426,
  LL=-9582.4; the same paper's Pareto/NBD fit r=0.553, alpha=10.578, s=0.606, beta=11.669,
  LL=-9595.0 (39-week calibration, weeks = days/7).
* FH2013    Fader & Hardie (2013), "The Gamma-Gamma model of monetary value",
  http://brucehardie.com/notes/025/: p=6.25, q=3.74, gamma=15.44 on the 946 CDNOW-sample
  customers with repeat purchases in weeks 1-39; the R package CLVTools tests the same
  estimates with LL=-4055.9177 (tests/testthat/test_correctness_gg.R).
* FH2007    Fader & Hardie (2007), "How to project customer retention", Journal of
  Interactive Marketing 21(1): survivor counts of 1,000 "regular" and 1,000 "high end"
  customers over 12 years (from Berry & Linoff 2004); sBG fitted on years 0-7:
  regular alpha=0.704, beta=1.182; high end alpha=0.668, beta=3.806.
* lifetimes 0.11.3, run by us in a throwaway venv (/tmp, pandas 1.5.3, numpy 1.26.4) on the
  same CDNOW sample (script in the chapter-3 report); numbers copied below.
* GL2003    Gupta & Lehmann (2003), "Customers as assets", J. Interactive Marketing 17(1),
  Table 2: margin multiple r/(1+i-r) = 2.50 at r = 80%, i = 12%.
* scipy.stats.betanbinom (an independent beta-negative-binomial implementation) and
  scipy.integrate.quad (direct numerical integration) for analytic cross-checks.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import integrate, special, stats

from crmlib import clv, datasets

CAL_END = "1997-09-30"
OBS_END = "1998-06-30"


@pytest.fixture(scope="module")
def cdnow():
    return datasets.load_cdnow()


@pytest.fixture(scope="module")
def rfm(cdnow):
    return clv.rfm_summary(cdnow, "customer_id", "date", "amount", calibration_end=CAL_END, observation_end=OBS_END)


@pytest.fixture(scope="module")
def bg(rfm):
    return clv.fit_bg_nbd(rfm["frequency"], rfm["recency"], rfm["T"])


@pytest.fixture(scope="module")
def pnbd(rfm):
    return clv.fit_pareto_nbd(rfm["frequency"], rfm["recency"], rfm["T"])


@pytest.fixture(scope="module")
def gg(rfm):
    return clv.fit_gamma_gamma(rfm["frequency"], rfm["monetary_value"])


REGULAR = [1000, 631, 468, 382, 326, 289, 262, 241, 223, 207, 194, 183, 173]  # FH2007
HIGH_END = [1000, 869, 743, 653, 593, 551, 517, 491, 468, 445, 427, 409, 394]  # FH2007


# ---------------------------------------------------------------------------------------
# published numbers
# ---------------------------------------------------------------------------------------
def test_bg_nbd_reproduces_fhl2005(bg):
    # FHL2005a: r=0.243, alpha=4.414, a=0.793, b=2.426, LL=-9582.4
    assert bg.params.round(3).to_dict() == {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}
    assert round(bg.log_likelihood, 1) == -9582.4
    assert list(bg.params.index) == ["r", "alpha", "a", "b"]
    assert bg.n_customers == 2357


def test_pareto_nbd_reproduces_fhl2005(pnbd):
    # FHL2005a (Pareto/NBD benchmark): r=0.553, alpha=10.578, s=0.606, beta=11.669, LL=-9595.0
    assert pnbd.params.round(3).to_dict() == {"r": 0.553, "alpha": 10.578, "s": 0.606, "beta": 11.669}
    assert round(pnbd.log_likelihood, 1) == -9595.0


def test_gamma_gamma_reproduces_fh2013(gg):
    # FH2013: p=6.25, q=3.74, gamma=15.44 on 946 repeat buyers; CLVTools: LL=-4055.9177
    assert gg.params.round(2).to_dict() == {"p": 6.25, "q": 3.74, "gamma": 15.44}
    assert gg.n_customers == 946
    assert gg.log_likelihood == pytest.approx(-4055.9177, abs=1e-3)


@pytest.mark.parametrize("counts, expected", [(REGULAR, (0.704, 1.182)), (HIGH_END, (0.668, 3.806))])
def test_sbg_reproduces_fh2007(counts, expected):
    # FH2007: sBG fitted on years 0-7 of each segment
    res = clv.fit_sbg(counts[:8])
    assert tuple(res.params.round(3)) == expected
    assert list(res.params.index) == ["alpha", "beta"]
    # FH2007 show the sBG projection tracking the actual survivors of years 8-12 closely;
    # the projected counts are within 5% of the actual ones
    proj = res.project_survivors(12)
    actual = np.array(counts[8:], float)
    assert np.all(np.abs(proj.iloc[8:].to_numpy() / actual - 1) < 0.05)


def test_sbg_high_end_log_likelihood():
    # LL at the FH2007 estimates, recomputed with scipy's beta-negative-binomial distribution
    res = clv.fit_sbg(HIGH_END[:8])
    lost = -np.diff(HIGH_END[:8])
    t = np.arange(1, 8)
    d = stats.betanbinom(1, 0.668, 3.806)
    ll_scipy = np.sum(lost * d.logpmf(t - 1)) + HIGH_END[7] * d.logsf(6)
    assert res.log_likelihood == pytest.approx(ll_scipy, abs=0.05)
    assert round(res.log_likelihood, 2) == -1611.16


# ---------------------------------------------------------------------------------------
# cross-checks against lifetimes 0.11.3 (run in a throwaway environment)
# ---------------------------------------------------------------------------------------
def test_rfm_summary_matches_lifetimes(rfm):
    # lifetimes calibration_and_holdout_data(freq="D", then /7) on the CDNOW sample
    assert len(rfm) == 2357
    row = rfm.loc[4]
    assert (row["frequency"], round(row["recency"], 6), round(row["T"], 6), round(row["monetary_value"], 3)) == (
        2,
        30.428571,
        38.857143,
        22.345,
    )
    row = rfm.loc[111]
    assert (row["frequency"], round(row["recency"], 6), row["frequency_holdout"]) == (7, 29.428571, 8)
    means = rfm[["frequency", "recency", "T", "monetary_value", "frequency_holdout"]].mean().round(6)
    assert means.to_dict() == {
        "frequency": 1.042427,
        "recency": 6.845809,
        "T": 32.715862,
        "monetary_value": 14.078763,
        "frequency_holdout": 0.798473,
    }
    assert rfm["duration_holdout"].iloc[0] == 39.0
    # T runs from 27.00 to 38.86 weeks, the range FHL2005a report
    assert (round(rfm["T"].min(), 2), round(rfm["T"].max(), 2)) == (27.0, 38.86)


def test_bg_nbd_predictions_match_lifetimes(bg, rfm):
    ids = [0, 1, 2, 10, 100, 1000]
    x, tx, T = (rfm[c].to_numpy()[ids] for c in ("frequency", "recency", "T"))
    np.testing.assert_allclose(
        bg.prob_alive(x, tx, T), [0.7266202978, 1.0, 0.2123910243, 0.7848729681, 1.0, 1.0], rtol=1e-5
    )
    np.testing.assert_allclose(
        bg.conditional_expected_purchases(39, x, tx, T),
        [1.2259944297, 0.1965487849, 0.2034188276, 1.3242815950, 0.1971409562, 0.2182019614],
        rtol=1e-5,
    )
    np.testing.assert_allclose(
        bg.expected_purchases(np.array([1.0, 10.0, 39.0, 78.0])),
        [0.0531842877, 0.4317586686, 1.1950099745, 1.8579583171],
        rtol=1e-5,
    )
    np.testing.assert_allclose(
        bg.probability_of_n_purchases(39, np.array([0, 1, 2, 5])),
        [0.5743071607, 0.1991925431, 0.0853229234, 0.0179384801],
        rtol=1e-5,
    )


def test_pareto_nbd_predictions_match_lifetimes(pnbd, rfm):
    ids = [0, 1, 2, 10, 100, 1000]
    x, tx, T = (rfm[c].to_numpy()[ids] for c in ("frequency", "recency", "T"))
    np.testing.assert_allclose(
        pnbd.prob_alive(x, tx, T),
        [0.8691325859, 0.2976428067, 0.1679946988, 0.9585445150, 0.2984967878, 0.3284108651],
        rtol=2e-4,
    )
    np.testing.assert_allclose(
        pnbd.conditional_expected_purchases(39, x, tx, T),
        [1.4551953583, 0.1087967062, 0.1711134815, 1.6048984372, 0.1093808420, 0.1307984739],
        rtol=2e-4,
    )
    np.testing.assert_allclose(
        pnbd.expected_purchases(np.array([1.0, 10.0, 39.0, 78.0])),
        [0.0510064346, 0.4277939277, 1.2134022030, 1.9098583021],
        rtol=2e-4,
    )


def test_gamma_gamma_and_clv_match_lifetimes(gg, bg, rfm):
    ids = [0, 1, 2, 10]
    spend = gg.conditional_expected_spend(rfm["frequency"].to_numpy()[ids], rfm["monetary_value"].to_numpy()[ids])
    np.testing.assert_allclose(spend, [24.6539187132, 35.1703713305, 18.9100184753, 27.2819307816], rtol=1e-5)
    # lifetimes GammaGammaFitter.customer_lifetime_value(bgf, ..., time=12, discount_rate=0.01, freq="W")
    value = clv.customer_lifetime_value(
        bg,
        gg,
        rfm["frequency"],
        rfm["recency"],
        rfm["T"],
        rfm["monetary_value"],
        periods=12,
        period_length=4.345,
        discount_rate=0.01,
    )
    assert isinstance(value, pd.Series) and value.index.equals(rfm.index)
    assert value.mean() == pytest.approx(30.3385461672, rel=1e-5)
    np.testing.assert_allclose(value.to_numpy()[:3], [36.2739774512, 8.4179575950, 4.6409361265], rtol=1e-5)


# ---------------------------------------------------------------------------------------
# analytic cross-checks
# ---------------------------------------------------------------------------------------
def test_margin_multiple_gupta_lehmann_table():
    # GL2003 Table 2: r = 80%, i = 12% -> 2.50; r = 90%, i = 10% -> 4.50 (= 0.9/0.2)
    assert round(clv.margin_multiple(0.8, 0.12), 2) == 2.50
    assert round(clv.margin_multiple(0.9, 0.10), 2) == 4.50


def test_clv_from_retention_equals_explicit_sum():
    m, r, d, g = 120.0, 0.85, 0.09, 0.03
    t = np.arange(1, 31)
    brute = np.sum(m * (1 + g) ** (t - 1) * r**t / (1 + d) ** t)
    assert clv.clv_from_retention(m, r, d, periods=30, margin_growth=g) == pytest.approx(brute, rel=1e-12)
    t = np.arange(1, 5000)
    assert clv.clv_from_retention(m, r, d) == pytest.approx(np.sum(m * r**t / (1 + d) ** t), rel=1e-10)
    assert clv.clv_from_retention(m, r, d, timing="start") == pytest.approx(
        np.sum(m * r ** (t - 1) / (1 + d) ** (t - 1)), rel=1e-10
    )
    assert clv.value_curve(m, r, d, 30).iloc[-1] == pytest.approx(clv.clv_from_retention(m, r, d, 30), rel=1e-12)
    assert clv.continuing_value(np.full(30, m), d) == pytest.approx(clv.clv_from_retention(m, 1 - 1e-15, d, 30))


def test_customer_equity_and_elasticities_by_finite_differences():
    n, m, r, i, c = 1000.0, 100.0, 0.8, 0.12, 150.0
    k = np.arange(0, 3000)
    # Gupta, Lehmann & Stuart (2004) eq. 4 summed explicitly over cohorts k and periods t >= k
    per_customer = np.sum(m * r**k / (1 + i) ** k)
    brute = np.sum(n / (1 + i) ** k * (per_customer - c))
    assert clv.customer_equity(n, m, r, i, c) == pytest.approx(brute, rel=1e-9)
    el = clv.value_elasticities(m, r, i, c)
    base = clv.customer_equity(n, m, r, i, c)
    for name, args in {
        "margin": (m, r, i, c),
        "retention_rate": (m, r, i, c),
        "discount_rate": (m, r, i, c),
        "acquisition_cost": (m, r, i, c),
    }.items():
        pos = ["margin", "retention_rate", "discount_rate", "acquisition_cost"].index(name)
        h = 1e-6 * args[pos]
        up = list(args)
        dn = list(args)
        up[pos] += h
        dn[pos] -= h
        num = (clv.customer_equity(n, *up) - clv.customer_equity(n, *dn)) / (2 * h) * args[pos] / base
        assert el[name] == pytest.approx(num, rel=1e-5), name


def test_retention_uplift_reichheld_range():
    # 5 points more retention: +27.5% at r=0.80, d=0.10 (0.85/0.25 vs 0.8/0.3), by hand
    assert clv.retention_uplift(0.80, 0.10) == pytest.approx((0.85 / 0.25) / (0.8 / 0.3) - 1)
    assert clv.retention_uplift(0.90, 0.10) > clv.retention_uplift(0.80, 0.10)
    # ten points: (0.9/0.2) / (0.8/0.3) - 1 = 0.6875, by hand, through the new keyword
    assert clv.retention_uplift(0.80, 0.10, retention_gain=0.10) == pytest.approx(0.6875)


def test_shared_value_functions_are_the_same_objects():
    # one home for retention-based value: crmlib.clv re-exports crmlib.value, and retention_uplift is
    # an alias of retention_lift kept for one release (its old third argument `uplift` is gone)
    from crmlib import value

    assert clv.retention_uplift is value.retention_lift
    for name in ("margin_multiple", "clv_from_retention", "value_curve"):
        assert getattr(clv, name) is getattr(value, name)
    assert "retention_uplift" in clv.__all__ and "alias" in clv.__doc__
    with pytest.raises(TypeError):
        clv.retention_uplift(0.8, 0.1, 0.05)  # retention_gain is keyword-only now


def test_sbg_survival_retention_and_del_derl():
    res = clv.fit_sbg(HIGH_END[:8])
    a, b = res.params
    t = np.arange(1, 400)
    # S(t) is the product of the period retention rates (FH2007 eq. 4-5)
    np.testing.assert_allclose(res.survival(t[:20]), np.cumprod(res.retention_rate(t[:20])), rtol=1e-12)
    # and agrees with scipy's beta-negative-binomial survival function
    np.testing.assert_allclose(res.survival(t[:20]), stats.betanbinom(1, a, b).sf(t[:20] - 1), rtol=1e-9)
    d = 0.10
    # DEL = sum_{t>=0} S(t)/(1+d)^t (payments at the start of each period, FH2010)
    S = np.r_[1.0, res.survival(t)]
    assert res.discounted_expected_lifetime(d) == pytest.approx(np.sum(S / (1 + d) ** np.arange(S.size)), rel=1e-6)
    # DERL after n-1 = 4 renewals, standing at the renewal point: the next renewal (made with
    # probability S(n)/S(n-1)) is paid now, later ones discounted: sum_{t>=n} S(t)/S(n-1)/(1+d)^(t-n)
    n = 5
    tt = np.arange(n, 3000)
    brute = np.sum(res.survival(tt) / res.survival(n - 1) / (1 + d) ** (tt - n))
    assert res.discounted_expected_residual_lifetime(d, n - 1) == pytest.approx(brute, rel=1e-6)


def test_sbg_counts_and_individual_tenures_agree():
    counts = HIGH_END[:8]
    lost = -np.diff(counts)
    tenure = np.r_[np.repeat(np.arange(1, 8), lost), np.full(counts[-1], 7)]
    churned = np.r_[np.ones(lost.sum(), bool), np.zeros(counts[-1], bool)]
    a = clv.fit_sbg(counts)
    b = clv.fit_sbg(tenure=tenure, churned=churned)
    np.testing.assert_allclose(a.params, b.params, rtol=1e-6)
    assert a.log_likelihood == pytest.approx(b.log_likelihood, abs=1e-6)


def test_sbg_telco_tenure_matches_scipy_likelihood():
    telco = datasets.load_telco_churn()
    mtm = telco[telco["contract"] == "Month-to-month"]
    res = clv.fit_sbg(tenure=mtm["tenure"], churned=mtm["churn"])
    a, b = res.params
    d = stats.betanbinom(1, a, b)
    t, c = mtm["tenure"].to_numpy(), mtm["churn"].to_numpy()
    ll = np.sum(d.logpmf(t[c] - 1)) + np.sum(np.where(t[~c] > 0, d.logsf(t[~c] - 1), 0.0))
    assert res.log_likelihood == pytest.approx(ll, abs=1e-6)
    # the MLE: moving either parameter lowers scipy's likelihood
    for da, db in [(1.01, 1), (0.99, 1), (1, 1.01), (1, 0.99)]:
        d2 = stats.betanbinom(1, a * da, b * db)
        ll2 = np.sum(d2.logpmf(t[c] - 1)) + np.sum(np.where(t[~c] > 0, d2.logsf(t[~c] - 1), 0.0))
        assert ll2 < ll


def test_bg_nbd_pmf_sums_to_one_and_has_the_right_mean(bg):
    n = np.arange(0, 400)
    pmf = bg.probability_of_n_purchases(39.0, n)
    assert pmf.sum() == pytest.approx(1.0, abs=1e-8)
    assert np.sum(n * pmf) == pytest.approx(bg.expected_purchases(39.0), rel=1e-6)


def test_pareto_nbd_stable_for_large_frequency_against_quadrature(pnbd):
    r, al, s, be = pnbd.params
    for x, tx, T in [(3, 20.0, 38.0), (150, 300.0, 400.0), (600, 990.0, 1000.0), (0, 0.0, 2000.0)]:
        # direct numerical integration of the likelihood (FH 2005 note, eq. 21), scaled by
        # (α+T)^-(r+x) (β+T)^-s so that nothing underflows:
        # L = C (α+T)^-(r+x) (β+T)^-s [1 + s ∫_{t_x}^T g(y) dy]
        def g(y, x=x, T=T):
            return np.exp(-(r + x) * (np.log(al + y) - np.log(al + T)) - (s + 1) * np.log(be + y) + s * np.log(be + T))

        integral, _ = integrate.quad(g, tx, T, epsabs=0, epsrel=1e-12, limit=200)
        logC = special.gammaln(r + x) - special.gammaln(r) + r * np.log(al) + s * np.log(be)
        first = -(r + x) * np.log(al + T) - s * np.log(be + T)
        ll = logC + first + np.log1p(s * integral)
        from crmlib.clv import models as _clv_models

        ours = -_clv_models._pnbd_negll(
            pnbd.params.to_numpy(), np.array([x], float), np.array([tx]), np.array([T]), np.ones(1)
        )
        assert np.isfinite(ours)
        assert ours == pytest.approx(ll, rel=1e-8), (x, tx, T)
    pa = pnbd.prob_alive(np.array([600, 600]), np.array([990.0, 10.0]), np.array([1000.0, 1000.0]))
    assert np.all(np.isfinite(pa)) and pa[0] > 0.5 and pa[1] < 1e-10


def test_bg_nbd_stable_for_large_frequency(bg):
    pa = bg.prob_alive(np.array([800, 800]), np.array([999.0, 5.0]), np.array([1000.0, 1000.0]))
    assert np.all(np.isfinite(pa)) and 0 < pa[0] <= 1 and pa[1] < 1e-10
    e = bg.conditional_expected_purchases(52.0, np.array([800]), np.array([999.0]), np.array([1000.0]))
    assert np.all(np.isfinite(e)) and e[0] > 0


def test_parameter_recovery_from_simulation():
    sim = clv.simulate_bg_nbd(0.5, 6.0, 0.6, 2.5, 40_000, rng=np.random.default_rng(11))
    res = clv.fit_bg_nbd(sim["frequency"], sim["recency"], sim["T"])
    true = np.array([0.5, 6.0, 0.6, 2.5])
    z = (res.params.to_numpy() - true) / res.standard_errors.to_numpy()
    assert np.all(np.abs(z) < 4), z


def test_weights_equal_repeated_rows(rfm):
    agg = rfm.groupby(["frequency", "recency", "T"]).size().rename("n").reset_index()
    a = clv.fit_bg_nbd(agg["frequency"], agg["recency"], agg["T"], weights=agg["n"])
    b = clv.fit_bg_nbd(rfm["frequency"], rfm["recency"], rfm["T"])
    np.testing.assert_allclose(a.params, b.params, rtol=1e-6)


def test_results_are_immutable_and_have_stable_repr(bg, gg):
    with pytest.raises(AttributeError):
        bg.log_likelihood = 0.0
    assert repr(bg) == (
        "BGNBDResult(BG/NBD: r=0.2426, alpha=4.414, a=0.7929, b=2.426; n = 2,357, log-likelihood -9582.43, converged)"
    )
    assert bg.converged and bg.n_customers == bg.n_obs == 2357 and bg.iterations > 0
    assert "0x" not in repr(gg)
    summ = bg.summary()
    assert list(summ.columns) == ["estimate", "std_error", "z", "p_value", "lower_95", "upper_95"]
    assert (summ["std_error"] > 0).all()


# ---------------------------------------------------------------------------------------
# holdout validation, value matrix
# ---------------------------------------------------------------------------------------
def test_holdout_comparison_and_tracking(bg, rfm, cdnow):
    comp = clv.holdout_comparison(bg, rfm)
    assert comp["customers"].sum() == 2357
    # the sum over customers equals the model's total, and the actual total is the log's count
    assert (comp["actual"] * comp["customers"]).sum() == rfm["frequency_holdout"].sum()
    track = clv.tracking_data(bg, cdnow, "customer_id", "date", CAL_END, OBS_END)
    assert len(track) == 78
    # cumulative repeat purchases by the end of week 39 equal the calibration frequencies
    # (repeat occasions on or before 1997-09-30, the last day of week 39)
    assert track["actual"].iloc[38] == rfm["frequency"].sum()
    assert track["actual"].iloc[-1] == rfm["frequency"].sum() + rfm["frequency_holdout"].sum()
    assert track["calibration"].sum() == 39
    # expected curve = sum of E[X(age)] over customers: check week 78 against a direct sum
    first = cdnow.groupby("customer_id")["date"].min()
    age = ((pd.Timestamp(OBS_END) - first).dt.days.to_numpy()) / 7
    assert track["expected"].iloc[-1] == pytest.approx(bg.expected_purchases(age).sum(), rel=1e-9)


def test_value_matrix_quadrants():
    m = clv.value_matrix(pd.Series([1, 2, 3, 4], index=list("abcd")), pd.Series([4, 3, 2, 1], index=list("abcd")))
    assert m.loc["a", "segment"].startswith("develop")
    assert m.loc["d", "segment"].startswith("maintain")
    assert list(m.index) == list("abcd")
    # two Series are paired by customer, not by position: the same customers in another order
    again = clv.value_matrix(pd.Series([1, 2, 3, 4], index=list("abcd")), pd.Series([1, 2, 3, 4], index=list("dcba")))
    pd.testing.assert_frame_equal(again, m)
    with pytest.raises(ValueError, match="same index"):
        clv.value_matrix(pd.Series([1, 2], index=["a", "b"]), pd.Series([1, 2], index=["a", "c"]))
    with pytest.raises(TypeError, match="growth_potential must be a pandas Series"):
        clv.value_matrix(pd.Series([1, 2, 3, 4], index=list("abcd")), [4, 3, 2, 1])
    arrays = clv.value_matrix([10, 50, 20, 80], [5, 40, 60, 1])
    assert list(arrays.index) == [0, 1, 2, 3]


def test_growth_potential_is_the_additional_value_of_the_target_basket(bg, gg, rfm):
    # our operationalisation (Verhoef & Donkers 2001 idea): current value = margin E[spend] DEP,
    # growth potential = margin max(s* - E[spend], 0) DEP with s* the upper quartile of E[spend]
    # among repeat buyers; checked here with numpy's quantile and the Gamma-Gamma mean directly
    args = (bg, gg, rfm["frequency"], rfm["recency"], rfm["T"], rfm["monetary_value"])
    current = clv.customer_lifetime_value(*args)
    growth = clv.growth_potential(*args)
    assert growth.index.equals(rfm.index) and current.index.equals(rfm.index)
    current, growth = current.to_numpy(), growth.to_numpy()
    spend = gg.conditional_expected_spend(rfm["frequency"].to_numpy(), rfm["monetary_value"].to_numpy())
    dep = current / spend
    repeat = rfm["frequency"].to_numpy() > 0
    target = np.quantile(spend[repeat], 0.75)
    np.testing.assert_allclose(growth, np.maximum(target - spend, 0) * dep, rtol=1e-12)
    assert np.all(growth >= 0)
    # potential value = current + growth is the value at the larger of the two baskets
    np.testing.assert_allclose(current + growth, np.maximum(spend, target) * dep, rtol=1e-12)
    # exactly the repeat buyers at or above the target have no growth potential on this lever
    assert (growth == 0).sum() == (spend[repeat] >= target).sum()
    # linear in the margin, like the current value
    np.testing.assert_allclose(clv.growth_potential(*args, profit_share=0.3), 0.3 * growth, rtol=1e-12)
    # one group for everybody is the same as no groups; per-group targets differ
    same = clv.growth_potential(*args, groups=pd.Series(0, index=rfm.index))
    np.testing.assert_allclose(same, growth, rtol=1e-12)
    band = np.minimum(rfm["frequency"].to_numpy(), 3)
    # groups are aligned by customer like the other inputs: a shuffled Series gives the same answer
    shuffled = pd.Series(band, index=rfm.index).sample(frac=1.0, random_state=1)
    by_band = clv.growth_potential(*args, groups=shuffled).to_numpy()
    for b in (1, 2, 3):
        member = band == b
        t_b = np.quantile(spend[member], 0.75)
        np.testing.assert_allclose(by_band[member], np.maximum(t_b - spend[member], 0) * dep[member], rtol=1e-12)
    # the band of one-time buyers has no repeat buyer: it falls back to the overall target
    np.testing.assert_allclose(by_band[band == 0], growth[band == 0], rtol=1e-12)


def test_value_matrix_with_model_values_not_past_spend(bg, gg, rfm):
    args = (bg, gg, rfm["frequency"], rfm["recency"], rfm["T"], rfm["monetary_value"])
    current = clv.customer_lifetime_value(*args)
    growth = clv.growth_potential(*args)
    m = clv.value_matrix(current, growth)
    assert list(m.index) == list(rfm.index)
    high_c = m["current_value"] > current.median()
    high_g = m["growth_potential"] > np.median(growth)
    assert (m["segment"].str.startswith("invest") == (high_c & high_g)).all()
    assert (m["segment"].str.startswith("economise") == (~high_c & ~high_g)).all()
    # customers with no growth potential (they already buy the target basket) are never "develop"/"invest"
    zero = m["growth_potential"] == 0
    assert not m.loc[zero, "segment"].str.startswith(("develop", "invest")).any()


def test_growth_potential_bad_inputs(bg, gg, rfm):
    args = (bg, gg, rfm["frequency"], rfm["recency"], rfm["T"], rfm["monetary_value"])
    with pytest.raises(ValueError, match="quantile"):
        clv.growth_potential(*args, quantile=0)
    with pytest.raises(ValueError, match="quantile"):
        clv.growth_potential(*args, quantile=1.5)
    with pytest.raises(TypeError, match="groups must be a pandas Series"):
        clv.growth_potential(*args, groups=[1, 2, 3])
    with pytest.raises(ValueError, match="same index"):
        clv.growth_potential(*args, groups=pd.Series(1, index=rfm.index[:-1]))
    with pytest.raises(ValueError, match="groups"):
        clv.growth_potential(bg, gg, [1, 2], [1.0, 2.0], [3.0, 4.0], [10.0, 20.0], groups=[1, 2, 3])
    with pytest.raises(ValueError, match="repeat buyers"):
        clv.growth_potential(bg, gg, [0, 0], [0.0, 0.0], [10.0, 20.0], [0.0, 0.0])
    with pytest.raises(TypeError, match="spend_model"):
        clv.growth_potential(bg, "gg", [1], [1.0], [2.0], [10.0])


def test_case_c_cv_reading_and_certain_stay_upper_bound():
    # Case C (Mrs Smith): 50 dollars a week, 52 weeks, 25% margin (our assumption), d = 5%, T = 20.
    # Our reading of the slides' Cv sums *expected* profits pi_t = m r^t; it must equal the
    # retention formula, and certain profits (r = 1) must bound it from above.
    m, d, T = 50 * 52 * 0.25, 0.05, 20
    expected = m * 0.9 ** np.arange(1, T + 1)
    cv = clv.continuing_value(expected, d)
    assert cv == pytest.approx(clv.clv_from_retention(m, 0.9, d, periods=T), rel=1e-12)
    certain = clv.continuing_value(np.full(T, m), d)
    # annuity factor (1 - 1.05^-20) / 0.05 = 12.4622, by hand
    assert certain == pytest.approx(m * (1 - 1.05**-20) / 0.05, rel=1e-12)
    assert round(certain, 2) == 8100.44 and round(cv, 2) == 3721.30
    for r in (0.5, 0.8, 0.95, 0.99):
        assert clv.clv_from_retention(m, r, d, periods=T) < certain


# ---------------------------------------------------------------------------------------
# bad input
# ---------------------------------------------------------------------------------------
def test_bad_inputs(cdnow):
    with pytest.raises(ValueError, match=r"retention_rate must be in \[0, 1\); got 1.0"):
        clv.clv_from_retention(100, 1.0, 0.1)
    with pytest.raises(ValueError, match="retention_rate"):
        clv.margin_multiple(-0.1, 0.1)
    with pytest.raises(ValueError, match="retention_rate"):
        clv.scenario(retention_rate=1.2)
    bad = cdnow.copy()
    bad.loc[3, "amount"] = -5.0
    with pytest.raises(ValueError, match=r"transactions\['amount'\] has 1 negative .*-5.0.* at row 3"):
        clv.rfm_summary(bad, "customer_id", "date", "amount")
    with pytest.raises(ValueError, match="dates out of order"):
        clv.rfm_summary(cdnow, "customer_id", "date", calibration_end="1998-01-01", observation_end="1997-06-01")
    with pytest.raises(ValueError, match="empty calibration period"):
        clv.rfm_summary(cdnow, "customer_id", "date", calibration_end="1996-12-01")
    with pytest.raises(ValueError, match="missing column"):
        clv.rfm_summary(cdnow, "customer", "date")
    with pytest.raises(ValueError, match="freq must be"):
        clv.rfm_summary(cdnow, "customer_id", "date", freq="B")
    with pytest.raises(ValueError, match="recency must not exceed T.*recency=5.0 > T=4.0"):
        clv.fit_bg_nbd([1, 2], [3.0, 5.0], [4.0, 4.0])
    with pytest.raises(ValueError, match="frequency must be a whole number; got 1.5"):
        clv.fit_pareto_nbd([1.5, 2], [3.0, 3.0], [4.0, 4.0])
    with pytest.raises(ValueError, match="frequency must be in"):
        clv.fit_bg_nbd([-1, 2], [3.0, 3.0], [4.0, 4.0])
    with pytest.raises(clv.ModelFitError, match="no customer made a repeat purchase"):
        clv.fit_bg_nbd([0, 0, 0], [0.0, 0.0, 0.0], [10.0, 20.0, 30.0])
    with pytest.raises(clv.ModelFitError, match="no customer made a repeat purchase"):
        clv.fit_pareto_nbd([0, 0], [0.0, 0.0], [10.0, 20.0])
    with pytest.raises(clv.ModelFitError, match="no customer made a repeat purchase"):
        clv.fit_gamma_gamma([0, 0], [0.0, 0.0])
    with pytest.raises(ValueError, match="survivors must not increase"):
        clv.fit_sbg([1000, 800, 900])
    with pytest.raises(clv.ModelFitError, match="no customer churned"):
        clv.fit_sbg([1000, 1000, 1000])
    with pytest.raises(ValueError, match="either survivors"):
        clv.fit_sbg()
    with pytest.raises(TypeError, match="purchase_model"):
        clv.customer_lifetime_value("model", None, [1], [1.0], [2.0], [10.0])
    with pytest.raises(TypeError, match="rng must be a numpy.random.Generator"):
        clv.simulate_bg_nbd(0.2, 4, 0.8, 2.4, 10, rng=42)


def test_rfm_summary_string_ids_and_no_holdout(cdnow, rfm):
    # the hashing path for non-integer ids gives the same numbers as the integer fast path
    log = cdnow.assign(customer_id="c" + cdnow["customer_id"].astype(str).str.zfill(5))
    s = clv.rfm_summary(log, "customer_id", "date", "amount", calibration_end=CAL_END, observation_end=OBS_END)
    assert list(s.index[:2]) == ["c00004", "c00018"]
    np.testing.assert_allclose(s.to_numpy(float), rfm.to_numpy(float))
    # without a holdout period there are no holdout columns; frequency counts every repeat day
    full = clv.rfm_summary(cdnow, "customer_id", "date", freq="D")
    assert list(full.columns) == ["frequency", "recency", "T"]
    assert full["frequency"].sum() == rfm["frequency"].sum() + rfm["frequency_holdout"].sum()


# ---------------------------------------------------------------------------------------
# transaction logs (issue 20): local dates in a named zone, unambiguous strings, units, amounts
# ---------------------------------------------------------------------------------------
def _shanghai_log():
    # customer 1 buys at 23:30 on 1 March and at 07:30 on 2 March, Shanghai time (UTC+8): two local
    # days, but 15:30 and 23:30 on 1 March in UTC, one UTC day; then again on 15 March
    local = pd.to_datetime(["2024-03-01 23:30", "2024-03-02 07:30", "2024-03-15 12:00", "2024-03-05 09:00"])
    return pd.DataFrame(
        {"id": [1, 1, 1, 2], "date": local.tz_localize("Asia/Shanghai"), "amount": [10.0, 20.0, 30.0, 5.0]}
    )


def test_time_zone_aware_dates_are_counted_by_local_day():
    log = _shanghai_log()
    ends = dict(calibration_end="2024-03-31", observation_end="2024-03-31")
    local = clv.rfm_summary(log, "id", "date", "amount", **ends, freq="D")
    # default: the data's own zone -> 3 occasions on 1, 2 and 15 March: x = 2, t_x = 14, T = 30
    assert local.loc[1, ["frequency", "recency", "T"]].tolist() == [2, 14.0, 30.0]
    assert local.loc[1, "monetary_value"] == 25.0  # (20 + 30) / 2
    # the same instants counted by UTC day: the first two merge (recency and T move by a day)
    utc = clv.rfm_summary(log, "id", "date", "amount", **ends, freq="D", tz="UTC")
    assert utc.loc[1, ["frequency", "recency", "T"]].tolist() == [1, 14.0, 30.0]
    assert utc.loc[1, "monetary_value"] == 30.0
    # naming the data's own zone is the default; the same log stored in UTC gives the local answer back
    in_utc = log.assign(date=log["date"].dt.tz_convert("UTC"))
    named = clv.rfm_summary(in_utc, "id", "date", "amount", **ends, freq="D", tz="Asia/Shanghai")
    pd.testing.assert_frame_equal(named, local)
    # a tz-aware period end is read in the zone of the data: 23:00 UTC on 14 March is 15 March in Shanghai
    end = pd.Timestamp("2024-03-14 23:00", tz="UTC")
    cut = clv.rfm_summary(log, "id", "date", calibration_end=end, observation_end="2024-03-31", freq="D")
    assert cut.loc[1, ["frequency", "T"]].tolist() == [2, 14.0]
    # the tracking of a fitted model counts the same local days
    fit = clv.fit_bg_nbd([1, 2, 0, 3], [5.0, 9.0, 0.0, 12.0], [20.0, 20.0, 20.0, 20.0])
    track = clv.tracking_data(fit, log, "id", "date", "2024-03-31", "2024-03-31", freq="D")
    assert track["actual"].iloc[-1] == 2
    track_utc = clv.tracking_data(fit, log, "id", "date", "2024-03-31", "2024-03-31", freq="D", tz="UTC")
    assert track_utc["actual"].iloc[-1] == 1


def test_time_zone_arguments_are_checked():
    log = _shanghai_log()
    with pytest.raises(ValueError, match="tz must be a time zone"):
        clv.rfm_summary(log, "id", "date", tz="Mars/Olympus")
    naive = log.assign(date=log["date"].dt.tz_localize(None))
    with pytest.raises(ValueError, match="naive"):
        clv.rfm_summary(naive, "id", "date", tz="UTC")
    mixed = pd.DataFrame({"id": [1, 1], "date": ["2024-03-01T10:00:00+08:00", "2024-03-02T10:00:00+00:00"]})
    with pytest.raises(ValueError, match="mixes time zones"):
        clv.rfm_summary(mixed, "id", "date")


def test_ambiguous_date_strings_need_a_format():
    # '09/10/1997' is 10 September (US) or 9 October (most of the world): refused without date_format
    log = pd.DataFrame({"id": [1, 1, 2], "date": ["09/10/1997", "09/11/1997", "01/10/1997"]})
    with pytest.raises(ValueError, match=r"not ISO 8601 \(e.g. '09/10/1997'\).*date_format"):
        clv.rfm_summary(log, "id", "date", freq="D")
    us = clv.rfm_summary(log, "id", "date", freq="D", date_format="%m/%d/%Y")  # 10 and 11 September
    eu = clv.rfm_summary(log, "id", "date", freq="D", date_format="%d/%m/%Y")  # 9 October and 9 November
    assert us.loc[1, "recency"] == 1.0 and eu.loc[1, "recency"] == 31.0
    # customer 2 bought on 10 January (US) or 1 October (EU); the log ends on 11 September or 9 November ...
    assert us.loc[2, "T"] == 244.0 and eu.loc[2, "T"] == 39.0
    # ... and ISO strings need no format; they give what datetimes give
    iso = pd.DataFrame({"id": [1, 1, 2], "date": ["1997-09-10", "1997-09-11", "1997-01-10"]})
    as_dates = iso.assign(date=pd.to_datetime(iso["date"]))
    pd.testing.assert_frame_equal(
        clv.rfm_summary(iso, "id", "date", freq="D"), clv.rfm_summary(as_dates, "id", "date", freq="D")
    )
    pd.testing.assert_frame_equal(clv.rfm_summary(iso, "id", "date", freq="D"), us)
    # period ends follow the same rule
    with pytest.raises(ValueError, match="calibration_end must be an ISO 8601 date"):
        clv.rfm_summary(iso, "id", "date", calibration_end="09/10/1997")
    with pytest.raises(TypeError, match="calibration_end must be a date"):
        clv.rfm_summary(iso, "id", "date", calibration_end=19970910)
    # numbers are not dates (pandas would read them as nanoseconds since 1970)
    with pytest.raises(TypeError, match="must hold dates"):
        clv.rfm_summary(pd.DataFrame({"id": [1, 2], "date": [19970910, 19970911]}), "id", "date")
    with pytest.raises(ValueError, match="does not match date_format"):
        clv.rfm_summary(log, "id", "date", date_format="%Y-%m-%d")


def test_monthly_panel_and_other_units(cdnow, rfm):
    days = clv.rfm_summary(
        cdnow, "customer_id", "date", "amount", calibration_end=CAL_END, observation_end=OBS_END, freq="D"
    )
    months = clv.rfm_summary(
        cdnow, "customer_id", "date", "amount", calibration_end=CAL_END, observation_end=OBS_END, freq="M"
    )
    # months are days / 30.4375 (365.25 / 12), like weeks are days / 7; counts and money do not change
    assert clv.summaries.DAYS_PER_MONTH == 30.4375
    for col in ("recency", "T", "duration_holdout"):
        np.testing.assert_allclose(months[col], days[col] / 30.4375, rtol=1e-15)
        np.testing.assert_allclose(rfm[col], days[col] / 7, rtol=1e-15)
    for col in ("frequency", "frequency_holdout", "monetary_value"):
        pd.testing.assert_series_equal(months[col], rfm[col])
    # customer 4 (first purchase 1997-01-01, last repeat 1997-08-02, 213 days; T to 1997-09-30, 272 days)
    assert (months.loc[4, "recency"], months.loc[4, "T"]) == (213 / 30.4375, 272 / 30.4375)
    # pandas offsets of a fixed or mean length are units too
    pd.testing.assert_frame_equal(
        clv.rfm_summary(cdnow, "customer_id", "date", freq="ME"),
        clv.rfm_summary(cdnow, "customer_id", "date", freq="M"),
    )
    two_weeks = clv.rfm_summary(cdnow, "customer_id", "date", freq="2W")
    np.testing.assert_allclose(two_weeks["T"], clv.rfm_summary(cdnow, "customer_id", "date", freq="D")["T"] / 14)
    pd.testing.assert_frame_equal(two_weeks, clv.rfm_summary(cdnow, "customer_id", "date", freq=pd.Timedelta(days=14)))
    quarters = clv.rfm_summary(cdnow, "customer_id", "date", freq="QE")
    np.testing.assert_allclose(quarters["T"], clv.rfm_summary(cdnow, "customer_id", "date", freq="M")["T"] / 3)
    for bad in ("B", "h", "SME", "nonsense"):
        with pytest.raises(ValueError, match="freq must be"):
            clv.rfm_summary(cdnow, "customer_id", "date", freq=bad)
    with pytest.raises(TypeError, match="freq must be"):
        clv.rfm_summary(cdnow, "customer_id", "date", freq=7)


def test_monthly_tracking_panel(cdnow):
    monthly = clv.rfm_summary(cdnow, "customer_id", "date", calibration_end=CAL_END, observation_end=OBS_END, freq="M")
    fit = clv.fit_bg_nbd(monthly["frequency"], monthly["recency"], monthly["T"])
    track = clv.tracking_data(fit, cdnow, "customer_id", "date", CAL_END, OBS_END, freq="M")
    # 546 days (1997-01-01 .. 1998-06-30) hold 17 whole months of 30.4375 days; the 18th is incomplete
    assert len(track) == 17 and track.index.name == "time (months)"
    # month 9 ends after 9 x 30.4375 = 273.9 days: its last whole day is day 273 = 1997-10-01, one
    # day after the calibration end, so 8 months are calibration months
    assert track["calibration"].sum() == 8
    # cumulative repeat purchases by the end of a month = repeat occasions up to that month's last day
    occ = cdnow[["customer_id", "date"]].drop_duplicates()
    first = occ.groupby("customer_id")["date"].transform("min")
    repeat_day = (occ["date"][occ["date"] > first] - pd.Timestamp("1997-01-01")).dt.days
    for k in (1, 8, 17):
        assert track["actual"].loc[k] == (repeat_day <= np.ceil(k * 30.4375) - 1).sum()
    # the expected curve is the model's E[X(age)] summed over customers, age in months
    age = (
        np.ceil(17 * 30.4375)
        - 1
        - (cdnow.groupby("customer_id")["date"].min() - pd.Timestamp("1997-01-01")).dt.days.to_numpy()
    ) / 30.4375
    assert track["expected"].iloc[-1] == pytest.approx(fit.expected_purchases(age).sum(), rel=1e-9)


def test_missing_and_negative_amounts_follow_one_rule(cdnow):
    nan = cdnow.copy()
    nan.loc[[5, 9], "amount"] = np.nan
    with pytest.raises(ValueError, match=r"transactions\['amount'\] has 2 missing amount\(s\) \(first at row 5\)"):
        clv.rfm_summary(nan, "customer_id", "date", "amount")
    # without the amount column the same log is fine: the rule is about money, not about purchases
    assert len(clv.rfm_summary(nan, "customer_id", "date")) == cdnow["customer_id"].nunique()
    refund = cdnow.copy()
    refund.loc[[2, 3, 4], "amount"] = -1.0
    with pytest.raises(ValueError, match="has 3 negative.*returns and refunds are not purchases"):
        clv.rfm_summary(refund, "customer_id", "date", "amount")
    ids = cdnow.copy()
    ids["customer_id"] = ids["customer_id"].astype(float)
    ids.loc[7, "customer_id"] = np.nan
    with pytest.raises(ValueError, match="missing customer ids"):
        clv.rfm_summary(ids, "customer_id", "date")


def test_period_ends_are_inclusive():
    log = pd.DataFrame({"id": [1, 1, 1], "date": pd.to_datetime(["2024-01-01", "2024-01-10", "2024-01-11"])})
    s = clv.rfm_summary(log, "id", "date", calibration_end="2024-01-10", observation_end="2024-01-11", freq="D")
    assert s.loc[1, ["frequency", "recency", "T", "frequency_holdout", "duration_holdout"]].tolist() == [
        1,
        9.0,
        9.0,
        1,
        1.0,
    ]


# ---------------------------------------------------------------------------------------
# index in, same index out (model-based value)
# ---------------------------------------------------------------------------------------
def test_model_values_keep_and_align_the_index(bg, gg, rfm):
    cols = ["frequency", "recency", "T", "monetary_value"]
    some = rfm.iloc[[5, 0, 42, 17]]
    series = [some[c] for c in cols]
    value = clv.customer_lifetime_value(bg, gg, *series)
    growth = clv.growth_potential(bg, gg, *series)
    assert list(value.index) == list(some.index) and list(growth.index) == list(some.index)
    # arrays give arrays, single numbers a float: the same numbers
    arrays = clv.customer_lifetime_value(bg, gg, *(s.to_numpy() for s in series))
    assert isinstance(arrays, np.ndarray)
    np.testing.assert_allclose(arrays, value.to_numpy(), rtol=1e-12)
    one = clv.customer_lifetime_value(bg, gg, *(s.iloc[2] for s in series))
    assert isinstance(one, float) and one == pytest.approx(value.iloc[2], rel=1e-12)
    # Series are paired by customer: one of them in another order gives the same values
    shuffled = [series[0].iloc[::-1], *series[1:]]
    again = clv.customer_lifetime_value(bg, gg, *shuffled)
    pd.testing.assert_series_equal(again.loc[some.index], value, check_names=False)
    # mismatched customers, or a Series mixed with an unlabelled array, are refused
    with pytest.raises(ValueError, match="frequency and T must have the same index"):
        clv.customer_lifetime_value(bg, gg, series[0], series[1], rfm["T"].iloc[:4], series[3])
    with pytest.raises(TypeError, match="recency must be a pandas Series"):
        clv.growth_potential(bg, gg, series[0], series[1].to_numpy(), series[2], series[3])
    with pytest.raises(ValueError, match="recency must not exceed T"):
        clv.customer_lifetime_value(bg, gg, [1, 2], [3.0, 5.0], [4.0, 4.0], [10.0, 10.0])


# ---------------------------------------------------------------------------------------
# figures (crmlib.plotting.clv): what is drawn
# ---------------------------------------------------------------------------------------
@pytest.fixture
def clv_plots():
    import matplotlib.pyplot as plt

    from crmlib.plotting import clv as clv_plots

    yield clv_plots
    plt.close("all")


def test_plot_value_curve_draws_the_curve_and_the_infinite_value(clv_plots):
    ax = clv_plots.plot_value_curve(100, 0.8, 0.1, 10)
    curve, limit = ax.lines
    np.testing.assert_allclose(curve.get_xdata(), np.arange(1, 11))
    np.testing.assert_allclose(curve.get_ydata(), clv.value_curve(100, 0.8, 0.1, 10).to_numpy())
    assert curve.get_ydata()[-1] == pytest.approx(clv.clv_from_retention(100, 0.8, 0.1, periods=10))
    assert limit.get_ydata()[0] == pytest.approx(clv.clv_from_retention(100, 0.8, 0.1))  # 266.67
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["10-period value", "infinite horizon 267"]
    assert ax.get_ylabel() == "cumulative present value (currency)"


def test_plot_retention_draws_projection_and_observations(clv_plots):
    res = clv.fit_sbg(REGULAR[:8])
    ax = clv_plots.plot_retention(res, observed=REGULAR, periods=12, fitted_periods=7)
    model, observed, cut = ax.lines
    np.testing.assert_allclose(model.get_ydata(), res.project_survivors(12).to_numpy())
    np.testing.assert_allclose(observed.get_ydata(), REGULAR)
    np.testing.assert_allclose(observed.get_xdata(), np.arange(13))
    assert list(cut.get_xdata()) == [7, 7]
    with pytest.raises(TypeError, match="result must be a fitted sBG"):
        clv_plots.plot_retention("sbg")


def test_plot_tracking_and_holdout_draw_the_tables(clv_plots, bg, rfm, cdnow):
    track = clv.tracking_data(bg, cdnow, "customer_id", "date", CAL_END, OBS_END)
    ax = clv_plots.plot_tracking(track)
    actual, expected, cut = ax.lines
    np.testing.assert_array_equal(actual.get_ydata(), track["actual"].to_numpy())
    np.testing.assert_allclose(expected.get_ydata(), track["expected"].to_numpy())
    assert list(cut.get_xdata()) == [39, 39] and ax.get_xlabel() == "time (weeks)"
    comp = clv.holdout_comparison(bg, rfm)
    ax = clv_plots.plot_holdout(comp)
    actual, predicted = ax.lines
    np.testing.assert_allclose(actual.get_ydata(), comp["actual"].to_numpy())
    np.testing.assert_allclose(predicted.get_ydata(), comp["predicted"].to_numpy())
    assert [t.get_text() for t in ax.get_xticklabels()] == [*map(str, range(7)), "7+"]


def test_plot_value_matrix_draws_each_segment(clv_plots):
    m = clv.value_matrix([10, 50, 20, 80, 30], [5, 40, 60, 1, 2])
    ax = clv_plots.plot_value_matrix(m)
    drawn = {c.get_label(): c.get_offsets() for c in ax.collections}
    assert set(drawn) == {"invest", "maintain", "develop", "economise"}
    np.testing.assert_allclose(drawn["develop"], [[21, 61]])  # value + 1 on log scales
    np.testing.assert_allclose(drawn["economise"], [[11, 6], [31, 3]])
    assert ax.get_xscale() == "log" and ax.get_yscale() == "log"


def test_plot_prob_alive_draws_the_curve_and_the_customer(clv_plots, bg):
    ax = clv_plots.plot_prob_alive(bg, 2, 30.0, 38.0)
    curve, point = ax.lines
    grid = curve.get_xdata()
    assert grid[0] == 0.5 and grid[-1] == 38.0 and len(grid) == 60
    np.testing.assert_allclose(curve.get_ydata(), bg.prob_alive(np.full(60, 2), grid, np.full(60, 38.0)))
    assert point.get_ydata()[0] == pytest.approx(bg.prob_alive(2, 30.0, 38.0))
    assert ax.get_title() == "2 repeat purchases, customer for 38 weeks"
    ax = clv_plots.plot_prob_alive(bg, 0, 0.0, 38.0)  # no repeat purchase: certainly alive, no curve
    assert len(ax.lines) == 1 and ax.lines[0].get_ydata()[0] == 1.0
    with pytest.raises(TypeError, match="ax must be a matplotlib Axes"):
        clv_plots.plot_prob_alive(bg, 2, 30.0, 38.0, ax="axis")


# ---------------------------------------------------------------------------------------
# property tests (issue 20): local days by brute force, units as rescalings
# ---------------------------------------------------------------------------------------
ZONES = ["UTC", "Asia/Shanghai", "America/New_York", "Pacific/Kiritimati", "Etc/GMT+11", "Australia/Adelaide"]


@settings(max_examples=60, deadline=None)
@given(
    rows=st.lists(st.tuples(st.integers(0, 3), st.integers(0, 40 * 86_400)), min_size=1, max_size=25),
    data_zone=st.sampled_from(ZONES),
    tz=st.one_of(st.none(), st.sampled_from(ZONES)),
)
def test_property_rfm_counts_local_calendar_days(rows, data_zone, tz):
    ids = [c for c, _ in rows]
    stamps = pd.to_datetime([s for _, s in rows], unit="s", utc=True).tz_convert(data_zone)
    log = pd.DataFrame({"id": ids, "date": stamps})
    out = clv.rfm_summary(log, "id", "date", freq="D", tz=tz)
    # brute force: each instant's calendar date in the zone asked for (the data's own by default)
    zone = data_zone if tz is None else tz
    local = [ts.tz_convert(zone).date() for ts in stamps]
    end = max(local)
    for cust in sorted(set(ids)):
        days = sorted({d for c, d in zip(ids, local) if c == cust})
        assert out.loc[cust, "frequency"] == len(days) - 1
        assert out.loc[cust, "recency"] == (days[-1] - days[0]).days
        assert out.loc[cust, "T"] == (end - days[0]).days
    # weeks and months are the same day counts rescaled
    for freq, unit in (("W", 7.0), ("M", 30.4375)):
        other = clv.rfm_summary(log, "id", "date", freq=freq, tz=tz)
        np.testing.assert_allclose(
            other[["recency", "T"]].to_numpy(), out[["recency", "T"]].to_numpy() / unit, rtol=1e-15
        )
