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
* Relationship quality: statsmodels' own OLS / OrderedModel results (the estimator the
  library wraps), and an independent z-score regression for the beta weights.
"""

from __future__ import annotations

import dataclasses
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from crmlib import datasets, stats, value
from crmlib import loyalty as L
from crmlib.results import ConvergenceWarning, FitResult

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

    @pytest.mark.parametrize(
        "kw, name",
        [
            (dict(relative_attitude=1.2, repeat_patronage=0.5), "relative_attitude"),
            (dict(relative_attitude=0.5, repeat_patronage=-0.1), "repeat_patronage"),
            (dict(relative_attitude=0.5, repeat_patronage=0.5, attitude_cutoff=2), "attitude_cutoff"),
            (dict(relative_attitude=np.nan, repeat_patronage=0.5), "relative_attitude"),
        ],
    )
    def test_bad_input(self, kw, name):
        with pytest.raises(ValueError, match=name):
            L.dick_basu(**kw)

    def test_length_mismatch(self):
        with pytest.raises(ValueError, match="same length"):
            L.dick_basu([0.1, 0.2], [0.1, 0.2, 0.3])

    def test_text_input(self):
        with pytest.raises(TypeError, match="relative_attitude"):
            L.dick_basu("high", 0.5)


def test_griffin_cells_and_boundary():
    assert L.griffin([0.5, 0.5, 0.49, 0.49], [0.5, 0.49, 0.5, 0.49]).tolist() == [
        "premium loyalty",
        "latent loyalty",
        "inertia loyalty",
        "no loyalty",
    ]
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
        assert [t.chinese for t in L.SEVEN_TYPES] == [
            "垄断忠诚",
            "惰性忠诚",
            "潜在忠诚",
            "方便忠诚",
            "价格忠诚",
            "激励忠诚",
            "超值忠诚",
        ]
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
        drivers = {
            "monopoly loyalty": "no_alternative",
            "inertia loyalty": "habit",
            "convenience loyalty": "convenience",
            "price loyalty": "price",
            "incentive loyalty": "rewards",
        }
        for t in L.SEVEN_TYPES:
            items = {drivers[t.name]: 5} if t.name in drivers else {}
            a = high if t.attachment == "high" else low
            r = high if t.repeat == "high" else low
            assert L.seven_type(a, r, **items) == t.name

    @pytest.mark.parametrize(
        "driver, expected",
        [
            ("no_alternative", "monopoly loyalty"),
            ("habit", "inertia loyalty"),
            ("convenience", "convenience loyalty"),
            ("rewards", "incentive loyalty"),
        ],
    )
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
        "no loyalty",
        "no loyalty",
        "satisfied or habitual",
        "brand preference",
        "high loyalty",
    ]
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
    scores = {
        "repeat_purchases": 5,
        "choice_time": 3,
        "price_sensitivity": 1,
        "competitor_attitude": 3,
        "quality_tolerance": 5,
    }

    def test_hand_computed_default_weights(self):
        # by hand: 100 * (0.30*1 + 0.15*0.5 + 0.20*0 + 0.20*0.5 + 0.15*1) = 62.5
        assert L.criteria_index(self.scores) == pytest.approx(62.5)

    def test_hand_computed_custom_weights(self):
        w = {
            "repeat_purchases": 0.5,
            "choice_time": 0.1,
            "price_sensitivity": 0.1,
            "competitor_attitude": 0.1,
            "quality_tolerance": 0.2,
        }
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
            L.criteria_index(self.scores, dict(L.DEFAULT_WEIGHTS) | {"choice_time": -0.15, "repeat_purchases": 0.6})


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
            "30-70%",
            "above 70%",
            "30-70%",
            "below 30%",
        ]
        assert L.quantified_index(5, 0.7, "very likely") == pytest.approx(100 * (1 + 0.5 + 1) / 3)

    def test_vector_and_series(self):
        s = L.quantified_index(
            pd.Series(["very satisfied", "neutral"], index=[7, 8]),
            pd.Series([0.9, 0.2], index=[7, 8]),
            pd.Series(["very likely", "impossible"], index=[7, 8]),
        )
        assert list(s.index) == [7, 8]
        np.testing.assert_allclose(s, [100, 100 * 0.5 / 3])
        arr = L.quantified_index(["very satisfied", "neutral"], [0.9, 0.2], ["very likely", "impossible"])
        np.testing.assert_allclose(arr, [100, 100 * 0.5 / 3])
        # a Series is never paired by position with an unlabelled list
        with pytest.raises(TypeError, match="aligned by index"):
            L.quantified_index(pd.Series(["very satisfied", "neutral"], index=[7, 8]), [0.9, 0.2], "possible")

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
    return pd.DataFrame(
        {
            "customer_id": [1, 1, 1, 1, 2, 3, 3],
            "date": pd.to_datetime(
                ["1997-01-01", "1997-01-01", "1997-01-15", "1997-11-15", "1997-03-01", "1997-02-01", "1998-02-01"]
            ),
            "amount": [10.0, 5.0, 20.0, 30.0, 8.0, 12.0, 12.0],
        }
    )


def test_behavioural_measures_hand_log():
    tx = _log()
    h = L.purchase_history(tx)
    assert h["purchases"].tolist() == [3, 1, 2]  # two orders on 1997-01-01 = one occasion
    assert L.repeat_rate(tx) == pytest.approx(2 / 3)
    assert L.repeat_rate(tx, end="1997-09-30") == pytest.approx(1 / 3)
    assert sorted(L.inter_purchase_times(tx).tolist()) == [14, 304, 365]
    share = L.period_share(tx, "1997-10-01", "1998-06-30")
    assert share.to_dict() == {1: pytest.approx(1 / 3), 2: 0.0, 3: 0.5}
    assert L.period_share(tx, "1997-10-01", "1998-06-30", by="spend")[1] == pytest.approx(30 / 65)


def test_behavioural_measures_bad_input():
    with pytest.raises(ValueError, match="transactions is missing column"):
        L.repeat_rate(_log().drop(columns="amount"))
    with pytest.raises(ValueError, match="start must not be after end"):
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
    assert 0 < L.repeat_rate(tx, end="1997-09-30") < L.repeat_rate(tx) < 1
    ps = L.period_share(tx, "1997-01-01", "1998-06-30")  # CDNOW's first and last days, both included
    assert (ps == 1).all()  # the whole log lies in this period
    # the last day of the log counts: ending one day earlier loses the purchases of 1998-06-30
    assert (L.period_share(tx, "1997-01-01", "1998-06-29") < 1).any()


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
    df = L.simulate_relationship_survey(200, rng=np.random.default_rng(5))
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
    df = L.simulate_relationship_survey(3000, rng=rng)
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
    assert list(ologit.summary().columns) == [
        "estimate",
        "std_error",
        "z",
        "p_value",
        "lower_95",
        "upper_95",
        "standardised",
        "alpha",
    ]
    assert list(ols.summary().columns)[2] == "t"


def test_ols_standardised_equals_zscore_regression():
    # beta weights = slopes of the regression on z-scores (independent computation with numpy lstsq)
    df = L.simulate_relationship_survey(400, rng=np.random.default_rng(2))
    res = L.fit_relationship_quality(df)
    sc = L.scale_scores(df)
    z = (sc - sc.mean()) / sc.std(ddof=1)
    X = np.column_stack([np.ones(len(z)), z[["trust", "satisfaction", "commitment", "friendship"]]])
    beta = np.linalg.lstsq(X, z["loyalty"].to_numpy(), rcond=None)[0][1:]
    np.testing.assert_allclose(res.standardised.to_numpy(), beta, rtol=1e-10)


def test_survey_bad_input():
    with pytest.raises(TypeError, match="rng"):
        L.simulate_relationship_survey(100, rng=42)
    with pytest.raises(TypeError):  # rng is keyword-only
        L.simulate_relationship_survey(100, np.random.default_rng(1))
    with pytest.raises(ValueError, match="n_respondents must be in"):
        L.simulate_relationship_survey(5, rng=np.random.default_rng(1))
    with pytest.raises(ValueError, match="n_respondents must be in"):
        L.simulate_relationship_survey(10**9, rng=np.random.default_rng(1))  # would take gigabytes
    with pytest.raises(ValueError, match="explain"):
        L.simulate_relationship_survey(
            100, rng=np.random.default_rng(1), effects={"trust": 1, "satisfaction": 1, "commitment": 1, "friendship": 1}
        )
    with pytest.raises(ValueError, match="model must be one of"):
        L.fit_relationship_quality(L.simulate_relationship_survey(50, rng=np.random.default_rng(1)), model="probit")


def test_survey_deterministic():
    a = L.simulate_relationship_survey(50, rng=np.random.default_rng(9))
    b = L.simulate_relationship_survey(50, rng=np.random.default_rng(9))
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
    prof = L.loyal_customer_profit(
        years=3, base_profit=10, acquisition_cost=30, spend_growth=1, cost_saving=1, referrals=1, price_premium=1
    )
    assert prof["total"].tolist() == [-30, 10, 14, 18] and prof["cumulative"].iloc[-1] == 12
    # by hand: repeat customers spent 40 and 80 (mean 60), the one-off customer 10 -> 6; 3+ purchases: 80/10 = 8
    log = pd.DataFrame(
        {
            "customer_id": [1, 1, 2, 2, 2, 3],
            "amount": [10.0, 30.0, 20.0, 20.0, 40.0, 10.0],
            "date": pd.to_datetime(
                ["1997-01-01", "1997-02-01", "1997-01-01", "1997-03-01", "1997-04-01", "1997-01-05"]
            ),
        }
    )
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


# ----------------------------------------------------------------------------- shared homes
def test_shared_maths_is_the_same_object():
    # one home each: chapter 2 re-exports, it does not copy
    assert L.cronbach_alpha is stats.cronbach_alpha
    assert L.max_value_ratio is value.max_value_ratio
    assert L.implied_retention is value.implied_retention
    # the near-constant sum score of issue 20 is refused (it used to give alpha = -3.2e30)
    items = np.array([[1.0, -1.0], [1.0 + 1e-15, -1.0], [1.0, -1.0 + 1e-15]])
    with pytest.raises(ValueError, match="constant"):
        L.cronbach_alpha(items)


def test_no_plot_functions_in_the_model_module():
    assert not [name for name in L.__all__ if name.startswith("plot_")]
    assert not hasattr(L, "plot_loyalty_grid")


# ----------------------------------------------------------------------------- alignment (issue 20)
class TestIndexAlignment:
    att = pd.Series([0.9, 0.2, 0.6], index=["ann", "bo", "cy"])

    def test_two_series_are_paired_by_label_not_position(self):
        pat = pd.Series([0.1, 0.8, 0.9], index=["bo", "cy", "ann"])  # same customers, other order
        out = L.dick_basu(self.att, pat)
        assert list(out.index) == ["ann", "bo", "cy"]
        assert out.to_dict() == {"ann": "loyalty", "bo": "no loyalty", "cy": "loyalty"}
        # pairing by position would have given ann (0.9, 0.1) = latent loyalty
        assert out["ann"] != L.dick_basu(0.9, 0.1)

    @pytest.mark.parametrize(
        "func, kwargs",
        [
            (L.dick_basu, dict(relative_attitude=None, repeat_patronage=None)),
            (L.griffin, dict(attachment=None, repeat_purchase=None)),
            (L.oliver_phase, dict(cognitive=None, affective=None, conative=4, action=None)),
            (L.loyalty_dimensions, dict(behavioural=None, intentional=None, emotional=None)),
            (L.share_of_wallet, dict(spend_with_firm=None, category_spend=None)),
        ],
    )
    def test_mismatched_indexes_are_refused(self, func, kwargs):
        scores = {"relative_attitude": 0.6, "repeat_patronage": 0.6, "attachment": 0.6, "repeat_purchase": 0.6}
        likert = {"cognitive": 4, "affective": 4, "action": 4, "behavioural": 4, "intentional": 4, "emotional": 4}
        money = {"spend_with_firm": 10.0, "category_spend": 100.0}
        base = scores | likert | money
        good = {k: (pd.Series([base[k]] * 2, index=["a", "b"]) if val is None else val) for k, val in kwargs.items()}
        assert list(func(**good).index) == ["a", "b"]
        first = next(k for k, val in kwargs.items() if val is None)
        bad = dict(good, **{first: pd.Series([base[first]] * 2, index=["a", "z"])})
        with pytest.raises(ValueError, match="same index"):
            func(**bad)

    def test_series_with_an_unlabelled_list_is_refused(self):
        with pytest.raises(TypeError, match="aligned by index"):
            L.dick_basu(self.att, [0.1, 0.8, 0.9])
        with pytest.raises(TypeError, match="aligned by index"):
            L.quantified_index(pd.Series([5, 3], index=["a", "b"]), [0.9, 0.1], "possible")

    def test_series_with_single_values(self):
        out = L.seven_type(pd.Series([2, 5], index=["x", "y"]), 5, rewards=pd.Series([5, 1], index=["y", "x"]))
        assert out.to_dict() == {"x": "inertia loyalty", "y": "premium loyalty"}

    def test_duplicate_labels_are_refused(self):
        dup = pd.Series([0.2, 0.8], index=["a", "a"])
        with pytest.raises(ValueError, match="duplicate"):
            L.griffin(dup, dup)

    def test_label_and_boolean_inputs_align_too(self):
        idx = ["p", "q"]
        sat = pd.Series(["very satisfied", "dissatisfied"], index=idx)
        rep = pd.Series([0.1, 0.9], index=["q", "p"])
        rec = pd.Series(["impossible", "very likely"], index=["q", "p"])
        q = L.quantified_index(sat, rep, rec)
        assert q.to_dict() == {"p": pytest.approx(100.0), "q": pytest.approx(100 * 0.25 / 3)}
        stays = pd.Series([True, False], index=idx)
        seg = L.mckinsey_segment(stays, emotional=pd.Series([1, 5], index=["q", "p"]), habit=3)
        assert seg.to_dict() == {"p": "emotive loyalist", "q": "lifestyle-changer"}  # ties: the first motive
        signs = L.loyal_signs(stays, pd.Series([False, True], index=["q", "p"]), False, False, stays)
        assert signs.to_dict() == {"p": 3, "q": 0}
        pts = L.reward_points(pd.Series([10.0, 20.0], index=idx), pd.Series(["other", "petrol"], index=["q", "p"]))
        assert pts.to_dict() == {"p": 20.0, "q": 20.0}

    def test_criteria_index_of_a_dict_of_series(self):
        cols = {k: pd.Series([1, 5], index=["lo", "hi"]) for k in L.CRITERIA}
        cols["choice_time"] = pd.Series([5, 1], index=["hi", "lo"])
        out = L.criteria_index(cols)
        assert out.name == "criteria_index" and list(out.index) == ["lo", "hi"]
        np.testing.assert_allclose(out, [0.0, 100.0])

    def test_delivered_value_keeps_the_index(self):
        idx = ["a", "b"]
        val, ratio = L.customer_delivered_value(
            pd.Series([60, 30], index=idx), 20, 10, 10, pd.Series([10, 50], index=["b", "a"]), 10, 5, 5
        )
        assert val.to_dict() == {"a": 30.0, "b": 40.0} and ratio["b"] == pytest.approx(70 / 30)


# ----------------------------------------------------------------------------- records
def test_records_validate_and_change_one_way():
    assert not hasattr(L.LoyaltyCriteria, "replace") and not hasattr(L.LoyaltyType, "replace")
    crit = L.LoyaltyCriteria()
    assert crit == L.LoyaltyCriteria.default()
    with pytest.raises(TypeError):
        crit.scores["choice_time"] = 5  # read-only mapping: only dataclasses.replace changes a record
    higher = dataclasses.replace(crit, scores=dict(crit.scores, repeat_purchases=5))
    assert higher.index() == pytest.approx(crit.index() + 100 * 0.30 / 4)
    with pytest.raises(ValueError, match="weights must sum to 1"):
        dataclasses.replace(crit, weights=dict(crit.weights, choice_time=0.5))
    with pytest.raises(ValueError, match="missing criteria"):
        L.LoyaltyCriteria(scores={"repeat_purchases": 3})
    with pytest.raises(ValueError, match="unknown criteria"):
        L.LoyaltyCriteria(scores=dict(crit.scores, loyalty_card=3))
    with pytest.raises(ValueError, match="must be finite"):
        L.LoyaltyCriteria(scores=dict(crit.scores, choice_time=float("nan")))
    t = L.SEVEN_TYPES[0]
    with pytest.raises(ValueError, match="attachment must be one of"):
        dataclasses.replace(t, attachment="medium")
    with pytest.raises(ValueError, match="name must not be empty"):
        dataclasses.replace(t, name=" ")
    with pytest.raises(dataclasses.FrozenInstanceError):
        t.repeat = "low"


def test_criteria_contributions_sum_to_the_index():
    crit = L.LoyaltyCriteria()
    table = L.criteria_contributions(crit.scores, crit.weights)
    assert list(table.index) == list(L.CRITERIA) and table.index.name == "criterion"
    assert table["contribution"].sum() == pytest.approx(crit.index())
    assert table["maximum"].sum() == pytest.approx(100.0)
    # by hand: repeat purchases 4 -> 100 * 0.30 * 3/4 = 22.5
    assert table.loc["repeat_purchases", "contribution"] == pytest.approx(22.5)
    with pytest.raises(ValueError, match="one customer"):
        L.criteria_contributions(dict(crit.scores, choice_time=[1, 2]))


# ----------------------------------------------------------------------------- transaction logs (issue 20)
def test_period_ends_are_inclusive():
    tx = _log()
    # customer 3 buys on 1998-02-01: an end on that day includes it
    assert L.purchase_history(tx, end="1998-02-01").loc[3, "purchases"] == 2
    assert L.purchase_history(tx, end="1998-01-31").loc[3, "purchases"] == 1
    assert L.repeat_rate(tx, end="1997-01-15") == 1.0  # only customer 1 so far; the 15th is a second purchase
    assert L.repeat_rate(tx, end="1997-01-14") == 0.0
    # a one-day period is legal: start == end
    assert L.period_share(tx, "1997-11-15", "1997-11-15").to_dict() == {1: pytest.approx(1 / 3), 2: 0.0, 3: 0.0}
    # an end with a time of day still means that whole day
    assert L.purchase_history(tx, end=pd.Timestamp("1998-02-01 00:00")).loc[3, "purchases"] == 2


@pytest.mark.parametrize(
    "func",
    [
        L.purchase_history,
        L.repeat_rate,
        L.inter_purchase_times,
        lambda t: L.period_share(t, "1997-01-01", "1998-06-30"),
        L.loyal_value_ratio,
    ],
)
def test_the_one_amounts_rule(func):
    nan_log = _log()
    nan_log.loc[2, "amount"] = np.nan  # used to count as 0
    with pytest.raises(ValueError, match=r"transactions\['amount'\] has 1 missing amount"):
        func(nan_log)
    refund = _log()
    refund.loc[4, "amount"] = -8.0  # used to be accepted, unlike clv.rfm_summary
    with pytest.raises(ValueError, match="negative"):
        func(refund)


def test_transaction_log_dates():
    tx = _log()
    # several orders at different times of one day are one purchase occasion
    timed = tx.assign(date=tx["date"] + pd.to_timedelta(np.arange(len(tx)), unit="h"))
    assert L.purchase_history(timed)["purchases"].tolist() == [3, 1, 2]
    # time-zone-aware timestamps count on their local day (the data's own zone by default)
    local = pd.DataFrame(
        {
            "customer_id": [1, 1],
            "date": pd.to_datetime(["1997-03-01 23:30", "1997-03-02 00:30"]).tz_localize("Asia/Shanghai"),
            "amount": [5.0, 5.0],
        }
    )
    assert L.purchase_history(local)["purchases"].tolist() == [2]  # two local days
    # in UTC both orders fall on 1 March (15:30 and 16:30): one occasion
    assert L.purchase_history(local, tz="UTC")["purchases"].tolist() == [1]
    assert L.purchase_history(local, end="1997-03-01")["purchases"].tolist() == [1]
    with pytest.raises(ValueError, match="tz"):
        L.purchase_history(tx, tz="Asia/Shanghai")  # naive dates are local already
    with pytest.raises(ValueError, match="tz must be a time-zone name"):
        L.purchase_history(local, tz="Mars/Olympus")
    # strings must be ISO dates: '09/10/1997' is ambiguous
    with pytest.raises(ValueError, match="end must be an ISO date"):
        L.repeat_rate(tx, end="09/10/1997")
    with pytest.raises(TypeError, match="end must be a date"):
        L.repeat_rate(tx, end=19970930)
    with pytest.raises(TypeError, match="datetime64"):
        L.purchase_history(tx.assign(date=tx["date"].dt.strftime("%d/%m/%Y")))
    with pytest.raises(ValueError, match="missing value"):
        L.purchase_history(tx.assign(customer_id=[1, 1, None, 1, 2, 3, 3]))
    with pytest.raises(ValueError, match="leaves no purchases"):
        L.purchase_history(tx, end="1996-12-31")


# ----------------------------------------------------------------------------- fits (issues 13 and 20)
@pytest.fixture(scope="module")
def survey():
    return L.simulate_relationship_survey(400, rng=np.random.default_rng(2026))


def test_ols_fit_is_the_result_protocol_with_statsmodels_numbers(survey):
    import statsmodels.api as sm

    res = L.fit_relationship_quality(survey)
    assert isinstance(res, FitResult) and res.converged and res.message == "closed form (OLS)"
    assert res.iterations is None and res.n_obs == 400
    sc = L.scale_scores(survey)
    preds = ["trust", "satisfaction", "commitment", "friendship"]
    ref = sm.OLS(sc["loyalty"].to_numpy(), sm.add_constant(sc[preds].to_numpy())).fit()
    np.testing.assert_allclose(res.params.to_numpy(), ref.params, rtol=1e-12)
    np.testing.assert_allclose(res.standard_errors.to_numpy(), ref.bse, rtol=1e-12)
    np.testing.assert_allclose(res.conf_int(0.9).to_numpy(), ref.conf_int(alpha=0.1), rtol=1e-10)
    np.testing.assert_allclose(res.p_values.to_numpy(), ref.pvalues, rtol=1e-10)
    assert res.log_likelihood == pytest.approx(ref.llf, rel=1e-12)
    assert res.fit_stat == pytest.approx(ref.rsquared, rel=1e-12)
    assert list(res.params.index) == ["const", *preds]
    with pytest.raises(dataclasses.FrozenInstanceError):
        res.fit_stat = 1.0
    effects = res.standardised
    effects.iloc[0] = 99.0  # a copy
    assert res.standardised.iloc[0] != 99.0


def test_ordered_logit_reports_the_optimiser(survey):
    from statsmodels.miscmodels.ordinal_model import OrderedModel

    res = L.fit_relationship_quality(survey, model="ordered_logit")
    assert res.converged and res.message == "Optimization terminated successfully"
    assert res.iterations > 0 and res.log_likelihood < 0
    sc = L.scale_scores(survey)
    preds = ["trust", "satisfaction", "commitment", "friendship"]
    y = pd.Categorical(survey["loyalty_stage"], categories=[1, 2, 3, 4, 5], ordered=True)
    ref = OrderedModel(pd.Series(y), sc[preds], distr="logit").fit(method="bfgs", disp=False, maxiter=2000)
    np.testing.assert_allclose(res.params.to_numpy(), ref.params.to_numpy(), rtol=1e-8)
    np.testing.assert_allclose(res.conf_int(0.9).to_numpy(), ref.conf_int(alpha=0.1).to_numpy(), rtol=1e-8)
    assert res.log_likelihood == pytest.approx(ref.llf, rel=1e-10)
    assert list(res.params.index)[4:] == ["1/2", "2/3", "3/4", "4/5"]
    summary = res.summary()
    assert np.isnan(summary.loc["1/2", "standardised"]) and summary.loc["trust", "alpha"] > 0.7
    assert "<table" in res._repr_html_() and "ordered logit" in res._repr_html_()


def test_ordered_logit_that_stops_early_warns_and_says_so(survey):
    with pytest.warns(ConvergenceWarning, match="maxiter"):
        res = L.fit_relationship_quality(survey, model="ordered_logit", maxiter=3)
    assert not res.converged and "Maximum number of iterations" in res.message and res.iterations == 3
    assert "NOT converged" in repr(res)
    with warnings.catch_warnings():
        warnings.simplefilter("error", ConvergenceWarning)  # users can filter it like any warning
        with pytest.raises(ConvergenceWarning):
            L.fit_relationship_quality(survey, model="ordered_logit", maxiter=3)


def test_degenerate_surveys_are_refused(survey):
    small = survey.head(5)
    with pytest.raises(ValueError, match="needs at least 6 respondents"):
        L.fit_relationship_quality(small)
    flat = survey.assign(friend1=4, friend2=4, friend3=4)
    with pytest.raises(ValueError, match="'friendship' does not vary"):
        L.fit_relationship_quality(flat)
    twin = dict(L.SURVEY_SCALES, friendship=L.SURVEY_SCALES["trust"])
    with pytest.raises(ValueError, match="linearly dependent"):
        L.fit_relationship_quality(survey, scales=twin)
    holes = survey.astype(float)
    holes.loc[7, "sat2"] = np.nan
    with pytest.raises(ValueError, match="missing answers in scale 'satisfaction'.*row 7"):
        L.fit_relationship_quality(holes)
    with pytest.raises(ValueError, match="at least 3 ordered levels"):
        L.fit_relationship_quality(survey.assign(loyalty_stage=survey["loyalty_stage"] > 3), model="ordered_logit")
    with pytest.raises(ValueError, match="maxiter"):
        L.fit_relationship_quality(survey, model="ordered_logit", maxiter=0)


# ----------------------------------------------------------------------------- widgets
def test_grid_widget_follows_pure_functions():
    pytest.importorskip("ipywidgets")
    from crmlib.widgets import loyalty as W

    w = W.explore_loyalty_grid()
    first = list(w.sliders)[0]
    assert first == "relative_attitude"
    d = W.GridCustomer.default()
    assert L.dick_basu(d.relative_attitude, d.repeat_patronage) in w.readout.value
    assert w.result == d.classify()
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
    assert w.result["seven_type"] == "incentive loyalty"
    with pytest.raises(ValueError, match="relative_attitude"):
        W.GridCustomer(relative_attitude=1.5)


def test_index_widget_follows_pure_functions():
    pytest.importorskip("ipywidgets")
    from crmlib.widgets import loyalty as W

    w = W.explore_loyalty_index()
    rec = L.LoyaltyCriteria.default()
    assert f"{rec.index():.1f} / 100" in w.readout.value
    w.sliders["score:repeat_purchases"].value = 5
    expected = L.criteria_index(rec.scores | {"repeat_purchases": 5}, rec.weights)
    assert f"{expected:.1f} / 100" in w.readout.value
    pd.testing.assert_frame_equal(w.result, L.criteria_contributions(rec.scores | {"repeat_purchases": 5}))
    w.sliders["weight:choice_time"].value = 0.5
    assert "weights sum to 1.35" in w.readout.value and w.result is None


def test_widgets_evaluate_the_model_once_per_event(monkeypatch):
    pytest.importorskip("ipywidgets")
    from crmlib.widgets import loyalty as W

    calls = {"contributions": 0, "classify": 0}
    real_contributions, real_classify = L.criteria_contributions, W.GridCustomer.classify

    def counted_contributions(*args, **kwargs):
        calls["contributions"] += 1
        return real_contributions(*args, **kwargs)

    def counted_classify(self):
        calls["classify"] += 1
        return real_classify(self)

    monkeypatch.setattr(L, "criteria_contributions", counted_contributions)
    monkeypatch.setattr(L, "criteria_index", lambda *a, **k: pytest.fail("the readout recomputed the index"))
    monkeypatch.setattr(W.GridCustomer, "classify", counted_classify)
    wi = W.explore_loyalty_index()
    wg = W.explore_loyalty_grid()
    calls.update(contributions=0, classify=0)
    wi.sliders["score:choice_time"].value = 5
    wg.sliders["habit"].value = 5
    assert calls == {"contributions": 1, "classify": 1}


# ----------------------------------------------------------------------------- figures
@pytest.fixture
def plt():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    yield plt
    plt.close("all")


def test_grid_figure_draws_the_customers_and_the_cut_offs(plt):
    from crmlib.plotting import loyalty as P

    ax = P.plot_loyalty_grid([0.2, 0.8], [0.9, 0.1], attitude_cutoff=0.6, labels=["a", "b"])
    offsets = ax.collections[-1].get_offsets()
    np.testing.assert_allclose(offsets, [[0.9, 0.2], [0.1, 0.8]])  # x = patronage, y = attitude
    texts = {t.get_text() for t in ax.texts}
    assert set(L.DICK_BASU_CLASSES.values()) <= texts and {"a", "b"} <= texts
    hline = [ln for ln in ax.lines if np.allclose(ln.get_ydata(), 0.6)]
    assert hline, "the attitude cut-off is drawn at 0.6"
    assert ax.get_title() == "Dick & Basu (1994)"
    ax = P.plot_loyalty_grid(scheme="griffin")
    assert set(L.GRIFFIN_CLASSES.values()) <= {t.get_text() for t in ax.texts} and len(ax.collections) == 4
    with pytest.raises(ValueError, match="scheme"):
        P.plot_loyalty_grid(scheme="oliver")
    with pytest.raises(ValueError, match="same index"):
        P.plot_loyalty_grid(pd.Series([0.1], index=["a"]), pd.Series([0.1], index=["b"]))


def test_seven_types_figure_places_every_type(plt):
    from crmlib.plotting import loyalty as P

    ax = P.plot_seven_types()
    text = " ".join(t.get_text() for t in ax.texts)
    for t in L.SEVEN_TYPES:
        assert t.name in text and t.chinese in text
    assert [tick.get_text() for tick in ax.get_xticklabels()] == ["low", "high"]


def test_inter_purchase_histogram_and_median(plt):
    from crmlib.plotting import loyalty as P

    ax = P.plot_inter_purchase_times([1, 5, 30, 40])
    heights = [p.get_height() for p in ax.patches]
    assert sum(heights) == 4 and heights[0] == 2  # 1 and 5 fall in the first two-week bin
    median = [ln for ln in ax.lines if ln.get_linestyle() == "--"][0]
    assert np.allclose(median.get_xdata(), 17.5)
    assert "median 18 days" in ax.get_legend().get_texts()[0].get_text()


def test_effects_figure_draws_the_standardised_effects(plt, survey):
    from crmlib.plotting import loyalty as P

    ols = L.fit_relationship_quality(survey)
    ologit = L.fit_relationship_quality(survey, model="ordered_logit")
    ax = P.plot_standardised_effects(ols, ologit)
    heights = [p.get_height() for p in ax.patches]
    np.testing.assert_allclose(heights, [*ols.standardised, *ologit.standardised])
    assert [t.get_text() for t in ax.get_xticklabels()] == list(ols.predictors)
    with pytest.raises(TypeError, match="RelationshipQualityResult"):
        P.plot_standardised_effects("ols")


def test_index_figure_draws_the_contributions(plt):
    from crmlib.plotting import loyalty as P

    table = L.criteria_contributions(L.LoyaltyCriteria().scores)
    ax = P.plot_index_contributions(table)
    widths = [p.get_width() for p in ax.patches]
    np.testing.assert_allclose(widths[:5], table["maximum"])
    np.testing.assert_allclose(widths[5:], table["contribution"])
    assert ax.get_title() == "Loyalty index = 56.2"  # 56.25 rounded half to even
    assert [t.get_text() for t in ax.get_yticklabels()] == list(L.CRITERIA)
    with pytest.raises(TypeError, match="criteria_contributions"):
        P.plot_index_contributions(L.LoyaltyCriteria().scores)


# ----------------------------------------------------------------------------- properties (issue 20)
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_unit = st.floats(min_value=0.0, max_value=1.0, allow_nan=False)


@settings(max_examples=60, deadline=None)
@given(pairs=st.lists(st.tuples(_unit, _unit), min_size=1, max_size=12), seed=st.integers(0, 2**32 - 1))
def test_property_classifiers_pair_customers_by_label(pairs, seed):
    """Shuffling one Series never changes any customer's class (alignment by index, issue 20)."""
    idx = [f"c{i}" for i in range(len(pairs))]
    att = pd.Series([a for a, _ in pairs], index=idx)
    pat = pd.Series([p for _, p in pairs], index=idx)
    shuffled = pat.sample(frac=1.0, random_state=seed)
    for func in (L.dick_basu, L.griffin):
        out = func(att, shuffled)
        assert list(out.index) == idx
        assert out.tolist() == [func(a, p) for a, p in pairs]


@settings(max_examples=40, deadline=None)
@given(
    days=st.lists(st.integers(0, 60), min_size=1, max_size=15),
    customers=st.lists(st.integers(1, 4), min_size=15, max_size=15),
    end=st.integers(0, 60),
)
def test_property_end_day_is_included(days, customers, end):
    """``end`` keeps exactly the purchase days on or before it (inclusive periods, issue 13)."""
    base = pd.Timestamp("1997-01-01")
    tx = pd.DataFrame(
        {
            "customer_id": customers[: len(days)],
            "date": [base + pd.Timedelta(days=d) for d in days],
            "amount": 1.0,
        }
    )
    occasions = {(c, d) for c, d in zip(tx["customer_id"], days) if d <= end}
    end_day = base + pd.Timedelta(days=end)
    if not occasions:
        with pytest.raises(ValueError, match="leaves no purchases"):
            L.purchase_history(tx, end=end_day)
        return
    hist = L.purchase_history(tx, end=end_day.strftime("%Y-%m-%d"))
    assert int(hist["purchases"].sum()) == len(occasions)
    share = L.period_share(tx, base, end_day)
    assert ((share >= 0) & (share <= 1)).all()
    expected = {
        c: len({d for cc, d in occasions if cc == c}) / len({d for cc, d in zip(customers, days) if cc == c})
        for c in set(customers[: len(days)])
    }
    assert share.to_dict() == pytest.approx(expected)
