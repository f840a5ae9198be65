"""Why loyal customers are worth more (crmlib.loyalty.project_customer_base, retention_effects) and the
practice tables of chapter 2 (strategies, principles, value proposition, programme keys, conditions).

Where each expected number comes from:

* the customer count is the geometric sum C_t = A (1 - q^t) / (1 - q), q = r + rho, and its limit
  A / (1 - r - rho) (for rho = 0 the textbook steady state A / (1 - r) of a base that wins A a period
  and keeps a share r);
* the margin of period t is the geometric sum A m (1 - (r(1+g))^t) / (1 - r(1+g));
* the present value of the base is the sum over cohorts of crmlib.value.clv_from_retention (the one
  home of retention-based value, timing "start"), each cut at the horizon -- computed by value.py,
  not by the projection;
* the mean tenure of a stationary base is the mean of a geometric distribution, 1 / (1 - r)
  (crmlib.value.expected_lifetime);
* the split into the customer-number and the retention-time effect is an algebraic identity
  (C1 v1 - C0 v0 = (C1 - C0) v0 + C1 (v1 - v0));
* Reichheld & Sasser (1990) give directions, not numbers: profit per customer rises with tenure,
  and keeping customers longer raises the value of the base; those are tested as directions;
* the top-box ratio 6 of the satisfaction conditions is Jones & Sasser's (1995) Xerox figure, which
  chapter 1's curve is calibrated to reproduce under full competition.
"""

from __future__ import annotations

import dataclasses
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from crmlib import loyalty, satisfaction, value

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"

FULL = dict(
    margin=100.0,
    margin_growth=0.05,
    service_cost=20.0,
    cost_decline=0.1,
    referral_rate=0.05,
    acquisition_cost=50.0,
    feedback_value=2.0,
    search_cost=3.0,
    contracting_cost=2.0,
    monitoring_cost=1.0,
)


# ------------------------------------------------------------------ the customer count
@pytest.mark.parametrize("r,rho", [(0.8, 0.0), (0.6, 0.1), (0.0, 0.0), (0.9, 0.05)])
def test_customer_count_is_a_geometric_sum_with_the_steady_state_as_limit(r, rho):
    A, T = 120.0, 30
    res = loyalty.project_customer_base(A, r, 0.1, T, referral_rate=rho)
    q = r + rho
    t = np.arange(1, T + 1)
    np.testing.assert_allclose(res.by_period["customers"], A * (1 - q**t) / (1 - q), rtol=1e-12)
    assert res.steady_state_customers == pytest.approx(A / (1 - r - rho), rel=1e-12)
    long = loyalty.project_customer_base(A, r, 0.1, 500, referral_rate=rho)
    assert long.by_period["customers"].iloc[-1] == pytest.approx(A / (1 - q), rel=1e-9)


def test_steady_state_without_referrals_is_acquisition_over_churn():
    res = loyalty.project_customer_base(acquisition=50, retention_rate=0.75)
    assert res.steady_state_customers == pytest.approx(50 / (1 - 0.75))  # 200 customers


def test_new_referred_and_returning_customers_add_up():
    t = loyalty.project_customer_base(100, 0.8, 0.1, 12, **FULL).by_period
    np.testing.assert_allclose(t["new_customers"], t["acquired"] + t["referred"])
    np.testing.assert_allclose(t["customers"], t["new_customers"] + t["returning"])
    # referrals come from last period's customers: rho * C_{t-1}
    np.testing.assert_allclose(t["referred"].iloc[1:], 0.05 * t["customers"].iloc[:-1].to_numpy())
    assert t["referred"].iloc[0] == 0


# ------------------------------------------------------------------ monetary value against crmlib.value
def test_margin_of_each_period_is_a_geometric_sum():
    A, r, m, g, T = 100.0, 0.8, 100.0, 0.05, 15
    t = loyalty.project_customer_base(A, r, 0.1, T, margin=m, margin_growth=g).by_period
    q = r * (1 + g)
    k = np.arange(1, T + 1)
    np.testing.assert_allclose(t["margin"], A * m * (1 - q**k) / (1 - q), rtol=1e-12)


def _pv_by_value_py(A, r, d, T, *, m, g=0.0, c=0.0, delta=0.0, a=0.0):
    """Sum over the cohorts of value.clv_from_retention, each cut at the horizon (timing 'start')."""
    total = 0.0
    for s in range(1, T + 1):
        left = T - s + 1
        cohort = value.clv_from_retention(m, r, d, left, margin_growth=g, timing="start")
        cohort -= value.clv_from_retention(c, r, d, left, margin_growth=-delta, timing="start")
        total += A * (cohort - a) / (1 + d) ** (s - 1)
    return total


def test_with_no_tenure_effects_the_base_is_worth_the_sum_of_clv_from_retention():
    A, r, d, T, m = 100.0, 0.8, 0.1, 20, 100.0
    res = loyalty.project_customer_base(A, r, d, T, margin=m)
    assert res.pv_monetary == pytest.approx(_pv_by_value_py(A, r, d, T, m=m), rel=1e-12)
    assert res.customer_value == pytest.approx(value.clv_from_retention(m, r, d, T, timing="start"), rel=1e-12)
    assert res.pv_non_monetary == 0


def test_with_spend_growth_and_falling_cost_the_base_still_agrees_with_value_py():
    A, r, d, T = 80.0, 0.85, 0.08, 25
    kw = dict(m=100.0, g=0.04, c=30.0, delta=0.1, a=60.0)
    res = loyalty.project_customer_base(
        A, r, d, T, margin=100.0, margin_growth=0.04, service_cost=30.0, cost_decline=0.1, acquisition_cost=60.0
    )
    assert res.pv_monetary == pytest.approx(_pv_by_value_py(A, r, d, T, **kw), rel=1e-12)
    one = value.clv_from_retention(100.0, r, d, T, margin_growth=0.04, timing="start")
    one -= value.clv_from_retention(30.0, r, d, T, margin_growth=-0.1, timing="start")
    assert res.customer_value == pytest.approx(one - 60.0, rel=1e-12)


def test_expected_lifetime_and_the_mean_tenure_of_a_stationary_base():
    res = loyalty.project_customer_base(100, 0.8, 0.1, 500)
    assert res.expected_lifetime == value.expected_lifetime(0.8) == pytest.approx(5.0)
    assert res.by_period["mean_tenure"].iloc[-1] == pytest.approx(1 / (1 - 0.8), rel=1e-9)
    # and the share of returning customers tends to r
    last = res.by_period.iloc[-1]
    assert last["returning"] / last["customers"] == pytest.approx(0.8, rel=1e-9)


# ------------------------------------------------------------------ non-monetary value
def test_non_monetary_parts_follow_their_stated_valuations():
    t = loyalty.project_customer_base(100, 0.8, 0.1, 10, **FULL).by_period
    np.testing.assert_allclose(t["referrals"], t["referred"] * 50.0)  # each saves the acquisition cost
    np.testing.assert_allclose(t["feedback"], t["customers"] * 2.0)
    for part, cost in (("search", 3.0), ("contracting", 2.0), ("monitoring", 1.0)):
        np.testing.assert_allclose(t[part], t["returning"] * cost)  # a returning customer saves them
    np.testing.assert_allclose(t["monetary"], t[list(loyalty.MONETARY_PARTS)].sum(axis=1))
    np.testing.assert_allclose(t["non_monetary"], t[list(loyalty.NON_MONETARY_PARTS)].sum(axis=1))
    np.testing.assert_allclose(t["total"], t["monetary"] + t["non_monetary"])
    np.testing.assert_allclose(t["discount_factor"], 1.1 ** -(t.index.to_numpy() - 1.0))


def test_summary_totals_match_the_table():
    res = loyalty.project_customer_base(100, 0.8, 0.1, 10, **FULL)
    s = res.summary()
    assert s["present_value"].sum() == pytest.approx(res.by_period["pv_total"].sum())
    assert s.loc["monetary", "present_value"].sum() == pytest.approx(res.pv_monetary)
    assert s.loc["non-monetary", "present_value"].sum() == pytest.approx(res.pv_non_monetary)
    assert s["share_of_pv"].sum() == pytest.approx(1.0)


# ------------------------------------------------------------------ Reichheld & Sasser: directions
def test_profit_per_customer_rises_with_tenure():
    per = loyalty.project_customer_base(100, 0.8, 0.1, 10, **FULL).by_tenure
    assert (np.diff(per["total"]) > 0).all()
    assert (np.diff(per["margin"]) > 0).all() and (np.diff(per["service_cost"]) > 0).all()  # cost falls


def test_more_retention_means_more_customers_more_value_and_an_older_base():
    lo = loyalty.project_customer_base(100, 0.7, 0.1, 20, **FULL)
    hi = loyalty.project_customer_base(100, 0.8, 0.1, 20, **FULL)
    assert (hi.by_period["customers"] > lo.by_period["customers"]).iloc[1:].all()
    assert (hi.by_period["mean_tenure"] >= lo.by_period["mean_tenure"]).all()
    assert hi.pv_monetary > lo.pv_monetary and hi.pv_non_monetary > lo.pv_non_monetary


def test_referrals_grow_the_base():
    a = loyalty.project_customer_base(100, 0.8, 0.1, 10)
    b = loyalty.project_customer_base(100, 0.8, 0.1, 10, referral_rate=0.1)
    assert (b.by_period["customers"].iloc[1:] > a.by_period["customers"].iloc[1:]).all()


# ------------------------------------------------------------------ the two effects
def test_the_two_effects_add_up_to_the_difference():
    fx = loyalty.retention_effects(0.7, 0.85, periods=15, **FULL)
    t = fx.by_period
    diff = fx.improved.by_period["total"] - fx.baseline.by_period["total"]
    np.testing.assert_allclose(t["number_effect"] + t["time_effect"], diff, rtol=1e-10, atol=1e-6)
    assert fx.number_effect + fx.time_effect == pytest.approx(
        fx.improved.by_period["pv_total"].sum() - fx.baseline.by_period["pv_total"].sum()
    )
    assert fx.number_effect > 0 and fx.time_effect > 0
    assert fx.summary().loc["difference", "share"] == pytest.approx(1.0)


def test_without_tenure_effects_the_time_effect_is_zero_and_the_number_effect_analytic():
    A, m, T = 100.0, 10.0, 12
    fx = loyalty.retention_effects(0.6, 0.8, acquisition=A, periods=T, margin=m)
    t = np.arange(1, T + 1)
    c0, c1 = A * (1 - 0.6**t) / 0.4, A * (1 - 0.8**t) / 0.2
    np.testing.assert_allclose(fx.by_period["time_effect"], 0, atol=1e-9)
    np.testing.assert_allclose(fx.by_period["number_effect"], (c1 - c0) * m, rtol=1e-12, atol=1e-9)


def test_no_change_in_retention_means_no_effect():
    fx = loyalty.retention_effects(0.8, 0.8, periods=5, **FULL)
    assert fx.number_effect == 0 and fx.time_effect == pytest.approx(0, abs=1e-9)


# ------------------------------------------------------------------ bad input
def test_bad_input_is_refused_with_the_argument_named():
    with pytest.raises(ValueError, match="retention_rate \\+ referral_rate"):
        loyalty.project_customer_base(100, 0.9, referral_rate=0.1)
    with pytest.raises(TypeError, match="margin must be a single number"):
        loyalty.project_customer_base(100, 0.8, margin=[1.0, 2.0])
    with pytest.raises(ValueError, match="periods"):
        loyalty.project_customer_base(100, 0.8, periods=501)
    with pytest.raises(ValueError, match="cost_decline"):
        loyalty.project_customer_base(100, 0.8, cost_decline=1.0)
    with pytest.raises(ValueError, match="baseline_retention_rate"):
        loyalty.retention_effects(1.2, 0.8)


def test_results_are_frozen_and_tables_are_copies():
    res = loyalty.project_customer_base(100, 0.8, 0.1, 5)
    with pytest.raises(dataclasses.FrozenInstanceError):
        res.customer_value = 0
    t = res.by_period
    t.loc[1, "customers"] = -1
    assert res.by_period.loc[1, "customers"] == 100
    with pytest.raises(TypeError):
        res.inputs["margin"] = 0
    assert "steady state=500.0" in repr(res)


# ------------------------------------------------------------------ strategies, principles, points
def _seed_text() -> str:
    path = SEEDS / "003_9add4c75ef00bf2c.txt"
    if not path.exists():
        pytest.skip("the course slides (../shared/seeds) are not on this machine")
    return path.read_text(encoding="utf-8")


def test_nine_strategies_and_ten_principles_follow_the_slides_order_and_words():
    s, p = loyalty.loyalty_strategies(), loyalty.loyalty_principles()
    assert list(s.index) == list(range(1, 10)) and list(p.index) == list(range(1, 11))
    assert list(p["principle"]) == list(loyalty.TEN_PRINCIPLES)
    for frame in (s, p):
        assert frame["case"].str.len().min() > 40 and frame["source"].str.contains("seed").all()
    text = _seed_text().replace(" ", "")
    for chinese in [*s["chinese"], *p["chinese"]]:
        assert chinese.replace(",", "").replace("、", "") in text.replace(",", "").replace("、", ""), chinese


def test_value_points_classify_parity_difference_resonance_and_gap():
    firm = pd.Series([4, 5, 5, 2], index=["quality", "service", "price", "brand"])
    rival = pd.Series([4, 3, 3, 4], index=["quality", "service", "price", "brand"])
    imp = pd.Series([5, 5, 3, 2], index=["quality", "service", "price", "brand"])
    out = loyalty.value_points(firm, rival.iloc[::-1], imp)  # aligned by index, not position
    assert out.to_dict() == {"quality": "parity", "service": "resonance", "price": "difference", "brand": "gap"}
    assert loyalty.value_points(4, 3.6, 5) == "parity"  # within the tolerance of 0.5
    assert list(loyalty.value_proposition_points()["chinese"]) == ["相似点", "差异点", "共鸣点"]
    assert "相似点" in _seed_text() and "共鸣点" in _seed_text()


def test_programme_keys_point_to_the_functions_that_compute_them():
    keys = loyalty.programme_keys()
    assert len(keys) == 2 and keys["source"].str.contains("seed 003").all()
    assert loyalty.benefit_type([2, 5]).tolist() == ["hard", "soft"]


# ------------------------------------------------------------------ satisfaction -> loyalty, only under conditions
def test_conditions_call_chapter_one_curve_and_reproduce_jones_and_sasser():
    tab = loyalty.satisfaction_conditions((0.0, 1.0), (0.0, 0.5))
    for (c, b), row in tab.iterrows():
        p = satisfaction.repurchase_probability([3, 4, 5], competitive_intensity=c, switching_barrier=b)
        np.testing.assert_allclose(row[["p(s=3)", "p(s=4)", "p(s=5)"]].to_numpy(dtype=float), p)
    assert tab.loc[(1.0, 0.0), "top_box_ratio"] == pytest.approx(6.0)  # Jones & Sasser's Xerox ratio
    # a protected market keeps the merely satisfied; competition does not
    assert tab.loc[(0.0, 0.0), "p(s=4)"] > 3 * tab.loc[(1.0, 0.0), "p(s=4)"]
    # a barrier keeps customers whatever their satisfaction
    assert tab.loc[(1.0, 0.5), "p(s=3)"] > tab.loc[(1.0, 0.0), "p(s=3)"] + 0.4
    assert math.isclose(tab.loc[(1.0, 0.5), "p(s=3)"], 0.5 + 0.5 * tab.loc[(1.0, 0.0), "p(s=3)"])


# ------------------------------------------------------------------ figures and the widget
def test_figures_draw_the_result_they_are_given():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from crmlib.plotting import loyalty as plots

    res = loyalty.project_customer_base(100, 0.8, 0.1, 8, **FULL)
    fx = loyalty.retention_effects(0.7, 0.8, periods=8, **FULL)
    fig, axs = plt.subplots(1, 3)
    assert plots.plot_customer_base(res, ax=axs[0]) is axs[0]
    heights = [p.get_height() for p in axs[0].patches]
    np.testing.assert_allclose(heights[:8], res.by_period["returning"])
    assert plots.plot_value_by_tenure(res, ax=axs[1]) is axs[1]
    np.testing.assert_allclose(axs[1].lines[0].get_ydata(), res.by_tenure["total"])
    assert plots.plot_retention_effects(fx, ax=axs[2]) is axs[2]
    assert f"{fx.number_effect:,.0f}" in axs[2].get_title()
    with pytest.raises(TypeError, match="result must be a crmlib.loyalty.CustomerBaseResult"):
        plots.plot_customer_base(res.by_period)
    with pytest.raises(TypeError, match="effects must be"):
        plots.plot_retention_effects(res)
    plt.close(fig)


def test_the_value_widget_evaluates_retention_effects_once_per_event():
    pytest.importorskip("ipywidgets")
    from crmlib.widgets import loyalty as widgets
    from crmlib.widgets import readout_text

    w = widgets.explore_loyalty_value()
    kw = dict(widgets.VALUE_DEFAULTS, referral_rate=0.05, margin_growth=0.05)
    expected = loyalty.retention_effects(0.7, 0.8, **kw)
    assert w.result.number_effect == pytest.approx(expected.number_effect)
    assert f"{expected.time_effect:,.0f}" in readout_text(w)
    w.sliders["retention_rate"].value = 0.85
    moved = loyalty.retention_effects(0.7, 0.85, **kw)
    assert w.result.time_effect == pytest.approx(moved.time_effect)
    assert f"{moved.number_effect:,.0f}" in readout_text(w) and "85%" in readout_text(w)
    with pytest.raises(ValueError, match="baseline_retention_rate"):
        widgets.explore_loyalty_value(baseline_retention_rate=1.0)
