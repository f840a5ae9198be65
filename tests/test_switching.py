"""Tests of crmlib.switching (chapter 4), its figures and its widgets, each against an outside reference.

References used (none produced by crmlib):
* hand arithmetic of SV = Q(U - P) - O - M - S (the course's six terms, our additive reading);
* the course's slides (seed 003, Meituan against Didi): the base fare of the first three orders
  free, coupons of 9 yuan (express or premium), 8 yuan (express) and 10 yuan (premium); the base
  fare itself is our assumption (10 yuan), so the tests also vary it;
* closed forms: binary logit, log-sum surplus (Train 2009, eq. 3.10);
* numerical integration with scipy.integrate.quad for the logistic-normal churn rate;
* lifelines 0.30.3 (run once in a throwaway venv, /tmp/ref-lifelines, on the same data):
  KaplanMeierFitter survival and exponential-Greenwood intervals, log-rank statistics on the
  telco contracts (the survival and logit references on textbook data are in tests/test_stats.py);
* statsmodels' proportion_confint(method="wilson") and statsmodels.formula logit on the raw CSV
  read with plain pandas (an independent parse and design of the same file);
* datasets/README.md / the issue: churn by contract 42.7%, 11.3%, 2.8%.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import replace

import matplotlib
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crmlib import datasets, stats
from crmlib import switching as sw
from crmlib.plotting import switching as figs

matplotlib.use("Agg")


@pytest.fixture(scope="module")
def telco():
    return datasets.load_telco_churn()


@pytest.fixture(scope="module")
def raw_telco():
    # an independent read of the same file with plain pandas (no crmlib loader)
    return pd.read_csv(datasets.data_dir() / "telco" / "telco_churn.csv")


# ------------------------------------------------------------------ substitute-value model
def test_substitute_value_hand_computed():
    # 100 rides x (31 - 26) yuan = 500; 500 - 30 - 40 - 120 = 310 (hand arithmetic)
    assert sw.substitute_value(100, 31, 26, 30, 40, 120) == 310.0
    # with the Meituan offer to an express rider: B = 3 x 10 + 9 + 8 = 47 -> 310 + 47 = 357
    assert sw.substitute_value(100, 31, 26, 30, 40, 120, promotion=47) == 357.0
    assert sw.substitute_value(0, 31, 26, 0, 0, 0) == 0.0
    # utility below price: negative surplus 10 x (20 - 25) = -50, minus 5 = -55
    assert sw.substitute_value(10, 20, 25, 5, 0, 0) == -55.0
    # current relationship: 100 x (30 - 26) - 0 - 40 = 360
    assert sw.current_value(100, 30, 26, 0, 40) == 360.0
    assert sw.SubstituteOffer().value == 310.0 and sw.CurrentRelationship().value == 360.0


def test_substitute_value_is_vectorised_with_broadcasting():
    q = np.array([[50.0], [100.0]])
    s = np.array([0.0, 100.0, 200.0])
    out = sw.substitute_value(q, 31, 26, 30, 40, s)
    expected = q * 5 - 70 - s  # hand formula, broadcast by numpy
    assert out.shape == (2, 3)
    np.testing.assert_allclose(out, expected)
    with pytest.raises(ValueError, match="broadcast"):
        sw.substitute_value([1, 2], 31, 26, 30, 40, [1, 2, 3])


@settings(max_examples=60, deadline=None)
@given(
    q=st.floats(0, 1e4),
    u=st.floats(0, 1e3),
    p=st.floats(0, 1e3),
    o=st.floats(0, 1e4),
    m=st.floats(0, 1e4),
    s=st.floats(0, 1e4),
)
def test_substitute_value_matches_the_formula(q, u, p, o, m, s):
    assert sw.substitute_value(q, u, p, o, m, s) == pytest.approx(q * (u - p) - o - m - s, rel=1e-12, abs=1e-6)


def test_decision_break_even_and_price_cut():
    d = sw.decide()
    # hand: CV 360 > SV 310 -> stay; S* = 500 - 30 - 40 - 360 = 70; cut = (360 - 310) / 100 = 0.5
    assert d.decision == "stay" and d.break_even_switching_cost == 70.0
    assert d.price_cut_needed == pytest.approx(0.5) and d.winning_price == pytest.approx(25.5)
    # at S = S* the values tie (customer stays); just below it the customer switches
    off = sw.SubstituteOffer()
    assert replace(off, switching_cost=70).value == d.current_value
    assert sw.decide(substitute=replace(off, switching_cost=69)).decision == "switch"
    # at the winning price the values tie; a bit lower wins
    assert replace(off, price=d.winning_price).value == pytest.approx(d.current_value)
    assert sw.decide(substitute=replace(off, price=25.4)).decision == "switch"
    # the decision keeps the two records it compared (one evaluation for figures and widgets)
    assert d.current == sw.CurrentRelationship() and d.substitute == off
    assert sw.prefers_switch(360, [310, 360, 361]).tolist() == [False, False, True]


# ------------------------------------------------------------------ case "free rides" (slides, seed 003)
def test_meituan_offer_amounts_are_the_slides():
    # slides: base fare (起步价) of the first 3 orders free; coupons 9 (express, premium), 8 (express),
    # 10 (premium) yuan. The base fare is not in the slides: our assumption is 10 yuan.
    assert sw.MEITUAN_FREE_ORDERS == 3 and sw.ASSUMED_BASE_FARE == 10.0
    assert [(c.amount, c.services) for c in sw.MEITUAN_COUPONS] == [
        (9.0, ("express", "premium")),
        (8.0, ("express",)),
        (10.0, ("premium",)),
    ]
    assert [c.name for c in sw.MEITUAN_COUPONS] == ["快车优享通用券", "快车券", "优享券"]


def test_welcome_offer_value_hand_computed():
    m = sw.WelcomeOffer()
    # express rider: 3 x 10 + 9 + 8 = 47; premium rider: 3 x 10 + 9 + 10 = 49; both: 30 + 27 = 57
    assert (m.value("express"), m.value("premium"), m.value(["express", "premium"])) == (47.0, 49.0, 57.0)
    assert [c.amount for c in m.usable_coupons("express")] == [9.0, 8.0]
    # only the 3 x F part depends on the assumed base fare: 3 yuan of B per yuan of fare
    fares = np.array([0.0, 8.0, 10.0, 12.0, 15.0])
    np.testing.assert_allclose(sw.welcome_offer_value(fares, [9, 8]), 3 * fares + 17)
    assert replace(m, base_fare=12).value("express") == 53.0
    assert sw.welcome_offer_value(10) == 30.0 and sw.welcome_offer_value(10, [9, 8], free_orders=0) == 17.0
    b = m.breakdown("express")["yuan"]
    assert b.iloc[-1] == 47.0 and b.iloc[:-1].sum() == 47.0 and b.iloc[3] == 0.0  # premium coupon unusable


def test_free_rides_decision_depends_on_the_assumed_base_fare():
    current, off = sw.CurrentRelationship(), sw.SubstituteOffer()
    m = sw.WelcomeOffer()
    # running customer: gap -50 before the offer; B = 47 at F = 10 -> gap -3 -> stays
    d = sw.decide(current, replace(off, promotion=m.value("express")))
    assert d.substitute_value == 357.0 and d.decision == "stay"
    assert d.price_cut_needed == pytest.approx(0.03) and d.break_even_switching_cost == pytest.approx(117.0)
    # break-even base fare: 3 F + 17 = 50 -> F* = 11; at 11 the values tie (stay), at 12 she switches
    assert m.break_even_base_fare(-50, "express") == pytest.approx(11.0)
    assert sw.break_even_base_fare(-50, [9, 8]) == pytest.approx(11.0)
    tie = sw.decide(current, replace(off, promotion=replace(m, base_fare=11).value("express")))
    assert tie.decision == "stay" and tie.value_gap == pytest.approx(0.0)
    win = sw.decide(current, replace(off, promotion=replace(m, base_fare=12).value("express")))
    assert win.decision == "switch" and win.winning_price == pytest.approx(26 + 3 / 100)
    # a premium rider's coupons (9 + 10) need a lower fare: (50 - 19) / 3
    assert m.break_even_base_fare(-50, "premium") == pytest.approx(31 / 3)
    # the slides' special case: apps otherwise alike -> SV - CV = B - S exactly
    alike_cv = sw.CurrentRelationship(utility=30, price=26, maintenance_cost=0)
    for fare, s in [(10, 20), (0, 20), (5, 40)]:
        b = replace(m, base_fare=fare).value("express")
        alike = sw.SubstituteOffer(
            utility=30, price=26, other_costs=0, maintenance_cost=0, switching_cost=s, promotion=b
        )
        assert sw.decide(alike_cv, alike).value_gap == pytest.approx(b - s)
    np.testing.assert_allclose(sw.break_even_base_fare(np.array([-20.0, 0.0]), [9, 8]), [1.0, -17 / 3])


def test_welcome_offer_bad_input():
    with pytest.raises(ValueError, match=r"base_fare must be in \[0, inf\) yuan"):
        sw.welcome_offer_value(-1, [9])
    with pytest.raises(ValueError, match="coupons must be in"):
        sw.welcome_offer_value(10, [9, -8])
    with pytest.raises(ValueError, match="free_orders must be a whole number"):
        sw.welcome_offer_value(10, free_orders=2.5)
    with pytest.raises(ValueError, match=r"free_orders must be in \[1, .*got 0"):
        sw.break_even_base_fare(-50, [9], free_orders=0)
    with pytest.raises(ValueError, match=r"services must be one of \['express', 'premium'\]; got 'taxi'"):
        sw.WelcomeOffer().value("taxi")
    with pytest.raises(ValueError, match="services must be one or more service names"):
        sw.WelcomeOffer().value([])
    with pytest.raises(TypeError, match="coupons must be Coupon records"):
        sw.WelcomeOffer(coupons=(9.0, 8.0))
    with pytest.raises(TypeError, match="base_fare must be a single number"):
        sw.WelcomeOffer(base_fare=[10, 12])
    with pytest.raises(ValueError, match="amount must be in"):
        sw.Coupon("快车券", -8, "express")


def test_tornado_ranges_are_analytic():
    t = sw.tornado(swing=0.2)
    # range = |d gap / d term| x 0.4 x base: U -> Q*0.4*U = 1240, P -> 1040, Q -> 0.4*Q*(U-P) = 200,
    # S -> 48, M -> 16, O -> 12
    expected = {
        "utility": 1240,
        "price": 1040,
        "quantity": 200,
        "switching_cost": 48,
        "maintenance_cost": 16,
        "other_costs": 12,
    }
    assert list(t.index) == list(expected)
    np.testing.assert_allclose(t["range"].to_numpy(), list(expected.values()))
    assert t.loc["switching_cost", "gap_at_low"] == pytest.approx(-50 + 24)


# ------------------------------------------------------------------ logit layer
def test_switch_probability_is_the_binary_logit():
    cv, sv, scale = 360.0, np.array([300.0, 360.0, 420.0]), 40.0
    closed_form = np.exp(sv / scale) / (np.exp(sv / scale) + np.exp(cv / scale))
    np.testing.assert_allclose(sw.switch_probability(sv - cv, scale), closed_form, rtol=1e-12)
    # a barrier b acts like b less value gap
    assert sw.switch_probability(100, 40, barrier=60) == pytest.approx(sw.switch_probability(40, 40))


def test_logsum_surplus_closed_forms():
    # Train (2009) eq. 3.10 with two equal options: E max = V + scale * ln 2
    assert sw.logsum_surplus(100, 100, 10) == pytest.approx(100 + 10 * math.log(2))
    # it tends to max(CV, SV) as the scale goes to 0
    assert sw.logsum_surplus(100, 130, 1e-3) == pytest.approx(130, abs=1e-6)
    # d logsum / d SV = switch probability (Williams-Daly-Zachary), checked by central difference
    h = 1e-4
    deriv = (sw.logsum_surplus(360, 310 + h, 40) - sw.logsum_surplus(360, 310 - h, 40)) / (2 * h)
    assert deriv == pytest.approx(sw.switch_probability(-50, 40), rel=1e-6)


def test_expected_churn_rate_against_quadrature_and_simulation():
    from scipy import integrate, stats

    for mean, sd, scale, barrier in [(-50, 60, 40, 0), (20, 100, 25, 30), (0, 0, 10, 0)]:
        if sd == 0:
            ref = 1 / (1 + math.exp(-(mean - barrier) / scale))
        else:
            ref = integrate.quad(
                lambda g, mean=mean, sd=sd, barrier=barrier, scale=scale: (
                    stats.norm.pdf(g, mean, sd) / (1 + math.exp(-(g - barrier) / scale))
                ),
                mean - 12 * sd,
                mean + 12 * sd,
            )[0]
        assert sw.expected_churn_rate(mean, sd, scale, barrier) == pytest.approx(ref, abs=1e-7)
    gaps = sw.simulate_value_gaps(200_000, -50, 60, rng=np.random.default_rng(7))
    assert sw.churn_rate(gaps, 40) == pytest.approx(sw.expected_churn_rate(-50, 60, 40), abs=3e-3)
    np.testing.assert_allclose(
        sw.expected_churn_rate(np.array([-50.0, 0.0]), 60, 40), [sw.expected_churn_rate(-50, 60, 40), 0.5], atol=1e-12
    )


# ------------------------------------------------------------------ switching-cost types
def test_shared_statistics_are_re_exported_as_the_same_objects():
    # one implementation each, in crmlib.stats (tested there against outside references)
    for name in ["cronbach_alpha", "kaplan_meier", "logrank_test", "KaplanMeierResult", "LogrankResult", "LogitResult"]:
        assert getattr(sw, name) is getattr(stats, name), name
    assert not hasattr(sw, "plot_tornado")  # figures live in crmlib.plotting.switching


def test_switching_cost_survey_structure_and_scores():
    items = sw.simulate_switching_cost_survey(400, rng=np.random.default_rng(11))
    assert items.shape == (400, 24) and items.to_numpy().min() >= 1 and items.to_numpy().max() <= 7
    again = sw.simulate_switching_cost_survey(400, rng=np.random.default_rng(11))
    pd.testing.assert_frame_equal(items, again)  # the rng is the only randomness
    scores = sw.score_switching_costs(items)
    assert list(scores.columns) == [*sw.SWITCHING_COST_FACETS, *sw.SWITCHING_COST_TYPES]
    # facet score = mean of its items; procedural = mean of its four facets (hand)
    np.testing.assert_allclose(scores["learning"], items[["learning_1", "learning_2", "learning_3"]].mean(axis=1))
    np.testing.assert_allclose(
        scores["procedural"], scores[["economic_risk", "evaluation", "learning", "setup"]].mean(axis=1)
    )
    rel = sw.facet_reliability(items)
    assert (rel["alpha"] > 0.6).all() and (rel["items"] == 3).all()
    assert rel.loc["learning", "alpha"] == stats.cronbach_alpha(items[["learning_1", "learning_2", "learning_3"]])
    # facets of one type correlate more than facets of different types (the simulated structure)
    r = scores[list(sw.SWITCHING_COST_FACETS)].corr()
    assert r.loc["economic_risk", "evaluation"] > r.loc["economic_risk", "benefit_loss"]


def test_switching_cost_survey_bad_input():
    with pytest.raises(TypeError, match="rng"):
        sw.simulate_switching_cost_survey(10, rng=42)
    with pytest.raises(TypeError):
        sw.simulate_switching_cost_survey(10, np.random.default_rng(0))  # rng is keyword-only
    with pytest.raises(TypeError):
        sw.simulate_switching_cost_survey(10)  # ... and required
    with pytest.raises(ValueError, match="type_correlation"):
        sw.simulate_switching_cost_survey(10, rng=np.random.default_rng(0), type_correlation=1.5)
    with pytest.raises(ValueError, match=r"n_respondents must be in \[2, 1e\+06\]"):
        sw.simulate_switching_cost_survey(10**9, rng=np.random.default_rng(0))
    items = sw.simulate_switching_cost_survey(10, rng=np.random.default_rng(0))
    with pytest.raises(ValueError, match=r"items is missing item columns for facet\(s\) \['setup'\]"):
        sw.score_switching_costs(items.drop(columns=["setup_1", "setup_2", "setup_3"]))
    bad = items.astype(float)
    bad.iloc[0, 0] = np.nan
    with pytest.raises(ValueError, match="finite"):
        sw.score_switching_costs(bad)


# ------------------------------------------------------------------ satisfaction x barriers
def test_barrier_model_recovers_the_simulated_coefficients():
    data = sw.simulate_barrier_survey(20_000, rng=np.random.default_rng(5))
    fit = sw.fit_barrier_model(data)
    assert isinstance(fit, stats.LogitResult) and fit.converged and fit.n_obs == 20_000
    true = {"const": 0.8, "satisfaction": 0.9, "barriers": 0.5, "satisfaction:barriers": -0.3}  # the simulation's
    for term, value in true.items():
        assert abs(fit.params[term] - value) < 4 * fit.standard_errors[term], term
    assert fit.params["satisfaction:barriers"] < 0 and fit.conf_int()["upper"]["satisfaction:barriers"] < 0
    assert sw.barrier_slope(fit, 2) > sw.barrier_slope(fit, 6)
    assert sw.barrier_slope(fit, 4) == pytest.approx(fit.params["barriers"])


def test_barrier_model_bad_input():
    data = sw.simulate_barrier_survey(50, rng=np.random.default_rng(0))
    with pytest.raises(ValueError, match=r"frame is missing column\(s\) \['stays'\]"):
        sw.fit_barrier_model(data.drop(columns="stays"))
    with pytest.raises(ValueError, match=r"frame\['satisfaction'\] must be in \[1, 7\]"):
        sw.fit_barrier_model(data.assign(satisfaction=data["satisfaction"] * 3))


# ------------------------------------------------------------------ telco churn
def test_churn_by_contract_matches_plain_pandas_and_the_readme(telco, raw_telco):
    table = sw.churn_by_contract(telco)
    ref = raw_telco.assign(y=raw_telco["churn"].eq("Yes")).groupby("contract")["y"].agg(["size", "sum", "mean"])
    for contract in ["Month-to-month", "One year", "Two year"]:
        assert table.loc[contract, "customers"] == ref.loc[contract, "size"]
        assert table.loc[contract, "churned"] == ref.loc[contract, "sum"]
        assert table.loc[contract, "churn_rate"] == pytest.approx(ref.loc[contract, "mean"])
    # datasets/README.md and the issue: 42.7%, 11.3%, 2.8%
    assert table["churn_rate"].round(3).tolist() == [0.427, 0.113, 0.028]


def test_wilson_interval_matches_statsmodels(telco):
    from statsmodels.stats.proportion import proportion_confint

    table = sw.churn_by_contract(telco, level=0.9)
    lo, hi = proportion_confint(table["churned"], table["customers"], alpha=0.1, method="wilson")
    np.testing.assert_allclose(table["ci_low"], lo, rtol=1e-10)
    np.testing.assert_allclose(table["ci_high"], hi, rtol=1e-10)
    lo0, hi0 = stats.wilson_interval(0, 20)
    assert lo0 == pytest.approx(0.0, abs=1e-15) and hi0 == pytest.approx(proportion_confint(0, 20, method="wilson")[1])


def test_churn_logit_matches_a_formula_fit_on_the_raw_file(telco, raw_telco):
    import statsmodels.formula.api as smf

    fit = sw.fit_churn_logit(telco)
    d = raw_telco.copy()
    d["y"] = (d["churn"] == "Yes").astype(int)
    d["tenure_years"] = d["tenure"] / 12
    d["charges10"] = d["monthly_charges"] / 10
    d["addons"] = (
        d[["online_security", "online_backup", "device_protection", "tech_support", "streaming_tv", "streaming_movies"]]
        == "Yes"
    ).sum(axis=1)
    ref = smf.logit(
        "y ~ C(contract, Treatment('Month-to-month')) + tenure_years + charges10"
        " + C(internet_service, Treatment('DSL')) + addons",
        data=d,
    ).fit(disp=0)
    names = {
        "const": "Intercept",
        "one_year": "C(contract, Treatment('Month-to-month'))[T.One year]",
        "two_year": "C(contract, Treatment('Month-to-month'))[T.Two year]",
        "tenure_years": "tenure_years",
        "monthly_charges_10": "charges10",
        "fiber_optic": "C(internet_service, Treatment('DSL'))[T.Fiber optic]",
        "no_internet": "C(internet_service, Treatment('DSL'))[T.No]",
        "add_on_services": "addons",
    }
    ci = fit.conf_int()
    for ours, theirs in names.items():
        assert fit.params[ours] == pytest.approx(ref.params[theirs], rel=1e-6, abs=1e-8)
        assert fit.standard_errors[ours] == pytest.approx(ref.bse[theirs], rel=1e-5)
        assert ci.loc[ours, "lower"] == pytest.approx(ref.conf_int()[0][theirs], rel=1e-5, abs=1e-8)
    assert fit.log_likelihood == pytest.approx(ref.llf) and fit.n_obs == 7043
    assert fit.converged and fit.iterations == ref.mle_retvals["iterations"]
    ors = fit.odds_ratios()
    assert ors.loc["two_year", "odds_ratio"] == pytest.approx(math.exp(ref.params[names["two_year"]]))
    assert "LogitResult(churn ~ contract" in repr(fit) and "0x" not in repr(fit)


def test_telco_bad_input(telco):
    bad = telco.assign(contract=telco["contract"].astype(str).replace({"Two year": "Three year"}))
    with pytest.raises(ValueError, match=r"frame\['contract'\] must hold only .*'Three year'"):
        sw.churn_by_contract(bad)
    with pytest.raises(ValueError, match=r"frame is missing column\(s\) \['churn'\]"):
        sw.churn_by_contract(telco.drop(columns="churn"))
    with pytest.raises(ValueError, match=r"frame is missing column\(s\) \['tenure'\]"):
        sw.fit_churn_logit(telco.drop(columns="tenure"))
    with pytest.raises(ValueError, match=r"frame\['churn'\] must be True/False"):
        sw.churn_by_contract(telco.assign(churn=telco["churn"].map({True: "y", False: "n"})))
    with pytest.raises(TypeError, match="frame must be a pandas DataFrame"):
        sw.churn_by_contract([1, 2])
    with pytest.raises(ValueError, match="frame is missing column"):
        sw.retention_curves(telco.drop(columns="tenure"))


# ------------------------------------------------------------------ Kaplan-Meier and log-rank
def test_telco_retention_curves_against_lifelines(telco):
    curves = sw.retention_curves(telco)
    # lifelines 0.30.3 KaplanMeierFitter on tenure with churn == "Yes" as the event, per contract
    ref = {
        "Month-to-month": {12: (0.703097, 0.687259, 0.718304), 72: (0.128952, 0.075945, 0.196396)},
        "One year": {24: (0.978272, 0.968861, 0.984862), 72: (0.568146, 0.446758, 0.672523)},
        "Two year": {48: (0.995719, 0.990482, 0.998077), 72: (0.935739, 0.913336, 0.952501)},
    }
    for contract, points in ref.items():
        tab = curves[contract].table.set_index("time")
        for t, values in points.items():
            np.testing.assert_allclose(
                tab.loc[float(t), ["survival", "ci_low", "ci_high"]].to_numpy(dtype=float), values, atol=1e-6
            )
    table = sw.retention_table(curves, at=[12, 72])
    assert table.loc["Month-to-month", 12] == pytest.approx(0.703097, abs=1e-6)
    # each curve is the shared estimator on that group's rows, at the level asked for
    mtm = telco[telco["contract"] == "Month-to-month"]
    direct = stats.kaplan_meier(mtm["tenure"], mtm["churn"], level=0.9)
    pd.testing.assert_series_equal(sw.retention_curves(telco, level=0.9)["Month-to-month"].params, direct.params)
    assert curves["Month-to-month"].median == 35.0 and curves["Two year"].median == math.inf


def test_logrank_against_lifelines(telco):
    # lifelines 0.30.3 multivariate log-rank test on the telco contracts: 2352.872538
    telco_test = sw.logrank_test(telco["tenure"], telco["churn"], telco["contract"].astype(str))
    assert telco_test.statistic == pytest.approx(2352.872538, abs=1e-4) and telco_test.df == 2
    assert sum(telco_test.observed) == pytest.approx(sum(telco_test.expected))


# ------------------------------------------------------------------ bad input of the formulas
@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"quantity": -1}, r"quantity must be in \[0, inf\) units per period; got -1.0"),
        ({"utility": float("nan")}, "utility must be finite; got nan"),
        ({"price": [1.0, float("inf")]}, "price must be finite; got inf at position 1"),
        ({"switching_cost": -5}, "switching_cost must be in"),
        ({"other_costs": "a lot"}, "other_costs must be a number"),
    ],
)
def test_substitute_value_bad_input_names_the_argument(kwargs, message):
    args = {
        "quantity": 100,
        "utility": 31,
        "price": 26,
        "other_costs": 30,
        "maintenance_cost": 40,
        "switching_cost": 120,
        **kwargs,
    }
    with pytest.raises((ValueError, TypeError), match=message):
        sw.substitute_value(**args)


def test_records_and_helpers_bad_input():
    with pytest.raises(ValueError, match="quantity must be in"):
        sw.SubstituteOffer(quantity=-1)
    with pytest.raises(ValueError, match="quantity must be in"):
        replace(sw.SubstituteOffer(), quantity=-1)  # dataclasses.replace validates again
    with pytest.raises(ValueError, match="switching_cost must be at most 1e\\+15"):
        sw.SubstituteOffer(switching_cost=1e308)
    with pytest.raises(ValueError, match="scale must be in"):
        replace(sw.ChurnScenario(), scale=0)
    with pytest.raises(TypeError, match="barrier must be a single number"):
        sw.ChurnScenario(barrier=[1, 2])
    with pytest.raises(ValueError, match="base_fare must be in"):
        replace(sw.WelcomeOffer(), base_fare=-1)
    with pytest.raises(TypeError, match="single number"):
        sw.CurrentRelationship(price=[1, 2])
    with pytest.raises(TypeError, match="substitute must be a SubstituteOffer"):
        sw.decide(substitute=sw.CurrentRelationship())
    with pytest.raises(ValueError, match=r"quantity must be in \(0, inf\)"):
        sw.required_price_cut(360, 310, 0)
    with pytest.raises(ValueError, match=r"scale must be in \(0, inf\)"):
        sw.switch_probability(0, 0)
    with pytest.raises(ValueError, match=r"swing must be in \(0, 1\]"):
        sw.tornado(swing=0)
    with pytest.raises(ValueError, match="gap_sd must be in"):
        sw.ChurnScenario(gap_sd=-1)
    with pytest.raises(ValueError, match=r"n_customers must be in \[1, 1e\+07\]"):
        sw.simulate_value_gaps(0, -50, 60, rng=np.random.default_rng(0))
    with pytest.raises(ValueError, match=r"nodes must be in \[3, 1e\+06"):
        sw.expected_churn_rate(-50, 60, 40, nodes=10**9)


def test_records_are_changed_only_with_dataclasses_replace():
    for cls in (sw.SubstituteOffer, sw.CurrentRelationship, sw.ChurnScenario, sw.WelcomeOffer, sw.Coupon):
        assert "replace" not in vars(cls) and cls.__dataclass_params__.frozen, cls
    offer = sw.SubstituteOffer()
    with pytest.raises(dataclasses.FrozenInstanceError):
        offer.price = 1.0
    assert replace(offer, price=20).price == 20.0 and offer.price == 26.0


# ------------------------------------------------------------------ index in, same index out
def test_formulas_keep_the_index_and_align_series_by_label():
    idx = ["ann", "bo", "cy"]
    q = pd.Series([100.0, 50.0, 0.0], index=idx)
    s = pd.Series([120.0, 0.0, 30.0], index=idx)
    out = sw.substitute_value(q, 31, 26, 30, 40, s)
    assert isinstance(out, pd.Series) and list(out.index) == idx
    np.testing.assert_allclose(out, q * 5 - 70 - s)  # pandas aligns the reference by label too
    # the same labels in another order give the same answer per customer, never a positional pairing
    again = sw.substitute_value(q.iloc[::-1], 31, 26, 30, 40, s)
    pd.testing.assert_series_equal(again.loc[idx], out, check_names=False)
    with pytest.raises(ValueError, match="quantity and switching_cost must have the same index"):
        sw.substitute_value(q, 31, 26, 30, 40, s.set_axis(["x", "y", "z"]))
    with pytest.raises(TypeError, match="switching_cost must be a pandas Series"):
        sw.substitute_value(q, 31, 26, 30, 40, [120.0, 0.0, 30.0])
    gaps = pd.Series([-50.0, 0.0, 50.0], index=idx)
    assert list(sw.switch_probability(gaps, 40).index) == idx
    assert list(sw.expected_churn_rate(gaps, 60, 40).index) == idx
    assert sw.prefers_switch(
        pd.Series([360.0, 300.0], index=["a", "b"]), pd.Series([310.0, 310.0], index=["b", "a"])
    ).to_dict() == {"a": False, "b": True}
    assert sw.churn_rate(gaps, 40) == pytest.approx(sw.churn_rate(gaps.to_numpy(), 40))


def test_churn_outcome_is_one_evaluation_of_the_scenario():
    sc = replace(sw.ChurnScenario(), barrier=100)
    out = sw.churn_outcome(sc, gap_range=(-200, 200), points=5)
    assert out.scenario is sc and out.churn_rate == sc.churn_rate and out.switch_probability == sc.switch_probability
    np.testing.assert_allclose(out.gaps, [-200, -100, 0, 100, 200])
    np.testing.assert_allclose(out.individual, sw.switch_probability(out.gaps, 40, 100))
    np.testing.assert_allclose(out.population, sw.expected_churn_rate(out.gaps, 60, 40, 100))
    with pytest.raises(ValueError, match="gap_range"):
        sw.churn_outcome(gap_range=(100, -100))


# ------------------------------------------------------------------ widgets
def test_substitute_value_widget_follows_the_pure_functions():
    pytest.importorskip("ipywidgets")
    from crmlib.widgets import switching as ws

    w = ws.explore_substitute_value()
    first = next(iter(w.sliders))
    assert first == "switching_cost"  # the main slider
    assert {k: s.value for k, s in w.sliders.items()} == pytest.approx(
        {k: getattr(sw.SubstituteOffer(), k) for k in w.sliders}
    )
    assert "SV</b> = 310.0" in w.readout.value and "stays" in w.readout.value
    w.sliders["switching_cost"].value = 40
    offer = sw.SubstituteOffer(switching_cost=40)
    assert w.result == sw.decide(sw.CurrentRelationship(), offer)  # the one evaluation behind the display
    assert w.readout.value == ws.substitute_readout(w.result)
    assert f"SV</b> = {offer.value:.1f}" in w.readout.value and "switches" in w.readout.value
    # the case's welcome benefit (47 yuan at the assumed base fare) can be set exactly (step 1)
    w.sliders["switching_cost"].value = 120
    w.sliders["promotion"].value = sw.WelcomeOffer().value("express")
    assert w.sliders["promotion"].value == 47.0
    assert "SV</b> = 357.0" in w.readout.value and "stays" in w.readout.value
    import matplotlib.pyplot as plt

    plt.close(w.figure)


def test_churn_widget_follows_the_pure_functions():
    pytest.importorskip("ipywidgets")
    from crmlib.widgets import switching as ws

    w = ws.explore_churn()
    assert f"{sw.expected_churn_rate(-50, 60, 40):.1%}" in w.readout.value
    w.sliders["barrier"].value = 100
    expected = sw.expected_churn_rate(-50, 60, 40, 100)
    assert f"population churn rate</b> = {expected:.1%}" in w.readout.value
    assert w.result.churn_rate == expected and w.readout.value == ws.churn_readout(w.result)
    import matplotlib.pyplot as plt

    plt.close(w.figure)


# ------------------------------------------------------------------ figures (what is drawn)
def _close():
    import matplotlib.pyplot as plt

    plt.close("all")


def test_plot_substitute_value_draws_the_waterfall():
    d = sw.decide()
    ax = figs.plot_substitute_value(d)
    bars = ax.patches
    # Q(U-P) = 500, -O = -30, -M = -40, -S = -120, then SV = 310 (hand arithmetic)
    assert [round(b.get_height(), 6) for b in bars] == [500.0, -30.0, -40.0, -120.0, 310.0]
    # each step starts where the previous one ended: 0, 500, 470, 430; its top is the running level
    assert [round(b.get_y(), 6) for b in bars[:4]] == [0.0, 500.0, 470.0, 430.0]
    assert bars[3].get_y() + bars[3].get_height() == pytest.approx(d.substitute_value)
    assert ax.lines[0].get_ydata()[0] == pytest.approx(360.0)  # the CV line
    assert "yuan" in ax.get_ylabel() and "stay" in ax.get_title()
    with_offer = figs.plot_substitute_value(sw.decide(substitute=sw.SubstituteOffer(promotion=47)))
    assert with_offer.patches[4].get_height() == 47.0 and with_offer.patches[5].get_height() == 357.0
    assert [t.get_text() for t in with_offer.get_xticklabels()][4].startswith("+B")
    with pytest.raises(TypeError, match="decision must be the SwitchDecision"):
        figs.plot_substitute_value(sw.SubstituteOffer())
    _close()


def test_plot_tornado_draws_the_table():
    t = sw.tornado()
    ax = figs.plot_tornado(t)
    labels = [lbl.get_text() for lbl in ax.get_yticklabels()]
    assert labels == list(t.index[::-1])  # largest range on top
    widths = sorted(abs(b.get_width()) for b in ax.patches)
    np.testing.assert_allclose(sorted(widths)[-1], 620.0)  # U at +20%: 100 x 6.2 = 620 yuan
    assert ax.patches[0].get_x() == pytest.approx(-50.0)  # bars start at the base gap
    _close()


def test_plot_churn_curve_draws_the_outcome():
    out = sw.churn_outcome()
    ax = figs.plot_churn_curve(out)
    np.testing.assert_allclose(ax.lines[0].get_ydata(), out.individual)
    np.testing.assert_allclose(ax.lines[1].get_ydata(), out.population)
    assert ax.lines[2].get_ydata()[0] == pytest.approx(out.churn_rate)
    assert "29.1%" in ax.get_legend().get_texts()[2].get_text()
    import matplotlib.pyplot as plt

    _, mine = plt.subplots()
    assert figs.plot_churn_curve(sw.ChurnScenario(), ax=mine) is mine
    _close()


def test_plot_barrier_interaction_draws_the_fitted_probabilities():
    from scipy.special import expit

    fit = sw.fit_barrier_model(sw.simulate_barrier_survey(300, rng=np.random.default_rng(2)))
    ax = figs.plot_barrier_interaction(fit, barriers=(2.0, 6.0))
    assert len(ax.lines) == 2 and [t.get_text() for t in ax.get_legend().get_texts()] == [
        "barriers = 2",
        "barriers = 6",
    ]
    p = fit.params
    x = ax.lines[1].get_xdata()
    ref = expit(p["const"] + p["satisfaction"] * (x - 4) + p["barriers"] * 2 + p["satisfaction:barriers"] * (x - 4) * 2)
    np.testing.assert_allclose(ax.lines[1].get_ydata(), ref)
    _close()


def test_plot_churn_by_contract_and_retention_curves_draw_the_data(telco):
    table = sw.churn_by_contract(telco)
    ax = figs.plot_churn_by_contract(table)
    np.testing.assert_allclose([b.get_height() for b in ax.patches], table["churn_rate"] * 100)
    assert [t.get_text() for t in ax.get_xticklabels()] == list(table.index)
    curves = sw.retention_curves(telco)
    ax = figs.plot_retention_curves(curves)
    assert [t.get_text() for t in ax.get_legend().get_texts()] == list(curves)
    line = ax.lines[0]
    np.testing.assert_allclose(line.get_ydata(), curves["Month-to-month"].table["survival"])
    assert "months" in ax.get_xlabel()
    _close()


def test_churn_risk_reproduces_the_observed_rate_and_checks_input(telco):
    fit = sw.fit_churn_logit(telco)
    risk = sw.churn_risk(fit, telco)
    # with an intercept the logit score equations force mean(prediction) = mean(outcome)
    assert risk.mean() == pytest.approx(telco["churn"].mean(), abs=1e-8)
    with pytest.raises(TypeError, match="result must be a LogitResult"):
        sw.churn_risk("fit", telco)
    other = sw.fit_barrier_model(sw.simulate_barrier_survey(100, rng=np.random.default_rng(0)))
    with pytest.raises(ValueError, match="result must come from fit_churn_logit"):
        sw.churn_risk(other, telco)
    # the customers keep their labels, in any row order
    sample = telco.sample(50, random_state=1)
    pd.testing.assert_series_equal(sw.churn_risk(fit, sample), risk.loc[sample.index])
