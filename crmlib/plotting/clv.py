"""Figures of chapter 3 (customer lifetime value). Each takes ``ax=None`` and returns the axis."""
from __future__ import annotations

import numpy as np
import pandas as pd

from .. import _validate as v
from ..clv import BGNBDResult, ParetoNBDResult, SBGResult
from ..value import clv_from_retention, value_curve


def _axis(ax):
    if ax is None:
        import matplotlib.pyplot as plt

        _, ax = plt.subplots()
    return ax


def plot_value_curve(margin, retention_rate, discount_rate, periods, ax=None):
    """Cumulative discounted value by period, with the infinite-horizon value as a dashed line."""
    ax = _axis(ax)
    curve = value_curve(margin, retention_rate, discount_rate, periods)
    ax.plot(curve.index, curve.to_numpy(), marker="o", ms=3, label=f"{periods}-period value")
    if retention_rate < 1 + discount_rate:
        inf = clv_from_retention(margin, retention_rate, discount_rate)
        ax.axhline(inf, ls="--", color="grey", label=f"infinite horizon {inf:,.0f}")
    ax.set_xlabel("period after the valuation date (years)")
    ax.set_ylabel("cumulative present value (currency)")
    ax.set_title("customer lifetime value 客户终身价值")
    ax.legend(loc="lower right")
    return ax


def plot_retention(result: SBGResult, observed=None, periods=12, fitted_periods=None, ax=None):
    """Observed vs sBG-projected survivors (per 1,000) by period."""
    ax = _axis(ax)
    proj = result.project_survivors(periods)
    ax.plot(proj.index, proj.to_numpy(), label="sBG model")
    if observed is not None:
        obs = np.asarray(observed, float)
        ax.plot(np.arange(obs.size), obs, "o", ms=4, label="observed")
    if fitted_periods is not None:
        ax.axvline(fitted_periods, ls=":", color="grey")
    ax.set_xlabel("period (years)")
    ax.set_ylabel("customers still active (of 1,000)")
    ax.legend()
    return ax


def plot_tracking(tracking: pd.DataFrame, ax=None):
    """Cumulative repeat purchases, actual vs model, with the end of calibration marked."""
    ax = _axis(ax)
    ax.plot(tracking.index, tracking["actual"], label="actual")
    ax.plot(tracking.index, tracking["expected"], ls="--", label="model")
    cal = tracking.index[tracking["calibration"]].max()
    ax.axvline(cal, color="grey", ls=":")
    ax.set_xlabel(tracking.index.name)
    ax.set_ylabel("cumulative repeat purchases")
    ax.legend()
    return ax


def plot_holdout(comparison: pd.DataFrame, ax=None):
    """Actual vs predicted mean holdout purchases by calibration frequency."""
    ax = _axis(ax)
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
    ax = _axis(ax)
    for seg in matrix["segment"].cat.categories:
        part = matrix[matrix["segment"] == seg]
        ax.scatter(part["current_value"] + 1, part["growth_potential"] + 1, s=8, alpha=0.6,
                   label=seg.split(":")[0])
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("current value 当前价值 + 1 (USD, log scale)")
    ax.set_ylabel("growth potential 增值潜力 + 1 (USD, log)")
    ax.legend(fontsize=8)
    return ax


def plot_prob_alive(model, frequency, recency, T, ax=None):
    """P(alive) against the week of the last purchase, for a customer with ``frequency`` repeat
    purchases and age ``T``; the chosen ``recency`` is marked (FHL 2005a, Figure 5 idea)."""
    if not isinstance(model, (BGNBDResult, ParetoNBDResult)):
        raise TypeError(f"model must be a fitted BG/NBD or Pareto/NBD result; got {type(model).__name__}")
    ax = _axis(ax)
    x = v.integer("frequency", frequency, minimum=0)
    TT = v.positive("T", T)
    tx = v.in_range("recency", recency, 0, TT)
    if x > 0:
        grid = np.linspace(min(0.5, TT), TT, 60)
        ax.plot(grid, model.prob_alive(np.full(grid.size, x), grid, np.full(grid.size, TT)))
    ax.plot([tx], [model.prob_alive(x, tx if x > 0 else 0.0, TT)], "o", color="#D55E00")
    ax.set_ylim(0, 1.02)
    ax.set_xlabel("recency t_x: week of the last purchase (weeks after the first)")
    ax.set_ylabel("P(alive) 存活概率")
    ax.set_title(f"{x} repeat purchases, customer for {TT:g} weeks")
    return ax
