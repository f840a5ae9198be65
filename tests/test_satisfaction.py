"""Tests of crmlib.satisfaction (chapter 1), its figures and its widgets.

Outside references used here (each test says which):
* Jones & Sasser (1995, HBR 73(6)): the Xerox top-box multiple of about 6;
* statsmodels as a peer library: Wilson intervals (``proportion_confint``), GLM binomial fits;
* analytic identities: the Katz log interval of a risk ratio written out by hand, the geometric
  series behind the customer value, the mean of a geometric lifetime, the multinomial variance
  of a difference of proportions, the saturated logit's standard error 1/sqrt(n p (1-p));
* Reichheld & Sasser (1990, HBR 68(5)): 25-85% more profit from 5 points less defection.
* the course slides (``../shared/seeds``, skipped when absent): the chapter's Chinese key terms
  and the case of 小柯, the customer who thanks the waitress and never comes back.
"""

from __future__ import annotations

import dataclasses
import json
import math
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crmlib import glossary, value
from crmlib import satisfaction as sat

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT.parent / "shared" / "seeds"

# ---------------------------------------------------------------------------------- curves


def test_xerox_top_box_multiple_is_six_without_barriers():
    # Jones & Sasser (1995): totally satisfied Xerox customers were six times as likely to
    # repurchase as merely satisfied ones; the model is calibrated to that at c = 1, b = 0.
    for pmax, pmin in [(0.75, 0.05), (0.9, 0.0), (0.6, 0.02)]:
        p4, p5 = sat.repurchase_probability([4, 5], 1.0, 0.0, pmax, pmin)
        assert p5 / p4 == pytest.approx(6.0, rel=1e-12)
        assert p5 == pytest.approx(pmax)


def test_protected_market_keeps_dissatisfied_customers():
    # Jones & Sasser's non-competitive markets: loyalty high even at low satisfaction
    mono = sat.repurchase_probability(np.array([2.0, 3.0]), competitive_intensity=0.0, switching_barrier=0.5)
    comp = sat.repurchase_probability(np.array([2.0, 3.0]), competitive_intensity=1.0)
    assert (mono > 0.6).all() and (comp < 0.1).all()


@settings(max_examples=150, deadline=None)
@given(
    c=st.floats(0, 1),
    b=st.floats(0, 0.99),
    pmax=st.floats(0.2, 1.0),
    s=st.lists(st.floats(1, 5), min_size=2, max_size=20),
)
def test_repurchase_probability_is_a_probability_and_monotone(c, b, pmax, s):
    s = np.sort(np.asarray(s))
    p = sat.repurchase_probability(s, c, b, pmax, pmax / 10)
    assert ((p >= 0) & (p <= 1)).all()
    assert (np.diff(p) >= -1e-12).all()  # more satisfied -> not less loyal
    q = sat.repurchase_probability(s, c, min(b + 0.005, 0.999), pmax, pmax / 10)
    assert (q >= p - 1e-12).all()  # higher barrier -> not less loyal


@settings(max_examples=60, deadline=None)
@given(c1=st.floats(0, 1), c2=st.floats(0, 1))
def test_more_competition_lowers_loyalty_below_the_top_box(c1, c2):
    lo, hi = sorted((c1, c2))
    s = np.array([2.0, 3.0, 4.0])
    assert (sat.repurchase_probability(s, hi) <= sat.repurchase_probability(s, lo) + 1e-12).all()
    assert sat.repurchase_probability(5.0, hi) == pytest.approx(sat.repurchase_probability(5.0, lo))


def test_simulated_rates_follow_the_generative_model():
    sc = sat.market_scenario(n_respondents=60000)
    df = sat.simulate_survey(sc, rng=np.random.default_rng(4))
    by = sat.repurchase_by_level(df)
    p = sat.repurchase_probability(
        np.arange(1, 6), sc.competitive_intensity, sc.switching_barrier, sc.max_repurchase, sc.min_repurchase
    )
    assert np.allclose(by["rate"], p, atol=0.03)
    assert np.allclose(by["n"] / len(df), sc.satisfaction_shares, atol=0.01)
    assert (by["lower"] <= p).all() or np.mean((by["lower"] <= p) & (p <= by["upper"])) >= 0.6
    again = sat.simulate_survey(sc, rng=np.random.default_rng(4))
    pd.testing.assert_frame_equal(df, again)
    assert set(df["recommend"].unique()) <= set(range(11))


# ---------------------------------------------------------------------------- survey stats
@pytest.fixture(scope="module")
def survey():
    return sat.simulate_survey(sat.market_scenario(n_respondents=10000), rng=np.random.default_rng(2026))


def test_wilson_intervals_match_statsmodels(survey):
    from statsmodels.stats.proportion import proportion_confint

    by = sat.repurchase_by_level(survey, level=0.9)
    for _lv, row in by.iterrows():
        lo, hi = proportion_confint(row["repurchased"], row["n"], alpha=0.1, method="wilson")
        assert (row["lower"], row["upper"]) == pytest.approx((lo, hi), abs=1e-12)


def test_top_box_multiple_is_the_katz_log_interval(survey):
    # Katz et al. (1978): exp(log RR +- z sqrt(1/y5 - 1/n5 + 1/y4 - 1/n4)), written out by hand
    res = sat.top_box_multiple(survey, level=0.9)
    s, y = survey["satisfaction"], survey["repurchase"]
    y5, n5 = y[s == 5].sum(), (s == 5).sum()
    y4, n4 = y[s == 4].sum(), (s == 4).sum()
    rr = (y5 / n5) / (y4 / n4)
    half = 1.6448536269514722 * math.sqrt(1 / y5 - 1 / n5 + 1 / y4 - 1 / n4)
    assert res.multiple == pytest.approx(rr, rel=1e-12)
    assert (res.lower, res.upper) == pytest.approx((rr * math.exp(-half), rr * math.exp(half)), rel=1e-9)
    assert (res.rate_top, res.rate_below, res.level) == pytest.approx((y5 / n5, y4 / n4, 0.9))
    assert "TopBoxResult(multiple=" in repr(res) and "90% CI" in repr(res)


def test_categorical_curve_is_the_observed_rates_with_logit_intervals(survey):
    cat = sat.satisfaction_loyalty_curve(survey, "categorical")
    by = sat.repurchase_by_level(survey)
    assert np.allclose(cat["probability"], by["rate"])
    # saturated logit: se(logit p) = 1 / sqrt(n p (1 - p)) (analytic)
    p, n = by["rate"].to_numpy(), by["n"].to_numpy()
    se = 1 / np.sqrt(n * p * (1 - p))
    logit = np.log(p / (1 - p))
    expit = lambda t: 1 / (1 + np.exp(-t))
    assert np.allclose(cat["lower"], expit(logit - 1.959963984540054 * se), atol=1e-6)
    assert np.allclose(cat["upper"], expit(logit + 1.959963984540054 * se), atol=1e-6)


def test_smooth_and_lowess_curves(survey):
    smooth = sat.satisfaction_loyalty_curve(survey, "smooth")
    assert smooth.index.min() == 1 and smooth.index.max() == 5 and len(smooth) == 41
    assert ((smooth["lower"] <= smooth["probability"]) & (smooth["probability"] <= smooth["upper"])).all()
    assert smooth["probability"].iloc[-1] > smooth.loc[4.0, "probability"] > smooth.loc[2.0, "probability"] - 0.05
    lw1 = sat.lowess_loyalty_curve(survey, rng=np.random.default_rng(1), bootstrap=30)
    lw2 = sat.lowess_loyalty_curve(survey, rng=np.random.default_rng(1), bootstrap=30)
    pd.testing.assert_frame_equal(lw1, lw2)
    assert ((lw1 >= 0) & (lw1 <= 1)).all().all()
    assert list(lw1.index) == [1.0, 2.0, 3.0, 4.0, 5.0]
    assert lw1["probability"].iloc[-1] > lw1["probability"].iloc[0]
    # LOWESS draws random numbers, so it has its own function with a required rng
    with pytest.raises(ValueError, match="lowess_loyalty_curve"):
        sat.satisfaction_loyalty_curve(survey, "lowess")
    with pytest.raises(TypeError, match="missing 1 required keyword-only argument: 'rng'"):
        sat.lowess_loyalty_curve(survey)


def test_smooth_curve_intervals_are_the_delta_method_on_the_logit_scale(survey):
    # analytic: se(eta) = sqrt(x' V x) for the quadratic logit, interval expit(eta +- z se)
    import statsmodels.api as sm

    s = survey["satisfaction"].to_numpy(float)
    X = np.column_stack([np.ones_like(s), s - 3, (s - 3) ** 2])
    fit = sm.GLM(survey["repurchase"].to_numpy(), X, family=sm.families.Binomial()).fit()
    curve = sat.satisfaction_loyalty_curve(survey, "smooth", level=0.9)
    x = curve.index.to_numpy(float)
    G = np.column_stack([np.ones_like(x), x - 3, (x - 3) ** 2])
    eta, se = G @ fit.params, np.sqrt(np.einsum("ij,jk,ik->i", G, fit.cov_params(), G))
    expit = lambda t: 1 / (1 + np.exp(-t))
    assert np.allclose(curve["lower"], expit(eta - 1.6448536269514722 * se), atol=1e-10)
    assert np.allclose(curve["upper"], expit(eta + 1.6448536269514722 * se), atol=1e-10)


# ---------------------------------------------------------------------- zones and typology
def test_zones_use_the_cutoffs_given():
    assert list(sat.satisfaction_zone([1, 2, 3, 4, 5], defection_max=1, affection_min=4)) == [
        "defection",
        "indifference",
        "indifference",
        "affection",
        "affection",
    ]
    assert sat.satisfaction_zone(3) == "indifference"
    with pytest.raises(ValueError, match="defection_max must be below affection_min"):
        sat.satisfaction_zone([1, 2], defection_max=4, affection_min=3)


def test_typology_shares_and_expected_typology_agree():
    sc = sat.market_scenario(n_respondents=80000)
    df = sat.simulate_survey(sc, rng=np.random.default_rng(9))
    types = sat.jones_sasser_typology(df["satisfaction"], df["repurchase"])
    assert types.index.equals(df.index) and set(types) <= set(sat.TYPES)
    observed = sat.typology_shares(types)
    expected = sat.expected_typology(sc)
    assert list(observed.index) == list(sat.TYPES)
    assert observed.sum() == pytest.approx(1) and expected.sum() == pytest.approx(1)
    assert np.allclose(observed, expected, atol=0.01)
    # the intention column gives the same split with loyalty_cutoff = 4 (by construction)
    by_intention = sat.jones_sasser_typology(df["satisfaction"], df["loyalty_intention"], loyalty_cutoff=4)
    assert (by_intention == types).all()


def test_typology_pairs_customers_by_index_not_by_position():
    # issue 20: two Series are aligned by customer; a shuffled copy gives the same type per customer
    satisfaction = pd.Series([5, 5, 2, 1], index=["ann", "bo", "cy", "di"])
    loyalty = pd.Series([0, 1, 0, 1], index=["di", "cy", "bo", "ann"])  # ann 1, bo 0, cy 1, di 0
    types = sat.jones_sasser_typology(satisfaction, loyalty)
    assert types.to_dict() == {
        "ann": "loyalist/apostle",
        "bo": "mercenary",
        "cy": "hostage",
        "di": "defector/terrorist",
    }
    with pytest.raises(ValueError, match="same index"):
        sat.jones_sasser_typology(satisfaction, loyalty.set_axis(["ann", "bo", "cy", "ed"]))
    with pytest.raises(TypeError, match="aligned by index"):
        sat.jones_sasser_typology(satisfaction, [1, 0, 1, 0])
    with pytest.raises(ValueError, match="same length"):
        sat.jones_sasser_typology([5, 4], [1, 0, 1])
    assert sat.jones_sasser_typology(5, 0) == "mercenary"
    shares = sat.typology_shares(types)
    assert shares.tolist() == [0.25, 0.25, 0.25, 0.25]
    with pytest.raises(ValueError, match="types must be labels from TYPES"):
        sat.typology_shares(["loyal"])


def test_series_keep_their_index():
    s = pd.Series([1, 3, 5], index=["x", "y", "z"])
    p = sat.repurchase_probability(s, competitive_intensity=1.0)
    assert list(p.index) == ["x", "y", "z"] and p["z"] == pytest.approx(0.75)
    assert sat.satisfaction_zone(s).to_dict() == {"x": "defection", "y": "indifference", "z": "affection"}


@settings(max_examples=60, deadline=None)
@given(c=st.floats(0, 1), b=st.floats(0, 0.9))
def test_expected_typology_is_a_distribution(c, b):
    t = sat.expected_typology(sat.market_scenario(competitive_intensity=c, switching_barrier=b))
    assert ((t >= 0) & (t <= 1)).all() and t.sum() == pytest.approx(1)


def test_barriers_turn_defectors_into_hostages():
    free = sat.expected_typology(sat.market_scenario(switching_barrier=0.0))
    locked = sat.expected_typology(sat.market_scenario(switching_barrier=0.6))
    assert locked["hostage"] > free["hostage"] and locked["defector/terrorist"] < free["defector/terrorist"]


# -------------------------------------------------------------------------------------- NPS
def test_nps_by_hand_and_multinomial_variance():
    scores = np.array([10] * 30 + [9] * 20 + [8] * 25 + [6] * 15 + [2] * 10)
    r = sat.net_promoter_score(scores)
    assert r.nps == pytest.approx(100 * (0.5 - 0.25))
    coded = np.where(scores >= 9, 1.0, np.where(scores <= 6, -1.0, 0.0))  # +1 / 0 / -1 per person
    se = math.sqrt(coded.var() / len(scores))  # analytic variance identity
    assert (r.upper - r.lower) / 2 == pytest.approx(100 * 1.959963984540054 * se)
    assert r.passives == pytest.approx(0.25)
    assert "NPSResult(nps=25.0" in repr(r)


def test_nps_interval_covers_in_simulation():
    # coverage of the 95% interval over repeated multinomial samples (should be near 0.95)
    rng = np.random.default_rng(3)
    probs = np.array([0.05] * 7 + [0.1, 0.15, 0.2, 0.3])
    probs = probs / probs.sum()
    true = 100 * (probs[9:].sum() - probs[:7].sum())
    hits = 0
    for _ in range(400):
        r = sat.net_promoter_score(rng.choice(11, size=300, p=probs))
        hits += r.lower <= true <= r.upper
    assert 0.91 <= hits / 400 <= 0.98


# ----------------------------------------------------------------------- retention lever
def test_customer_value_is_the_geometric_series():
    # the chapter's customer value is crmlib.value's (one home): check it against the series itself
    m, r, d, g = 100.0, 0.85, 0.08, 0.03
    t = np.arange(1, 2000)
    brute = np.sum(m * (1 + g) ** (t - 1) * r**t / (1 + d) ** t) - 40
    out = sat.evaluate_retention_lever(sat.retention_scenario(m, r, d, g, 40))
    assert out.value_before == pytest.approx(brute)
    brute_after = np.sum(m * (1 + g) ** (t - 1) * (r + 0.05) ** t / (1 + d) ** t) - 40
    assert out.value_after == pytest.approx(brute_after)
    assert out.lift == pytest.approx(brute_after / brute - 1)


def test_lever_outcome_is_crmlib_value():
    out = sat.evaluate_retention_lever()
    assert (out.value_before, out.value_after) == pytest.approx((800 / 3, 340.0))
    assert out.lift == pytest.approx(value.retention_lift(0.80, 0.10), rel=1e-12)
    assert out.lift == pytest.approx(0.275)
    assert (out.lifetime_before, out.lifetime_after) == pytest.approx((5.0, 1 / 0.15))
    with pytest.raises(ValueError, match="must be positive for a relative lift"):
        sat.evaluate_retention_lever(sat.retention_scenario(margin=10, acquisition_cost=300))
    with pytest.raises(ValueError, match="must be below 1 \\+ discount_rate"):
        sat.evaluate_retention_lever(sat.retention_scenario(retention_rate=0.9, discount_rate=0.0, margin_growth=0.1))


def test_scenarios_are_validated_records_changed_with_replace():
    sc = sat.retention_scenario()
    assert sc == sat.RetentionScenario() and sc.retention_rate == 0.8
    assert dataclasses.replace(sc, retention_rate=0.9).retention_rate == 0.9
    with pytest.raises(ValueError, match="retention_rate \\+ retention_gain must stay below 1"):
        dataclasses.replace(sc, retention_rate=0.97)
    with pytest.raises(ValueError, match="margin must be at most 1e\\+15"):
        dataclasses.replace(sc, margin=1e308)
    with pytest.raises(dataclasses.FrozenInstanceError):
        sc.margin = 1.0
    m = sat.market_scenario()
    assert m == sat.MarketScenario()
    with pytest.raises(ValueError, match=r"switching_barrier must be in \[0, 1\); got 1.0"):
        dataclasses.replace(m, switching_barrier=1.0)
    with pytest.raises(ValueError, match="n_respondents must be in"):
        dataclasses.replace(m, n_respondents=10**9)
    assert sat.shift_satisfaction(m, 3, 4, 0.05).satisfaction_shares[3] == pytest.approx(0.56)


@pytest.mark.parametrize("target", [0.25, 0.35, 0.60, 1.00])
def test_retention_for_lift_round_trip(target):
    r = value.retention_for_lift(target, discount_rate=0.05)
    assert value.retention_lift(r, 0.05) == pytest.approx(target, rel=1e-8)


def test_reichheld_sasser_range_is_reachable():
    # Reichheld & Sasser (1990): 5 points less defection raised profits 25% to 85% by industry
    low = value.retention_lift(0.70, 0.05)
    high = value.retention_lift(0.90, 0.05, margin_growth=0.03)
    assert low == pytest.approx(0.25, abs=0.03) and 0.80 <= high
    with pytest.raises(ValueError, match="no retention rate in .* gives target_lift=1"):
        value.retention_for_lift(1.0, discount_rate=0.10)


def test_empty_cells_of_the_lift_table_are_the_targets_above_the_cap():
    # Analytic identity: with constant margins five more points of retention raise V by less than
    # V(1) / V(1 - dr) - 1 = (d + dr) / (d (1 - dr)) - 1; the chapter explains the NaN cells this way.
    targets, rates, gain = (0.25, 0.35, 0.60, 1.00), (0.05, 0.10, 0.15), 0.05
    table = value.retention_lift_table(targets, rates)
    for d in rates:
        cap = (d + gain) / (d * (1 - gain)) - 1
        assert value.retention_lift(1 - gain - 1e-9, d) == pytest.approx(cap, rel=1e-6)
        for target in targets:
            assert bool(np.isnan(table.loc[f"{target:.0%}", f"{d:.0%}"])) == (target >= cap)
    assert int(table.isna().sum().sum()) == 4


def test_expected_lifetime_is_geometric_mean():
    # 25% churn a year -> 4 years; check against the mean of simulated geometric lifetimes
    assert value.expected_lifetime(0.75) == 4.0
    draws = np.random.default_rng(0).geometric(0.25, size=200000)
    assert draws.mean() == pytest.approx(4.0, rel=0.01)


def test_the_value_maths_has_one_home():
    # issue 13: no chapter copy of the retention arithmetic or of the Wilson interval
    for name in (
        "customer_value",
        "retention_lift",
        "retention_for_lift",
        "retention_lift_table",
        "expected_lifetime",
        "_wilson",
        "plot_satisfaction_loyalty",
        "plot_typology",
        "plot_retention_lever",
    ):
        assert not hasattr(sat, name), name


# ------------------------------------------------------------------- the course's own words
def _slides() -> str:
    files = sorted(SEEDS.glob("*.txt")) if SEEDS.is_dir() else []
    if not files:
        pytest.skip("course slides not found at ../shared/seeds (they sit beside the repository on lab machines)")
    return re.sub(r"\s+", "", "".join(p.read_text(encoding="utf-8") for p in files))


def test_chapter_1_terms_are_the_slides_words_or_say_they_are_not():
    # The slides are the source of the suite's Chinese key terms; a term they lack must say so.
    slides = _slides()
    for term in glossary.terms(1):
        if term.english.startswith("new 4P") or "added by the suite" in term.definition:
            continue
        parts = [p for p in re.split(r"\s*/\s*", term.chinese) if p]
        missing = [p for p in parts if p not in slides]
        assert not missing, f"{term.english}: {missing} is not in the slides and not marked as added by the suite"
    four_p = next(t for t in glossary.terms(1) if t.english.startswith("new 4P"))
    assert four_p.chinese == "新4P：产品、流程、表现、人" and "people" in four_p.definition
    assert all(w in slides for w in ("产品(Product)", "流程(Process)", "表现(Presentation)", "人(Person)"))
    levels = next(t for t in glossary.terms(1) if t.english.startswith("concept / behaviour"))
    assert all(
        w in levels.chinese and w in slides for w in ("办展理念", "展会营销", "外在视觉形象", "展会实物", "展会服务")
    )


def test_little_ke_is_the_customer_in_the_chapter_and_its_exercises():
    # Seed 003: 小柯 orders the fried rice, tells the waitress "yes, thank you" and never returns.
    assert "小柯" in _slides()
    for rel in ("notebooks/01_satisfaction_trap.ipynb", "exercises/solutions/01_satisfaction_trap.ipynb"):
        cells = json.loads((ROOT / rel).read_text(encoding="utf-8"))["cells"]
        text = "\n".join("".join(c["source"]) for c in cells)
        assert "小柯" in text, rel
        assert not re.search(r"Ke's (customer|stall|restaurant)|fried-rice stall", text), rel


# ------------------------------------------------------------------------------ ECSI data
def test_simulated_ecsi_survey_is_on_the_scale_and_structured():
    df = sat.simulate_ecsi_survey(n_respondents=2000, rng=np.random.default_rng(1))
    assert list(df.columns) == [c for cols in sat.ECSI_BLOCKS.values() for c in cols]
    assert df.min().min() >= 1 and df.max().max() <= 10
    assert df["sat1"].corr(df["sat2"]) > 0.4 and abs(df["imag1"].corr(df["loy1"])) < df["sat1"].corr(df["sat2"])
    with pytest.raises(ValueError, match="explain .* of its variance"):
        sat.simulate_ecsi_survey(
            100, rng=np.random.default_rng(1), path_coefficients={("VAL", "SAT"): 0.9, ("IMAG", "SAT"): 0.9}
        )
    with pytest.raises(ValueError, match="is not a path of ECSI_PATHS"):
        sat.simulate_ecsi_survey(100, rng=np.random.default_rng(1), path_coefficients={("LOY", "SAT"): 0.1})
    with pytest.raises(TypeError, match="missing 1 required keyword-only argument: 'rng'"):
        sat.simulate_ecsi_survey(100)


# ------------------------------------------------------------------------------- bad input
def test_wrong_scale_values_are_named():
    df = pd.DataFrame({"satisfaction": [1, 2, 6], "repurchase": [0, 1, 1]})
    with pytest.raises(ValueError, match=r"data\['satisfaction'\] must hold satisfaction levels 1-5.*got 6"):
        sat.repurchase_by_level(df)
    df = pd.DataFrame({"satisfaction": [1, 2, 3.5], "repurchase": [0, 1, 1]})
    with pytest.raises(ValueError, match=r"satisfaction levels 1-5 \(whole numbers\); got 3.5"):
        sat.top_box_multiple(df)
    df = pd.DataFrame({"satisfaction": [1, 2, 3], "repurchase": [0, 2, 1]})
    with pytest.raises(ValueError, match=r"data\['repurchase'\] must be 0/1"):
        sat.satisfaction_loyalty_curve(df)
    with pytest.raises(ValueError, match="data must have at least one respondent"):
        sat.repurchase_by_level(df.iloc[:0])
    with pytest.raises(ValueError, match="scores must be whole numbers from 0 to 10; got 11"):
        sat.net_promoter_score([10, 11])
    with pytest.raises(ValueError, match=r"satisfaction must be in \[1, 5\]; got 0"):
        sat.repurchase_probability(0)


def test_missing_columns_are_named():
    df = pd.DataFrame({"sat": [1, 2], "repurchase": [0, 1]})
    with pytest.raises(ValueError, match=r"data is missing column\(s\) \['satisfaction'\]"):
        sat.repurchase_by_level(df)
    with pytest.raises(ValueError, match=r"missing column\(s\) \['bought'\]"):
        sat.top_box_multiple(df.rename(columns={"sat": "satisfaction"}), repurchase="bought")


def test_scenario_arguments_are_checked():
    with pytest.raises(ValueError, match=r"competitive_intensity must be in \[0, 1\]; got 1.5"):
        sat.market_scenario(competitive_intensity=1.5)
    with pytest.raises(ValueError, match="satisfaction_shares must sum to 1"):
        sat.market_scenario(satisfaction_shares=(0.2, 0.2, 0.2, 0.2, 0.1))
    with pytest.raises(ValueError, match="min_repurchase must be below max_repurchase / 6"):
        sat.market_scenario(min_repurchase=0.3)
    with pytest.raises(TypeError, match="rng must be a numpy.random.Generator"):
        sat.simulate_survey(rng=None)
    with pytest.raises(ValueError, match=r"retention_rate must be in \[0, 1\); got 1.0"):
        sat.retention_scenario(retention_rate=1.0)
    with pytest.raises(ValueError, match="retention_rate \\+ retention_gain must stay below 1"):
        sat.retention_scenario(retention_rate=0.97)
    with pytest.raises(ValueError, match="level must be in \\(0, 1\\)"):
        sat.repurchase_by_level(pd.DataFrame({"satisfaction": [1, 5], "repurchase": [0, 1]}), level=1.5)
    with pytest.raises(ValueError, match="method must be one of"):
        sat.satisfaction_loyalty_curve(pd.DataFrame({"satisfaction": [1, 5], "repurchase": [0, 1]}), "spline")
    with pytest.raises(ValueError, match="data must contain repurchasers at both levels 4 and 5"):
        sat.top_box_multiple(pd.DataFrame({"satisfaction": [4, 4, 5], "repurchase": [0, 0, 1]}))


# -------------------------------------------------------------------------------- figures
@pytest.fixture()
def agg():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    yield plt
    plt.close("all")


def test_satisfaction_loyalty_figure_draws_the_model_curve_and_the_data(agg, survey):
    from crmlib.plotting.satisfaction import plot_satisfaction_loyalty

    market = sat.market_scenario(competitive_intensity=1.0)
    by_level = sat.repurchase_by_level(survey)
    smooth = sat.satisfaction_loyalty_curve(survey, "smooth")
    ax = plot_satisfaction_loyalty(market, labels=["competitive"], survey=by_level, estimates={"smooth": smooth})
    curve, dots, est = ax.lines[0], ax.lines[1], ax.lines[-1]
    x, y = curve.get_data()
    assert x[0] == 1 and x[-1] == 5 and np.allclose(y, sat.repurchase_probability(x, competitive_intensity=1.0))
    assert np.allclose(dots.get_ydata(), [0.05, 0.05, 0.0532, 0.125, 0.75], atol=5e-5)  # Xerox: 0.75 / 0.125 = 6
    assert np.allclose(est.get_ydata(), smooth["probability"])
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert sorted(legend) == ["competitive", "smooth estimate", "survey rate (95% CI)"]
    bars = ax.containers[0]  # the survey's error bars
    assert np.allclose(bars.lines[0].get_ydata(), by_level["rate"])
    assert [t.get_text() for t in ax.texts] == ["defection 背离", "indifference 无所谓", "affection 喜爱"]
    assert ax.get_ylim() == (0, 1.0) and "satisfaction" in ax.get_xlabel()
    # an evaluated outcome draws the same dots; a drawing on a given axis returns that axis
    fig, given = agg.subplots()
    assert plot_satisfaction_loyalty([sat.evaluate_market(market)], ax=given, zones=None) is given
    assert np.allclose(given.lines[1].get_ydata(), dots.get_ydata()) and len(given.texts) == 0
    with pytest.raises(ValueError, match="labels must give one label per scenario"):
        plot_satisfaction_loyalty([market], labels=["a", "b"])


def test_typology_figure_bars_are_the_shares(agg):
    from crmlib.plotting.satisfaction import plot_typology

    shares = sat.expected_typology(sat.market_scenario(switching_barrier=0.6))
    ax = plot_typology(shares, title="types")
    heights = [p.get_height() for p in ax.patches]
    assert np.allclose(heights, shares.to_numpy())
    assert [t.get_text() for t in ax.texts] == [f"{s:.0%}" for s in shares]
    assert ax.get_xticklabels()[2].get_text().startswith("hostage") and ax.get_title() == "types"
    partial = plot_typology(pd.Series({"hostage": 1.0}))  # missing types are drawn as 0
    assert [p.get_height() for p in partial.patches] == [0.0, 0.0, 1.0, 0.0]


def test_retention_lever_figure_draws_crmlib_value_lift(agg):
    from crmlib.plotting.satisfaction import plot_retention_lever

    ax = plot_retention_lever(sat.retention_scenario())
    r, lift = ax.lines[0].get_data()
    assert r[0] == pytest.approx(0.30) and r[-1] < 0.95
    assert np.allclose(lift, 100 * value.retention_lift(r, 0.10))
    assert [round(line.get_ydata()[0]) for line in ax.lines[1:5]] == [25, 35, 60, 100]  # the quoted lifts
    marker = ax.lines[-1]
    assert marker.get_xdata()[0] == 0.8 and marker.get_ydata()[0] == pytest.approx(27.5)
    assert "r = 0.80: +27.5%" in [t.get_text() for t in ax.get_legend().get_texts()]


# -------------------------------------------------------------------------------- widgets
# The timing of a slider move is a benchmark now: benchmarks/widget_timing.py (run on demand).
def test_trap_widget_follows_the_pure_functions():
    pytest.importorskip("ipywidgets")
    import matplotlib

    matplotlib.use("Agg")
    from crmlib.widgets import satisfaction as ws

    w = ws.explore_satisfaction_trap()
    first = next(iter(w.sliders))
    assert first == "competitive_intensity"
    assert w.sliders[first].value == sat.market_scenario().competitive_intensity
    assert w.readout.value == ws.trap_readout(sat.evaluate_market(sat.market_scenario()))
    w.sliders["competitive_intensity"].value = 1.0
    assert w.result.scenario == sat.market_scenario(competitive_intensity=1.0)
    assert w.readout.value == ws.trap_readout(sat.evaluate_market(sat.market_scenario(competitive_intensity=1.0)))
    assert "p(5)/p(4) = 6.00" in w.readout.value  # Jones & Sasser's Xerox multiple
    w.sliders["switching_barrier"].value = 0.5
    share = sat.expected_typology(sat.market_scenario(competitive_intensity=1.0, switching_barrier=0.5))["hostage"]
    assert f"hostage {share:.1%}" in w.readout.value


def test_widgets_evaluate_the_model_once_per_move(monkeypatch):
    pytest.importorskip("ipywidgets")
    import matplotlib

    matplotlib.use("Agg")
    from crmlib.widgets import satisfaction as ws

    calls = []
    for name in ("evaluate_market", "evaluate_retention_lever"):
        original = getattr(sat, name)
        monkeypatch.setattr(sat, name, lambda *a, _f=original, _n=name, **k: calls.append(_n) or _f(*a, **k))
    w = ws.explore_satisfaction_trap()
    lever = ws.explore_retention_lever()
    calls.clear()
    w.sliders["switching_barrier"].value = 0.3
    lever.sliders["discount_rate"].value = 0.05
    assert calls == ["evaluate_market", "evaluate_retention_lever"]


def test_retention_widget_follows_the_pure_functions():
    pytest.importorskip("ipywidgets")
    import matplotlib

    matplotlib.use("Agg")
    from crmlib.widgets import satisfaction as ws

    w = ws.explore_retention_lever()
    assert "+27.5%" in w.readout.value  # r = 0.80, d = 0.10
    assert w.readout.value == ws.lever_readout(sat.evaluate_retention_lever())
    w.sliders["retention_rate"].value = 0.95 - 0.05
    w.sliders["discount_rate"].value = 0.05
    lift = value.retention_lift(0.90, 0.05)
    assert f"{lift:+.1%}" in w.readout.value and w.result.lift == pytest.approx(lift)
    w.sliders["acquisition_cost"].value = 300
    w.sliders["margin"].value = 10
    assert "not defined" in w.readout.value and w.result is None
