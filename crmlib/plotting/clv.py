"""Figures of chapter 3 (customer lifetime value). Each takes ``ax=None`` and returns the axis.

Use them as ``from crmlib.plotting import clv as clv_plots``; ``clv_plots.plot_value_curve(...)``.
The ``draw_*`` functions draw a result that is already evaluated (what the widgets use, so that a
slider move evaluates the model once); the ``plot_*`` functions evaluate and then draw.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .. import _validate as v
from ..clv import BGNBDResult, ParetoNBDResult, SBGResult
from ..value import clv_from_retention, value_curve
from . import axes

__all__ = [
    "draw_prob_alive",
    "draw_value_curve",
    "plot_holdout",
    "plot_prob_alive",
    "plot_retention",
    "plot_tracking",
    "plot_value_curve",
    "plot_value_matrix",
    "prob_alive_curve",
]


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
    ax.plot(curve.index, curve.to_numpy(), marker="o", ms=3, label=f"{len(curve)}-period value")
    if infinite_value is not None:
        ax.axhline(infinite_value, ls="--", color="grey", label=f"infinite horizon {infinite_value:,.0f}")
    ax.set_xlabel("period after the valuation date (years)")
    ax.set_ylabel("cumulative present value (currency)")
    ax.set_title("customer lifetime value 客户终身价值")
    ax.legend(loc="lower right")
    return ax


def plot_retention(result: SBGResult, observed=None, periods=12, fitted_periods=None, ax=None):
    """Observed vs sBG-projected survivors (per 1,000) by period."""
    if not isinstance(result, SBGResult):
        raise TypeError(f"result must be a fitted sBG result (crmlib.clv.fit_sbg); got {type(result).__name__}")
    ax = axes(ax)
    proj = result.project_survivors(periods)
    ax.plot(proj.index, proj.to_numpy(), label="sBG model")
    if observed is not None:
        obs = np.atleast_1d(v.as_float("observed", observed))
        ax.plot(np.arange(obs.size), obs, "o", ms=4, label="observed")
    if fitted_periods is not None:
        ax.axvline(fitted_periods, ls=":", color="grey")
    ax.set_xlabel("period (years)")
    ax.set_ylabel("customers still active (of 1,000)")
    ax.legend()
    return ax


def plot_tracking(tracking: pd.DataFrame, ax=None):
    """Cumulative repeat purchases, actual vs model, with the end of calibration marked."""
    v.columns("tracking", tracking, ["actual", "expected", "calibration"])
    ax = axes(ax)
    ax.plot(tracking.index, tracking["actual"], label="actual")
    ax.plot(tracking.index, tracking["expected"], ls="--", label="model")
    if tracking["calibration"].any():
        ax.axvline(tracking.index[tracking["calibration"].to_numpy(bool)].max(), color="grey", ls=":")
    ax.set_xlabel(tracking.index.name)
    ax.set_ylabel("cumulative repeat purchases")
    ax.legend()
    return ax


def plot_holdout(comparison: pd.DataFrame, ax=None):
    """Actual vs predicted mean holdout purchases by calibration frequency."""
    v.columns("comparison", comparison, ["actual", "predicted"])
    ax = axes(ax)
    x = np.arange(len(comparison))
    ax.plot(x, comparison["actual"], marker="o", label="actual")
    ax.plot(x, comparison["predicted"], marker="s", ls="--", label="model")
    ax.set_xticks(x, comparison.index.astype(str))
    ax.set_xlabel("repeat purchases in the calibration period")
    ax.set_ylabel("mean purchases in the holdout period")
    ax.legend()
    return ax


def plot_value_matrix(matrix: pd.DataFrame, ax=None):
    """Scatter of customers on current value × growth potential (当前价值 × 增值潜力), by segment (log scales)."""
    v.columns("matrix", matrix, ["current_value", "growth_potential", "segment"])
    ax = axes(ax)
    for seg in matrix["segment"].cat.categories:
        part = matrix[matrix["segment"] == seg]
        ax.scatter(part["current_value"] + 1, part["growth_potential"] + 1, s=8, alpha=0.6, label=seg.split(":")[0])
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("current value 当前价值 + 1 (USD, log scale)")
    ax.set_ylabel("growth potential 增值潜力 + 1 (USD, log)")
    ax.legend(fontsize=8)
    return ax


def prob_alive_curve(model, frequency, T, n_points=60) -> pd.Series:
    """P(alive) of a customer with ``frequency`` repeat purchases and age ``T``, against her recency.

    Returns a Series indexed by recency t_x on a grid from min(0.5, T) to T (empty when
    frequency is 0: without a repeat purchase the recency is 0 and she is certainly alive).
    """
    if not isinstance(model, (BGNBDResult, ParetoNBDResult)):
        raise TypeError(f"model must be a fitted BG/NBD or Pareto/NBD result; got {type(model).__name__}")
    x = v.integer("frequency", frequency, minimum=0)
    TT = v.positive("T", T)
    k = v.integer("n_points", n_points, minimum=2, maximum=10_000)
    if x == 0:
        return pd.Series([], index=pd.Index([], dtype=float, name="recency"), name="P(alive)", dtype=float)
    grid = np.linspace(min(0.5, TT), TT, k)
    values = model.prob_alive(np.full(grid.size, x), grid, np.full(grid.size, TT))
    return pd.Series(np.asarray(values, float), index=pd.Index(grid, name="recency"), name="P(alive)")


def plot_prob_alive(model, frequency, recency, T, ax=None):
    """P(alive) against the week of the last purchase, for a customer with ``frequency`` repeat
    purchases and age ``T``; the chosen ``recency`` is marked (FHL 2005a, Figure 5 idea)."""
    curve = prob_alive_curve(model, frequency, T)
    x, TT = int(frequency), float(T)
    tx = v.in_range("recency", recency, 0, TT)
    point = model.prob_alive(x, tx if x > 0 else 0.0, TT)
    return draw_prob_alive(curve, x, tx, TT, point, ax=ax)


def draw_prob_alive(curve: pd.Series, frequency, recency, T, prob_alive, ax=None):
    """Draw an evaluated P(alive) curve (:func:`prob_alive_curve`) and mark the customer's own point."""
    ax = axes(ax)
    if len(curve):
        ax.plot(curve.index, curve.to_numpy())
    ax.plot([recency], [prob_alive], "o", color="#D55E00")
    ax.set_ylim(0, 1.02)
    ax.set_xlabel("recency t_x: week of the last purchase (weeks after the first)")
    ax.set_ylabel("P(alive) 存活概率")
    ax.set_title(f"{frequency} repeat purchases, customer for {T:g} weeks")
    return ax
