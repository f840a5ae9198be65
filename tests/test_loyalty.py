"""Tests of crmlib.loyalty (chapter 2) and crmlib.widgets.loyalty.

Outside references used here:
* Cronbach's alpha: the peer library pingouin 0.5/0.7 (``pingouin.cronbach_alpha``, run in a
  throwaway venv in /tmp, not a project dependency) on the ECSI ``satisfaction`` and ``mobi``
  survey data (tests-only data in ../shared/data/ecsi), and the closed form for k items with
  equal variances and equal correlations r: alpha = k r / (1 + (k - 1) r)
  (Cronbach 1951; the Spearman-Brown form, Lord & Novick 1968, sec. 6.5).
* Indices: values computed by hand from the formulas in the docstrings (shown in comments).
* Behavioural measures: hand-built logs with known answers, and CDNOW counts checked against
  the data description (2,357 customers in the sample; Fader, Hardie & Lee 2005).
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from crmlib import datasets, loyalty as L

ECSI = Path(__file__).resolve().parents[2] / "shared" / "data" / "ecsi"


# ----------------------------------------------------------------------------- classifiers
class TestDickBasu:
    def test_four_cells(self):
        assert L.dick_basu(0.9, 0.9) == "loyalty"
        assert L.dick_basu(0.9, 0.1) == "latent loyalty"
        assert L.dick_basu(0.1, 0.9) == "spurious loyalty"
        assert L.dick_basu(0.1, 0.1) == "no loyalty"

    def test_boundary_counts_as_high(self):
        # documented: a value exactly at the cut-off is "high"
        assert L.dick_basu(0.5, 0.5) == "loyalty"
        assert L.dick_basu(0.4999, 0.5) == "spurious loyalty"
        assert L.dick_basu(0.5, 0.4999) == "latent loyalty"
        assert L.dick_basu(0.7, 0.3, attitude_cutoff=0.7, patronage_cutoff=0.3) == "loyalty"
        assert L.dick_basu(0.0, 0.0, attitude_cutoff=0.0, patronage_cutoff=0.0) == "loyalty"
        assert L.dick_basu(1.0, 1.0, attitude_cutoff=1.0, patronage_cutoff=1.0) == "loyalty"

    def test_vectorised_types(self):
        out = L.dick_basu(np.array([0.9, 0.2]), np.array([0.1, 0.2]))
        assert isinstance(out, np.ndarray) and out.tolist() == ["latent loyalty", "no loyalty"]
        s = L.dick_basu(pd.Series([0.9, 0.2], index=["x", "y"]), pd.Series([0.9, 0.9], index=["x", "y"]))
        assert isinstance(s, pd.Series) and list(s.index) == ["x", "y"]
        assert s.tolist() == ["loyalty", "spurious loyalty"]
        assert isinstance(L.dick_basu(0.2, 0.2), str)
        # scalar broadcast against an array
        assert L.dick_basu(0.9, [0.1, 0.9]).tolist() == ["latent loyalty", "loyalty"]

    @pytest.mark.parametrize("kw, name", [
        (dict(relative_attitude=1.2, repeat_patronage=0.5), "relative_attitude"),
        (dict(relative_attitude=0.5, repeat_patronage=-0.1), "repeat_patronage"),
        (dict(relative_attitude=0.5, repeat_patronage=0.5, attitude_cutoff=2), "attitude_cutoff"),
        (dict(relative_attitude=np.nan, repeat_patronage=0.5), "relative_attitude"),
    ])
    def test_bad_input(self, kw, name):
        with pytest.raises(ValueError, match=name):
            L.dick_basu(**kw)

    def test_shape_mismatch(self):
        with pytest.raises(ValueError, match="same shape"):
            L.dick_basu([0.1, 0.2], [0.1, 0.2, 0.3])

    def test_text_input(self):
        with pytest.raises(TypeError, match="relative_attitude"):
            L.dick_basu("high", 0.5)


def test_griffin_cells_and_boundary():
    assert L.griffin([0.5, 0.5, 0.49, 0.49], [0.5, 0.49, 0.5, 0.49]).tolist() == [
        "premium loyalty", "latent loyalty", "inertia loyalty", "no loyalty"]
    with pytest.raises(ValueError, match="attachment"):
        L.griffin(5, 0.5)


class TestSevenTypes:
    def test_table_matches_course(self):
        table = {t.name: (t.attachment, t.repeat) for t in L.SEVEN_TYPES}
        # the one row in the slide text: 垄断忠诚, 低依恋、高重复购买
        assert table["monopoly loyalty"] == ("low", "high")
        # Griffin (2002), ch. 2: inertia = low attachment / high repeat, latent = high / low,
        # premium = high / high
        assert table["inertia loyalty"] == ("low", "high")
        assert table["latent loyalty"] == ("high", "low")
        assert table["premium loyalty"] == ("high", "high")
        # price loyalty: loyal to the lowest price, not to a firm -> low attachment, low repeat
        # (as Chinese CRM textbooks give it; errata: the row used to say high repeat)
        assert table["price loyalty"] == ("low", "low")
        assert [t.chinese for t in L.SEVEN_TYPES] == ["垄断忠诚", "惰性忠诚", "潜在忠诚", "方便忠诚", "价格忠诚",
                                                     "激励忠诚", "超值忠诚"]
        assert len(L.SEVEN_TYPES) == 7

    def test_every_row_states_its_source(self):
        sources = {t.name: t.source for t in L.SEVEN_TYPES}
        # only the monopoly row is in the slide text; the others come from the Chinese textbooks
        assert sources["monopoly loyalty"] == "slide text (explicit)"
        assert all(src.startswith("textbook; ") for name, src in sources.items() if name != "monopoly loyalty")
        for name in ("inertia loyalty", "latent loyalty", "premium loyalty"):
            assert "explicit in Griffin 2002" in sources[name]
        for name in ("convenience loyalty", "incentive loyalty"):
            assert "suite's reading" in sources[name]
        assert "as the textbooks give it" in sources["price loyalty"]
        # short enough for pandas to show whole in the chapter's table (display.max_colwidth = 50)
        assert max(len(t.source) for t in L.SEVEN_TYPES) <= 50 and max(len(t.example) for t in L.SEVEN_TYPES) <= 50

    def test_rule_agrees_with_table(self):
        # each type's own profile (plus its driver) gives that type back
        high, low = 5, 1
        drivers = {"monopoly loyalty": "no_alternative", "inertia loyalty": "habit",
                   "convenience loyalty": "convenience", "price loyalty": "price", "incentive loyalty": "rewards"}
        for t in L.SEVEN_TYPES:
            items = {drivers[t.name]: 5} if t.name in drivers else {}
            a = high if t.attachment == "high" else low
            r = high if t.repeat == "high" else low
            assert L.seven_type(a, r, **items) == t.name

    @pytest.mark.parametrize("driver, expected", [
        ("no_alternative", "monopoly loyalty"), ("habit", "inertia loyalty"),
        ("convenience", "convenience loyalty"), ("rewards", "incentive loyalty")])
    def test_each_driver_of_high_repeat(self, driver, expected):
        assert L.seven_type(attachment=2, repeat=5, **{driver: 5}) == expected

    def test_price_loyalty_is_low_repeat(self):
        assert L.seven_type(attachment=2, repeat=1, price=5) == "price loyalty"
        assert L.seven_type(attachment=2, repeat=1, price=3) == "no loyalty"
        # price does not explain high repeat with one firm: unexplained repeat -> inertia
        assert L.seven_type(attachment=2, repeat=5, price=5) == "inertia loyalty"
        assert L.seven_type(attachment=2, repeat=5, price=5, convenience=4) == "convenience loyalty"

    def test_every_type_reachable(self):
        got = {L.seven_type(5, 5), L.seven_type(5, 1), L.seven_type(1, 1), L.seven_type(1, 1, price=5)}
        got |= {L.seven_type(1, 5, **{d: 5}) for d in ("no_alternative", "habit", "convenience", "rewards")}
        assert got == {t.name for t in L.SEVEN_TYPES} | {"no loyalty"}

    def test_boundaries(self):
        # cutoff 4: an answer of exactly 4 is "high"
        assert L.seven_type(4, 4) == "premium loyalty"
        assert L.seven_type(3.99, 3.99, price=4) == "price loyalty"
        assert L.seven_type(3.99, 3.99, price=3.99) == "no loyalty"
        assert L.seven_type(4, 3.99) == "latent loyalty"
        # driver exactly at the cut-off counts; below it -> unexplained repeat = inertia
        assert L.seven_type(1, 5, rewards=4) == "incentive loyalty"
        assert L.seven_type(1, 5, rewards=3.99) == "inertia loyalty"
        # ties go to the first driver in the course order
        assert L.seven_type(1, 5, convenience=5, rewards=5) == "convenience loyalty"
        assert L.seven_type(1, 5, no_alternative=5, convenience=5) == "monopoly loyalty"

    def test_bad_items(self):
        with pytest.raises(ValueError, match="habit"):
            L.seven_type(3, 3, habit=6)
        with pytest.raises(ValueError, match="attachment"):
            L.seven_type(0, 3)
        with pytest.raises(ValueError, match="price"):
            L.seven_type(1, 1, price=0)
        with pytest.raises(TypeError, match="seven_type"):
            L.seven_type(3)  # missing item


def test_oliver_phases_sequential():
    assert L.oliver_phase(3.9, 5, 5, 5) == "none"
    assert L.oliver_phase(4, 3, 5, 5) == "cognitive"
    assert L.oliver_phase(4, 4, 4, 3) == "conative"
    assert L.oliver_phase(4, 4, 4, 4) == "action"
    with pytest.raises(ValueError, match="conative"):
        L.oliver_phase(4, 4, 9, 4)


def test_dimensions_cite_gremler_and_brown():
    # errata: the slides' "Cremer & Brown (1996)" is Gremler, D. D. & Brown, S. W. (1996),
    # "Service loyalty: its nature, importance, and implications", QUIS 5, pp. 171-180
    refs = L.loyalty_dimensions.__doc__.split("References")[1].split("Examples")[0]
    assert "Gremler, D. D. & Brown, S. W. (1996)" in refs and "Service loyalty" in refs
    assert "Cremer" not in refs and "Cremer" not in L.__doc__
    assert "(Gremler & Brown 1996)" in L.__doc__


def test_chinese_names_follow_the_slides():
    assert L.MCKINSEY_SEGMENTS["emotive loyalist"] == "感情型忠诚客户"
    assert L.MCKINSEY_SEGMENTS["dissatisfied switcher"] == "不满意型客户"
    assert L.OLIVER_PHASES["cognitive"] == "认知性忠诚感"  # slides: 认知性忠诚感, 四类忠诚感


def test_dimensions_mckinsey_programme_levels():
    assert L.loyalty_dimensions(4, 3, 3) == "behavioural"
    assert L.loyalty_dimensions(1, 4, 4) == "intentional + emotional"
    assert L.mckinsey_segment(True, habit=4) == "inertial loyalist"
    assert L.mckinsey_segment(True, deliberation=4) == "deliberative loyalist"
    assert L.mckinsey_segment(False, deliberation=5) == "deliberator"
    with pytest.raises(TypeError, match="stays"):
        L.mckinsey_segment(1)
    assert L.programme_view(5, 1, 1, 1, 1) == "monopoly"
    assert L.programme_view(1, 1, 1, 1, 5) == "devoted"
    assert L.programme_view(1, 1, 1, 5, 1) == "habitual"
    assert L.programme_view(1, 5, 1, 1, 1) == "saving"
    assert L.loyalty_level([0, 24.99, 25, 50, 100]).tolist() == [
        "no loyalty", "no loyalty", "satisfied or habitual", "brand preference", "high loyalty"]
    with pytest.raises(ValueError, match="index"):
        L.loyalty_level(101)
    with pytest.raises(ValueError, match="cutoffs"):
        L.loyalty_level(50, cutoffs=(50, 25, 75))
    assert L.loyal_signs(True, True, True, True, True) == 5
    with pytest.raises(TypeError, match="forgives"):
        L.loyal_signs(True, True, True, True, "yes")
    assert L.benefit_type(4) == "soft" and L.benefit_type(3.99) == "hard"


# ----------------------------------------------------------------------------- indices
class TestCriteriaIndex:
    scores = {"repeat_purchases": 5, "choice_time": 3, "price_sensitivity": 1,
              "competitor_attitude": 3, "quality_tolerance": 5}

    def test_hand_computed_default_weights(self):
        # by hand: 100 * (0.30*1 + 0.15*0.5 + 0.20*0 + 0.20*0.5 + 0.15*1) = 62.5
        assert L.criteria_index(self.scores) == pytest.approx(62.5)

    def test_hand_computed_custom_weights(self):
        w = {"repeat_purchases": 0.5, "choice_time": 0.1, "price_sensitivity": 0.1,
             "competitor_attitude": 0.1, "quality_tolerance": 0.2}
        # by hand: 100 * (0.5*1 + 0.1*0.5 + 0 + 0.1*0.5 + 0.2*1) = 80
        assert L.criteria_index(self.scores, w) == pytest.approx(80.0)

    def test_extremes_and_frame(self):
        low = dict.fromkeys(L.CRITERIA, 1)
        high = dict.fromkeys(L.CRITERIA, 5)
        assert L.criteria_index(low) == 0 and L.criteria_index(high) == pytest.approx(100)
        frame = pd.DataFrame([low, high, self.scores], index=["a", "b", "c"])
        out = L.criteria_index(frame)
        assert list(out.index) == ["a", "b", "c"]
        np.testing.assert_allclose(out, [0, 100, 62.5])

    def test_record_default(self):
        rec = L.LoyaltyCriteria.default()
        # by hand: 100*(0.30*0.75 + 0.15*0.5 + 0.20*0.25 + 0.20*0.5 + 0.15*0.75) = 56.25
        assert rec.index() == pytest.approx(56.25)

    def test_weights_not_summing_to_one(self):
        w = dict(L.DEFAULT_WEIGHTS) | {"repeat_purchases": 0.4}
        with pytest.raises(ValueError, match="weights must sum to 1.*1.1"):
            L.criteria_index(self.scores, w)

    def test_missing_criterion_and_off_scale(self):
        bad = dict(self.scores)
        del bad["choice_time"]
        with pytest.raises(ValueError, match="missing criteria.*choice_time"):
            L.criteria_index(bad)
        with pytest.raises(ValueError, match="price_sensitivity.*got 6"):
            L.criteria_index(self.scores | {"price_sensitivity": 6})
        with pytest.raises(ValueError, match="weights"):
            L.criteria_index(self.scores, {"repeat_purchases": 1.0})
        with pytest.raises(ValueError, match="weights"):
            L.criteria_index(self.scores, dict(L.DEFAULT_WEIGHTS) | {"choice_time": -0.15,
                                                                      "repeat_purchases": 0.6})


class TestQuantifiedIndex:
    def test_hand_computed(self):
        # satisfied 0.75, 80% -> band >70% = 1, possible 0.5: 100 * (0.75 + 1 + 0.5) / 3 = 75
        assert L.quantified_index("satisfied", 0.8, "possible") == pytest.approx(75.0)
        # weights (0.5, 0.3, 0.2): 100 * (0.5*0.25 + 0.3*0.5 + 0.2*1) = 47.5
        assert L.quantified_index("dissatisfied", 0.5, "very likely", weights=(0.5, 0.3, 0.2)) == pytest.approx(47.5)
        # integers 1..5 equal the labels
        assert L.quantified_index(4, 0.8, "possible") == L.quantified_index("satisfied", 0.8, "possible")

    def test_band_boundaries(self):
        # "above 70%" is strict; 30% and 70% both belong to the middle band
        assert L.repurchase_band([0.7, 0.7000001, 0.3, 0.2999999]).tolist() == [
            "30-70%", "above 70%", "30-70%", "below 30%"]
        assert L.quantified_index(5, 0.7, "very likely") == pytest.approx(100 * (1 + 0.5 + 1) / 3)

    def test_vector_and_series(self):
        s = L.quantified_index(pd.Series(["very satisfied", "neutral"], index=[7, 8]), [0.9, 0.2],
                               ["very likely", "impossible"])
        assert list(s.index) == [7, 8]
        np.testing.assert_allclose(s, [100, 100 * 0.5 / 3])

    def test_bad_input(self):
        with pytest.raises(ValueError, match="satisfaction"):
            L.quantified_index("delighted", 0.5, "possible")
        with pytest.raises(ValueError, match="satisfaction"):
            L.quantified_index(6, 0.5, "possible")
        with pytest.raises(ValueError, match="repurchase_probability"):
            L.quantified_index(3, 70, "possible")
        with pytest.raises(ValueError, match="recommend"):
            L.quantified_index(3, 0.5, "maybe")
        with pytest.raises(ValueError, match="weights must sum to 1"):
            L.quantified_index(3, 0.5, "possible", weights=(0.5, 0.5, 0.5))


# ----------------------------------------------------------------------------- behaviour
def _log():
    return pd.DataFrame({
        "customer_id": [1, 1, 1, 1, 2, 3, 3],
        "date": pd.to_datetime(["1997-01-01", "1997-01-01", "1997-01-15", "1997-11-15",
                                "1997-03-01", "1997-02-01", "1998-02-01"]),
        "amount": [10.0, 5.0, 20.0, 30.0, 8.0, 12.0, 12.0]})


def test_behavioural_measures_hand_log():
    tx = _log()
    h = L.purchase_history(tx)
    assert h["purchases"].tolist() == [3, 1, 2]  # two orders on 1997-01-01 = one occasion
    assert L.repeat_rate(tx) == pytest.approx(2 / 3)
    assert L.repeat_rate(tx, end="1997-10-01") == pytest.approx(1 / 3)
    assert sorted(L.inter_purchase_times(tx).tolist()) == [14, 304, 365]
    share = L.period_share(tx, "1997-10-01", "1998-07-01")
    assert share.to_dict() == {1: pytest.approx(1 / 3), 2: 0.0, 3: 0.5}
    assert L.period_share(tx, "1997-10-01", "1998-07-01", by="spend")[1] == pytest.approx(30 / 65)


def test_behavioural_measures_bad_input():
    with pytest.raises(ValueError, match="transactions is missing column"):
        L.repeat_rate(_log().drop(columns="amount"))
    with pytest.raises(ValueError, match="start must be before end"):
        L.period_share(_log(), "1998-01-01", "1997-01-01")
    with pytest.raises(ValueError, match="by must be one of"):
        L.period_share(_log(), "1997-01-01", "1998-01-01", by="visits")
    with pytest.raises(ValueError, match="spend_with_firm must not exceed"):
        L.share_of_wallet(200, 100)
    with pytest.raises(ValueError, match="category_spend"):
        L.share_of_wallet(0, 0)
    assert L.share_of_wallet([50, 0], [200, 10]).tolist() == [0.25, 0.0]


def test_cdnow_behaviour():
    tx = datasets.load_cdnow()
    h = L.purchase_history(tx)
    assert len(h) == 2357  # sample size in Fader, Hardie & Lee (2005)
    # every gap is >= 1 day after collapsing same-day orders, and gaps = occasions - customers
    gaps = L.inter_purchase_times(tx)
    assert gaps.min() >= 1 and len(gaps) == h["purchases"].sum() - len(h)
    assert 0 < L.repeat_rate(tx, end="1997-10-01") < L.repeat_rate(tx) < 1
    ps = L.period_share(tx, "1997-01-01", "1998-07-01")
    assert (ps == 1).all()  # the whole log lies in this period


# ----------------------------------------------------------------------------- alpha
def test_alpha_closed_form_equicorrelated():
    # Items a+b, a+c, b+c from exactly orthonormal centred columns a, b, c: equal variances (2)
    # and equal covariances (1), so r = 0.5 and alpha = k r / (1 + (k-1) r) = 1.5 / 2 = 0.75.
    rng = np.random.default_rng(0)
    z = rng.standard_normal((50, 3))
    z -= z.mean(axis=0)
    q, _ = np.linalg.qr(z)
    a, b, c = q.T
    items = np.column_stack([a + b, a + c, b + c])
    assert L.cronbach_alpha(items) == pytest.approx(0.75, abs=1e-12)


def test_alpha_covariance_form_agrees():
    # Independent algebraic form: alpha = k * mean off-diagonal cov / (mean var + (k-1) mean cov)
    df = L.simulate_relationship_survey(200, np.random.default_rng(5))
    x = df[list(L.SURVEY_SCALES["trust"])].to_numpy(float)
    cov = np.cov(x, rowvar=False)
    k = cov.shape[0]
    cbar = (cov.sum() - np.trace(cov)) / (k * (k - 1))
    vbar = np.trace(cov) / k
    assert L.cronbach_alpha(x) == pytest.approx(k * cbar / (vbar + (k - 1) * cbar), rel=1e-12)


# pingouin 0.7.0 pingouin.cronbach_alpha(df[block]) on the ECSI data (throwaway venv in /tmp)
PINGOUIN_ALPHA = {
    ("satisfaction.csv", "imag"): 0.8218546381998917,
    ("satisfaction.csv", "expe"): 0.8431448576584877,
    ("satisfaction.csv", "qual"): 0.8685179483641727,
    ("satisfaction.csv", "val"): 0.8319666067452305,
    ("satisfaction.csv", "sat"): 0.8942951879313619,
    ("satisfaction.csv", "loy"): 0.8206385643938777,
    ("mobi.csv", "IMAG"): 0.7144468020430877,
    ("mobi.csv", "CUEX"): 0.4325968438072082,
    ("mobi.csv", "PERQ"): 0.872406371429888,
    ("mobi.csv", "PERV"): 0.8166945390345128,
    ("mobi.csv", "CUSA"): 0.7701131082822747,
    ("mobi.csv", "CUSL"): 0.4417171983826077,
}


@pytest.mark.parametrize("file, block", sorted(PINGOUIN_ALPHA))
def test_alpha_against_pingouin_on_ecsi(file, block):
    path = ECSI / file
    if not path.is_file():
        pytest.skip(f"tests-only data ../shared/data/ecsi/{file} is not available here")
    data = pd.read_csv(path, index_col=0)
    cols = [c for c in data.columns if c.startswith(block)]
    assert L.cronbach_alpha(data[cols]) == pytest.approx(PINGOUIN_ALPHA[(file, block)], rel=1e-10)


def test_alpha_bad_input():
    with pytest.raises(ValueError, match="missing answers.*'b'"):
        L.cronbach_alpha(pd.DataFrame({"a": [1, 2, 3], "b": [1, np.nan, 3]}))
    with pytest.raises(ValueError, match="at least 2"):
        L.cronbach_alpha([[1], [2], [3]])
    with pytest.raises(ValueError, match="2-D"):
        L.cronbach_alpha([1, 2, 3])
    with pytest.raises(ValueError, match="constant"):
        L.cronbach_alpha([[1, 1], [1, 1]])


# ----------------------------------------------------------------------------- survey & models
def test_survey_structure_and_recovery():
    rng = np.random.default_rng(11)
    df = L.simulate_relationship_survey(3000, rng)
    items = [c for cols in L.SURVEY_SCALES.values() for c in cols]
    assert list(df.columns) == items + ["loyalty_stage"]
    assert df[items].min().min() >= 1 and df[items].max().max() <= 7
    assert set(df["loyalty_stage"]) == {1, 2, 3, 4, 5}
    ols = L.fit_relationship_quality(df)
    # the ordering of the true effects (satisfaction > trust > commitment > friendship) is recovered
    order = ols.standardised.sort_values(ascending=False).index.tolist()
    assert order[0] in ("satisfaction", "trust") and order[-1] == "friendship"
    assert (ols.alphas > 0.7).all()
    # ordered logit on the same survey agrees on signs and on which effect is smallest
    ologit = L.fit_relationship_quality(df, model="ordered_logit")
    assert (ologit.standardised > 0).all() and ologit.standardised.idxmin() == "friendship"
    assert "RelationshipQualityResult(model='ordered_logit'" in repr(ologit)
    assert "0x" not in repr(ologit)
    assert list(ologit.summary().columns) == ["coef", "std err", "p-value", "standardised", "alpha"]


def test_ols_standardised_equals_zscore_regression():
    # beta weights = slopes of the regression on z-scores (independent computation with numpy lstsq)
    df = L.simulate_relationship_survey(400, np.random.default_rng(2))
    res = L.fit_relationship_quality(df)
    sc = L.scale_scores(df)
    z = (sc - sc.mean()) / sc.std(ddof=1)
    X = np.column_stack([np.ones(len(z)), z[["trust", "satisfaction", "commitment", "friendship"]]])
    beta = np.linalg.lstsq(X, z["loyalty"].to_numpy(), rcond=None)[0][1:]
    np.testing.assert_allclose(res.standardised.to_numpy(), beta, rtol=1e-10)


def test_survey_bad_input():
    with pytest.raises(TypeError, match="rng"):
        L.simulate_relationship_survey(100, 42)
    with pytest.raises(ValueError, match="n must be in"):
        L.simulate_relationship_survey(5, np.random.default_rng(1))
    with pytest.raises(ValueError, match="explain"):
        L.simulate_relationship_survey(100, np.random.default_rng(1),
                                       effects={"trust": 1, "satisfaction": 1, "commitment": 1, "friendship": 1})
    with pytest.raises(ValueError, match="model must be one of"):
        L.fit_relationship_quality(L.simulate_relationship_survey(50, np.random.default_rng(1)), model="probit")


def test_survey_deterministic():
    a = L.simulate_relationship_survey(50, np.random.default_rng(9))
    b = L.simulate_relationship_survey(50, np.random.default_rng(9))
    pd.testing.assert_frame_equal(a, b)


# ----------------------------------------------------------------------------- economics
def test_economics():
    # (1+d)/(1+d-r) = R  =>  r = (1+d)(1-1/R); with d = 0.1 the ceiling is 1.1/0.1 = 11
    assert L.max_value_ratio(0.1) == pytest.approx(11.0)
    r = L.implied_retention(np.array(list(L.INDUSTRY_RATIOS.values())), 0.1)
    assert np.isnan(r[:3]).all() and r[3] == pytest.approx(1.1 * 0.8)
    # monthly discounting (d = 1%): 16:1 needs r = 1.01 * 15/16
    assert L.implied_retention(16, 0.01) == pytest.approx(1.01 * 15 / 16)
    with pytest.raises(ValueError, match="ratio"):
        L.implied_retention(0.5, 0.1)
    prof = L.loyal_customer_profit(years=3, base_profit=10, acquisition_cost=30, spend_growth=1,
                                   cost_saving=1, referrals=1, price_premium=1)
    assert prof["total"].tolist() == [-30, 10, 14, 18] and prof["cumulative"].iloc[-1] == 12
    # by hand: repeat customers spent 40 and 80 (mean 60), the one-off customer 10 -> 6; 3+ purchases: 80/10 = 8
    log = pd.DataFrame({"customer_id": [1, 1, 2, 2, 2, 3], "amount": [10.0, 30.0, 20.0, 20.0, 40.0, 10.0],
                        "date": pd.to_datetime(["1997-01-01", "1997-02-01", "1997-01-01", "1997-03-01",
                                                "1997-04-01", "1997-01-05"])})
    assert L.loyal_value_ratio(log) == pytest.approx(6.0)
    assert L.loyal_value_ratio(log, min_purchases=3) == pytest.approx(8.0)
    with pytest.raises(ValueError, match="min_purchases"):
        L.loyal_value_ratio(log, min_purchases=1)
    assert L.customer_delivered_value(60, 20, 10, 10, 50, 10, 5, 5)[0] == 30
    with pytest.raises(ValueError, match="money"):
        L.customer_delivered_value(1, 1, 1, 1, -1, 0, 0, 0)
    assert L.reward_points(10, "supermarket") == 20.0
    with pytest.raises(ValueError, match="spend"):
        L.reward_points(-1, "petrol")


# ----------------------------------------------------------------------------- widgets & plots
def test_grid_widget_follows_pure_functions():
    pytest.importorskip("ipywidgets")
    from crmlib.widgets import loyalty as W

    w = W.explore_loyalty_grid()
    first = list(w.sliders)[0]
    assert first == "relative_attitude"
    d = W.GridCustomer.default()
    assert L.dick_basu(d.relative_attitude, d.repeat_patronage) in w.readout.value
    w.sliders["relative_attitude"].value = 0.35  # one step right: the numbers change, the class need not
    assert "relative attitude 0.35, repeat patronage 0.80" in w.readout.value
    w.sliders["relative_attitude"].value = 0.9
    w.sliders["repeat_patronage"].value = 0.9
    assert "<b>Dick &amp; Basu:</b> loyalty" in w.readout.value
    w.sliders["relative_attitude"].value = 0.9
    w.sliders["repeat_patronage"].value = 0.2
    assert L.ACTIONS["latent loyalty"] in w.readout.value
    w.sliders["attachment"].value = 1
    w.sliders["rewards"].value = 5
    w.sliders["convenience"].value = 1
    assert "seven types:</b> incentive loyalty" in w.readout.value


def test_index_widget_follows_pure_functions():
    pytest.importorskip("ipywidgets")
    from crmlib.widgets import loyalty as W

    w = W.explore_loyalty_index()
    rec = L.LoyaltyCriteria.default()
    assert f"{rec.index():.1f} / 100" in w.readout.value
    w.sliders["score:repeat_purchases"].value = 5
    expected = L.criteria_index(rec.scores | {"repeat_purchases": 5}, rec.weights)
    assert f"{expected:.1f} / 100" in w.readout.value
    w.sliders["weight:choice_time"].value = 0.5
    assert "weights sum to 1.35" in w.readout.value


def test_plots_return_axes():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    for ax in (L.plot_loyalty_grid([0.2, 0.8], [0.9, 0.1], labels=["a", "b"]), L.plot_seven_types(),
               L.plot_inter_purchase_times([1, 5, 30]),
               L.plot_index_contributions(L.LoyaltyCriteria.default().scores),
               L.plot_standardised_effects(L.fit_relationship_quality(
                   L.simulate_relationship_survey(100, np.random.default_rng(1))))):
        assert hasattr(ax, "plot")
    plt.close("all")
    with pytest.raises(ValueError, match="scheme"):
        L.plot_loyalty_grid(scheme="oliver")
