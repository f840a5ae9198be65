"""Churn modelling and its validation: who will leave, how well a model ranks them, whether an offer pays.

Chapter 4 reads churn on the IBM telco data with one fixed logit (:func:`crmlib.switching.fit_churn_logit`)
and Kaplan-Meier curves. This module is the predictive workflow a churn analyst reports, on any
DataFrame and any formula:

* **models**: the maximum-likelihood logit on a formula is :func:`crmlib.stats.fit_logit_formula`
  (statsmodels); the penalised (L1 lasso or L2 ridge) logit with its penalty chosen by
  cross-validation is :func:`fit_penalized_logit` (scikit-learn);
* **honest evaluation**: :func:`split_train_test` and :func:`fold_labels` (stratified, seeded by
  ``rng``), :func:`cross_validate` (k-fold, out-of-fold predictions);
* **what the analyst reports**: :func:`roc_auc` (with DeLong's standard error), :func:`roc_table`,
  :func:`gains_table` (gains and lift by decile), :func:`calibration_table` and
  :func:`hosmer_lemeshow`, :func:`confusion_table` at a threshold;
* **the CRM reading**: the cost-based threshold :func:`cost_threshold` (offer a customer the
  retention offer when the expected saved value exceeds its cost), :func:`expected_offer_value`
  and :func:`plan_offers` (expected retained value per offer, and what a holdout shows), and
  :func:`adjust_to_base_rate` for a sample whose churn share is not the population's;
* **snapshots and survival**: :func:`snapshot_entry` (the entry times of a snapshot file, for
  :func:`crmlib.stats.kaplan_meier` with delayed entry) and :func:`simulate_snapshot` (a customer
  base with known retention, to see what a snapshot does to the curves).

The generic statistics (Kaplan-Meier, RMST, Cox, Weibull, the logit) live in :mod:`crmlib.stats`;
figures in :mod:`crmlib.plotting.churn`. Money is in any currency, the same for all arguments;
probabilities are fractions in [0, 1].

References
----------
Neslin, S. A., Gupta, S., Kamakura, W., Lu, J. & Mason, C. H. (2006). Defection detection:
measuring and understanding the predictive accuracy of customer churn models. *Journal of
Marketing Research* 43(2), 204-211. Elkan, C. (2001). The foundations of cost-sensitive learning.
*Proceedings of IJCAI 2001*, 973-978. Verbraken, T., Verbeke, W. & Baesens, B. (2013). A novel
profit maximizing metric for measuring classification performance of customer churn prediction
models. *IEEE Transactions on Knowledge and Data Engineering* 25(5), 961-973.
"""

from __future__ import annotations

import inspect
import math
from dataclasses import dataclass, field
from typing import ClassVar

import numpy as np
import pandas as pd

from . import _validate as v
from .i18n import N_, gettext, translate_frame
from .i18n import gettext as _
from .results import FitResult, check_level, warn_if_not_converged
from .stats import (
    _binary,
    _design,
    _design_rhs,
    _parse_formula,
    fit_logit_formula,
    wilson_interval,
)

__all__ = [
    "AUCResult",
    "CrossValidationResult",
    "HosmerLemeshowResult",
    "CampaignResult",
    "PenalizedLogitResult",
    "adjust_to_base_rate",
    "calibration_table",
    "confusion_table",
    "cost_threshold",
    "cross_validate",
    "expected_offer_value",
    "fit_penalized_logit",
    "fold_labels",
    "gains_table",
    "hosmer_lemeshow",
    "plan_offers",
    "roc_auc",
    "roc_table",
    "simulate_snapshot",
    "snapshot_entry",
    "split_train_test",
]

#: Largest number of customers a simulation draws (more takes minutes and gigabytes).
MAX_SIMULATED = 10_000_000


# ---------------------------------------------------------------------------------------------
# inputs: an outcome and a score, aligned by index
# ---------------------------------------------------------------------------------------------
def _outcome_score(outcome, score, *, score_name="score", probability=False):
    """(y as 0/1 float array, score as float array, index or None); both outcomes must occur."""
    if isinstance(outcome, pd.Series) or isinstance(score, pd.Series):
        if not (isinstance(outcome, pd.Series) and isinstance(score, pd.Series)):
            raise TypeError(
                f"outcome and {score_name} must both be pandas Series (aligned by index) or both arrays; got "
                f"{type(outcome).__name__} and {type(score).__name__}"
            )
        index, _ = v.aligned(
            outcome=pd.Series(0.0, index=outcome.index), **{score_name: pd.Series(0.0, index=score.index)}
        )
        outcome, score = outcome.reindex(index), score.reindex(index)
    else:
        index = None
    if score is None or isinstance(score, (str, bytes)):
        raise TypeError(f"{score_name} must be an array or a Series of numbers; got {score!r}")
    y = _binary("outcome", outcome).astype(float)
    s = np.atleast_1d(v.as_float(score_name, score)).astype(float)
    if s.ndim != 1:
        raise ValueError(f"{score_name} must be one-dimensional; got shape {s.shape}")
    v.same_length(outcome=y, **{score_name: s})
    if probability:
        v.probability(score_name, s)
    if y.min() == y.max():
        raise ValueError(
            f"outcome must contain churners and stayers; all {len(y)} are {bool(y[0])}, so there is nothing to rank"
        )
    return y, s, index


def _series_or_array(index, values, name):
    return pd.Series(values, index=index, name=name) if index is not None else np.asarray(values)


# ---------------------------------------------------------------------------------------------
# splits and folds
# ---------------------------------------------------------------------------------------------
def fold_labels(outcome, *, folds=5, rng):
    """Stratified k-fold labels 0 .. folds-1: each fold gets (nearly) the same share of churners.

    Within each outcome the rows are shuffled with ``rng`` and dealt to the folds in turn (the
    stayers continuing where the churners stopped), so the churners, the stayers and the fold
    sizes split as evenly as possible (the idea of scikit-learn's ``StratifiedKFold(shuffle=True)``;
    the same generator state gives the same folds).

    Parameters
    ----------
    outcome : array_like or pandas.Series
        True/False, 0/1 or Yes/No per row.
    folds : int, default 5
        Number of folds, 2 ... 100; each outcome needs at least ``folds`` rows.
    rng : numpy.random.Generator
        Source of the shuffle.

    Returns
    -------
    numpy.ndarray or pandas.Series of int
        The fold of each row (a Series with the outcome's index for a Series).

    Raises
    ------
    ValueError
        When an outcome has fewer rows than ``folds`` (a fold would have no churner, or no stayer).

    Examples
    --------
    >>> labels = fold_labels([1, 1, 1, 0, 0, 0, 0, 0, 0], folds=3, rng=np.random.default_rng(0))
    >>> sorted(labels.tolist())
    [0, 0, 0, 1, 1, 1, 2, 2, 2]
    """
    v.rng("rng", rng)
    folds = v.integer("folds", folds, minimum=2, maximum=100)
    y = _binary("outcome", outcome)
    labels = np.empty(len(y), dtype=np.int64)
    start = 0  # the stayers are dealt on from where the churners stopped: folds of (nearly) equal size
    for value in (True, False):
        rows = np.flatnonzero(y == value)
        if len(rows) < folds:
            raise ValueError(
                f"folds={folds} needs at least {folds} rows of each outcome; outcome has only {len(rows)} "
                f"{'churner' if value else 'stayer'} row(s): use fewer folds or more data"
            )
        labels[rng.permutation(rows)] = (start + np.arange(len(rows))) % folds
        start = (start + len(rows)) % folds
    return _series_or_array(outcome.index if isinstance(outcome, pd.Series) else None, labels, "fold")


def split_train_test(data, *, test_share=0.3, rng, stratify=None):
    """Random split of the rows into a training and a test (holdout) frame.

    Parameters
    ----------
    data : pandas.DataFrame
        One row per customer.
    test_share : float, default 0.3
        Share of the rows in the test frame, in (0, 1).
    rng : numpy.random.Generator
        Source of the shuffle.
    stratify : str, optional
        A binary column (e.g. ``"churn"``): the split is made within each of its two values, so
        both frames keep the churn share.

    Returns
    -------
    (train, test) : tuple of pandas.DataFrame
        Both in the original row order, with the original index.

    Examples
    --------
    >>> df = pd.DataFrame({"churn": [True] * 4 + [False] * 6, "x": range(10)})
    >>> train, test = split_train_test(df, test_share=0.5, rng=np.random.default_rng(1), stratify="churn")
    >>> len(train), len(test), int(test["churn"].sum())
    (5, 5, 2)
    """
    v.rng("rng", rng)
    if not isinstance(data, pd.DataFrame):
        raise TypeError(f"data must be a pandas DataFrame; got {type(data).__name__}")
    share = v.in_range("test_share", test_share, 0, 1, low_open=True, high_open=True)
    if stratify is None:
        groups = [np.arange(len(data))]
    else:
        v.columns("data", data, [stratify])
        y = _binary(f"data[{stratify!r}]", data[stratify])
        groups = [np.flatnonzero(y), np.flatnonzero(~y)]
    test = []
    for rows in groups:
        k = int(round(share * len(rows)))
        if len(rows) and (k == 0 or k == len(rows)):
            raise ValueError(
                f"test_share={share:g} leaves no row of a group of {len(rows)} in the training or the test frame; "
                "use a share nearer 0.5 or more data"
            )
        test.extend(rng.permutation(rows)[:k].tolist())
    mask = np.zeros(len(data), bool)
    mask[test] = True
    return data.iloc[~mask], data.iloc[mask]


# ---------------------------------------------------------------------------------------------
# discrimination: ROC AUC, the ROC curve, gains and lift
# ---------------------------------------------------------------------------------------------

#: Labels of the tables this module returns (gains, calibration, cross-validation, offers), marked for
#: the Chinese edition: displayed tables show them in the notebook's language, the data keep them.
_TABLE_LABELS = (
    N_("churners"),
    N_("cumulative_share"),
    N_("gains"),
    N_("cumulative_lift"),
    N_("score_low"),
    N_("score_high"),
    N_("group"),
    N_("mean_predicted"),
    N_("observed_rate"),
    N_("expected"),
    N_("observed"),
    N_("threshold"),
    N_("expected_value"),
    N_("actual"),
    N_("stayed"),
    N_("churned"),
    N_("no offer"),
    N_("offer"),
    N_("decision"),
    N_("fold"),
    N_("rows"),
    N_("auc"),
    N_("log_loss"),
    N_("brier"),
    N_("churners_reached"),
    N_("realised_retained_value"),
    N_("realised_net_value"),
    N_("joined"),
    N_("tenure"),
    N_("churn"),
    N_("entry"),
)


@dataclass(frozen=True)
class AUCResult:
    """Area under the ROC curve with DeLong's standard error.

    ``estimate`` is the probability that a randomly chosen churner gets a higher score than a
    randomly chosen stayer (ties count one half): 0.5 is a coin, 1 a perfect ranking.
    """

    estimate: float
    std_error: float
    level: float
    lower: float
    upper: float
    n_positive: int
    n_negative: int

    def __repr__(self) -> str:
        text = _(
            "AUC = {estimate:.4f}, se {std_error:.4f}, {level:.0%} interval {lower:.4f} to {upper:.4f}; "
            "{churners:,} churners, {stayers:,} stayers"
        ).format(
            estimate=self.estimate,
            std_error=self.std_error,
            level=self.level,
            lower=self.lower,
            upper=self.upper,
            churners=self.n_positive,
            stayers=self.n_negative,
        )
        return f"AUCResult({text})"


def roc_auc(outcome, score, *, level=0.95) -> AUCResult:
    r"""ROC AUC of a churn score, with DeLong's standard error and a normal interval.

    The AUC is the Mann-Whitney statistic :math:`U / (m n)` for *m* churners and *n* stayers,
    computed from mid-ranks; its variance is DeLong, DeLong & Clarke-Pearson's (1988),

    .. math:: \operatorname{Var} = \frac{s^2_{10}}{m} + \frac{s^2_{01}}{n},

    with :math:`s^2_{10}` the variance of each churner's share of stayers ranked below it and
    :math:`s^2_{01}` that of each stayer's share of churners ranked above it (the fast mid-rank
    algorithm of Sun & Xu 2014). The interval is AUC ± z·SE clipped to [0, 1] (as R ``pROC``).
    The estimate equals ``sklearn.metrics.roc_auc_score``.

    Parameters
    ----------
    outcome : array_like or pandas.Series
        True where the customer churned.
    score : array_like or pandas.Series
        Any score that is higher for likelier churners (a predicted probability). Two Series
        are aligned by index.
    level : float, default 0.95
        Confidence level, in (0, 1).

    Returns
    -------
    AUCResult

    References
    ----------
    Hanley, J. A. & McNeil, B. J. (1982). The meaning and use of the area under a receiver
    operating characteristic (ROC) curve. *Radiology* 143(1), 29-36. DeLong, E. R., DeLong, D. M.
    & Clarke-Pearson, D. L. (1988). Comparing the areas under two or more correlated receiver
    operating characteristic curves. *Biometrics* 44(3), 837-845. Sun, X. & Xu, W. (2014). Fast
    implementation of DeLong's algorithm. *IEEE Signal Processing Letters* 21(11), 1389-1393.

    Examples
    --------
    >>> roc_auc([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]).estimate
    0.75
    """
    from scipy.stats import norm, rankdata

    level = check_level(level)
    y, s, _ = _outcome_score(outcome, score)
    pos, neg = s[y == 1], s[y == 0]
    m, n = len(pos), len(neg)
    tz = rankdata(np.concatenate([pos, neg]))
    tx, ty = rankdata(pos), rankdata(neg)
    auc = float((tz[:m].sum() - m * (m + 1) / 2) / (m * n))
    v10 = (tz[:m] - tx) / n
    v01 = 1.0 - (tz[m:] - ty) / m
    var = (np.var(v10, ddof=1) / m if m > 1 else 0.0) + (np.var(v01, ddof=1) / n if n > 1 else 0.0)
    se = math.sqrt(var)
    z = norm.ppf(0.5 + level / 2)
    return AUCResult(auc, se, level, max(0.0, auc - z * se), min(1.0, auc + z * se), m, n)


def roc_table(outcome, score) -> pd.DataFrame:
    """The ROC curve: true- and false-positive rates at every distinct score threshold.

    Computed by ``sklearn.metrics.roc_curve`` (``drop_intermediate=False``): a customer is
    flagged when its score is at least the threshold.

    Returns
    -------
    pandas.DataFrame
        Columns ``threshold``, ``false_positive_rate`` (share of stayers flagged),
        ``true_positive_rate`` (share of churners flagged), from (0, 0) to (1, 1).

    Examples
    --------
    >>> roc_table([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])["true_positive_rate"].tolist()
    [0.0, 0.5, 0.5, 1.0, 1.0]
    """
    from sklearn.metrics import roc_curve

    y, s, _ = _outcome_score(outcome, score)
    fpr, tpr, thr = roc_curve(y, s, drop_intermediate=False)
    return pd.DataFrame({"threshold": thr, "false_positive_rate": fpr, "true_positive_rate": tpr})


def gains_table(outcome, score, *, groups=10) -> pd.DataFrame:
    """Gains and lift by decile (or any number of equal groups) of customers ranked by score.

    Customers are ranked from the highest score down and cut into ``groups`` groups of (nearly)
    equal size (group *k* holds ranks floor((k-1)n/g) + 1 ... floor(kn/g)). Customers with tied
    scores cannot be ranked: where a tie straddles a cut its churners are shared in proportion
    (the linear interpolation of the ROC convention), so the table does not depend on row order.

    Parameters
    ----------
    outcome, score : array_like or pandas.Series
        As in :func:`roc_auc`.
    groups : int, default 10
        Number of groups, 2 ... the number of customers.

    Returns
    -------
    pandas.DataFrame
        Index ``group`` 1 (highest scores) ... ``groups``; columns ``customers``, ``churners``
        (expected count where ties straddle a cut), ``churn_rate``, ``lift`` (churn rate over the
        overall rate), ``cumulative_share`` (share of customers in groups 1..k), ``gains`` (share
        of all churners caught in groups 1..k), ``cumulative_lift`` (gains / cumulative share),
        ``score_low``, ``score_high`` (the range of scores in the group).

    References
    ----------
    Neslin et al. (2006) (top-decile lift as the churn-model metric); Linoff, G. S. & Berry,
    M. J. A. (2011). *Data Mining Techniques*, 3rd ed., Wiley, ch. 5 (gains and lift charts).

    Examples
    --------
    >>> t = gains_table([1, 0, 1, 0, 0, 0, 0, 1, 0, 0], [9, 8, 7, 6, 5, 4, 3, 2, 1, 0], groups=5)
    >>> t["churners"].tolist(), t["gains"].round(3).tolist()
    ([1.0, 1.0, 0.0, 1.0, 0.0], [0.333, 0.667, 0.667, 1.0, 1.0])
    """
    y, s, _ = _outcome_score(outcome, score)
    n, n1 = len(y), float(y.sum())
    groups = v.integer("groups", groups, minimum=2, maximum=n)
    order = np.argsort(-s, kind="stable")
    ss, ys = s[order], y[order]
    last_of_tie = np.flatnonzero(np.r_[ss[1:] != ss[:-1], True])  # last position of each tied block
    cum_n = np.r_[0.0, last_of_tie + 1.0]
    cum_y = np.r_[0.0, np.cumsum(ys)[last_of_tie]]
    bounds = (np.arange(groups + 1) * n) // groups
    captured = np.interp(bounds, cum_n, cum_y)
    customers = np.diff(bounds)
    churners = np.diff(captured)
    rate = churners / customers
    share = bounds[1:] / n
    gains = captured[1:] / n1
    return pd.DataFrame(
        {
            "customers": customers.astype(np.int64),
            "churners": churners,
            "churn_rate": rate,
            "lift": rate / (n1 / n),
            "cumulative_share": share,
            "gains": gains,
            "cumulative_lift": gains / share,
            "score_low": ss[bounds[1:] - 1],
            "score_high": ss[bounds[:-1]],
        },
        index=pd.RangeIndex(1, groups + 1, name="group"),
    )


# ---------------------------------------------------------------------------------------------
# calibration
# ---------------------------------------------------------------------------------------------
def _calibration_groups(p: np.ndarray, groups: int) -> np.ndarray:
    """Group index of each probability: quantile bins as sklearn's ``calibration_curve(strategy="quantile")``."""
    edges = np.percentile(p, np.linspace(0, 100, groups + 1))
    return np.searchsorted(edges[1:-1], p)


def calibration_table(outcome, probability, *, groups=10, level=0.95) -> pd.DataFrame:
    """Calibration: the mean predicted churn probability against the observed churn share, by group.

    Customers are grouped by quantiles of their predicted probability (the bins of
    ``sklearn.calibration.calibration_curve(strategy="quantile")``; tied probabilities stay in one
    group, and empty groups are dropped). A calibrated model has ``observed_rate`` close to
    ``mean_predicted`` in every group; ``ci_low``/``ci_high`` are Wilson intervals of the observed
    share.

    Parameters
    ----------
    outcome : array_like or pandas.Series
        True where the customer churned.
    probability : array_like or pandas.Series
        Predicted churn probabilities in [0, 1].
    groups : int, default 10
        Number of quantile groups, 2 ... the number of customers.
    level : float, default 0.95
        Confidence level of the intervals, in (0, 1).

    Returns
    -------
    pandas.DataFrame
        Index ``group``; columns ``customers``, ``mean_predicted``, ``observed_rate``, ``ci_low``,
        ``ci_high``, ``expected`` (sum of predictions), ``observed`` (churners).

    Examples
    --------
    >>> t = calibration_table([0, 0, 1, 0, 1, 1], [0.1, 0.2, 0.3, 0.6, 0.7, 0.9], groups=2)
    >>> t[["customers", "mean_predicted", "observed_rate"]].round(3).values.tolist()
    [[3.0, 0.2, 0.333], [3.0, 0.733, 0.667]]
    """
    level = check_level(level)
    y, p, _ = _outcome_score(outcome, probability, score_name="probability", probability=True)
    groups = v.integer("groups", groups, minimum=2, maximum=len(y))
    g = _calibration_groups(p, groups)
    total = np.bincount(g, minlength=groups)
    keep = total > 0
    expected = np.bincount(g, weights=p, minlength=groups)[keep]
    observed = np.bincount(g, weights=y, minlength=groups)[keep]
    total = total[keep]
    lo, hi = wilson_interval(observed.astype(np.int64), total, level=level)
    return pd.DataFrame(
        {
            "customers": total.astype(np.int64),
            "mean_predicted": expected / total,
            "observed_rate": observed / total,
            "ci_low": np.atleast_1d(lo),
            "ci_high": np.atleast_1d(hi),
            "expected": expected,
            "observed": observed.astype(np.int64),
        },
        index=pd.RangeIndex(1, int(keep.sum()) + 1, name="group"),
    )


@dataclass(frozen=True)
class HosmerLemeshowResult:
    """Hosmer-Lemeshow goodness-of-fit statistic (chi-square with ``df`` degrees of freedom)."""

    statistic: float
    df: int
    p_value: float
    groups: int

    def __repr__(self) -> str:
        text = _("chi2={statistic:.3f}, df={df}, p={p_value:.4g}; {groups} groups").format(
            statistic=self.statistic, df=self.df, p_value=self.p_value, groups=self.groups
        )
        return f"HosmerLemeshowResult({text})"


def hosmer_lemeshow(outcome, probability, *, groups=10, holdout=False) -> HosmerLemeshowResult:
    r"""Hosmer-Lemeshow test of calibration over the groups of :func:`calibration_table`.

    .. math:: \hat C = \sum_{g} \frac{(O_g - E_g)^2}{E_g\,(1 - E_g / n_g)},

    with :math:`O_g` churners, :math:`E_g` the sum of predicted probabilities and :math:`n_g`
    customers in group *g*. On the data the model was fitted to it is compared with chi-square
    on G - 2 degrees of freedom (Hosmer & Lemeshow 1980); on a holdout sample, where nothing was
    estimated, with G degrees of freedom (Hosmer, Lemeshow & Sturdivant 2013, section 5.2.2).
    A small p-value says the predictions are off somewhere; a large one is weak evidence of
    calibration in big samples only (read the table, not just the p-value).

    Parameters
    ----------
    outcome, probability : array_like or pandas.Series
        As in :func:`calibration_table`.
    groups : int, default 10
        Number of quantile groups (at least 3).
    holdout : bool, default False
        True when the predictions come from a model fitted on other data.

    Returns
    -------
    HosmerLemeshowResult

    References
    ----------
    Hosmer, D. W. & Lemeshow, S. (1980). Goodness of fit tests for the multiple logistic
    regression model. *Communications in Statistics A* 9(10), 1043-1069.

    Examples
    --------
    >>> r = hosmer_lemeshow([0, 0, 1, 0, 1, 1, 0, 1, 1], [.1, .2, .3, .4, .5, .6, .7, .8, .9], groups=3)
    >>> round(r.statistic, 4), r.df      # each group: (O - E)^2 / (E (1 - E/3)) = 1/3
    (1.0, 1)
    """
    from scipy.stats import chi2

    if not isinstance(holdout, (bool, np.bool_)):
        raise TypeError(f"holdout must be True or False; got {holdout!r}")
    table = calibration_table(outcome, probability, groups=groups)
    if len(table) < 3:
        raise ValueError(f"groups must give at least 3 non-empty groups; the probabilities give {len(table)}")
    e, o, n = table["expected"].to_numpy(), table["observed"].to_numpy(float), table["customers"].to_numpy(float)
    denom = e * (1 - e / n)
    if np.any(denom <= 0):
        raise ValueError("a group has predicted probabilities all 0 or all 1; the statistic is undefined")
    stat = float(np.sum((o - e) ** 2 / denom))
    df = len(table) if holdout else len(table) - 2
    return HosmerLemeshowResult(stat, int(df), float(chi2.sf(stat, df)), len(table))


# ---------------------------------------------------------------------------------------------
# the CRM reading: cost-based targeting and the value of retention offers
# ---------------------------------------------------------------------------------------------
def _offer_terms(offer_cost, customer_value, success_rate, **more):
    index, arrays = v.aligned(customer_value=customer_value, success_rate=success_rate, **more)
    c = v.money("offer_cost", offer_cost, minimum=0, unit="currency per offer")
    value = v.money("customer_value", arrays["customer_value"], unit="currency per customer")
    if np.any(value <= 0):
        raise ValueError(f"customer_value must be > 0 (the value a retained customer brings); got {value.min()!r}")
    s = v.in_range("success_rate", arrays["success_rate"], 0, 1, low_open=True)
    return index, float(c), np.atleast_1d(value), np.atleast_1d(s), arrays


def cost_threshold(offer_cost, customer_value, *, success_rate=1.0):
    r"""Churn probability above which a retention offer pays: :math:`p^* = c / (s V)`.

    **Derivation.** Offer a customer with churn probability *p* a retention offer costing *c*
    (paid whether or not she would have left). If she was about to churn, the offer keeps her
    with probability *s* (its success rate) and saves her value *V*; if she was going to stay,
    the offer is wasted. The expected gain of making the offer, against making none, is
    :math:`p\,s\,V - c`, positive exactly when :math:`p > c/(sV)`. In Elkan's (2001, Theorem 1)
    cost-matrix form, with costs :math:`C_{10} = c` (offer to a stayer), :math:`C_{00} = 0`,
    :math:`C_{01} = V` (a lost churner) and :math:`C_{11} = c + (1-s)V` (an offer to a churner),
    the optimal threshold :math:`(C_{10} - C_{00}) / (C_{10} - C_{00} + C_{01} - C_{11})` is the
    same :math:`c / (sV)`. It presumes *calibrated* probabilities (see :func:`calibration_table`).

    Parameters
    ----------
    offer_cost : float
        Cost *c* of one offer (discount, gift, agent time), currency, >= 0.
    customer_value : float, array or pandas.Series
        Value *V* of keeping the customer (e.g. :func:`crmlib.value.clv_from_retention` of her
        margin), currency, > 0. A Series gives a Series with its index.
    success_rate : float, array or Series, default 1.0
        Share *s* of would-be churners the offer keeps, in (0, 1].

    Returns
    -------
    float, ndarray or Series
        The threshold probability; 1 or more means no customer of that value is worth the offer.

    References
    ----------
    Elkan, C. (2001). The foundations of cost-sensitive learning. *IJCAI 2001*, 973-978 (Theorem 1).
    Verbraken, Verbeke & Baesens (2013), eq. 3 (the same trade-off in a churn campaign).

    Examples
    --------
    >>> cost_threshold(50, 1000, success_rate=0.5)       # 50 / (0.5 * 1000)
    0.1
    """
    index, c, value, s, _ = _offer_terms(offer_cost, customer_value, success_rate)
    out = c / (s * value)
    if index is not None:
        return pd.Series(out, index=index, name="threshold")
    return float(out[0]) if out.size == 1 and np.ndim(customer_value) == 0 and np.ndim(success_rate) == 0 else out


def expected_offer_value(probability, customer_value, *, offer_cost, success_rate=1.0):
    """Expected net value of making a customer the retention offer: p s V - c (currency per customer).

    Positive exactly above the :func:`cost_threshold`. ``probability`` must be calibrated churn
    probabilities for the period the offer covers. Series are aligned by index; the result has
    the index.

    Examples
    --------
    >>> expected_offer_value([0.05, 0.4], 1000, offer_cost=50, success_rate=0.5).tolist()
    [-25.0, 150.0]
    >>> expected_offer_value(0.4, 1000, offer_cost=50, success_rate=0.5)
    150.0
    """
    index, c, value, s, arrays = _offer_terms(offer_cost, customer_value, success_rate, probability=probability)
    p = v.probability("probability", arrays["probability"])
    out = np.asarray(p * s * value - c, float)
    if index is not None:
        return pd.Series(out, index=index, name="expected_value")
    scalar = all(np.ndim(x) == 0 for x in (probability, customer_value, success_rate))
    return float(out.ravel()[0]) if scalar else out


@dataclass(frozen=True)
class CampaignResult:
    """A retention campaign: who gets the offer and what it is expected to (and did) bring.

    ``targeted`` customers are those whose expected offer value p s V - c is positive. Money in
    the currency of ``customer_value``. ``realised_*`` fields are NaN unless the churn outcome
    of the same customers was given (a holdout sample: who did churn).
    """

    customers: int
    targeted: int
    offer_cost: float
    success_rate: float
    expected_churners_reached: float
    expected_retained_value: float
    campaign_cost: float
    expected_net_value: float
    retained_value_per_offer: float
    net_value_per_offer: float
    churners: float = math.nan
    churners_reached: float = math.nan
    realised_retained_value: float = math.nan
    realised_net_value: float = math.nan

    def __repr__(self) -> str:
        text = _(
            "offer {targeted:,} of {customers:,} customers at {offer_cost:,.2f} each: expected retained value "
            "{retained_value:,.2f} ({per_offer:,.2f} per offer), net {net_value:,.2f}"
        ).format(
            targeted=self.targeted,
            customers=self.customers,
            offer_cost=self.offer_cost,
            retained_value=self.expected_retained_value,
            per_offer=self.retained_value_per_offer,
            net_value=self.expected_net_value,
        )
        if not math.isnan(self.realised_net_value):
            text += _(
                "; holdout: reached {reached:,.0f} of {churners:,.0f} churners, realised net {net_value:,.2f}"
            ).format(reached=self.churners_reached, churners=self.churners, net_value=self.realised_net_value)
        return f"CampaignResult({text})"


def plan_offers(probability, customer_value, *, offer_cost, success_rate=1.0, outcome=None) -> CampaignResult:
    """Target the retention offer by expected value and add up what the campaign should bring.

    A customer gets the offer when p s V > c (:func:`cost_threshold`). For the targeted customers
    the expected retained value is sum p s V, the cost is (number targeted) c, and the **expected
    retained value per offer** is their ratio to the number of offers. Given the actual churn
    ``outcome`` of the same customers (a holdout sample scored by a model fitted elsewhere), the
    plan also reports how many churners it reached and the value it would have saved, s V summed
    over the targeted churners, less its cost.

    Parameters
    ----------
    probability : array_like or pandas.Series
        Calibrated churn probabilities in [0, 1].
    customer_value : float, array or Series
        Value of keeping each customer (currency, > 0), e.g. a CLV from :mod:`crmlib.value`.
    offer_cost : float
        Cost of one offer, currency, >= 0.
    success_rate : float, default 1.0
        Share of would-be churners an offer keeps, in (0, 1].
    outcome : array_like or pandas.Series, optional
        True where the customer did churn. Series are aligned by index.

    Returns
    -------
    CampaignResult

    Examples
    --------
    >>> plan = plan_offers([0.05, 0.2, 0.6], 1000, offer_cost=50, success_rate=0.5, outcome=[0, 0, 1])
    >>> plan.targeted, plan.expected_retained_value, plan.retained_value_per_offer, plan.realised_net_value
    (2, 400.0, 200.0, 400.0)
    """
    index, c, value, s, arrays = _offer_terms(offer_cost, customer_value, success_rate, probability=probability)
    p = np.atleast_1d(v.probability("probability", arrays["probability"]))
    value = np.broadcast_to(value, p.shape)
    s = np.broadcast_to(s, p.shape)
    saved = p * s * value
    target = saved > c
    k = int(target.sum())
    expected = float(saved[target].sum())
    cost = k * c
    extra = {}
    if outcome is not None:
        if isinstance(outcome, pd.Series):
            if index is None:
                raise TypeError(
                    "outcome must be an array like probability (inputs are aligned by index, or not at all)"
                )
            v.aligned(probability=pd.Series(0.0, index=index), outcome=pd.Series(0.0, index=outcome.index))
            outcome = outcome.reindex(index)
        y = _binary("outcome", outcome)
        v.same_length(probability=p, outcome=y)
        realised = float((s * value)[target & y].sum())
        extra = {
            "churners": float(y.sum()),
            "churners_reached": float((target & y).sum()),
            "realised_retained_value": realised,
            "realised_net_value": realised - cost,
        }
    return CampaignResult(
        customers=len(p),
        targeted=k,
        offer_cost=c,
        success_rate=float(np.mean(s)),
        expected_churners_reached=float(p[target].sum()),
        expected_retained_value=expected,
        campaign_cost=cost,
        expected_net_value=expected - cost,
        retained_value_per_offer=expected / k if k else 0.0,
        net_value_per_offer=(expected - cost) / k if k else 0.0,
        **extra,
    )


def confusion_table(outcome, probability, threshold) -> pd.DataFrame:
    """Counts of actual outcome by decision at a threshold: an offer where probability > threshold.

    Computed by ``sklearn.metrics.confusion_matrix``. ``threshold`` is one number, or one per
    customer (a Series aligned by index, e.g. :func:`cost_threshold` of each customer's value).

    Returns
    -------
    pandas.DataFrame
        Rows ``actual`` (stayed, churned), columns ``decision`` (no offer, offer), counts.

    Examples
    --------
    >>> confusion_table([0, 0, 1, 1], [0.1, 0.6, 0.4, 0.9], 0.5).values.tolist()
    [[1, 1], [1, 1]]
    """
    from sklearn.metrics import confusion_matrix

    if isinstance(threshold, pd.Series):
        if not isinstance(probability, pd.Series):
            raise TypeError("threshold is a Series: probability must be one too (they are aligned by index)")
        index, arrays = v.aligned(probability=probability, threshold=threshold)
        probability, threshold = pd.Series(arrays["probability"], index=index), arrays["threshold"]
    y, p, _ = _outcome_score(outcome, probability, score_name="probability", probability=True)
    t = np.atleast_1d(v.in_range("threshold", threshold, 0, None))
    if t.size not in (1, len(p)):
        raise ValueError(f"threshold must be one number or one per customer ({len(p)}); got {t.size}")
    matrix = confusion_matrix(y.astype(int), (p > t).astype(int), labels=[0, 1])
    return pd.DataFrame(
        matrix,
        index=pd.Index(["stayed", "churned"], name="actual"),
        columns=pd.Index(["no offer", "offer"], name="decision"),
    )


def adjust_to_base_rate(probability, *, sample_rate, population_rate):
    r"""Re-base predicted probabilities from a sample's churn share to the population's.

    A model fitted on a sample in which churners are over-represented (share :math:`\pi_s`)
    predicts too high where the population share is :math:`\pi`. If the sample was drawn
    at random *within* churners and within stayers, only the odds are scaled:

    .. math:: \text{odds}' = \text{odds} \times \frac{\pi/(1-\pi)}{\pi_s/(1-\pi_s)},

    the prior correction of King & Zeng (2001, eq. 7) and Elkan (2001, Theorem 2); a logit's
    slopes are unaffected, only its intercept moves (Prentice & Pyke 1979).

    Examples
    --------
    >>> round(float(adjust_to_base_rate(0.5, sample_rate=0.5, population_rate=0.02)), 4)
    0.02
    """
    index, arrays = v.aligned(probability=probability)
    p = v.probability("probability", arrays["probability"])
    ps = v.in_range("sample_rate", sample_rate, 0, 1, low_open=True, high_open=True)
    pi = v.in_range("population_rate", population_rate, 0, 1, low_open=True, high_open=True)
    r = (pi / (1 - pi)) / (ps / (1 - ps))
    out = p * r / (p * r + (1 - p))
    if index is not None:
        return pd.Series(out, index=index, name="probability")
    return float(out[0]) if np.ndim(probability) == 0 else np.asarray(out, float)


# ---------------------------------------------------------------------------------------------
# penalised logit (scikit-learn) with the penalty chosen by cross-validation
# ---------------------------------------------------------------------------------------------
def _sk_logit(C: float, penalty: str, maxiter: int, seed: int):
    """A scikit-learn LogisticRegression for ``penalty`` at ``C``, across scikit-learn versions."""
    from sklearn.linear_model import LogisticRegression

    solver = "liblinear" if penalty == "l1" else "lbfgs"
    extra = {"intercept_scaling": 100.0} if penalty == "l1" else {}
    if inspect.signature(LogisticRegression).parameters["penalty"].default == "deprecated":  # scikit-learn >= 1.8
        return LogisticRegression(
            C=C,
            l1_ratio=1.0 if penalty == "l1" else 0.0,
            solver=solver,
            max_iter=maxiter,
            tol=1e-6,
            random_state=seed,
            **extra,
        )
    return LogisticRegression(
        penalty=penalty, C=C, solver=solver, max_iter=maxiter, tol=1e-6, random_state=seed, **extra
    )  # pragma: no cover - older scikit-learn


def _fit_sk(model, X, y):
    import warnings

    from sklearn.exceptions import ConvergenceWarning as SkConvergenceWarning

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", SkConvergenceWarning)
        model.fit(X, y)
    return not any(issubclass(w.category, SkConvergenceWarning) for w in caught)


def _log_loss(y, p):
    p = np.clip(p, 1e-15, 1 - 1e-15)
    return float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))


@dataclass(frozen=True, kw_only=True, repr=False, eq=False)
class PenalizedLogitResult(FitResult):
    """A penalised (L1 lasso or L2 ridge) logistic regression with its penalty chosen by cross-validation.

    ``params`` are the coefficients on the scale of the formula's terms (the fit itself is on
    standardised terms, so that one penalty treats every term alike). ``standard_errors`` are NaN:
    a penalised estimate is biased towards zero and has no valid textbook standard error
    (bootstrap the whole procedure instead). ``log_likelihood`` is the unpenalised log-likelihood
    at the estimates. With L1 some coefficients are exactly 0: the lasso dropped those terms.

    Attributes
    ----------
    penalty : {"l1", "l2"}
    C : float
        Inverse penalty strength chosen (larger = weaker penalty).
    cv_table : pandas.DataFrame
        Mean and standard error of the out-of-fold log loss per candidate C (property).
    """

    model_name: ClassVar[str] = "penalised logistic regression"
    formula: str = ""
    penalty: str = "l2"
    C: float = 1.0
    folds: int = 5
    rule: str = "min"
    columns: tuple[str, ...] = ()
    design: object = field(default=None, compare=False)
    cv_c: tuple[float, ...] = ()
    cv_loss: tuple[float, ...] = ()
    cv_loss_se: tuple[float, ...] = ()

    @property
    def cv_table(self) -> pd.DataFrame:
        """Out-of-fold log loss (mean over folds and its standard error) for each candidate C."""
        return pd.DataFrame(
            {"log_loss": self.cv_loss, "std_error": self.cv_loss_se}, index=pd.Index(self.cv_c, name="C")
        )

    @property
    def n_zero(self) -> int:
        """Number of terms (not the intercept) whose coefficient is exactly 0."""
        return int(sum(1 for n, b in zip(self.param_names, self.param_values) if n != "Intercept" and b == 0.0))

    def predict(self, data: pd.DataFrame) -> pd.Series:
        """Predicted churn probabilities for the rows of ``data`` (the formula's columns), indexed like it."""
        from scipy.special import expit

        X = _design_rhs(self.design, data, self.columns)
        A = X[list(self.param_names)].to_numpy(dtype=float)
        return pd.Series(expit(A @ np.asarray(self.param_values)), index=data.index, name="probability")

    def __repr__(self) -> str:
        head = _(
            "{formula}: {penalty} penalty, C = {C:.4g} chosen by {folds}-fold CV; {fit}; {zero} of {terms} terms at 0"
        ).format(
            formula=self.formula,
            penalty=self.penalty.upper(),
            C=self.C,
            folds=self.folds,
            fit=self._fit_line(),
            zero=self.n_zero,
            terms=len(self.param_names) - 1,
        )
        lines = [f"PenalizedLogitResult({head})"]
        width = max((len(n) for n in self.param_names), default=0)
        for term, est in zip(self.param_names, self.param_values):
            lines.append(f"  {term:<{width}}  {est:+.4f}")
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        table = translate_frame(self.params.to_frame().round(4)).to_html()
        title = _("{penalty}-penalised logit").format(penalty=self.penalty.upper())
        return f"<p><b>{title}</b> {self.formula}: C = {self.C:.4g}</p>{table}"


def fit_penalized_logit(
    formula, data, *, penalty="l2", folds=5, rng, grid=20, rule="min", maxiter=1000
) -> PenalizedLogitResult:
    r"""Penalised logistic regression on a formula, the penalty chosen by stratified k-fold cross-validation.

    Minimises :math:`C \sum_i \ell_i(\beta) + \|\beta\|` with :math:`\ell_i` the logistic loss and
    :math:`\|\beta\|` the L1 norm (lasso: some coefficients become exactly 0) or half the squared
    L2 norm (ridge: all shrink), on standardised terms (mean 0, standard deviation 1) and without
    penalising the intercept (scikit-learn ``LogisticRegression``: "lbfgs" for L2, "liblinear"
    with a large intercept scaling for L1). C is chosen from ``grid`` values log-spaced in
    [1e-4, 1e4] by the mean out-of-fold log loss over :func:`fold_labels` (``rule="min"``: the
    smallest loss; ``rule="1se"``: the strongest penalty whose loss is within one standard error
    of the smallest, a sparser model that predicts about as well), then the model is refitted on
    all rows. Useful when there are many correlated terms (the telco services) or
    a term nearly separates the outcomes.

    Parameters
    ----------
    formula : str
        ``outcome ~ terms`` as in :func:`crmlib.stats.fit_logit_formula`.
    data : pandas.DataFrame
        One row per customer; missing values in used columns are refused, naming the column.
    penalty : {"l2", "l1"}, default "l2"
    folds : int, default 5
        Cross-validation folds, 2 ... 100.
    rng : numpy.random.Generator
        Source of the fold assignment (and of the solver's seed).
    grid : int, default 20
        Number of candidate values of C, 2 ... 200.
    rule : {"min", "1se"}, default "min"
        How C is chosen from the cross-validated losses (Hastie, Tibshirani & Friedman 2009,
        section 7.10, the one-standard-error rule).
    maxiter : int, default 1000
        Solver iterations allowed per fit, 1 ... 100,000.

    Returns
    -------
    PenalizedLogitResult

    References
    ----------
    Tibshirani, R. (1996). Regression shrinkage and selection via the lasso. *JRSS B* 58(1),
    267-288. Hastie, T., Tibshirani, R. & Friedman, J. (2009). *The Elements of Statistical
    Learning*, 2nd ed., Springer, sections 4.4.4 and 7.10.

    Examples
    --------
    >>> rng = np.random.default_rng(3)
    >>> df = pd.DataFrame({"x": rng.normal(size=200), "z": rng.normal(size=200)})
    >>> df["churn"] = rng.random(200) < 1 / (1 + np.exp(-2 * df["x"]))
    >>> fit = fit_penalized_logit("churn ~ x + z", df, penalty="l1", rng=np.random.default_rng(0))
    >>> fit.param_names, fit.converged, bool(fit.params["x"] > 1)
    (('Intercept', 'x', 'z'), True, True)
    """
    v.rng("rng", rng)
    v.one_of("penalty", penalty, ["l2", "l1"])
    folds = v.integer("folds", folds, minimum=2, maximum=100)
    grid = v.integer("grid", grid, minimum=2, maximum=200)
    maxiter = v.integer("maxiter", maxiter, minimum=1, maximum=100_000)
    v.one_of("rule", rule, ["min", "1se"])
    lhs, used = _parse_formula(formula, data)
    y = _binary(f"data[{lhs!r}]", data[lhs]).astype(float)
    if y.min() == y.max():
        raise ValueError(f"data[{lhs!r}] must contain both outcomes; all {len(y)} are {bool(y[0])}")
    frame = data[used].copy()
    frame[lhs] = y
    _, X, spec = _design(formula, frame)
    if "Intercept" not in X.columns:
        raise ValueError(f"formula {formula!r} must keep the intercept (it is not penalised); remove '- 1' or '0 +'")
    terms = [c for c in X.columns if c != "Intercept"]
    if not terms:
        raise ValueError(f"formula {formula!r} has no term to penalise on its right-hand side")
    A = X[terms].to_numpy(dtype=float)
    mean, sd = A.mean(axis=0), A.std(axis=0)
    if np.any(sd == 0):
        raise ValueError(f"term {terms[int(np.flatnonzero(sd == 0)[0])]!r} is constant in data: drop it")
    Z = (A - mean) / sd
    labels = np.asarray(fold_labels(y, folds=folds, rng=rng))
    seed = int(rng.integers(2**31 - 1))
    cs = np.logspace(-4, 4, grid)
    losses = np.empty((grid, folds))
    for f in range(folds):
        train, test = labels != f, labels == f
        for i, C in enumerate(cs):
            model = _sk_logit(C, penalty, maxiter, seed)
            _fit_sk(model, Z[train], y[train])
            losses[i, f] = _log_loss(y[test], model.predict_proba(Z[test])[:, 1])
    mean_loss = losses.mean(axis=1)
    se_loss = losses.std(axis=1, ddof=1) / math.sqrt(folds)
    best = int(np.argmin(mean_loss))
    if rule == "1se":
        best = int(np.flatnonzero(mean_loss <= mean_loss[best] + se_loss[best])[0])
    model = _sk_logit(cs[best], penalty, maxiter, seed)
    converged = _fit_sk(model, Z, y)
    b = model.coef_.ravel() / sd
    b0 = float(model.intercept_[0] - np.sum(model.coef_.ravel() * mean / sd))
    if penalty == "l1":
        b[model.coef_.ravel() == 0] = 0.0
    names = ["Intercept", *terms]
    values = np.r_[b0, b]
    eta = b0 + A @ b
    ll = float(np.sum(y * eta - np.logaddexp(0, eta)))
    iterations = int(np.max(model.n_iter_))
    result = PenalizedLogitResult(
        param_names=tuple(names),
        param_values=tuple(values),
        se_values=tuple([math.nan] * len(names)),
        n_obs=len(y),
        converged=converged,
        message=(
            gettext("{solver} converged in {iterations} iterations").format(solver=model.solver, iterations=iterations)
            if converged
            else gettext("{solver} stopped after maxiter={maxiter} iterations without meeting its tolerance").format(
                solver=model.solver, maxiter=maxiter
            )
        ),
        iterations=iterations,
        log_likelihood=ll,
        formula=formula,
        penalty=penalty,
        C=float(cs[best]),
        folds=folds,
        columns=tuple(c for c in used if c != lhs),
        design=spec,
        cv_c=tuple(cs.tolist()),
        cv_loss=tuple(mean_loss.tolist()),
        cv_loss_se=tuple(se_loss.tolist()),
        rule=rule,
    )
    warn_if_not_converged(result, advice="Raise maxiter.")
    return result


# ---------------------------------------------------------------------------------------------
# k-fold cross-validation of a logit on a formula
# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class CrossValidationResult:
    """Out-of-fold predictions and per-fold metrics of a k-fold cross-validation.

    ``table`` has one row per fold (rows, churners, AUC, log loss, Brier score on the held-out
    fold); ``predictions`` every row's probability from the model that did not see it, so
    :func:`roc_auc`, :func:`gains_table` and :func:`calibration_table` of ``predictions`` are
    honest out-of-sample readings.
    """

    formula: str
    folds: int
    table: pd.DataFrame
    predictions: pd.Series

    @property
    def mean_auc(self) -> float:
        """Mean of the per-fold AUCs."""
        return float(self.table["auc"].mean())

    def __repr__(self) -> str:
        auc = self.table["auc"]
        text = _("{formula}: {folds} folds, AUC {auc:.4f} (sd {sd:.4f} over folds), log loss {log_loss:.4f}").format(
            formula=self.formula,
            folds=self.folds,
            auc=auc.mean(),
            sd=auc.std(ddof=1),
            log_loss=self.table["log_loss"].mean(),
        )
        return f"CrossValidationResult({text})"


def cross_validate(formula, data, *, folds=5, rng, maxiter=100) -> CrossValidationResult:
    """Stratified k-fold cross-validation of the logit :func:`crmlib.stats.fit_logit_formula`.

    Each fold is held out once: the model is fitted on the other folds and predicts the held-out
    rows. The folds come from :func:`fold_labels` on the formula's outcome.

    Parameters
    ----------
    formula : str
        ``outcome ~ terms``.
    data : pandas.DataFrame
        One row per customer.
    folds : int, default 5
        Number of folds, 2 ... 100; each outcome needs at least ``folds`` rows.
    rng : numpy.random.Generator
        Source of the fold assignment.
    maxiter : int, default 100
        Newton-Raphson iterations per fit.

    Returns
    -------
    CrossValidationResult

    Examples
    --------
    >>> rng = np.random.default_rng(3)
    >>> df = pd.DataFrame({"x": rng.normal(size=300)})
    >>> df["churn"] = rng.random(300) < 1 / (1 + np.exp(-2 * df["x"]))
    >>> cv = cross_validate("churn ~ x", df, folds=3, rng=np.random.default_rng(0))
    >>> cv.table["rows"].tolist(), bool(cv.mean_auc > 0.8)
    ([100, 100, 100], True)
    """
    v.rng("rng", rng)
    folds = v.integer("folds", folds, minimum=2, maximum=100)
    lhs, _ = _parse_formula(formula, data)
    y = pd.Series(_binary(f"data[{lhs!r}]", data[lhs]), index=data.index)
    if y.min() == y.max():
        raise ValueError(f"data[{lhs!r}] must contain both outcomes; all {len(y)} are {bool(y.iloc[0])}")
    labels = np.asarray(fold_labels(y, folds=folds, rng=rng))
    pred = np.empty(len(data))
    rows = []
    for f in range(folds):
        test = labels == f
        fit = fit_logit_formula(formula, data.iloc[~test], maxiter=maxiter)
        p = fit.predict(data.iloc[test]).to_numpy()
        pred[test] = p
        yt = y.to_numpy(float)[test]
        rows.append(
            {
                "fold": f,
                "rows": int(test.sum()),
                "churners": int(yt.sum()),
                "auc": roc_auc(yt, p).estimate,
                "log_loss": _log_loss(yt, p),
                "brier": float(np.mean((p - yt) ** 2)),
            }
        )
    return CrossValidationResult(
        formula=formula,
        folds=folds,
        table=pd.DataFrame(rows).set_index("fold"),
        predictions=pd.Series(pred, index=data.index, name="probability"),
    )


# ---------------------------------------------------------------------------------------------
# snapshots: entry times, and a simulated customer base to see what they do
# ---------------------------------------------------------------------------------------------
def snapshot_entry(tenure, *, window=1.0):
    """Entry times of a snapshot file: the tenure at which each customer came under observation.

    A churn file that lists the customers active when an observation window of length
    ``window`` opened, with their tenure at its end (or at churn) and whether they churned in
    it, observes each customer only from ``tenure - window`` on (0 for customers who joined
    during the window). Customers who left before the window are not in the file at all: the
    data are *left-truncated*, and :func:`crmlib.stats.kaplan_meier` needs these entry times.
    Customers with tenure 0 have no time at risk; drop them first.

    Parameters
    ----------
    tenure : float, array or pandas.Series
        Tenure at the end of the window (or at churn), > 0, e.g. months.
    window : float, default 1.0
        Length of the observation window, same unit, > 0 (the telco file: one month).

    Returns
    -------
    float, ndarray or Series
        max(tenure - window, 0); a Series keeps its index.

    Examples
    --------
    >>> snapshot_entry([1, 5, 0.5], window=1).tolist()
    [0.0, 4.0, 0.0]
    """
    index, arrays = v.aligned(tenure=tenure)
    t = v.non_negative("tenure", arrays["tenure"])
    w = v.positive("window", window)
    if np.any(np.asarray(t) <= 0):
        raise ValueError(
            "tenure must be > 0: a customer with tenure 0 has no time at risk in the window; drop it first"
        )
    out = np.maximum(np.asarray(t, float) - w, 0.0)
    if index is not None:
        return pd.Series(out, index=index, name="entry")
    return float(out[0]) if np.ndim(tenure) == 0 else out


def simulate_snapshot(n_customers, *, rng, months=72.0, shape=0.8, scale=30.0, window=1.0) -> pd.DataFrame:
    r"""A customer base with known Weibull retention, seen the way a snapshot churn file sees it.

    ``n_customers`` customers join at times spread uniformly over the ``months`` before the
    snapshot and stay for a Weibull lifetime, :math:`S(t) = \exp\{-(t/\text{scale})^\text{shape}\}`.
    The file keeps only those still customers when the last ``window`` opened (the others
    left earlier and are invisible), with ``tenure`` at the end of the window or at churn,
    ``churn`` (left within the window) and the ``entry`` tenure at which the window opened for
    them. A Kaplan-Meier curve of (tenure, churn) ignores that the early leavers are missing;
    with ``entry`` it recovers S(t) (see the chapter notebook).

    Parameters
    ----------
    n_customers : int
        Customers ever acquired, 1 ... 10,000,000 (the file holds fewer).
    rng : numpy.random.Generator
    months : float, default 72
        Period over which customers joined, in months (> window).
    shape, scale : float, default 0.8 and 30
        Weibull shape (< 1: the hazard falls with tenure) and scale (months), > 0.
    window : float, default 1
        Observation window at the end, in months.

    Returns
    -------
    pandas.DataFrame
        One row per customer in the file: ``joined`` (months before the snapshot), ``tenure``,
        ``churn`` (bool), ``entry``; and in ``attrs`` the true parameters.

    Examples
    --------
    >>> snap = simulate_snapshot(1000, rng=np.random.default_rng(1))
    >>> list(snap.columns), bool((snap["entry"] < snap["tenure"]).all())
    (['joined', 'tenure', 'churn', 'entry'], True)
    """
    v.rng("rng", rng)
    n = v.integer("n_customers", n_customers, minimum=1, maximum=MAX_SIMULATED)
    window = v.in_range("window", window, 0, 1000, low_open=True, unit="months")
    months = v.in_range("months", months, 0, 10_000, low_open=True, unit="months")
    if months <= window:
        raise ValueError(f"months must be longer than window ({window:g}); got months={months:g}")
    shape = v.in_range("shape", shape, 0.05, 20)
    scale = v.in_range("scale", scale, 1e-3, 1e6, unit="months")
    joined = rng.uniform(0.0, months, n)  # age at the snapshot: months since joining
    life = scale * rng.weibull(shape, n)
    start = joined - window  # tenure when the window opened (negative: joined during it)
    keep = life > np.maximum(start, 0.0)
    joined, life, start = joined[keep], life[keep], start[keep]
    churn = life <= joined
    frame = pd.DataFrame(
        {
            "joined": joined,
            "tenure": np.where(churn, life, joined),
            "churn": churn,
            "entry": np.maximum(start, 0.0),
        }
    )
    frame.attrs.update({"shape": shape, "scale": scale, "months": months, "window": window, "acquired": n})
    return frame
