"""Tests of crmlib.churn (churn models and their validation) and crmlib.plotting.churn, each against an outside
reference or a hand computation, named where it is used:

* scikit-learn: ``roc_auc_score``, ``roc_curve``, ``confusion_matrix``, ``calibration_curve(strategy="quantile")``;
* statsmodels: the maximum-likelihood logit and ``Logit.fit_regularized`` (L1 penalty);
* scipy.optimize: the L2-penalised objective minimised independently;
* hand arithmetic: DeLong's structural components (DeLong et al. 1988) over all churner/stayer pairs, the
  gains table, the Hosmer-Lemeshow sum, the cost threshold p* = c / (s V) (Elkan 2001, Theorem 1), the prior
  correction of King & Zeng (2001);
* a simulated customer base with known Weibull retention (what a snapshot does to the curves).
"""

from __future__ import annotations

import math
import warnings

import matplotlib
import numpy as np
import pandas as pd
import pytest

from crmlib import churn, datasets, stats, switching
from crmlib.plotting import churn as figs

matplotlib.use("Agg")


@pytest.fixture(scope="module")
def telco():
    return datasets.load_telco_churn()


def _scores(n=500, seed=4, ties=False):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=n)
    y = rng.random(n) < 1 / (1 + np.exp(-(1.5 * x - 1)))
    p = 1 / (1 + np.exp(-(1.2 * x - 0.9)))
    if ties:
        p = np.round(p, 1)
    return y, p


# ------------------------------------------------------------------ discrimination
@pytest.mark.parametrize("ties", [False, True])
def test_roc_auc_equals_sklearn_and_delong_by_its_definition(ties):
    from sklearn.metrics import roc_auc_score

    y, p = _scores(ties=ties)
    r = churn.roc_auc(y, p)
    assert r.estimate == pytest.approx(roc_auc_score(y, p), rel=1e-12)
    # DeLong's structural components over all pairs: psi = 1 above, 1/2 tied, 0 below
    pos, neg = p[y], p[~y]
    psi = (pos[:, None] > neg[None, :]) + 0.5 * (pos[:, None] == neg[None, :])
    v10, v01 = psi.mean(axis=1), psi.mean(axis=0)
    var = v10.var(ddof=1) / len(pos) + v01.var(ddof=1) / len(neg)
    assert r.std_error == pytest.approx(math.sqrt(var), rel=1e-10)
    assert r.lower == pytest.approx(r.estimate - 1.959963984540054 * r.std_error)
    assert (r.n_positive, r.n_negative) == (int(y.sum()), int((~y).sum()))


def test_roc_table_is_sklearns_curve_and_auc_reads_labelled_series():
    from sklearn.metrics import roc_curve

    y, p = _scores()
    table = churn.roc_table(y, p)
    fpr, tpr, _ = roc_curve(y, p, drop_intermediate=False)
    np.testing.assert_allclose(table["false_positive_rate"], fpr)
    np.testing.assert_allclose(table["true_positive_rate"], tpr)
    idx = [f"c{i}" for i in range(len(y))]
    ys, ps = pd.Series(y, index=idx), pd.Series(p, index=idx)
    assert churn.roc_auc(ys, ps.iloc[::-1]).estimate == pytest.approx(churn.roc_auc(y, p).estimate)
    with pytest.raises(ValueError, match="index"):
        churn.roc_auc(ys, pd.Series(p, index=[f"x{i}" for i in range(len(y))]))
    with pytest.raises(TypeError, match="both be pandas Series"):
        churn.roc_auc(ys, p)


def test_gains_table_by_hand_and_against_the_roc_curve():
    # 10 customers ranked 9 .. 0: churners at ranks 1, 3, 8 -> groups of 2: 1, 1, 0, 1, 0 churners
    t = churn.gains_table([1, 0, 1, 0, 0, 0, 0, 1, 0, 0], list(range(9, -1, -1)), groups=5)
    assert t["customers"].tolist() == [2] * 5 and t["churners"].tolist() == [1, 1, 0, 1, 0]
    np.testing.assert_allclose(t["lift"], [1 / 2 / 0.3, 1 / 2 / 0.3, 0, 1 / 2 / 0.3, 0])
    np.testing.assert_allclose(t["gains"], [1 / 3, 2 / 3, 2 / 3, 1, 1])
    np.testing.assert_allclose(t["cumulative_lift"], t["gains"] / t["cumulative_share"])
    assert t.index.name == "group" and t["score_high"].iloc[0] == 9 and t["score_low"].iloc[-1] == 0
    # without ties, the gains at each cut are the ROC curve's true-positive rate at that depth
    from sklearn.metrics import roc_curve

    y, p = _scores()
    g = churn.gains_table(y, p)
    fpr, tpr, thr = roc_curve(y, p, drop_intermediate=False)
    flagged = np.array([(p >= th).sum() for th in thr])
    for depth, gain in zip(np.cumsum(g["customers"]), g["gains"]):
        assert gain == pytest.approx(tpr[np.flatnonzero(flagged == depth)[0]])
    assert g["churners"].sum() == pytest.approx(y.sum()) and g["lift"].iloc[0] > 2


def test_gains_table_shares_tied_customers_and_ignores_row_order():
    y, p = _scores(ties=True)
    a = churn.gains_table(y, p)
    order = np.random.default_rng(0).permutation(len(y))
    b = churn.gains_table(y[order], p[order])
    pd.testing.assert_frame_equal(a, b)
    # a tie straddling a cut shares its churners in proportion: 4 customers tied, 2 churners, cut after 2
    t = churn.gains_table([1, 1, 0, 0], [0.5, 0.5, 0.5, 0.5], groups=2)
    assert t["churners"].tolist() == [1.0, 1.0] and t["lift"].tolist() == [1.0, 1.0]


# ------------------------------------------------------------------ calibration
def test_calibration_table_matches_sklearn_calibration_curve():
    from sklearn.calibration import calibration_curve

    for ties in (False, True):
        y, p = _scores(ties=ties)
        t = churn.calibration_table(y, p)
        prob_true, prob_pred = calibration_curve(y, p, n_bins=10, strategy="quantile")
        np.testing.assert_allclose(t["observed_rate"], prob_true, rtol=1e-12)
        np.testing.assert_allclose(t["mean_predicted"], prob_pred, rtol=1e-12)
        assert t["customers"].sum() == len(y)
    lo, hi = stats.wilson_interval(t["observed"].to_numpy(), t["customers"].to_numpy())
    np.testing.assert_allclose(t["ci_low"], lo)
    with pytest.raises(ValueError, match="probability must be in"):
        churn.calibration_table(y, p * 2)


def test_hosmer_lemeshow_by_hand():
    y, p = _scores()
    t = churn.calibration_table(y, p)
    hand = (((t["observed"] - t["expected"]) ** 2) / (t["expected"] * (1 - t["expected"] / t["customers"]))).sum()
    r = churn.hosmer_lemeshow(y, p)
    assert r.statistic == pytest.approx(hand) and r.df == 8 and r.groups == 10
    from scipy.stats import chi2

    assert r.p_value == pytest.approx(chi2.sf(hand, 8))
    assert churn.hosmer_lemeshow(y, p, holdout=True).df == 10  # nothing was estimated on a holdout
    with pytest.raises(TypeError, match="holdout must be True or False"):
        churn.hosmer_lemeshow(y, p, holdout="yes")


# ------------------------------------------------------------------ the CRM reading
def test_cost_threshold_is_where_the_expected_offer_value_changes_sign():
    # c = 60, V = 1,200, s = 0.4: p* = 60 / 480 = 0.125 (Elkan's formula with the campaign's cost matrix)
    c, V, s = 60.0, 1200.0, 0.4
    p_star = churn.cost_threshold(c, V, success_rate=s)
    c10, c00, c01, c11 = c, 0.0, V, c + (1 - s) * V
    assert p_star == pytest.approx((c10 - c00) / (c10 - c00 + c01 - c11)) == pytest.approx(0.125)
    value = churn.expected_offer_value(np.array([0.124, 0.125, 0.126]), V, offer_cost=c, success_rate=s)
    assert value[0] < 0 and value[1] == pytest.approx(0, abs=1e-12) and value[2] > 0
    idx = ["a", "b"]
    th = churn.cost_threshold(c, pd.Series([600.0, 1200.0], index=idx), success_rate=s)
    assert th.index.tolist() == idx and th.tolist() == pytest.approx([0.25, 0.125])
    with pytest.raises(ValueError, match="customer_value must be > 0"):
        churn.cost_threshold(c, 0.0)
    with pytest.raises(ValueError, match="success_rate must be in"):
        churn.cost_threshold(c, V, success_rate=0)


def test_confusion_table_is_sklearns_and_takes_one_threshold_per_customer():
    from sklearn.metrics import confusion_matrix

    y, p = _scores()
    table = churn.confusion_table(y, p, 0.3)
    np.testing.assert_array_equal(table.to_numpy(), confusion_matrix(y, p > 0.3))
    assert table.index.name == "actual" and list(table.columns) == ["no offer", "offer"]
    idx = [f"c{i}" for i in range(len(y))]
    th = pd.Series(np.where(np.arange(len(y)) % 2 == 0, 0.2, 0.6), index=idx)
    per = churn.confusion_table(pd.Series(y, index=idx), pd.Series(p, index=idx), th.iloc[::-1])
    np.testing.assert_array_equal(per.to_numpy(), confusion_matrix(y, p > th.to_numpy()))
    assert per.to_numpy().sum() == len(y)


def test_plan_offers_by_hand():
    p = np.array([0.05, 0.2, 0.6, 0.3])
    V = np.array([1000.0, 1000.0, 1000.0, 100.0])
    plan = churn.plan_offers(p, V, offer_cost=50, success_rate=0.5, outcome=[0, 1, 1, 1])
    # p s V = 25, 100, 300, 15 -> offers to the 2nd and 3rd (above 50): 400 expected, 100 cost
    assert plan.targeted == 2 and plan.expected_retained_value == 400.0 and plan.campaign_cost == 100.0
    assert plan.retained_value_per_offer == 200.0 and plan.net_value_per_offer == 150.0
    assert plan.expected_churners_reached == pytest.approx(0.8)
    # holdout: both targeted customers churned -> 0.5 * (1000 + 1000) saved; 3 churners, 2 reached
    assert (plan.churners, plan.churners_reached, plan.realised_retained_value) == (3.0, 2.0, 1000.0)
    assert plan.realised_net_value == 900.0 and "reached 2 of 3 churners" in repr(plan)
    none = churn.plan_offers(p, V, offer_cost=1e4)
    assert none.targeted == 0 and none.retained_value_per_offer == 0.0 and math.isnan(none.realised_net_value)


def test_adjust_to_base_rate_shifts_the_log_odds():
    # King & Zeng's prior correction: logit(p') = logit(p) + log[(pi/(1-pi)) / (ps/(1-ps))]
    p = np.array([0.1, 0.5, 0.9])
    adj = churn.adjust_to_base_rate(p, sample_rate=0.265, population_rate=0.02)
    shift = math.log((0.02 / 0.98) / (0.265 / 0.735))
    np.testing.assert_allclose(np.log(adj / (1 - adj)), np.log(p / (1 - p)) + shift, rtol=1e-12)
    assert churn.adjust_to_base_rate(0.3, sample_rate=0.3, population_rate=0.3) == pytest.approx(0.3)


# ------------------------------------------------------------------ splits, folds, cross-validation
def test_fold_labels_and_split_are_stratified_and_reproducible():
    y = np.r_[np.ones(23, bool), np.zeros(77, bool)]
    labels = churn.fold_labels(y, folds=5, rng=np.random.default_rng(3))
    for f in range(5):
        assert (y[labels == f]).sum() in (4, 5) and (labels == f).sum() == 20
    np.testing.assert_array_equal(labels, churn.fold_labels(y, folds=5, rng=np.random.default_rng(3)))
    df = pd.DataFrame({"churn": y, "x": np.arange(100)}, index=[f"r{i}" for i in range(100)])
    train, test = churn.split_train_test(df, test_share=0.3, rng=np.random.default_rng(1), stratify="churn")
    assert len(test) == 30 and test["churn"].sum() == 7 and train.index.union(test.index).equals(df.index.sort_values())
    assert train.index.is_monotonic_increasing or list(train["x"]) == sorted(train["x"])


def test_too_few_observations_for_the_folds_is_a_clear_error():
    with pytest.raises(ValueError, match="folds=5 needs at least 5 rows of each outcome; outcome has only 3 churner"):
        churn.fold_labels([1, 1, 1, 0, 0, 0, 0, 0, 0], folds=5, rng=np.random.default_rng(0))
    df = pd.DataFrame({"churn": [1, 1, 0, 0, 0, 0], "x": range(6)})
    with pytest.raises(ValueError, match="folds=3 needs at least 3"):
        churn.cross_validate("churn ~ x", df, folds=3, rng=np.random.default_rng(0))
    with pytest.raises(ValueError, match="test_share=0.1 leaves no row"):
        churn.split_train_test(df, test_share=0.1, rng=np.random.default_rng(0), stratify="churn")
    with pytest.raises(TypeError, match="rng must be a numpy.random.Generator"):
        churn.fold_labels([1, 0], folds=2, rng=None)


def test_cross_validate_predicts_each_fold_from_the_other_folds():
    rng = np.random.default_rng(9)
    df = pd.DataFrame({"x": rng.normal(size=240), "plan": rng.choice(["a", "b"], 240)})
    df["churn"] = rng.random(240) < 1 / (1 + np.exp(-(df["x"] + (df["plan"] == "b"))))
    cv = churn.cross_validate("churn ~ x + plan", df, folds=4, rng=np.random.default_rng(2))
    labels = churn.fold_labels(df["churn"], folds=4, rng=np.random.default_rng(2))
    held = labels == 1
    fit = stats.fit_logit_formula("churn ~ x + plan", df[~held])
    pd.testing.assert_series_equal(cv.predictions[held], fit.predict(df[held]), check_names=False)
    assert cv.table.loc[1, "auc"] == pytest.approx(churn.roc_auc(df["churn"][held], cv.predictions[held]).estimate)
    assert cv.table["rows"].sum() == 240 and 0.6 < cv.mean_auc < 0.95 and "4 folds" in repr(cv)


# ------------------------------------------------------------------ penalised logit
def _penalty_data():
    rng = np.random.default_rng(12)
    df = pd.DataFrame({"x": rng.normal(size=400), "z": rng.normal(size=400), "w": rng.normal(size=400)})
    df["churn"] = rng.random(400) < 1 / (1 + np.exp(-(0.3 + 1.2 * df["x"] - 0.6 * df["z"])))
    return df


def test_penalized_logit_l2_solves_the_penalised_objective():
    from scipy.optimize import minimize

    df = _penalty_data()
    fit = churn.fit_penalized_logit("churn ~ x + z + w", df, penalty="l2", rng=np.random.default_rng(0), grid=8)
    A = df[["x", "z", "w"]].to_numpy()
    Z = (A - A.mean(0)) / A.std(0)
    y = df["churn"].to_numpy(float)

    def objective(theta):  # C * sum of logistic losses + |beta|^2 / 2 on standardised terms, intercept free
        eta = theta[0] + Z @ theta[1:]
        return fit.C * np.sum(np.logaddexp(0, eta) - y * eta) + 0.5 * theta[1:] @ theta[1:]

    ref = minimize(objective, np.zeros(4), method="BFGS", options={"gtol": 1e-9}).x
    beta = ref[1:] / A.std(0)
    np.testing.assert_allclose(fit.params.iloc[1:], beta, rtol=2e-4, atol=1e-6)
    assert fit.params["Intercept"] == pytest.approx(ref[0] - np.sum(ref[1:] * A.mean(0) / A.std(0)), abs=1e-4)
    assert np.isnan(fit.standard_errors).all() and fit.converged and len(fit.cv_table) == 8
    assert fit.cv_table["log_loss"].min() == pytest.approx(fit.cv_table.loc[fit.C, "log_loss"])


def test_penalized_logit_l1_against_statsmodels_fit_regularized():
    import statsmodels.api as sm

    df = _penalty_data()
    fit = churn.fit_penalized_logit("churn ~ x + z + w", df, penalty="l1", rng=np.random.default_rng(0), grid=8)
    A = df[["x", "z", "w"]].to_numpy()
    Z = sm.add_constant((A - A.mean(0)) / A.std(0))
    # statsmodels minimises -loglik + sum alpha_k |beta_k|: alpha = 1 / C, intercept unpenalised
    ref = sm.Logit(df["churn"].to_numpy(float), Z).fit_regularized(
        method="l1", alpha=np.r_[0.0, np.full(3, 1 / fit.C)], disp=0, acc=1e-10
    )
    np.testing.assert_allclose(fit.params.iloc[1:] * A.std(0), ref.params[1:], atol=2e-3)
    # a large C is the maximum-likelihood logit
    big = churn.fit_penalized_logit("churn ~ x + z + w", df, penalty="l1", rng=np.random.default_rng(0), grid=2)
    mle = stats.fit_logit_formula("churn ~ x + z + w", df)
    if big.C == 1e4:
        np.testing.assert_allclose(big.params, mle.params, atol=2e-3)
    # the one-standard-error rule picks a stronger penalty (smaller C) and drops terms
    sparse = churn.fit_penalized_logit(
        "churn ~ x + z + w", df, penalty="l1", rng=np.random.default_rng(0), grid=20, rule="1se"
    )
    best = churn.fit_penalized_logit("churn ~ x + z + w", df, penalty="l1", rng=np.random.default_rng(0), grid=20)
    assert sparse.C <= best.C and sparse.n_zero >= best.n_zero
    pred = sparse.predict(df.iloc[:3])
    assert list(pred.index) == [0, 1, 2] and ((pred > 0) & (pred < 1)).all()


def test_penalized_logit_fits_where_separation_stops_the_mle():
    df = pd.DataFrame({"x": np.arange(40.0), "plan": ["a"] * 20 + ["b"] * 20})
    df["churn"] = np.r_[np.zeros(20), np.ones(20)].astype(bool) & (df["x"] % 3 != 0) | (df["plan"] == "b")
    with pytest.raises(ValueError, match="separation"):
        stats.fit_logit_formula("churn ~ x + plan", df)
    fit = churn.fit_penalized_logit("churn ~ x + plan", df, rng=np.random.default_rng(0), folds=3, grid=6)
    assert np.isfinite(fit.params).all() and fit.params["plan[T.b]"] > 0


def test_penalized_logit_bad_input():
    df = _penalty_data()
    with pytest.raises(ValueError, match=r"data\['w'\] has 1 missing"):
        churn.fit_penalized_logit("churn ~ x + w", df.assign(w=[np.nan, *df["w"][1:]]), rng=np.random.default_rng(0))
    with pytest.raises(ValueError, match="must contain both outcomes"):
        churn.fit_penalized_logit("churn ~ x", df.assign(churn=False), rng=np.random.default_rng(0))
    with pytest.raises(ValueError, match="penalty must be one of"):
        churn.fit_penalized_logit("churn ~ x", df, penalty="elastic", rng=np.random.default_rng(0))
    with pytest.raises(ValueError, match="term 'k' is constant"):
        churn.fit_penalized_logit("churn ~ x + k", df.assign(k=1.0), rng=np.random.default_rng(0))


# ------------------------------------------------------------------ snapshots and delayed entry
def test_a_snapshot_biases_the_naive_curve_and_delayed_entry_recovers_the_truth():
    snap = churn.simulate_snapshot(30_000, rng=np.random.default_rng(7), shape=0.8, scale=30.0)
    assert snap.attrs["acquired"] == 30_000 and len(snap) < 30_000 and (snap["entry"] < snap["tenure"]).all()
    naive = stats.kaplan_meier(snap["tenure"], snap["churn"])
    late = stats.kaplan_meier(snap["tenure"], snap["churn"], entry=snap["entry"])
    for t in (6.0, 12.0, 24.0):
        truth = math.exp(-((t / 30.0) ** 0.8))
        assert naive.survival_at(t) > truth + 0.2  # the early leavers are missing from the file
        assert abs(late.survival_at(t) - truth) < 0.03
    weib = stats.fit_weibull("tenure ~ 1", snap, event="churn", entry="entry")
    assert weib.shape == pytest.approx(0.8, abs=0.05) and math.exp(weib.params["Intercept"]) == pytest.approx(
        30, rel=0.1
    )


def test_snapshot_entry_and_the_telco_curves_with_delayed_entry(telco):
    assert churn.snapshot_entry(pd.Series([3.0, 0.5], index=["a", "b"])).tolist() == [2.0, 0.0]
    with pytest.raises(ValueError, match="tenure must be > 0"):
        churn.snapshot_entry([0.0, 2.0])
    curves = switching.retention_curves(telco, delayed_entry=True)
    mtm = telco[(telco["contract"] == "Month-to-month") & (telco["tenure"] > 0)]
    # each month's hazard is the churn share among the customers at that tenure (pandas, by hand)
    hazard = mtm.groupby("tenure")["churn"].mean()
    assert curves["Month-to-month"].survival_at(3) == pytest.approx(np.prod(1 - hazard.loc[1:3]), rel=1e-12)
    assert curves["Month-to-month"].delayed_entry and curves["Month-to-month"].n_obs == len(mtm)
    naive = switching.retention_curves(telco)
    assert naive["Month-to-month"].survival_at(12) > 0.5 > curves["Month-to-month"].survival_at(12)
    with pytest.raises(TypeError, match="delayed_entry must be True or False"):
        switching.retention_curves(telco, delayed_entry="yes")


# ------------------------------------------------------------------ the telco reading end to end
def test_telco_churn_model_validation_end_to_end(telco):
    train, test = churn.split_train_test(telco, rng=np.random.default_rng(2026), stratify="churn")
    fit = stats.fit_logit_formula("churn ~ contract + tenure + monthly_charges + internet_service", train)
    p = fit.predict(test)
    auc = churn.roc_auc(test["churn"], p)
    assert 0.78 < auc.estimate < 0.9 and auc.n_positive + auc.n_negative == len(test)
    value = pd.Series(800.0, index=test.index)
    plan = churn.plan_offers(p, value, offer_cost=40.0, success_rate=0.3, outcome=test["churn"])
    threshold = churn.cost_threshold(40.0, 800.0, success_rate=0.3)
    assert plan.targeted == int((p > threshold).sum())
    assert churn.confusion_table(test["churn"], p, threshold).loc[:, "offer"].sum() == plan.targeted


# ------------------------------------------------------------------ figures (what is drawn)
def _close():
    import matplotlib.pyplot as plt

    plt.close("all")


def test_plots_draw_the_tables():
    y, p = _scores()
    roc, auc = churn.roc_table(y, p), churn.roc_auc(y, p)
    ax = figs.plot_roc(roc, auc=auc)
    np.testing.assert_allclose(ax.lines[0].get_ydata(), roc["true_positive_rate"])
    assert f"AUC {auc.estimate:.3f}" in ax.get_legend().get_texts()[0].get_text()
    gains = churn.gains_table(y, p)
    ax = figs.plot_gains(gains)
    np.testing.assert_allclose(ax.lines[0].get_ydata(), np.r_[0, gains["gains"]] * 100)
    np.testing.assert_allclose(ax.lines[0].get_xdata(), np.r_[0, gains["cumulative_share"]] * 100)
    ax = figs.plot_lift(gains)
    np.testing.assert_allclose([b.get_height() for b in ax.patches], gains["lift"])
    cal = churn.calibration_table(y, p)
    ax = figs.plot_calibration(cal)
    np.testing.assert_allclose(ax.containers[0].lines[0].get_ydata(), cal["observed_rate"] * 100)
    np.testing.assert_allclose(ax.containers[0].lines[0].get_xdata(), cal["mean_predicted"] * 100)
    with pytest.raises(ValueError, match="table is missing column"):
        figs.plot_calibration(gains)
    _close()


def test_plots_of_the_penalty_path_survival_curves_and_schoenfeld_residuals():
    df = _penalty_data()
    fit = churn.fit_penalized_logit("churn ~ x + z", df, rng=np.random.default_rng(0), grid=5)
    ax = figs.plot_cv_path(fit)
    assert ax.get_xscale() == "log" and ax.lines[-1].get_xdata()[0] == fit.C
    snap = churn.simulate_snapshot(3000, rng=np.random.default_rng(1))
    curves = {
        "ignoring entry": stats.kaplan_meier(snap["tenure"], snap["churn"]),
        "with entry": stats.kaplan_meier(snap["tenure"], snap["churn"], entry=snap["entry"]),
    }
    truth = pd.Series(np.exp(-((np.arange(0, 73) / 30) ** 0.8)), index=np.arange(0, 73))
    ax = figs.plot_survival_comparison(curves, truth=truth)
    np.testing.assert_allclose(ax.lines[1].get_ydata(), curves["with entry"].table["survival"])
    np.testing.assert_allclose(ax.lines[2].get_ydata(), truth)
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["ignoring entry", "with entry", "true curve"]
    snap["vip"] = np.random.default_rng(2).random(len(snap)) < 0.3
    cox = stats.fit_cox("tenure ~ vip", snap, event="churn", entry="entry")
    ax = figs.plot_scaled_schoenfeld(cox, "vip[T.True]")
    offsets = ax.collections[0].get_offsets()
    np.testing.assert_allclose(offsets[:, 1], cox.scaled_schoenfeld()["vip[T.True]"])
    assert ax.lines[1].get_ydata()[0] == pytest.approx(cox.params.iloc[0])
    with pytest.raises(ValueError, match="term must be one of"):
        figs.plot_scaled_schoenfeld(cox, "age")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        _close()
