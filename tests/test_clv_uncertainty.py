"""Intervals of P(alive), expected purchases, expected spend and CLV (crmlib.clv.uncertainty).

Where each reference comes from:

* the covariance of the log-parameters is checked against the fits' own standard errors (same
  observed information, computed by the models);
* the delta-method standard errors of the closed-form predictions — Gamma-Gamma E[Z | x, m̄]
  (Fader & Hardie 2013, eq. 5) and BG/NBD P(alive) (Fader, Hardie & Lee 2005a, eq. 11) — are
  checked against g' Σ g with g their **analytic** derivatives, written out below by hand;
* CLV is linear in the margin, so its standard error must scale exactly with it;
* the delta method and the parametric bootstrap must agree at a large number of draws (two
  independent computations of the same asymptotic distribution, one linearised, one not);
* the intervals must cover the prediction at the true parameters at about the nominal rate in a
  seeded simulation from the BG/NBD with known parameters (FHL 2005a's CDNOW estimates).
"""

from __future__ import annotations

import dataclasses
import warnings

import numpy as np
import pandas as pd
import pytest

from crmlib import clv, datasets
from crmlib.clv import uncertainty as U


@pytest.fixture(scope="module")
def rfm():
    log = datasets.load_cdnow()
    return clv.rfm_summary(log, "customer_id", "date", "amount", calibration_end="1997-09-30")


@pytest.fixture(scope="module")
def bg(rfm):
    return clv.fit_bg_nbd(rfm["frequency"], rfm["recency"], rfm["T"])


@pytest.fixture(scope="module")
def pnbd(rfm):
    return clv.fit_pareto_nbd(rfm["frequency"], rfm["recency"], rfm["T"])


@pytest.fixture(scope="module")
def gg(rfm):
    rep = rfm[rfm["frequency"] > 0]
    return clv.fit_gamma_gamma(rep["frequency"], rep["monetary_value"])


@pytest.fixture(scope="module")
def some(rfm):
    """200 CDNOW customers (every 11th), with and without repeat purchases."""
    return rfm.iloc[::11].iloc[:200]


# ------------------------------------------------------------------ the covariance
@pytest.mark.parametrize("name", ["bg", "pnbd", "gg"])
def test_covariance_gives_the_fits_standard_errors(name, request):
    model = request.getfixturevalue(name)
    cov = clv.parameter_covariance(model)
    assert list(cov.index) == [f"ln {n}" for n in model.param_names]
    np.testing.assert_allclose(cov.to_numpy(), cov.to_numpy().T)
    se = np.sqrt(np.diag(cov.to_numpy())) * model.params.to_numpy()
    # Pareto/NBD: the fit differentiates in other coordinates (ln r, ln α, ln s, ln μ), forward differences
    np.testing.assert_allclose(se, model.standard_errors.to_numpy(), rtol=1e-3 if name == "pnbd" else 1e-6)


def test_a_model_with_given_parameters_has_no_interval():
    model = clv.BGNBDResult.from_params(r=0.243, alpha=4.414, a=0.793, b=2.426)
    with pytest.raises(ValueError, match="purchase_model has no covariance.*from_params"):
        clv.delta_intervals("prob_alive", model, frequency=2, recency=30.0, T=38.0)
    with pytest.raises(TypeError, match="model must be a fitted"):
        clv.parameter_covariance("bg")


# ------------------------------------------------------------------ delta method against analytic derivatives
def test_delta_se_of_expected_spend_equals_the_analytic_derivative(gg, some):
    """E[Z|x,m] = (γ + x m) p / (p x + q - 1): its derivatives in ln p, ln q, ln γ by hand."""
    x = some["frequency"].to_numpy()
    m = some["monetary_value"].to_numpy()
    p, q, g = gg.params.to_numpy()
    D = p * x + q - 1
    grad = np.column_stack(
        [
            p * (g + x * m) * (q - 1) / D**2,  # p ∂E/∂p
            -q * (g + x * m) * p / D**2,  # q ∂E/∂q
            g * p / D,  # γ ∂E/∂γ
        ]
    )
    cov = clv.parameter_covariance(gg).to_numpy()
    se = np.sqrt(np.einsum("ij,jk,ik->i", grad, cov, grad))
    res = clv.delta_intervals(
        "expected_spend", spend_model=gg, frequency=some["frequency"], monetary_value=some["monetary_value"]
    )
    np.testing.assert_allclose(res.std_error.to_numpy(), se, rtol=1e-7)
    g_tot = grad.sum(axis=0)
    assert res.total["std_error"] == pytest.approx(np.sqrt(g_tot @ cov @ g_tot), rel=1e-7)
    np.testing.assert_allclose(res.estimate.to_numpy(), (g + x * m) * p / D, rtol=1e-12)


def test_delta_se_of_prob_alive_equals_the_analytic_derivative(bg, some):
    """BG/NBD P(alive) = 1/(1+D), ln D = ln a - ln(b+x-1) + (r+x) ln((α+T)/(α+t_x)) for x > 0
    (FHL 2005a eq. 11); dP/dθ = -P(1-P) d ln D/dθ, by hand."""
    x, tx, T = (some[c].to_numpy() for c in ("frequency", "recency", "T"))
    r, al, a, b = bg.params.to_numpy()
    pos = x > 0
    lnD = np.log(a) - np.log(np.where(pos, b + x - 1, 1.0)) + (r + x) * (np.log(al + T) - np.log(al + tx))
    P = np.where(pos, 1 / (1 + np.exp(lnD)), 1.0)
    dlnD = np.column_stack(
        [
            r * (np.log(al + T) - np.log(al + tx)),
            al * (r + x) * (1 / (al + T) - 1 / (al + tx)),
            np.ones_like(x),
            -b / np.where(pos, b + x - 1, 1.0),
        ]
    )
    grad = np.where(pos[:, None], -(P * (1 - P))[:, None] * dlnD, 0.0)
    cov = clv.parameter_covariance(bg).to_numpy()
    se = np.sqrt(np.einsum("ij,jk,ik->i", grad, cov, grad))
    res = clv.delta_intervals("prob_alive", bg, frequency=some["frequency"], recency=some["recency"], T=some["T"])
    np.testing.assert_allclose(res.std_error.to_numpy(), se, rtol=1e-6, atol=1e-12)
    g_tot = grad.sum(axis=0)
    assert res.total["std_error"] == pytest.approx(np.sqrt(g_tot @ cov @ g_tot), rel=1e-6)
    # x = 0: alive for certain, whatever the parameters: a zero-width interval at 1
    zero = ~pos
    assert zero.any()
    assert np.all(res.lower.to_numpy()[zero] == 1.0) and np.all(res.upper.to_numpy()[zero] == 1.0)
    # the logit-scale interval stays inside (0, 1) and contains the estimate
    assert np.all((res.lower > 0) & (res.lower <= res.estimate) & (res.estimate <= res.upper) & (res.upper <= 1))


def test_clv_standard_error_is_linear_in_the_margin(bg, gg, some):
    args = dict(
        frequency=some["frequency"], recency=some["recency"], T=some["T"], monetary_value=some["monetary_value"]
    )
    full = clv.delta_intervals("clv", bg, gg, **args, periods=6)
    third = clv.delta_intervals("clv", bg, gg, **args, periods=6, profit_share=0.3)
    np.testing.assert_allclose(third.std_error.to_numpy(), 0.3 * full.std_error.to_numpy(), rtol=1e-9)
    np.testing.assert_allclose(third.lower.to_numpy(), 0.3 * full.lower.to_numpy(), rtol=1e-9)
    expected = clv.customer_lifetime_value(bg, gg, **args, periods=6, profit_share=0.3)
    pd.testing.assert_series_equal(third.estimate, expected, check_names=False)
    # CLV = spend × purchases with independent parameter blocks: Var = (P σ_S)² + (S σ_P)²
    spend = clv.delta_intervals(
        "expected_spend", spend_model=gg, frequency=args["frequency"], monetary_value=args["monetary_value"]
    )
    purch_only = full.estimate / spend.estimate
    var_spend_part = (purch_only * spend.std_error) ** 2
    assert np.all(full.std_error**2 >= var_spend_part * (1 - 1e-9))


# ------------------------------------------------------------------ delta against the bootstrap
CASES = [
    ("prob_alive", "bg"),
    ("expected_purchases", "bg"),
    ("prob_alive", "pnbd"),
    ("expected_spend", None),
    ("clv", "pnbd"),
]


def _agreement(quantity, pm, gg, keep, n_draws):
    args = dict(
        frequency=keep["frequency"], recency=keep["recency"], T=keep["T"], monetary_value=keep["monetary_value"]
    )
    if quantity == "expected_spend":
        args = dict(frequency=keep["frequency"], monetary_value=keep["monetary_value"])
    t = 39.0 if quantity == "expected_purchases" else None
    d = clv.delta_intervals(quantity, pm, gg, **args, t=t, periods=6)
    b = clv.bootstrap_intervals(
        quantity, pm, gg, **args, t=t, periods=6, n_draws=n_draws, rng=np.random.default_rng(19), progress=False
    )
    pd.testing.assert_series_equal(d.estimate, b.estimate)
    width = (d.upper - d.lower).to_numpy()
    return (
        (b.std_error / d.std_error).to_numpy(),
        np.abs(b.lower - d.lower).to_numpy() / width,
        np.abs(b.upper - d.upper).to_numpy() / width,
        b.total["std_error"] / d.total["std_error"],
    )


@pytest.mark.parametrize("quantity,model_name", CASES)
def test_delta_and_bootstrap_agree_when_the_parameters_are_well_known(
    quantity, model_name, request, gg, some, monkeypatch
):
    """With the covariance shrunk 100-fold (a base 100 times larger), the predictions are linear in
    the parameters over the spread of the draws, and the bootstrap (no linearisation, 4,000 draws:
    SE of a standard deviation about 1.1%) must reproduce the delta method: this checks the
    numerical gradients, including those through the quadratures of the Pareto/NBD and of CLV."""
    pm = request.getfixturevalue(model_name) if model_name else None
    for model in (pm, gg):
        if model is not None:
            monkeypatch.setitem(U._COV_CACHE, model, U._log_cov(model, "model") / 100)
    keep = some[some["frequency"] > 0].iloc[:40]  # x = 0 has zero-width intervals under the BG/NBD
    ratio, lo, hi, total = _agreement(quantity, pm, gg, keep, 4000)
    assert np.all(np.abs(ratio - 1) < 0.04), ratio
    assert np.all(lo < 0.06) and np.all(hi < 0.06), (lo, hi)
    assert total == pytest.approx(1.0, abs=0.04)


@pytest.mark.parametrize("quantity,model_name", CASES[:4])
def test_delta_and_bootstrap_agree_on_cdnow(quantity, model_name, request, gg, some):
    """At CDNOW's own covariance the two methods differ only through the curvature of the
    predictions over the spread of the draws (measured: SE ratios 0.94-1.17 for the Pareto/NBD,
    whose s and beta are poorly determined; within 6% for the BG/NBD and the Gamma-Gamma)."""
    pm = request.getfixturevalue(model_name) if model_name else None
    keep = some[some["frequency"] > 0].iloc[:40]
    ratio, lo, hi, total = _agreement(quantity, pm, gg, keep, 2000)
    assert np.all(np.abs(ratio - 1) < 0.25), ratio
    assert abs(np.median(ratio) - 1) < 0.12
    assert np.all(lo < 0.3) and np.all(hi < 0.3), (lo, hi)
    assert total == pytest.approx(1.0, abs=0.2)


# ------------------------------------------------------------------ coverage in a simulation with known parameters
TRUTH = dict(r=0.243, alpha=4.414, a=0.793, b=2.426)  # FHL (2005a) CDNOW estimates, used as the truth
PROFILES = dict(frequency=np.array([1, 2, 5, 10, 3]), recency=np.array([5.0, 30, 35, 38, 10]), T=np.full(5, 38.0))


def test_delta_intervals_cover_the_true_prediction_at_the_nominal_rate():
    """Fit the BG/NBD to 120 seeded simulated bases of 1,000 customers; count how often the 90%
    interval holds P(alive) and E[Y(39)] at the true parameters, for five customer histories and
    for the total over the simulated base. Measured at the 95% level over 1,000 bases of 2,000
    customers, the rates are 0.945-0.954 (crmlib.clv.uncertainty's notes); here 120 bases give a
    binomial SE of about 2.7 points."""
    true = clv.BGNBDResult.from_params(**TRUTH)
    refs = {
        "prob_alive": true.prob_alive(**PROFILES),
        "expected_purchases": true.conditional_expected_purchases(39.0, **PROFILES),
    }
    rng = np.random.default_rng(2026)
    reps, level = 120, 0.90
    hits = {q: np.zeros(5) for q in refs}
    total_hits = {q: 0 for q in refs}
    for _ in range(reps):
        sim = clv.simulate_bg_nbd(**TRUTH, n_customers=1000, rng=rng)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            model = clv.fit_bg_nbd(sim["frequency"], sim["recency"], sim["T"])
        x, tx, T = (sim[c].to_numpy() for c in ("frequency", "recency", "T"))
        for q, ref in refs.items():
            t = 39.0 if q == "expected_purchases" else None
            res = clv.delta_intervals(q, model, **PROFILES, t=t, level=level)
            hits[q] += (res.lower <= ref) & (ref <= res.upper)
            whole = clv.delta_intervals(q, model, None, x, tx, T, t=t, level=level)
            truth_total = float(
                np.sum(true.prob_alive(x, tx, T) if t is None else true.conditional_expected_purchases(t, x, tx, T))
            )
            total_hits[q] += whole.total["lower"] <= truth_total <= whole.total["upper"]
    for q in refs:
        rate = hits[q] / reps
        assert 0.84 <= rate.mean() <= 0.96, (q, rate)
        assert np.all((rate >= 0.78) & (rate <= 0.99)), (q, rate)
        assert 0.80 <= total_hits[q] / reps <= 0.98, (q, total_hits[q] / reps)


# ------------------------------------------------------------------ the result and the conventions
def test_result_record_follows_the_inputs(bg, rfm):
    one = clv.delta_intervals("prob_alive", bg, frequency=2, recency=30.0, T=38.0, level=0.9)
    assert isinstance(one.estimate, float) and isinstance(one.lower, float)
    assert one.lower < one.estimate < one.upper and one.level == 0.9 and one.method == "delta"
    assert one.estimate == bg.prob_alive(2, 30.0, 38.0)
    with pytest.raises(dataclasses.FrozenInstanceError):
        one.level = 0.5
    arr = clv.delta_intervals("prob_alive", bg, frequency=[2, 3], recency=[30.0, 20.0], T=[38.0, 38.0])
    assert isinstance(arr.estimate, np.ndarray) and arr.customers.shape == (2, 4)
    # index in, same index out; Series aligned by label
    sub = rfm.iloc[:5]
    labels = sub.index[::-1]
    res = clv.delta_intervals("prob_alive", bg, None, sub["frequency"].loc[labels], sub["recency"], sub["T"])
    assert list(res.estimate.index) == list(labels) and list(res.customers.index) == list(labels)
    pd.testing.assert_series_equal(
        res.estimate, bg.prob_alive(sub["frequency"].loc[labels], sub["recency"], sub["T"]), check_names=False
    )
    broken = pd.Series(sub["recency"].to_numpy(), index=[f"x{i}" for i in range(5)])
    with pytest.raises(ValueError, match="index"):
        clv.delta_intervals("prob_alive", bg, None, sub["frequency"], broken, sub["T"])
    assert res.mean["estimate"] == pytest.approx(res.estimate.mean())
    assert "prob_alive" in repr(res) and "delta" in repr(res)


def test_bad_arguments_are_refused_by_name(bg, gg):
    with pytest.raises(ValueError, match="quantity must be one of"):
        clv.delta_intervals("alive", bg, frequency=2, recency=30.0, T=38.0)
    with pytest.raises(TypeError, match="t .*required"):
        clv.delta_intervals("expected_purchases", bg, frequency=2, recency=30.0, T=38.0)
    with pytest.raises(TypeError, match="spend_model must be"):
        clv.delta_intervals("clv", bg, None, 2, 30.0, 38.0, 50.0)
    with pytest.raises(TypeError, match="monetary_value is required"):
        clv.delta_intervals("clv", bg, gg, 2, 30.0, 38.0)
    with pytest.raises(ValueError, match="recency"):
        clv.delta_intervals("prob_alive", bg, frequency=2, recency=40.0, T=38.0)
    with pytest.raises(ValueError, match="scale must be one of"):
        clv.delta_intervals("prob_alive", bg, frequency=2, recency=30.0, T=38.0, scale="log")
    with pytest.raises(ValueError, match="level"):
        clv.delta_intervals("prob_alive", bg, frequency=2, recency=30.0, T=38.0, level=95)
    with pytest.raises(TypeError, match="rng"):
        clv.bootstrap_intervals("prob_alive", bg, frequency=2, recency=30.0, T=38.0)  # rng is required
    with pytest.raises(TypeError, match="rng must be a numpy.random.Generator"):
        clv.bootstrap_intervals("prob_alive", bg, frequency=2, recency=30.0, T=38.0, rng=1)
    with pytest.raises(ValueError, match="n_draws"):
        clv.bootstrap_intervals(
            "prob_alive", bg, frequency=2, recency=30.0, T=38.0, n_draws=5, rng=np.random.default_rng(0)
        )
    with pytest.raises(TypeError, match="progress"):
        clv.bootstrap_intervals(
            "prob_alive", bg, frequency=2, recency=30.0, T=38.0, rng=np.random.default_rng(0), progress="yes"
        )


def test_bootstrap_is_reproducible_and_its_progress_bar_can_be_silenced(bg, capsys):
    args = dict(frequency=[2, 5], recency=[30.0, 12.0], T=[38.0, 38.0], n_draws=50)
    one = clv.bootstrap_intervals("prob_alive", bg, **args, rng=np.random.default_rng(3), progress=False)
    two = clv.bootstrap_intervals("prob_alive", bg, **args, rng=np.random.default_rng(3), progress=False)
    np.testing.assert_array_equal(one.lower, two.lower)
    assert one.n_draws == 50 and one.method == "bootstrap"
    assert capsys.readouterr().err == ""  # silent
    clv.bootstrap_intervals("prob_alive", bg, **args, rng=np.random.default_rng(3), progress=True)
    assert "bootstrap prob_alive" in capsys.readouterr().err  # tqdm on stderr


def test_bootstrap_refuses_more_draws_than_memory_allows(bg, monkeypatch):
    monkeypatch.setattr(U, "_MAX_CELLS", 100)
    with pytest.raises(ValueError, match="n_draws × customers"):
        clv.bootstrap_intervals(
            "prob_alive",
            bg,
            frequency=[2] * 20,
            recency=[30.0] * 20,
            T=[38.0] * 20,
            n_draws=10,
            rng=np.random.default_rng(0),
        )


def test_clv_intervals_on_cdnow(bg, gg, rfm):
    """The chapter's demonstration: total CLV of the CDNOW sample, 12 months, with both methods."""
    args = dict(frequency=rfm["frequency"], recency=rfm["recency"], T=rfm["T"], monetary_value=rfm["monetary_value"])
    d = clv.delta_intervals("clv", bg, gg, **args)
    expected = clv.customer_lifetime_value(bg, gg, **args)
    assert d.total["estimate"] == pytest.approx(expected.sum())
    assert d.total["lower"] < d.total["estimate"] < d.total["upper"]
    assert 0.02 < d.total["std_error"] / d.total["estimate"] < 0.2  # a few percent on 2,357 customers
    assert np.all(d.lower <= d.estimate) and np.all(d.estimate <= d.upper)


# ------------------------------------------------------------------ the figures
def test_prob_alive_band_is_the_delta_interval_on_the_grid(bg):
    import matplotlib

    matplotlib.use("Agg")
    from crmlib.plotting import clv as clv_plots

    band = clv_plots.prob_alive_band(bg, 2, 38.0, level=0.9)
    grid = band.index.to_numpy()
    assert grid[0] == 0.5 and grid[-1] == 38.0 and len(grid) == 60
    res = clv.delta_intervals("prob_alive", bg, None, np.full(60, 2), grid, np.full(60, 38.0), level=0.9)
    np.testing.assert_allclose(band["lower"], res.lower)
    np.testing.assert_allclose(band["estimate"], bg.prob_alive(np.full(60, 2), grid, np.full(60, 38.0)))
    assert clv_plots.prob_alive_band(bg, 0, 38.0).empty
    ax = clv_plots.plot_prob_alive(bg, 2, 30.0, 38.0, level=0.9)
    (poly,) = ax.collections
    ys = poly.get_paths()[0].vertices[:, 1]
    assert ys.min() == pytest.approx(band["lower"].min()) and ys.max() == pytest.approx(band["upper"].max())
    curve, point = ax.lines
    np.testing.assert_allclose(curve.get_ydata(), band["estimate"])
    assert "90% interval" in ax.get_legend().get_texts()[0].get_text()


def test_draw_total_intervals_draws_each_total(bg, gg, some):
    import matplotlib

    matplotlib.use("Agg")
    from crmlib.plotting import clv as clv_plots

    args = dict(frequency=some["frequency"], recency=some["recency"], T=some["T"])
    d = clv.delta_intervals("prob_alive", bg, None, **args)
    b = clv.bootstrap_intervals(
        "prob_alive", bg, None, **args, n_draws=50, rng=np.random.default_rng(0), progress=False
    )
    ax = clv_plots.draw_total_intervals({"delta": d, "bootstrap": b}, scale=10)
    assert [t.get_text() for t in ax.get_yticklabels()] == ["delta", "bootstrap"]
    points = [line.get_xdata()[0] for line in ax.lines if line.get_marker() == "o"]
    assert points == pytest.approx([d.total["estimate"] / 10, b.total["estimate"] / 10])
    assert f"{d.total['lower'] / 10:,.1f}" in ax.texts[0].get_text()
    with pytest.raises(TypeError, match="results must be IntervalResults"):
        clv_plots.draw_total_intervals({"x": 1.0})


def test_clv_intervals_with_continuous_discounting(pnbd, gg, some):
    """The Pareto/NBD's closed-form DERT value (customer_lifetime_value(discounting="continuous")),
    when the library has it: the delta method and a 1,000-draw bootstrap agree, and the estimate is
    the library's own value."""
    import inspect

    if "discounting" not in inspect.signature(clv.customer_lifetime_value).parameters:
        pytest.skip("customer_lifetime_value has no continuous discounting in this version")
    args = (pnbd, gg, some["frequency"], some["recency"], some["T"], some["monetary_value"])
    kw = dict(periods=None, period_length=1.0, discount_rate=0.15 / 52, discounting="continuous")
    d = clv.delta_intervals("clv", *args, **kw)
    pd.testing.assert_series_equal(d.estimate, clv.customer_lifetime_value(*args, **kw), check_names=False)
    b = clv.bootstrap_intervals("clv", *args, **kw, n_draws=1000, rng=np.random.default_rng(5), progress=False)
    ratio = b.total["std_error"] / d.total["std_error"]
    assert 0.8 < ratio < 1.25  # 200 customers: the Pareto/NBD's s and beta are poorly determined (see above)


def test_models_with_covariates_are_refused_clearly(rfm):
    if not hasattr(clv, "fit_bg_nbd_covariates"):
        pytest.skip("no covariate models in this version")
    z = pd.Series((rfm.index.to_numpy() % 2).astype(float), index=rfm.index, name="odd")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = clv.fit_bg_nbd_covariates(
            rfm["frequency"], rfm["recency"], rfm["T"], purchase_covariates=z.to_frame(), dropout_covariates=None
        )
    with pytest.raises(TypeError, match="covariates are not supported"):
        clv.delta_intervals("prob_alive", model, None, 2, 30.0, 38.0)
