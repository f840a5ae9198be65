"""Figures of chapter 2 (loyalty types). Each takes ``ax=None`` and returns the axis it drew on.

The figures draw what :mod:`crmlib.loyalty` computes; they compute nothing of their own beyond
the layout (the index contributions come from :func:`crmlib.loyalty.criteria_contributions`,
the effects from a :class:`crmlib.loyalty.RelationshipQualityResult`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .. import _validate as v
from ..loyalty import DICK_BASU_CLASSES, GRIFFIN_CLASSES, SEVEN_TYPES, RelationshipQualityResult
from . import PALETTE, axes

__all__ = [
    "plot_index_contributions",
    "plot_inter_purchase_times",
    "plot_loyalty_grid",
    "plot_seven_types",
    "plot_standardised_effects",
]


def plot_loyalty_grid(
    relative_attitude=None,
    repeat_patronage=None,
    attitude_cutoff: float = 0.5,
    patronage_cutoff: float = 0.5,
    scheme: str = "dick_basu",
    labels=None,
    ax=None,
):
    """Draw the attitude x patronage grid with its four classes and customers as dots.

    Parameters
    ----------
    relative_attitude, repeat_patronage : float or array-like or pandas.Series in [0, 1], optional
        Customers to plot (x = repeat patronage, y = relative attitude); two Series are
        paired by index.
    attitude_cutoff, patronage_cutoff : float in [0, 1]
        Where the grid lines are drawn ("high" begins there).
    scheme : {"dick_basu", "griffin"}
        Whose class names label the four cells.
    labels : list of str, optional
        Text next to each dot (in the order of the points).
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib.axes.Axes
    """
    v.one_of("scheme", scheme, ["dick_basu", "griffin"])
    table = DICK_BASU_CLASSES if scheme == "dick_basu" else GRIFFIN_CLASSES
    ac = v.in_range("attitude_cutoff", attitude_cutoff, 0, 1)
    pc = v.in_range("patronage_cutoff", patronage_cutoff, 0, 1)
    points = None
    if relative_attitude is not None or repeat_patronage is not None:
        _, arr = v.aligned(relative_attitude=relative_attitude, repeat_patronage=repeat_patronage)
        points = (
            np.asarray(v.in_range("relative_attitude", arr["relative_attitude"], 0, 1), dtype=float),
            np.asarray(v.in_range("repeat_patronage", arr["repeat_patronage"], 0, 1), dtype=float),
        )
        if labels is not None and len(labels) != len(points[0]):
            raise ValueError(f"labels must have one text per customer ({len(points[0])}); got {len(labels)}")
    ax = axes(ax)
    cells = {
        (True, True): (pc, 1, ac, 1),
        (True, False): (0, pc, ac, 1),
        (False, True): (pc, 1, 0, ac),
        (False, False): (0, pc, 0, ac),
    }
    colours = {
        (True, True): PALETTE[2],
        (True, False): PALETTE[5],
        (False, True): PALETTE[4],
        (False, False): "#BBBBBB",
    }
    for key, (x0, x1, y0, y1) in cells.items():
        ax.fill_between([x0, x1], y0, y1, color=colours[key], alpha=0.25, lw=0)
        ax.text((x0 + x1) / 2, (y0 + y1) / 2, table[key], ha="center", va="center", fontsize=10, alpha=0.8)
    ax.axvline(pc, color="0.4", lw=1)
    ax.axhline(ac, color="0.4", lw=1)
    if points is not None:
        a, p = points
        ax.scatter(p, a, s=60, color=PALETTE[1], zorder=3, edgecolor="k")
        for i, text in enumerate(labels or []):
            ax.annotate(text, (p[i], a[i]), xytext=(5, 5), textcoords="offset points", fontsize=9)
    ax.set(
        xlim=(0, 1),
        ylim=(0, 1),
        xlabel="repeat patronage 重复购买 (share of purchases, 0-1)",
        ylabel="relative attitude 相对态度 (0-1)",
        title="Dick & Basu (1994)" if scheme == "dick_basu" else "Griffin (2002)",
    )
    return ax


def plot_seven_types(ax=None):
    """Place the course's seven types in the attachment x repeat-purchase grid.

    Each type goes in the cell of its profile in :data:`crmlib.loyalty.SEVEN_TYPES`: four
    types share the low-attachment, high-repeat cell (told apart by their driver); price
    loyalty shares the low-low cell with no loyalty. Returns the axis.
    """
    ax = axes(ax)
    ax.axvline(0.5, color="0.4", lw=1)
    ax.axhline(0.5, color="0.4", lw=1)
    low_high = [t for t in SEVEN_TYPES if (t.attachment, t.repeat) == ("low", "high")]
    for i, t in enumerate(low_high):
        ax.text(
            0.75,
            0.08 + i * 0.1,
            f"{t.name} {t.chinese}: {t.driver}",
            ha="center",
            fontsize=9,
            color=PALETTE[i % len(PALETTE)],
        )
    for t in SEVEN_TYPES:
        if t.attachment == "high":
            x = 0.75 if t.repeat == "high" else 0.25
            ax.text(x, 0.75, f"{t.name}\n{t.chinese}\n({t.driver})", ha="center", va="center", fontsize=10)
        elif t.repeat == "low":
            ax.text(0.25, 0.32, f"{t.name}\n{t.chinese}\n({t.driver})", ha="center", va="center", fontsize=10)
    ax.text(0.25, 0.12, "no loyalty\n无忠诚度", ha="center", va="center", fontsize=10, color="0.4")
    ax.set(
        xlim=(0, 1),
        ylim=(0, 1),
        xticks=[0.25, 0.75],
        yticks=[0.25, 0.75],
        xticklabels=["low", "high"],
        yticklabels=["low", "high"],
        xlabel="repeat purchase 重复购买 (level)",
        ylabel="attachment 依恋 (level)",
        title="The seven loyalty types",
    )
    ax.grid(False)
    return ax


def plot_inter_purchase_times(gaps, bins=None, ax=None):
    """Histogram of inter-purchase times (days), with the median marked as a dashed line.

    ``gaps`` are days between purchases (e.g. :func:`crmlib.loyalty.inter_purchase_times`);
    the default bins are two weeks wide, starting at 0.
    """
    g = np.atleast_1d(np.asarray(v.in_range("gaps", gaps, 0, 1e6, unit="days"), dtype=float))
    ax = axes(ax)
    bins = np.arange(0, g.max() + 15, 14) if bins is None else bins
    ax.hist(g, bins=bins, alpha=0.8)
    med = float(np.median(g))
    ax.axvline(med, color="k", ls="--", lw=1, label=f"median {med:.0f} days")
    ax.set(xlabel="days between purchases (days)", ylabel="number of gaps", title="Inter-purchase times")
    ax.legend()
    return ax


def plot_standardised_effects(*results, ax=None):
    """Bar chart of the standardised effects of the components, one group of bars per fit.

    ``results`` are :class:`crmlib.loyalty.RelationshipQualityResult` objects with the same
    predictors (e.g. the OLS and the ordered-logit fit of one survey).
    """
    if not results or not all(isinstance(r, RelationshipQualityResult) for r in results):
        raise TypeError("results must be RelationshipQualityResult objects from fit_relationship_quality")
    names = list(results[0].predictors)
    if any(list(r.predictors) != names for r in results):
        raise ValueError(f"results must have the same predictors; got {[list(r.predictors) for r in results]}")
    ax = axes(ax)
    width = 0.8 / len(results)
    x = np.arange(len(names))
    for i, r in enumerate(results):
        unit = "SD of loyalty score" if r.model == "ols" else "log-odds"
        ax.bar(x + i * width, r.standardised[names].to_numpy(), width, label=f"{r.model} ({unit})")
    ax.set_xticks(x + width * (len(results) - 1) / 2, names)
    ax.set(ylabel="effect per SD of the component", title="Relationship quality -> loyalty")
    ax.legend()
    return ax


def plot_index_contributions(contributions: pd.DataFrame, ax=None):
    """Horizontal bars: each criterion's contribution (index points) to one customer's loyalty index.

    Parameters
    ----------
    contributions : pandas.DataFrame
        The table of :func:`crmlib.loyalty.criteria_contributions` (columns ``contribution``
        and ``maximum``, one row per criterion); drawn as it is, nothing is recomputed.
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib.axes.Axes
        Grey bars: the most each criterion can add (100 x weight); coloured bars: this
        customer's contribution; the title gives the index (the sum of the contributions).
    """
    if not isinstance(contributions, pd.DataFrame) or not {"contribution", "maximum"} <= set(contributions.columns):
        raise TypeError(
            "contributions must be the DataFrame of crmlib.loyalty.criteria_contributions (columns 'contribution' "
            f"and 'maximum'); got {type(contributions).__name__}"
        )
    ax = axes(ax)
    y = np.arange(len(contributions))
    ax.barh(y, contributions["maximum"].to_numpy(), color="0.85", label="maximum (weight x 100)")
    ax.barh(y, contributions["contribution"].to_numpy(), label="this customer")
    ax.set_yticks(y, list(contributions.index))
    ax.invert_yaxis()
    total = float(contributions["contribution"].sum())
    ax.set(xlabel="contribution to the index (index points, 0-100)", title=f"Loyalty index = {total:.1f}")
    ax.legend(loc="lower right")
    return ax
