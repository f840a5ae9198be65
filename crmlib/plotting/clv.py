"""Figures of chapter 3 (customer lifetime value). Each takes ``ax=None`` and returns the axis.

Use them as ``from crmlib.plotting import clv as clv_plots``; ``clv_plots.plot_value_curve(...)``.
The ``draw_*`` functions draw a result that is already evaluated (what the widgets use, so that a
slider move evaluates the model once); the ``plot_*`` functions evaluate and then draw.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .. import _validate as v
from ..clv import BGNBDResult, IntervalResult, ParetoNBDResult, SBGResult, delta_intervals
from ..i18n import N_
from ..i18n import gettext as _
from ..value import clv_from_retention, value_curve
from . import axes

__all__ = [
    "draw_prob_alive",
    "draw_total_intervals",
    "draw_value_curve",
    "plot_holdout",
    "plot_prob_alive",
    "plot_retention",
    "plot_tracking",
    "plot_value_curve",
    "plot_value_matrix",
    "prob_alive_band",
    "prob_alive_curve",
]

#: Legend labels of plot_value_matrix: the first word of each segment of crmlib.clv.value_matrix,
#: marked for the Chinese edition (the quadrants' treatments as the slides name them).
_SEGMENT_NAMES = (N_("invest"), N_("maintain"), N_("develop"), N_("economise"))


def plot_value_curve(margin, retention_rate, discount_rate, periods, ax=None):
    """Cumulative discounted value by period, with the infinite-horizon value as a dashed line.

    Evaluates :func:`crmlib.value.value_curve` and :func:`crmlib.value.clv_from_retention`, then
    draws them with :func:`draw_value_curve`.
    """
    curve = value_curve(margin, retention_rate, discount_rate, periods)
    infinite = clv_from_retention(margin, retention_rate, discount_rate)
    return draw_value_curve(curve, infinite, ax=ax)


def draw_value_curve(curve: pd.Series, infinite_value: float | None = None, ax=None):
    """Draw an evaluated value curve (a :func:`crmlib.value.value_curve` Series) and, when given,
    the infinite-horizon value as a dashed line."""
    if not isinstance(curve, pd.Series):
        raise TypeError(f"curve must be a pandas Series from crmlib.value.value_curve; got {type(curve).__name__}")
    ax = axes(ax)
    ax.plot(
        curve.index, curve.to_numpy(), marker="o", ms=3, label=_("{periods}-period value").format(periods=len(curve))
    )
    if infinite_value is not None:
        ax.axhline(
            infinite_value, ls="--", color="grey", label=_("infinite horizon {value:,.0f}").format(value=infinite_value)
        )
    ax.set_xlabel(_("period after the valuation date (years)"))
    ax.set_ylabel(_("cumulative present value (currency)"))
    ax.set_title(_("customer lifetime value 客户终身价值"))
    ax.legend(loc="lower right")
    return ax


def plot_retention(result: SBGResult, observed=None, periods=12, fitted_periods=None, ax=None):
    """Observed vs sBG-projected survivors (per 1,000) by period."""
    if not isinstance(result, SBGResult):
        raise TypeError(f"result must be a fitted sBG result (crmlib.clv.fit_sbg); got {type(result).__name__}")
    ax = axes(ax)
    proj = result.project_survivors(periods)
    ax.plot(proj.index, proj.to_numpy(), label=_("sBG model"))
    if observed is not None:
        obs = np.atleast_1d(v.as_float("observed", observed))
        ax.plot(np.arange(obs.size), obs, "o", ms=4, label=_("observed"))
    if fitted_periods is not None:
        ax.axvline(fitted_periods, ls=":", color="grey")
    ax.set_xlabel(_("period (years)"))
    ax.set_ylabel(_("customers still active (of 1,000)"))
    ax.legend()
    return ax


def plot_tracking(tracking: pd.DataFrame, ax=None):
    """Cumulative repeat purchases, actual vs model, with the end of calibration marked."""
    v.columns("tracking", tracking, ["actual", "expected", "calibration"])
    ax = axes(ax)
    ax.plot(tracking.index, tracking["actual"], label=_("actual"))
    ax.plot(tracking.index, tracking["expected"], ls="--", label=_("model"))
    if tracking["calibration"].any():
        ax.axvline(tracking.index[tracking["calibration"].to_numpy(bool)].max(), color="grey", ls=":")
    ax.set_xlabel(tracking.index.name if tracking.index.name is None else _(str(tracking.index.name)))
    ax.set_ylabel(_("cumulative repeat purchases"))
    ax.legend()
    return ax


def plot_holdout(comparison: pd.DataFrame, ax=None):
    """Actual vs predicted mean holdout purchases by calibration frequency."""
    v.columns("comparison", comparison, ["actual", "predicted"])
    ax = axes(ax)
    x = np.arange(len(comparison))
    ax.plot(x, comparison["actual"], marker="o", label=_("actual"))
    ax.plot(x, comparison["predicted"], marker="s", ls="--", label=_("model"))
    ax.set_xticks(x, comparison.index.astype(str))
    ax.set_xlabel(_("repeat purchases in the calibration period"))
    ax.set_ylabel(_("mean purchases in the holdout period"))
    ax.legend()
    return ax


def plot_value_matrix(matrix: pd.DataFrame, ax=None):
    """Scatter of customers on current value × growth potential (当前价值 × 增值潜力), by segment (log scales)."""
    v.columns("matrix", matrix, ["current_value", "growth_potential", "segment"])
    ax = axes(ax)
    for seg in matrix["segment"].cat.categories:
        part = matrix[matrix["segment"] == seg]
        ax.scatter(part["current_value"] + 1, part["growth_potential"] + 1, s=8, alpha=0.6, label=_(seg.split(":")[0]))
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel(_("current value 当前价值 + 1 (USD, log scale)"))
    ax.set_ylabel(_("growth potential 增值潜力 + 1 (USD, log)"))
    ax.legend(fontsize=8)
    return ax


def _recency_grid(frequency, T, n_points):
    x = v.integer("frequency", frequency, minimum=0)
    TT = v.positive("T", T)
    k = v.integer("n_points", n_points, minimum=2, maximum=10_000)
    return x, TT, (np.linspace(min(0.5, TT), TT, k) if x > 0 else np.array([]))


def prob_alive_curve(model, frequency, T, n_points=60) -> pd.Series:
    """P(alive) of a customer with ``frequency`` repeat purchases and age ``T``, against her recency.

    Returns a Series indexed by recency t_x on a grid from min(0.5, T) to T (empty when
    frequency is 0: without a repeat purchase the recency is 0 and she is certainly alive).
    """
    if not isinstance(model, (BGNBDResult, ParetoNBDResult)):
        raise TypeError(f"model must be a fitted BG/NBD or Pareto/NBD result; got {type(model).__name__}")
    x, TT, grid = _recency_grid(frequency, T, n_points)
    if x == 0:
        return pd.Series([], index=pd.Index([], dtype=float, name="recency"), name="P(alive)", dtype=float)
    values = model.prob_alive(np.full(grid.size, x), grid, np.full(grid.size, TT))
    return pd.Series(np.asarray(values, float), index=pd.Index(grid, name="recency"), name="P(alive)")


def prob_alive_band(model, frequency, T, level=0.95, n_points=60) -> pd.DataFrame:
    """P(alive) against recency (as :func:`prob_alive_curve`) with its delta-method interval.

    One call of :func:`crmlib.clv.delta_intervals` on the whole grid: columns ``estimate``,
    ``lower`` and ``upper``, indexed by recency (empty when frequency is 0). The band shows how
    well the *parameters* are known, not the customer's own randomness.
    """
    if not isinstance(model, (BGNBDResult, ParetoNBDResult)):
        raise TypeError(f"model must be a fitted BG/NBD or Pareto/NBD result; got {type(model).__name__}")
    x, TT, grid = _recency_grid(frequency, T, n_points)
    index = pd.Index(grid, name="recency", dtype=float)
    if x == 0:
        return pd.DataFrame({"estimate": [], "lower": [], "upper": []}, index=index, dtype=float)
    res = delta_intervals("prob_alive", model, None, np.full(grid.size, x), grid, np.full(grid.size, TT), level=level)
    return pd.DataFrame({"estimate": res.estimate, "lower": res.lower, "upper": res.upper}, index=index)


def plot_prob_alive(model, frequency, recency, T, ax=None, level=None):
    """P(alive) against the week of the last purchase, for a customer with ``frequency`` repeat
    purchases and age ``T``; the chosen ``recency`` is marked (FHL 2005a, Figure 5 idea). With a
    ``level`` (e.g. 0.95), the delta-method band of the parameters' uncertainty is shaded."""
    x, TT = int(frequency), float(T)
    tx = v.in_range("recency", recency, 0, TT)
    point = model.prob_alive(x, tx if x > 0 else 0.0, TT) if isinstance(model, (BGNBDResult, ParetoNBDResult)) else None
    if level is None:
        return draw_prob_alive(prob_alive_curve(model, frequency, T), x, tx, TT, point, ax=ax)
    band = prob_alive_band(model, frequency, T, level=level)
    return draw_prob_alive(band["estimate"], x, tx, TT, point, ax=ax, band=band, level=level)


def draw_prob_alive(curve: pd.Series, frequency, recency, T, prob_alive, ax=None, band=None, level=None):
    """Draw an evaluated P(alive) curve (:func:`prob_alive_curve`) and mark the customer's own point;
    ``band`` (a DataFrame with ``lower`` and ``upper`` on the curve's index, e.g. from
    :func:`prob_alive_band`) is shaded behind it."""
    ax = axes(ax)
    if band is not None and len(band):
        v.columns("band", band, ["lower", "upper"])
        label = (
            _("parameter uncertainty") if level is None else _("{level:.0%} interval (parameters)").format(level=level)
        )
        ax.fill_between(band.index, band["lower"], band["upper"], color="#0072B2", alpha=0.2, lw=0, label=label)
    if len(curve):
        ax.plot(curve.index, curve.to_numpy())
    ax.plot([recency], [prob_alive], "o", color="#D55E00")
    ax.set_ylim(0, 1.02)
    ax.set_xlabel(_("recency t_x: week of the last purchase (weeks after the first)"))
    ax.set_ylabel(_("P(alive) 存活概率"))
    ax.set_title(_("{frequency} repeat purchases, customer for {weeks:g} weeks").format(frequency=frequency, weeks=T))
    if band is not None and len(band):
        ax.legend(loc="upper left", fontsize=8)
    return ax


def draw_total_intervals(results, ax=None, scale=1.0, unit=""):
    """Totals over the customers with their intervals, one row per result (e.g. delta vs bootstrap).

    ``results`` is a dict {label: IntervalResult} (or a list, labelled by quantity and method);
    each total is drawn as a point with a horizontal bar from ``lower`` to ``upper``, divided by
    ``scale`` (e.g. 1000 for thousands) and labelled with its numbers.
    """
    if isinstance(results, IntervalResult):
        results = [results]
    if not isinstance(results, dict):
        results = {f"{r.quantity}, {r.method}" if isinstance(r, IntervalResult) else str(r): r for r in results}
    bad = [k for k, r in results.items() if not isinstance(r, IntervalResult)]
    if bad or not results:
        raise TypeError(f"results must be IntervalResults (crmlib.clv.delta_intervals/bootstrap_intervals); got {bad}")
    scale = v.positive("scale", scale)
    ax = axes(ax)
    labels = list(results)
    for i, r in enumerate(results.values()):
        t = r.total / scale
        ax.errorbar(
            [t["estimate"]],
            [i],
            xerr=[[t["estimate"] - t["lower"]], [t["upper"] - t["estimate"]]],
            fmt="o",
            capsize=5,
            color="#0072B2" if r.method == "delta" else "#D55E00",
        )
        ax.annotate(
            f"{t['estimate']:,.1f} [{t['lower']:,.1f}, {t['upper']:,.1f}] ({r.level:.0%})",
            (t["upper"], i),
            xytext=(6, 0),
            textcoords="offset points",
            va="center",
            fontsize=8,
        )
    ax.set_yticks(range(len(labels)), labels)
    ax.set_ylim(-0.7, len(labels) - 0.3)
    ax.margins(x=0.35)
    ax.set_xlabel(_("total over the customers ({unit})").format(unit=unit) if unit else _("total over the customers"))
    return ax
