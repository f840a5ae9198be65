"""Key-driver analysis (chapter 1, "what drives satisfaction"): crmlib.satisfaction.fit_key_drivers & co.

Where the numbers come from:

* Grömping's published relaimpo output for R's ``swiss`` data (tests/data/swiss.csv, provenance in
  tests/data/README.md): the relaimpo vignette of 16 December 2005 (CRAN relaimpo 0.2,
  ``inst/doc/relaimpo_vignette.pdf``, p. 6, the same example as Grömping 2006, *Journal of Statistical
  Software* 17(1), section 4) prints ``calc.relimp(cov(swiss), type = c("lmg", ..., "first", ...))``
  with shares normalised to 100% (relaimpo's default then), R² = 70.67%, and on p. 5 the squared
  correlations ``cor(swiss[, 1], swiss[, 2:6])^2``;
* analytic properties of the LMG decomposition (Lindeman, Merenda & Gold 1980; Grömping 2007,
  *The American Statistician* 61(2), 139-147): the shares sum to R²; with orthogonal regressors each
  share is the squared correlation; with two regressors LMG_1 = (r_1² + R² − r_2²) / 2;
* the definition itself, computed independently: the sequential R² gains averaged over all p!
  orders, each R² from numpy's least squares (not crmlib's subset formula);
* standardised betas: numpy least squares on z-scores.
"""

from __future__ import annotations

import itertools
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from crmlib import datasets
from crmlib import satisfaction as sat

DATA = Path(__file__).parent / "data"
SWISS_REGRESSORS = ["Agriculture", "Examination", "Education", "Catholic", "Infant.Mortality"]


@pytest.fixture(scope="module")
def swiss():
    return pd.read_csv(DATA / "swiss.csv", index_col=0)


@pytest.fixture(scope="module")
def survey():
    return datasets.constructed_driver_survey(500, rng=np.random.default_rng(2026))


@pytest.fixture(scope="module")
def fit(survey):
    return sat.fit_key_drivers(survey)


def _r2(y, x):
    """R² of an OLS fit with intercept, by numpy least squares."""
    design = np.column_stack([np.ones(len(y)), x])
    coef, *_ = np.linalg.lstsq(design, y, rcond=None)
    resid = y - design @ coef
    return 1 - resid @ resid / ((y - y.mean()) @ (y - y.mean()))


# ------------------------------------------------------------------ the published table
def test_lmg_reproduces_groemping_swiss_table(swiss):
    kd = sat.fit_key_drivers(swiss, overall="Fertility", drivers=SWISS_REGRESSORS)
    # relaimpo vignette (Grömping 2005/2006), p. 6: "Proportion of variance explained by model: 70.67%"
    assert round(100 * kd.r_squared, 2) == 70.67
    # ... and the lmg column (normalised to sum 1), printed to 8 decimals
    published_lmg = [0.08078165, 0.24220256, 0.36807952, 0.14937728, 0.15955899]
    assert kd.table["lmg_share"].to_numpy() == pytest.approx(published_lmg, abs=1e-8)
    # the absolute shares are the normalised ones times R²
    assert kd.table["lmg"].to_numpy() == pytest.approx(np.array(published_lmg) * kd.r_squared, abs=1e-8)
    # p. 5: cor(swiss[, 1], swiss[, 2:6])^2, printed to 7 decimals (relaimpo's "first")
    published_first = [0.1246649, 0.4171645, 0.4406156, 0.2150035, 0.1735189]
    assert (kd.table["correlation"] ** 2).to_numpy() == pytest.approx(published_first, abs=1e-7)
    # p. 6: the "first" column normalised, and "betasq" normalised (squared standardised betas)
    first = kd.table["correlation"].to_numpy() ** 2
    assert first / first.sum() == pytest.approx([0.09093207, 0.30428474, 0.32139030, 0.15682612, 0.12656677], abs=1e-8)
    betasq = kd.table["beta"].to_numpy() ** 2
    assert betasq / betasq.sum() == pytest.approx(
        [0.12911291, 0.03580132, 0.59260934, 0.15931588, 0.08316055], abs=1e-8
    )


# ------------------------------------------------------------------ analytic properties
def test_lmg_shares_sum_to_r_squared(fit, swiss):
    assert fit.table["lmg"].sum() == pytest.approx(fit.r_squared, abs=1e-12)
    assert fit.table["lmg_share"].sum() == pytest.approx(1.0, abs=1e-12)
    assert (fit.table["lmg"] > 0).all()
    kd = sat.fit_key_drivers(swiss, overall="Fertility")
    assert kd.table["lmg"].sum() == pytest.approx(kd.r_squared, abs=1e-12)


def test_lmg_equals_squared_correlation_for_orthogonal_drivers():
    rng = np.random.default_rng(11)
    raw = rng.normal(size=(60, 4))
    raw -= raw.mean(axis=0)
    q, _ = np.linalg.qr(raw)  # exactly orthogonal, centred columns
    x = q * np.array([3.0, 1.0, 2.0, 0.5]) + np.array([5.0, 6.0, 7.0, 8.0])
    y = x @ np.array([0.8, -0.5, 0.3, 0.1]) + rng.normal(size=60)
    data = pd.DataFrame(x, columns=list("abcd")).assign(overall=y)
    kd = sat.fit_key_drivers(data)
    r = np.array([np.corrcoef(y, x[:, j])[0, 1] for j in range(4)])
    assert kd.table["lmg"].to_numpy() == pytest.approx(r**2, abs=1e-12)
    assert kd.r_squared == pytest.approx((r**2).sum(), abs=1e-12)


def test_lmg_with_two_drivers_is_the_average_of_the_two_orders():
    rng = np.random.default_rng(3)
    x1 = rng.normal(size=200)
    x2 = 0.6 * x1 + rng.normal(size=200)
    y = x1 + 0.5 * x2 + rng.normal(size=200)
    kd = sat.fit_key_drivers(pd.DataFrame({"overall": y, "x1": x1, "x2": x2}))
    r1, r2 = np.corrcoef(y, x1)[0, 1] ** 2, np.corrcoef(y, x2)[0, 1] ** 2
    full = _r2(y, np.column_stack([x1, x2]))
    assert kd.table.loc["x1", "lmg"] == pytest.approx((r1 + full - r2) / 2, abs=1e-12)
    assert kd.table.loc["x2", "lmg"] == pytest.approx((r2 + full - r1) / 2, abs=1e-12)


def test_lmg_equals_the_average_over_all_orders_by_brute_force(survey):
    drivers = ["quality", "price", "care", "brand_image"]
    kd = sat.fit_key_drivers(survey, drivers=drivers)
    y = survey["overall"].to_numpy(float)
    x = survey[drivers].to_numpy(float)
    gains = np.zeros(len(drivers))
    orders = list(itertools.permutations(range(len(drivers))))
    for order in orders:
        before = 0.0
        for k, j in enumerate(order):
            after = _r2(y, x[:, list(order[: k + 1])])
            gains[j] += after - before
            before = after
    assert kd.table["lmg"].to_numpy() == pytest.approx(gains / math.factorial(len(drivers)), abs=1e-10)


def test_shares_follow_their_drivers_when_reordered(survey):
    a = sat.fit_key_drivers(survey, drivers=list(sat.SATISFACTION_DRIVERS))
    b = sat.fit_key_drivers(survey, drivers=list(reversed(sat.SATISFACTION_DRIVERS)))
    pd.testing.assert_series_equal(a.table["lmg"], b.table["lmg"].loc[a.table.index], check_exact=False, rtol=1e-12)


def test_betas_are_the_regression_on_z_scores(survey, fit):
    z = (survey - survey.mean()) / survey.std(ddof=1)
    coef, *_ = np.linalg.lstsq(z[list(sat.SATISFACTION_DRIVERS)].to_numpy(), z["overall"].to_numpy(), rcond=None)
    assert fit.params.to_numpy() == pytest.approx(coef, abs=1e-10)
    assert fit.table["performance"].to_numpy() == pytest.approx(survey[list(sat.SATISFACTION_DRIVERS)].mean())
    # the result protocol: t intervals with n - p - 1 degrees of freedom, frozen, summary
    ci = fit.conf_int(0.95)
    assert (ci["lower"] < fit.params).all() and (fit.params < ci["upper"]).all()
    assert fit.df_resid == len(survey) - len(sat.SATISFACTION_DRIVERS) - 1
    assert list(fit.summary().columns) == ["estimate", "std_error", "t", "p_value", "lower_95", "upper_95"]
    assert fit.summary()["p_value"].to_numpy() == pytest.approx(fit.table["p_value"].to_numpy(), rel=1e-8)
    assert "R² =" in repr(fit) and fit.converged


def test_constructed_survey_recovers_its_weights_without_halo():
    # With uncorrelated drivers (halo 0) the population LMG share of driver j is w_j² / Σw²
    # (orthogonal regressors: LMG = r², and r_j ∝ w_j); rounding the ratings blurs it only a little.
    big = datasets.constructed_driver_survey(40_000, rng=np.random.default_rng(5), halo=0.0)
    kd = sat.fit_key_drivers(big)
    w = np.array([datasets.DRIVER_SURVEY_WEIGHTS[d] for d in kd.drivers])
    assert kd.table["lmg_share"].to_numpy() == pytest.approx(w**2 / (w**2).sum(), abs=0.01)


# ------------------------------------------------------------------ the grid
def test_grid_quadrants_follow_the_documented_lines(fit):
    grid = sat.importance_performance_grid(fit)
    i_cut, p_cut = grid.attrs["importance_cut"], grid.attrs["performance_cut"]
    assert i_cut == pytest.approx(1 / len(fit.drivers))  # mean of shares summing to 1
    assert p_cut == pytest.approx(fit.table["performance"].mean())
    for driver, row in grid.iterrows():
        high_i, high_p = row["importance"] >= i_cut, row["performance"] >= p_cut
        expected = {
            (True, False): "concentrate here",
            (True, True): "keep up the good work",
            (False, False): "low priority",
            (False, True): "possible overkill",
        }[(high_i, high_p)]
        assert row["quadrant"] == expected, driver
    # the constructed survey is built so that every quadrant has a driver
    assert set(grid["quadrant"]) == set(sat.QUADRANTS)
    # explicit lines: everything above a low line is "important"
    low = sat.importance_performance_grid(fit, importance_cut=0.0, performance_cut=10.0)
    assert set(low["quadrant"]) == {"concentrate here"}
    beta = sat.importance_performance_grid(fit, measure="beta")
    assert beta["importance"].to_numpy() == pytest.approx(fit.params.to_numpy())
    with pytest.raises(ValueError, match="measure"):
        sat.importance_performance_grid(fit, measure="stated")


def test_moving_a_driver_moves_the_prediction_by_its_slope(fit, survey):
    old = fit.table.loc["price", "performance"]
    out = sat.evaluate_driver_change(fit, "price", old + 1.5)
    assert out.overall_before == pytest.approx(survey["overall"].mean())
    assert out.change == pytest.approx(1.5 * fit.table.loc["price", "coefficient"])
    assert out.grid.loc["price", "performance"] == pytest.approx(old + 1.5)
    assert out.grid.attrs == out.grid_before.attrs  # the lines stay where the survey put them
    assert (out.quadrant_before, out.quadrant_after) == ("concentrate here", "keep up the good work")
    same = sat.evaluate_driver_change(fit, "price", old)
    assert same.change == pytest.approx(0.0, abs=1e-12) and same.quadrant_after == same.quadrant_before
    with pytest.raises(ValueError, match="performance must be in"):
        sat.evaluate_driver_change(fit, "price", 11)
    with pytest.raises(ValueError, match="driver must be one of"):
        sat.evaluate_driver_change(fit, "taste", 7)
    with pytest.raises(TypeError, match="result must be a KeyDriverResult"):
        sat.evaluate_driver_change(survey, "price", 7)


# ------------------------------------------------------------------ refusals
def test_bad_surveys_are_refused_with_clear_errors(survey):
    with pytest.raises(ValueError, match=r"data\['price'\] has 1 missing"):
        sat.fit_key_drivers(survey.astype(float).assign(price=lambda d: d["price"].where(d.index != 3)))
    with pytest.raises(ValueError, match="constant"):
        sat.fit_key_drivers(survey.assign(care=5))
    with pytest.raises(ValueError, match="linearly dependent"):
        sat.fit_key_drivers(survey.assign(care=survey["price"] + survey["quality"]))
    with pytest.raises(ValueError, match="more respondents"):
        sat.fit_key_drivers(survey.head(6))
    with pytest.raises(ValueError, match="must not include the overall"):
        sat.fit_key_drivers(survey, drivers=["overall", "price"])
    with pytest.raises(ValueError, match="2 to 12"):
        sat.fit_key_drivers(survey, drivers=["price"])
    with pytest.raises(ValueError, match="missing column"):
        sat.fit_key_drivers(survey, drivers=["price", "taste"])
    with pytest.raises(TypeError, match="numeric"):
        sat.fit_key_drivers(survey.assign(price="high"))
    with pytest.raises(TypeError, match="DataFrame"):
        sat.fit_key_drivers(survey.to_numpy())


def test_constructed_survey_is_seeded_and_labelled():
    a = datasets.constructed_driver_survey(200, rng=np.random.default_rng(9))
    b = datasets.constructed_driver_survey(200, rng=np.random.default_rng(9))
    pd.testing.assert_frame_equal(a, b)
    assert list(a.columns) == ["overall", *sat.SATISFACTION_DRIVERS]
    assert "constructed" in a.attrs["metadata"].title and a.attrs["metadata"].rows == 200
    assert set(sat.DRIVER_TERMS) == set(sat.SATISFACTION_DRIVERS) == set(datasets.DRIVER_SURVEY_WEIGHTS)
    with pytest.raises(TypeError, match="rng"):
        datasets.constructed_driver_survey(200, rng=None)
    with pytest.raises(ValueError, match="halo"):
        datasets.constructed_driver_survey(200, rng=np.random.default_rng(1), halo=1.0)


# ------------------------------------------------------------------ views
def test_grid_figure_labels_the_quadrants_and_the_move(fit):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from crmlib.plotting import satisfaction as sp

    out = sat.evaluate_driver_change(fit, "price", 8.0)
    ax = sp.plot_importance_performance(out)
    texts = [t.get_text() for t in ax.texts]
    for quadrant in sat.QUADRANTS:
        assert any(t.startswith(quadrant) for t in texts), quadrant
    assert "price 价格" in texts
    assert len(ax.collections[0].get_offsets()) == len(fit.drivers)
    assert "constructed" in ax.get_xlabel()
    assert ax.lines[0].get_xdata()[0] == pytest.approx(out.grid.attrs["performance_cut"])
    plt.close("all")
    with pytest.raises(TypeError, match="grid must be"):
        sp.plot_importance_performance(fit.table)


def test_driver_widget_follows_the_pure_functions(fit):
    pytest.importorskip("ipywidgets")
    import matplotlib

    matplotlib.use("Agg")
    from crmlib.widgets import satisfaction as ws

    w = ws.explore_key_drivers(fit)
    assert w.sliders["driver"].value == fit.drivers[0]
    assert w.readout.value == ws.drivers_readout(
        sat.evaluate_driver_change(fit, fit.drivers[0], round(fit.table.loc[fit.drivers[0], "performance"], 2))
    )
    w.sliders["driver"].value = "price"
    assert w.sliders["performance"].value == pytest.approx(round(fit.table.loc["price", "performance"], 2))
    w.sliders["performance"].value = 8.0
    expected = sat.evaluate_driver_change(fit, "price", 8.0)
    assert w.readout.value == ws.drivers_readout(expected)
    assert w.result.overall_after == pytest.approx(expected.overall_after)
    assert "concentrate here → keep up the good work" in w.readout.value
    with pytest.raises(TypeError, match="KeyDriverResult"):
        ws.explore_key_drivers(fit.table)


def test_driver_widget_evaluates_once_per_event(fit, monkeypatch):
    pytest.importorskip("ipywidgets")
    import matplotlib

    matplotlib.use("Agg")
    from crmlib.widgets import satisfaction as ws

    calls = []
    original = sat.evaluate_driver_change
    monkeypatch.setattr(sat, "evaluate_driver_change", lambda *a, **k: calls.append(a[1]) or original(*a, **k))
    w = ws.explore_key_drivers(fit)
    assert calls == [fit.drivers[0]]
    calls.clear()
    w.sliders["driver"].value = "care"  # also moves the slider to care's mean: still one evaluation
    assert calls == ["care"]
    calls.clear()
    w.sliders["performance"].value = 9.0
    assert calls == ["care"]
