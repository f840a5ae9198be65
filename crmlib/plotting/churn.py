"""Figures of churn models and their validation (:mod:`crmlib.churn`, survival in :mod:`crmlib.stats`).

Each function takes ``ax=None`` and returns the axis; it draws a table or result the model
already computed (:func:`~crmlib.churn.roc_table`, :func:`~crmlib.churn.gains_table`,
:func:`~crmlib.churn.calibration_table`, a :class:`~crmlib.churn.PenalizedLogitResult`,
Kaplan-Meier curves, a :class:`~crmlib.stats.CoxResult`) and never refits anything.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .. import _validate as v
from ..churn import AUCResult, PenalizedLogitResult
from ..i18n import gettext as _
from ..stats import CoxResult, KaplanMeierResult
from . import PALETTE, axes

__all__ = [
    "plot_calibration",
    "plot_cv_path",
    "plot_gains",
    "plot_lift",
    "plot_roc",
    "plot_scaled_schoenfeld",
    "plot_survival_comparison",
]


def plot_roc(table: pd.DataFrame, ax=None, *, auc: AUCResult | None = None, label: str = "model"):
    """ROC curve from :func:`crmlib.churn.roc_table`, with the diagonal of a random ranking.

    ``auc`` (an :class:`~crmlib.churn.AUCResult`) adds the AUC and its interval to the legend.
    Returns the axis: line 0 is the curve, line 1 the diagonal.
    """
    v.columns("table", table, ["false_positive_rate", "true_positive_rate"])
    if auc is not None and not isinstance(auc, AUCResult):
        raise TypeError(f"auc must be an AUCResult from crmlib.churn.roc_auc or None; got {type(auc).__name__}")
    ax = axes(ax)
    text = (
        _(label)
        if auc is None
        else _("{label}: AUC {estimate:.3f} ({lower:.3f}–{upper:.3f})").format(
            label=_(label), estimate=auc.estimate, lower=auc.lower, upper=auc.upper
        )
    )
    ax.plot(table["false_positive_rate"], table["true_positive_rate"], color=PALETTE[0], label=text)
    ax.plot([0, 1], [0, 1], color="grey", ls="--", lw=1, label=_("random ranking"))
    ax.set_xlabel(_("false-positive rate (share of stayers flagged)"))
    ax.set_ylabel(_("true-positive rate (share of churners flagged)"))
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1.01)
    ax.legend(loc="lower right")
    return ax


def plot_gains(table: pd.DataFrame, ax=None):
    """Cumulative gains chart from :func:`crmlib.churn.gains_table`: share of churners caught against share contacted.

    Returns the axis: line 0 the model (from (0, 0) through each group), line 1 a random
    selection (the diagonal).
    """
    v.columns("table", table, ["cumulative_share", "gains"])
    ax = axes(ax)
    x = np.r_[0.0, table["cumulative_share"].to_numpy(float)] * 100
    y = np.r_[0.0, table["gains"].to_numpy(float)] * 100
    ax.plot(x, y, marker="o", color=PALETTE[0], label=_("model"))
    ax.plot([0, 100], [0, 100], color="grey", ls="--", lw=1, label=_("random selection"))
    ax.set_xlabel(_("customers contacted, highest scores first (%)"))
    ax.set_ylabel(_("churners caught (% of all churners)"))
    ax.set_xlim(0, 100)
    ax.set_ylim(0, 101)
    ax.legend(loc="lower right")
    return ax


def plot_lift(table: pd.DataFrame, ax=None):
    """Lift by group from :func:`crmlib.churn.gains_table`: bars of each group's churn rate over the average.

    Returns the axis: one bar per group (group 1 = highest scores), a dashed line at lift 1.
    """
    v.columns("table", table, ["lift"])
    ax = axes(ax)
    lift = table["lift"].to_numpy(float)
    ax.bar(np.asarray(table.index), lift, color=PALETTE[0])
    ax.axhline(1.0, color="grey", ls="--", lw=1)
    ax.set_xticks(np.asarray(table.index))
    ax.set_xlabel(_("group of customers by score (1 = highest)"))
    ax.set_ylabel(_("lift (churn rate / average churn rate)"))
    return ax


def plot_calibration(table: pd.DataFrame, ax=None):
    """Calibration plot from :func:`crmlib.churn.calibration_table`: observed against predicted churn share.

    Points with their (Wilson) interval as error bars; the diagonal is perfect calibration.
    Returns the axis (line 0: the diagonal; the points are ``ax.containers[0]``).
    """
    v.columns("table", table, ["mean_predicted", "observed_rate", "ci_low", "ci_high"])
    ax = axes(ax)
    x = table["mean_predicted"].to_numpy(float) * 100
    y = table["observed_rate"].to_numpy(float) * 100
    err = np.vstack([y - table["ci_low"].to_numpy(float) * 100, table["ci_high"].to_numpy(float) * 100 - y])
    err = np.clip(err, 0.0, None)  # rounding can leave -1e-15 where the share sits on a bound
    top = max(float(x.max()), float(table["ci_high"].max() * 100)) * 1.05
    ax.plot([0, top], [0, top], color="grey", ls="--", lw=1, label=_("perfect calibration"))
    ax.errorbar(x, y, yerr=err, fmt="o", color=PALETTE[1], capsize=3, label=_("groups of customers"))
    ax.set_xlabel(_("mean predicted churn probability (%)"))
    ax.set_ylabel(_("observed churn share (%)"))
    ax.set_xlim(0, top)
    ax.set_ylim(0, top)
    ax.legend(loc="upper left")
    return ax


def plot_cv_path(result: PenalizedLogitResult, ax=None):
    """Cross-validated log loss against the penalty C of a :class:`~crmlib.churn.PenalizedLogitResult`.

    Error bars are one standard error over the folds; the dashed line marks the C chosen.
    Returns the axis.
    """
    if not isinstance(result, PenalizedLogitResult):
        raise TypeError(f"result must be a PenalizedLogitResult; got {type(result).__name__}")
    ax = axes(ax)
    t = result.cv_table
    ax.errorbar(t.index, t["log_loss"], yerr=t["std_error"], fmt="o-", color=PALETTE[0], ms=4, capsize=2)
    ax.axvline(
        result.C, color=PALETTE[1], ls="--", label=_("chosen C = {C:.3g} ({rule})").format(C=result.C, rule=result.rule)
    )
    ax.set_xscale("log")
    ax.set_xlabel(_("C (inverse penalty: larger = weaker)"))
    ax.set_ylabel(_("out-of-fold log loss"))
    ax.legend(loc="upper right")
    return ax


def plot_survival_comparison(curves: dict, ax=None, *, truth: pd.Series | None = None, xlabel="tenure (months)"):
    """Several survival curves as steps on one axis, with an optional true curve (dashed).

    ``curves`` maps a label to a :class:`~crmlib.stats.KaplanMeierResult` (e.g. without and with
    delayed entry); ``truth`` is a Series of S(t) indexed by time (a known curve, as in a
    simulation). Returns the axis: one step line per curve, then the truth.
    """
    if not isinstance(curves, dict) or not curves or not all(isinstance(c, KaplanMeierResult) for c in curves.values()):
        raise TypeError("curves must be a non-empty dict of KaplanMeierResult")
    ax = axes(ax)
    for (name, km), colour in zip(curves.items(), PALETTE):
        t = km.table
        ax.step(t["time"], t["survival"], where="post", color=colour, label=_(str(name)))
    if truth is not None:
        if not isinstance(truth, pd.Series):
            raise TypeError(f"truth must be a pandas Series of S(t) indexed by time; got {type(truth).__name__}")
        ax.plot(truth.index, truth.to_numpy(float), color="black", ls="--", lw=1.2, label=_("true curve"))
    ax.set_xlabel(_(xlabel))
    ax.set_ylabel(_("share still a customer S(t)"))
    ax.set_ylim(0, 1.02)
    ax.legend(loc="lower left")
    return ax


def plot_scaled_schoenfeld(result: CoxResult, term: str, ax=None, *, bins=10):
    """Scaled Schoenfeld residuals of one term against event time, with their mean per time bin.

    Under proportional hazards the points scatter around a flat line at the estimate (dashed);
    a trend means the log hazard ratio changes with time (:meth:`~crmlib.stats.CoxResult.ph_test`
    tests it). The solid line joins the residuals' means over ``bins`` groups of events with
    equal counts; the y-axis spans the central 95% of the residuals and the means. Returns the
    axis (collection 0: the points; line 0: the means; line 1: the estimate).
    """
    if not isinstance(result, CoxResult):
        raise TypeError(f"result must be a CoxResult from crmlib.stats.fit_cox; got {type(result).__name__}")
    if term not in result.param_names:
        raise ValueError(f"term must be one of {list(result.param_names)}; got {term!r}")
    bins = v.integer("bins", bins, minimum=2, maximum=100)
    ax = axes(ax)
    r = result.scaled_schoenfeld()[term]
    t = r.index.to_numpy(float)
    y = r.to_numpy(float)
    ax.scatter(t, y, s=6, alpha=0.25, color=PALETTE[0], label=_("scaled residuals"))
    groups = np.array_split(np.arange(len(t)), min(bins, len(t)))
    means = np.array([y[g].mean() for g in groups])
    ax.plot([t[g].mean() for g in groups], means, color=PALETTE[1], marker="o", label=_("mean per time group"))
    beta = float(result.params[term])
    ax.axhline(beta, color="black", ls="--", lw=1, label=_("estimate {beta:.3f}").format(beta=beta))
    # the y-axis shows the central 95% of the residuals (a few extreme ones would flatten the rest) and the means
    lo, hi = np.percentile(y, [2.5, 97.5])
    lo, hi = min(lo, means.min(), beta), max(hi, means.max(), beta)
    pad = 0.1 * (hi - lo) if hi > lo else 1.0
    ax.set_ylim(lo - pad, hi + pad)
    ax.set_xlabel(_("event time"))
    ax.set_ylabel(_("beta(t) for {term}").format(term=term))
    ax.legend(loc="best")
    return ax
